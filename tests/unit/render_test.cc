// Terminal panels (render/render.h, render/internal.h), result sets read
// from text (render/input.h) and --follow's accumulator (render/follow.h). The expected panels were worked out by hand
// from the layout rules in each panel's file and checked by eye.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "query/format.h"
#include "render/dashboard.h"
#include "render/follow.h"
#include "render/input.h"
#include "render/internal.h"
#include "render/render.h"

namespace tsd::render {
namespace {

using query::Datum;
using query::Results;
using query::Row;
using query::Series;

constexpr int64_t kT0 = 1577836800000000000;  // 2020-01-01T00:00:00Z
constexpr int64_t kS = 1000000000;

// A series with a time column and one value column "v"; NaN is null.
Series series(std::string name, std::vector<std::pair<std::string, std::string>> tags,
              const std::vector<double>& values, int64_t step = 60 * kS, int64_t t0 = kT0) {
  Series s;
  s.name = std::move(name);
  s.tags = std::move(tags);
  s.columns = {"time", "v"};
  s.has_time = true;
  for (size_t i = 0; i < values.size(); i++) {
    s.values.emplace_back(2);
    s.values.back()[0] = t0 + static_cast<int64_t>(i) * step;
    if (!std::isnan(values[i])) s.values.back()[1] = values[i];
  }
  return s;
}

Results results(std::vector<Series> s) {
  Results r;
  r.results.emplace_back();
  r.results.back().series = std::move(s);
  return r;
}

Options opts(int w, int h, Glyphs g = Glyphs::kAscii, bool color = false) {
  Options o;
  o.width = w;
  o.height = h;
  o.glyphs = g;
  o.color = color;
  return o;
}

std::vector<std::string> labels(double lo, double hi, int n) {
  return tick_labels(nice_scale(lo, hi, n), false);
}

using V = std::vector<std::string>;

// -- Scales ---------------------------------------------------------------------

TEST(RenderScale, NiceTicks) {
  Scale s = nice_scale(0, 97, 6);
  EXPECT_EQ(s.step, 20);
  EXPECT_EQ(s.lo, 0);
  EXPECT_EQ(s.hi, 100);
  EXPECT_EQ(tick_labels(s, false), (V{"0", "20", "40", "60", "80", "100"}));
  // 0.2 steps would make six ticks: 0.5 it is.
  EXPECT_EQ(labels(0.1, 0.9, 5), (V{"0", "0.5", "1.0"}));
  EXPECT_EQ(labels(0, 2500, 6), (V{"0", "0.5k", "1.0k", "1.5k", "2.0k", "2.5k"}));
}

TEST(RenderScale, EdgeRanges) {
  // Negative values.
  // Steps of 1 and 2 would make 11 and 7 ticks; 5 makes 4.
  EXPECT_EQ(labels(-3, 7, 6), (V{"-5", "0", "5", "10"}));
  EXPECT_EQ(labels(-30, -10, 3), (V{"-30", "-20", "-10"}));
  // A constant series is widened around its value.
  EXPECT_EQ(labels(5, 5, 3), (V{"4.5", "5.0", "5.5"}));
  EXPECT_EQ(labels(0, 0, 3), (V{"-1", "0", "1"}));
  // Nano and tera magnitudes take their prefixes.
  EXPECT_EQ(labels(1e-9, 4e-9, 4), (V{"1n", "2n", "3n", "4n"}));
  EXPECT_EQ(labels(0, 3e12, 4), (V{"0", "1T", "2T", "3T"}));
  EXPECT_EQ(labels(0, 0.004, 5), (V{"0", "1m", "2m", "3m", "4m"}));
  EXPECT_EQ(tick_labels(nice_scale(0, 4e-6, 5), true), (V{"0", "1u", "2u", "3u", "4u"}));
}

TEST(RenderScale, FormatValue) {
  EXPECT_EQ(format_value(0, false), "0");
  EXPECT_EQ(format_value(42, false), "42");
  EXPECT_EQ(format_value(42.56, false), "42.6");
  EXPECT_EQ(format_value(0.5, false), "0.5");
  EXPECT_EQ(format_value(1234567, false), "1.23M");
  EXPECT_EQ(format_value(-1234, false), "-1.23k");
  EXPECT_EQ(format_value(999960, false), "1M");
  EXPECT_EQ(format_value(2e-9, false), "2n");
  EXPECT_EQ(format_value(1.5e-6, false), "1.5µ");
  EXPECT_EQ(format_value(1.5e-6, true), "1.5u");
  EXPECT_EQ(format_value(1e12, false), "1T");
  EXPECT_EQ(format_value(NAN, false), "-");
}

// -- Time axis ------------------------------------------------------------------

V tick_texts(int64_t t0, int64_t t1, const query::Zone& z, int cols) {
  V out;
  for (const auto& t : time_ticks(t0, t1, z, cols)) out.push_back(t.label);
  return out;
}

TEST(RenderTime, Steps) {
  query::Zone utc;
  // An hour over 60 columns: 7 labels of 5 (+2) columns fit at 10
  // minutes (13 at 5 do not); midnight shows its date.
  EXPECT_EQ(tick_texts(kT0, kT0 + 3600 * kS, utc, 60),
            (V{"01-01", "00:10", "00:20", "00:30", "00:40", "00:50", "01:00"}));
  // A minute: labels of 8 (+2) columns, 7 at 10 s are too many, 5 at 15 s fit.
  EXPECT_EQ(tick_texts(kT0 + 5 * kS, kT0 + 65 * kS, utc, 60), (V{"00:00:15", "00:00:30", "00:00:45", "00:01:00"}));
  // Two days at 3 h steps: midnight shows the date.
  EXPECT_EQ(tick_texts(kT0, kT0 + 2 * 86400 * kS, utc, 60),
            (V{"01-01", "12:00", "01-02", "12:00", "01-03"}));
  // Five years: years.
  const int64_t five = 1735689600000000000;  // 2025-01-01
  EXPECT_EQ(tick_texts(kT0 - 86400 * kS, five + 86400 * kS, utc, 60), (V{"2020", "2021", "2022", "2023", "2024", "2025"}));
  // One point: itself, to the second.
  EXPECT_EQ(tick_texts(kT0 + 5 * kS, kT0 + 5 * kS, utc, 60), (V{"00:00:05"}));
}

TEST(RenderTime, Zone) {
  auto seoul = query::Zone::load("Asia/Seoul");
  ASSERT_TRUE(seoul.ok());
  // 2020-01-01T00:00Z is 09:00 in Seoul.
  EXPECT_EQ(tick_texts(kT0, kT0 + 3600 * kS, *seoul, 60), (V{"09:00", "09:10", "09:20", "09:30", "09:40", "09:50", "10:00"}));
  // Days begin at Seoul's midnight (15:00 UTC).
  auto t = time_ticks(kT0, kT0 + 4 * 86400 * kS, *seoul, 40);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0].label, "01-02");
  EXPECT_EQ(t[0].t, kT0 + 15 * 3600 * kS);
  EXPECT_EQ(format_local_time(kT0 + kS / 2, *seoul), "2020-01-01 09:00:00.5");
}

// ESC as "^[", so that expected colours read.
std::string show(std::string s) {
  for (size_t i; (i = s.find('\x1b')) != std::string::npos;) s.replace(i, 1, "^[");
  return s;
}

Results two() {
  return results({series("cpu", {{"host", "a"}}, {1, 2, 3, 4, 5, 6, 7, 8}),
                  series("cpu", {{"host", "b"}}, {8, 6, NAN, 4, 3, 2, 2, 1})});
}

// Stat-like panels: yellow from 3, red from 6, in percent, coloured.
Options thresholds() {
  Options t = opts(44, 6, Glyphs::kBraille, true);
  t.thresholds = {3, 6};
  t.unit = "%";
  return t;
}

// The two lines of two(): a rises 1..8, b falls 8..1 with a null third
// value (a gap: the b line has no dots between its 2nd and 4th points),
// one minute apart. In ascii a is '*', b '+'. The y axis spans 0..10
// (ticks 0, 5, 10 on 5 rows, 3 ticks at most); the time axis marks
// 00:00 (a midnight: "01-01") and then every 5 minutes.
TEST(RenderLine, Sizes) {
  // line ascii 40x10
  EXPECT_EQ(show(render(Panel::kLine, two(), opts(40, 10))), R"(10 +                                    
   |+++                         ********
 5 +   +++       **+++**********        
   |   **********     +++++++++++++++   
 0 +***                              +++
   ++------------------------+----------
  01-01                    00:05
                            max     last
* cpu.v host=a                8        8
+ cpu.v host=b                8        1
)");
  // line braille 40x10
  EXPECT_EQ(show(render(Panel::kLine, two(), opts(40, 10, Glyphs::kBraille))), R"(10 ┤                                    
   │⠉⠒⠤⢄⡀                      ⣀⣀⡠⠤⠤⠒⠒⠊⠉
 5 ┤    ⠈⠁        ⣀⣀⣀⣀⠤⠤⠤⠤⠒⠒⠊⠉⠉         
   │    ⣀⣀⡠⠤⠤⠒⠒⠊⠉⠉  ⠈⠉⠉⠑⠒⠒⠤⠤⢄⣀⣀⣀⣀⣀⣀⣀    
 0 ┤⠒⠊⠉⠉                            ⠉⠉⠑⠒
   └┬────────────────────────┬──────────
  01-01                    00:05
                            max     last
■ cpu.v host=a                8        8
■ cpu.v host=b                8        1
)");
  // line block 60x8 color
  EXPECT_EQ(show(render(Panel::kLine, two(), opts(60, 8, Glyphs::kBlock, true))), R"(10 ┤^[[33m▄▄▄▄^[[0m                                               ^[[32m▄▄▄▄▄^[[0m
 5 ┤    ^[[33m▀▀▀▀▀^[[0m           ^[[32m▄▄▄▄^[[0m^[[33m▄▄▄▄^[[0m^[[32m▄▄▄▄▄▄▄▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀^[[0m     
 0 ┤^[[32m▄▄▄▄▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀^[[0m        ^[[33m▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▄▄▄▄▄^[[0m
   └┬───────────────┬──────────────┬───────────────┬────────
  01-01           00:02          00:04           00:06
                              min      max     mean     last
^[[32m■^[[0m cpu.v host=a                  1        8      4.5        8
^[[33m■^[[0m cpu.v host=b                  1        8     3.71        1
)");
  // line braille 70x12 color
  EXPECT_EQ(show(render(Panel::kLine, two(), opts(70, 12, Glyphs::kBraille, true))), R"(10 ┤                                                                  
   │^[[33m⠒⠤⢄⣀^[[0m                                                      ^[[32m⣀⣀⣀⠤⠤⠤⠒⠒^[[0m
   │    ^[[33m⠉⠉⠒⠢⠤⣀^[[0m                                   ^[[32m⢀⣀⣀⡠⠤⠤⠔⠒⠒⠊⠉⠉⠉^[[0m        
 5 ┤                              ^[[32m⢀⣀⣀⣀⣀⡠⠤⠤⠤⠔⠒⠒⠊⠉⠉⠁^[[0m                    
   │                 ^[[32m⣀⣀⣀⡠⠤⠤⠔⠒⠒⠊⠉^[[0m^[[33m⠉⠉⠓⠒⠒⠤⠤⠤⣀⣀⣀⡀^[[0m                          
   │  ^[[32m⢀⣀⣀⣀⣀⡠⠤⠤⠤⠒⠒⠒⠉⠉⠉^[[0m                      ^[[33m⠈⠉⠉⠑⠒⠒⠢⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⢄⣀⣀⣀⣀⡀^[[0m  
 0 ┤^[[32m⠉⠉⠁^[[0m                                                            ^[[33m⠈⠉⠉^[[0m
   └┬─────────────────┬──────────────────┬──────────────────┬─────────
  01-01             00:02              00:04              00:06
                                        min      max     mean     last
^[[32m■^[[0m cpu.v host=a                            1        8      4.5        8
^[[33m■^[[0m cpu.v host=b                            1        8     3.71        1
)");
}

TEST(RenderSpark, Sizes) {
  // spark 30
  EXPECT_EQ(show(render(Panel::kSpark, two(), opts(30, 5, Glyphs::kBraille))), R"(cpu.v hos… ▁▁▂▂▂▃▃▄▄▅▅▆▆▆▇▇█ 8
cpu.v hos… ██▆    ▄▄▃▃▂▂▂▂▂▁ 1
)");
  // spark 50 color
  EXPECT_EQ(show(render(Panel::kSpark, two(), opts(50, 5, Glyphs::kBraille, true))), R"(cpu.v host=a ^[[32m▁▁▁▁▁▂▂▂▂▂▃▃▃▃▃▄▄▄▄▅▅▅▅▅▆▆▆▆▆▇▇▇▇▇█^[[0m 8
cpu.v host=b ^[[33m█████▆         ▄▄▄▄▃▃▃▃▃▂▂▂▂▂▂▂▂▂▂▁^[[0m 1
)");
  // spark ascii 24
  EXPECT_EQ(show(render(Panel::kSpark, two(), opts(24, 1))), R"(cpu.v h~ __.--::==+**# 8
)");
}

TEST(RenderStat, Thresholds) {
  // stat color
  EXPECT_EQ(show(render(Panel::kStat, two(), thresholds())), R"(cpu.v host=a          cpu.v host=b
^[[1;31m8%^[[0m                    ^[[1;32m1%^[[0m
^[[31m▁▁▁▂▂▂▃▃▃▄▄▅▅▅▆▆▆▇▇▇█^[[0m ^[[32m███▆     ▄▄▃▃▃▂▂▂▂▂▂▁^[[0m
)");
  // gauge color
  EXPECT_EQ(show(render(Panel::kGauge, two(), thresholds())), R"(cpu.v host=a          cpu.v host=b
^[[31m█████████████████████^[[0m ^[[32m███^[[0m░░░░░░░░░░░░░░░░░░
0        ^[[31m8%^[[0m         8 0        ^[[32m1%^[[0m         8
)");
  // bargauge color
  EXPECT_EQ(show(render(Panel::kBarGauge, two(), thresholds())), R"(cpu.v host=a ^[[32m██████████^[[0m^[[33m███████████^[[0m^[[31m███████^[[0m ^[[31m8%^[[0m
cpu.v host=b ^[[32m████^[[0m░░░░░░░░░░░░░░░░░░░░░░░░ ^[[32m1%^[[0m
)");
  // bar color
  EXPECT_EQ(show(render(Panel::kBar, two(), thresholds())), R"(cpu.v host=a ^[[32m▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇^[[0m 8%
cpu.v host=b ^[[33m▇▇▇▇^[[0m                         1%
)");
  // stat 20
  EXPECT_EQ(show(render(Panel::kStat, two(), opts(20, 10, Glyphs::kBraille))), R"(cpu.v host=a
8
▁▁▁▂▂▃▃▃▄▄▅▅▅▆▆▇▇▇█

cpu.v host=b
1
███▆    ▄▄▃▃▃▂▂▂▂▂▁
)");
}

TEST(RenderPanels, MoreSizesAndFallbacks) {
  auto o = [](int w, int h, Glyphs g, bool color, bool units = true) {
    Options x = opts(w, h, g, color);
    if (units) {
      x.thresholds = {3, 6};
      x.unit = "%";
    }
    return x;
  };
  // gauge ascii 30x6: two tiles do not fit, so a row per line (bar gauges)
  EXPECT_EQ(show(render(Panel::kGauge, two(), o(30, 6, Glyphs::kAscii, false))), R"(cpu.v hos~ ################ 8%
cpu.v hos~ ##.............. 1%
)");
  // gauge 50x4
  EXPECT_EQ(show(render(Panel::kGauge, two(), o(50, 4, Glyphs::kBraille, false))), R"(cpu.v host=a             cpu.v host=b
████████████████████████ ███░░░░░░░░░░░░░░░░░░░░░
0          8%          8 0          1%          8
)");
  // bargauge ascii 30x4
  EXPECT_EQ(show(render(Panel::kBarGauge, two(), o(30, 4, Glyphs::kAscii, false))), R"(cpu.v hos~ ################ 8%
cpu.v hos~ ##.............. 1%
)");
  // bar 36x4
  EXPECT_EQ(show(render(Panel::kBar, two(), o(36, 4, Glyphs::kBraille, false))), R"(cpu.v host=a ▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇ 8%
cpu.v host=b ▇▇▇                  1%
)");
  // bar ascii 24x1: one row, the first line
  EXPECT_EQ(show(render(Panel::kBar, two(), o(24, 1, Glyphs::kAscii, false))), R"(cpu.v h~ ############ 8%
)");
  // stat color 30x6: the tiles do not fit, so a row per line
  EXPECT_EQ(show(render(Panel::kStat, two(), o(30, 6, Glyphs::kBraille, true))),
            R"(cpu.v hos… ^[[31m▁▁▂▂▃▃▄▄▄▅▅▆▆▇▇█^[[0m ^[[31m8%^[[0m
cpu.v hos… ^[[32m██▆   ▄▄▄▃▃▂▂▂▂▁^[[0m ^[[32m1%^[[0m
)");
  // table ascii color 40x8
  EXPECT_EQ(show(render(Panel::kTable, two(), o(40, 8, Glyphs::kAscii, true, false))), R"(^[[1mcpu^[[0m
host                 time  v
----  -------------------  -
a     2020-01-01 00:00:00  1
a     2020-01-01 00:01:00  2
a     2020-01-01 00:02:00  3
a     2020-01-01 00:03:00  4
+ 12 more rows
)");
}

TEST(RenderTable, Cut) {
  // table 30x6
  // (Series differing only in tag values: one table, a column per tag key.)
  EXPECT_EQ(show(render(Panel::kTable, two(), opts(30, 6, Glyphs::kBraille))), R"(cpu
host                 time  v
────  ───────────────────  ─
a     2020-01-01 00:00:00  1
a     2020-01-01 00:01:00  2
+ 14 more rows
)");
}
// The rows of a panel.
V rows_of(const std::string& s) {
  V out;
  size_t pos = 0;
  for (size_t nl; (nl = s.find('\n', pos)) != std::string::npos; pos = nl + 1) out.push_back(s.substr(pos, nl - pos));
  return out;
}

// The y labels of an ascii line chart (the text before " +" on tick rows).
V y_labels(const std::string& chart) {
  V out;
  for (const auto& r : rows_of(chart)) {
    size_t p = r.find(" +");
    if (p != std::string::npos && r.find_first_not_of(' ') < p) out.push_back(r.substr(r.find_first_not_of(' '), p - r.find_first_not_of(' ')));
  }
  return out;
}

TEST(RenderLine, EdgeRanges) {
  // One point: 4 rows take 3 ticks at most: 42 widened by 10% is 37.8..46.2,
  // which steps of 10 cover in three; the time axis names the instant.
  EXPECT_EQ(render(Panel::kLine, results({series("m", {}, {42})}), opts(30, 8)), R"(50 +                          
   |             *            
40 +                          
30 +                          
   +-------------+------------
             00:00:00
                  max     last
* m.v              42       42
)");
  // A constant series: a flat line in the middle of its widened range.
  EXPECT_EQ(render(Panel::kLine, results({series("m", {}, {5, 5, 5, 5})}), opts(30, 9)), R"(5.5 +                         
    |                         
5.0 +*************************
    |                         
4.5 +                         
    ++------------------------
   01-01
                  max     last
* m.v               5        5
)");
  // Negative values (4 rows: 3 ticks).
  EXPECT_EQ(y_labels(render(Panel::kLine, results({series("m", {}, {-30, -10, -20})}), opts(40, 8))),
            (V{"-10", "-20", "-30"}));
  // Nano and tera magnitudes; on 8 rows 5 ticks.
  EXPECT_EQ(y_labels(render(Panel::kLine, results({series("m", {}, {1e-9, 4e-9})}), opts(40, 8))),
            (V{"4n", "2n", "0"}));
  EXPECT_EQ(y_labels(render(Panel::kLine, results({series("m", {}, {1e12, 3e12})}), opts(40, 8))),
            (V{"3T", "2T", "1T"}));
  EXPECT_EQ(y_labels(render(Panel::kLine, results({series("m", {}, {1e12, 3e12})}), opts(40, 12))),
            (V{"3.0T", "2.5T", "2.0T", "1.5T", "1.0T"}));
  // Five years of daily points: the time axis counts years (every other
  // one: six labels of 4 (+2) columns need 37 of the 36 allowed).
  std::vector<double> days(5 * 365 + 2, 1);
  EXPECT_EQ(rows_of(render(Panel::kLine, results({series("m", {}, days, 86400 * kS)}), opts(60, 8)))[5],
            "   2020                  2022                 2024");
  EXPECT_EQ(rows_of(render(Panel::kLine, results({series("m", {}, days, 86400 * kS)}), opts(80, 8)))[5],
            "   2020           2021           2022          2023           2024");  // 2020 has 366 days
}

TEST(RenderLine, NullAndTimeGaps) {
  // A null breaks the line; so does a step over twice the median (the
  // fifth point comes 11 minutes after the fourth).
  Series s = series("m", {}, {1, 1, NAN, 1, 1, 1, 1});
  for (size_t i = 4; i < 7; i++) std::get<int64_t>(s.values[i][0]) += 10 * 60 * kS;
  EXPECT_EQ(rows_of(render(Panel::kLine, results({s}), opts(40, 9)))[2], "1.0 +***   *                       *****");
}

TEST(RenderLine, DownsamplesAMillionPointsKeepingSpikes) {
  std::vector<double> v(1000000);
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<double>(i % 7);
  v[612345] = 100;
  v[612346] = NAN;
  Results r = results({series("big", {}, v, kS)});
  const auto start = std::chrono::steady_clock::now();
  std::string chart = render(Panel::kLine, r, opts(60, 10));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 2000);
  V rows = rows_of(chart);
  // The spike reaches the top row in exactly one column, 61% of the way.
  EXPECT_EQ(rows[0], "100 +                                 *                     ");
  // Everything else (0..6) is a min..max band along the bottom row.
  EXPECT_EQ(rows[5], "  0 +" + std::string(55, '*'));
  // The legend: min, max, mean over every point.
  EXPECT_NE(rows.back().find("100"), std::string::npos);
}

TEST(RenderSpark, LevelsAndGaps) {
  // Eight points over eight columns: one level each.
  EXPECT_EQ(render(Panel::kSpark, results({series("m", {}, {1, 2, 3, 4, 5, 6, 7, 8})}), opts(14, 5, Glyphs::kBraille)),
            "m.v ▁▂▃▄▅▆▇█ 8\n");
  // A constant line sits in the middle; a null is a space.
  EXPECT_EQ(render(Panel::kSpark, results({series("m", {}, {3, 3, NAN, 3, 3})}), opts(11, 5, Glyphs::kBraille)),
            "m.v ▄▄ ▄▄ 3\n");
  // Units follow the value; two points with no break between them fill
  // the columns between (the first repeated). No numbers at all says so.
  Options u = opts(16, 5, Glyphs::kAscii);
  u.unit = "ms";
  EXPECT_EQ(render(Panel::kSpark, results({series("m", {}, {1, 8})}), u), "m.v _______# 8ms\n");
  EXPECT_EQ(render(Panel::kSpark, results({series("m", {}, {NAN})}), u), "no numeric data~\n");
}

TEST(RenderTable, AlignsNumbersRight) {
  Series s;
  s.name = "disk";
  s.columns = {"path", "used", "free"};
  s.values = {{Datum{std::string("/")}, Datum{0.5}, Datum{int64_t{1024}}},
              {Datum{std::string("/var/lib")}, Datum{12.25}, Datum{}}};
  EXPECT_EQ(render(Panel::kTable, results({s}), opts(40, 10)), R"(disk
path       used  free
--------  -----  ----
/           0.5  1024
/var/lib  12.25
)");
}

TEST(Render, ErrorsAndPanels) {
  Results bad;
  bad.error = "error parsing query: found EOF";
  EXPECT_EQ(render(Panel::kLine, bad, opts(40, 5)), "ERR: error parsing query: found EOF\n");
  EXPECT_TRUE(parse_panel("gauge").ok());
  EXPECT_FALSE(parse_panel("pie").ok());
  EXPECT_TRUE(parse_panel("heatmap").ok());
  EXPECT_EQ(render(Panel::kHeatmap, bad, opts(40, 5)), "ERR: error parsing query: found EOF\n");
  EXPECT_EQ(display_width("아이유 a"), 8);
  EXPECT_EQ(fit("abcdef", 4, false), "abc…");
  EXPECT_EQ(fit("abcdef", 4, true), "abc~");
}

Options titled(Options o, std::string title) {
  o.title = std::move(title);
  return o;
}

// Cumulative histogram buckets as InfluxDB returns GROUP BY "le".
Results le() {
  return results({series("h", {{"le", "0.5"}}, {1, 2, 3, 0}), series("h", {{"le", "+Inf"}}, {9, 9, 9, 9}),
                  series("h", {{"le", "0.1"}}, {5, 0, 1, 2})});
}

// Heatmaps of two(): a and b put one point each in every time bucket
// (eight, a minute each), so a cell counts 1, or 2 where both are 4 (at
// 00:03). Value buckets are 1/2/5 steps from the values' floor, each row
// labelled with its lower bound; colour runs share one escape.
TEST(RenderHeatmap, Sizes) {
  // heatmap ascii 40x10
  EXPECT_EQ(show(render(Panel::kHeatmap, two(), opts(40, 10))), R"(12 +                                    
   |                                    
 8 +.....                           ....
   |     ....              .........    
 4 +              @@@@.....             
   |     .........    ..............    
 0 +.....                           ....
   ++------------------------+----------
  01-01                    00:05
    count 1 .:-=+*#%@ 2
)");
  // heatmap block 50x12 color
  EXPECT_EQ(show(render(Panel::kHeatmap, two(), opts(50, 12, Glyphs::kBlock, true))), R"(  │                                               
8 ┤^[[38;5;18m██████^[[0m                                    ^[[38;5;18m█████^[[0m
  │                                    ^[[38;5;18m██████^[[0m     
6 ┤      ^[[38;5;18m██████^[[0m                  ^[[38;5;18m██████^[[0m           
  │                        ^[[38;5;18m██████^[[0m                 
4 ┤                  ^[[38;5;196m██████^[[0m                       
  │            ^[[38;5;18m██████^[[0m      ^[[38;5;18m██████^[[0m                 
2 ┤      ^[[38;5;18m██████^[[0m                  ^[[38;5;18m████████████^[[0m     
  │^[[38;5;18m██████^[[0m                                    ^[[38;5;18m█████^[[0m
  └┬────────────────────────────────┬─────────────
 01-01                            00:05
   count 1 ^[[38;5;18m█^[[0m^[[38;5;20m█^[[0m^[[38;5;26m█^[[0m^[[38;5;32m█^[[0m^[[38;5;37m█^[[0m^[[38;5;78m█^[[0m^[[38;5;148m█^[[0m^[[38;5;220m█^[[0m^[[38;5;208m█^[[0m^[[38;5;196m█^[[0m 2
)");
  // heatmap braille 30x7, titled
  EXPECT_EQ(show(render(Panel::kHeatmap, two(), titled(opts(30, 7, Glyphs::kBraille), "cpu"))), R"(cpu
10 ┤                          
   │░░░░░░░      ░░░░░░░░░░░░░
 0 ┤░░░░░░░░░░███░░░░░░░░░░░░░
   └┬─────────────────┬───────
  01-01             00:05
    count 1 ░▒▓█ 2
)");
}

TEST(RenderHeatmap, EdgeCases) {
  // One point: one time bucket over every column, one value bucket.
  EXPECT_EQ(render(Panel::kHeatmap, results({series("m", {}, {42})}), opts(30, 8)), R"(   |                          
50 +                          
   |                          
40 +@@@@@@@@@@@@@@@@@@@@@@@@@@
   |                          
   ++-------------------------
00:00:00
    count 1 .:-=+*#%@ 1
)");
  // A constant series sits in the middle of its widened range.
  EXPECT_EQ(render(Panel::kHeatmap, results({series("m", {}, {5, 5, 5, 5})}), opts(30, 8)), R"(  |                           
6 +                           
  |                           
5 +@@@@@@@@@@@@@@@@@@@@@@@@@@@
  |                           
  ++----------------+---------
 01-01            00:02
   count 1 .:-=+*#%@ 1
)");
  // Nulls leave their time buckets blank.
  EXPECT_EQ(render(Panel::kHeatmap, results({series("m", {}, {1, 2, NAN, NAN, 4, 1, 2})}), opts(30, 8)), R"(  |                           
4 +                @@@@       
  |                           
2 +    @@@@                @@@
  |@@@@                @@@@   
  ++---------------------+----
 01-01                 00:05
   count 1 .:-=+*#%@ 1
)");
  // Negative values.
  EXPECT_EQ(render(Panel::kHeatmap, results({series("m", {}, {-30, -10, -20, -25, -5})}), opts(30, 9)), R"(    |                    @@@@@
-10 +     @@@@@               
    |                         
-20 +          @@@@@          
    |               @@@@@     
-30 +@@@@@                    
    ++------------------------
   01-01
     count 1 .:-=+*#%@ 1
)");
  // Lines whose labels end in numbers are the rows, by that number (+Inf last), two rows each; a 0 is blank.
  EXPECT_EQ(render(Panel::kHeatmap, le(), opts(40, 10)), R"(     |                                  
+Inf +@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
     |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
 0.5 +.........::::::::---------        
     |.........::::::::---------        
 0.1 ++++++++++        .........::::::::
     |+++++++++        .........::::::::
     ++---------------------+-----------
    01-01                 00:02
      1 .:-=+*#%@ 9
)");
  // Nano and tera magnitudes take their prefixes.
  EXPECT_EQ(y_labels(render(Panel::kHeatmap, results({series("m", {}, {1e-9, 4e-9, 2e-9})}), opts(30, 8))),
            (V{"4n", "2n"}));
  EXPECT_EQ(y_labels(render(Panel::kHeatmap, results({series("m", {}, {1e12, 3e12, 2e12})}), opts(30, 8))),
            (V{"3T", "2T", "1T"}));
  // Infinities are left out like nulls; nothing finite says so.
  EXPECT_EQ(render(Panel::kHeatmap, results({series("m", {}, {INFINITY, NAN})}), opts(30, 8)),
            "no numeric data to draw\n");
}

TEST(RenderHeatmap, AMillionPointsInOnePass) {
  std::vector<double> v(1000000);
  for (size_t i = 0; i < v.size(); i++) v[i] = static_cast<double>(i % 7) + (i >= 500000 ? 10 : 0);
  const auto start = std::chrono::steady_clock::now();
  const std::string map = render(Panel::kHeatmap, results({series("big", {}, v, kS)}), opts(60, 14));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 2000);
  const V rows = rows_of(map);
  ASSERT_EQ(rows.size(), 14u);
  for (const auto& r : rows) EXPECT_LE(display_width(r), 60) << r;
  // The first half in 0..6, the second in 10..16: a step across the
  // plot's 56 time buckets of about 17.9k points each; a 2-wide row holds
  // two of the seven values (5.1k), the row of 6 (and 16) one (2.55k).
  EXPECT_EQ(rows[3], "   |                            " + std::string(28, '@'));
  EXPECT_EQ(rows[9], "   |" + std::string(28, '@') + std::string(28, ' '));
  EXPECT_EQ(rows.back(), "    count 2.55k .:-=+*#%@ 5.1k");
}

// -- SVG and HTML (svg.cc, grid.cc) ---------------------------------------------

// "" when the markup is well-formed as far as tests need: every tag closed
// in order, attribute values quoted, '<' only in markup and '&' only in
// the five entities; else what is wrong.
std::string xml_problem(std::string_view s) {
  std::vector<std::string> open;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      const size_t semi = s.find(';', i);
      const std::string_view name = s.substr(i + 1, semi == std::string_view::npos ? 0 : semi - i - 1);
      if (name != "amp" && name != "lt" && name != "gt" && name != "quot" && name != "#39") {
        return "a bare & at " + std::to_string(i);
      }
      i = semi + 1;
      continue;
    }
    if (s[i] == '>') return "a bare > at " + std::to_string(i);
    if (s[i] != '<') {
      i++;
      continue;
    }
    if (s.substr(i, 2) == "<?" || s.substr(i, 2) == "<!") {
      i = s.find('>', i) + 1;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < s.size() && (quote != 0 || s[end] != '>'); end++) {
      if (s[end] == '<' && quote == 0) return "a < inside a tag at " + std::to_string(end);
      if (s[end] == '"' || s[end] == '\'') quote = quote == 0 ? s[end] : quote == s[end] ? 0 : quote;
    }
    if (end == s.size()) return "an unterminated tag at " + std::to_string(i);
    std::string_view tag = s.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with('/')) {
      if (open.empty() || open.back() != tag.substr(1)) return "</" + std::string(tag.substr(1)) + "> closes nothing";
      open.pop_back();
    } else if (!tag.ends_with('/')) {
      open.emplace_back(tag.substr(0, tag.find_first_of(" \n")));
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> is not closed";
}

// The d attributes of the series paths (the lines of line charts).
std::vector<std::string> series_paths(const std::string& svg) {
  std::vector<std::string> out;
  const std::string key = "<path class=\"series\" d=\"";
  for (size_t at = svg.find(key); at != std::string::npos; at = svg.find(key, at + 1)) {
    const size_t start = at + key.size();
    out.push_back(svg.substr(start, svg.find('"', start) - start));
  }
  return out;
}

size_t count(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) n++;
  return n;
}

PanelView panel(std::string type, Results r, std::string title = "p") {
  PanelView p;
  p.spec.title = std::move(title);
  p.spec.type = std::move(type);
  p.results = std::move(r);
  return p;
}

View view_of(std::vector<PanelView> panels) {
  View v;
  v.title = "db <fleet> & \"friends\"";
  v.from_raw = "now-1h";
  v.to_raw = "now";
  v.from = kT0;
  v.to = kT0 + 3600 * kS;
  v.zone = "Asia/Seoul";
  v.variables = {{"host", "db1 & db2"}};
  v.note = "2016/09/06 fan-club <pre-sale>";
  v.panels = std::move(panels);
  return v;
}

TEST(RenderSvg, EveryPanelTypeIsWellFormedAndEscaped) {
  const Results two = results({series("cpu", {{"host", "a<b"}}, {1, 2, 3, 4}),
                               series("cpu", {{"host", "b&c"}}, {4, NAN, 2, 1})});
  std::vector<PanelView> ps;
  for (std::string t : {"line", "timeseries", "graph", "spark", "stat", "gauge", "bargauge", "bar", "barchart",
                        "table", "heatmap"}) {
    ps.push_back(panel(t, two, "<" + t + ">"));
    ps.back().spec.thresholds = {2, 3};
    ps.back().spec.unit = "%";
  }
  ps.push_back(panel("pie", two, "unknown"));
  ps.push_back(panel("line", Results{}, "empty"));
  ps.push_back(panel("line", two, "broken"));
  ps.back().error = "unknown variable $dc in \"<query>\"";
  // Bytes that are not UTF-8, and control characters.
  ps.push_back(panel("table", results({series("m\xff\x01", {}, {1})}), "bad \xc3"));
  const View v = view_of(ps);
  const std::string svg = view_svg(v);
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_TRUE(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(svg.find("<title>db &lt;fleet&gt; &amp; &quot;friends&quot;</title>"), std::string::npos);
  EXPECT_NE(svg.find("host=db1 &amp; db2"), std::string::npos);
  EXPECT_NE(svg.find("fan-club &lt;pre-sale&gt;"), std::string::npos);
  EXPECT_NE(svg.find("2020-01-01 09:00:00 to 2020-01-01 10:00:00 Asia/Seoul"), std::string::npos);
  EXPECT_NE(svg.find("&lt;heatmap&gt;"), std::string::npos);
  EXPECT_NE(svg.find("cpu.v host=a&lt;b"), std::string::npos);
  EXPECT_EQ(svg.find("a<b"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
  EXPECT_EQ(svg.find('\xff'), std::string::npos);
  EXPECT_NE(svg.find("unknown panel &quot;pie&quot;"), std::string::npos);
  EXPECT_NE(svg.find("no numeric data to draw"), std::string::npos);
  // Three line charts of two lines each (line, timeseries, graph).
  EXPECT_EQ(series_paths(svg).size(), 6u);
  // The same view, the same bytes.
  EXPECT_EQ(view_svg(v), svg);

  const std::string html = view_html(v);
  EXPECT_TRUE(html.starts_with("<!doctype html>\n"));
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_NE(html.find("<title>db &lt;fleet&gt; &amp; &quot;friends&quot;</title>"), std::string::npos);
  // The same drawing inside (the start tag adds a style).
  EXPECT_NE(html.find(svg.substr(svg.find("<title>"))), std::string::npos);
  // The table panels also as HTML tables: two series, then the bad one.
  EXPECT_EQ(count(html, "<table "), 3u);
  EXPECT_NE(html.find("<td style=\"padding:2px 8px;text-align:right\">2020-01-01 09:01:00</td>"), std::string::npos);
}

TEST(RenderSvg, OnePathPerLineAndGapsSplitIt) {
  // b has a null, c a time step of 10 minutes among steps of one.
  Series c = series("cpu", {{"host", "c"}}, {1, 2, 3, 4, 5, 6});
  for (size_t i = 3; i < c.values.size(); i++) std::get<int64_t>(c.values[i][0]) += 600 * kS;
  const View v = view_of({panel("line", results({series("cpu", {{"host", "a"}}, {1, 2, 3, 4, 5, 6}),
                                                 series("cpu", {{"host", "b"}}, {1, 2, NAN, 4, 5, 6}), c}))});
  const std::string svg = view_svg(v);
  const auto paths = series_paths(svg);
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(count(paths[0], "M"), 1u);
  EXPECT_EQ(count(paths[1], "M"), 2u);
  EXPECT_EQ(count(paths[2], "M"), 2u);
  // The series' colours as the terminal's: green, yellow, cyan.
  EXPECT_NE(svg.find("stroke=\"#73bf69\""), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#fade2a\""), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#6ed0e0\""), std::string::npos);
}

TEST(RenderSvg, ErrorsShowInTheirPanel) {
  PanelView bad = panel("line", {}, "bad");
  bad.error = "unknown variable $dc";
  Results failed;
  failed.error = "error parsing query: found EOF";
  const std::string svg = view_svg(view_of({bad, panel("stat", failed)}));
  EXPECT_NE(svg.find("fill=\"#f2495c\">unknown variable $dc</text>"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#f2495c\">ERR: error parsing query: found EOF</text>"), std::string::npos);
  EXPECT_EQ(xml_problem(svg), "");
}

TEST(RenderSvg, AMillionPointsMakeASmallPathKeepingSpikes) {
  std::vector<double> v(1000000, 1.0);
  v[500000] = 100;
  const std::string svg = view_svg(view_of({panel("line", results({series("m", {}, v, kS)}))}));
  EXPECT_LT(svg.size(), 100000u);
  const auto paths = series_paths(svg);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(count(paths[0], "M"), 1u);
  // The spike reaches the top of the plot: 100 is the scale's top tick.
  EXPECT_NE(svg.find(">100<"), std::string::npos);
  EXPECT_LT(count(paths[0], "L"), 5000u);
}

TEST(RenderGrid, PlacesAndFlows) {
  auto at = [](int x, int y, int w, int h) {
    PanelView p;
    p.spec.x = x;
    p.spec.y = y;
    p.spec.w = w;
    p.spec.h = h;
    return p;
  };
  // Three halves flow: two side by side, the third under the shorter.
  auto cells = layout({at(-1, -1, 12, 9), at(-1, -1, 12, 5), at(-1, -1, 12, 4)}, 100);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ((std::vector<int>{cells[0].x, cells[0].y, cells[0].w, cells[0].h}), (std::vector<int>{0, 0, 50, 9}));
  EXPECT_EQ((std::vector<int>{cells[1].x, cells[1].y, cells[1].w, cells[1].h}), (std::vector<int>{50, 0, 50, 5}));
  EXPECT_EQ((std::vector<int>{cells[2].x, cells[2].y, cells[2].w, cells[2].h}), (std::vector<int>{0, 9, 50, 4}));
  // Thirds of 80 columns touch; y is a floor; a width over 24, an x past
  // the grid and a height of 0 are cut.
  cells = layout({at(0, 0, 8, 3), at(8, 0, 8, 3), at(16, 0, 8, 3), at(6, 10, 6, 2), at(-1, -1, 6, 2),
                  at(-1, -1, 30, 0), at(23, -1, 6, 2)},
                 80);
  EXPECT_EQ(cells[1].x, 26);
  EXPECT_EQ(cells[1].x + cells[1].w, cells[2].x);
  EXPECT_EQ(cells[2].x + cells[2].w, 80);
  EXPECT_EQ(cells[3].y, 10);
  EXPECT_EQ(cells[4].x, 40);
  EXPECT_EQ(cells[4].y, 3);
  EXPECT_EQ((std::vector<int>{cells[5].x, cells[5].y, cells[5].w, cells[5].h}), (std::vector<int>{0, 12, 80, 1}));
  EXPECT_EQ((std::vector<int>{cells[6].x, cells[6].y, cells[6].w}), (std::vector<int>{60, 13, 20}));
}

TEST(Render, PanelTypesOfGrafana) {
  EXPECT_EQ(*panel_type("timeseries"), Panel::kLine);
  EXPECT_EQ(*panel_type("graph"), Panel::kLine);
  EXPECT_EQ(*panel_type("barchart"), Panel::kBar);
  EXPECT_EQ(*panel_type("stat"), Panel::kStat);
  EXPECT_FALSE(panel_type("pie").ok());
  EXPECT_FALSE(parse_panel("timeseries").ok());
}

// -- Input ----------------------------------------------------------------------

Results sample() {
  Series s = series("cpu", {{"host", "a"}}, {1.5, NAN, 3});
  s.columns.push_back("n");
  for (auto& r : s.values) {
    r.resize(3);
    r[2] = int64_t{7};
  }
  return results({s, series("cpu", {{"host", "b"}}, {2})});
}

TEST(RenderInput, ReadsWhatTsdQueryPrints) {
  for (auto f : {query::Format::kJson, query::Format::kCsv, query::Format::kLine}) {
    query::FormatOptions fo;
    fo.format = f;
    std::string text, err;
    query::format_results(sample(), fo, &text, &err);
    auto got = parse_results(text);
    ASSERT_TRUE(got.ok()) << query::format_name(f) << ": " << got.status().message();
    std::string again;
    fo.format = query::Format::kJson;
    query::format_results(*got, fo, &again, &err);
    std::string want;
    query::Results w = sample();
    if (f == query::Format::kLine) {
      // Line protocol has no nulls: the row with a null v keeps n alone.
      w.results[0].series[0].values[1][1] = Datum{};
    }
    query::format_results(w, fo, &want, &err);
    EXPECT_EQ(again, want) << query::format_name(f) << " from:\n" << text;
  }
}

TEST(RenderInput, DetectsAndRejects) {
  EXPECT_EQ(*detect_format("  {\"results\":[]}"), InputFormat::kJson);
  EXPECT_EQ(*detect_format("# c\ncpu v=1 1\n"), InputFormat::kLine);
  EXPECT_EQ(*detect_format("name,tags,time,v\n"), InputFormat::kCsv);
  auto g = parse_results("hello world\n");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(),
            "input is not InfluxDB JSON, CSV or line protocol (line 1: column 12: expected '=' and a value after the field key)");
  EXPECT_FALSE(parse_results("").ok());
  EXPECT_FALSE(parse_results("{\"results\": [").ok());
  EXPECT_FALSE(parse_results("{\"x\":1}").ok());
  auto lp = parse_results("cpu v=1 1\ncpu v=\n");
  ASSERT_FALSE(lp.ok());
  EXPECT_EQ(lp.status().message().substr(0, 8), "line 2: ");
  auto csv = parse_results("name,time,v\ncpu,1,2,3\n");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().message(), "record 2: 4 fields, the header has 3");
  // Epochs in seconds, ms, µs and ns are all 2020.
  for (int64_t t : {1577836800LL, 1577836800000LL, 1577836800000000LL, 1577836800000000000LL}) {
    EXPECT_EQ(guess_epoch_ns(t), kT0);
  }
}

// -- --follow (render/follow.h) ------------------------------------------------

// "m f=v T" lines, T in seconds after kT0.
std::string lp_line(const std::string& series, const std::string& fields, int64_t sec) {
  return series + " " + fields + " " + std::to_string(kT0 + sec * kS) + "\n";
}

// The (time, value) pairs of column `col` of the series named `key`
// ("cpu,cpu=cpu0").
std::vector<std::pair<int64_t, double>> column(const Results& r, const std::string& name,
                                               const std::vector<std::pair<std::string, std::string>>& tags,
                                               const std::string& col) {
  std::vector<std::pair<int64_t, double>> out;
  for (const auto& s : r.results.at(0).series) {
    if (s.name != name || s.tags != tags) continue;
    auto c = std::find(s.columns.begin(), s.columns.end(), col);
    if (c == s.columns.end()) continue;
    const size_t j = static_cast<size_t>(c - s.columns.begin());
    for (const auto& row : s.values) {
      if (row[j].index() == 1) out.emplace_back((std::get<int64_t>(row[0]) - kT0) / kS, std::get<double>(row[j]));
    }
  }
  return out;
}

FollowOptions follow_options(int64_t window, size_t max_lines = 1000, size_t max_points = 8192) {
  FollowOptions o;
  o.window = window;
  o.max_lines = max_lines;
  o.max_points = max_points;
  return o;
}

TEST(RenderFollow, ChunksSplitAnywhere) {
  std::string text;
  for (int i = 0; i < 20; i++) {
    text += lp_line("cpu,cpu=cpu0", "usage_user=" + std::to_string(i) + ",usage_system=" + std::to_string(2 * i) + "i", i);
    text += lp_line("mem", "used=" + std::to_string(100 + i) + "u,ok=true,note=\"a b\"", i);
  }
  Follow whole;
  whole.feed(text, 0);
  whole.finish(0);
  const Results want = whole.results();
  ASSERT_EQ(want.results.at(0).series.size(), 2u);
  EXPECT_EQ(whole.series(), 2u);
  EXPECT_EQ(whole.lines(), 4u);  // usage_user, usage_system, used, ok (not the string)
  EXPECT_EQ(whole.points(), 80u);
  EXPECT_EQ(whole.lines_read(), 40);
  EXPECT_EQ(whole.bad_lines(), 0);
  const auto& cpu = want.results[0].series[0];
  EXPECT_EQ(cpu.name, "cpu");
  EXPECT_EQ(cpu.columns, (std::vector<std::string>{"time", "usage_user", "usage_system"}));
  EXPECT_EQ(column(want, "cpu", {{"cpu", "cpu0"}}, "usage_system").back(), (std::pair<int64_t, double>{19, 38}));
  EXPECT_EQ(column(want, "mem", {}, "ok").front(), (std::pair<int64_t, double>{0, 1}));
  // Every split, in chunks of 1, 7 and 64 bytes: the same results.
  for (size_t step : {size_t{1}, size_t{7}, size_t{64}}) {
    Follow f;
    for (size_t i = 0; i < text.size(); i += step) f.feed(std::string_view(text).substr(i, step), 0);
    f.finish(0);
    EXPECT_EQ(f.results().results.at(0).series.size(), 2u);
    std::string a, b, err;
    query::FormatOptions fo;
    query::format_results(f.results(), fo, &a, &err);
    query::format_results(want, fo, &b, &err);
    EXPECT_EQ(a, b) << "chunks of " << step;
  }
  // A last line without '\n' waits for finish().
  Follow f;
  f.feed("cpu v=1 " + std::to_string(kT0), 0);
  EXPECT_EQ(f.points(), 0u);
  f.finish(0);
  EXPECT_EQ(f.points(), 1u);
}

TEST(RenderFollow, WindowTrimsBeforeTheNewestTime) {
  Follow f(follow_options(60 * kS));
  for (int i = 0; i <= 100; i++) f.feed(lp_line("cpu", "v=" + std::to_string(i), i), 0);
  const auto pts = column(f.results(), "cpu", {}, "v");
  ASSERT_EQ(pts.size(), 61u);  // 40..100
  EXPECT_EQ(pts.front().first, 40);
  EXPECT_EQ(pts.back().first, 100);
  EXPECT_EQ(f.points(), 61u);
  // Late points: inside the window they go in order, the same time again
  // replaces, before it they are not kept.
  f.feed(lp_line("cpu", "v=-1", 50) + lp_line("cpu", "v=-2", 60) + lp_line("cpu", "v=-3", 10), 0);
  EXPECT_EQ(f.points(), 61u);
  EXPECT_EQ(column(f.results(), "cpu", {}, "v")[20], (std::pair<int64_t, double>{60, -2}));
  // A series whose points all left the window is forgotten.
  f.feed(lp_line("disk", "free=1", 101), 0);
  EXPECT_EQ(f.series(), 2u);
  f.feed(lp_line("cpu", "v=1", 200), 0);
  EXPECT_EQ(f.series(), 1u);
  EXPECT_EQ(f.lines(), 1u);
  EXPECT_EQ(f.points(), 1u);  // cpu.v at 200
  // A line without a time is stamped with the arrival time.
  f.feed("cpu v=7\n", kT0 + 210 * kS);
  EXPECT_EQ(column(f.results(), "cpu", {}, "v").back(), (std::pair<int64_t, double>{210, 7}));
  EXPECT_EQ(f.newest(), kT0 + 210 * kS);
}

TEST(RenderFollow, SelectGlobsAndTags) {
  auto sel = parse_select("cpu.usage_u*,cpu=cpu-total,mem.used");
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->size(), 2u);
  EXPECT_EQ((*sel)[0].pattern, "cpu.usage_u*");
  EXPECT_EQ((*sel)[0].tags, (std::vector<std::pair<std::string, std::string>>{{"cpu", "cpu-total"}}));
  EXPECT_EQ((*sel)[1].pattern, "mem.used");
  EXPECT_FALSE(parse_select("cpu,,mem").ok());
  EXPECT_FALSE(parse_select("").ok());
  EXPECT_FALSE(parse_select("=x").ok());
  auto tag_only = parse_select("host=db*");
  ASSERT_TRUE(tag_only.ok());
  EXPECT_EQ((*tag_only)[0].pattern, "*");

  FollowOptions so;
  so.select = *sel;
  Follow f(so);
  std::string text;
  for (const char* c : {"cpu0", "cpu-total"}) {
    text += lp_line(std::string("cpu,cpu=") + c, "usage_user=1,usage_system=2,usage_idle=3", 0);
  }
  text += lp_line("mem", "used=5,free=6", 0) + lp_line("memory", "used=1", 0);
  f.feed(text, 0);
  const Results r = f.results();
  ASSERT_EQ(r.results[0].series.size(), 2u);
  EXPECT_EQ(r.results[0].series[0].tags, (std::vector<std::pair<std::string, std::string>>{{"cpu", "cpu-total"}}));
  EXPECT_EQ(r.results[0].series[0].columns, (std::vector<std::string>{"time", "usage_user"}));
  EXPECT_EQ(r.results[0].series[1].name, "mem");
  EXPECT_EQ(r.results[0].series[1].columns, (std::vector<std::string>{"time", "used"}));
  EXPECT_EQ(f.lines_read(), 4);
}

TEST(RenderFollow, BadLinesAreCounted) {
  Follow f;
  f.feed("cpu v=1 " + std::to_string(kT0) + "\ncpu v=\n# a comment\n\nhello\n", 0);
  f.feed("cpu v=2 " + std::to_string(kT0 + kS) + "\n", 0);
  f.finish(0);
  EXPECT_EQ(f.lines_read(), 4);
  EXPECT_EQ(f.bad_lines(), 2);
  EXPECT_EQ(f.last_error().substr(0, 8), "line 5: ");
  EXPECT_EQ(f.points(), 2u);
  EXPECT_EQ(f.status().substr(0, 51), "1 series, 1 lines, 2 points | read 4, 2 bad (line 5");
  // The frame: the status row, then the panel.
  Options o;
  o.width = 60;
  o.height = 10;
  o.glyphs = Glyphs::kAscii;
  const std::string frame = follow_frame(f, Panel::kSpark, o);
  EXPECT_EQ(frame.substr(0, frame.find('\n')).size(), 60u);
  EXPECT_NE(frame.find("\ncpu.v "), std::string::npos) << frame;
  Follow empty;
  EXPECT_NE(follow_frame(empty, Panel::kLine, o).find("\nwaiting for line protocol"), std::string::npos);
}

TEST(RenderFollow, MemoryIsCapped) {
  Follow f(follow_options(300 * kS, 10, 50));
  std::string text;
  for (int h = 0; h < 25; h++) text += lp_line("cpu,host=h" + std::to_string(100 + h), "a=1,b=2", 0);
  f.feed(text, 0);
  EXPECT_EQ(f.series(), 5u);
  EXPECT_EQ(f.lines(), 10u);
  EXPECT_EQ(f.dropped_lines(), 40u);
  f.feed(text, 0);  // the same ones again: not counted twice
  EXPECT_EQ(f.dropped_lines(), 40u);
  EXPECT_NE(f.status().find("| 40 lines over the cap of 10"), std::string::npos) << f.status();
  // Points a line: the oldest go.
  Follow g(follow_options(300 * kS, 1000, 50));
  for (int i = 0; i < 200; i++) g.feed(lp_line("cpu", "v=" + std::to_string(i), i), 0);
  const auto pts = column(g.results(), "cpu", {}, "v");
  ASSERT_EQ(pts.size(), 50u);
  EXPECT_EQ(pts.front().first, 150);
  EXPECT_EQ(g.points(), 50u);
}

}  // namespace
}  // namespace tsd::render

