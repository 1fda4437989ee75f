// The bar chart (render.h): a horizontal bar of ▇ per line, as long as
// its last value against the largest magnitude (or Options::max).
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {

std::string render_bar(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  if (lines.empty()) return message_panel("no numeric data to draw", o);
  double top = 0;
  for (const Line& l : lines) {
    const double last = stats_of(l).last;
    if (!std::isnan(last)) top = std::max(top, std::fabs(last));
  }
  if (!std::isnan(o.max) && o.max > 0) top = o.max;
  const bool ascii = o.glyphs == Glyphs::kAscii;
  return row_panel(
      lines, o,
      [&](size_t i, double last, int cols) {
        int n = 0;
        if (!std::isnan(last) && top > 0) {
          n = static_cast<int>(std::lround(std::min(std::fabs(last) / top, 1.0) * cols));
        }
        std::string bar;
        for (int c = 0; c < n; c++) bar += ascii ? "#" : "▇";
        // Something not zero shows, however small.
        if (n == 0 && !std::isnan(last) && last != 0) bar = ascii ? "|" : "▏", n = 1;
        return paint(bar, series_color(i), o.color) + std::string(static_cast<size_t>(cols - n), ' ');
      },
      [](size_t, double) { return -1; });
}

}  // namespace tsd::render
