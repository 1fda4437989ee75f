// A View as a self-contained SVG document or HTML page (dashboard.h): to
// share a dashboard in a ticket or a chat without a Grafana server.
//
// The page: a header (title, time range, variables, the snapshot's note),
// then the panels in the dashboard's grid (layout() at kColumns columns
// of kColPx pixels, rows of kRowPx), each a rounded box with its title.
// Dark, as Grafana's default theme; the colours of lines follow the
// terminal's palette (green, yellow, cyan, magenta, blue, red, then
// lighter). Only presentation attributes, no stylesheet, font file or
// script; every text is XML-escaped (and invalid UTF-8 or control bytes
// replaced), and nothing depends on the clock, so a View always gives the
// same bytes.
//
// Charts are reduced to pixel columns before they are drawn (the first,
// lowest, highest and last value of each column), so a million points
// cost a path of a few thousand vertices and spikes stay visible. A null,
// or a time step over twice the median (gap_limit), starts a new subpath.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <numbers>

#include "render/dashboard.h"
#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr int kColumns = 100;  // layout()'s screen width
constexpr int kColPx = 12, kRowPx = 24;
constexpr int kWidth = kColumns * kColPx;
constexpr double kCharEm = 0.6;  // a character's width, in font sizes (about: DejaVu Sans)

constexpr const char* kBackground = "#111217";
constexpr const char* kPanelFill = "#181b1f";
constexpr const char* kBorder = "#2c3235";
constexpr const char* kGrid = "#2f3237";
constexpr const char* kText = "#ccccdc";
constexpr const char* kDim = "#8e8e99";
constexpr const char* kError = "#f2495c";
constexpr const char* kFont = "DejaVu Sans, Helvetica, Arial, sans-serif";
constexpr const char* kMono = "DejaVu Sans Mono, Menlo, Consolas, monospace";

// The colour of line i: the terminal's series_color order.
const char* series_hex(size_t i) {
  static constexpr const char* kPalette[] = {"#73bf69", "#fade2a", "#6ed0e0", "#b877d9",
                                             "#5794f2", "#f2495c", "#96d98d", "#ffee52",
                                             "#a8e6ef", "#ca95e5", "#8ab8ff", "#ff7383"};
  return kPalette[i % std::size(kPalette)];
}

const char* threshold_hex(double v, const std::vector<double>& thresholds) {
  switch (threshold_color(v, thresholds)) {
    case kRed: return "#f2495c";
    case kYellow: return "#fade2a";
    default: return "#73bf69";
  }
}

// -- Text --------------------------------------------------------------------

// s as XML character data or attribute value: markup characters as
// entities, control characters dropped, bytes that are not UTF-8 as U+FFFD.
std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': case '\r': out += ' '; break;
        default:
          if (b >= 0x20 && b != 0x7f) out += static_cast<char>(b);
      }
      i++;
      continue;
    }
    const size_t len = (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; k++) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      i++;
    }
  }
  return out;
}

// Pixels a text takes, and the text cut to `px` ("…" marks a cut).
double text_px(std::string_view s, double size) { return display_width(s) * size * kCharEm; }
std::string cut(std::string_view s, double px, double size) {
  return fit(s, static_cast<int>(px / (size * kCharEm)), false);
}

std::string px(double v) { return fmt::format("{:.1f}", v); }

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
};

// The SVG being written.
class Out {
 public:
  std::string s;

  template <typename... Args>
  void f(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(s), format, std::forward<Args>(args)...);
  }
  // A text at (x, y) (the baseline), anchored "start", "middle" or "end".
  void text(double x, double y, std::string_view t, double size, const char* fill,
            const char* anchor = "start", const char* extra = "") {
    f("<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"", px(x), px(y), px(size), fill);
    if (std::string_view(anchor) != "start") f(" text-anchor=\"{}\"", anchor);
    f("{}>{}</text>\n", extra, esc(t));
  }
  void rect(double x, double y, double w, double h, const char* fill, const char* extra = "") {
    f("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}/>\n", px(x), px(y),
      px(std::max(w, 0.0)), px(std::max(h, 0.0)), fill, extra);
  }
  void hline(double x0, double x1, double y, const char* stroke) {
    f("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\n", px(x0),
      px(y), px(x1), px(y), stroke);
  }
  void vline(double x, double y0, double y1, const char* stroke) {
    f("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>\n", px(x),
      px(y0), px(x), px(y1), stroke);
  }
};

// A message in the box, wrapped at spaces, as many lines as fit.
void message(Out* o, const Box& b, const std::string& text, const char* fill) {
  constexpr double kSize = 12, kLead = 16;
  const int cols = std::max(4, static_cast<int>(b.w / (kSize * kCharEm)));
  const int rows = std::max(1, static_cast<int>(b.h / kLead));
  std::vector<std::string> lines(1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    std::string& cur = lines.back();
    if (cur.empty()) {
      cur = fit(word, cols, false);
    } else if (display_width(cur) + 1 + display_width(word) <= cols) {
      cur += " " + word;
    } else {
      lines.push_back(fit(word, cols, false));
    }
    start = end + 1;
  }
  if (static_cast<int>(lines.size()) > rows) {
    lines.resize(static_cast<size_t>(rows));
    lines.back() = fit(lines.back() + " …", cols, false);
    if (lines.back().find("…") == std::string::npos) lines.back() += "…";
  }
  for (size_t i = 0; i < lines.size(); i++) o->text(b.x, b.y + 14 + kLead * static_cast<double>(i), lines[i], kSize, fill);
}

// -- Paths ---------------------------------------------------------------------

// The path of reduced columns: column c at x0 + c * dx, a value at y(v);
// `top_only` draws each column's highest value (sparklines), else its
// first, extremes and last. A break starts a new subpath ("M").
template <typename Y>
std::string path_of(const std::vector<Column>& cols, double x0, double dx, bool top_only, const Y& y) {
  std::string d;
  bool open = false;
  double last_y = NAN;
  for (size_t c = 0; c < cols.size(); c++) {
    const Column& col = cols[c];
    if (!col.used()) continue;
    const double x = x0 + dx * static_cast<double>(c);
    double seq[4];
    size_t n = 0;
    if (top_only) {
      seq[n++] = col.hi;
    } else {
      const bool low_first = std::fabs(col.first - col.lo) <= std::fabs(col.first - col.hi);
      seq[n++] = col.first;
      seq[n++] = low_first ? col.lo : col.hi;
      seq[n++] = low_first ? col.hi : col.lo;
      seq[n++] = col.last;
    }
    bool move = !open || col.broken_before;
    for (size_t k = 0; k < n; k++) {
      const double yy = std::round(y(seq[k]) * 10) / 10;
      if (!move && k > 0 && yy == last_y) continue;
      fmt::format_to(std::back_inserter(d), "{}{} {}", move ? "M" : "L", px(x), px(yy));
      move = false;
      last_y = yy;
    }
    open = true;
  }
  return d;
}

// A sparkline in the box: the highest value of each pixel column over the
// line's min..max (a constant line in the middle), optionally filled down
// to the box's bottom, faintly.
void sparkline_svg(Out* o, const Line& l, int64_t t0, int64_t t1, const Box& b, const char* color,
                   double opacity, bool area) {
  const int n = std::max(2, static_cast<int>(b.w));
  const std::vector<Column> cols = reduce_columns(l, t0, t1, n);
  const Stats st = stats_of(l);
  if (st.count == 0) return;
  auto y = [&](double v) {
    if (!(st.max > st.min)) return b.y + b.h / 2;
    return b.y + (st.max - v) / (st.max - st.min) * b.h;
  };
  const std::string d = path_of(cols, b.x, b.w / (n - 1), true, y);
  if (d.empty()) return;
  if (area) {
    // Each subpath closed down to the bottom.
    std::string fill;
    size_t start = 0;
    while (start < d.size()) {
      size_t next = d.find('M', start + 1);
      if (next == std::string::npos) next = d.size();
      const std::string sub = d.substr(start, next - start);
      const size_t sp = sub.find(' ');
      const std::string first_x = sub.substr(1, sp - 1);
      const size_t last_l = std::max(sub.rfind('L'), sub.rfind('M'));
      const std::string last_x = sub.substr(last_l + 1, sub.find(' ', last_l) - last_l - 1);
      fill += sub + "L" + last_x + " " + px(b.y + b.h) + "L" + first_x + " " + px(b.y + b.h) + "Z";
      start = next;
    }
    o->f("<path d=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"/>\n", fill, color, px(opacity / 2));
  }
  o->f("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"{}\" stroke-width=\"1.5\" "
       "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
       d, color, px(opacity));
}

// -- Panels --------------------------------------------------------------------

struct Ctx {
  Options o;  // unit, thresholds, min, max, zone
  Box b;      // the inside of the panel, under its title
};

// The x axis under a plot: a faint vertical grid line and a label per tick
// (labels that would overlap the one before, or pass the plot's right
// edge, are left out).
void x_axis(Out* o, bool timed, int64_t t0, int64_t t1, const Box& plot, const Options& opt) {
  constexpr double kSize = 11;
  const int cols = static_cast<int>(plot.w / (kSize * kCharEm) * 2 / 3);
  double end = -1e9;
  for (const TimeTick& t : x_ticks(timed, t0, t1, opt.zone, cols)) {
    const double x = t1 == t0 ? plot.x + plot.w / 2
                              : plot.x + static_cast<double>(t.t - t0) / static_cast<double>(t1 - t0) * plot.w;
    o->vline(x, plot.y, plot.y + plot.h, kGrid);
    const double w = text_px(t.label, kSize);
    if (x - w / 2 < end || x + w / 2 > plot.x + plot.w + 4) continue;
    o->text(x, plot.y + plot.h + 14, t.label, kSize, kDim, "middle");
    end = x + w / 2 + 6;
  }
}

void line_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  const Extent e = chart_extent(lines, c.o);
  if (!e.any) return message(o, c.b, "no numeric data to draw", kDim);
  const Box& b = c.b;
  constexpr double kSize = 11, kLegendRow = 16, kValueW = 64;

  // The legend: min, max, mean, last when there is room, else last.
  const size_t room = static_cast<size_t>(std::max(0.0, std::floor(b.h * 0.4 / kLegendRow) - 1));
  const size_t shown = std::min(lines.size(), room);
  const bool all_stats = b.w >= 480;
  const int nvalues = all_stats ? 4 : 1;
  const double legend_h = shown == 0 ? 0 : kLegendRow * static_cast<double>(shown + 1);
  const Box plot0{b.x, b.y + 4, b.w, b.h - legend_h - 22};

  const Scale s = nice_scale(e.lo, e.hi, std::clamp(static_cast<int>(plot0.h / 36), 2, 8));
  std::vector<std::string> labels = tick_labels(s, false);
  double lw = 0;
  for (auto& l : labels) {
    if (l != "0") l += c.o.unit;
    lw = std::max(lw, text_px(l, kSize));
  }
  const Box plot{b.x + lw + 8, plot0.y, std::max(10.0, b.w - lw - 12), std::max(10.0, plot0.h)};
  auto y = [&](double v) { return plot.y + (s.hi - v) / (s.hi - s.lo) * plot.h; };
  for (size_t k = 0; k < s.ticks.size(); k++) {
    const double yy = y(s.ticks[k]);
    o->hline(plot.x, plot.x + plot.w, yy, kGrid);
    o->text(plot.x - 6, yy + 4, labels[k], kSize, kDim, "end");
  }
  x_axis(o, e.timed, e.t0, e.t1, plot, c.o);

  const int n = std::max(2, static_cast<int>(plot.w));
  for (size_t i = 0; i < lines.size(); i++) {
    const std::string d = path_of(reduce_columns(lines[i], e.t0, e.t1, n), plot.x, plot.w / (n - 1), false, y);
    if (d.empty()) continue;
    o->f("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" "
         "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
         d, series_hex(i));
  }

  if (shown == 0) return;
  double ly = plot.y + plot.h + 22 + kLegendRow - 4;
  static constexpr const char* kNames[] = {"min", "max", "mean", "last"};
  const double label_w = b.w - 18 - kValueW * nvalues;
  for (int k = 0; k < nvalues; k++) {
    o->text(b.x + b.w - kValueW * (nvalues - 1 - k), ly, kNames[all_stats ? k : 3], kSize, kDim, "end");
  }
  for (size_t i = 0; i < shown; i++) {
    ly += kLegendRow;
    if (i + 1 == shown && shown < lines.size()) {
      o->text(b.x, ly, "+ " + std::to_string(lines.size() - i) + " more", kSize, kDim);
      break;
    }
    o->rect(b.x, ly - 6, 12, 3, series_hex(i));
    o->text(b.x + 18, ly, cut(lines[i].label, label_w, kSize), kSize, kText);
    const Stats st = stats_of(lines[i]);
    const double v[] = {st.min, st.max, st.mean, st.last};
    for (int k = 0; k < nvalues; k++) {
      o->text(b.x + b.w - kValueW * (nvalues - 1 - k), ly, value_text(v[all_stats ? k : 3], c.o), kSize, kText, "end");
    }
  }
}

// One row per line (spark, bargauge, bar): the label (up to a third of the
// width), middle(i, last, box), the last value in value_color(i, last) (null:
// the text colour); as many rows as fit, the last saying how many were left.
template <typename Middle, typename Color>
void rows_panel(Out* o, const std::vector<Line>& lines, const Ctx& c, const Middle& middle,
                const Color& value_color) {
  if (lines.empty()) return message(o, c.b, "no numeric data to draw", kDim);
  const Box& b = c.b;
  constexpr double kSize = 12, kMinRow = 20, kMaxRow = 44;
  std::vector<double> last;
  std::vector<std::string> values;
  double lw = 0, vw = 0;
  for (const Line& l : lines) {
    last.push_back(stats_of(l).last);
    values.push_back(value_text(last.back(), c.o));
    lw = std::max(lw, text_px(l.label, kSize));
    vw = std::max(vw, text_px(values.back(), kSize));
  }
  lw = std::min(lw, b.w / 3);
  const size_t room = static_cast<size_t>(std::max(1.0, std::floor(b.h / kMinRow)));
  const size_t rows = std::min(room, lines.size());
  const double rh = std::clamp(b.h / static_cast<double>(rows), kMinRow, kMaxRow);
  for (size_t i = 0; i < rows; i++) {
    const double top = b.y + rh * static_cast<double>(i), base = top + rh / 2 + kSize * 0.35;
    if (i + 1 == rows && rows < lines.size()) {
      o->text(b.x, base, "+ " + std::to_string(lines.size() - i) + " more", kSize, kDim);
      break;
    }
    o->text(b.x, base, cut(lines[i].label, lw, kSize), kSize, kText);
    const char* color = value_color(i, last[i]);
    o->text(b.x + b.w, base, values[i], kSize, color ? color : kText, "end");
    middle(i, last[i], Box{b.x + lw + 10, top + 3, b.w - lw - vw - 20, rh - 6});
  }
}

void spark_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  int64_t t0 = 0, t1 = 0;
  if (!time_range(lines, &t0, &t1)) return message(o, c.b, "no numeric data to draw", kDim);
  rows_panel(
      o, lines, c,
      [&](size_t i, double, const Box& m) { sparkline_svg(o, lines[i], t0, t1, m, series_hex(i), 1, false); },
      [](size_t, double) -> const char* { return nullptr; });
}

void bargauge_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  double lo = 0, hi = 1;
  gauge_range(lines, c.o, &lo, &hi);
  rows_panel(
      o, lines, c,
      [&](size_t, double last, const Box& m) {
        const double h = std::min(m.h, 24.0), y = m.y + (m.h - h) / 2;
        o->rect(m.x, y, m.w, h, "#22252b", " rx=\"2\"");
        if (std::isnan(last)) return;
        // Filled to the value, each stretch in the colour of its threshold band.
        const double end = std::clamp(last, lo, hi);
        std::vector<double> cuts = {lo};
        for (double t : c.o.thresholds) {
          if (t > lo && t < end) cuts.push_back(t);
        }
        cuts.push_back(end);
        for (size_t k = 0; k + 1 < cuts.size(); k++) {
          const double x0 = m.x + (cuts[k] - lo) / (hi - lo) * m.w, x1 = m.x + (cuts[k + 1] - lo) / (hi - lo) * m.w;
          o->rect(x0, y, x1 - x0, h, threshold_hex((cuts[k] + cuts[k + 1]) / 2, c.o.thresholds));
        }
      },
      [&](size_t, double last) -> const char* { return threshold_hex(last, c.o.thresholds); });
}

void bar_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  double top = 0;
  for (const Line& l : lines) {
    const double last = stats_of(l).last;
    if (!std::isnan(last)) top = std::max(top, std::fabs(last));
  }
  if (!std::isnan(c.o.max) && c.o.max > 0) top = c.o.max;
  rows_panel(
      o, lines, c,
      [&](size_t i, double last, const Box& m) {
        if (std::isnan(last) || top <= 0) return;
        const double h = std::min(m.h, 24.0);
        // Something not zero shows, however small.
        double w = std::min(std::fabs(last) / top, 1.0) * m.w;
        if (last != 0) w = std::max(w, 2.0);
        o->rect(m.x, m.y + (m.h - h) / 2, w, h, series_hex(i));
      },
      [](size_t, double) -> const char* { return nullptr; });
}

// Tiles (stat, gauge): as many across as are at least kTileW wide, rows of
// them as the height allows; the last tile says how many were left out.
template <typename Tile>
void tiles(Out* o, const std::vector<Line>& lines, const Ctx& c, double min_h, const Tile& tile) {
  if (lines.empty()) return message(o, c.b, "no numeric data to draw", kDim);
  constexpr double kTileW = 150;
  const Box& b = c.b;
  const size_t across = std::clamp<size_t>(static_cast<size_t>(b.w / kTileW), 1, lines.size());
  const size_t bands_max = std::max<size_t>(1, static_cast<size_t>(b.h / min_h));
  const size_t bands = std::min(bands_max, (lines.size() + across - 1) / across);
  const double tw = b.w / static_cast<double>(across), th = b.h / static_cast<double>(bands);
  for (size_t band = 0; band < bands; band++) {
    for (size_t k = 0; k < across; k++) {
      const size_t i = band * across + k;
      if (i >= lines.size()) break;
      const Box t{b.x + tw * static_cast<double>(k) + 3, b.y + th * static_cast<double>(band) + 3, tw - 6, th - 6};
      if (band + 1 == bands && k + 1 == across && i + 1 < lines.size()) {
        o->text(t.x + t.w / 2, t.y + t.h / 2, "+ " + std::to_string(lines.size() - i) + " more", 12, kDim, "middle");
        break;
      }
      tile(i, t);
    }
  }
}

// A big value centred in the box, as large as the box allows.
void big_value(Out* o, const std::string& v, double cx, double base, double w, double h, const char* color) {
  constexpr double kBoldEm = 0.7;
  const double size = std::clamp(std::min(h, w / (std::max(1, display_width(v)) * kBoldEm)), 10.0, 72.0);
  o->text(cx, base, v, size, color, "middle", " font-weight=\"bold\"");
}

void stat_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  tiles(o, lines, c, 70, [&](size_t i, const Box& t) {
    const Line& l = lines[i];
    const Stats st = stats_of(l);
    const char* color = threshold_hex(st.last, c.o.thresholds);
    int64_t t0 = 0, t1 = 0;
    if (time_range({l}, &t0, &t1)) {
      sparkline_svg(o, l, t0, t1, Box{t.x, t.y + t.h * 0.55, t.w, t.h * 0.45}, color, 0.4, true);
    }
    o->text(t.x + t.w / 2, t.y + 14, cut(l.label, t.w, 12), 12, kDim, "middle");
    const double vh = std::min(t.h * 0.45, 72.0);
    big_value(o, value_text(st.last, c.o), t.x + t.w / 2, t.y + 18 + (t.h - 18) / 2 + vh * 0.35, t.w - 8, vh, color);
  });
}

// Gauges: a half-circle arc over [min, max] filled to the last value in its
// threshold colour, the threshold bands as a thin outer arc, the value
// inside, min and max under the ends.
void gauge_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  double lo = 0, hi = 1;
  gauge_range(lines, c.o, &lo, &hi);
  tiles(o, lines, c, 90, [&](size_t i, const Box& t) {
    const Stats st = stats_of(lines[i]);
    o->text(t.x + t.w / 2, t.y + 14, cut(lines[i].label, t.w, 12), 12, kDim, "middle");
    const double r = std::max(8.0, std::min(t.w * 0.42, (t.h - 40) * 0.9));
    const double cx = t.x + t.w / 2, cy = t.y + 22 + r + (t.h - 40 - r) / 2;
    const double thick = r * 0.2;
    auto frac = [&](double v) { return std::clamp((v - lo) / (hi - lo), 0.0, 1.0); };
    auto arc = [&](double f0, double f1, double radius, double width, const char* color) {
      if (!(f1 > f0)) return;
      const double a0 = std::numbers::pi * (1 - f0), a1 = std::numbers::pi * (1 - f1);
      o->f("<path d=\"M{} {}A{} {} 0 0 1 {} {}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
           px(cx + radius * std::cos(a0)), px(cy - radius * std::sin(a0)), px(radius), px(radius),
           px(cx + radius * std::cos(a1)), px(cy - radius * std::sin(a1)), color, px(width));
    };
    arc(0, 1, r - thick / 2, thick, "#22252b");
    // The threshold bands.
    std::vector<double> cuts = {lo};
    for (double th : c.o.thresholds) {
      if (th > lo && th < hi) cuts.push_back(th);
    }
    cuts.push_back(hi);
    for (size_t k = 0; k + 1 < cuts.size(); k++) {
      arc(frac(cuts[k]), frac(cuts[k + 1]), r + 3, 3, threshold_hex((cuts[k] + cuts[k + 1]) / 2, c.o.thresholds));
    }
    const char* color = threshold_hex(st.last, c.o.thresholds);
    if (!std::isnan(st.last)) arc(0, std::max(frac(st.last), 0.005), r - thick / 2, thick, color);
    big_value(o, value_text(st.last, c.o), cx, cy - 4, r * 1.2, r * 0.45, color);
    o->text(cx - r + thick / 2, cy + 14, format_value(lo, false), 10, kDim, "middle");
    o->text(cx + r - thick / 2, cy + 14, format_value(hi, false), 10, kDim, "middle");
  });
}

// The heatmap: the cells of the terminal's heatmap (heat(), internal.h)
// at about 12 pixels a row and 6 a column, each an orange rectangle as
// opaque as its count (or sum) is high; the rows' labels at the left.
void heatmap_panel(Out* o, const std::vector<Line>& lines, const Ctx& c) {
  const Extent e = chart_extent(lines, c.o);
  if (!e.any) return message(o, c.b, "no numeric data to draw", kDim);
  const Box& b = c.b;
  constexpr double kSize = 11;
  const int rows = std::max(3, static_cast<int>((b.h - 26) / 12));
  double lw = 0;
  for (const auto& l : heat_labels(lines, e, rows, c.o)) lw = std::max(lw, text_px(l, kSize));
  lw = std::min(lw, b.w / 4);
  const Box plot{b.x + lw + 8, b.y + 4, std::max(10.0, b.w - lw - 12), std::max(10.0, b.h - 26)};
  const int cols = std::max(1, static_cast<int>(plot.w / 6));
  const Heat h = heat(lines, e, rows, cols, c.o);
  x_axis(o, e.timed, e.t0, e.t1, plot, c.o);
  const double rh = plot.h / rows, cw = plot.w / cols;
  for (int r = 0; r < rows; r++) {
    const double y = plot.y + rh * r;
    for (int x = 0; x < cols; x++) {
      const double v = h.at(r, x);
      if (std::isnan(v)) continue;
      const double f = h.hi > h.lo ? (v - h.lo) / (h.hi - h.lo) : 1.0;
      o->rect(plot.x + cw * x, y, cw, rh, "#ff9830", fmt::format(" fill-opacity=\"{:.2f}\"", 0.15 + 0.85 * f).c_str());
    }
    const std::string& label = h.labels[static_cast<size_t>(r)];
    if (!label.empty()) o->text(plot.x - 6, y + rh / 2 + 4, cut(label, lw, kSize), kSize, kDim, "end");
  }
}

// The table: each series under its name and tags, a header, rows; numbers
// right-aligned; monospaced; rows that do not fit are counted in a last row.
void table_panel(Out* o, const query::Results& r, const Ctx& c) {
  constexpr double kSize = 11, kRow = 16, kChar = kSize * kCharEm;
  const Box& b = c.b;
  std::vector<const query::Series*> series;
  size_t need = 0, all_rows = 0;  // rows of text; rows of data
  for (const auto& st : r.results) {
    for (const auto& s : st.series) {
      series.push_back(&s);
      need += (need > 0 ? 1 : 0) + (s.name.empty() && s.tags.empty() ? 0 : 1) + 2 + s.values.size();
      all_rows += s.values.size();
    }
  }
  if (series.empty()) return message(o, b, "no rows", kDim);
  size_t room = static_cast<size_t>(std::max(1.0, std::floor(b.h / kRow)));
  if (need > room) room--;  // the last row counts what is left out
  size_t row = 0, shown = 0;
  auto y_of = [&](size_t k) { return b.y + kRow * static_cast<double>(k) + 12; };
  auto text = [&](double x, size_t k, const std::string& t, const char* fill, bool right, bool bold) {
    o->f("<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-family=\"{}\" fill=\"{}\"{}{}>{}</text>\n", px(x),
         px(y_of(k)), px(kSize), kMono, fill, right ? " text-anchor=\"end\"" : "",
         bold ? " font-weight=\"bold\"" : "", esc(t));
  };
  for (const query::Series* s : series) {
    const bool named = !s->name.empty() || !s->tags.empty();
    if (row + (row > 0 ? 1 : 0) + (named ? 1 : 0) + 2 > room) break;
    if (row > 0) row++;
    if (named) {
      std::string head = s->name;
      for (const auto& [k, v] : s->tags) head += (head.empty() ? "" : " ") + k + "=" + v;
      text(b.x, row++, cut(head, b.w, kSize), kText, false, true);
    }
    // Column widths over the rows that show.
    const size_t fits = std::min(s->values.size(), room - row - 1);
    std::vector<std::vector<TableCell>> cells(fits);
    std::vector<int> w(s->columns.size(), 0);
    std::vector<bool> right(s->columns.size(), false);
    for (size_t j = 0; j < s->columns.size(); j++) w[j] = display_width(s->columns[j]);
    for (size_t i = 0; i < fits; i++) {
      for (size_t j = 0; j < s->columns.size(); j++) {
        cells[i].push_back(j < s->values[i].size() ? table_cell(s->values[i][j], j == 0 && s->has_time, c.o) : TableCell{});
        w[j] = std::max(w[j], display_width(cells[i].back().text));
        right[j] = right[j] || cells[i].back().right;
      }
    }
    std::vector<double> x0(s->columns.size());
    double x = b.x;
    for (size_t j = 0; j < s->columns.size(); j++) {
      x0[j] = right[j] ? x + w[j] * kChar : x;
      x += (w[j] + 2) * kChar;
    }
    for (size_t j = 0; j < s->columns.size(); j++) text(x0[j], row, s->columns[j], kDim, right[j], false);
    o->hline(b.x, std::min(x - 2 * kChar, b.x + b.w), y_of(row) + 5, kBorder);
    row++;
    for (const auto& cr : cells) {
      for (size_t j = 0; j < cr.size(); j++) {
        if (!cr[j].text.empty()) text(x0[j], row, cr[j].text, kText, cr[j].right, false);
      }
      row++;
    }
    shown += fits;
  }
  if (shown < all_rows) {
    o->text(b.x, y_of(row), "+ " + std::to_string(all_rows - shown) + " more rows", kSize, kDim);
  }
}

void draw_panel(Out* o, const PanelView& p, const Box& inner, const query::Zone& zone, int64_t from, int64_t to) {
  Ctx c;
  c.o.from = from;  // a dashboard's time range is the charts' time axis
  c.o.to = to;
  c.o.unit = p.spec.unit;
  c.o.thresholds = p.spec.thresholds;
  c.o.min = p.spec.min;
  c.o.max = p.spec.max;
  c.o.zone = zone;
  c.b = inner;
  if (!p.error.empty()) return message(o, inner, p.error, kError);
  if (std::string err = first_error(p.results); !err.empty()) return message(o, inner, "ERR: " + err, kError);
  if (p.spec.type == "heatmap") return heatmap_panel(o, extract_lines(p.results), c);
  auto type = panel_type(p.spec.type);
  if (!type.ok()) return message(o, inner, type.status().message(), kError);
  switch (*type) {
    case Panel::kLine: return line_panel(o, extract_lines(p.results), c);
    case Panel::kSpark: return spark_panel(o, extract_lines(p.results), c);
    case Panel::kStat: return stat_panel(o, extract_lines(p.results), c);
    case Panel::kGauge: return gauge_panel(o, extract_lines(p.results), c);
    case Panel::kBarGauge: return bargauge_panel(o, extract_lines(p.results), c);
    case Panel::kBar: return bar_panel(o, extract_lines(p.results), c);
    case Panel::kTable: return table_panel(o, p.results, c);
    default: return message(o, inner, "panel type \"" + p.spec.type + "\" is not drawn in SVG", kError);
  }
}

// -- The page ------------------------------------------------------------------

// The zone of the view's times (UTC when it is not known here).
query::Zone zone_of(const View& v) {
  auto z = query::Zone::load(v.zone);
  return z.ok() ? *z : query::Zone();
}

// The header's lines: the title, the range and variables, the note.
struct Header {
  std::string title, range, note;
  double height = 8;
};

Header header_of(const View& v, const query::Zone& zone) {
  Header h;
  h.title = v.title;
  std::string range;
  if (!v.from_raw.empty() || !v.to_raw.empty()) range = v.from_raw + " to " + v.to_raw + ": ";
  if (v.from != 0 || v.to != 0) {
    range += format_local_second(v.from, zone) + " to " + format_local_second(v.to, zone) + " " +
             (v.zone.empty() ? "UTC" : v.zone);
  }
  if (v.taken != 0) range += (range.empty() ? "" : ", ") + std::string("data of ") + format_local_second(v.taken, zone);
  for (const auto& [name, value] : v.variables) range += (range.empty() ? "" : " · ") + name + "=" + value;
  h.range = range;
  h.note = v.note;
  if (!h.title.empty()) h.height += 26;
  if (!h.range.empty()) h.height += 18;
  if (!h.note.empty()) h.height += 18;
  return h;
}

// The page's name (<title>): the view's title, else its note, else the
// first panel's title.
std::string page_name(const View& v) {
  if (!v.title.empty()) return v.title;
  if (!v.note.empty()) return v.note;
  for (const PanelView& p : v.panels) {
    if (!p.spec.title.empty()) return p.spec.title;
  }
  return "tsd dashboard";
}

// The <svg> element; `attrs` go in its start tag.
std::string svg_element(const View& v, const char* attrs) {
  const query::Zone zone = zone_of(v);
  const Header head = header_of(v, zone);
  const std::vector<Place> cells = layout(v.panels, kColumns);
  int rows = 0;
  for (const Place& c : cells) rows = std::max(rows, c.y + c.h);
  const int height = static_cast<int>(std::ceil(head.height)) + rows * kRowPx + 8;

  Out o;
  o.f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"{}\"{}>\n",
      kWidth, height, kWidth, height, kFont, attrs);
  const std::string name = page_name(v);
  o.f("<title>{}</title>\n", esc(name));
  o.rect(0, 0, kWidth, height, kBackground);
  double y = 8;
  if (!head.title.empty()) {
    y += 20;
    o.text(12, y, cut(head.title, kWidth - 24, 18), 18, kText, "start", " font-weight=\"bold\"");
    y += 6;
  }
  if (!head.range.empty()) {
    y += 14;
    o.text(12, y, cut(head.range, kWidth - 24, 12), 12, kDim);
    y += 4;
  }
  if (!head.note.empty()) {
    y += 14;
    o.text(12, y, cut(head.note, kWidth - 24, 12), 12, kText, "start", " font-style=\"italic\"");
    y += 4;
  }

  for (size_t i = 0; i < v.panels.size(); i++) {
    const PanelView& p = v.panels[i];
    const Place& c = cells[i];
    const Box box{c.x * kColPx + 4.0, head.height + c.y * kRowPx + 4.0, c.w * kColPx - 8.0, c.h * kRowPx - 8.0};
    o.f("<g>\n<clipPath id=\"panel{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/></clipPath>\n", i,
        px(box.x), px(box.y), px(box.w), px(box.h));
    o.rect(box.x, box.y, box.w, box.h, kPanelFill, fmt::format(" rx=\"4\" stroke=\"{}\"", kBorder).c_str());
    o.f("<g clip-path=\"url(#panel{})\">\n", i);
    if (!p.spec.title.empty()) {
      o.text(box.x + 8, box.y + 18, cut(p.spec.title, box.w - 16, 13), 13, kText, "start", " font-weight=\"bold\"");
    }
    draw_panel(&o, p, Box{box.x + 8, box.y + 28, box.w - 16, box.h - 36}, zone, v.from, v.to);
    o.s += "</g>\n</g>\n";
  }
  o.s += "</svg>\n";
  return o.s;
}

// A table panel as an HTML table (at most kMaxRows rows a series), to copy
// from.
void html_table(std::string* out, const PanelView& p, const query::Zone& zone) {
  constexpr size_t kMaxRows = 10000;
  Options o;
  o.unit = p.spec.unit;
  o.zone = zone;
  auto f = [&](fmt::format_string<std::string> format, std::string a) {
    fmt::format_to(std::back_inserter(*out), format, std::move(a));
  };
  f("<h2 style=\"font-size:14px;margin:16px 12px 4px\">{}</h2>\n", esc(p.spec.title));
  for (const auto& st : p.results.results) {
    for (const auto& s : st.series) {
      std::string head = s.name;
      for (const auto& [k, v] : s.tags) head += (head.empty() ? "" : " ") + k + "=" + v;
      *out += "<table style=\"border-collapse:collapse;margin:4px 12px 12px;font:12px monospace\">\n";
      if (!head.empty()) f("<caption style=\"text-align:left;font-weight:bold\">{}</caption>\n", esc(head));
      *out += "<tr>";
      for (const auto& col : s.columns) f("<th style=\"padding:2px 8px;border-bottom:1px solid #2c3235\">{}</th>", esc(col));
      *out += "</tr>\n";
      for (size_t i = 0; i < s.values.size() && i < kMaxRows; i++) {
        *out += "<tr>";
        for (size_t j = 0; j < s.columns.size(); j++) {
          const TableCell c = j < s.values[i].size() ? table_cell(s.values[i][j], j == 0 && s.has_time, o) : TableCell{};
          fmt::format_to(std::back_inserter(*out), "<td style=\"padding:2px 8px;text-align:{}\">{}</td>",
                         c.right ? "right" : "left", esc(c.text));
        }
        *out += "</tr>\n";
      }
      if (s.values.size() > kMaxRows) {
        fmt::format_to(std::back_inserter(*out), "<tr><td colspan=\"{}\">+ {} more rows</td></tr>\n",
                       s.columns.size(), s.values.size() - kMaxRows);
      }
      *out += "</table>\n";
    }
  }
}

}  // namespace

std::string view_svg(const View& v) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg_element(v, "");
}

std::string view_html(const View& v) {
  const std::string name = page_name(v);
  std::string out = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + esc(name) +
                    "</title>\n</head>\n<body style=\"margin:0;background:" + kBackground + ";color:" + kText +
                    ";font-family:" + kFont + "\">\n";
  out += svg_element(v, " style=\"display:block;max-width:100%;height:auto\"");
  const query::Zone zone = zone_of(v);
  for (const PanelView& p : v.panels) {
    auto type = panel_type(p.spec.type);
    if (p.error.empty() && type.ok() && *type == Panel::kTable && first_error(p.results).empty()) {
      html_table(&out, p, zone);
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace tsd::render
