// lib/render: terminal panels drawn from result sets (query/result.h).
//
// Pure functions: a Results (what lib/client answers, or what
// input.h reads from InfluxDB JSON, CSV or line protocol) and Options
// in, text out, one line per terminal row, each ending in '\n'. Nothing
// here looks at a terminal: the caller says the size, whether to use
// colour (isatty and NO_COLOR are its business) and which glyphs the
// terminal can show. Thread-safe.
//
// What is drawn: every numeric column (float, integer, unsigned, boolean
// as 0/1) of every series of every statement is a *line*, labelled
// "measurement.column tag=v tag=v" (as Grafana's default alias; the column
// alone for a series without a name). Strings and nulls are gaps.
//
//   line   a time-series chart: y axis with SI-prefixed labels at 1/2/5
//          steps, time axis in Options::zone, a legend with min, max,
//          mean and last; each plot column shows the min..max of the
//          points that fall in it, so a 1 M point series costs one pass
//          and its spikes stay visible; a null, or a time step over twice
//          the median step, breaks the line.
//   spark  one row per line: label, sparkline (▁..█, the max per column),
//          last value.
//   stat   tiles: label, the last value (threshold colour), a sparkline.
//   gauge  tiles: label, a meter of the last value over [min, max], value.
//   bargauge  one row per line: label, meter coloured by threshold, value.
//   bar    one row per line: label, ▇ bar of the last value, value.
//   table  the result sets as aligned columns, numbers right-aligned.
//   heatmap  a distribution over time: a column per time bucket (the
//          points' median step, at most a column each), a row per value
//          bucket (a 1/2/5 step, labelled with its lower bound), each cell
//          shaded by how many points fell in it (a 256-colour ramp from
//          dark blue to red, else ░▒▓█ or ".:-=+*#%@"); a row under the
//          time axis gives the scale. When every line's label ends in a
//          number (GROUP BY "le", fields bucket_10) the lines are the
//          rows, in that number's order, and a cell shows the sum of its
//          line's values (0 blank). The unit goes with the values.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "query/result.h"
#include "query/zone.h"

namespace tsd::render {

enum class Panel { kLine, kSpark, kStat, kGauge, kBarGauge, kBar, kTable, kHeatmap };

// "line", "spark", "stat", "gauge", "bargauge", "bar", "table", "heatmap".
Result<Panel> parse_panel(std::string_view s);
// A dashboard panel's type: parse_panel's names and Grafana's
// ("timeseries" and "graph" are line, "barchart" bar).
Result<Panel> panel_type(std::string_view s);

// The characters a terminal can show: braille (2x4 dots a cell), block
// elements (▀▄█, 1x2 a cell), or plain ASCII (one point a cell, a
// marker per line).
enum class Glyphs { kBraille, kBlock, kAscii };

struct Options {
  int width = 80;   // columns (at least 20 are used)
  int height = 24;  // rows, title and legend included (at least 5)
  bool color = false;  // ANSI SGR colours
  Glyphs glyphs = Glyphs::kBraille;
  std::string title;  // a first row when not empty
  std::string unit;   // appended to values ("B", "%", "s")
  query::Zone zone;   // time labels (UTC by default)
  // stat, gauge, bargauge: a value >= thresholds[0] is yellow, >=
  // thresholds[1] red, else green (empty: all green).
  std::vector<double> thresholds;
  // gauge, bargauge, bar: the scale (NaN: from the data, 0 included).
  double min = NAN;
  double max = NAN;
  // line, spark, heatmap: the time axis' range in ns (from < to), as a dashboard's
  // time range; else the data's first to last time.
  int64_t from = 0, to = 0;
};

// Draws `panel` over the results. A failed request or statement, or
// results without a number to draw, give a one-line message instead of
// a chart (the caller decides whether that is an error: has_numbers).
std::string render(Panel panel, const query::Results& r, const Options& o);

std::string render_line(const query::Results& r, const Options& o);
std::string render_spark(const query::Results& r, const Options& o);
std::string render_stat(const query::Results& r, const Options& o);
std::string render_gauge(const query::Results& r, const Options& o);
std::string render_bargauge(const query::Results& r, const Options& o);
std::string render_bar(const query::Results& r, const Options& o);
std::string render_table(const query::Results& r, const Options& o);
std::string render_heatmap(const query::Results& r, const Options& o);

}  // namespace tsd::render
