// Dashboards: Grafana's dashboards in a TOML file (docs/dashboards.md),
// run through lib/client and drawn as a grid of terminal panels.
//
//   parse_dashboard   the file -> Dashboard (a problem in one panel is that
//                     panel's error, drawn inside it; only a file that is
//                     not TOML, or not a dashboard at all, fails whole)
//   run_dashboard     variables resolved (SHOW TAG VALUES, custom lists,
//                     --var), $timeFilter / $__interval / $var replaced as
//                     Grafana's InfluxDB data source does, every panel's
//                     queries run -> View (what a snapshot keeps)
//   draw_view         a View -> the terminal text of the whole dashboard
//   snapshot_json / parse_snapshot   a View to a .snap file and back
//   view_svg / view_html             a View as a self-contained SVG or
//                                    HTML page (svg.cc)
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/client.h"
#include "core/status.h"
#include "query/result.h"
#include "query/zone.h"
#include "render/render.h"

namespace tsd::render {

// -- The file ------------------------------------------------------------------

// A template variable ([[variables]]), as Grafana's.
struct Variable {
  std::string name;
  std::string query;                 // its values: the first column that is not time
  std::string db;                    // of the query (else the dashboard's)
  std::vector<std::string> options;  // a custom list (when there is no query)
  std::string regex;                 // keeps only the values it matches
  bool multi = false;                // several values may be selected
  bool include_all = false;          // "All" is an option
  std::string all_value;             // what All stands for (empty: every value)
  std::vector<std::string> current;  // the default selection ("All", or values)
  std::string error;                 // what is wrong with it in the file
};

// A panel ([[panels]]): where it sits in the 24-column grid, what it runs
// and how it draws.
struct PanelSpec {
  std::string title;
  std::string type = "line";         // a Panel name, or Grafana's ("timeseries", "graph", "barchart")
  std::vector<std::string> queries;  // "query", or "queries" (Grafana's targets)
  std::string db, rp;                // else the dashboard's
  std::string unit;
  // The series' names, as Grafana's alias: $m (or $measurement), $col,
  // $tag_<key>, or [[m]], [[col]], [[tag_<key>]] (empty: measurement.column tags).
  std::string alias;
  std::vector<double> thresholds;
  double min = NAN, max = NAN;
  std::string min_interval;          // the floor of $__interval (else the dashboard's)
  int x = -1, y = -1;                // grid position (-1: placed after the previous panel)
  int w = 24, h = 9;                 // width in 24ths of the screen, height in rows
  std::string error;                 // what is wrong with the panel in the file
};

struct Dashboard {
  std::string source;  // the file's name (for messages)
  std::string title;
  std::string db, rp;  // rp "auto": query::auto_retention_policy per statement
  std::string from = "now-1h", to = "now";
  std::string refresh;             // the --watch period when --watch gives none
  std::string min_interval = "1s";
  std::string timezone;            // of the time axes (else the caller's)
  std::vector<Variable> variables;
  std::vector<PanelSpec> panels;
};

// A malformed file is invalid_argument naming the file, line and column.
Result<Dashboard> parse_dashboard(std::string_view text, const std::string& source);
Result<Dashboard> load_dashboard(const std::string& path);

// -- Time ranges and macros ----------------------------------------------------

// Grafana's time expressions: "now", "now-6h", "now-7d/d" (rounded to the
// unit in `zone`), RFC 3339, "2016-09-06 10:00:00" (in `zone`), or epoch
// milliseconds as Grafana's URLs carry them. `end` rounds "/d" up.
Result<int64_t> parse_time_expr(std::string_view s, int64_t now, const query::Zone& zone, bool end);

// $timeFilter as Grafana's InfluxDB data source writes it: "time >= now() -
// 6h" for a relative range ending now, else "time >= <ms>ms and time <=
// <ms>ms".
std::string time_filter(std::string_view from_raw, std::string_view to_raw, int64_t from,
                        int64_t to);

// $__interval: the range over `points`, rounded as Grafana rounds it
// (10ms, 20ms, 50ms, ... 1s, 2s, 5s, 10s, 15s, 20s, 30s, 1m, ... 1d, 1w,
// 30d, 1y), never below `min`.
int64_t auto_interval(int64_t from, int64_t to, int points, int64_t min);

// -- Running ---------------------------------------------------------------------

// One panel as it was drawn: its data, so that a snapshot draws it again.
struct PanelView {
  PanelSpec spec;                   // queries as run: variables and macros replaced
  query::Results results;           // every query's statements, in order
  std::string error;                // non-empty: drawn as a message in the panel
};

struct View {
  std::string title;
  std::string source;                 // the dashboard file
  std::string from_raw, to_raw;       // as given ("now-6h", "now")
  int64_t from = 0, to = 0;           // ns
  int64_t taken = 0;                  // when the data was read (ns)
  std::string zone;                   // of the time axes ("" UTC)
  std::vector<std::pair<std::string, std::string>> variables;  // name, value shown
  std::vector<PanelView> panels;
  std::string note;                   // a snapshot's title ("2016/09/06 fan-club pre-sale")
};

struct RunOptions {
  // --var name=value, in order (a multi-value variable takes each; "All" or
  // "$__all" selects all).
  std::vector<std::pair<std::string, std::string>> vars;
  std::string from, to;  // override the dashboard's when not empty
  std::string rp;        // overrides the dashboard's when not empty
  int64_t now = 0;       // ns (0: the clock)
  int width = 80;        // the screen's columns: $__interval aims at two points a column
  const std::atomic<bool>* cancel = nullptr;
};

// Runs the dashboard. Never fails as a whole: a variable that cannot be
// resolved, a panel whose query fails or names an unknown variable, keep
// their message in the panel's error. `warnings` gets what concerns no
// panel (a --var for a variable the dashboard does not have).
View run_dashboard(const Dashboard& d, client::Client& c, const RunOptions& o,
                   std::vector<std::string>* warnings);

// -- Drawing ---------------------------------------------------------------------

// The whole dashboard at o.width columns: a header row (title, range,
// variables), then the panels in their grid, each in a box titled with its
// title. The grid says the height; when o.height is over 0 and the grid
// is taller, the panels shrink to fit it. Below 60 columns the panels
// stack, each the full width, as Grafana's narrow layout.
std::string draw_view(const View& v, const Options& o);

// The panels' places on a `width`-column screen: for each panel of
// v.panels, its column, row, width and height in cells; scaled to `height`
// rows when that is over 0 and the grid is taller (none under 3 rows).
struct Place {
  int x = 0, y = 0, w = 0, h = 0;
};
std::vector<Place> layout(const std::vector<PanelView>& panels, int width, int height = 0);

// -- Live ----------------------------------------------------------------------

class LiveScreen;
// tsd-render --watch: draws frame(width, height) on the screen every
// `period_ns` (a resize or the r key at once) until q, Ctrl-C or SIGTERM.
// The frame's last row is a status line (period, how long the draw took,
// the keys); a frame taller than the screen shows the rows that fit, and
// j/k (a row) and space/b (a page) scroll it.
void watch(LiveScreen& screen, int64_t period_ns,
           const std::function<std::string(int width, int height)>& frame);

// -- Snapshots -------------------------------------------------------------------

// A .snap file: JSON with the view, every panel's results as InfluxDB's
// /query JSON (nanosecond epochs).
std::string snapshot_json(const View& v);
Result<View> parse_snapshot(std::string_view text, const std::string& source);
Result<View> load_snapshot(const std::string& path);
// `tsd-render snapshots DIR`: a table of the .snap files in `dir` (not its
// subdirectories), oldest first: file, title, time range (in `zone`),
// panels, when taken. A file that does not read is listed with why.
Result<std::string> list_snapshots(const std::string& dir, const query::Zone& zone, bool ascii);

// -- SVG and HTML (svg.cc) -------------------------------------------------------

// The dashboard as a self-contained SVG document (panels in the same grid,
// 12 pixels a column), or an HTML page holding it.
std::string view_svg(const View& v);
std::string view_html(const View& v);

}  // namespace tsd::render
