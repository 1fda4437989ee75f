// EXPLAIN and EXPLAIN ANALYZE of a SELECT (select.h): what it reads.
//
// EXPLAIN plans without decoding anything: the expressions, then the
// shards, series, blocks (count and compressed bytes) and head-row values
// the statement would read, from block headers (InfluxDB's EXPLAIN shows
// the same kind of figures for its TSM files). EXPLAIN ANALYZE runs the
// statement and answers a tree of what it did: times, and the same counts
// plus the values decoded.
#include <chrono>

#include "core/time.h"
#include "query/select.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

Series one_column(const std::string& column) {
  Series s;
  s.columns = {column};
  return s;
}

void row(Series* s, std::string text) { s->values.push_back({Datum(std::move(text))}); }

std::string since(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

}  // namespace

StatementResult execute_explain(const SelectStatement& st, bool analyze, const ExecContext& cx) {
  StatementResult r;
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto info = analyze_select(st, cx.now);
  if (!info.ok()) {
    r.error = info.status().message();
    return r;
  }
  auto t1 = clock::now();
  ReadStats stats;
  stats.dry = !analyze;
  std::vector<Series> out;
  Status s = run_select(st, cx, &out, false, &stats);
  auto t2 = clock::now();
  if (!s.ok()) {
    r.error = s.message();
    return r;
  }
  if (!analyze) {
    Series plan = one_column("QUERY PLAN");
    for (const auto& f : st.fields) row(&plan, "EXPRESSION: " + expr_string(*f.expr));
    row(&plan, "NUMBER OF SHARDS: " + std::to_string(stats.shards.size()));
    row(&plan, "NUMBER OF SERIES: " + std::to_string(stats.series));
    row(&plan, "CACHED VALUES: " + std::to_string(stats.head_values));
    row(&plan, "NUMBER OF FILES: " + std::to_string(stats.shards.size()));
    row(&plan, "NUMBER OF BLOCKS: " + std::to_string(stats.blocks));
    row(&plan, "SIZE OF BLOCKS: " + std::to_string(stats.block_bytes));
    r.series.push_back(std::move(plan));
    return r;
  }
  Series tree = one_column("EXPLAIN ANALYZE");
  row(&tree, ".");
  row(&tree, "└── select");
  row(&tree, "    ├── execution_time: " + since(t1, t2));
  row(&tree, "    ├── planning_time: " + since(t0, t1));
  row(&tree, "    ├── total_time: " + since(t0, t2));
  row(&tree, "    └── read");
  row(&tree, "        ├── shards: " + std::to_string(stats.shards.size()));
  row(&tree, "        ├── series: " + std::to_string(stats.series));
  row(&tree, "        ├── blocks: " + std::to_string(stats.blocks));
  row(&tree, "        ├── blocks_size_bytes: " + std::to_string(stats.block_bytes));
  row(&tree, "        ├── head_values: " + std::to_string(stats.head_values));
  row(&tree, "        ├── values_decoded: " + std::to_string(stats.values));
  int64_t rows = 0;
  for (const auto& series : out) rows += static_cast<int64_t>(series.values.size());
  row(&tree, "        └── rows: " + std::to_string(rows));
  row(&tree, "");
  r.series.push_back(std::move(tree));
  return r;
}

}  // namespace tsd::query
