// Dashboards (render/dashboard.h): the file, Grafana's time expressions and
// macros, variables, the grid, drawing, snapshots. Queries go to a fake
// client that records them and answers from a table.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <map>

#include "core/file.h"
#include "core/time.h"
#include "render/dashboard.h"

namespace tsd::render {
namespace {

using query::Results;
using query::Series;

constexpr int64_t kNow = 1473156000000000000;  // 2016-09-06T10:00:00Z, a Tuesday

// Answers each query from `answers` by a substring of it (the first that
// matches), else an empty result; remembers every query it ran.
class FakeClient : public client::Client {
 public:
  std::vector<std::pair<std::string, Results>> answers;
  std::vector<std::string> ran;
  std::vector<std::string> dbs;

  Results query(std::string_view statements, const client::QueryOptions& o) override {
    ran.emplace_back(statements);
    dbs.push_back(o.db + "/" + o.rp);
    for (const auto& [key, r] : answers) {
      if (statements.find(key) != std::string_view::npos) return r;
    }
    Results r;
    r.results.emplace_back();
    return r;
  }
  Status write(std::string_view, const client::WriteOptions&) override { return Status::ok_status(); }
};

Results tag_values(const std::vector<std::string>& values) {
  Results r;
  r.results.emplace_back();
  Series s;
  s.name = "cpu";
  s.columns = {"key", "value"};
  for (const auto& v : values) s.values.push_back({std::string("host"), v});
  r.results.back().series.push_back(s);
  return r;
}

Results points(const std::string& name, const std::vector<double>& v, int64_t t0, int64_t step) {
  Results r;
  r.results.emplace_back();
  Series s;
  s.name = name;
  s.columns = {"time", "mean"};
  s.has_time = true;
  for (size_t i = 0; i < v.size(); i++) s.values.push_back({t0 + static_cast<int64_t>(i) * step, v[i]});
  r.results.back().series.push_back(s);
  return r;
}

Results failed(const std::string& e) {
  Results r;
  r.results.emplace_back();
  r.results.back().error = e;
  return r;
}

Dashboard parse(const std::string& text) {
  auto d = parse_dashboard(text, "d.toml");
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : Dashboard();
}

RunOptions at_now() {
  RunOptions o;
  o.now = kNow;
  o.width = 120;
  return o;
}

// -- The file --------------------------------------------------------------------

TEST(RenderDashboardFile, Reads) {
  Dashboard d = parse(R"T(
title = "MySQL"
database = "mon"
rp = "auto"
from = "now-6h"
min_interval = "10s"
[[variables]]
name = "host"
query = 'SHOW TAG VALUES WITH KEY = "host"'
multi = true
include_all = true
default = ["db1", "db2"]
[[panels]]
title = "QPS"
query = "SELECT 1"
type = "timeseries"
w = 12
h = 10
thresholds = [1, 2.5]
[[panels]]
queries = ["SELECT a", "SELECT b"]
type = "stat"
unit = "%"
min = 0
max = 100
)T");
  EXPECT_EQ(d.title, "MySQL");
  EXPECT_EQ(d.db, "mon");
  EXPECT_EQ(d.rp, "auto");
  EXPECT_EQ(d.from, "now-6h");
  EXPECT_EQ(d.to, "now");
  ASSERT_EQ(d.variables.size(), 1u);
  EXPECT_TRUE(d.variables[0].multi && d.variables[0].include_all);
  EXPECT_EQ(d.variables[0].current, (std::vector<std::string>{"db1", "db2"}));
  ASSERT_EQ(d.panels.size(), 2u);
  EXPECT_EQ(d.panels[0].w, 12);
  EXPECT_EQ(d.panels[0].h, 10);
  EXPECT_EQ(d.panels[0].thresholds, (std::vector<double>{1, 2.5}));
  EXPECT_EQ(d.panels[0].error, "");
  EXPECT_EQ(d.panels[1].queries, (std::vector<std::string>{"SELECT a", "SELECT b"}));
  EXPECT_EQ(d.panels[1].max, 100);
}

TEST(RenderDashboardFile, WholeFileErrors) {
  auto e = [](const std::string& text) {
    auto d = parse_dashboard(text, "d.toml");
    return d.ok() ? std::string("ok") : d.status().message();
  };
  EXPECT_EQ(e("title = \"x\nfrom = 1\n"), "d.toml:1:11: Error while parsing string: unescaped control characters other than TAB (U+0009) are explicitly prohibited");
  EXPECT_EQ(e("titel = \"x\"\n[[panels]]\nquery = \"SELECT 1\"\n"), "d.toml:1: dashboard: unknown key \"titel\"");
  EXPECT_EQ(e("from = 6\n[[panels]]\nquery = \"SELECT 1\"\n"), "d.toml:1: dashboard: \"from\" must be a string");
  EXPECT_EQ(e("title = \"x\"\n"), "d.toml: no [[panels]]: nothing to draw");
  EXPECT_EQ(e("panels = 3\n"), "d.toml:1: \"panels\" must be tables: [[panels]]");
}

TEST(RenderDashboardFile, PanelAndVariableErrorsStayWithThem) {
  Dashboard d = parse(R"T(
[[variables]]
query = "SHOW TAG VALUES WITH KEY = host"
[[variables]]
name = "a"
values = ["x"]
[[variables]]
name = "a"
values = ["y"]
[[panels]]
query = "SELECT 1"
type = "pie"
[[panels]]
query = "SELECT 1"
qurey = "x"
[[panels]]
title = "no query"
[[panels]]
query = "SELECT 1"
x = 20
w = 6
[[panels]]
query = "SELECT 1"
h = 1
[[panels]]
query = "SELECT 1"
)T");
  ASSERT_EQ(d.variables.size(), 3u);
  EXPECT_EQ(d.variables[0].error, "d.toml:2: variable 1: it needs a \"name\"");
  EXPECT_EQ(d.variables[1].error, "");
  EXPECT_EQ(d.variables[2].error, "d.toml:7: variable \"a\" is defined twice");
  ASSERT_EQ(d.panels.size(), 6u);
  EXPECT_EQ(d.panels[0].error,
            "d.toml:10: panel 1: unknown panel \"pie\" (line, spark, stat, gauge, bargauge, bar, table or heatmap)");
  EXPECT_EQ(d.panels[1].error, "d.toml:15: panel 2: unknown key \"qurey\"");
  EXPECT_EQ(d.panels[2].error, "d.toml:16: panel 3: it needs a \"query\"");
  EXPECT_EQ(d.panels[3].error, "d.toml:18: panel 4: x + w is 26, more than the grid's 24 columns");
  EXPECT_EQ(d.panels[4].error, "d.toml:24: panel 5: \"h\" is 1, not in 3..200");
  EXPECT_EQ(d.panels[5].error, "");
}

// -- Time ------------------------------------------------------------------------

std::string when(const std::string& expr, const std::string& zone = "", bool end = false) {
  auto z = query::Zone::load(zone);
  auto t = parse_time_expr(expr, kNow + 1234 * kMillisecond, *z, end);
  return t.ok() ? format_rfc3339(*t) : t.status().message();
}

TEST(RenderDashboardTime, GrafanaExpressions) {
  EXPECT_EQ(when("now"), "2016-09-06T10:00:01.234Z");
  EXPECT_EQ(when("now-6h"), "2016-09-06T04:00:01.234Z");
  EXPECT_EQ(when("now+30m"), "2016-09-06T10:30:01.234Z");
  EXPECT_EQ(when("now-1d/d"), "2016-09-05T00:00:00Z");
  EXPECT_EQ(when("now-1d/d", "", true), "2016-09-05T23:59:59.999Z");
  EXPECT_EQ(when("now/d", "Asia/Seoul"), "2016-09-05T15:00:00Z");  // midnight in Seoul
  EXPECT_EQ(when("now/w"), "2016-09-05T00:00:00Z");                 // Monday
  EXPECT_EQ(when("now/M"), "2016-09-01T00:00:00Z");
  EXPECT_EQ(when("now/y"), "2016-01-01T00:00:00Z");
  EXPECT_EQ(when("now-7M/M"), "2016-02-01T00:00:00Z");
  EXPECT_EQ(when("now-1y"), "2015-09-06T10:00:01.234Z");
  EXPECT_EQ(when("2016-09-06T01:02:03Z"), "2016-09-06T01:02:03Z");
  EXPECT_EQ(when("2016-09-06 10:00:00", "Asia/Seoul"), "2016-09-06T01:00:00Z");
  EXPECT_EQ(when("2016-09-06T10:00:00+09:00", "America/New_York"), "2016-09-06T01:00:00Z");
  EXPECT_EQ(when("1473156000000"), "2016-09-06T10:00:00Z");
  EXPECT_EQ(when("now-6x"), "time \"now-6x\": expected a number and a unit (s, m, h, d, w, M, y) after the sign");
  EXPECT_EQ(when("now/q"), "time \"now/q\": expected /s, /m, /h, /d, /w, /M or /y at the end");
  EXPECT_EQ(when("yesterday"),
            "time \"yesterday\": expected now, now-6h, now-7d/d, RFC 3339, 'YYYY-MM-DD HH:MM:SS' or epoch milliseconds");
}

TEST(RenderDashboardTime, MonthsClampToTheirLastDay) {
  auto z = query::Zone::load("");
  auto t = parse_time_expr("now-1M", *parse_rfc3339("2016-03-31T12:00:00Z"), *z, false);
  EXPECT_EQ(format_rfc3339(*t), "2016-02-29T12:00:00Z");
}

TEST(RenderDashboardTime, TimeFilterAsGrafanaWritesIt) {
  EXPECT_EQ(time_filter("now-6h", "now", 0, 1), "time >= now() - 6h");
  EXPECT_EQ(time_filter("now-6h", "now-1h", 0, 1), "time >= now() - 6h and time <= now() - 1h");
  EXPECT_EQ(time_filter("now-7d/d", "now", 1473120000000000000, 1), "time >= 1473120000000ms");
  EXPECT_EQ(time_filter("2016-09-06 00:00:00", "2016-09-06 10:00:00", 1473120000000000000, 1473156000000000000),
            "time >= 1473120000000ms and time <= 1473156000000ms");
}

TEST(RenderDashboardTime, IntervalRoundsAsGrafana) {
  EXPECT_EQ(auto_interval(0, kHour, 100, 0), 30 * kSecond);   // 36 s
  EXPECT_EQ(auto_interval(0, kDay, 1000, 0), kMinute);        // 86.4 s
  EXPECT_EQ(auto_interval(0, 15 * kMinute, 200, 0), 5 * kSecond);  // 4.5 s
  EXPECT_EQ(auto_interval(0, kMinute, 1000, 0), 50 * kMillisecond);
  EXPECT_EQ(auto_interval(0, kMinute, 1000, kSecond), kSecond);  // min_interval
  EXPECT_EQ(auto_interval(0, 5 * 365 * kDay, 100, 0), kWeek);  // 18.25 d
  EXPECT_EQ(auto_interval(0, 5 * 365 * kDay, 50, 0), 30 * kDay);
}

// -- Variables and macros ---------------------------------------------------------

TEST(RenderDashboardRun, MacrosAndVariables) {
  Dashboard d = parse(R"T(
database = "mon"
from = "now-1h"
[[variables]]
name = "host"
query = 'SHOW TAG VALUES WITH KEY = "host"'
multi = true
include_all = true
[[variables]]
name = "dc"
values = ["eu", "us.east"]
[[panels]]
w = 24
query = "SELECT mean(v) FROM cpu WHERE host =~ /^$host$/ AND dc = '$dc' AND $timeFilter GROUP BY time($__interval)"
[[panels]]
query = "SELECT ${host:csv} [[dc]] ${dc:regex} $__interval_ms $__range ${__from}"
)T");
  FakeClient c;
  c.answers.push_back({"SHOW TAG VALUES", tag_values({"db1", "db-2", "db1"})});
  std::vector<std::string> warnings;
  View v = run_dashboard(d, c, at_now(), &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(c.ran.size(), 3u);
  // All by default (include_all), every value regex-escaped; the first of a custom list.
  EXPECT_EQ(c.ran[1],
            "SELECT mean(v) FROM cpu WHERE host =~ /^(db1|db\\-2)$/ AND dc = 'eu' AND time >= now() - 1h GROUP BY "
            "time(15s)");
  EXPECT_EQ(c.ran[2], "SELECT db1,db-2 eu eu 15000 1h 1473152400000");
  EXPECT_EQ(c.dbs[1], "mon/");
  EXPECT_EQ(v.variables, (std::vector<std::pair<std::string, std::string>>{{"host", "All"}, {"dc", "eu"}}));
  for (const auto& p : v.panels) EXPECT_EQ(p.error, "");

  // --var picks values; several for a multi-value variable.
  RunOptions o = at_now();
  o.vars = {{"host", "db1"}, {"host", "db3"}, {"dc", "us.east"}, {"nope", "1"}};
  o.from = "now-30m";
  c.ran.clear();
  v = run_dashboard(d, c, o, &warnings);
  EXPECT_EQ(c.ran[1],
            "SELECT mean(v) FROM cpu WHERE host =~ /^(db1|db3)$/ AND dc = 'us.east' AND time >= now() - 30m GROUP BY "
            "time(10s)");
  EXPECT_EQ(warnings, (std::vector<std::string>{"--var nope: d.toml has no variable \"nope\" (it has host, dc)"}));
  EXPECT_EQ(v.variables[0].second, "db1,db3");
}

TEST(RenderDashboardRun, FailuresStayInTheirPanels) {
  Dashboard d = parse(R"T(
[[variables]]
name = "host"
query = "SHOW TAG VALUES WITH KEY = host"
[[variables]]
name = "db"
values = ["a", "b"]
regex = "("
[[panels]]
query = "SELECT $nosuch FROM x"
[[panels]]
query = "SELECT v FROM x WHERE host = '$host'"
[[panels]]
query = "SELECT broken"
[[panels]]
query = "SELECT fine"
[[panels]]
query = "SELECT $db"
[[panels]]
type = "pie"
query = "SELECT fine"
)T");
  FakeClient c;
  c.answers.push_back({"SHOW TAG", failed("database not found: mon")});
  c.answers.push_back({"broken", failed("undefined function broken()")});
  c.answers.push_back({"fine", points("cpu", {1, 2, 3}, kNow - 3 * kMinute, kMinute)});
  View v = run_dashboard(d, c, at_now(), nullptr);
  ASSERT_EQ(v.panels.size(), 6u);
  EXPECT_EQ(v.panels[0].error, "unknown variable $nosuch (the dashboard has db, host)");
  EXPECT_EQ(v.panels[1].error, "variable $host: its query failed: database not found: mon");
  EXPECT_EQ(v.panels[2].error, "undefined function broken()");
  EXPECT_EQ(v.panels[3].error, "");
  EXPECT_EQ(v.panels[3].results.results.at(0).series.at(0).values.size(), 3u);
  EXPECT_EQ(v.panels[4].error.substr(0, 40), "variable $db: regex /(/: missing ): (");
  EXPECT_NE(v.panels[5].error.find("unknown panel \"pie\""), std::string::npos);
  // Only the panels that could run did.
  EXPECT_EQ(c.ran.size(), 3u);

  // Every panel draws: the failures as messages inside their boxes.
  Options o;
  o.width = 80;
  o.height = 0;  // the grid's own height
  o.glyphs = Glyphs::kAscii;
  std::string out = draw_view(v, o);
  EXPECT_NE(out.find("|ERR: unknown variable $nosuch (the dashboard has db, host)"), std::string::npos) << out;
  EXPECT_NE(out.find("|ERR: undefined function broken()"), std::string::npos) << out;
  EXPECT_NE(out.find("cpu.mean"), std::string::npos) << out;
}

TEST(RenderDashboardRun, ChainedVariablesRegexAndAllValue) {
  Dashboard d = parse(R"T(
[[variables]]
name = "dc"
values = ["eu-1", "eu-2", "us-1"]
regex = "^eu-(\\d)$"
multi = true
default = ["1", "2"]
[[variables]]
name = "host"
query = "SHOW TAG VALUES WITH KEY = host WHERE dc =~ /^eu-$dc$/"
include_all = true
all_value = ".*"
[[panels]]
query = "SELECT v FROM x WHERE host =~ /^$host$/"
alias = "$tag_host: $col of $m"
)T");
  FakeClient c;
  c.answers.push_back({"SHOW TAG", tag_values({"a", "b"})});
  Results r = points("cpu", {1}, kNow, kSecond);
  r.results[0].series[0].tags = {{"host", "a"}};
  c.answers.push_back({"SELECT v", r});
  View v = run_dashboard(d, c, at_now(), nullptr);
  ASSERT_EQ(c.ran.size(), 2u);
  EXPECT_EQ(c.ran[0], "SHOW TAG VALUES WITH KEY = host WHERE dc =~ /^eu-(1|2)$/");
  EXPECT_EQ(c.ran[1], "SELECT v FROM x WHERE host =~ /^.*$/");
  const Series& s = v.panels[0].results.results[0].series[0];
  EXPECT_EQ(s.columns, (std::vector<std::string>{"time", "a: mean of cpu"}));
  EXPECT_TRUE(s.name.empty() && s.tags.empty());
}

// -- Grid, drawing, snapshots ------------------------------------------------------

View three_panels() {
  View v;
  v.title = "Fleet";
  v.from_raw = "now-5m";
  v.to_raw = "now";
  v.from = kNow - 5 * kMinute;
  v.to = kNow;
  v.variables = {{"host", "db1"}};
  PanelView a;
  a.spec.title = "QPS";
  a.spec.w = 12;
  a.spec.h = 8;
  a.results = points("mysql", {10, 20, 15, 30, 25}, kNow - 5 * kMinute, kMinute);
  PanelView b = a;
  b.spec.title = "Now";
  b.spec.type = "stat";
  b.spec.h = 5;
  PanelView c;
  c.spec.title = "Broken";
  c.spec.w = 12;
  c.spec.h = 4;
  c.error = "undefined function nope()";
  v.panels = {a, b, c};
  return v;
}

TEST(RenderDashboardDraw, Layout) {
  View v = three_panels();
  auto p = layout(v.panels, 80);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].x, 0);
  EXPECT_EQ(p[0].w, 40);
  EXPECT_EQ(p[1].x, 40);
  EXPECT_EQ(p[1].y, 0);
  // The third goes under the shorter of the two.
  EXPECT_EQ(p[2].x, 0);
  EXPECT_EQ(p[2].y, 8);
  v.panels[2].spec.x = 12;
  p = layout(v.panels, 80);
  EXPECT_EQ(p[2].x, 40);
  EXPECT_EQ(p[2].y, 5);
  // Narrow: stacked at full width.
  p = layout(v.panels, 50);
  EXPECT_EQ(p[1].x, 0);
  EXPECT_EQ(p[1].y, 8);
  EXPECT_EQ(p[1].w, 50);
  EXPECT_EQ(p[2].y, 13);
  // Fitted into 10 rows: edges scaled by 10/17, none under 3 rows.
  p = layout(v.panels, 50, 10);
  EXPECT_EQ((std::vector<int>{p[0].y, p[0].h, p[1].y, p[1].h, p[2].y, p[2].h}),
            (std::vector<int>{0, 4, 4, 3, 7, 3}));
}

TEST(RenderDashboardDraw, Golden) {
  Options o;
  o.width = 64;
  o.glyphs = Glyphs::kAscii;
  EXPECT_EQ(draw_view(three_panels(), o), R"(Fleet   now-5m .. now   host=db1
+- QPS ------------------------++- Now ------------------------+
|30 +              ****        ||mysql.mean                    |
|20 +   *****    **    ***     ||25                            |
|10 +***     ****              ||_______=======-------#######+ |
|   ++------------------------+|+------------------------------+
|  09:55                  10:00|
|* mysql.mean 25               |
+------------------------------+
+- Broken ---------------------+
|ERR: undefined function nope()|
|                              |
+------------------------------+
)");
}

TEST(RenderDashboardSnapshot, RoundTripAndList) {
  View v = three_panels();
  v.note = "2016/09/06 fan-club pre-sale, 12,000 users";
  v.taken = kNow;
  const std::string json = snapshot_json(v);
  auto back = parse_snapshot(json, "x.snap");
  ASSERT_TRUE(back.ok()) << back.status().message();
  Options o;
  o.width = 100;
  o.color = true;
  EXPECT_EQ(draw_view(*back, o), draw_view(v, o));
  EXPECT_EQ(back->note, v.note);

  EXPECT_EQ(parse_snapshot("{", "x.snap").status().message(), "x.snap: not a snapshot (not a JSON object)");
  EXPECT_EQ(parse_snapshot("{\"format\":\"other\"}", "x.snap").status().message(),
            "x.snap: not a snapshot (no \"format\": \"tsd-snapshot\")");
  EXPECT_EQ(parse_snapshot("{\"format\":\"tsd-snapshot\",\"panels\":3}", "x.snap").status().message().substr(0, 29),
            "x.snap: a damaged snapshot: [");

  const std::string dir = testing::TempDir() + "snaps" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_file(dir + "/b.snap", json).ok());
  v.note.clear();
  v.taken = kNow - kDay;
  ASSERT_TRUE(write_file(dir + "/a.snap", snapshot_json(v)).ok());
  ASSERT_TRUE(write_file(dir + "/bad.snap", "nope").ok());
  ASSERT_TRUE(write_file(dir + "/other.txt", "nope").ok());
  auto list = list_snapshots(dir, query::Zone(), false);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list,
            "FILE      TITLE                                               TIME RANGE                                  "
            "PANELS  TAKEN\n"
            "a.snap    Fleet                                               2016-09-06 09:55:00 .. 2016-09-06 10:00:00  "
            "3       2016-09-05 10:00:00\n"
            "b.snap    2016/09/06 fan-club pre-sale, 12,000 users (Fleet)  2016-09-06 09:55:00 .. 2016-09-06 10:00:00  "
            "3       2016-09-06 10:00:00\n"
            "bad.snap  (does not read: " + dir + "/bad.snap: not a snapshot (not a JSON object))\n");
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(list_snapshots(dir, query::Zone(), false).ok());
}

// Every prefix of the example dashboards, and each with one byte changed,
// reads as a dashboard or fails with a message; what reads runs and draws
// at any width without a crash (run under ASan by make check).
TEST(RenderDashboardFile, DamagedFilesNeverCrash) {
  FakeClient c;
  c.answers.push_back({"SHOW TAG", tag_values({"db1", "db2"})});
  c.answers.push_back({"SELECT", points("m", {1, 2, 3}, kNow - 3 * kMinute, kMinute)});
  size_t read = 0, failed = 0;
  for (const char* name : {"host.toml", "mysql.toml", "memcached.toml"}) {
    // (make unit runs from the source tree; TSD_SOURCE_DIR says where it is otherwise.)
    const char* root = getenv("TSD_SOURCE_DIR");
    auto text = read_file(std::string(root ? root : ".") + "/examples/dashboards/" + name);
    ASSERT_TRUE(text.ok()) << text.status().message();
    std::vector<std::string> variants;
    for (size_t n = 0; n < text->size(); n += 7) variants.push_back(text->substr(0, n));
    for (size_t i = 0; i < text->size(); i += 13) {
      std::string t = *text;
      t[i] = "=[]\"'\n#$x{"[i % 10];
      variants.push_back(t);
    }
    for (const auto& v : variants) {
      auto d = parse_dashboard(v, name);
      if (!d.ok()) {
        EXPECT_EQ(d.status().message().rfind(name, 0), 0u) << d.status().message();
        failed++;
        continue;
      }
      read++;
      View view = run_dashboard(*d, c, at_now(), nullptr);
      for (int w : {20, 59, 61, 200}) {
        Options o;
        o.width = w;
        EXPECT_FALSE(draw_view(view, o).empty());
      }
    }
  }
  EXPECT_GT(read, 50u);
  EXPECT_GT(failed, 50u);
}

}  // namespace
}  // namespace tsd::render
