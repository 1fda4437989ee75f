// Functions over points (select.h): the TA transformations, holt_winters
// and integral() by window, against InfluxDB 1.6.7's answers (influxd, the
// expected values copied from its JSON) over a small data set: 12 points
// 10 s apart, values 10 12 11 15 14 18 17 21 20 19 23 25 (integers as
// written, floats + 0.5), and for integral() the same values + 0.25 at
// irregular times.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <cstring>
#include <string>
#include <vector>

#include "query/go_sort.h"
#include "query/math_go.h"
#include "query/parser.h"
#include "query/select.h"

namespace tsd::query {
namespace {

constexpr int64_t kSecond = 1000000000;
const std::vector<int64_t> kValues{10, 12, 11, 15, 14, 18, 17, 21, 20, 19, 23, 25};
const std::vector<int64_t> kIrregular{0, 7, 20, 31, 44, 50, 61, 75, 82, 99, 100, 118};

struct Want {
  int64_t sec;
  double v;
};

ExprPtr call(const std::string& text) {
  Parser p(text);
  auto e = p.parse_expr();
  EXPECT_TRUE(e.ok()) << text;
  return e.ok() ? std::move(*e) : nullptr;
}

// The points at 0, 10, ... 110 s: integers, or floats (+ 0.5).
Seq points(bool ints) {
  Seq s;
  for (size_t k = 0; k < kValues.size(); k++) {
    Datum v = ints ? Datum(kValues[k]) : Datum(static_cast<double>(kValues[k]) + 0.5);
    s.push_back({static_cast<int64_t>(k) * 10 * kSecond, v, 0});
  }
  return s;
}

// Equal within one unit in the last place.
bool ulp_equal(double a, double b) {
  if (a == b) return true;
  int64_t ia, ib;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return (ia < 0) == (ib < 0) && std::llabs(ia - ib) <= 1;
}

void expect_points(const std::string& what, const Seq& got, const std::vector<Want>& want) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t k = 0; k < want.size(); k++) {
    EXPECT_EQ(got[k].time, want[k].sec * kSecond) << what << " #" << k;
    double v = NAN;
    ASSERT_TRUE(as_double(got[k].v, &v)) << what << " #" << k;
    EXPECT_TRUE(std::holds_alternative<double>(got[k].v)) << what << " #" << k;
    EXPECT_TRUE(ulp_equal(v, want[k].v)) << what << " #" << k << ": " << v << " != " << want[k].v;
  }
}

struct TaCase {
  const char* expr;
  bool ints;
  std::vector<Want> want;
};
// SELECT <expr> FROM s (raw points).
const std::vector<TaCase> kTa = {
    {"exponential_moving_average(v, 3)", false, {{20, 11.666666666666668}, {30, 13.583333333333334}, {40, 14.041666666666668}, {50, 16.270833333333336}, {60, 16.885416666666668}, {70, 19.192708333333336}, {80, 19.846354166666668}, {90, 19.673177083333336}, {100, 21.586588541666668}, {110, 23.543294270833336}}},
    {"exponential_moving_average(v, 4, 0, 'simple')", true, {{0, 10.0}, {10, 11.0}, {20, 11.0}, {30, 12.0}, {40, 12.8}, {50, 14.88}, {60, 15.728}, {70, 17.8368}, {80, 18.70208}, {90, 18.821248}, {100, 20.4927488}, {110, 22.29564928}}},
    {"double_exponential_moving_average(v, 3)", false, {{20, 11.805555555555557}, {30, 14.61111111111111}, {40, 14.784722222222223}, {50, 17.756944444444446}, {60, 17.93576388888889}, {70, 20.87152777777778}, {80, 21.012586805555557}, {90, 20.169704861111114}, {100, 22.79155815972222}, {110, 25.124131944444446}}},
    {"double_exponential_moving_average(v, 3, -1, 'simple')", false, {{40, 15.0}, {50, 17.875}, {60, 18.0}, {70, 20.90625}, {80, 21.03125}, {90, 20.1796875}, {100, 22.796875}, {110, 25.126953125}}},
    {"triple_exponential_moving_average(v, 2)", false, {{10, 12.425925925925922}, {20, 11.61111111111111}, {30, 15.339506172839503}, {40, 14.670096021947877}, {50, 18.357338820301777}, {60, 17.66506630086877}, {70, 21.348549509729207}, {80, 20.658614032413762}, {90, 19.530025910684348}, {100, 23.286360103943817}, {110, 25.54148532010138}}},
    {"triple_exponential_moving_average(v, 2, 1, 'simple')", false, {{10, 11.5}, {20, 11.5}, {30, 15.05555555555556}, {40, 14.586419753086423}, {50, 18.331275720164612}, {60, 17.656378600823043}, {70, 21.34545038866026}, {80, 20.657445511354982}, {90, 19.529568663313526}, {100, 23.286177581330747}, {110, 25.541411934720895}}},
    {"triple_exponential_derivative(v, 3)", false, {{30, 5.50552599263201}, {40, 5.722599418040741}, {50, 8.59633027522937}, {60, 7.791247782377275}, {70, 9.298156239590893}, {80, 7.866266302155678}, {90, 5.07225301435088}, {100, 5.7071256277432925}, {110, 6.786973798526308}}},
    {"triple_exponential_derivative(v, 2, -1, 'simple')", true, {{40, 9.138110072689498}, {50, 13.447510307643507}, {60, 7.8277886497064575}, {70, 11.315645435427646}, {80, 6.680296403647246}, {90, 1.7401570346171624}, {100, 6.185958488869803}, {110, 8.41348426241877}}},
    {"relative_strength_index(v, 4)", false, {{40, 79.22077922077922}, {50, 86.32478632478633}, {60, 77.49360613810742}, {70, 85.43849972421401}, {80, 76.44349399572297}, {90, 67.0337067846324}, {100, 80.0988863194357}, {110, 84.25809940990834}}},
    {"relative_strength_index(v, 3, 1, 'simple')", true, {{10, 100.0}, {20, 92.3076923076923}, {30, 94.11764705882354}, {40, 84.21052631578948}, {50, 90.3225806451613}, {60, 78.87323943661973}, {70, 88.0}, {80, 75.7314974182444}, {90, 62.63345195729538}, {100, 81.66259168704157}, {110, 86.73069632250727}}},
    {"kaufmans_efficiency_ratio(v, 3)", false, {{30, 0.7142857142857143}, {40, 0.3333333333333333}, {50, 0.7777777777777778}, {60, 0.3333333333333333}, {70, 0.7777777777777778}, {80, 0.3333333333333333}, {90, 0.3333333333333333}, {100, 0.3333333333333333}, {110, 0.7142857142857143}}},
    {"kaufmans_efficiency_ratio(v, 2, 0)", true, {{0, 1.0}, {10, 1.0}, {20, 0.3333333333333333}, {30, 0.6}, {40, 0.6}, {50, 0.6}, {60, 0.6}, {70, 0.6}, {80, 0.6}, {90, 1.0}, {100, 0.6}, {110, 1.0}}},
    {"kaufmans_adaptive_moving_average(v, 3)", false, {{30, 12.478610243958839}, {40, 12.620812043833986}, {50, 14.290118780913016}, {60, 14.515929209295491}, {70, 16.49895076092535}, {80, 16.780418697272168}, {90, 16.97173724679925}, {100, 17.430990941337186}, {110, 19.40509467218821}}},
    {"kaufmans_adaptive_moving_average(v, 4, 1)", true, {{10, 10.88888888888889}, {20, 11.670491714676459}, {30, 12.42003175757663}, {40, 14.866342929818476}, {50, 15.434509847517154}, {60, 15.71835064269781}, {70, 16.675972478302736}, {80, 17.278655678490594}, {90, 17.317664059461325}, {100, 18.347934833945672}, {110, 19.237030374697067}}},
    {"chande_momentum_oscillator(v, 3)", false, {{20, 33.33333333333333}, {30, 71.42857142857143}, {40, 33.33333333333333}, {50, 77.77777777777779}, {60, 33.33333333333333}, {70, 77.77777777777779}, {80, 33.33333333333333}, {90, 33.33333333333333}, {100, 33.33333333333333}, {110, 71.42857142857143}}},
    {"chande_momentum_oscillator(v, 4, 0, 'exponential')", true, {{0, 100.0}, {10, 100.0}, {20, 64.70588235294117}, {30, 81.81818181818183}, {40, 57.89473684210527}, {50, 72.41379310344827}, {60, 54.639175257731964}, {70, 70.73170731707317}, {80, 52.676801057501656}, {90, 33.80961575593744}, {100, 60.10396865422665}, {110, 68.45753545102289}}},
    {"chande_momentum_oscillator(v, 3, -1, 'simple')", false, {{30, 88.57142857142857}, {40, 69.23076923076923}, {50, 80.95238095238095}, {60, 58.33333333333333}, {70, 76.1904761904762}, {80, 51.79487179487179}, {90, 25.69002123142251}, {100, 63.42737722048067}, {110, 73.51494513810064}}},
};

// Go's math functions, as influxd 1.6.7 answers sin(value * 0 + x)...:
// the values where glibc's correctly rounded ones differ (sin, cos, pow,
// acos, atan, log(5, 3) and a large power), and some where they agree.
TEST(QueryFunctions, MathAsInfluxDB) {
  EXPECT_EQ(go_sin(10000000000.5), -0.00923094106553979);  // glibc: ...3976
  EXPECT_EQ(go_cos(0.7), 0.7648421872844884);               // glibc: ...885
  EXPECT_EQ(go_tan(1.5), 14.101419947171719);
  EXPECT_EQ(go_exp(1.234), 3.43494186080076);
  EXPECT_EQ(go_exp(-700), 9.85967654375977e-305);
  EXPECT_EQ(go_log(3.7), 1.308332819650179);
  EXPECT_EQ(go_log2(10), 3.321928094887362);
  EXPECT_EQ(go_log2(1024), 10);
  EXPECT_EQ(go_log10(7), 0.8450980400142568);
  EXPECT_EQ(go_pow(2.7, 2.5), 11.978692332637983);         // glibc: ...985
  EXPECT_EQ(go_pow(1.0001, 12345), 3.436447654031931);     // glibc: ...28197
  EXPECT_EQ(go_atan2(1, -3), 2.819842099193151);
  EXPECT_EQ(go_asin(0.75), 0.848062078981481);
  EXPECT_EQ(go_acos(0.3), 1.266103672779499);              // glibc: ...4992
  EXPECT_EQ(go_atan(5), 1.3734007669450157);               // glibc: ...016
  EXPECT_EQ(go_log(5) / go_log(3), 1.4649735207179273);    // glibc: ...269
  EXPECT_TRUE(std::isnan(go_asin(1.5)));
  EXPECT_TRUE(std::isnan(go_sin(INFINITY)));
  EXPECT_EQ(go_exp(800), INFINITY);
  EXPECT_EQ(go_exp(-800), 0);
}

TEST(QueryFunctions, TechnicalAnalysisAsInfluxDB) {
  for (const TaCase& c : kTa) {
    ExprPtr e = call(c.expr);
    ASSERT_NE(e, nullptr);
    Seq out;
    ASSERT_TRUE(transform(*e, points(c.ints), 0, &out).ok()) << c.expr;
    expect_points(c.expr, out, c.want);
  }
}

TEST(QueryFunctions, TechnicalAnalysisArgumentsAsInfluxDB) {
  struct Bad {
    const char* expr;
    int64_t interval;
    const char* error;
  };
  const std::vector<Bad> bad = {
      {"exponential_moving_average(v)", 0,
       "invalid number of arguments for exponential_moving_average, expected at least 2 but no more than 4, got 1"},
      {"kaufmans_efficiency_ratio(v, 2, 1, 'simple')", 0,
       "invalid number of arguments for kaufmans_efficiency_ratio, expected at least 2 but no more than 3, got 4"},
      {"relative_strength_index(v, 0)", 0, "relative_strength_index period must be greater than or equal to 1"},
      {"relative_strength_index(v, 2.5)", 0, "relative_strength_index period must be an integer"},
      {"triple_exponential_derivative(v, 3, 0)", 0,
       "triple_exponential_derivative hold period must be greater than or equal to 1"},
      {"double_exponential_moving_average(v, 3, -2)", 0,
       "double_exponential_moving_average hold period must be greater than or equal to 0"},
      {"exponential_moving_average(v, 3, 1, 'none')", 0,
       "exponential_moving_average warmup type must be one of: 'exponential' 'simple'"},
      {"chande_momentum_oscillator(v, 3, 1, 'x')", 0,
       "chande_momentum_oscillator warmup type must be one of: 'none' 'exponential' 'simple'"},
      {"exponential_moving_average(mean(v), 3)", 0,
       "exponential_moving_average aggregate requires a GROUP BY interval"},
      {"exponential_moving_average(v, 3)", 60 * kSecond,
       "aggregate function required inside the call to exponential_moving_average"},
  };
  for (const Bad& b : bad) {
    ExprPtr e = call(b.expr);
    ASSERT_NE(e, nullptr);
    Seq out;
    Status s = transform(*e, points(false), b.interval, &out);
    EXPECT_FALSE(s.ok()) << b.expr;
    EXPECT_NE(s.message().find(b.error), std::string::npos) << b.expr << ": " << s.message();
  }
}

// SELECT <expr> FROM s WHERE time >= 0 AND time < 120s GROUP BY time(10s):
// one point per window, so the inner aggregate's values are the points'.
struct HwCase {
  const char* expr;
  bool ints;
  std::vector<Want> want;
};
const std::vector<HwCase> kHw = {
    {"holt_winters(mean(v), 3, 0)", false, {{120, 25.894088417097695}, {130, 27.204256372652623}, {140, 28.526973487637786}}},
    {"holt_winters_with_fit(mean(v), 2, 4)", false, {{0, 10.5}, {10, 12.74996077818601}, {20, 10.516200807854817}, {30, 16.076290888885598}, {40, 15.352238380211421}, {50, 16.95968058749076}, {60, 17.396729422146702}, {70, 21.209111248384925}, {80, 21.113195908296714}, {90, 20.283158718983135}, {100, 23.410689100415965}, {110, 25.11921485435579}, {120, 25.61746264727821}, {130, 22.84102672093502}}},
    {"holt_winters(max(v), 4, 3)", true, {{120, 23.38390762868267}, {130, 24.996368583531964}, {140, 24.897098153827535}, {150, 25.02056164538396}}},
};

TEST(QueryFunctions, HoltWintersAsInfluxDB) {
  for (const HwCase& c : kHw) {
    ExprPtr e = call(c.expr);
    ASSERT_NE(e, nullptr);
    Seq in = points(c.ints);
    Seq out;
    ASSERT_TRUE(transform(*e, in, 10 * kSecond, &out).ok()) << c.expr;
    expect_points(c.expr, out, c.want);
  }
  Seq out;
  ExprPtr e = call("holt_winters(mean(v), 0, 1)");
  EXPECT_FALSE(transform(*e, points(false), 10 * kSecond, &out).ok());
  e = call("holt_winters(mean(v), 2, 1)");
  EXPECT_FALSE(transform(*e, points(false), 0, &out).ok());
  // Fewer than two points: no forecast.
  Seq one = points(false);
  one.resize(1);
  ASSERT_TRUE(transform(*e, one, 10 * kSecond, &out).ok());
  EXPECT_TRUE(out.empty());
}

// SELECT <expr> FROM g WHERE time >= 0 AND time < 120s GROUP BY time(Ns).
struct IntegralCase {
  const char* expr;
  bool ints;
  int64_t window;
  std::vector<Want> want;
};
const std::vector<IntegralCase> kIntegral = {
    {"integral(v)", false, 30, {{0, 362.1818181818182}, {30, 482.27272727272725}, {60, 592.1631016042782}, {90, 633.3823529411765}}},
    {"integral(v, 10s)", true, 30, {{0, 35.46818181818182}, {30, 47.27727272727273}, {60, 58.51631016042781}, {90, 63.08823529411765}}},
    {"integral(v, 1m)", false, 20, {{0, 3.8583333333333334}, {20, 4.66474358974359}, {40, 5.551165501165501}, {60, 6.520995670995671}, {80, 6.629761904761905}, {100, 7.2749999999999995}}},
};

TEST(QueryFunctions, IntegralByWindowAsInfluxDB) {
  for (const IntegralCase& c : kIntegral) {
    ExprPtr e = call(c.expr);
    ASSERT_NE(e, nullptr);
    Stream in;
    in.col.type = c.ints ? FieldType::kInteger : FieldType::kFloat;
    for (size_t k = 0; k < kValues.size(); k++) {
      int64_t t = kIrregular[k] * kSecond;
      if (c.ints) {
        in.col.push(t, kValues[k]);
      } else {
        in.col.push(t, static_cast<double>(kValues[k]) + 0.25);
      }
      in.origin.push_back(0);
    }
    int64_t w = c.window * kSecond;
    auto window = [w](int64_t t) { return std::pair<int64_t, int64_t>{t / w * w, t / w * w + w}; };
    Seq out;
    ASSERT_TRUE(integral_windows(*e, in, window, &out).ok()) << c.expr;
    expect_points(c.expr, out, c.want);
  }
}

// Go's sort.Sort: sorted by the given Less, every element kept; up to 12
// elements an insertion sort (stable); beyond, quicksort steps that move
// equal elements (which of them InfluxDB's mode() and percentile() then
// see first is checked against influxd by t2001).
TEST(QueryFunctions, GoSortOrdersAsGoDoes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 400; round++) {
    const size_t n = static_cast<size_t>(rng() % 300);
    const int spread = 1 + static_cast<int>(rng() % 20);
    std::vector<int> value(n);
    for (auto& v : value) v = static_cast<int>(rng() % static_cast<unsigned>(spread));
    if (round % 4 == 1) std::sort(value.begin(), value.end());
    if (round % 4 == 2) std::sort(value.rbegin(), value.rend());
    std::vector<size_t> idx(n);
    for (size_t k = 0; k < n; k++) idx[k] = k;
    go_sort(&idx, [&](size_t x, size_t y) { return value[x] < value[y]; });
    std::vector<size_t> seen = idx;
    std::sort(seen.begin(), seen.end());
    for (size_t k = 0; k < n; k++) ASSERT_EQ(seen[k], k) << "a permutation";
    for (size_t k = 1; k < n; k++) ASSERT_LE(value[idx[k - 1]], value[idx[k]]) << "round " << round;
  }
  // Twelve or fewer: insertion sort keeps equal elements in order.
  std::vector<int> twelve = {3, 1, 3, 2, 1, 3, 2, 1, 1, 3, 2, 2};
  std::vector<size_t> idx(twelve.size());
  for (size_t k = 0; k < idx.size(); k++) idx[k] = k;
  go_sort(&idx, [&](size_t x, size_t y) { return twelve[x] < twelve[y]; });
  EXPECT_EQ(idx, (std::vector<size_t>{1, 4, 7, 8, 3, 6, 10, 11, 0, 2, 5, 9}));
  // Thirteen equal elements: already sorted, left as they are.
  std::vector<size_t> same(13);
  for (size_t k = 0; k < same.size(); k++) same[k] = k;
  std::vector<size_t> before = same;
  go_sort(&same, [](size_t, size_t) { return false; });
  EXPECT_EQ(same, before);
  // InfluxDB's booleans: Less(x, y) = !x, no strict order; each false
  // moves before everything, so falses come out last first.
  std::vector<bool> b = {true, false, true, false, false};
  std::vector<size_t> bi = {0, 1, 2, 3, 4};
  go_sort(&bi, [&](size_t x, size_t) { return !b[x]; });
  EXPECT_EQ(bi, (std::vector<size_t>{4, 3, 1, 0, 2}));
}

}  // namespace
}  // namespace tsd::query
