// Terminal panels (render/render.h, render/internal.h) and result sets read
// from text (render/input.h). The expected panels were worked out by hand
// from the layout rules in each panel's file and checked by eye.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "query/format.h"
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
    Row r{Datum{t0 + static_cast<int64_t>(i) * step}};
    r.push_back(std::isnan(values[i]) ? Datum{} : Datum{values[i]});
    s.values.push_back(std::move(r));
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
  // An hour over 60 columns: every 15 minutes.
  EXPECT_EQ(tick_texts(kT0, kT0 + 3600 * kS, utc, 60), (V{"00:00", "00:15", "00:30", "00:45", "01:00"}));
  // A minute: seconds.
  EXPECT_EQ(tick_texts(kT0 + 5 * kS, kT0 + 65 * kS, utc, 60), (V{"00:00:10", "00:00:20", "00:00:30", "00:00:40", "00:00:50", "00:01:00"}));
  // Two days at 3 h steps: midnight shows the date.
  EXPECT_EQ(tick_texts(kT0, kT0 + 2 * 86400 * kS, utc, 60),
            (V{"01-01", "12:00", "01-02", "12:00", "01-03"}));
  // Five years: years.
  const int64_t five = 1735689600000000000;  // 2025-01-01
  EXPECT_EQ(tick_texts(kT0 - 86400 * kS, five + 86400 * kS, utc, 60), (V{"2020", "2021", "2022", "2023", "2024", "2025"}));
  // One point: no span, no tick but itself at most.
  EXPECT_LE(time_ticks(kT0, kT0, utc, 60).size(), 1u);
}

TEST(RenderTime, Zone) {
  auto seoul = query::Zone::load("Asia/Seoul");
  ASSERT_TRUE(seoul.ok());
  // 2020-01-01T00:00Z is 09:00 in Seoul.
  EXPECT_EQ(tick_texts(kT0, kT0 + 3600 * kS, *seoul, 60), (V{"09:00", "09:15", "09:30", "09:45", "10:00"}));
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

TEST(RenderProbe, Print) {
  auto dump = [](const char* name, const std::string& s) { std::printf("== %s\n%s", name, show(s).c_str()); };
  Results r = two();
  dump("line ascii 40x10", render(Panel::kLine, r, opts(40, 10)));
  dump("line braille 40x10", render(Panel::kLine, r, opts(40, 10, Glyphs::kBraille)));
  dump("line block 60x8 color", render(Panel::kLine, r, opts(60, 8, Glyphs::kBlock, true)));
  dump("line braille 70x12 color", render(Panel::kLine, r, opts(70, 12, Glyphs::kBraille, true)));
  dump("spark 30", render(Panel::kSpark, r, opts(30, 5, Glyphs::kBraille)));
  dump("spark 50 color", render(Panel::kSpark, r, opts(50, 5, Glyphs::kBraille, true)));
  dump("spark ascii 24", render(Panel::kSpark, r, opts(24, 1)));
  Options t = opts(44, 6, Glyphs::kBraille, true);
  t.thresholds = {3, 6};
  t.unit = "%";
  dump("stat color", render(Panel::kStat, r, t));
  dump("gauge color", render(Panel::kGauge, r, t));
  dump("bargauge color", render(Panel::kBarGauge, r, t));
  dump("bar color", render(Panel::kBar, r, t));
  dump("stat 20", render(Panel::kStat, r, opts(20, 10, Glyphs::kBraille)));
  dump("table 30x6", render(Panel::kTable, r, opts(30, 6, Glyphs::kBraille)));
}

}  // namespace
}  // namespace tsd::render
