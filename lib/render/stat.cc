// Single-value panels (render.h): stat tiles, gauge tiles, bar gauges.
// Each shows a line's last number, coloured by Options::thresholds.
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr int kTileWidth = 20;

// Tiles of `tile_rows` rows each, as many across as fit (at least
// kTileWidth columns each), rows of tiles one blank row apart, as many as
// the height allows (the last tile says how many were left out).
struct TileGrid {
  int across, tw;
  size_t bands;
};

TileGrid tile_grid(size_t n, int tile_rows, const Options& o) {
  const int width = std::max(o.width, 10);  // (a narrow dashboard panel: one tile)
  const int across = std::clamp(width / kTileWidth, 1, static_cast<int>(std::max<size_t>(n, 1)));
  const int room = std::max(o.height, 5) - (o.title.empty() ? 0 : 1);
  return {across, width / across, std::max<size_t>(1, static_cast<size_t>((room + 1) / (tile_rows + 1)))};
}

// Whether every line gets a tile; when not, the panels draw a row per
// line instead (a panel of "+ N more" tiles says little).
bool tiles_fit(size_t n, int tile_rows, const Options& o) {
  const TileGrid g = tile_grid(n, tile_rows, o);
  return n <= g.bands * static_cast<size_t>(g.across);
}

std::string tiles(const std::vector<Line>& lines, int tile_rows, const Options& o,
                  std::vector<std::string> (*tile)(const Line&, int w, const Options& o)) {
  const auto [across, tw, bands] = tile_grid(lines.size(), tile_rows, o);
  std::string out = title_row(o);
  for (size_t band = 0; band * across < lines.size() && band < bands; band++) {
    if (band > 0) out += "\n";
    std::vector<std::string> rows(static_cast<size_t>(tile_rows));
    for (size_t k = 0; k < static_cast<size_t>(across); k++) {
      const size_t i = band * across + k;
      if (i >= lines.size()) break;
      std::vector<std::string> t;
      if (band + 1 == bands && k + 1 == static_cast<size_t>(across) && i + 1 < lines.size()) {
        t = {"+ " + std::to_string(lines.size() - i) + " more"};
      } else {
        t = tile(lines[i], tw - 1, o);
      }
      t.resize(static_cast<size_t>(tile_rows));
      for (size_t r = 0; r < rows.size(); r++) {
        // The last tile of a row is not padded (no trailing spaces).
        const bool last = k + 1 == static_cast<size_t>(across) || i + 1 == lines.size();
        rows[r] += t[r];
        if (!last) rows[r] += std::string(static_cast<size_t>(std::max(0, tw - display_width(t[r]))), ' ');
      }
    }
    for (auto& r : rows) {
      while (!r.empty() && r.back() == ' ') r.pop_back();
      out += r + "\n";
    }
  }
  return out;
}

std::vector<std::string> stat_tile(const Line& l, int w, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const Stats st = stats_of(l);
  const std::string value = value_text(st.last, o);
  const int color = threshold_color(st.last, o.thresholds);
  std::string big = o.color ? "\x1b[1;" + std::to_string(color) + "m" + fit(value, w, ascii) + "\x1b[0m"
                            : fit(value, w, ascii);
  int64_t t0 = 0, t1 = 0;
  time_range({l}, &t0, &t1);
  return {fit(l.label, w, ascii), big, paint(sparkline(l, w, t0, t1, ascii), color, o.color)};
}

// `cols` cells of a meter filled to v over [lo, hi]: █ and ░ (ascii # and
// .); with `gradient` each filled cell in the threshold colour of the
// value where it is, else all in the colour of v.
std::string meter(double v, double lo, double hi, int cols, bool gradient, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const double frac = std::isnan(v) ? 0 : std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
  const int filled = static_cast<int>(std::lround(frac * cols));
  std::string out;
  for (int c = 0; c < filled;) {
    const int color = gradient ? threshold_color(lo + (hi - lo) * (c + 0.5) / cols, o.thresholds)
                               : threshold_color(v, o.thresholds);
    std::string run;
    for (; c < filled && (gradient ? threshold_color(lo + (hi - lo) * (c + 0.5) / cols, o.thresholds) : color) == color; c++) {
      run += ascii ? "#" : "█";
    }
    out += paint(run, color, o.color);
  }
  std::string rest;
  for (int c = filled; c < cols; c++) rest += ascii ? "." : "░";
  return out + rest;
}

Options with_range(const std::vector<Line>& lines, const Options& o) {
  Options r = o;
  gauge_range(lines, o, &r.min, &r.max);
  return r;
}

std::vector<std::string> gauge_tile(const Line& l, int w, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const Stats st = stats_of(l);
  const std::string value = value_text(st.last, o);
  const std::string lo = format_value(o.min, ascii), hi = format_value(o.max, ascii);
  // min at the left, the value in the middle, max at the right.
  const int vw = display_width(value);
  const int gap = w - display_width(lo) - display_width(hi) - vw;
  std::string scale;
  if (gap >= 2) {
    scale = lo + std::string(static_cast<size_t>(gap / 2), ' ') +
            paint(value, threshold_color(st.last, o.thresholds), o.color) +
            std::string(static_cast<size_t>(gap - gap / 2), ' ') + hi;
  } else {
    scale = paint(fit(value, w, ascii), threshold_color(st.last, o.thresholds), o.color);
  }
  return {fit(l.label, w, ascii), meter(st.last, o.min, o.max, w, false, o), scale};
}

}  // namespace

void gauge_range(const std::vector<Line>& lines, const Options& o, double* lo, double* hi) {
  double dmin = 0, dmax = 0;
  for (const Line& l : lines) {
    const Stats st = stats_of(l);
    if (st.count == 0) continue;
    dmin = std::min(dmin, st.min);
    dmax = std::max(dmax, st.max);
  }
  *lo = std::isnan(o.min) ? dmin : o.min;
  *hi = std::isnan(o.max) ? nice_scale(*lo, std::max(dmax, *lo), 5).hi : o.max;
  if (!(*hi > *lo)) *hi = *lo + 1;
}

std::string render_stat(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  if (lines.empty()) return message_panel("no numeric data to draw", o);
  if (!tiles_fit(lines.size(), 3, o)) {
    const bool ascii = o.glyphs == Glyphs::kAscii;
    return row_panel(
        lines, o,
        [&](size_t i, double last, int cols) {
          int64_t t0 = 0, t1 = 0;
          time_range({lines[i]}, &t0, &t1);
          return paint(sparkline(lines[i], cols, t0, t1, ascii), threshold_color(last, o.thresholds), o.color);
        },
        [&](size_t, double last) { return threshold_color(last, o.thresholds); });
  }
  return tiles(lines, 3, o, stat_tile);
}

std::string render_gauge(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  if (lines.empty()) return message_panel("no numeric data to draw", o);
  if (!tiles_fit(lines.size(), 3, o)) return render_bargauge(r, o);
  return tiles(lines, 3, with_range(lines, o), gauge_tile);
}

std::string render_bargauge(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  if (lines.empty()) return message_panel("no numeric data to draw", o);
  const Options g = with_range(lines, o);
  return row_panel(
      lines, o, [&](size_t, double last, int cols) { return meter(last, g.min, g.max, cols, true, g); },
      [&](size_t, double last) { return threshold_color(last, o.thresholds); });
}

}  // namespace tsd::render
