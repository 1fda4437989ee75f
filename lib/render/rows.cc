// Panels of one row per line (spark, bargauge, bar): the label, a part
// drawn by the panel, the last value (internal.h).
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {

std::string value_text(double v, const Options& o) {
  return format_value(v, o.glyphs == Glyphs::kAscii) + (std::isnan(v) ? "" : o.unit);
}

std::string row_panel(const std::vector<Line>& lines, const Options& o,
                      const std::function<std::string(size_t i, double last, int cols)>& middle,
                      const std::function<int(size_t i, double last)>& value_color) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const int width = std::max(o.width, 10);
  std::vector<double> last;
  std::vector<std::string> values;
  int lw = 0, vw = 0;
  for (const Line& l : lines) {
    last.push_back(stats_of(l).last);
    values.push_back(value_text(last.back(), o));
    lw = std::max(lw, display_width(l.label));
    vw = std::max(vw, display_width(values.back()));
  }
  lw = std::min(lw, width / 3);
  const int cols = width - lw - vw - 2;
  const int room = std::max(1, o.height - (o.title.empty() ? 0 : 1));
  std::string out = title_row(o);
  for (size_t i = 0; i < lines.size(); i++) {
    if (static_cast<int>(i) == room) break;
    if (static_cast<int>(i) + 1 == room && i + 1 < lines.size() && room > 1) {
      out += fit("+ " + std::to_string(lines.size() - i) + " more", width, ascii) + "\n";
      break;
    }
    const int color = value_color(i, last[i]);
    out += pad_right(lines[i].label, lw, ascii) + " " + middle(i, last[i], cols) + " ";
    out += paint(pad_left(values[i], vw, ascii), color, color >= 0 && o.color) + "\n";
  }
  return out;
}

}  // namespace tsd::render
