// Building blocks shared by the panels of lib/render (not a public API):
// the lines drawn from result sets, value scales and their labels, time
// axes, terminal text (display width, colour) and the dot canvas.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "render/render.h"

namespace tsd::render {

struct Cell;       // dashboard.h
struct PanelView;  // dashboard.h

// -- Lines (lines.cc) ---------------------------------------------------------

// One numeric column of one series: times (ns; the row index when the
// series has no time column) and values (NaN: null or not a number).
struct Line {
  std::string label;
  bool has_time = true;  // t holds times (else row numbers)
  std::vector<int64_t> t;
  std::vector<double> v;
};

struct Stats {
  double min = NAN, max = NAN, mean = NAN, last = NAN;
  size_t count = 0;  // values that are numbers
};

// Every numeric column of every series, in order (see render.h).
std::vector<Line> extract_lines(const query::Results& r);
Stats stats_of(const Line& l);
// Where the lines' finite numbers lie in time and value (any: there is one).
struct Extent {
  bool any = false;
  bool timed = false;  // a line has times (else row numbers)
  int64_t t0 = 0, t1 = 0;
  double lo = 0, hi = 0;
};
Extent extent_of(const std::vector<Line>& lines);
// The same with Options::from..to (a dashboard's range) as the time span
// when it is given and the lines have times: what a chart's x axis spans.
Extent chart_extent(const std::vector<Line>& lines, const Options& o);
// The times between a line's consecutive numbers, where time goes
// forward, appended to *d.
void time_steps(const Line& l, std::vector<int64_t>* d);
// Where a line breaks: twice the median time between its consecutive
// points that are numbers (0, none, when it has fewer than three).
int64_t gap_limit(const Line& l);
// The first error of the results (the request's, else a statement's), or "".
std::string first_error(const query::Results& r);

// A line reduced to `n` columns over [t0, t1] in one pass (a chart costs
// its columns, whatever the number of points): the first, lowest, highest
// and last number of the points in each column, and whether the line
// breaks before it (a null or infinity, or a step over gap_limit). Points
// outside [t0, t1] are left out; when t0 == t1 all go to column n / 2.
struct Column {
  double first = NAN, lo = NAN, hi = NAN, last = NAN;
  bool broken_before = false;  // no segment from the previous used column
  bool used() const { return !std::isnan(first); }
};
std::vector<Column> reduce_columns(const Line& l, int64_t t0, int64_t t1, int n);

// -- Scales and numbers (scale.cc) --------------------------------------------

// Ticks at 1, 2 or 5 times a power of ten covering [lo, hi], at most
// `max_ticks` of them (at least 2); lo and hi are widened to ticks.
// lo == hi is widened around the value first.
struct Scale {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> ticks;
};
Scale nice_scale(double lo, double hi, int max_ticks);

// Axis labels: every tick with one SI prefix (the one of the largest
// magnitude) and the decimals the step needs ("0", "2.5k", "5k").
std::vector<std::string> tick_labels(const Scale& s, bool ascii);
// A y axis label with the unit ("0" goes without).
std::string axis_label(const std::string& label, const Options& o);
// The left of a plot row: `label` right-aligned in `lw` columns, then the
// axis ("┤" beside a label, "│" beside none).
std::string y_axis(const std::string& label, int lw, const Options& o);
// One value for people: three significant digits and an SI prefix
// (1234567 -> "1.23M", 0.5 -> "0.5", 2e-9 -> "2n"; ascii: "u" for µ),
// "-" for NaN.
std::string format_value(double v, bool ascii);

// -- Time axis (timeaxis.cc) --------------------------------------------------

struct TimeTick {
  int64_t t;          // ns, UTC
  std::string label;  // in the zone ("15:04", "01-02", "2024-05", "2024")
};
// Ticks over [t0, t1] at a round step (1 s .. years, in the zone's wall
// clock) chosen so that labels `cols` columns wide in total do not crowd.
std::vector<TimeTick> time_ticks(int64_t t0, int64_t t1, const query::Zone& z, int cols);
// The two rows under a plot `cols` wide starting at column `left`: the
// axis with a mark under each tick (times in the zone, or row numbers
// when not `timed`), and the ticks' labels centred below the marks that
// have room. `column` maps a time to its plot column.
std::string x_axis(bool timed, int64_t t0, int64_t t1, int left, int cols,
                   const std::function<int(int64_t)>& column, const Options& o);
// The ticks of a chart's x axis: time_ticks when `timed`, else row numbers
// at 1/2/5 steps, `cols` columns wide in total.
std::vector<TimeTick> x_ticks(bool timed, int64_t t0, int64_t t1, const query::Zone& z, int cols);
// "2006-01-02 15:04:05" in the zone (fraction of a second when not 0).
std::string format_local_time(int64_t t, const query::Zone& z);
// The same to the second, the fraction dropped: times in headers, for people.
std::string format_local_second(int64_t t, const query::Zone& z);

// -- Terminal text (text.cc) --------------------------------------------------

// Columns a UTF-8 string takes (wide East Asian characters 2, combining 0,
// ANSI colour sequences 0).
int display_width(std::string_view s);
// s cut to `w` columns ("…" or "~" (ascii) marks a cut), or padded with
// spaces to `w` on the right (pad_right) or left (pad_left).
std::string fit(std::string_view s, int w, bool ascii);
std::string pad_right(std::string_view s, int w, bool ascii);
std::string pad_left(std::string_view s, int w, bool ascii);

// ANSI SGR colour codes (the number of "\x1b[<n>m").
inline constexpr int kGreen = 32, kYellow = 33, kRed = 31;
// The colour of the i-th line of a chart (12, then again).
int series_color(size_t i);
// s wrapped in the colour when `on`, else s.
std::string paint(std::string_view s, int color, bool on);
// green, yellow or red by Options::thresholds.
int threshold_color(double v, const std::vector<double>& thresholds);

// A one-line message where a panel has nothing to draw.
std::string message_panel(const std::string& text, const Options& o);
// The title row ("" when there is no title).
std::string title_row(const Options& o);

// The first and last time of the lines' numbers; false when there are none.
bool time_range(const std::vector<Line>& lines, int64_t* t0, int64_t* t1);

// -- Sparklines (spark.cc) ----------------------------------------------------

// `cols` characters of ▁..█ (ascii: "_.-:=+*#") over [t0, t1]: the max
// of each column's points, scaled over the line's min..max (a constant
// line is ▄); a column without a point repeats the one before unless
// the line breaks there (gap_limit, a null), then it is a space.
std::string sparkline(const Line& l, int cols, int64_t t0, int64_t t1, bool ascii);

// -- Row panels (rows.cc) ----------------------------------------------------

// A value as panels print it: format_value and the unit.
std::string value_text(double v, const Options& o);
// One row per line: its label (up to a third of the width), then
// middle(i, last value, cols), then the last value right-aligned (in
// value_color(i, last), none when negative); the rows the height allows,
// the last saying how many were left out.
std::string row_panel(const std::vector<Line>& lines, const Options& o,
                      const std::function<std::string(size_t i, double last, int cols)>& middle,
                      const std::function<int(size_t i, double last)>& value_color);

// -- Heatmaps (heatmap.cc) -------------------------------------------------------

// A heatmap's cells: `rows` plot rows (value buckets at a 1/2/5 step, or
// the lines themselves when their labels all end in numbers, as "le=0.5"),
// `cols` time columns over [e.t0, e.t1]; each cell counts the points that
// fell in it (or sums the lines' values), NaN when none did.
struct Heat {
  int rows = 0, cols = 0;
  std::vector<double> cell;         // row 0 at the top
  std::vector<std::string> labels;  // each row's y label ("": none)
  double lo = NAN, hi = NAN;        // the smallest and largest cell that is not empty
  bool counts = true;               // cells count points (else sum values)
  double at(int row, int col) const { return cell[static_cast<size_t>(row) * cols + col]; }
};
// The y labels alone (their width decides the columns left for cells).
std::vector<std::string> heat_labels(const std::vector<Line>& lines, const Extent& e, int rows, const Options& o);
Heat heat(const std::vector<Line>& lines, const Extent& e, int rows, int cols, const Options& o);

// -- Tables (table.cc) ---------------------------------------------------------

// A cell of a table: times in the zone, numbers as short as they are exact
// with the unit (right-aligned), strings and booleans as they are.
struct TableCell {
  std::string text;
  bool right = false;
};
// The cell of datum `d` (`is_time`: a time column's).
TableCell table_cell(const query::Datum& d, bool is_time, const Options& o);

// -- Gauges (stat.cc) ----------------------------------------------------------

// The scale of gauges and bar gauges: Options::min/max, else from 0 (or
// the lowest number) to a round number at or above the highest.
void gauge_range(const std::vector<Line>& lines, const Options& o, double* lo, double* hi);

// -- Dot canvas (canvas.cc) ---------------------------------------------------

// A grid of cells, each of dots_x * dots_y dots (braille 2x4, block 1x2,
// ascii 1x1); a cell holds the colour (or ascii marker) of the last line
// that set a dot in it.
class Canvas {
 public:
  Canvas(int cols, int rows, Glyphs g);
  int dots_x() const { return dx_; }
  int dots_y() const { return dy_; }
  int width() const { return cols_ * dx_; }
  int height() const { return rows_ * dy_; }
  // Sets the dot at (x, y) (0,0 top left) for line `series`; outside: ignored.
  void set(int x, int y, int series);
  // Sets the dots from (x0, y0) to (x1, y1).
  void line(int x0, int y0, int x1, int y1, int series);
  // Row `r` as text, coloured by series_color when `color`.
  std::string row(int r, bool color) const;

 private:
  int cols_, rows_, dx_, dy_;
  Glyphs g_;
  std::vector<uint8_t> bits_;  // per cell
  std::vector<int> owner_;     // per cell: the last series, -1 none
};

// The marker of line i in ascii charts ('*', '+', 'o', 'x', '#', '@', ...).
char ascii_marker(size_t i);

}  // namespace tsd::render
