// Micro-benchmarks of the column codecs on blocks shaped like the bench
// data (TSBS devops walks: clamped [0,100], normal(0,1) steps). Items are
// values; bytes/value is reported as a counter.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "encoding/encoding.h"

namespace {

constexpr size_t kBlock = 8640;

std::vector<double> walk(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0, 1);
  double x = 50;
  std::vector<double> v(n);
  for (auto& y : v) y = x = std::clamp(x + step(rng), 0.0, 100.0);
  return v;
}

std::vector<int64_t> walk_ints(size_t n) {
  std::vector<int64_t> v;
  for (double x : walk(n, 1)) v.push_back(static_cast<int64_t>(x));
  return v;
}

std::vector<double> decimals(size_t n) {  // like Telegraf's mem/disk percentages: 12.5, 0.25
  std::vector<double> v;
  for (double x : walk(n, 2)) v.push_back(std::round(x * 100) / 100);
  return v;
}

std::vector<int64_t> times(size_t n) {
  std::vector<int64_t> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = 1451606400000000000 + static_cast<int64_t>(i) * 10000000000;
  return t;
}

template <class T, class Enc>
void run_encode(benchmark::State& state, const std::vector<T>& v, Enc encode) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    encode(std::span<const T>(v), &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * v.size()));
  state.counters["B/value"] = static_cast<double>(out.size()) / static_cast<double>(v.size());
}

// A decoder's vector overload (the 8-byte ones also write into a buffer).
#define VECTOR_DECODER(f) [](std::string_view in, auto* out) { return tsd::enc::f(in, out); }

template <class T, class Enc, class Dec>
void run_decode(benchmark::State& state, const std::vector<T>& v, Enc encode, Dec decode) {
  std::string in;
  encode(std::span<const T>(v), &in);
  std::vector<T> out;
  out.reserve(v.size());
  for (auto _ : state) {
    out.clear();
    if (!decode(in, &out).ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * v.size()));
}

void BM_EncodeIntegerWalk(benchmark::State& s) { run_encode(s, walk_ints(kBlock), tsd::enc::encode_integers); }
void BM_DecodeIntegerWalk(benchmark::State& s) {
  run_decode(s, walk_ints(kBlock), tsd::enc::encode_integers, VECTOR_DECODER(decode_integers));
}
// A 1000-point block (a storage segment): one rANS state, nibble table.
std::vector<int64_t> small_block() {
  auto v = walk_ints(kBlock);
  v.resize(1000);
  return v;
}
void BM_EncodeIntegerWalk1000(benchmark::State& s) { run_encode(s, small_block(), tsd::enc::encode_integers); }
void BM_DecodeIntegerWalk1000(benchmark::State& s) {
  run_decode(s, small_block(), tsd::enc::encode_integers, VECTOR_DECODER(decode_integers));
}
void BM_EncodeFloatWalk(benchmark::State& s) { run_encode(s, walk(kBlock, 1), tsd::enc::encode_floats); }
void BM_DecodeFloatWalk(benchmark::State& s) {
  run_decode(s, walk(kBlock, 1), tsd::enc::encode_floats, VECTOR_DECODER(decode_floats));
}
void BM_EncodeFloatDecimal(benchmark::State& s) { run_encode(s, decimals(kBlock), tsd::enc::encode_floats); }
void BM_DecodeFloatDecimal(benchmark::State& s) {
  run_decode(s, decimals(kBlock), tsd::enc::encode_floats, VECTOR_DECODER(decode_floats));
}
void BM_EncodeTimestamps(benchmark::State& s) { run_encode(s, times(kBlock), tsd::enc::encode_timestamps); }
void BM_DecodeTimestamps(benchmark::State& s) {
  run_decode(s, times(kBlock), tsd::enc::encode_timestamps, VECTOR_DECODER(decode_timestamps));
}
void BM_EncodeBooleans(benchmark::State& s) {
  std::vector<uint8_t> b(kBlock);
  std::mt19937 rng(3);
  for (auto& x : b) x = rng() & 1;
  run_encode(s, b, tsd::enc::encode_booleans);
}
void BM_EncodeStrings(benchmark::State& s) {
  std::vector<std::string> v;
  for (size_t i = 0; i < kBlock; ++i) v.push_back("state=" + std::to_string(i % 13));
  std::vector<std::string_view> views(v.begin(), v.end());
  run_encode(s, views, tsd::enc::encode_strings);
}

BENCHMARK(BM_EncodeIntegerWalk);
BENCHMARK(BM_DecodeIntegerWalk);
BENCHMARK(BM_EncodeIntegerWalk1000);
BENCHMARK(BM_DecodeIntegerWalk1000);
BENCHMARK(BM_EncodeFloatWalk);
BENCHMARK(BM_DecodeFloatWalk);
BENCHMARK(BM_EncodeFloatDecimal);
BENCHMARK(BM_DecodeFloatDecimal);
BENCHMARK(BM_EncodeTimestamps);
BENCHMARK(BM_DecodeTimestamps);
BENCHMARK(BM_EncodeBooleans);
BENCHMARK(BM_EncodeStrings);

}  // namespace
