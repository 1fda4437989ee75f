// The time-series line chart (render.h): y axis, dot canvas, time axis,
// legend.
//
// Each line is first reduced to the canvas' dot columns (the min, max,
// first and last dot of the points in a column, and whether the line
// broke before it), in one pass over its points; drawing then costs
// columns x rows, whatever the number of points. A line breaks at a null
// and where the time between two points is over twice the median step.
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

struct Mapping {
  int64_t t0, t1;
  double lo, hi;
  int w, h;  // dots
  int x(int64_t t) const {
    if (t1 == t0) return w / 2;
    return static_cast<int>(std::lround(static_cast<double>(t - t0) / static_cast<double>(t1 - t0) * (w - 1)));
  }
  int y(double v) const {
    return static_cast<int>(std::lround((hi - v) / (hi - lo) * (h - 1)));
  }
};

// Draws the columns of a line (reduce_columns over the canvas' dot
// columns): each column's min..max, joined to the one before unless the
// line breaks there.
void draw(const std::vector<Column>& cols, const Mapping& m, int series, Canvas* cv) {
  auto y = [&](double v) { return std::clamp(m.y(v), 0, m.h - 1); };
  int prev = -1, prev_y = 0;
  for (int x = 0; x < static_cast<int>(cols.size()); x++) {
    const Column& c = cols[static_cast<size_t>(x)];
    if (!c.used()) continue;
    if (prev >= 0 && !c.broken_before) cv->line(prev, prev_y, x, y(c.first), series);
    cv->line(x, y(c.lo), x, y(c.hi), series);
    prev = x;
    prev_y = y(c.last);
  }
}

// The legend: a header and a row per line (as many as `rows` allow; the
// last says how many more there are). Narrow charts show fewer columns:
// min, max, mean and last; max and last; last.
std::vector<std::string> legend(const std::vector<Line>& lines, int rows, const Options& o) {
  std::vector<std::string> out;
  if (rows < 2) return out;
  const bool ascii = o.glyphs == Glyphs::kAscii;
  constexpr int kNum = 9;
  int longest = 0;
  for (const Line& l : lines) longest = std::max(longest, display_width(l.label));
  static const std::vector<int> kSets[] = {{0, 1, 2, 3}, {1, 3}, {3}};
  const std::vector<int>* set = &kSets[2];
  for (const auto& s : kSets) {
    if (o.width - 2 - kNum * static_cast<int>(s.size()) >= std::min(longest, 16)) {
      set = &s;
      break;
    }
  }
  const int label_w = std::max(4, o.width - 2 - kNum * static_cast<int>(set->size()));
  static constexpr const char* kNames[] = {"min", "max", "mean", "last"};
  std::string head = std::string(2, ' ') + pad_right("", label_w, ascii);
  for (int k : *set) head += pad_left(kNames[k], kNum, ascii);
  out.push_back(fit(head, o.width, ascii));
  const size_t shown = std::min(lines.size(), static_cast<size_t>(rows - 1));
  for (size_t i = 0; i < shown; i++) {
    if (i + 1 == shown && shown < lines.size()) {
      out.push_back(fit("  + " + std::to_string(lines.size() - i) + " more", o.width, ascii));
      break;
    }
    const Stats st = stats_of(lines[i]);
    const double v[] = {st.min, st.max, st.mean, st.last};
    std::string marker = ascii ? std::string(1, ascii_marker(i)) : "■";
    std::string row = paint(marker, series_color(i), o.color) + " " + pad_right(lines[i].label, label_w, ascii);
    for (int k : *set) row += pad_left(value_text(v[k], o), kNum, ascii);
    out.push_back(row);
  }
  return out;
}

// The legend in at most `rows` rows: "■ label last" entries side by side,
// the last entry of the last row saying how many did not fit.
std::vector<std::string> compact_legend(const std::vector<Line>& lines, int rows, const Options& o) {
  std::vector<std::string> out;
  if (rows < 1) return out;
  const bool ascii = o.glyphs == Glyphs::kAscii;
  std::string row;
  int used = 0;
  for (size_t i = 0; i < lines.size(); i++) {
    const std::string marker = ascii ? std::string(1, ascii_marker(i)) : "■";
    const std::string text = " " + lines[i].label + " " + value_text(stats_of(lines[i]).last, o);
    const int w = 1 + display_width(text) + 2;
    const std::string more = "+" + std::to_string(lines.size() - i) + " more";
    const bool last_row = static_cast<int>(out.size()) + 1 == rows;
    // The room this entry needs: on the last row, also that of "+N more"
    // unless it is the last entry.
    const int need = w + (last_row && i + 1 < lines.size() ? 8 : 0);
    if (used > 0 && used + need > o.width) {
      if (last_row) {
        out.push_back(row + more);
        return out;
      }
      out.push_back(row);
      row.clear();
      used = 0;
    }
    row += paint(marker, series_color(i), o.color) + fit(text, o.width - 1 - used, ascii) + "  ";
    used += w;
  }
  while (!row.empty() && row.back() == ' ') row.pop_back();
  out.push_back(row);
  return out;
}

}  // namespace

std::string render_line(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const Extent e = chart_extent(lines, o);
  if (!e.any) return message_panel("no numeric data to draw", o);

  const int width = std::max(o.width, 12), height = std::max(o.height, 5);
  const int title = o.title.empty() ? 0 : 1;
  const int avail = height - title - 2;  // the x axis and its labels
  // The legend as a table when it fits whole beside three rows of chart,
  // else as a list of "■ label last" wrapped over what is left.
  const int free_rows = std::max(0, avail - 3);
  const bool table = static_cast<int>(lines.size()) + 1 <= free_rows;
  const std::vector<std::string> legend_text =
      table ? legend(lines, free_rows, o) : compact_legend(lines, std::min(2, free_rows), o);
  const int rows = avail - static_cast<int>(legend_text.size());

  const Scale s = nice_scale(e.lo, e.hi, std::clamp(rows / 2 + 1, std::min(3, rows), 8));
  const std::vector<std::string> labels = tick_labels(s, ascii);
  int lw = 0;
  for (const auto& l : labels) lw = std::max(lw, display_width(axis_label(l, o)));
  const int cols = width - lw - 2;

  Canvas cv(cols, rows, o.glyphs);
  const Mapping m{e.t0, e.t1, s.lo, s.hi, cv.width(), cv.height()};
  for (size_t i = 0; i < lines.size(); i++) {
    draw(reduce_columns(lines[i], e.t0, e.t1, m.w), m, static_cast<int>(i), &cv);
  }

  // The y axis: a label on the row of each tick.
  std::vector<std::string> row_label(static_cast<size_t>(rows));
  for (size_t k = 0; k < s.ticks.size(); k++) {
    const int row = m.y(s.ticks[k]) / cv.dots_y();
    if (row >= 0 && row < rows && row_label[static_cast<size_t>(row)].empty()) {
      row_label[static_cast<size_t>(row)] = axis_label(labels[k], o);
    }
  }
  std::string out = title_row(o);
  for (int r = 0; r < rows; r++) {
    out += y_axis(row_label[static_cast<size_t>(r)], lw, o) + cv.row(r, o.color) + "\n";
  }

  out += x_axis(e.timed, e.t0, e.t1, lw + 2, cols, [&](int64_t t) { return m.x(t) / cv.dots_x(); }, o);
  for (const auto& l : legend_text) out += l + "\n";
  return out;
}

}  // namespace tsd::render
