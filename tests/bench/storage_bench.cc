// Storage speed: the write path (Writer::add and flush into a scratch data
// directory, devops-like lines) and reads (decode + merge of blocks, the
// last-write-wins sort of out-of-order data).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lineproto/lineproto.h"
#include "storage/block.h"
#include "storage/writer.h"

namespace tsd::storage {
namespace {

// n lines of 10 integer fields for 100 hosts, 10 s apart per host.
std::vector<std::string> devops_lines(int n) {
  std::vector<std::string> out;
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < n; ++i) {
    int host = i % 100;
    std::string l = "cpu,hostname=host_" + std::to_string(host) +
                    ",region=eu-west-1,datacenter=eu-west-1a,rack=" + std::to_string(host % 97) +
                    ",os=Ubuntu16.04LTS,arch=x64,team=NYC service_version=1i";
    for (int f = 0; f < 9; ++f) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      l += ",usage_" + std::to_string(f) + "=" + std::to_string(x % 100) + "i";
    }
    l += " " + std::to_string(1451606400000000000LL + (i / 100) * 10000000000LL);
    out.push_back(std::move(l));
  }
  return out;
}

void BM_WriterAddAndClose(benchmark::State& state) {
  auto lines = devops_lines(static_cast<int>(state.range(0)));
  std::vector<lp::ParsedLine> parsed(lines.size());
  for (size_t k = 0; k < lines.size(); k++) (void)lp::parse_line(lines[k], {}, &parsed[k]);
  for (auto _ : state) {
    char tmpl[] = "/tmp/tsd-storage-bench.XXXXXX";
    std::string dir = mkdtemp(tmpl);
    WriterOptions o;
    o.data_dir = dir;
    o.db = "bench";
    auto w = Writer::open(o);
    for (const auto& p : parsed) (void)(*w)->add(p, 0);
    (void)(*w)->close();
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(parsed.size()) * 10);
}
BENCHMARK(BM_WriterAddAndClose)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

Column walk(size_t n, int64_t t0) {
  Column c;
  c.type = FieldType::kFloat;
  double v = 50;
  uint64_t x = 42;
  for (size_t k = 0; k < n; k++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    v += static_cast<double>(static_cast<int64_t>(x >> 40) % 100) / 100.0;
    c.times.push_back(t0 + static_cast<int64_t>(k) * 10000000000LL);
    c.f.push_back(v);
  }
  return c;
}

void BM_DecodeMergeOverlapping(benchmark::State& state) {
  size_t n = static_cast<size_t>(state.range(0));
  std::string a, b;
  Column ca = walk(n, 0), cb = walk(n, 5000000000LL * static_cast<int64_t>(n));
  begin_block(FieldType::kFloat, &a);
  append_segment(ca, 0, n, &a);
  begin_block(FieldType::kFloat, &b);
  append_segment(cb, 0, n, &b);
  for (auto _ : state) {
    Column out;
    (void)decode_block(a, &out);
    (void)decode_block(b, &out);
    sort_dedup(&out);
    benchmark::DoNotOptimize(out.times.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(2 * n));
}
BENCHMARK(BM_DecodeMergeOverlapping)->Arg(8640);

}  // namespace
}  // namespace tsd::storage
