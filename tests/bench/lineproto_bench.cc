// Line protocol parsing speed on TSBS-style devops lines (integer and
// full-precision float variants), through parse_line and through Reader.
#include <benchmark/benchmark.h>

#include <charconv>
#include <string>

#include "lineproto/lineproto.h"

namespace tsd::lp {
namespace {

const char* const kFields[] = {"usage_user",   "usage_system", "usage_idle",    "usage_nice",
                               "usage_iowait", "usage_irq",    "usage_softirq", "usage_steal",
                               "usage_guest",  "usage_guest_nice"};

// A deterministic input of `n` lines, like the bench generator's.
std::string devops_lines(int n, bool floats) {
  std::string out;
  uint64_t x = 88172645463325252ull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  char buf[64];
  for (int i = 0; i < n; ++i) {
    int host = i % 100;
    out += "cpu,hostname=host_" + std::to_string(host) +
           ",region=eu-west-1,datacenter=eu-west-1a,rack=" + std::to_string(host % 97) +
           ",os=Ubuntu16.04LTS,arch=x64,team=NYC,service=" + std::to_string(host % 19) +
           ",service_version=1,service_environment=production ";
    for (int f = 0; f < 10; ++f) {
      if (f) out += ',';
      out += kFields[f];
      out += '=';
      if (floats) {
        // Full precision, written the shortest way as Telegraf (Go) does.
        double v = static_cast<double>(next() >> 11) * 0x1p-53 * 100;
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
      } else {
        out += std::to_string(next() % 100);
        out += 'i';
      }
    }
    out += ' ';
    out += std::to_string(1451606400000000000ll + (i / 100) * 10000000000ll);
    out += '\n';
  }
  return out;
}

void report(benchmark::State& state, size_t bytes, int lines) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * lines, benchmark::Counter::kIsRate);
  state.counters["values/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * lines * 10,
                                                  benchmark::Counter::kIsRate);
}

void BM_ParseLine(benchmark::State& state) {
  const bool floats = state.range(0) != 0;
  const int n = 10000;
  std::string in = devops_lines(n, floats);
  ParsedLine pl;
  ParseOptions opts;
  for (auto _ : state) {
    size_t pos = 0;
    int64_t sum = 0;
    while (pos < in.size()) {
      size_t nl = in.find('\n', pos);
      Status s = parse_line(std::string_view(in).substr(pos, nl - pos), opts, &pl);
      if (!s.ok()) state.SkipWithError(s.message().c_str());
      sum += pl.fields.size();
      pos = nl + 1;
    }
    benchmark::DoNotOptimize(sum);
  }
  report(state, in.size(), n);
}
BENCHMARK(BM_ParseLine)->ArgName("floats")->Arg(0)->Arg(1);

void BM_Reader(benchmark::State& state) {
  const bool floats = state.range(0) != 0;
  const int n = 10000;
  std::string in = devops_lines(n, floats);
  const size_t chunk = 64 * 1024;
  for (auto _ : state) {
    Reader r(ParseOptions{});
    int64_t sum = 0;
    auto on_line = [&](const ParsedLine& l) { sum += l.fields.size(); };
    auto on_error = [&](int64_t, const Status& s) { state.SkipWithError(s.message().c_str()); };
    for (size_t pos = 0; pos < in.size(); pos += chunk) {
      r.feed(std::string_view(in).substr(pos, chunk), on_line, on_error);
    }
    r.finish(on_line, on_error);
    benchmark::DoNotOptimize(sum);
  }
  report(state, in.size(), n);
}
BENCHMARK(BM_Reader)->ArgName("floats")->Arg(0)->Arg(1);

void BM_SeriesKey(benchmark::State& state) {
  std::string in = devops_lines(1, false);
  in.pop_back();
  ParsedLine pl;
  if (!parse_line(in, {}, &pl).ok()) state.SkipWithError("parse");
  for (auto _ : state) benchmark::DoNotOptimize(series_key(pl));
}
BENCHMARK(BM_SeriesKey);

void BM_FormatPoint(benchmark::State& state) {
  std::string in = devops_lines(1, true);
  in.pop_back();
  ParsedLine pl;
  if (!parse_line(in, {}, &pl).ok()) state.SkipWithError("parse");
  Point p = to_point(pl);
  std::string out;
  for (auto _ : state) {
    out.clear();
    format_point(p, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_FormatPoint);

}  // namespace
}  // namespace tsd::lp
