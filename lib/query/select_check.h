// The checks InfluxDB 1.6 makes when it compiles a SELECT statement
// (query/compile.go), before it reads any data: in its order and in its
// words, so that a statement influxd refuses is refused here with the
// same message ("mixing aggregate and non-aggregate queries is not
// supported", "undefined function foo()", "derivative aggregate
// requires a GROUP BY interval", ...).
//
// In compile.go's order:
//   1. WHERE (influxql's ConditionExpr, then validateCondition): time
//      comparisons and their operators, "invalid condition expression",
//      calls other than math functions, math functions' argument counts;
//   2. GROUP BY (compileDimensions): time() and its interval and offset,
//      tags, * and regexes only;
//   3. the fields, each folded first as influxql's Reduce folds it (1 + 2
//      is 3), then every function's arguments (compileFunction and the
//      compileXxx of percentile, sample, distinct, top/bottom, derivative,
//      difference, cumulative_sum, moving_average, the technical-analysis
//      family, elapsed, integral, holt_winters, the math functions);
//   4. the fields together (validateFields): aggregates beside raw
//      fields, top/bottom beside other calls, fill(none|linear) and GROUP
//      BY time() without a call, distinct() alone;
//   5. each subquery the same way, inheriting the outer GROUP BY interval
//      and ORDER BY direction;
//   6. what query.Prepare checks before it reads anything: a GROUP BY
//      offset given as a time string ("invalid time dimension offset").
// What needs the schema (field types, wildcard expansion: validateTypes,
// RewriteFields) is the executor's, as are the executor-level checks made
// before compiling (system sources like _series, unknown databases).
// Pure functions of the statement: thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "query/ast.h"
#include "query/condition.h"

namespace tsd::query {

// What compile.go learns about a statement that passed its checks.
struct SelectInfo {
  int64_t interval = 0;  // GROUP BY time(i): i in nanoseconds; 0 when none (or time(0s))
  int64_t offset = 0;    // GROUP BY time(i, o): o brought into [0, i); now() read at `now`
  // WHERE's time range; with an interval and no upper bound, the upper
  // bound is `now` (as InfluxDB does for GROUP BY time() queries).
  TimeRange time_range;
  bool ascending = true;              // ORDER BY time DESC makes it false
  bool only_selectors = true;         // no aggregate or transform among the calls
  bool has_distinct = false;          // distinct() / DISTINCT x at the top of a field
  bool has_auxiliary_fields = false;  // raw fields, *, regexes, or top()/bottom() tags
  int function_calls = 0;             // calls that are not math functions, nested ones too
  std::string top_bottom;             // "top" or "bottom" when one is used
  int64_t extra_intervals = 0;        // intervals read before the range (derivative:
                                      // 1, moving_average(x, n): n)
  std::string time_alias = "time";    // SELECT time AS t, ...: "t"
};

// Runs the checks with `now` (nanoseconds) as now(): OK with what the
// compilation learnt, or the first error in InfluxDB 1.6's words.
Result<SelectInfo> analyze_select(const SelectStatement& st, int64_t now);

// analyze_select at the wall clock, for its verdict alone.
Status check_select(const SelectStatement& st);

// An expression printed as influxql's String() prints it (the text
// InfluxDB puts in messages): identifiers quoted when they need it
// ("my field", "select"), strings in single quotes with \' \\ \n,
// numbers with three decimals (2.500), durations as influxql_duration,
// binary operators spaced (a + b), calls as name(a, b).
std::string expr_string(const Expr& e);
// A type's name as influxql prints it (float, integer, tag, field...).
std::string data_type_name(DataType t);

// A duration as influxql.FormatDuration writes it: in the largest unit of
// w d h m s ms u that divides it exactly ("90s", "2w", "1500ms", "0s";
// not Go's "1m30s" of tsd::format_duration).
std::string influxql_duration(int64_t ns);

}  // namespace tsd::query
