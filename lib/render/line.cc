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

}  // namespace

std::string render_line(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  const bool ascii = o.glyphs == Glyphs::kAscii;
  Extent e;
  const bool any = extent_of(lines, &e);
  const int64_t t0 = e.t0, t1 = e.t1;
  const bool timed = e.timed;
  if (!any) return message_panel("no numeric data to draw", o);

  const int width = std::max(o.width, 20), height = std::max(o.height, 5);
  const int title = o.title.empty() ? 0 : 1;
  const int avail = height - title - 2;  // the x axis and its labels
  const int legend_rows = std::min(static_cast<int>(lines.size()) + 1, std::max(0, avail - 3));
  const int rows = avail - legend_rows;

  const Scale s = nice_scale(e.lo, e.hi, std::clamp(rows / 2 + 1, 2, 8));
  const std::vector<std::string> labels = tick_labels(s, ascii);
  int lw = 0;
  for (const auto& l : labels) lw = std::max(lw, display_width(l == "0" ? l : l + o.unit));
  const int cols = width - lw - 2;

  Canvas cv(cols, rows, o.glyphs);
  const Mapping m{t0, t1, s.lo, s.hi, cv.width(), cv.height()};
  for (size_t i = 0; i < lines.size(); i++) {
    draw(reduce_columns(lines[i], t0, t1, m.w), m, static_cast<int>(i), &cv);
  }

  // The y axis: a label on the row of each tick.
  std::vector<std::string> row_label(static_cast<size_t>(rows));
  for (size_t k = 0; k < s.ticks.size(); k++) {
    const int row = m.y(s.ticks[k]) / cv.dots_y();
    if (row >= 0 && row < rows && row_label[static_cast<size_t>(row)].empty()) {
      row_label[static_cast<size_t>(row)] = labels[k] == "0" ? labels[k] : labels[k] + o.unit;
    }
  }
  std::string out = title_row(o);
  for (int r = 0; r < rows; r++) {
    const std::string& lab = row_label[static_cast<size_t>(r)];
    out += pad_left(lab, lw, ascii) + " ";
    out += lab.empty() ? (ascii ? "|" : "│") : (ascii ? "+" : "┤");
    out += cv.row(r, o.color) + "\n";
  }

  // The x axis: a mark under each tick, its label centred below.
  const std::vector<TimeTick> ticks = x_ticks(timed, t0, t1, o.zone, cols * 2 / 3);
  std::string axis(static_cast<size_t>(lw + 1), ' ');
  axis += ascii ? "+" : "└";
  std::vector<bool> mark(static_cast<size_t>(cols), false);
  for (const auto& t : ticks) mark[static_cast<size_t>(std::clamp(m.x(t.t) / cv.dots_x(), 0, cols - 1))] = true;
  for (int c = 0; c < cols; c++) axis += mark[static_cast<size_t>(c)] ? (ascii ? "+" : "┬") : (ascii ? "-" : "─");
  out += axis + "\n";
  std::string under(static_cast<size_t>(width), ' ');
  int end = 0;  // the first free column of `under`
  for (const auto& t : ticks) {
    const int len = static_cast<int>(t.label.size());
    const int at = lw + 2 + m.x(t.t) / cv.dots_x();
    const int start = std::clamp(at - len / 2, 0, width - len);
    if (start < end) continue;
    under.replace(static_cast<size_t>(start), static_cast<size_t>(len), t.label);
    end = start + len + 1;
  }
  while (!under.empty() && under.back() == ' ') under.pop_back();
  out += under + "\n";
  for (const auto& l : legend(lines, legend_rows, o)) out += l + "\n";
  return out;
}

}  // namespace tsd::render
