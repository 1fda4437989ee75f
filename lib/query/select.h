// The SELECT executor's inner pieces, shared by its files (not a public
// interface): the plan of a statement, the series it reads, the functions.
//
//   select_plan.cc   fields: wildcards and regexes expanded, columns named,
//                    calls classified and checked as InfluxDB checks them
//   select_read.cc   sources, shards, series grouped by GROUP BY tags, and
//                    the columns of a series read through ColumnCursor
//   functions.cc     aggregates, selectors and transformations over points
//   exec_select.cc   raw and aggregate queries: windows, fill, rows
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "query/condition.h"
#include "query/engine.h"
#include "query/eval.h"
#include "query/select_check.h"
#include "query/zone.h"
#include "storage/block.h"
#include "storage/store.h"

namespace tsd::query {

// -- functions (functions.cc) -------------------------------------------------

enum class FnKind : uint8_t { kNone, kAggregate, kSelector, kTransform, kMath, kPredictor };

FnKind function_kind(std::string_view name);

// A point of a stream: time, value, and where it came from (the series'
// index in its group, for a selector's other columns).
struct Pt {
  int64_t time = 0;
  Datum v;
  int32_t origin = -1;
};
using Seq = std::vector<Pt>;

// Points of one input, in time order (several series merged).
struct Stream {
  storage::Column col;
  std::vector<int32_t> origin;
  // The query reads last first (ORDER BY time DESC): distinct() keeps
  // each value's last time, the one InfluxDB's reducer sees first.
  bool descending = false;
};

// Applies aggregate or selector `call` (its first argument already read
// into `in`, points [a, b)) to one window; appends what it gives to *out
// (nothing for an empty window, except count's 0 is the caller's fill).
// Times of the points given are those of the points chosen (selectors)
// or `window_time` (aggregates).
Status reduce(const Expr& call, const Stream& in, size_t a, size_t b, int64_t window_time,
              Seq* out);

// The reductions reduce() knows, by name; a caller that reduces window
// after window with the same call names it once (reducer_of) and passes it.
enum class Reducer : uint8_t {
  kCount, kSum, kMean, kMedian, kMode, kSpread, kStddev, kDistinct, kIntegral, kFirst, kLast,
  kMax, kMin, kPercentile, kTop, kBottom, kSample, kOther
};
Reducer reducer_of(std::string_view name);
Status reduce(const Expr& call, Reducer r, const Stream& in, size_t a, size_t b,
              int64_t window_time, Seq* out);

// integral() with GROUP BY time, as InfluxDB 1.6's integral reducer: one
// stream over the group's points (`in`), a value per window that has
// points, each window closed by interpolating to its end from the next
// point, the area from there to that point counted in the next window
// with points. `window` gives the [start, end) of a time's window.
// Integers keep their quirk: the value carried over a window's end is the
// last point's, not the interpolated one.
Status integral_windows(const Expr& call, const Stream& in,
                        const std::function<std::pair<int64_t, int64_t>(int64_t)>& window,
                        Seq* out);

// Applies transformation `call` (derivative, difference, moving_average,
// cumulative_sum, elapsed, non_negative_*) to a sequence whose nulls are
// skipped. `interval` is GROUP BY time's (the default unit of derivative
// over aggregates), 0 when raw.
// `in` is in the query's order (descending for ORDER BY time DESC).
Status transform(const Expr& call, const Seq& in, int64_t interval, Seq* out,
                 bool descending = false);

// The technical-analysis transformations (functions_ta.cc), which
// transform() hands on: exponential_moving_average ... chande_momentum_oscillator.
bool is_ta_function(std::string_view name);
Status ta_transform(const Expr& call, const Seq& in, int64_t interval, Seq* out);

// holt_winters(agg, N, S) and holt_winters_with_fit (functions_hw.cc): the
// forecast of N intervals after the last point of `in` (one per window of
// the inner aggregate, nulls skipped), with the fitted values too when
// with_fit. `interval` is GROUP BY time's.
Status holt_winters(const Expr& call, const Seq& in, int64_t interval, Seq* out);

// What a SELECT read (EXPLAIN, EXPLAIN ANALYZE). With `dry`, nothing is
// decoded: the counts come from block headers and head rows alone.
struct ReadStats {
  bool dry = false;
  std::set<std::string> shards;
  int64_t series = 0;       // series read (after the tag condition)
  int64_t blocks = 0;       // blocks overlapping the range
  int64_t block_bytes = 0;  // their compressed size
  int64_t head_values = 0;  // points in head rows (not yet in blocks)
  int64_t values = 0;       // points decoded into columns
};

// Runs a SELECT into result series (no INTO). `keep_series`: a raw
// query's rows stay in series of their own with every tag (a subquery's).
// `stats`, when given, counts what was (or, dry, would be) read.
Status run_select(const SelectStatement& st, const ExecContext& cx, std::vector<Series>* out,
                  bool keep_series = false, ReadStats* stats = nullptr);

// EXPLAIN [ANALYZE] SELECT ... (exec_explain.cc).
StatementResult execute_explain(const SelectStatement& st, bool analyze, const ExecContext& cx);

// Float, integer or unsigned.
inline bool is_numeric(FieldType t) {
  return t == FieldType::kFloat || t == FieldType::kInteger || t == FieldType::kUnsigned;
}

// Point k of a column as a Datum.
inline Datum datum_at(const storage::Column& c, size_t k) {
  switch (c.type) {
    case FieldType::kFloat: return c.f[k];
    case FieldType::kInteger: return c.i[k];
    case FieldType::kUnsigned: return c.u[k];
    case FieldType::kString: return c.s[k];
    case FieldType::kBoolean: return c.b[k] != 0;
  }
  return std::monostate{};
}

// A Datum as a column's Value (datum_at's inverse); nullopt for null.
inline std::optional<Value> datum_value(const Datum& d) {
  switch (d.index()) {
    case 1: return Value(std::get<double>(d));
    case 2: return Value(std::get<int64_t>(d));
    case 3: return Value(std::get<uint64_t>(d));
    case 4: return Value(std::get<std::string>(d));
    case 5: return Value(std::get<bool>(d));
  }
  return std::nullopt;
}

// -- plan (select_plan.cc) ----------------------------------------------------

// A measurement's schema across the shards read.
struct Schema {
  std::map<std::string, FieldType> fields;
  std::set<std::string> tags;
  // A subquery's columns that show one of its tags: fields to the outer
  // query, but not among those a function's wildcard stands for
  // (count(*) counts its fields only, as influxd's does).
  std::set<std::string> tag_columns;
};

// A reference's type in the schema: its field's, tag, or unknown.
DataType schema_type(const std::string& name, const Schema& s);

struct PlanColumn {
  std::string name;
  const Expr* expr = nullptr;  // owned by Plan::exprs or the statement
};

struct Plan {
  std::vector<PlanColumn> columns;            // after time
  std::vector<ExprPtr> exprs;              // expanded field expressions
  bool aggregate = false;                  // calls of aggregates or selectors
  const Expr* selector = nullptr;          // the one selector when it alone is called
  std::string selector_key;                // its text (the same call written again is it too)
  bool is_selector(const Expr& e) const {
    return selector != nullptr && (&e == selector || (e.kind == Expr::Kind::kCall &&
                                                      e.name == selector->name &&
                                                      expr_string(e) == selector_key));
  }
  bool point_times = false;                // rows take the chosen points' times
  std::set<std::string> field_refs;        // fields read (selected and in WHERE)
};

Result<Plan> make_plan(const SelectStatement& st, const Schema& schema,
                       const std::vector<std::string>& group_tags);


// -- reading (select_read.cc) -------------------------------------------------

// A series across the shards read: its tags and its id in each.
struct SeriesRef {
  std::string key;
  std::vector<Tag> tags;
  // A subquery's series: the tags its outer query may see (null: all).
  std::shared_ptr<std::set<std::string>> visible;
  std::vector<std::pair<storage::Shard*, int64_t>> ids;
  // A subquery's series: its columns by name (instead of shards), and
  // which of the statement's subqueries gave it.
  std::shared_ptr<std::map<std::string, storage::Column>> data;
  int source = 0;
  const Tag* find(std::string_view k) const;
  // find(), but null for a tag the outer query of a subquery cannot see.
  const Tag* find_visible(std::string_view k) const;
};

struct MeasurementData {
  std::string name;
  Schema schema;
  std::vector<SeriesRef> series;  // by key
  // A raw subquery's: how its rows of equal time are ordered (the values
  // read, by name, and the columns that show them; exec_select.cc).
  std::vector<std::pair<std::string, std::string>> inner_tie;
  // An aggregate subquery's: rows of equal time in its series' order, also
  // in descending order.
  bool inner_by_series = false;
  // A subquery's: the starts of the shards it read.
  std::vector<int64_t> inner_shard_starts;
  // field name -> id (and type) in each shard
  std::map<storage::Shard*, std::map<std::string, int64_t>> field_ids;
  std::map<storage::Shard*, std::map<std::string, FieldType>> field_types;
  // The id of `field` in `shard`, or 0 when the shard has no such field.
  int64_t field_id(storage::Shard* shard, const std::string& field) const {
    auto fi = field_ids.find(shard);
    if (fi == field_ids.end()) return 0;
    auto f = fi->second.find(field);
    return f == fi->second.end() ? 0 : f->second;
  }
};

// A tag the WHERE clause requires (a term of its top-level AND): only
// the series the tag index gives for it need reading.
struct TagHint {
  std::string key;
  std::string value;            // key = 'value'
  const Expr* regex = nullptr;  // or key =~ /regex/
};

// The hint of a condition, when it has one.
std::optional<TagHint> tag_hint(const Expr* cond);

// The measurements the sources name (regexes matched against every
// shard's), with their series and schema; with a hint, only the series
// that have the tag (its key must not be a field of the measurement).
// (This and the readers below fail with kInterrupted when `stop` says so.)
Status read_measurements(const std::vector<storage::OpenShard>& shards,
                         const std::vector<Source>& sources, Regexes& re,
                         const Canceller& stop, std::vector<MeasurementData>* out,
                         const std::optional<TagHint>& hint = std::nullopt);

// A subquery's results as measurements (one per series name). Its series
// keep every tag (an outer GROUP BY sees them), but the outer query knows
// as tags only `dims`, the subquery's GROUP BY tags (`*`, WHERE), as
// InfluxDB does. all_dims: GROUP BY *.
// A raw subquery's (`raw_rows`): each series also holds kSubqueryRows, a
// column with a point per row it gave (an outer raw query gives a row for
// each, its columns null or not, as influxd's), and its columns without a
// value in any row are fields of the type `types` gives them (influxd's
// outer query knows the subquery's columns, not its values).
inline constexpr const char* kSubqueryRows = "\x01rows";
Status subquery_measurements(std::vector<Series> results, const std::vector<std::string>& dims,
                             bool all_dims, const Canceller& stop,
                             std::vector<MeasurementData>* out, bool raw_rows = false,
                             const std::map<std::string, FieldType>* types = nullptr);

// The points of `field` of a series in [min, max], across its shards.
// With `edge` kFirst or kLast only enough to hold the first or last point
// (block headers say which blocks can hold it): first()/last() queries.
enum class Edge : uint8_t { kAll, kFirst, kLast };
Status read_column(const MeasurementData& m, const SeriesRef& s, const std::string& field,
                   int64_t min, int64_t max, const Canceller& stop, storage::Column* out,
                   Edge edge = Edge::kAll);

// What one shard holds of a column in [min, max] without decoding it: the
// headers of the blocks overlapping the range, and the head rows' points
// in it (how many, the first's time).
struct ColumnSpan {
  std::vector<storage::BlockHeader> blocks;
  int64_t head_count = 0;
  int64_t head_first = 0;
};
Result<ColumnSpan> column_span(storage::Shard* shard, int64_t series, int64_t field, int64_t min,
                               int64_t max);

// What read_column would read, counted into *stats (block headers and
// head rows only).
Status count_column(const MeasurementData& m, const SeriesRef& s, const std::string& field,
                    int64_t min, int64_t max, ReadStats* stats);

// The number of points of `field` of a series in [min, max]: from block
// headers where a block lies inside the range and overlaps no other, by
// decoding only the others (and the head rows' points).
Result<int64_t> count_points(const MeasurementData& m, const SeriesRef& s,
                             const std::string& field, int64_t min, int64_t max,
                             const Canceller& stop);

}  // namespace tsd::query
