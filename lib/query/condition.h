// WHERE conditions: the time range they set, and what they say about a
// series from its tags alone.
//
// As InfluxDB 1.x (influxql's ConditionExpr): every comparison of `time`
// with a time (RFC 3339 or 'YYYY-MM-DD[ HH:MM:SS[.f]]' strings read in
// the statement's tz(), integers and durations as epoch nanoseconds,
// now() and now() +/- durations) narrows one range, whether it sits under
// AND or OR (InfluxDB intersects them all). The rest of the condition is
// evaluated per series (tags known, fields not yet: kUnknown) and then
// per row (eval.h), where the time comparisons count as true.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/point.h"
#include "core/status.h"
#include "core/time.h"
#include "query/ast.h"
#include "query/eval.h"
#include "query/zone.h"

namespace tsd::query {

struct TimeRange {
  int64_t min = kMinTime;  // inclusive
  int64_t max = kMaxTime;  // inclusive
  bool has_min = false, has_max = false;
  bool empty() const { return min > max; }
};

// The time range of `cond` (null: unbounded). Errors in InfluxDB's words
// ("invalid operation: time and *influxql.VarRef are not compatible",
// "invalid timestamp string", "invalid time comparison operator: !=").
Status time_range(const Expr* cond, int64_t now, const Zone& zone, TimeRange* out);

// Whether `cond` (null: no) compares `time` with anything, under AND, OR
// and parentheses: the statements that refuse time ask this.
bool has_time_condition(const Expr* cond);

// A time value as a WHERE clause or a GROUP BY offset gives it.
Result<int64_t> time_value(const Expr& e, int64_t now, const Zone& zone);

enum class Truth : uint8_t { kFalse, kTrue, kUnknown };

// How a reference in a condition resolves for a measurement: the value of
// a tag (empty when the series lacks it), or a field (kUnknown until a row
// is read).
struct TagScope {
  // The tag's value for the series (empty when it has no such tag).
  std::function<std::string_view(std::string_view key)> tag;
  // Whether `name` is a field of the measurement (then not a tag).
  std::function<bool(std::string_view name)> is_field;
  // InfluxDB's series index reading (SHOW SERIES, TAG KEYS and TAG VALUES,
  // DROP SERIES, DELETE): a comparison it cannot answer from tags (a
  // reference with a number, a boolean or a duration; no reference at
  // all) is unknown, as a field is; `a = b` of two tags holds when the
  // series has both, `a != b` when it has a and not b.
  bool index_reading = false;
};

// What `cond` says about a series from its tags: false (skip the series),
// true (every row), or unknown (it depends on field values: evaluate per
// row). Time comparisons are true.
Truth eval_on_tags(const Expr& cond, const TagScope& scope, Regexes& re);

// Whether a series with `tags` (sorted by key) satisfies `cond` (null: yes)
// when every reference is a tag: for SHOW ... WHERE, DROP SERIES, DELETE.
bool tags_match(const Expr* cond, const std::vector<Tag>& tags, Regexes& re);

}  // namespace tsd::query
