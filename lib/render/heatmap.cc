// The heatmap (render.h): a distribution over time, a cell per plot
// column and row, shaded by what fell in it.
//
// Columns are time buckets: as many as the data's median step makes over
// its time range (at most the plot's columns; a bucket wider than a column
// spans several), so sparse data is not drawn as thin stripes. Rows are
// value buckets at a 1/2/5 step, or, when every line's label ends in a
// number (GROUP BY "le", fields bucket_10 ...), the lines themselves in
// the order of that number. One pass over the points fills the cells, so
// drawing costs points + cells.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

// Dark blue to yellow to red (256-colour palette).
constexpr int kRamp[] = {18, 20, 26, 32, 37, 78, 148, 220, 208, 196};
constexpr const char* kShades[] = {"░", "▒", "▓", "█"};
constexpr char kAsciiShades[] = ".:-=+*#%@";

// How many shades a cell with something in it can take.
int levels(const Options& o) {
  if (o.color) return static_cast<int>(std::size(kRamp));
  return o.glyphs == Glyphs::kAscii ? static_cast<int>(sizeof(kAsciiShades) - 1) : static_cast<int>(std::size(kShades));
}

// A cell of that level (its colour apart): in colour one block for all.
std::string shade(int level, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  if (o.color) return ascii ? "#" : "█";
  return ascii ? std::string(1, kAsciiShades[level]) : kShades[level];
}

// Time buckets: n of equal width over [t0, t1], drawn over the columns
// c with c * n / cols == b (a time's column is in its bucket's).
struct TimeBuckets {
  int64_t t0, t1;
  int n, cols;
  // Where t is across the range, in [0, 1).
  double at(int64_t t) const { return static_cast<double>(t - t0) / (static_cast<double>(t1 - t0) + 1); }
  int of(int64_t t) const { return std::clamp(static_cast<int>(at(t) * n), 0, n - 1); }
  int column(int64_t t) const { return std::clamp(static_cast<int>(at(t) * cols), 0, cols - 1); }
};

// The median time between consecutive numbers of the lines (0: none).
int64_t median_step(const std::vector<Line>& lines) {
  std::vector<int64_t> d;
  for (const Line& l : lines) time_steps(l, &d);
  if (d.empty()) return 0;
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return d[d.size() / 2];
}

TimeBuckets time_buckets(const std::vector<Line>& lines, int64_t t0, int64_t t1, int cols) {
  const int64_t step = median_step(lines);
  int n = 1;
  if (step > 0 && t1 > t0) {
    // A median step under the range's column width gives a bucket a column.
    const int64_t span = t1 - t0;
    n = span / step >= cols ? cols : static_cast<int>(span / step) + 1;
  }
  return {t0, t1, std::min(n, cols), cols};
}

// The number a label ends in: its last word after ' ', '=', '_' or ':'
// ("le=0.5", "bucket_10", "+Inf"), NaN when that is not a number.
double trailing_number(const std::string& label) {
  const size_t from = label.find_last_of(" =_:") + 1;  // npos + 1 is 0
  std::string_view word = std::string_view(label).substr(from);
  if (!word.empty() && word[0] == '+') word.remove_prefix(1);
  double v = NAN;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (word.empty() || ec != std::errc() || end != word.data() + word.size()) return NAN;
  return v;
}

// The rows: value buckets or lines, and how the plot's rows show them.
struct YBuckets {
  int n = 0;                        // buckets, 0 the lowest
  bool counts = true;               // cells count points (else sum the lines' values)
  double step = 1, k0 = 0;          // counts: bucket b is [(k0 + b) * step, + step)
  std::vector<int> line_row;        // else: line i's bucket
  std::vector<int> row_of;          // a plot row's (top first) bucket, -1 blank
  std::vector<std::string> labels;  // a plot row's y label
  int of(size_t line, double v) const {
    if (!counts) return line_row[line];
    return static_cast<int>(std::clamp(std::floor(v / step + 1e-9) - k0, 0.0, n - 1.0));
  }
};

// Value buckets: the 1/2/5 step that puts the values on at most `rows`
// buckets, the buckets above the values filling the rest. A row is
// labelled with its lower bound, every j-th one (j = 1, 2, 5, 10 ...).
YBuckets value_buckets(double lo, double hi, int rows, const Options& o) {
  const Scale s = nice_scale(lo, hi, rows);
  YBuckets y;
  y.n = rows;
  y.step = s.step;
  y.k0 = std::round(s.lo / s.step);
  y.row_of.resize(static_cast<size_t>(rows));
  y.labels.resize(static_cast<size_t>(rows));
  const double max_labels = std::clamp(rows / 2 + 1, 2, 8);
  double j = 1;
  for (double m = 1; std::ceil(rows / j) > max_labels; m *= 10) {
    for (double f : {2.0, 5.0, 10.0}) {
      if (std::ceil(rows / (j = f * m)) <= max_labels) break;
    }
  }
  Scale shown{s.lo, s.lo + rows * s.step, s.step * j, {}};
  std::vector<size_t> at;
  for (int b = 0; b < rows; b++) {
    const size_t pr = static_cast<size_t>(rows - 1 - b);
    y.row_of[pr] = b;
    if (std::fmod(y.k0 + b, j) == 0) shown.ticks.push_back((y.k0 + b) * s.step), at.push_back(pr);
  }
  const std::vector<std::string> text = tick_labels(shown, o.glyphs == Glyphs::kAscii);
  for (size_t k = 0; k < at.size(); k++) y.labels[at[k]] = axis_label(text[k], o);
  return y;
}

// The lines as buckets (`bound`: their labels' numbers), the lowest
// number at the bottom, each `per` rows high (the rows left over stay
// blank at the top) and labelled with its number on its top row; when
// there are more lines than rows, neighbours share a row, labelled with
// the highest.
YBuckets line_buckets(const std::vector<double>& bound, int rows, const Options& o) {
  std::vector<size_t> order(bound.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bound[a] < bound[b]; });
  const int lines = static_cast<int>(bound.size());
  YBuckets y;
  y.n = std::min(lines, rows);
  y.counts = false;
  y.line_row.resize(bound.size());
  y.row_of.assign(static_cast<size_t>(rows), -1);
  y.labels.resize(static_cast<size_t>(rows));
  const int per = rows / y.n;
  for (int k = 0; k < lines; k++) {
    const size_t i = order[static_cast<size_t>(k)];
    const int b = k * y.n / lines;
    y.line_row[i] = b;
    y.labels[static_cast<size_t>(rows - (b + 1) * per)] = format_value(bound[i], o.glyphs == Glyphs::kAscii);
  }
  for (int r = 0; r < y.n * per; r++) y.row_of[static_cast<size_t>(rows - 1 - r)] = r / per;
  return y;
}

// The cells, bucket 0 at the bottom: what fell in each (NaN: nothing).
struct Grid {
  int rows, cols;
  std::vector<double> cell;
  Grid(const std::vector<Line>& lines, const YBuckets& y, const TimeBuckets& x)
      : rows(y.n), cols(x.n), cell(static_cast<size_t>(rows) * cols, NAN) {
    for (size_t i = 0; i < lines.size(); i++) {
      const Line& l = lines[i];
      for (size_t k = 0; k < l.v.size(); k++) {
        if (!std::isfinite(l.v[k]) || l.t[k] < x.t0 || l.t[k] > x.t1) continue;  // (x: Options' range)
        double& c = cell[static_cast<size_t>(y.of(i, l.v[k])) * cols + x.of(l.t[k])];
        c = (std::isnan(c) ? 0 : c) + (y.counts ? 1 : l.v[k]);
      }
    }
    // Lines summing to 0 leave a cell blank, as Grafana hides empty buckets.
    if (!y.counts) std::replace(cell.begin(), cell.end(), 0.0, static_cast<double>(NAN));
  }
  double at(int row, int col) const { return cell[static_cast<size_t>(row) * cols + col]; }
};

// The shade of v: lo..hi over `n` levels, all at the top when lo == hi.
int level_of(double v, double lo, double hi, int n) {
  if (!(hi > lo)) return n - 1;
  return std::clamp(static_cast<int>(std::lround((v - lo) / (hi - lo) * (n - 1))), 0, n - 1);
}

// Shades, -1 for blank, as text; colour runs share one escape.
std::string shades(const std::vector<int>& level, const Options& o) {
  std::string out;
  int open = -1;  // the level whose colour is on
  for (int l : level) {
    if (o.color && l != open) {
      if (open >= 0) out += "\x1b[0m";
      if (l >= 0) out += "\x1b[38;5;" + std::to_string(kRamp[l]) + "m";
      open = l;
    }
    out += l < 0 ? " " : shade(l, o);
  }
  if (open >= 0) out += "\x1b[0m";
  return out;
}

// The scale under the time axis: "[count] lo <every shade> hi", under
// the plot when it fits.
std::string scale_row(bool counts, double lo, double hi, int left, int width, const Options& o) {
  if (std::isnan(lo)) return "";
  const bool ascii = o.glyphs == Glyphs::kAscii;
  auto text = [&](double v) { return counts ? format_value(v, ascii) : value_text(v, o); };
  std::vector<int> all(static_cast<size_t>(levels(o)));
  for (size_t k = 0; k < all.size(); k++) all[k] = static_cast<int>(k);
  std::string row = (counts ? "count " : "") + text(lo) + " " + shades(all, o) + " " + text(hi);
  if (display_width(row) > width) return fit(text(lo) + ".." + text(hi), width, ascii);
  return std::string(static_cast<size_t>(std::clamp(width - display_width(row), 0, left)), ' ') + row;
}

}  // namespace

namespace {

// The rows of a heatmap over the lines: value buckets, or the lines
// themselves when their labels all end in numbers.
YBuckets heat_rows(const std::vector<Line>& lines, const Extent& e, int rows, const Options& o) {
  std::vector<double> bound;
  for (const Line& l : lines) {
    if (lines.size() < 2 || std::isnan(bound.emplace_back(trailing_number(l.label)))) {
      bound.clear();
      break;
    }
  }
  return bound.empty() ? value_buckets(e.lo, e.hi, rows, o) : line_buckets(bound, rows, o);
}

}  // namespace

std::vector<std::string> heat_labels(const std::vector<Line>& lines, const Extent& e, int rows, const Options& o) {
  return heat_rows(lines, e, rows, o).labels;
}

Heat heat(const std::vector<Line>& lines, const Extent& e, int rows, int cols, const Options& o) {
  const YBuckets y = heat_rows(lines, e, rows, o);
  const TimeBuckets x = time_buckets(lines, e.t0, e.t1, cols);
  const Grid g(lines, y, x);
  Heat h;
  h.rows = rows;
  h.cols = cols;
  h.counts = y.counts;
  h.labels = y.labels;
  h.cell.assign(static_cast<size_t>(rows) * cols, NAN);
  for (int pr = 0; pr < rows; pr++) {
    const int b = y.row_of[static_cast<size_t>(pr)];
    for (int c = 0; b >= 0 && c < cols; c++) {
      const double v = g.at(b, c * x.n / cols);
      h.cell[static_cast<size_t>(pr) * cols + c] = v;
      if (std::isnan(v)) continue;
      h.lo = std::isnan(h.lo) ? v : std::min(h.lo, v);
      h.hi = std::isnan(h.hi) ? v : std::max(h.hi, v);
    }
  }
  return h;
}

std::string render_heatmap(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  const Extent e = chart_extent(lines, o);
  if (!e.any) return message_panel("no numeric data to draw", o);

  const int width = std::max(o.width, 12), height = std::max(o.height, 5);
  const int rows = height - (o.title.empty() ? 0 : 1) - 3;  // the time axis, its labels, the scale
  int lw = 0;
  for (const auto& l : heat_labels(lines, e, rows, o)) lw = std::max(lw, display_width(l));
  lw = std::min(lw, width / 2);
  const int cols = width - lw - 2;
  const Heat h = heat(lines, e, rows, cols, o);

  std::string out = title_row(o);
  std::vector<int> level(static_cast<size_t>(cols));
  for (int pr = 0; pr < rows; pr++) {
    for (int c = 0; c < cols; c++) {
      const double v = h.at(pr, c);
      level[static_cast<size_t>(c)] = std::isnan(v) ? -1 : level_of(v, h.lo, h.hi, levels(o));
    }
    out += y_axis(h.labels[static_cast<size_t>(pr)], lw, o) + shades(level, o) + "\n";
  }
  const TimeBuckets x{e.t0, e.t1, cols, cols};
  out += x_axis(e.timed, e.t0, e.t1, lw + 2, cols, [&](int64_t t) { return x.column(t); }, o);
  out += scale_row(h.counts, h.lo, h.hi, lw + 2, width, o) + "\n";
  return out;
}

}  // namespace tsd::render
