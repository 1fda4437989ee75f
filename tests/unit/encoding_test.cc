#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "encoding/encoding.h"

namespace tsd::enc {
namespace {

using I64 = std::numeric_limits<int64_t>;

std::vector<uint64_t> bits_of(const std::vector<double>& v) {
  std::vector<uint64_t> b(v.size());
  if (!v.empty()) std::memcpy(b.data(), v.data(), v.size() * 8);
  return b;
}

std::string enc_ints(const std::vector<int64_t>& v) {
  std::string s;
  encode_integers(v, &s);
  return s;
}

void round_trip_ints(const std::vector<int64_t>& v) {
  std::string s;
  encode_integers(v, &s);
  std::vector<int64_t> got = {42};  // decoders append
  Status st = decode_integers(s, &got);
  ASSERT_TRUE(st.ok()) << st.to_string();
  ASSERT_EQ(got.size(), v.size() + 1);
  EXPECT_EQ(std::vector<int64_t>(got.begin() + 1, got.end()), v);
  auto n = encoded_count(s);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, v.size());
  std::string t;
  encode_timestamps(v, &t);
  std::vector<int64_t> ts;
  ASSERT_TRUE(decode_timestamps(t, &ts).ok());
  EXPECT_EQ(ts, v);
}

void round_trip_floats(const std::vector<double>& v) {
  std::string s;
  encode_floats(v, &s);
  std::vector<double> got;
  Status st = decode_floats(s, &got);
  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(bits_of(got), bits_of(v));
}

std::vector<int64_t> walk_ints(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0, 1);
  double x = 50;
  std::vector<int64_t> v;
  for (size_t i = 0; i < n; ++i) {
    x = std::clamp(x + step(rng), 0.0, 100.0);
    v.push_back(static_cast<int64_t>(x));
  }
  return v;
}

std::vector<double> walk_floats(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0, 1);
  double x = 50;
  std::vector<double> v;
  for (size_t i = 0; i < n; ++i) v.push_back(x = std::clamp(x + step(rng), 0.0, 100.0));
  return v;
}

TEST(Integers, EdgeCases) {
  round_trip_ints({});
  round_trip_ints({0});
  round_trip_ints({I64::min()});
  round_trip_ints({I64::max(), I64::min()});
  round_trip_ints({I64::min(), I64::max(), I64::min(), 0, -1, 1, I64::max()});
  round_trip_ints(std::vector<int64_t>(1000, 7));
  round_trip_ints(std::vector<int64_t>(1000, I64::min()));
  std::vector<int64_t> v;
  for (int i = 0; i < 5000; ++i) v.push_back(i * 3 - 100);
  round_trip_ints(v);
}

TEST(Integers, RandomAndWalks) {
  std::mt19937_64 rng(1);
  for (size_t n : {2, 3, 127, 128, 129, 1000, 8640}) {
    std::vector<int64_t> v(n);
    for (auto& x : v) x = static_cast<int64_t>(rng());
    round_trip_ints(v);
    for (auto& x : v) x = static_cast<int64_t>(rng() % 1000) - 500;
    round_trip_ints(v);
    for (auto& x : v) x = static_cast<int64_t>(rng() >> (rng() % 64));
    round_trip_ints(v);
    round_trip_ints(walk_ints(n, static_cast<uint32_t>(n)));
  }
}

TEST(Integers, WalkCompressesNearItsEntropy) {
  auto v = walk_ints(8640, 3);
  std::string s = enc_ints(v);
  // ~2.2 bits of entropy a delta: well under a third of a byte a value.
  EXPECT_LT(s.size(), 8640u * 0.30);
  std::string c = enc_ints(std::vector<int64_t>(8640, 12345));
  EXPECT_LE(c.size(), 8u);
}

TEST(Unsigned, EdgeCases) {
  for (const std::vector<uint64_t>& v : std::vector<std::vector<uint64_t>>{
           {}, {0}, {UINT64_MAX}, {0, UINT64_MAX, 0, UINT64_MAX, 1, 1ull << 63}, std::vector<uint64_t>(300, UINT64_MAX)}) {
    std::string s;
    encode_unsigned(v, &s);
    std::vector<uint64_t> got;
    ASSERT_TRUE(decode_unsigned(s, &got).ok());
    EXPECT_EQ(got, v);
  }
}

TEST(Timestamps, RegularIsAFewBytes) {
  std::vector<int64_t> t;
  for (int i = 0; i < 8640; ++i) t.push_back(1700000000000000000 + i * 10000000000LL);
  std::string s;
  encode_timestamps(t, &s);
  EXPECT_LE(s.size(), 12u);
  std::vector<int64_t> got;
  ASSERT_TRUE(decode_timestamps(s, &got).ok());
  EXPECT_EQ(got, t);
  // A few missing points stay small.
  t.erase(t.begin() + 100);
  t.erase(t.begin() + 5000);
  s.clear();
  encode_timestamps(t, &s);
  EXPECT_LE(s.size(), 40u);
  got.clear();
  ASSERT_TRUE(decode_timestamps(s, &got).ok());
  EXPECT_EQ(got, t);
}

// A regular interval is read as first + i * step, without decoding; any
// other timestamps (or a damaged encoding) are not.
TEST(Timestamps, ProgressionsAreReadWithoutDecoding) {
  auto progression = [](const std::vector<int64_t>& v, size_t* n, int64_t* first, int64_t* step) {
    std::string b;
    encode_timestamps(v, &b);
    return timestamps_progression(b, n, first, step);
  };
  size_t n = 0;
  int64_t first = 0, step = 0;
  std::vector<int64_t> day;
  for (int64_t k = 0; k < 8640; k++) day.push_back(1451606400000000000 + k * 10000000000);
  ASSERT_TRUE(progression(day, &n, &first, &step));
  EXPECT_EQ(n, 8640u);
  EXPECT_EQ(first, day[0]);
  EXPECT_EQ(step, 10000000000);
  ASSERT_TRUE(progression({-7}, &n, &first, &step));
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(first, -7);
  ASSERT_TRUE(progression({-30, -20, -10, 0, 10}, &n, &first, &step));
  EXPECT_EQ(first, -30);
  EXPECT_EQ(step, 10);
  const int64_t top = std::numeric_limits<int64_t>::max();
  ASSERT_TRUE(progression({top - 20, top - 10, top}, &n, &first, &step));
  EXPECT_EQ(first + static_cast<int64_t>(n - 1) * step, top);
  EXPECT_FALSE(progression({1, 2, 4}, &n, &first, &step));
  EXPECT_FALSE(progression({10, 5, 0}, &n, &first, &step));  // descending
  EXPECT_FALSE(progression({5, 5, 5}, &n, &first, &step));   // not ascending
  EXPECT_FALSE(progression({std::numeric_limits<int64_t>::min(), 0, top}, &n, &first, &step));
  std::string b;
  encode_timestamps(day, &b);
  for (size_t cut = 0; cut < b.size(); cut++) {
    EXPECT_FALSE(timestamps_progression(std::string_view(b).substr(0, cut), &n, &first, &step));
  }
  EXPECT_FALSE(timestamps_progression(b + "x", &n, &first, &step));
  std::string ints;
  encode_integers(day, &ints);
  EXPECT_FALSE(timestamps_progression(ints, &n, &first, &step));
}

TEST(Timestamps, OutOfOrderAndHugeGaps) {
  round_trip_ints({5, 3, 9, -1000000000000000000, 4000000000000000000, I64::min(), I64::max(), 0});
  std::mt19937_64 rng(9);
  std::vector<int64_t> t;
  for (int i = 0; i < 3000; ++i) t.push_back(1700000000000000000 + i * 1000000000LL + static_cast<int64_t>(rng() % 2000000));
  std::shuffle(t.begin() + 1000, t.begin() + 1100, rng);
  round_trip_ints(t);
}

TEST(Floats, EdgeCases) {
  double qnan_payload = std::bit_cast<double>(0x7ff8000000abcdefull);
  double snan = std::bit_cast<double>(0x7ff0000000000001ull);
  double neg_nan = std::bit_cast<double>(0xfff8000000000123ull);
  round_trip_floats({});
  round_trip_floats({1.5});
  round_trip_floats({-0.0});
  round_trip_floats({0.0, -0.0});
  round_trip_floats({qnan_payload, snan, neg_nan, INFINITY, -INFINITY, -0.0, 0.0, 5e-324, -5e-324,
                     2.2250738585072009e-308, std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()});
  round_trip_floats(std::vector<double>(1000, 3.25));
  round_trip_floats(std::vector<double>(1000, qnan_payload));
}

TEST(Floats, DecimalWithExceptions) {
  std::vector<double> v;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3000; ++i) v.push_back(static_cast<double>(rng() % 10000) / 100);  // 12.34
  v[7] = -0.0;
  v[100] = NAN;
  v[2999] = 1e300;
  v[1500] = 0.1 + 0.2;
  round_trip_floats(v);
  std::string s;
  encode_floats(v, &s);
  EXPECT_LT(s.size(), 3000u * 2.5);  // 14 bits a value + exceptions, far below 8 bytes
}

TEST(Floats, RandomWalksAndBits) {
  for (size_t n : {2, 3, 200, 1000, 8640}) {
    round_trip_floats(walk_floats(n, static_cast<uint32_t>(n)));
    std::mt19937_64 rng(n);
    std::vector<double> v(n);
    for (auto& x : v) x = std::bit_cast<double>(rng());
    round_trip_floats(v);
  }
  auto w = walk_floats(8640, 11);
  std::string s;
  encode_floats(w, &s);
  EXPECT_LT(s.size(), 8640u * 7);  // better than Gorilla XOR's ~7.2 bytes a value
}

TEST(Booleans, RoundTrip) {
  std::mt19937_64 rng(2);
  for (size_t n : {0, 1, 2, 7, 8, 9, 1000}) {
    for (int kind = 0; kind < 3; ++kind) {
      std::vector<uint8_t> v(n);
      for (size_t i = 0; i < n; ++i) v[i] = kind == 0 ? rng() & 1 : kind == 1 ? (i / 100) & 1 : 1;
      std::string s;
      encode_booleans(v, &s);
      std::vector<uint8_t> got;
      ASSERT_TRUE(decode_booleans(s, &got).ok());
      EXPECT_EQ(got, v);
      if (kind == 2 && n == 1000) {
        EXPECT_LE(s.size(), 7u);
      }
    }
  }
}

TEST(Strings, RoundTrip) {
  std::vector<std::string> cases[] = {
      {},
      {""},
      {"", "", ""},
      {"a", "bc", ""},
      {"아이유 생중계 채널", "ünïcödé", "\xF0\x9F\x98\x80", std::string("nul\0byte", 8)},
      {std::string(100000, 'x'), "y", std::string(70000, '\xff')},
  };
  std::vector<std::string> repeated;
  for (int i = 0; i < 1000; ++i) repeated.push_back("status=ok host=db" + std::to_string(i % 7));
  for (auto& c : cases) {
    std::vector<std::string_view> views(c.begin(), c.end());
    std::string s;
    encode_strings(views, &s);
    std::vector<std::string> got;
    Status st = decode_strings(s, &got);
    ASSERT_TRUE(st.ok()) << st.to_string();
    EXPECT_EQ(got, c);
  }
  std::vector<std::string_view> views(repeated.begin(), repeated.end());
  std::string s;
  encode_strings(views, &s);
  EXPECT_LT(s.size(), 3000u);  // LZ4 finds the repeats
  std::vector<std::string> got;
  ASSERT_TRUE(decode_strings(s, &got).ok());
  EXPECT_EQ(got, repeated);
}

// Every truncation of an encoding and random damage give corruption (or,
// for a byte flip the format cannot detect, some values), never a crash.
// A numeric decoder, decoding everything.
template <class T>
auto whole(Status (*decode)(std::string_view, std::vector<T>*, size_t)) {
  return [decode](std::string_view in, std::vector<T>* out) { return decode(in, out, SIZE_MAX); };
}

template <class T, class Dec>
void expect_damage_is_reported(const std::string& s, Dec decode) {
  for (size_t len = 0; len < s.size(); ++len) {
    std::vector<T> out;
    Status st = decode(std::string_view(s.data(), len), &out);
    EXPECT_EQ(st.code(), Status::Code::kCorruption) << "truncated at " << len;
    EXPECT_NE(st.message().find("at byte"), std::string::npos) << st.message();
    EXPECT_TRUE(out.empty());
  }
  std::string extra = s + "x";
  std::vector<T> out;
  EXPECT_EQ(decode(extra, &out).code(), Status::Code::kCorruption);
  std::mt19937_64 rng(s.size());
  for (int k = 0; k < 300; ++k) {
    std::string d = s;
    d[rng() % d.size()] ^= static_cast<char>(1 + rng() % 255);
    out.clear();
    (void)decode(d, &out);
  }
}

// The decoders into a caller's buffer give what the vector ones give, a
// prefix when asked for one, and the same refusals of damaged input.
TEST(DecodeInto, SameAsIntoVectors) {
  std::vector<int64_t> ints = walk_ints(5000, 7), times;
  for (int i = 0; i < 5000; ++i) times.push_back(1451606400000000000 + i * 10000000000LL + (i % 7 == 0) * 3);
  std::vector<double> floats;
  for (int64_t v : ints) floats.push_back(static_cast<double>(v) / 7.0);
  std::vector<uint64_t> uns(ints.begin(), ints.end());
  std::string ei, et, ef, eu;
  encode_integers(ints, &ei);
  encode_timestamps(times, &et);
  encode_floats(floats, &ef);
  encode_unsigned(uns, &eu);
  for (size_t want : {size_t{0}, size_t{1}, size_t{777}, size_t{5000}, SIZE_MAX}) {
    const size_t n = std::min<size_t>(want, 5000);
    std::vector<int64_t> bi(5000), bt(5000);
    std::vector<double> bf(5000);
    std::vector<uint64_t> bu(5000);
    size_t got = 99;
    ASSERT_TRUE(decode_integers(ei, bi.data(), want, &got).ok());
    EXPECT_EQ(got, n);
    EXPECT_TRUE(std::equal(bi.begin(), bi.begin() + static_cast<ptrdiff_t>(n), ints.begin()));
    ASSERT_TRUE(decode_timestamps(et, bt.data(), want, &got).ok());
    EXPECT_EQ(got, n);
    EXPECT_TRUE(std::equal(bt.begin(), bt.begin() + static_cast<ptrdiff_t>(n), times.begin()));
    ASSERT_TRUE(decode_floats(ef, bf.data(), want, &got).ok());
    EXPECT_EQ(got, n);
    for (size_t k = 0; k < n; ++k) ASSERT_EQ(std::bit_cast<uint64_t>(bf[k]), std::bit_cast<uint64_t>(floats[k]));
    ASSERT_TRUE(decode_unsigned(eu, bu.data(), want, &got).ok());
    EXPECT_EQ(got, n);
    EXPECT_TRUE(std::equal(bu.begin(), bu.begin() + static_cast<ptrdiff_t>(n), uns.begin()));
  }
  std::vector<int64_t> room(5000);
  size_t got = 0;
  EXPECT_FALSE(decode_integers(ei.substr(0, ei.size() / 2), room.data(), SIZE_MAX, &got).ok());
  EXPECT_FALSE(decode_integers(et, room.data(), SIZE_MAX, &got).ok());  // a timestamp encoding
}

TEST(Damage, TruncationAndFlips) {
  for (const auto& v : {walk_ints(300, 1), std::vector<int64_t>{1, 2, 3, 5, 8, 13, 21, 34, 1000000},
                        std::vector<int64_t>(50, 9)}) {
    expect_damage_is_reported<int64_t>(enc_ints(v), whole(decode_integers));
  }
  std::vector<int64_t> gaps;
  for (int i = 0; i < 200; ++i) gaps.push_back(i * 10 + (i > 50) * 7 + (i > 120) * 9);
  std::string t;
  encode_timestamps(gaps, &t);
  expect_damage_is_reported<int64_t>(
      t, static_cast<Status (*)(std::string_view, std::vector<int64_t>*)>(decode_timestamps));
  std::vector<int64_t> wide;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 300; ++i) wide.push_back(static_cast<int64_t>(rng()));
  expect_damage_is_reported<int64_t>(enc_ints(wide), whole(decode_integers));

  std::string f;
  encode_floats(walk_floats(200, 2), &f);
  expect_damage_is_reported<double>(f, whole(decode_floats));
  std::vector<double> dec;
  for (int i = 0; i < 200; ++i) dec.push_back(i * 0.25);
  dec[3] = NAN;
  f.clear();
  encode_floats(dec, &f);
  expect_damage_is_reported<double>(f, whole(decode_floats));

  std::vector<uint8_t> b(300);
  for (size_t i = 0; i < b.size(); ++i) b[i] = (i * 7 % 11) < 5;
  std::string bs;
  encode_booleans(b, &bs);
  expect_damage_is_reported<uint8_t>(bs, decode_booleans);
  std::vector<uint8_t> runs(300, 0);
  std::fill(runs.begin() + 100, runs.begin() + 150, 1);
  bs.clear();
  encode_booleans(runs, &bs);
  expect_damage_is_reported<uint8_t>(bs, decode_booleans);

  std::vector<std::string_view> strs = {"alpha", "beta", "", "alpha beta alpha beta alpha beta alpha beta"};
  std::string ss;
  encode_strings(strs, &ss);
  expect_damage_is_reported<std::string>(ss, decode_strings);
}

TEST(Damage, RandomBytesAndWrongKinds) {
  std::mt19937_64 rng(7);
  for (int k = 0; k < 3000; ++k) {
    std::string s(rng() % 64, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    if (!s.empty() && k % 2) s[0] = "TFIUBS"[k % 6];
    std::vector<int64_t> i;
    std::vector<uint64_t> u;
    std::vector<double> f;
    std::vector<uint8_t> b;
    std::vector<std::string> st;
    (void)decode_integers(s, &i);
    (void)decode_timestamps(s, &i);
    (void)decode_unsigned(s, &u);
    (void)decode_floats(s, &f);
    (void)decode_booleans(s, &b);
    (void)decode_strings(s, &st);
    (void)encoded_count(s);
  }
  std::vector<double> f;
  Status st = decode_floats(enc_ints({1, 2}), &f);
  EXPECT_EQ(st.code(), Status::Code::kCorruption);
  EXPECT_EQ(st.message(), "float block: kind byte 0x49 at byte 0");
  std::string huge = "I";
  huge += std::string("\xff\xff\xff\xff\x0f", 5);
  std::vector<int64_t> i;
  EXPECT_EQ(decode_integers(huge, &i).code(), Status::Code::kCorruption);
  EXPECT_FALSE(encoded_count(huge).ok());
  EXPECT_FALSE(encoded_count("").ok());
}


TEST(Timestamps, DecimalScaleShrinksPrecisionZeros) {
  // Nanosecond times at millisecond precision with jitter: the 10^6 factor
  // is coded once, not in every residual.
  std::mt19937_64 rng(12);
  std::vector<int64_t> ms;
  for (int i = 0; i < 1000; ++i) ms.push_back((1700000000000 + i * 1000 + static_cast<int64_t>(rng() % 7)) * 1000000);
  std::string s;
  encode_timestamps(ms, &s);
  EXPECT_LT(s.size(), 1000u * 0.5);  // ~3 bits of jitter a value
  std::vector<int64_t> got;
  ASSERT_TRUE(decode_timestamps(s, &got).ok());
  EXPECT_EQ(got, ms);
  // Regular 10 s at nanoseconds: 'T', count, mode, first / 10^10, base.
  std::vector<int64_t> t;
  for (int i = 0; i < 1024; ++i) t.push_back(1451606400000000000 + i * 10000000000LL);
  s.clear();
  encode_timestamps(t, &s);
  EXPECT_LE(s.size(), 10u);
  got.clear();
  ASSERT_TRUE(decode_timestamps(s, &got).ok());
  EXPECT_EQ(got, t);
  // Multiples of powers of ten at the edges of the range, zeros, negatives.
  round_trip_ints({0, 0, 0});
  round_trip_ints({-1000000000000000000, 1000000000000000000, 0, -10, 20, 9000000000000000000});
  round_trip_ints({I64::min() + 8, I64::max() - 7, 0});  // multiples of 10 whose deltas overflow
  round_trip_ints({9000000000000000000, -9000000000000000000, 9000000000000000000});
}


// A prefix (want < n) decodes to the same first values as the whole, in
// every representation: what a reader of a time range inside a long
// segment gets.
TEST(Prefix, EveryRepresentationDecodesTheSameFirstValues) {
  std::vector<int64_t> constant(500, 77), gaps, wide, raw_bits;
  for (int i = 0; i < 500; ++i) gaps.push_back(i * 3 + (i > 200) * 50);
  std::mt19937_64 rng(8);
  for (int i = 0; i < 400; ++i) wide.push_back(static_cast<int64_t>(rng() >> 34));
  for (int i = 0; i < 9000; ++i) raw_bits.push_back(i % 50 == 0 ? static_cast<int64_t>(rng() >> 20) : i);
  std::vector<std::vector<int64_t>> ints = {constant, gaps, wide, raw_bits, walk_ints(500, 1),
                                            walk_ints(8640, 2), {1000, 2000, 5000}, {5}};
  for (const auto& v : ints) {
    std::string s = enc_ints(v);
    for (size_t want : {size_t{0}, size_t{1}, size_t{2}, v.size() / 3, v.size() - 1, v.size(), v.size() + 5}) {
      std::vector<int64_t> got = {42};
      ASSERT_TRUE(decode_integers(s, &got, want).ok()) << v.size() << " " << want;
      size_t k = std::min(want, v.size());
      ASSERT_EQ(got.size(), k + 1);
      EXPECT_TRUE(std::equal(got.begin() + 1, got.end(), v.begin())) << v.size() << " " << want;
    }
  }
  std::vector<double> dec;
  for (int i = 0; i < 3000; ++i) dec.push_back(static_cast<double>(rng() % 10000) / 100);
  dec[7] = -0.0;
  dec[1500] = 0.1 + 0.2;
  dec[2999] = 1e300;
  for (const auto& v : {dec, walk_floats(8640, 3)}) {
    std::string s;
    encode_floats(v, &s);
    for (size_t want : {size_t{1}, size_t{8}, size_t{1500}, size_t{1501}, v.size() - 1, v.size()}) {
      std::vector<double> got;
      ASSERT_TRUE(decode_floats(s, &got, want).ok());
      EXPECT_EQ(bits_of(got), bits_of(std::vector<double>(v.begin(), v.begin() + static_cast<ptrdiff_t>(want))));
    }
  }
}

// The byte after the kind and count: the mode each codec picked.
uint8_t mode_byte(const std::string& s) {
  size_t i = 1;
  while (static_cast<uint8_t>(s.at(i)) & 0x80) ++i;
  return static_cast<uint8_t>(s.at(i + 1));
}

TEST(Modes, EachRepresentationIsPickedWhereItIsSmallest) {
  std::vector<int64_t> constant(500, 77), gaps, wide;
  for (int i = 0; i < 500; ++i) gaps.push_back(i * 3 + (i > 200) * 50);
  std::mt19937_64 rng(8);
  for (int i = 0; i < 40; ++i) wide.push_back(static_cast<int64_t>(rng() >> 34));  // small and random
  EXPECT_EQ(mode_byte(enc_ints(constant)) & 3, 0);           // CONST
  EXPECT_EQ(mode_byte(enc_ints(gaps)) & 3, 1);               // RUNS
  EXPECT_EQ(mode_byte(enc_ints(wide)) & 3, 2);               // PACKED
  EXPECT_EQ(mode_byte(enc_ints(walk_ints(500, 1))) & 3, 3);  // ENTROPY
  EXPECT_EQ(mode_byte(enc_ints({1000, 2000, 5000})) >> 2, 3);  // decimal scale 10^3
  EXPECT_EQ(mode_byte(enc_ints({1000, 2001, 5000})) >> 2, 0);

  std::string f;
  encode_floats(walk_floats(500, 1), &f);
  EXPECT_EQ(mode_byte(f), 0);  // BITS
  std::vector<double> dec;
  for (int i = 0; i < 500; ++i) dec.push_back((i % 37) * 0.25);
  f.clear();
  encode_floats(dec, &f);
  EXPECT_EQ(mode_byte(f), 1);  // DECIMAL
  EXPECT_EQ(static_cast<uint8_t>(f.at(4)), 2);  // e = 2

  std::vector<uint8_t> alternating(64), few_runs(640, 1);
  for (size_t i = 0; i < alternating.size(); ++i) alternating[i] = i & 1;
  std::string b;
  encode_booleans(alternating, &b);
  EXPECT_EQ(mode_byte(b), 0);  // BITS
  b.clear();
  encode_booleans(few_runs, &b);
  EXPECT_EQ(mode_byte(b), 1);  // RUNS

  std::vector<std::string_view> short_strs = {"a", "b"}, repeats(100, "the same words again");
  std::string s;
  encode_strings(short_strs, &s);
  EXPECT_EQ(mode_byte(s), 0);  // RAW
  s.clear();
  encode_strings(repeats, &s);
  EXPECT_EQ(mode_byte(s), 1);  // LZ4
}

}  // namespace
}  // namespace tsd::enc
