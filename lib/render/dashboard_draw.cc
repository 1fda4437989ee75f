// A dashboard drawn in the terminal (dashboard.h): a header row, then the
// panels in Grafana's 24-column grid, each in a box with its title.
#include <algorithm>
#include <map>

#include "core/time.h"
#include "render/dashboard.h"
#include "render/internal.h"

namespace tsd::render {
namespace {

// Below this many columns panels stack, each the full width.
constexpr int kNarrow = 60;

// The box's glyphs: corners, horizontal, vertical.
struct Box {
  const char *tl, *tr, *bl, *br, *h, *v;
};
constexpr Box kUnicodeBox{"╭", "╮", "╰", "╯", "─", "│"};
constexpr Box kAsciiBox{"+", "+", "+", "+", "-", "|"};

std::string repeat(const char* s, int n) {
  std::string out;
  for (int i = 0; i < n; i++) out += s;
  return out;
}

// `text` broken into rows of at most `w` columns, at spaces when it can.
std::vector<std::string> wrap(const std::string& text, int w, bool ascii) {
  std::vector<std::string> out;
  std::string rest = text;
  while (!rest.empty()) {
    if (display_width(rest) <= w) {
      out.push_back(rest);
      break;
    }
    // The longest prefix that fits, cut at its last space.
    size_t cut = 0, space = std::string::npos;
    for (size_t i = 1; i <= rest.size(); i++) {
      if (i < rest.size() && (static_cast<unsigned char>(rest[i]) & 0xC0) == 0x80) continue;
      if (display_width(std::string_view(rest).substr(0, i)) > w) break;
      cut = i;
      if (i < rest.size() && rest[i] == ' ') space = i;
    }
    if (space != std::string::npos && space > cut / 2) cut = space;
    if (cut == 0) {
      out.push_back(fit(rest, w, ascii));
      break;
    }
    out.push_back(rest.substr(0, cut));
    rest.erase(0, cut);
    while (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
  }
  return out;
}

// A row of exactly `w` columns: padded, or cut (a colour reset after a cut).
std::string exactly(std::string_view s, int w, bool ascii) {
  const int dw = display_width(s);
  if (dw <= w) return std::string(s) + std::string(w - dw, ' ');
  if (s.find('\x1b') == std::string_view::npos) return fit(s, w, ascii);
  // Cut a coloured row by walking its visible characters.
  std::string out;
  int used = 0;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\x1b') {
      const size_t m = s.find('m', i);
      const size_t end = m == std::string_view::npos ? s.size() : m + 1;
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) j++;
    const int cw = display_width(s.substr(i, j - i));
    if (used + cw > w) break;
    out.append(s.substr(i, j - i));
    used += cw;
    i = j;
  }
  return out + "\x1b[0m" + std::string(w - used, ' ');
}

std::vector<std::string> split_rows(const std::string& text) {
  std::vector<std::string> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    rows.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return rows;
}

// One panel as `p.h` rows of `p.w` columns.
std::vector<std::string> draw_panel(const PanelView& pv, const Place& p, const Options& base) {
  const bool ascii = base.glyphs == Glyphs::kAscii;
  const Box& b = ascii ? kAsciiBox : kUnicodeBox;
  const int iw = std::max(1, p.w - 2), ih = std::max(1, p.h - 2);
  std::vector<std::string> body;
  if (!pv.error.empty()) {
    for (auto& line : wrap("ERR: " + pv.error, iw, ascii)) body.push_back(paint(line, kRed, base.color));
  } else {
    Options o = base;
    o.width = iw;
    o.height = ih;
    o.title.clear();
    o.unit = pv.spec.unit;
    o.thresholds = pv.spec.thresholds;
    o.min = pv.spec.min;
    o.max = pv.spec.max;
    auto type = panel_type(pv.spec.type);
    body = split_rows(type.ok() ? render(*type, pv.results, o) : type.status().message());
  }
  body.resize(ih);  // cut, or blank rows below
  std::vector<std::string> out;
  std::string title = pv.spec.title.empty() ? "" : " " + pv.spec.title + " ";
  title = fit(title, std::max(0, iw - 2), ascii);
  const int rule = iw - 1 - display_width(title);
  std::string top = std::string(b.tl) + b.h + (base.color ? "\x1b[1m" + title + "\x1b[0m" : title) +
                    repeat(b.h, std::max(0, rule)) + b.tr;
  out.push_back(top);
  for (const auto& row : body) out.push_back(b.v + exactly(row, iw, ascii) + b.v);
  out.push_back(std::string(b.bl) + repeat(b.h, iw) + b.br);
  return out;
}

// The range as given, and as times when there is room (`room` columns).
std::string range_text(const View& v, int room) {
  const auto zone = query::Zone::load(v.zone);
  const query::Zone z = zone.ok() ? *zone : query::Zone();
  std::string s = format_local_second(v.from, z) + " .. " + format_local_second(v.to, z);
  if (v.from_raw.substr(0, 3) == "now" || v.to_raw.substr(0, 3) == "now") {
    const std::string raw = v.from_raw + " .. " + v.to_raw;
    s = display_width(s) + display_width(raw) + 3 <= room ? raw + " (" + s + ")" : raw;
  }
  return s;
}

}  // namespace

namespace {
std::vector<Place> grid(const std::vector<PanelView>& panels, int width);
}  // namespace

std::vector<Place> layout(const std::vector<PanelView>& panels, int width, int height) {
  std::vector<Place> out = grid(panels, width);
  int rows = 0;
  for (const auto& p : out) rows = std::max(rows, p.y + p.h);
  if (height <= 0 || rows <= height) return out;
  // Every row edge scaled by height / rows: panels keep their order and
  // proportions, none under 3 rows (the box and one row inside).
  auto edge = [&](int y) { return static_cast<int>(static_cast<int64_t>(y) * height / rows); };
  for (auto& p : out) {
    const int top = edge(p.y), bottom = edge(p.y + p.h);
    p.y = top;
    p.h = std::max(3, bottom - top);
  }
  return out;
}

namespace {

std::vector<Place> grid(const std::vector<PanelView>& panels, int width) {
  std::vector<Place> out;
  if (width < kNarrow) {  // stacked, in the grid's reading order
    int y = 0;
    for (const auto& p : panels) {
      out.push_back({0, y, width, std::max(p.spec.h, 1)});
      y += std::max(p.spec.h, 1);
    }
    return out;
  }
  // Grafana's grid: x and w in 24ths of the width, y and h in rows. A
  // panel without x follows the one before it on the row, or starts the
  // next row when it does not fit; each sits as high as the panels above
  // it allow (y is a floor), so boxes never overlap.
  int bottom[24] = {0};
  int cursor = 0;
  auto col = [&](int gx) { return gx * width / 24; };
  for (const auto& pv : panels) {
    // (A snapshot from elsewhere may hold any numbers: cut them to the grid.)
    const int w = std::clamp(pv.spec.w, 1, 24), h = std::max(pv.spec.h, 1);
    int x = pv.spec.x >= 0 ? std::min(pv.spec.x, 24 - w) : cursor;
    if (x + w > 24) x = 0;
    int y = std::max(0, pv.spec.y);
    for (int i = x; i < x + w; i++) y = std::max(y, bottom[i]);
    for (int i = x; i < x + w; i++) bottom[i] = y + h;
    cursor = x + w >= 24 ? 0 : x + w;
    out.push_back({col(x), y, col(x + w) - col(x), h});
  }
  return out;
}

}  // namespace

std::string draw_view(const View& v, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  // The header: title, range, variables, and a snapshot's note.
  const std::string title = v.title.empty() ? v.source : v.title;
  std::string rest;
  for (const auto& [name, value] : v.variables) rest += "   " + name + "=" + value;
  if (!v.note.empty()) rest += "   [" + v.note + "]";
  std::string head = (o.color ? "\x1b[1m" + title + "\x1b[0m" : title) + "   " +
                     range_text(v, o.width - display_width(title) - display_width(rest) - 3) + rest;
  std::string out = exactly(head, o.width, ascii);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += "\n";

  Options po = o;
  po.from = v.from;
  po.to = v.to;
  const std::vector<Place> places = layout(v.panels, o.width, o.height > 0 ? o.height - 1 : 0);
  int rows = 0;
  for (const auto& p : places) rows = std::max(rows, p.y + p.h);
  // Each screen row: the panels' pieces by column.
  std::vector<std::map<int, std::string>> screen(rows);
  for (size_t i = 0; i < v.panels.size(); i++) {
    const Place& p = places[i];
    std::vector<std::string> box = draw_panel(v.panels[i], p, po);
    for (int r = 0; r < p.h; r++) screen[p.y + r][p.x] = std::move(box[r]);
  }
  for (const auto& row : screen) {
    std::string line;
    int at = 0;
    for (const auto& [x, piece] : row) {
      line.append(std::max(0, x - at), ' ');
      line += piece;
      at = std::max(at, x) + display_width(piece);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace tsd::render
