// SELECT statements (engine.h): raw rows and aggregates by window, per
// group of series, as InfluxDB 1.6 answers them.
#include <algorithm>
#include <numeric>
#include <optional>

#include "query/column_filter.h"
#include "query/merge.h"
#include "query/rp_auto.h"
#include "query/select.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;
using storage::Column;

Datum at(const Column& c, size_t k) { return datum_at(c, k); }

// Calls f(ref) for every variable reference in e, by an explicit stack (a
// 1,000-deep expression must not overflow the call stack).
template <class F>
void for_each_ref(const Expr& e, F&& f) {
  std::vector<const Expr*> stack{&e};
  while (!stack.empty()) {
    const Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == K::kVarRef) f(*x);
    for (const auto& a : x->args) stack.push_back(a.get());
  }
}

// A column of a selector's auxiliary values: references to fields and tags,
// alone or in arithmetic and math functions (`abs(x) + y`), evaluated on
// the point the selector chose.
bool is_aux_expr(const Expr& e) {
  bool ref = false;
  std::vector<const Expr*> stack{&e};
  while (!stack.empty()) {
    const Expr* x = stack.back();
    stack.pop_back();
    switch (x->kind) {
      case K::kVarRef: ref = true; break;
      case K::kNumber: case K::kInteger: case K::kUnsigned: case K::kString: case K::kBoolean:
        break;
      case K::kCall:
        if (!is_math_function(x->name)) return false;
        [[fallthrough]];
      case K::kParen: case K::kBinary:
        for (const auto& a : x->args) stack.push_back(a.get());
        break;
      default: return false;
    }
  }
  return ref;
}

// influxd's sorted merge heap orders points of equal time by auxiliary
// values as long as both are strings; at the first that is not (a number,
// a value missing) they are equal and the heap's own order decides
// (query/iterator.gen.go, SortedMergeHeap.Less). `value(x, series, time)`
// gives the x-th of `count` values, a string or nothing; `times` are the
// merged sequences the TieLess speaks of.
template <class Value>
TieLess strings_tie(size_t count, Value value, const std::vector<const std::vector<int64_t>*>& times,
                    bool descending) {
  return [count, value, &times, descending](int32_t sa, size_t ka, int32_t sb, size_t) {
    const auto a = static_cast<size_t>(sa), b = static_cast<size_t>(sb);
    const int64_t t = (*times[a])[ka];
    for (size_t x = 0; x < count; x++) {
      auto va = value(x, a, t), vb = value(x, b, t);
      if (!va || !vb) return false;
      if (*va != *vb) return descending ? *va > *vb : *va < *vb;
    }
    return false;
  };
}

// The part [from, to) of n rows (or series) that OFFSET and LIMIT (0: no
// limit) keep.
std::pair<size_t, size_t> page(size_t n, int64_t offset, int64_t limit) {
  const size_t from = std::min<size_t>(n, static_cast<size_t>(offset));
  const size_t to = limit > 0 ? std::min<size_t>(n, from + static_cast<size_t>(limit)) : n;
  return {from, to};
}

// How many intervals before the first window a transformation needs.
// InfluxDB 1.6 reads one for every transformation over an aggregate but
// cumulative_sum (moving_average and the TA functions too: their larger
// ExtraIntervals only widen the shards mapped, not the points read), none
// for holt_winters.
int64_t extra_intervals(const Expr& e) {
  int64_t n = 0;
  if (e.kind == K::kCall && function_kind(e.name) == FnKind::kTransform && !e.args.empty() &&
      e.args[0]->kind == K::kCall && e.name != "cumulative_sum") {
    n = 1;
  }
  for (const auto& a : e.args) n = std::max(n, extra_intervals(*a));
  return n;
}

// The part [from, to) of n series that SOFFSET and SLIMIT keep; InfluxDB
// 1.6 answers nothing for SOFFSET without SLIMIT (its series limit is then
// 0 after the offset): kept for equal answers.
std::pair<size_t, size_t> series_page(size_t n, const SelectStatement& st) {
  auto [from, to] = page(n, st.soffset, st.slimit);
  if (st.soffset > 0 && st.slimit == 0) to = from;
  return {from, to};
}

// The points influxd 1.6's storage engine gives a query read with LIMIT
// and OFFSET on: it stops each shard's points of a series (a GROUP BY's
// series) after offset + limit + 1 (tsdb/engine/tsm1's limit iterator,
// whose test is n - offset > limit). A raw query's OFFSET without LIMIT
// then keeps one point of a shard; top() and bottom() of a field read
// theirs so too (query/select.go builds their input with the statement's
// options). keep(t) says, for the points in the query's order, whether a
// point at time t is among the first of its shard. `on`: whether it cuts.
class StorageLimit {
 public:
  StorageLimit(bool on, const SelectStatement& st, const std::vector<int64_t>& shard_starts)
      : on_(on && (st.offset > 0 || st.limit > 0)),
        each_(st.offset > INT64_MAX - 1 - st.limit ? INT64_MAX : st.offset + st.limit + 1),
        starts_(shard_starts), seen_(shard_starts.size() + 1, 0) {}
  bool on() const { return on_; }
  bool keep(int64_t t) {
    size_t k = std::upper_bound(starts_.begin(), starts_.end(), t) - starts_.begin();
    return seen_[k]++ < each_;
  }

 private:
  bool on_;
  int64_t each_;
  const std::vector<int64_t>& starts_;
  std::vector<int64_t> seen_;
};

// Ascending windows to descending and back: the points of a window (of
// distinct() or top(); window_of gives each one's) keep their order, as
// InfluxDB keeps its reducers' order in either direction.
template <class T, class WindowOf>
void flip_windows(std::vector<T>* v, WindowOf window_of) {
  std::reverse(v->begin(), v->end());
  for (size_t a = 0; a < v->size();) {
    size_t b = a + 1;
    while (b < v->size() && window_of((*v)[b]) == window_of((*v)[a])) b++;
    std::reverse(v->begin() + static_cast<std::ptrdiff_t>(a), v->begin() + static_cast<std::ptrdiff_t>(b));
    a = b;
  }
}

// A value cast as `ref::type` asks (float and integer convert; other
// mismatches are null).
Datum cast(const Datum& d, DataType t) {
  if (is_null(d)) return d;
  switch (t) {
    case DataType::kFloat:
      if (d.index() == 2) return static_cast<double>(std::get<int64_t>(d));
      if (d.index() == 3) return static_cast<double>(std::get<uint64_t>(d));
      return d.index() == 1 ? d : Datum();
    case DataType::kInteger:
      if (d.index() == 1) return static_cast<int64_t>(std::get<double>(d));
      return d.index() == 2 ? d : Datum();
    case DataType::kUnsigned: return d.index() == 3 ? d : Datum();
    case DataType::kString: return d.index() == 4 ? d : Datum();
    case DataType::kBoolean: return d.index() == 5 ? d : Datum();
    default: return d;
  }
}

// What a statement's GROUP BY asks.
struct Grouping {
  int64_t interval = 0, offset = 0;
  bool all_tags = false;
  std::vector<std::string> tags;
  std::vector<const Expr*> tag_regexes;
};

Status read_grouping(const SelectStatement& st, int64_t now, Grouping* g) {
  for (const auto& d : st.dimensions) {
    if (d->kind == K::kCall && d->name == "time") {
      if (d->args.empty() || d->args[0]->kind != K::kDuration)
        return Status::invalid_argument("time dimension must have duration argument");
      g->interval = d->args[0]->integer;
      // time(0s) or a negative interval: no time grouping, as InfluxDB reads it.
      if (g->interval <= 0) {
        g->interval = 0;
        continue;
      }
      if (d->args.size() > 1) {
        const Expr& o = *d->args[1];
        if (o.kind == K::kDuration) {
          g->offset = o.integer % g->interval;
        } else if (o.kind == K::kCall && o.name == "now") {
          g->offset = now % g->interval;
        } else {
          return Status::invalid_argument("time dimension offset must be duration or now()");
        }
        if (g->offset < 0) g->offset += g->interval;
      }
    } else if (d->kind == K::kVarRef) {
      g->tags.push_back(d->name);
    } else if (d->kind == K::kWildcard) {
      g->all_tags = true;
    } else if (d->kind == K::kRegex) {
      g->tag_regexes.push_back(d.get());
    } else {
      return Status::invalid_argument("only time and tag dimensions allowed");
    }
  }
  return Status();
}

// The data of one series for a statement: its columns of the fields the
// statement reads, only the rows the condition keeps.
struct SeriesData {
  const SeriesRef* ref = nullptr;
  std::vector<Column> cols;  // by Exec::refs
  std::vector<int64_t> counts;  // by Exec::refs, when only counts are asked (Exec::count_only)
  // Exec::lazy_fields: which of cols are read yet (empty: all of them).
  std::vector<bool> loaded;
};

struct Group {
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<SeriesData> series;
  // Where its points come from: shards (influxd's storage engine and its
  // iterators' orders) or a subquery's answer.
  bool from_shards() const { return !series.empty() && !series[0].ref->data; }
  bool from_subquery() const { return !series.empty() && series[0].ref->data; }
};

// (kInterrupted when `stop` says so, *s then half filled.)
Status fill_seq(const SelectStatement& st, int64_t interval, const Canceller& stop, Seq* s,
                DataType type = DataType::kUnknown) {
  // Windows whose value is missing (origin -2 marks "no points").
  if (st.fill == Fill::kNone) {
    s->erase(std::remove_if(s->begin(), s->end(), [](const Pt& p) { return p.origin == -2 && is_null(p.v); }), s->end());
    return stop.check();
  }
  if (st.fill == Fill::kNumber && st.fill_value) {
    // The number takes the type of the column's values (fill(7.5) of an
    // integer column is 7), as InfluxDB casts it; a string column's is ""
    // and a boolean one's false (its castToString/castToBoolean of a number).
    // (`type`: the column's when it has no point, a selector of a string
    // or boolean field: influxd's iterator has that type all the same.)
    const Expr& f = *st.fill_value;
    Datum v = f.kind == K::kNumber ? Datum(f.number) : Datum(f.integer);
    if (type == DataType::kString) v = std::string();
    if (type == DataType::kBoolean) v = false;
    for (const Pt& p : *s) {
      if (p.origin == -2 || is_null(p.v)) continue;
      if (p.v.index() == 2 && v.index() == 1) v = static_cast<int64_t>(std::get<double>(v));
      if (p.v.index() == 1 && v.index() == 2) v = static_cast<double>(std::get<int64_t>(v));
      if (std::holds_alternative<std::string>(p.v)) v = std::string();
      if (std::holds_alternative<bool>(p.v)) v = false;
      break;
    }
    for (size_t i = 0; i < s->size(); i++) {
      if (stop.at(i)) return Canceller::interrupted();
      Pt& p = (*s)[i];
      if (p.origin == -2 && is_null(p.v)) p.v = v;
    }
    return Status();
  }
  if (st.fill == Fill::kPrevious) {
    Datum prev;
    for (size_t i = 0; i < s->size(); i++) {
      if (stop.at(i)) return Canceller::interrupted();
      Pt& p = (*s)[i];
      if (p.origin == -2 && is_null(p.v)) {
        p.v = prev;
      } else {
        prev = p.v;
      }
    }
    return Status();
  }
  if (st.fill == Fill::kLinear) {
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < s->size(); i++) {
      if (stop.at(i)) return Canceller::interrupted();
      if (is_null((*s)[i].v)) continue;
      if (last != SIZE_MAX && i > last + 1) {
        // InfluxDB's line through the two points (query/linear.go): times
        // in intervals (integer division), the slope, then y = m * x + b
        // in doubles, an integer's truncated (its difference wrapping, as
        // Go's does).
        const Datum& pv = (*s)[last].v;
        const Datum& nv = (*s)[i].v;
        const int64_t unit = interval > 0 ? interval : 1;
        auto at = [&](size_t k) { return (*s)[k].time / unit; };
        const double dt = static_cast<double>(at(i) - at(last));
        double a, b;
        if (pv.index() == 2 && nv.index() == 2) {
          const int64_t ia = std::get<int64_t>(pv), ib = std::get<int64_t>(nv);
          const double m = static_cast<double>(static_cast<int64_t>(static_cast<uint64_t>(ib) - static_cast<uint64_t>(ia))) / dt;
          for (size_t j = last + 1; j < i; j++) {
            const double x = static_cast<double>(at(j) - at(last));
            (*s)[j].v = static_cast<int64_t>(m * x + static_cast<double>(ia));
          }
        } else if (pv.index() == 3 && nv.index() == 3) {
          const uint64_t ua = std::get<uint64_t>(pv), ub = std::get<uint64_t>(nv);
          const double m = static_cast<double>(ub - ua) / dt;
          for (size_t j = last + 1; j < i; j++) {
            const double x = static_cast<double>(at(j) - at(last));
            (*s)[j].v = static_cast<uint64_t>(m * x + static_cast<double>(ua));
          }
        } else if (as_double(pv, &a) && as_double(nv, &b)) {
          const double m = (b - a) / dt;
          for (size_t j = last + 1; j < i; j++) {
            const double x = static_cast<double>(at(j) - at(last));
            (*s)[j].v = m * x + a;
          }
        }
      }
      last = i;
    }
  }
  return Status();
}

// Resizes *v to n elements (one a window: there may be millions) in
// steps, stopping between them when `stop` says so.
template <class T>
Status grow(std::vector<T>* v, size_t n, const Canceller& stop) {
  v->reserve(n);
  while (v->size() < n) {
    TSD_RETURN_IF_ERROR(stop.check());
    v->resize(std::min(n, v->size() + 16 * Canceller::kEvery));
  }
  return Status();
}

struct Exec;

class RowValuer : public Valuer {
 public:
  RowValuer(const Exec& x, const SeriesData& s) : x_(x), s_(s) {}
  void set_row(const std::vector<Datum>* row) { row_ = row; }
  // For a WHERE condition: a name that is neither a field nor a tag of
  // the series is an empty tag (host != 'x' holds), as in influxd's
  // conditions; in a column it is null.
  void for_condition() { condition_ = true; }
  Datum value(const Expr& ref) override;

 private:
  // What a reference names, found once per expression node (a row's
  // values are asked for row after row by the same few nodes).
  struct Slot {
    const Expr* ref;
    int field;       // index in the row, or -1
    const Tag* tag;  // the series' tag of that name, or null
  };
  const Slot& slot(const Expr& ref);

  const Exec& x_;
  const SeriesData& s_;
  const std::vector<Datum>* row_ = nullptr;
  std::vector<Slot> slots_;
  bool condition_ = false;
};

struct Exec {
  const SelectStatement& st;
  const ExecContext& cx;
  Zone zone;
  TimeRange range;
  Grouping grouping;
  Regexes re;
  const Expr* cond = nullptr;
  std::vector<std::string> refs;  // fields read, sorted
  Plan plan;
  int64_t extra = 0;  // intervals read before the first window
  // The range as the query says, before `extra` moved its start back
  // (ascending) or its end on (descending); the windows in it.
  int64_t query_min = kMinTime, query_max = kMaxTime;
  int64_t last_window = INT64_MAX;
  Edge edge = Edge::kAll;  // first()/last() alone: read only the edge
  ReadStats* stats = nullptr;
  bool count_only = false;  // count(field) alone: counts from block headers
  // LIMIT and OFFSET cut each group's rows (false: a raw subquery's, whose
  // series are its groups here; the outer query cuts its rows, page_rows()).
  bool page_rows = true;
  std::pair<size_t, size_t> row_page(size_t n) const {
    return page_rows ? page(n, st.offset, st.limit) : std::pair<size_t, size_t>{0, n};
  }
  std::vector<int64_t> shard_starts;  // of the shards read, sorted
  std::vector<std::pair<const storage::Shard*, int64_t>> shard_start_of;  // (shard, its start)
  // Which of the group's series each shard's index has (points in range
  // or not): influxd's parallel merge splits those (merge.h).
  Presence presence(const Group& g) const {
    const size_t nsh = std::max<size_t>(1, shard_starts.size());
    Presence p(nsh, std::vector<bool>(g.series.size(), false));
    for (size_t s = 0; s < g.series.size(); s++) {
      for (const auto& [shard, id] : g.series[s].ref->ids) {
        for (const auto& [sp, start] : shard_start_of) {
          if (sp != shard) continue;
          auto at = std::upper_bound(shard_starts.begin(), shard_starts.end(), start) - shard_starts.begin();
          p[static_cast<size_t>(std::max<std::ptrdiff_t>(at - 1, 0))][s] = true;
        }
      }
    }
    return p;
  }
  std::set<std::string> all_tags;     // tag keys of the measurements read

  int ref_index(const std::string& name) const {
    auto it = std::lower_bound(refs.begin(), refs.end(), name);
    return it != refs.end() && *it == name ? static_cast<int>(it - refs.begin()) : -1;
  }

  // -- windows ---------------------------------------------------------------
  // The start of the window holding t. Near the ends of time it wraps
  // around as InfluxDB's (Go's int64) does: a window starting before the
  // earliest time gives a start after t.
  // As InfluxDB's IteratorOptions.Window: the GROUP BY offset taken off,
  // the zone's offset where that time falls, the start truncated, moved by
  // the change of offset at the start (DST) when it is less than the
  // interval, and the GROUP BY offset put back.
  int64_t window_start(int64_t t) const {
    const int64_t iv = grouping.interval;
    const int64_t off = grouping.offset;
    t = wrap_add(t, -off);
    const int64_t zoff = zone.is_utc() ? 0 : zone.offset_at(t);
    int64_t dt = wrap_add(t, zoff) % iv;
    if (dt < 0) dt += iv;
    int64_t start = kMinTime + dt >= t ? kMinTime : t - dt;
    if (!zone.is_utc()) {
      const int64_t o = zoff - zone.offset_at(start);
      if (o != 0 && (o < 0 ? -o : o) < iv) start = wrap_add(start, o);
    }
    return wrap_add(start, off);
  }
  // The window after the one starting at w; INT64_MAX when none starts
  // before the end of time.
  int64_t next_window(int64_t w) const {
    __int128 next = static_cast<__int128>(w) + grouping.interval + grouping.interval / 2;
    return next > INT64_MAX ? INT64_MAX : window_start(static_cast<int64_t>(next));
  }
  static int64_t wrap_add(int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  }

  Status load_series(const MeasurementData& m, const SeriesRef& s, SeriesData* out);
  bool filter_aligned(SeriesData* out);
  Status read_condition_first(const MeasurementData& m, const SeriesRef& s, SeriesData* out,
                              std::vector<bool>* read, int64_t* lo, int64_t* hi);
  Truth series_truth(const MeasurementData& m, const SeriesRef& s);
  // The earliest time in [min, max] of a group's series (the fields read),
  // from block headers and head rows; INT64_MAX when it has none.
  Result<int64_t> group_first_time(const MeasurementData& m,
                                   const std::vector<const SeriesRef*>& group, int64_t min,
                                   int64_t max);
  Status raw_group(const MeasurementData& m, Group& g, Series* out);
  // has_data: the group has points outside what was read (rows of
  // nulls are still its answer).
  Status agg_group(const MeasurementData& m, Group& g, int64_t first_window, Series* out,
                   bool has_data = false);
  Status column_seq(const Expr& e, Group& g, const std::vector<int64_t>& windows, bool* windowed,
                    Seq* out);
  // Whether an aggregate's points take their window's time (integral()
  // without GROUP BY time keeps the time reduce() gives).
  bool window_time_of(const Expr& e) const { return e.name != "integral" || grouping.interval > 0; }
  Status leaf_windows(const Expr& call, Group& g, const std::vector<int64_t>& windows,
                      std::vector<Seq>* out);
  Status partial_windows(const Expr& call, Group& g, const std::string& field,
                         const std::vector<int64_t>& windows, std::vector<Seq>* out);
  Status series_windows(const Expr& call, Group& g, const std::string& field,
                        const std::vector<int64_t>& windows, std::vector<Seq>* out);
  Status edge_windows(const Expr& call, Group& g, const std::string& field,
                      const std::vector<int64_t>& windows, std::vector<Seq>* out);
  // influxd's auxiliary values (the fields and tags a query's columns
  // other than its calls name, by name): what its sorted merge heap
  // compares at equal times (strings_tie). get(a, si, t) is the a-th
  // in series si at time t when it is a string.
  struct AuxStrings {
    enum Kind { kField, kTag, kNone };  // kNone: never a value (host::field where host is a tag)
    std::vector<std::pair<std::string, Kind>> refs;
    std::vector<const Tag*> tags;  // series by series (null: the series lacks it)
    std::vector<size_t> field;     // the fields' columns
    const Group* g = nullptr;
    std::optional<std::string_view> get(size_t a, size_t si, int64_t t) const;
  };
  // Adds the references of e to aux.refs.
  void aux_refs(const Expr& e, AuxStrings* aux) const;
  // Sorts aux.refs and makes its look-ups for group g.
  void aux_index(const Group& g, AuxStrings* aux) const;
  bool has_aux = false;  // a column of fields or tags beside the calls
  // Aggregates over a group without field conditions: each field's
  // columns are read when a column of the answer needs them and let go
  // after its last, so a group holds one field at a time, not all of them
  // (cpu-max-all-8: 8 series x 10 fields decoded at once before).
  bool lazy_fields = false;
  Status load_fields(const MeasurementData& m, Group& g, const Expr& e);
  void release_field(Group& g, int i);
  bool group_has_data = false;  // the group has points beyond the part read
  // The group's points of `field`, merged in time order (last first with
  // `desc`) as InfluxDB merges a call's input: shard by shard, equal times
  // in its heap's order.
  Status merged(Group& g, const std::string& field, Stream* out, bool desc = false);
  Status source_partials(const Expr& call, const std::vector<Stream>& sources, int64_t wt, int64_t end,
                         Seq* out);
  Datum aux_value(const Expr& ref, const Group& g, const Pt& p);
  Datum aux_eval(const Expr& e, const Group& g, const Pt& p);
  // The selector's windows with GROUP BY time: (window, the time of the
  // point it chose), for its auxiliary values (the row shows the window).
  std::vector<std::pair<int64_t, int64_t>> selector_at;
  // The measurement read is a raw subquery's: its rows of equal time keep
  // the order its own merge gave them (subquery_tie).
  const std::vector<std::pair<std::string, std::string>>* inner_tie = nullptr;
  // An aggregate subquery's: its series' order decides in either direction.
  bool inner_by_series = false;
  // The subquery's shards (its rows were merged shard by shard).
  const std::vector<int64_t>* inner_shard_starts = nullptr;
  // The heap's order of equal times over a raw subquery's series: by the
  // subquery's auxiliary values, as its merge ordered them (influxd's
  // outer query reads its rows in that order).
  TieLess subquery_tie(const Group& g, const std::vector<const std::vector<int64_t>*>& times,
                       bool descending) const;
  // The merge order of a raw subquery's series' points `times` (each in
  // the query's order, a part of the subquery's rows: the outer WHERE
  // kept them): the order influxd's merge gave all the subquery's rows,
  // then those kept.
  std::vector<std::pair<int32_t, size_t>> subquery_order(
      const Group& g, const std::vector<const std::vector<int64_t>*>& times, bool descending) const;
  // influxd's fill iterator over a lone percentile() (percentile_stream):
  // whether it had a window with points yet, whether it ended.
  struct PercentileStream {
    bool started = false;
    bool ended = false;
  };
  std::map<const Expr*, PercentileStream> percentile_streams;
  void percentile_stream(const Expr& call, const std::vector<bool>& had_points, std::vector<Seq>* out);
};

const RowValuer::Slot& RowValuer::slot(const Expr& ref) {
  for (const Slot& s : slots_) {
    if (s.ref == &ref) return s;
  }
  slots_.push_back({&ref, x_.ref_index(ref.name), s_.ref->find_visible(ref.name)});
  return slots_.back();
}

Datum RowValuer::value(const Expr& ref) {
  const Slot& s = slot(ref);
  if (ref.type != DataType::kTag) {
    if (s.field >= 0 && row_ != nullptr) return cast((*row_)[s.field], ref.type);
    if (ref.type != DataType::kUnknown) return std::monostate{};
  }
  if (s.tag == nullptr) return condition_ && s.field < 0 ? Datum(std::string()) : Datum();
  return s.tag->value;
}

Truth Exec::series_truth(const MeasurementData& m, const SeriesRef& s) {
  if (cond == nullptr) return Truth::kTrue;
  TagScope scope;
  scope.tag = [&](std::string_view k) -> std::string_view {
    const Tag* t = s.find_visible(k);
    return t ? std::string_view(t->value) : std::string_view();
  };
  // A name the outer query of a subquery knows neither as a field nor as
  // a tag is an empty tag, as a tag a series lacks: host != 'x' and
  // host = '' hold, host = 'x' does not (influxd's filter over the
  // subquery's points).
  scope.is_field = [&](std::string_view n) { return m.schema.fields.count(std::string(n)) > 0; };
  return eval_on_tags(*cond, scope, re);
}

Result<int64_t> Exec::group_first_time(const MeasurementData& m,
                                       const std::vector<const SeriesRef*>& group, int64_t min,
                                       int64_t max) {
  int64_t t0 = INT64_MAX;
  for (const SeriesRef* sr : group) {
    TSD_RETURN_IF_ERROR(cx.stop.check());
    if (sr->data || series_truth(m, *sr) == Truth::kFalse) continue;
    for (const auto& field : refs) {
      for (const auto& [shard, id] : sr->ids) {
        const int64_t fid = m.field_id(shard, field);
        if (fid == 0) continue;
        auto span = column_span(shard, id, fid, min, max);
        if (!span.ok()) return span.status();
        bool before = false;  // a block begun before min: its first point in range is unknown
        for (const auto& h : span->blocks) {
          if (h.min_time < min) {
            before = true;
          } else {
            t0 = std::min(t0, h.min_time);
          }
        }
        if (span->head_count > 0) t0 = std::min(t0, span->head_first);
        if (before && t0 > min) {
          // Read it: such a block may hold no point in [min, max] at all.
          storage::Column c;
          auto cur = storage::ColumnCursor::open(shard, id, fid, min, max);
          if (!cur.ok()) return cur.status();
          auto more = cur->next(&c);
          if (!more.ok()) return more.status();
          if (*more && !c.empty()) t0 = std::min(t0, c.times[0]);
        }
      }
    }
  }
  return t0;
}

Status Exec::load_series(const MeasurementData& m, const SeriesRef& s, SeriesData* out) {
  TSD_RETURN_IF_ERROR(cx.stop.check());
  out->ref = &s;
  out->cols.assign(refs.size(), Column());
  Truth truth = series_truth(m, s);
  if (truth == Truth::kFalse) return Status();
  if (stats != nullptr) {
    stats->series++;
    for (const auto& f : refs) TSD_RETURN_IF_ERROR(count_column(m, s, f, range.min, range.max, stats));
    if (stats->dry) return Status();
  }
  if (lazy_fields && truth == Truth::kTrue && !s.data) {
    out->loaded.assign(refs.size(), false);  // read by load_fields
    return Status();
  }
  if (count_only) {
    out->counts.assign(refs.size(), 0);
    for (size_t i = 0; i < refs.size(); i++) {
      auto n = count_points(m, s, refs[i], range.min, range.max, cx.stop);
      if (!n.ok()) return n.status();
      out->counts[i] = *n;
      // A stand-in point keeps the series in its group.
      if (*n > 0 && out->cols[i].empty()) out->cols[i].push(range.min, Value(0.0));
    }
    return Status();
  }
  std::vector<bool> read(refs.size(), false);
  int64_t lo = range.min, hi = range.max;
  if (truth != Truth::kTrue && !s.data && edge == Edge::kAll) {
    TSD_RETURN_IF_ERROR(read_condition_first(m, s, out, &read, &lo, &hi));
    if (lo > hi) return Status();  // no row passes
  }
  for (size_t i = 0; i < refs.size(); i++) {
    if (read[i]) continue;
    TSD_RETURN_IF_ERROR(read_column(m, s, refs[i], lo, hi, cx.stop, &out->cols[i], edge));
    if (stats != nullptr) stats->values += static_cast<int64_t>(out->cols[i].size());
  }
  if (truth == Truth::kTrue) return Status();
  if (filter_aligned(out)) return cx.stop.check();
  // Rows: the union of the columns' times; keep the points of rows that pass.
  std::vector<Column> kept(refs.size());
  for (size_t i = 0; i < refs.size(); i++) kept[i].type = out->cols[i].type;
  std::vector<size_t> pos(refs.size(), 0);
  RowValuer v(*this, *out);
  v.for_condition();
  std::vector<Datum> row(refs.size());
  v.set_row(&row);
  for (size_t turn = 0;; turn++) {
    if (cx.stop.at(turn)) return Canceller::interrupted();
    int64_t t = INT64_MAX;
    for (size_t i = 0; i < refs.size(); i++) {
      if (pos[i] < out->cols[i].size()) t = std::min(t, out->cols[i].times[pos[i]]);
    }
    if (t == INT64_MAX) break;
    for (size_t i = 0; i < refs.size(); i++) {
      const Column& c = out->cols[i];
      row[i] = pos[i] < c.size() && c.times[pos[i]] == t ? at(c, pos[i]) : Datum();
    }
    bool pass = eval_bool(*cond, v, re, EvalOptions{false});
    for (size_t i = 0; i < refs.size(); i++) {
      const Column& c = out->cols[i];
      if (pos[i] < c.size() && c.times[pos[i]] == t) {
        if (pass) kept[i].push_from(c, pos[i]);
        pos[i]++;
      }
    }
  }
  out->cols = std::move(kept);
  return Status();
}

// Whether only rows holding every field of `f` pass: comparisons other
// than != (which a missing value may pass) joined by AND.
bool needs_all_fields(const ColumnFilter& f, bool* compares) {
  switch (f.kind) {
    case ColumnFilter::Kind::kTrue: return true;
    case ColumnFilter::Kind::kCompare: *compares = true; return f.op != Tok::kNeq;
    case ColumnFilter::Kind::kAnd:
      return needs_all_fields(f.args[0], compares) && needs_all_fields(f.args[1], compares);
    case ColumnFilter::Kind::kOr: return false;
  }
  return false;
}

// For load_series, a field condition that only rows holding all its
// fields can pass (usage_user > 90, AND-ed comparisons): its fields are
// read first (*read), and [*lo, *hi] narrows to the times of the first and
// the last row that passes, the range the other fields are read over;
// *lo > *hi when none passes, and the others are not read at all. So
// SELECT * WHERE usage_user > 90 decodes a host's other fields only over
// the hours it was busy, and not for a host that never was. Any other
// condition, or fields of the condition not at the same times, leave the
// range whole.
Status Exec::read_condition_first(const MeasurementData& m, const SeriesRef& s, SeriesData* out,
                                  std::vector<bool>* read, int64_t* lo, int64_t* hi) {
  std::vector<size_t> fields;
  for_each_ref(*cond, [&](const Expr& e) {
    const int i = ref_index(e.name);
    if (i >= 0 && std::find(fields.begin(), fields.end(), static_cast<size_t>(i)) == fields.end()) {
      fields.push_back(static_cast<size_t>(i));
    }
  });
  if (fields.empty() || fields.size() == refs.size()) return Status();
  for (size_t i : fields) {
    (*read)[i] = true;
    TSD_RETURN_IF_ERROR(read_column(m, s, refs[i], *lo, *hi, cx.stop, &out->cols[i], edge));
    if (stats != nullptr) stats->values += static_cast<int64_t>(out->cols[i].size());
  }
  ColumnFilter compiled;
  bool compares = false;
  if (!compile_column_filter(*cond, [this](const std::string& f) { return ref_index(f); }, out->cols,
                             &compiled) ||
      !needs_all_fields(compiled, &compares) || !compares) {
    return Status();
  }
  const Column& first = out->cols[fields[0]];
  const size_t n = first.size();
  for (size_t i : fields) {
    if (out->cols[i].size() != n || out->cols[i].times != first.times) return Status();
  }
  std::vector<uint8_t> pass;
  apply_column_filter(compiled, out->cols, n, &pass);
  size_t a = 0, b = n;
  while (a < n && !pass[a]) a++;
  while (b > a && !pass[b - 1]) b--;
  if (a == b) {
    *lo = 1;
    *hi = 0;
    for (size_t i : fields) out->cols[i] = Column();
    return Status();
  }
  *lo = first.times[a];
  *hi = first.times[b - 1];
  if (a == 0 && b == n) return Status();
  for (size_t i : fields) {
    Column kept;
    kept.type = out->cols[i].type;
    for (size_t k = a; k < b; k++) kept.push_from(out->cols[i], k);
    out->cols[i] = std::move(kept);
  }
  return Status();
}

// The usual case of a field condition: every column has a point at the
// same times (one line protocol line a row). The condition reads only its
// own fields, and each column keeps the rows that pass (typed copies).
bool Exec::filter_aligned(SeriesData* out) {
  const size_t n = out->cols.empty() ? 0 : out->cols[0].size();
  for (const auto& c : out->cols) {
    if (c.size() != n || (n > 0 && c.times != out->cols[0].times)) return false;
  }
  std::vector<int> used;
  for_each_ref(*cond, [&](const Expr& e) {
    int i = ref_index(e.name);
    if (i >= 0 && std::find(used.begin(), used.end(), i) == used.end()) used.push_back(i);
  });
  std::vector<size_t> keep;
  ColumnFilter compiled;
  if (compile_column_filter(*cond, [this](const std::string& f) { return ref_index(f); }, out->cols,
                            &compiled)) {
    std::vector<uint8_t> pass;
    apply_column_filter(compiled, out->cols, n, &pass);
    for (size_t k = 0; k < n; k++) {
      if (pass[k]) keep.push_back(k);
    }
  } else {
    RowValuer v(*this, *out);
    v.for_condition();
    std::vector<Datum> row(refs.size());
    v.set_row(&row);
    for (size_t k = 0; k < n; k++) {
      if (cx.stop.at(k)) return true;  // the caller stops
      for (int i : used) row[i] = at(out->cols[i], k);
      if (eval_bool(*cond, v, re, EvalOptions{false})) keep.push_back(k);
    }
  }
  if (keep.size() == n) return true;
  for (auto& c : out->cols) {
    Column kept;
    kept.type = c.type;
    kept.times.reserve(keep.size());
    for (size_t k : keep) kept.push_from(c, k);
    c = std::move(kept);
  }
  return true;
}

void Exec::aux_refs(const Expr& e, AuxStrings* aux) const {
  for_each_ref(e, [&](const Expr& r) {
    if (r.type != DataType::kTag && ref_index(r.name) >= 0) {
      aux->refs.emplace_back(r.name, AuxStrings::kField);
    } else if ((r.type == DataType::kTag || r.type == DataType::kUnknown) && all_tags.count(r.name)) {
      aux->refs.emplace_back(r.name, AuxStrings::kTag);
    } else {
      aux->refs.emplace_back(r.name, AuxStrings::kNone);
    }
  });
}

void Exec::aux_index(const Group& g, AuxStrings* aux) const {
  auto& refs = aux->refs;
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  aux->g = &g;
  aux->tags.assign(refs.empty() ? 0 : g.series.size() * refs.size(), nullptr);
  for (size_t si = 0; si < g.series.size() && !refs.empty(); si++) {
    for (size_t a = 0; a < refs.size(); a++) {
      if (refs[a].second == AuxStrings::kTag) aux->tags[si * refs.size() + a] = g.series[si].ref->find(refs[a].first);
    }
  }
  aux->field.assign(refs.size(), 0);
  for (size_t a = 0; a < refs.size(); a++) {
    if (refs[a].second == AuxStrings::kField) aux->field[a] = static_cast<size_t>(ref_index(refs[a].first));
  }
}

std::optional<std::string_view> Exec::AuxStrings::get(size_t a, size_t si, int64_t t) const {
  if (refs[a].second == kNone) return std::nullopt;
  if (refs[a].second == kTag) {
    // A series without the tag gives no value (null, not "").
    const Tag* tag = tags[si * refs.size() + a];
    if (tag == nullptr) return std::nullopt;
    return std::string_view(tag->value);
  }
  const Column& c = g->series[si].cols[field[a]];
  if (c.type != FieldType::kString) return std::nullopt;
  auto it = std::lower_bound(c.times.begin(), c.times.end(), t);
  if (it == c.times.end() || *it != t) return std::nullopt;
  return std::string_view(c.s[static_cast<size_t>(it - c.times.begin())]);
}

Status Exec::raw_group(const MeasurementData&, Group& g, Series* out) {
  struct RawRow {
    int64_t time;
    size_t series;
    Row values;
  };
  std::vector<RawRow> rows;
  // A row is given when a field the columns refer to has a value in it.
  // (a field cast to a type it does not have, usage::string, gives none).
  std::vector<std::pair<int, DataType>> selected;
  // Every field and tag the columns name: InfluxDB's auxiliary values,
  // which order rows of equal time (below).
  AuxStrings aux;
  for (const auto& c : plan.columns) {
    for_each_ref(*c.expr, [&](const Expr& e) {
      const int i = e.type != DataType::kTag ? ref_index(e.name) : -1;
      if (i >= 0) selected.push_back({i, e.type});
    });
    aux_refs(*c.expr, &aux);
  }
  const bool single = g.series.size() == 1;
  const size_t first_out = out->values.size();
  const int rows_ref = ref_index(kSubqueryRows);
  // (The storage engine's limit: not a subquery's rows.)
  const bool from_shards = g.from_shards();
  if (single) {
    size_t most = 0;
    for (const Column& c : g.series[0].cols) most = std::max(most, c.size());
    out->values.reserve(first_out + most);
  }
  // A column that names a field or a tag (SELECT *, most raw queries)
  // takes the row's value as RowValuer::value gives it, without eval().
  const size_t ncols = plan.columns.size();
  std::vector<const Expr*> direct(ncols, nullptr);
  for (size_t c = 0; c < ncols; c++) {
    const Expr* e = plan.columns[c].expr;
    while (e->kind == Expr::Kind::kParen) e = e->args[0].get();
    if (e->kind == Expr::Kind::kVarRef) direct[c] = e;
  }
  for (size_t si = 0; si < g.series.size(); si++) {
    SeriesData& s = g.series[si];
    std::vector<size_t> pos(refs.size(), 0);
    RowValuer v(*this, s);
    std::vector<Datum> row(refs.size());
    v.set_row(&row);
    // Per column: the field's index in the row, or its value in every row
    // (a tag, a name without a value), or -1: evaluated.
    std::vector<int> field(ncols, -1);
    std::vector<std::optional<Datum>> fixed(ncols);
    for (size_t c = 0; c < ncols; c++) {
      const Expr* e = direct[c];
      if (e == nullptr) continue;
      const int i = e->type != DataType::kTag ? ref_index(e->name) : -1;
      if (i >= 0) {
        field[c] = i;
      } else {
        fixed[c] = v.value(*e);
      }
    }
    for (size_t turn = 0;; turn++) {
      if (cx.stop.at(turn)) return Canceller::interrupted();
      int64_t t = INT64_MAX;
      for (size_t i = 0; i < refs.size(); i++) {
        if (pos[i] < s.cols[i].size()) t = std::min(t, s.cols[i].times[pos[i]]);
      }
      if (t == INT64_MAX) break;
      for (size_t i = 0; i < refs.size(); i++) {
        const Column& c = s.cols[i];
        if (pos[i] < c.size() && c.times[pos[i]] == t) {
          row[i] = at(c, pos[i]);
          pos[i]++;
        } else {
          row[i] = Datum();
        }
      }
      bool any = rows_ref >= 0 && !is_null(row[static_cast<size_t>(rows_ref)]);
      for (auto [i, type] : selected) any = any || !is_null(cast(row[i], type));
      if (!any) continue;
      Row values;
      values.reserve(ncols + 1);
      values.emplace_back(t);
      for (size_t c = 0; c < ncols; c++) {
        if (field[c] >= 0) {
          values.push_back(cast(row[static_cast<size_t>(field[c])], direct[c]->type));
        } else if (fixed[c]) {
          values.push_back(*fixed[c]);
        } else {
          values.push_back(eval(*plan.columns[c].expr, v, re));
        }
      }
      if (single) {
        out->values.push_back(std::move(values));
      } else {
        rows.push_back({t, si, std::move(values)});
      }
    }
  }
  if (single) {
    // One series: its rows in time order are the answer's.
    auto& vals = out->values;
    if (st.descending) std::reverse(vals.begin() + static_cast<std::ptrdiff_t>(first_out), vals.end());
    StorageLimit cut(page_rows && st.limit == 0 && from_shards, st, shard_starts);
    if (cut.on()) {
      size_t kept = first_out;
      for (size_t k = first_out; k < vals.size(); k++) {
        if (!cut.keep(std::get<int64_t>(vals[k][0]))) continue;
        if (kept != k) vals[kept] = std::move(vals[k]);
        kept++;
      }
      vals.resize(kept);
    }
    const auto [from, to] = row_page(vals.size() - first_out);
    vals.erase(vals.begin() + static_cast<std::ptrdiff_t>(first_out + to), vals.end());
    vals.erase(vals.begin() + static_cast<std::ptrdiff_t>(first_out),
               vals.begin() + static_cast<std::ptrdiff_t>(first_out + from));
    return Status();
  }
  // Series by series (rows ascending within each), merged as InfluxDB's
  // heap merges them (merge.h).
  std::vector<std::vector<int64_t>> times(g.series.size());
  std::vector<size_t> first(g.series.size() + 1, 0);
  for (const RawRow& r : rows) times[r.series].push_back(r.time);
  for (size_t si = 0; si < g.series.size(); si++) {
    first[si + 1] = first[si] + times[si].size();
    if (st.descending) std::reverse(times[si].begin(), times[si].end());
  }
  // Points of equal time are ordered by their auxiliary values, by name
  // (strings_tie): a field without a value, a tag the series lacks, or a
  // number ends the comparison.
  aux_index(g, &aux);
  auto aux_string = [&aux](size_t a, size_t si, int64_t t) { return aux.get(a, si, t); };
  std::vector<const std::vector<int64_t>*> tp;
  for (const auto& t : times) tp.push_back(&t);
  const TieLess tie = strings_tie(aux.refs.size(), aux_string, tp, st.descending);
  const bool subquery = inner_tie != nullptr && g.from_subquery();
  auto order = subquery ? subquery_order(g, tp, st.descending)
                        : shard_merge_order(tp, shard_starts, st.descending, cx.stop,
                                            aux.refs.empty() ? nullptr : &tie);
  StorageLimit cut(page_rows && st.limit == 0 && from_shards, st, shard_starts);
  if (cut.on()) {
    size_t kept = 0;
    for (size_t k = 0; k < order.size(); k++) {
      if (cut.keep(times[order[k].first][order[k].second])) order[kept++] = order[k];
    }
    order.resize(kept);
  }
  const auto [from, to] = row_page(order.size());
  TSD_RETURN_IF_ERROR(cx.stop.check());  // (the merge stops half way)
  for (size_t k = from; k < to; k++) {
    if (cx.stop.at(k - from)) return Canceller::interrupted();
    auto [si, i] = order[k];
    size_t n = times[si].size();
    size_t at_row = first[si] + (st.descending ? n - 1 - i : i);
    out->values.push_back(std::move(rows[at_row].values));
  }
  return Status();
}

Status Exec::merged(Group& g, const std::string& field, Stream* out, bool desc) {
  Stream& s = *out;
  s = Stream();
  int i = ref_index(field);
  if (i < 0) return Status();
  std::vector<const std::vector<int64_t>*> tp;
  int with_data = 0, only = -1;
  for (size_t si = 0; si < g.series.size(); si++) {
    const Column& c = g.series[si].cols[i];
    tp.push_back(&c.times);
    if (!c.empty()) {
      if (with_data++ == 0) {
        s.col.type = c.type;
        only = static_cast<int>(si);
      }
    }
  }
  if (with_data == 1 && !desc) {
    // One series: its column as it is.
    s.col = g.series[only].cols[i];
    s.origin.assign(s.col.size(), only);
    return Status();
  }
  std::vector<std::vector<int64_t>> reversed;
  if (desc) {
    reversed.resize(tp.size());
    for (size_t si = 0; si < tp.size(); si++) {
      reversed[si].assign(tp[si]->rbegin(), tp[si]->rend());
      tp[si] = &reversed[si];
    }
  }
  const bool subquery = inner_tie != nullptr && g.from_subquery();
  // A selector beside other columns: its points carry their values
  // (influxd's Aux), and the sorted merge orders equal times by their
  // strings, as a raw query's rows.
  AuxStrings aux;
  if (has_aux && !subquery) {
    for (const auto& c : plan.columns) {
      if (is_aux_expr(*c.expr)) aux_refs(*c.expr, &aux);
    }
    aux_index(g, &aux);
  }
  auto aux_string = [&aux](size_t a, size_t si, int64_t t) { return aux.get(a, si, t); };
  const TieLess tie = strings_tie(aux.refs.size(), aux_string, tp, desc);
  for (auto [si, k] : subquery ? subquery_order(g, tp, desc)
                               : shard_merge_order(tp, shard_starts, desc, cx.stop, aux.refs.empty() ? nullptr : &tie)) {
    const Column& c = g.series[si].cols[i];
    if (c.type != s.col.type) continue;
    s.col.push_from(c, desc ? c.size() - 1 - k : k);
    s.origin.push_back(si);
  }
  return cx.stop.check();  // (the merge stops half way)
}

// A stream in descending time order (merged(..., true)) put window by
// window in ascending order, each window's points left in theirs.
Stream windows_ascending(Stream in, const std::vector<int64_t>& windows) {
  const size_t n = in.col.size();
  std::vector<std::pair<size_t, size_t>> order(n);  // (window, place)
  size_t w = windows.size() - 1;
  for (size_t k = 0; k < n; k++) {
    const int64_t t = in.col.times[k];
    while (w > 0 && t < windows[w]) w--;
    order[k] = {w, k};
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  Stream out;
  out.col.type = in.col.type;
  for (const auto& o : order) {
    out.col.push_from(in.col, o.second);
    out.origin.push_back(in.origin[o.second]);
  }
  return out;
}

// top(x, tag..., N) / bottom: of each combination of the tags' values,
// the point a top(x, 1) would choose.
Stream best_per_tags(const Expr& call, const Group& g, const Stream& in, size_t a, size_t b) {
  std::map<std::vector<std::string>, Stream> per;
  for (size_t k = a; k < b; k++) {
    std::vector<std::string> key;
    const SeriesRef* s = g.series[in.origin[k]].ref;
    for (size_t i = 1; i + 1 < call.args.size(); i++) {
      const Tag* t = s->find(call.args[i]->name);
      key.push_back(t ? t->value : "");
    }
    Stream& st = per[key];
    st.col.type = in.col.type;
    st.col.push_from(in.col, k);
    st.origin.push_back(in.origin[k]);
  }
  Expr one(K::kCall);
  one.name = call.name;
  Stream out;
  out.col.type = in.col.type;
  std::vector<Pt> chosen;
  for (auto& [key, st] : per) {
    Seq s1;
    if (!reduce(one, st, 0, st.col.size(), 0, &s1).ok() || s1.empty()) continue;
    chosen.push_back(s1[0]);
  }
  std::sort(chosen.begin(), chosen.end(), [](const Pt& x, const Pt& y) { return x.time < y.time; });
  for (const Pt& p : chosen) {
    if (p.v.index() < 1 || p.v.index() > 3) continue;  // numbers only
    out.col.push(p.time, *datum_value(p.v));
    out.origin.push_back(p.origin);
  }
  return out;
}

// mean() and sum() over several series as InfluxDB computes them: a
// partial per series, shard and window (its points summed in time order),
// combined in the order its merge iterators deliver them (merge.h), means
// weighted by their counts.
Status Exec::partial_windows(const Expr& call, Group& g, const std::string& field,
                             const std::vector<int64_t>& windows, std::vector<Seq>* out) {
  int fi = ref_index(field);
  if (fi < 0) return Status();
  const size_t nser = g.series.size();
  const size_t nsh = std::max<size_t>(1, shard_starts.size());
  struct Partial {
    double fsum = 0;
    uint64_t isum = 0;
    int64_t n = 0;
  };
  // partials[sh * nser + s][i]: the i-th window of wins[sh][s]
  std::vector<std::vector<Partial>> partials(nsh * nser);
  std::vector<std::vector<std::vector<int64_t>>> wins(nsh, std::vector<std::vector<int64_t>>(nser));
  FieldType type = FieldType::kFloat;
  bool typed = false;
  for (size_t s = 0; s < nser; s++) {
    const Column& c = g.series[s].cols[fi];
    if (c.empty()) continue;
    if (!typed) {
      type = c.type;
      typed = true;
    }
    if (c.type != type) continue;
    if (c.type != FieldType::kFloat && c.type != FieldType::kInteger && c.type != FieldType::kUnsigned) {
      Seq ignore;
      Stream st1;
      st1.col.type = c.type;
      st1.col.push_from(c, 0);
      st1.origin.push_back(0);
      return reduce(call, st1, 0, 1, 0, &ignore);  // the type's error
    }
    // Slices of equal window and shard, found by binary search; each summed
    // by a loop of its type (in time order, as InfluxDB sums a series).
    const auto& times = c.times;
    size_t k = std::lower_bound(times.begin(), times.end(), windows[0]) - times.begin();
    size_t w = 0, sh = 0;
    for (size_t turn = 0; k < c.size(); turn++) {
      if (cx.stop.at(turn)) return Canceller::interrupted();
      int64_t t = times[k];
      while (w + 1 < windows.size() && t >= windows[w + 1]) w++;
      while (sh + 1 < shard_starts.size() && t >= shard_starts[sh + 1]) sh++;
      int64_t end = INT64_MAX;
      if (w + 1 < windows.size()) end = windows[w + 1];
      if (sh + 1 < shard_starts.size()) end = std::min(end, shard_starts[sh + 1]);
      size_t e = end == INT64_MAX ? c.size()
                                  : std::lower_bound(times.begin() + static_cast<std::ptrdiff_t>(k),
                                                     times.end(), end) - times.begin();
      Partial p;
      p.n = static_cast<int64_t>(e - k);
      switch (c.type) {
        case FieldType::kFloat:
          // In the query's order (the last bits of a sum follow it).
          if (st.descending) {
            for (size_t j = e; j-- > k;) p.fsum += c.f[j];
          } else {
            for (size_t j = k; j < e; j++) p.fsum += c.f[j];
          }
          break;
        case FieldType::kInteger: {
          // The integer sum wraps as InfluxDB's does; the float sum (a
          // mean's) is the same number whenever no partial sum can pass
          // 2^53, as |v| <= 2^53 / n shows: every partial is then exact,
          // in any order. So one loop that vectorizes does both.
          uint64_t isum = 0, most = 0;
          for (size_t j = k; j < e; j++) {
            uint64_t v = static_cast<uint64_t>(c.i[j]);
            isum += v;
            most = std::max(most, c.i[j] < 0 ? 0 - v : v);
          }
          p.isum = isum;
          if (most <= (uint64_t{1} << 53) / (e - k)) {
            p.fsum = static_cast<double>(static_cast<int64_t>(isum));
          } else {
            for (size_t j = k; j < e; j++) p.fsum += static_cast<double>(c.i[j]);
          }
          break;
        }
        default:
          for (size_t j = k; j < e; j++) {
            p.fsum += static_cast<double>(c.u[j]);
            p.isum += c.u[j];
          }
          break;
      }
      partials[sh * nser + s].push_back(p);
      wins[sh][s].push_back(static_cast<int64_t>(w));
      k = e;
    }
  }
  if (!typed) return Status();
  struct Acc {
    double fsum = 0;
    uint64_t isum = 0;
    int64_t n = 0;
  };
  // Each shard's call iterator reduces its series' partials (in the merge
  // order) to one point per window; the shards' points are reduced again
  // on top, even for one shard: a mean is m * n / n of the shards'.
  std::vector<std::vector<Acc>> acc(nsh);
  for (auto& a : acc) TSD_RETURN_IF_ERROR(grow(&a, windows.size(), cx.stop));
  const Presence present = presence(g);
  for (const MergeStep& step : reducer_order(wins, st.descending, cx.stop, &present)) {
    const Partial& p = partials[static_cast<size_t>(step.key)][step.k];
    Acc& a = acc[static_cast<size_t>(step.key) / nser][static_cast<size_t>(step.window)];
    if (call.name == "mean") {
      a.fsum += p.fsum / static_cast<double>(p.n) * static_cast<double>(p.n);
    } else {
      a.fsum += p.fsum;
    }
    a.isum += p.isum;
    a.n += p.n;
  }
  TSD_RETURN_IF_ERROR(cx.stop.check());  // (the merge stops half way)
  // The shards' points of a window reach the outer reducer in the order
  // of InfluxDB's merge heap, keyed by tags and window (over 3 shards or
  // more that is not shard order, and the last bits of a float sum follow
  // it). Without GROUP BY tags the heap is rebuilt here; with them, the
  // other groups' windows in each shard would be needed too: shard order.
  std::vector<std::pair<int64_t, int32_t>> order;
  if (grouping.tags.empty() && !grouping.all_tags && grouping.tag_regexes.empty()) {
    std::vector<std::vector<int64_t>> shard_wins(nsh);
    for (size_t sh = 0; sh < nsh; sh++) {
      for (size_t w = 0; w < windows.size(); w++) {
        if (acc[sh][w].n > 0) shard_wins[sh].push_back(static_cast<int64_t>(w));
      }
    }
    order = window_merge_order(shard_wins, st.descending, cx.stop);
  } else {
    for (size_t w = 0; w < windows.size(); w++) {
      for (size_t sh = 0; sh < nsh; sh++) {
        if (acc[sh][w].n > 0) order.emplace_back(static_cast<int64_t>(w), static_cast<int32_t>(sh));
      }
    }
  }
  std::vector<Acc> totals;
  TSD_RETURN_IF_ERROR(grow(&totals, windows.size(), cx.stop));
  for (const auto& [w, sh] : order) {
    const Acc& a = acc[static_cast<size_t>(sh)][static_cast<size_t>(w)];
    Acc& total = totals[static_cast<size_t>(w)];
    if (call.name == "mean") {
      double m = a.fsum / static_cast<double>(a.n);
      total.fsum += m * static_cast<double>(a.n);
    } else {
      total.fsum += a.fsum;
    }
    total.isum += a.isum;
    total.n += a.n;
  }
  TSD_RETURN_IF_ERROR(cx.stop.check());
  for (size_t w = 0; w < windows.size(); w++) {
    if (cx.stop.at(w)) return Canceller::interrupted();
    const Acc& total = totals[w];
    if (total.n == 0) continue;
    Datum v;
    if (call.name == "mean") {
      v = total.fsum / static_cast<double>(total.n);
    } else if (type == FieldType::kInteger) {
      v = static_cast<int64_t>(total.isum);
    } else if (type == FieldType::kUnsigned) {
      v = total.isum;
    } else {
      v = total.fsum;
    }
    (*out)[w].push_back({windows[w], std::move(v), -1});
  }
  return Status();
}

// max, min, count, first and last: each series' column reduced window by
// window in place (no merged copy), the series' results then reduced
// again. Their values do not depend on the order the series come in
// (ties fall to the earlier time, then the value); which series' point
// answers a full tie does, for the columns beside the call (has_aux): then
// each shard's results come in influxd's parallel merge order
// (parallel_merge_order) and the first of a tie stays.
Status Exec::series_windows(const Expr& call, Group& g, const std::string& field,
                            const std::vector<int64_t>& windows, std::vector<Seq>* out) {
  int fi = ref_index(field);
  if (fi < 0) return Status();
  const bool is_count = call.name == "count";
  const Reducer red = reducer_of(call.name);
  // Each series' result per window, as a one-point stream per window (up
  // to the last window with points: those after it would stay empty).
  int64_t last = INT64_MIN;
  for (const auto& sd : g.series) {
    if (!sd.cols[fi].empty()) last = std::max(last, sd.cols[fi].times.back());
  }
  // One series: its result per window is the answer (the reduction of
  // one point is that point), without the second pass.
  const bool direct = g.series.size() == 1;
  const bool by_shard = has_aux && !direct && !is_count;
  const size_t nser = g.series.size();
  const size_t nsh = std::max<size_t>(1, shard_starts.size());
  // by_shard: the results of series s in shard sh (key sh * nser + s) and
  // their windows, in window order.
  std::vector<Seq> results(by_shard ? nsh * nser : 0);
  std::vector<std::vector<std::vector<int64_t>>> wins(
      by_shard ? nsh : 0, std::vector<std::vector<int64_t>>(by_shard ? nser : 0));
  std::vector<Stream> best;
  const auto with_points = std::upper_bound(windows.begin(), windows.end(), last) - windows.begin();
  if (!direct) TSD_RETURN_IF_ERROR(grow(&best, static_cast<size_t>(with_points), cx.stop));
  FieldType type = FieldType::kFloat;
  bool typed = false;
  for (size_t si = 0; si < nser; si++) {
    Column& c = g.series[si].cols[fi];
    if (c.empty()) continue;
    if (!typed) {
      type = c.type;
      typed = true;
    }
    if (c.type != type) continue;
    Stream whole;
    Seq one;  // a window's result (reused)
    whole.col = std::move(c);  // lent for the reduction, given back below
    whole.origin.assign(whole.col.size(), static_cast<int32_t>(si));
    size_t a = 0, sh = 0;
    for (size_t w = 0; w < windows.size() && a < whole.col.size(); w++) {
      if (cx.stop.at(w)) {
        c = std::move(whole.col);
        return Canceller::interrupted();
      }
      int64_t end = w + 1 < windows.size() ? windows[w + 1]
                                           : (grouping.interval > 0 ? next_window(windows[w]) : INT64_MAX);
      if (whole.col.times[a] < windows[w]) {
        a = std::lower_bound(whole.col.times.begin() + static_cast<std::ptrdiff_t>(a),
                             whole.col.times.end(), windows[w]) - whole.col.times.begin();
      }
      while (a < whole.col.size() && whole.col.times[a] < end) {
        // The window's points (by_shard: those of one shard).
        int64_t to = end;
        if (by_shard) {
          while (sh + 1 < shard_starts.size() && whole.col.times[a] >= shard_starts[sh + 1]) sh++;
          if (sh + 1 < shard_starts.size()) to = std::min(to, shard_starts[sh + 1]);
        }
        size_t b = std::lower_bound(whole.col.times.begin() + static_cast<std::ptrdiff_t>(a),
                                    whole.col.times.end(), to) - whole.col.times.begin();
        one.clear();
        Status st = reduce(call, red, whole, a, b, windows[w], &one);
        if (!st.ok()) {
          c = std::move(whole.col);
          return st;
        }
        a = b;
        if (direct) {
          for (Pt& p : one) {
            if (!datum_value(p.v)) continue;
            if (is_count) p.time = windows[w];
            (*out)[w].push_back(std::move(p));
          }
          continue;
        }
        if (by_shard) {
          for (Pt& p : one) {
            if (!datum_value(p.v)) continue;
            results[sh * nser + si].push_back(std::move(p));
            wins[sh][si].push_back(static_cast<int64_t>(w));
          }
          continue;
        }
        Stream& bs = best[w];
        bs.col.type = type;
        for (const Pt& p : one) {
          auto v = datum_value(p.v);
          if (!v) continue;
          if (is_count) bs.col.type = FieldType::kInteger;
          bs.col.push(p.time, *v);
          bs.origin.push_back(p.origin);
        }
      }
    }
    c = std::move(whole.col);
  }
  if (by_shard) {
    // The results in the order influxd's reducer receives them (as
    // partial_windows takes them).
    const Presence present = presence(g);
    auto order = reducer_order(wins, st.descending, cx.stop, &present);
    TSD_RETURN_IF_ERROR(cx.stop.check());  // (the merge stops half way)
    for (const MergeStep& step : order) {
      const Pt& p = results[static_cast<size_t>(step.key)][step.k];
      Stream& bs = best[static_cast<size_t>(step.window)];
      bs.col.type = type;
      bs.col.push(p.time, *datum_value(p.v));
      bs.origin.push_back(p.origin);
    }
  }
  Expr sum_counts(K::kCall);
  sum_counts.name = "sum";
  for (size_t w = 0; w < best.size(); w++) {
    if (cx.stop.at(w)) return Canceller::interrupted();
    Stream& bs = best[w];
    if (bs.col.empty()) continue;
    // The partial results in time order, as reduce() expects its input
    // (by_shard: in the order they arrive, which decides full ties).
    if (call.name != "count" && !by_shard) {
      std::vector<size_t> idx(bs.col.size());
      for (size_t k = 0; k < idx.size(); k++) idx[k] = k;
      std::stable_sort(idx.begin(), idx.end(),
                       [&](size_t x, size_t y) { return bs.col.times[x] < bs.col.times[y]; });
      Stream sorted;
      sorted.col.type = bs.col.type;
      for (size_t k : idx) {
        sorted.col.push_from(bs.col, k);
        sorted.origin.push_back(bs.origin[k]);
      }
      bs = std::move(sorted);
    }
    TSD_RETURN_IF_ERROR(reduce(is_count ? sum_counts : call, is_count ? Reducer::kSum : red, bs, 0,
                               bs.col.size(), windows[w], &(*out)[w]));
    if (is_count) {
      for (Pt& p : (*out)[w]) p.time = windows[w];
    }
  }
  return Status();
}

// first() and last() without GROUP BY time, over several series read
// from shards: influxd's engine answers them apart (tsm1 CreateIterator):
// in each shard a group's series are merged in its sorted merge heap
// (merge.h) and cut by a limit of one that lets two points through (its
// limit iterator counts after it checks), which FirstReduce/LastReduce
// reduce (reduce() as they do: the second replaces the first only at the
// same time and with a greater value). The shards' answers differ in
// time, so the shard of the group's edge decides.
Status Exec::edge_windows(const Expr& call, Group& g, const std::string& field,
                          const std::vector<int64_t>& windows, std::vector<Seq>* out) {
  const int fi = ref_index(field);
  if (fi < 0 || windows.empty()) return Status();
  const bool last = call.name == "last";
  const size_t n = g.series.size();
  auto column = [&](size_t si) -> const Column& { return g.series[si].cols[static_cast<size_t>(fi)]; };
  auto edge_of = [&](const Column& c) { return last ? c.times.back() : c.times.front(); };
  std::optional<FieldType> type;
  int64_t edge = last ? INT64_MIN : INT64_MAX;
  for (size_t si = 0; si < n; si++) {
    const Column& c = column(si);
    if (c.empty() || (type && c.type != *type)) continue;
    type = c.type;
    edge = last ? std::max(edge, edge_of(c)) : std::min(edge, edge_of(c));
  }
  if (!type) return Status();
  // The edge's shard: [lo, hi).
  // (As shard_merge_order splits: the first shard from the earliest time.)
  size_t sh = static_cast<size_t>(std::upper_bound(shard_starts.begin(), shard_starts.end(), edge) -
                                  shard_starts.begin());
  sh = sh == 0 ? 0 : sh - 1;
  const int64_t lo = sh == 0 ? INT64_MIN : shard_starts[sh];
  const int64_t hi = sh + 1 < shard_starts.size() ? shard_starts[sh + 1] : INT64_MAX;
  // The heap's inputs: the series with points in that shard, in the tag
  // set's order (reversed for last(), as influxd reverses it when it reads
  // in descending order), each at its edge point.
  std::vector<size_t> input;
  std::vector<std::vector<int64_t>> at;
  for (size_t q = 0; q < n; q++) {
    const size_t si = last ? n - 1 - q : q;
    const Column& c = column(si);
    if (c.empty() || c.type != *type) continue;
    const int64_t t = edge_of(c);
    if (t < lo || t >= hi) continue;
    input.push_back(si);
    at.push_back({t});
  }
  // Points of equal time by their auxiliary values (the columns beside the calls).
  AuxStrings aux;
  for (const auto& c : plan.columns) {
    if (is_aux_expr(*c.expr)) aux_refs(*c.expr, &aux);
  }
  aux_index(g, &aux);
  std::vector<const std::vector<int64_t>*> tp;
  for (const auto& t : at) tp.push_back(&t);
  auto value = [&](size_t a, size_t q, int64_t t) { return aux.get(a, input[q], t); };
  const TieLess tie = strings_tie(aux.refs.size(), value, tp, last);
  std::vector<int64_t> times;
  for (const auto& t : at) times.push_back(t[0]);
  const auto [one, two] = heap_first_two(times, last, aux.refs.empty() ? nullptr : &tie);
  Stream chosen;
  for (int q : {one, two}) {
    if (q < 0) continue;
    const size_t si = input[static_cast<size_t>(q)];
    const Column& c = column(si);
    chosen.col.type = c.type;
    chosen.col.push_from(c, last ? c.size() - 1 : 0);
    chosen.origin.push_back(static_cast<int32_t>(si));
  }
  const int64_t t = chosen.col.times[0];
  size_t w = static_cast<size_t>(std::upper_bound(windows.begin(), windows.end(), t) - windows.begin());
  w = w == 0 ? 0 : w - 1;
  return reduce(call, reducer_of(call.name), chosen, 0, chosen.col.size(), windows[w], &(*out)[w]);
}

// The innermost call over a field: its points per window.
Status Exec::leaf_windows(const Expr& call, Group& g, const std::vector<int64_t>& windows,
                          std::vector<Seq>* out) {
  out->clear();
  TSD_RETURN_IF_ERROR(grow(out, windows.size(), cx.stop));
  if (call.args.empty()) return Status::invalid_argument("expected field argument in " + call.name + "()");
  const Expr* arg = call.args[0].get();
  const Expr* inner = nullptr;  // count(distinct(x))
  if (arg->kind == K::kCall && arg->name == "distinct" && arg->args.size() == 1) {
    inner = arg;
    arg = arg->args[0].get();
  } else if (arg->kind == K::kDistinct) {
    inner = arg;
  }
  if (inner != nullptr && arg->kind == K::kDistinct) {
    static thread_local Expr ref(K::kVarRef);
    ref.name = arg->name;
    arg = &ref;
  }
  if (arg->kind != K::kVarRef) return Status::invalid_argument("expected field argument in " + call.name + "()");
  if (count_only) {
    int fi = ref_index(arg->name);
    int64_t n = 0;
    for (const auto& sd : g.series) n += fi >= 0 ? sd.counts[fi] : 0;
    if (n > 0) (*out)[0].push_back({windows[0], n, -1});
    return Status();
  }
  const bool from_shards = g.from_shards();
  if (inner == nullptr && (call.name == "mean" || call.name == "sum") && from_shards) {
    return partial_windows(call, g, arg->name, windows, out);
  }
  if (inner == nullptr && grouping.interval == 0 && call.args.size() == 1 &&
      (call.name == "first" || call.name == "last") && g.series.size() > 1 && from_shards) {
    return edge_windows(call, g, arg->name, windows, out);
  }
  if (inner == nullptr && call.args.size() == 1 && (!has_aux || from_shards) &&
      (call.name == "max" || call.name == "min" || call.name == "count" || call.name == "first" ||
       call.name == "last")) {
    return series_windows(call, g, arg->name, windows, out);
  }
  StorageLimit cut((call.name == "top" || call.name == "bottom") && call.args.size() == 2 && from_shards,
                   st, shard_starts);
  // These take their points as InfluxDB's sorted merge gives them in the
  // query's order, last first in descending order: the same rounding of
  // stddev's running mean and of a subquery's sums (mean and sum over
  // shards took partial_windows above), the same of equal values first
  // after the value sort of mode() and percentile() and in top()'s and
  // bottom()'s heaps. (The storage engine's cut below reads ascending.)
  const bool last_first = st.descending && !cut.on() &&
                          (call.name == "stddev" || call.name == "mode" || call.name == "percentile" ||
                           call.name == "mean" || call.name == "sum" || call.name == "top" ||
                           call.name == "bottom");
  Stream in;
  TSD_RETURN_IF_ERROR(merged(g, arg->name, &in, last_first));
  if (in.col.empty()) return Status();
  if (last_first) in = windows_ascending(std::move(in), windows);
  in.descending = st.descending;
  if (cut.on()) {
    // The points the storage engine gives top(x, N) with LIMIT or OFFSET.
    const size_t n = in.col.size();
    std::vector<bool> keep(n);
    for (size_t j = 0; j < n; j++) {
      const size_t k = st.descending ? n - 1 - j : j;
      keep[k] = cut.keep(in.col.times[k]);
    }
    Stream kept;
    kept.col.type = in.col.type;
    kept.descending = in.descending;
    for (size_t k = 0; k < n; k++) {
      if (!keep[k]) continue;
      kept.col.push_from(in.col, k);
      kept.origin.push_back(in.origin[k]);
    }
    in = std::move(kept);
    if (in.col.empty()) return Status();
  }
  const Reducer red = reducer_of(call.name);
  // mean() and sum() over several subqueries: influxd reduces each
  // subquery's points, then combines the partials (source_partials).
  bool by_source = false;
  if (!from_shards && (call.name == "mean" || call.name == "sum")) {
    for (const auto& sd : g.series) by_source = by_source || sd.ref->source != g.series[0].ref->source;
  }
  std::vector<Stream> sources;  // each subquery's points, merged on their own
  if (by_source) {
    std::map<int, Group> per;
    for (const auto& sd : g.series) per[sd.ref->source].series.push_back(sd);
    for (auto& [source, sub] : per) {
      Stream ps;
      TSD_RETURN_IF_ERROR(merged(sub, arg->name, &ps, st.descending));
      if (st.descending) ps = windows_ascending(std::move(ps), windows);
      sources.push_back(std::move(ps));
    }
  }
  // percentile() of too few points chooses none (below).
  const bool may_end = call.name == "percentile" && grouping.interval > 0 && plan.is_selector(call);
  std::vector<bool> had_points(may_end ? windows.size() : 0);
  size_t a = 0;
  for (size_t w = 0; w < windows.size(); w++) {
    if (cx.stop.at(w)) return Canceller::interrupted();
    int64_t end = w + 1 < windows.size() ? windows[w + 1] : (grouping.interval > 0 ? next_window(windows[w]) : INT64_MAX);
    size_t b = a;
    while (b < in.col.size() && in.col.times[b] < end) b++;
    if (may_end) had_points[w] = b > a;
    if (inner != nullptr) {
      Seq d;
      Expr distinct(K::kCall);
      distinct.name = "distinct";
      TSD_RETURN_IF_ERROR(reduce(distinct, in, a, b, windows[w], &d));
      Stream ds;
      ds.col.type = FieldType::kInteger;
      for (const Pt& p : d) {
        ds.col.times.push_back(p.time);
        ds.col.i.push_back(0);
        ds.origin.push_back(-1);
      }
      TSD_RETURN_IF_ERROR(reduce(call, ds, 0, ds.col.size(), windows[w], &(*out)[w]));
    } else if ((call.name == "top" || call.name == "bottom") && call.args.size() > 2) {
      Stream best = best_per_tags(call, g, in, a, b);
      TSD_RETURN_IF_ERROR(reduce(call, best, 0, best.col.size(), windows[w], &(*out)[w]));
    } else if (by_source) {
      TSD_RETURN_IF_ERROR(source_partials(call, sources, windows[w], end, &(*out)[w]));
    } else {
      TSD_RETURN_IF_ERROR(reduce(call, red, in, a, b, windows[w], &(*out)[w]));
    }
    a = b;
  }
  if (may_end) percentile_stream(call, had_points, out);
  return Status();
}

// mean() or sum() over several subqueries, as influxd computes it: a call
// iterator per subquery (`sources`: each one's points, merged on their
// own, window by window), then the partials of the window starting at
// `wt` (before `end`) combined in subquery order (a mean as m * n / n).
Status Exec::source_partials(const Expr& call, const std::vector<Stream>& sources, int64_t wt, int64_t end,
                             Seq* out) {
  const bool mean = call.name == "mean";
  Datum total;
  double weighted = 0;
  int64_t n = 0;
  for (const Stream& ps : sources) {
    const auto a = static_cast<size_t>(std::lower_bound(ps.col.times.begin(), ps.col.times.end(), wt) -
                                       ps.col.times.begin());
    const auto b = static_cast<size_t>(std::lower_bound(ps.col.times.begin(), ps.col.times.end(), end) -
                                       ps.col.times.begin());
    if (a >= b) continue;
    Seq part;
    TSD_RETURN_IF_ERROR(reduce(call, ps, a, b, wt, &part));
    if (part.empty()) continue;
    if (mean) {
      weighted += std::get<double>(part[0].v) * static_cast<double>(b - a);
      n += static_cast<int64_t>(b - a);
    } else {
      total = is_null(total) ? part[0].v : binary_op(Tok::kAdd, total, part[0].v, EvalOptions{false});
    }
  }
  if (mean) {
    if (n > 0) out->push_back({wt, weighted / static_cast<double>(n), -1});
  } else if (!is_null(total)) {
    out->push_back({wt, std::move(total), -1});
  }
  return Status();
}

// percentile() alone in a statement with GROUP BY time: a window whose
// points are too few gives influxd's reduce iterator no point, and when
// that is the first window with points of the first group its fill
// iterator takes it for the end of its input: the answer is empty.
// (Elsewhere such a window is filled as any empty one; beside other
// calls influxd asks the iterator again and nothing ends.) In descending
// order the first group is the last one read here: the statement checks
// `ended` once all are read.
void Exec::percentile_stream(const Expr& call, const std::vector<bool>& had_points,
                             std::vector<Seq>* out) {
  PercentileStream& ps = percentile_streams[&call];
  const size_t n = out->size();
  if (ps.started && !st.descending) {
    if (ps.ended) {
      for (auto& w : *out) w.clear();
    }
    return;
  }
  for (size_t k = 0; k < n; k++) {
    const size_t w = st.descending ? n - 1 - k : k;  // in the query's order
    if (!had_points[w]) continue;
    ps.started = true;
    ps.ended = (*out)[w].empty();
    break;
  }
  if (ps.ended && !st.descending) {
    for (auto& w : *out) w.clear();
  }
}

TieLess Exec::subquery_tie(const Group& g, const std::vector<const std::vector<int64_t>*>& times,
                           bool descending) const {
  const auto* order = inner_tie;
  auto value = [&g, order](size_t e, size_t si, int64_t t) -> std::optional<std::string_view> {
    const auto& [name, shown] = (*order)[e];
    const SeriesRef& ref = *g.series[si].ref;
    if (ref.data != nullptr && !shown.empty()) {
      auto c = ref.data->find(shown);
      if (c != ref.data->end()) {
        const Column& col = c->second;
        auto it = std::lower_bound(col.times.begin(), col.times.end(), t);
        if (col.type != FieldType::kString || it == col.times.end() || *it != t) return std::nullopt;
        return std::string_view(col.s[static_cast<size_t>(it - col.times.begin())]);
      }
    }
    const Tag* tag = ref.find(name);
    if (tag == nullptr) return std::nullopt;
    return std::string_view(tag->value);
  };
  return strings_tie(order->size(), value, times, descending && !inner_by_series);
}

std::vector<std::pair<int32_t, size_t>> Exec::subquery_order(
    const Group& g, const std::vector<const std::vector<int64_t>*>& times, bool descending) const {
  // Every row of each series: a time any of its columns has.
  std::vector<std::vector<int64_t>> all(g.series.size());
  for (size_t si = 0; si < g.series.size(); si++) {
    for (const auto& [name, col] : *g.series[si].ref->data) all[si].insert(all[si].end(), col.times.begin(), col.times.end());
    std::sort(all[si].begin(), all[si].end());
    all[si].erase(std::unique(all[si].begin(), all[si].end()), all[si].end());
    if (descending) std::reverse(all[si].begin(), all[si].end());
  }
  std::vector<const std::vector<int64_t>*> tp;
  for (const auto& a : all) tp.push_back(&a);
  const TieLess tie = subquery_tie(g, tp, descending);
  std::vector<size_t> next(g.series.size(), 0);
  std::vector<std::pair<int32_t, size_t>> order;
  for (auto [si, k] : shard_merge_order(tp, *inner_shard_starts, descending, cx.stop, &tie)) {
    const auto i = static_cast<size_t>(si);
    const std::vector<int64_t>& kept = *times[i];
    if (next[i] < kept.size() && kept[next[i]] == all[i][k]) order.push_back({si, next[i]++});
  }
  return order;
}

Datum Exec::aux_value(const Expr& ref, const Group& g, const Pt& p) {
  if (p.origin < 0) return std::monostate{};
  const SeriesData& s = g.series[p.origin];
  if (ref.type != DataType::kTag) {
    int i = ref_index(ref.name);
    if (i >= 0) {
      const Column& c = s.cols[i];
      auto it = std::lower_bound(c.times.begin(), c.times.end(), p.time);
      if (it != c.times.end() && *it == p.time) return cast(at(c, it - c.times.begin()), ref.type);
      return std::monostate{};
    }
  }
  const Tag* t = s.ref->find(ref.name);
  return t ? Datum(t->value) : Datum();
}

Datum Exec::aux_eval(const Expr& e, const Group& g, const Pt& p) {
  if (e.kind == K::kVarRef) return aux_value(e, g, p);
  struct Aux : Valuer {
    Exec* x;
    const Group& g;
    const Pt& p;
    Aux(Exec* x, const Group& g, const Pt& p) : x(x), g(g), p(p) {}
    Datum value(const Expr& ref) override { return x->aux_value(ref, g, p); }
  } v(this, g, p);
  return eval(e, v, re);
}

// A valuer for expressions of literals alone.
struct NoValues : Valuer {
  Datum value(const Expr&) override { return Datum(); }
};

// Values of a column expression per window (fill applied), or, for
// transformations and selectors that keep their points' times, a sparse
// sequence of points (*windowed false).
Status Exec::column_seq(const Expr& e, Group& g, const std::vector<int64_t>& windows,
                        bool* windowed, Seq* out) {
  if (e.kind == K::kParen) return column_seq(*e.args[0], g, windows, windowed, out);
  FnKind k = e.kind == K::kCall ? function_kind(e.name) : FnKind::kNone;
  if (e.name == "integral" && grouping.interval > 0 && !e.args.empty() &&
      e.args[0]->kind == K::kVarRef) {
    // A stream over the whole group, never filled (InfluxDB's rows take
    // the fill value where other columns have a window and it has none).
    *windowed = false;
    auto window = [this](int64_t t) {
      int64_t s = window_start(t);
      return std::pair<int64_t, int64_t>{s, next_window(s)};
    };
    Stream in;
    TSD_RETURN_IF_ERROR(merged(g, e.args[0]->name, &in));
    return integral_windows(e, in, window, out);
  }
  if (k == FnKind::kAggregate || k == FnKind::kSelector) {
    std::vector<Seq> per;
    TSD_RETURN_IF_ERROR(leaf_windows(e, g, windows, &per));
    bool multi = e.name == "top" || e.name == "bottom" || e.name == "sample" || e.name == "distinct";
    bool own_times = (plan.is_selector(e) && grouping.interval == 0) || e.name == "top" ||
                     e.name == "bottom" || e.name == "sample";
    if (multi || own_times) {
      *windowed = false;
      for (size_t w = 0; w < per.size(); w++) {
        if (cx.stop.at(w)) return Canceller::interrupted();
        for (Pt& p : per[w]) {
          if (!own_times) p.time = windows[w];
          out->push_back(std::move(p));
        }
      }
      return Status();
    }
    *windowed = true;
    out->clear();
    out->reserve(windows.size());  // (filled below, one window a turn)
    const bool keep_at = has_aux && plan.selector == &e && window_time_of(e);
    if (keep_at) selector_at.clear();
    bool empty_input = true;  // count's empty windows are 0 unless it read nothing at all
    for (const Seq& p : per) empty_input = empty_input && p.empty();
    // (A group read only in part, ORDER BY DESC LIMIT's tail, has points
    // outside what was read: its empty windows count 0 too.)
    const bool zero = e.name == "count" && st.fill == Fill::kNull && (!empty_input || group_has_data);
    for (size_t w = 0; w < windows.size(); w++) {
      if (cx.stop.at(w)) return Canceller::interrupted();
      if (per[w].empty()) {
        out->push_back({windows[w], zero ? Datum(int64_t(0)) : Datum(), -2});
      } else {
        out->push_back(std::move(per[w][0]));
        if (keep_at) selector_at.push_back({windows[w], out->back().time});
        if (window_time_of(e)) out->back().time = windows[w];
      }
    }
    return Status();
  }
  if (k == FnKind::kTransform) {
    Seq in;
    if (e.args.empty()) return Status::invalid_argument("invalid number of arguments for " + e.name);
    const Expr& arg = *e.args[0];
    if (arg.kind == K::kVarRef) {
      // In the query's order: equal times come as influxd's merge gives them.
      Stream s;
      TSD_RETURN_IF_ERROR(merged(g, arg.name, &s, st.descending));
      for (size_t i = 0; i < s.col.size(); i++) {
        if (cx.stop.at(i)) return Canceller::interrupted();
        in.push_back({s.col.times[i], at(s.col, i), s.origin[i]});
      }
    } else {
      bool w = false;
      TSD_RETURN_IF_ERROR(column_seq(arg, g, windows, &w, &in));
      // In the query's order, filled in it (fill(previous) from the later window).
      if (st.descending) std::reverse(in.begin(), in.end());
      if (w) TSD_RETURN_IF_ERROR(fill_seq(st, grouping.interval, cx.stop, &in));
    }
    *windowed = false;
    if (!st.descending) return transform(e, in, grouping.interval, out);
    // In the query's order, then back to ascending (rows are reversed last).
    TSD_RETURN_IF_ERROR(transform(e, in, grouping.interval, out, true));
    std::reverse(out->begin(), out->end());
    return Status();
  }
  if (k == FnKind::kPredictor) {
    // holt_winters(agg, N, S): the inner aggregate's windows, filled.
    Seq in;
    if (e.args.empty() || e.args[0]->kind != K::kCall)
      return Status::invalid_argument("must use aggregate function with " + e.name);
    bool w = false;
    TSD_RETURN_IF_ERROR(column_seq(*e.args[0], g, windows, &w, &in));
    if (w) TSD_RETURN_IF_ERROR(fill_seq(st, grouping.interval, cx.stop, &in));
    *windowed = false;
    // influxd hands the reducer its windows in the query's order; in
    // descending order the last comes first and it forecasts nothing.
    if (st.descending) std::reverse(in.begin(), in.end());
    return holt_winters(e, in, grouping.interval, out);
  }
  if (is_aux_expr(e)) {
    // An auxiliary value of a selector: filled in by the caller.
    *windowed = false;
    return Status();
  }
  if (e.kind == K::kBinary || (e.kind == K::kCall && k == FnKind::kMath)) {
    std::vector<Seq> parts(e.args.size());
    std::vector<bool> win(e.args.size(), true);
    std::vector<bool> lit(e.args.size(), false);
    for (size_t i = 0; i < e.args.size(); i++) {
      const Expr& a = *e.args[i];
      if (a.kind == K::kNumber || a.kind == K::kInteger || a.kind == K::kUnsigned ||
          a.kind == K::kString || a.kind == K::kBoolean || a.kind == K::kDuration) {
        lit[i] = true;
        continue;
      }
      bool w = true;
      TSD_RETURN_IF_ERROR(column_seq(a, g, windows, &w, &parts[i]));
      // influxd fills each call's windows, then computes: count(x) - 2
      // with fill(-1) is -3 where x has no point (fill(previous) in the
      // query's order).
      if (w) {
        if (st.descending) std::reverse(parts[i].begin(), parts[i].end());
        TSD_RETURN_IF_ERROR(fill_seq(st, grouping.interval, cx.stop, &parts[i]));
        if (st.descending) std::reverse(parts[i].begin(), parts[i].end());
      }
      win[i] = w;
    }
    // Join the parts by time (windows line up; sparse ones by equal times).
    std::vector<size_t> pos(e.args.size(), 0);
    *windowed = true;
    for (size_t i = 0; i < e.args.size(); i++) *windowed = *windowed && (win[i] || lit[i]);
    NoValues none;
    for (size_t turn = 0;; turn++) {
      if (cx.stop.at(turn)) return Canceller::interrupted();
      int64_t t = INT64_MAX;
      bool any = false;
      for (size_t i = 0; i < e.args.size(); i++) {
        if (lit[i] || pos[i] >= parts[i].size()) continue;
        t = std::min(t, parts[i][pos[i]].time);
        any = true;
      }
      if (!any) break;
      std::vector<Datum> vals(e.args.size());
      int32_t origin = -2;
      bool have = false;
      for (size_t i = 0; i < e.args.size(); i++) {
        if (lit[i]) {
          vals[i] = eval(*e.args[i], none, re);
        } else if (pos[i] < parts[i].size() && parts[i][pos[i]].time == t) {
          vals[i] = parts[i][pos[i]].v;
          if (parts[i][pos[i]].origin != -2) have = true;
          origin = parts[i][pos[i]].origin;
          pos[i]++;
        }
      }
      Datum v = e.kind == K::kBinary ? binary_op(e.op, vals[0], vals[1], EvalOptions{})
                                     : math_call(e.name, vals.data(), vals.size());
      out->push_back({t, std::move(v), have ? origin : -2});
    }
    return Status();
  }
  if (e.kind == K::kNumber || e.kind == K::kInteger || e.kind == K::kString ||
      e.kind == K::kBoolean) {
    *windowed = true;
    NoValues none;
    for (size_t w = 0; w < windows.size(); w++) {
      if (cx.stop.at(w)) return Canceller::interrupted();
      out->push_back({windows[w], eval(e, none, re), -2});
    }
    return Status();
  }
  return Status::invalid_argument("unsupported expression in an aggregate query");
}

// Whether e calls a function of one of `kinds` (at any depth).
bool calls(const Expr& e, std::initializer_list<FnKind> kinds) {
  if (e.kind == K::kCall) {
    FnKind k = function_kind(e.name);
    for (FnKind want : kinds) {
      if (k == want) return true;
    }
  }
  for (const auto& a : e.args) {
    if (calls(*a, kinds)) return true;
  }
  return false;
}

// Whether e calls the function `name` (at any depth).
bool calls_named(const Expr& e, std::string_view name) {
  if (e.kind == K::kCall && e.name == name) return true;
  for (const auto& a : e.args) {
    if (calls_named(*a, name)) return true;
  }
  return false;
}

Status Exec::load_fields(const MeasurementData& m, Group& g, const Expr& e) {
  Status s;
  for_each_ref(e, [&](const Expr& ref) {
    const int i = ref_index(ref.name);
    for (SeriesData& sd : g.series) {
      if (!s.ok() || i < 0 || sd.loaded.empty() || sd.loaded[i]) continue;
      s = read_column(m, *sd.ref, refs[i], range.min, range.max, cx.stop, &sd.cols[i], edge);
      sd.loaded[i] = s.ok();
    }
  });
  return s;
}

void Exec::release_field(Group& g, int i) {
  for (SeriesData& sd : g.series) {
    if (!sd.loaded.empty()) sd.cols[i] = Column();
  }
}

// fill(previous) of the cells `missing` ((row, column)) of `rows`, in
// their order: each from the same column of the row before it.
void fill_missing_previous(std::vector<Row>* rows, const std::vector<std::pair<size_t, size_t>>& missing,
                           size_t columns) {
  const size_t m = rows->size();
  std::vector<std::vector<bool>> hole(columns, std::vector<bool>(m, false));
  for (auto [r, c] : missing) hole[c][r] = true;
  for (size_t c = 0; c < columns; c++) {
    Datum last;
    for (size_t k = 0; k < m; k++) {
      if (hole[c][k]) {
        (*rows)[k][c + 1] = last;
      } else {
        last = (*rows)[k][c + 1];
      }
    }
  }
}

Status Exec::agg_group(const MeasurementData& m, Group& g, int64_t first_window, Series* out,
                       bool has_data) {
  std::vector<int64_t> windows;
  if (grouping.interval > 0) {
    int64_t last = window_start(range.max);
    int64_t w0 = first_window;
    for (int64_t i = 0; i < extra && !st.descending; i++) w0 = window_start(w0 - 1);
    for (int64_t w = w0; w <= last; w = next_window(w)) {
      // (Memory grows with the windows: 10,000,000 at most, each of
      // them a point per column and a row later.)
      if (cx.stop.at(windows.size())) return Canceller::interrupted();
      windows.push_back(w);
      if (windows.size() > 10000000)
        return Status::invalid_argument("too many points in the group by interval");
    }
  } else {
    windows.push_back(range.has_min ? range.min : 0);
  }
  size_t n = plan.columns.size();
  std::vector<Seq> cols(n);
  std::vector<bool> windowed(n, false);
  std::vector<bool> aux(n, false);
  const Seq* selector_seq = nullptr;
  selector_at.clear();
  bool any_raw = false;  // a series of the group read points in range
  // The columns whose transformation reads the extra intervals; the others
  // see only the query's range and windows.
  std::vector<bool> reads_extra(n);
  for (size_t c = 0; c < n; c++) reads_extra[c] = extra_intervals(*plan.columns[c].expr) > 0;
  // The last column that reads each field (lazy_fields lets it go after).
  std::vector<int> last_use(refs.size(), -1);
  for (size_t c = 0; lazy_fields && c < n; c++) {
    for_each_ref(*plan.columns[c].expr, [&](const Expr& ref) {
      if (ref_index(ref.name) >= 0) last_use[ref_index(ref.name)] = static_cast<int>(c);
    });
  }
  for (size_t c = 0; c < n; c++) {
    const Expr& e = *plan.columns[c].expr;
    if (is_aux_expr(e)) {
      aux[c] = true;
      continue;
    }
    bool w = false;
    if (lazy_fields) TSD_RETURN_IF_ERROR(load_fields(m, g, e));
    for (size_t k = 0; k < g.series.size() && !any_raw; k++) {
      for (const Column& col : g.series[k].cols) any_raw = any_raw || !col.empty();
    }
    if (extra > 0 && !reads_extra[c]) {
      // Only transformations read past the query's range (influxd moves
      // its start or end for theirs alone): the others' points outside
      // it are set aside meanwhile.
      struct Aside {
        Column* col;
        Column before, after;
      };
      std::vector<Aside> aside;
      for (SeriesData& sd : g.series) {
        for (Column& col : sd.cols) {
          size_t a = std::lower_bound(col.times.begin(), col.times.end(), query_min) - col.times.begin();
          size_t b = std::upper_bound(col.times.begin(), col.times.end(), query_max) - col.times.begin();
          if (a == 0 && b == col.size()) continue;
          Aside x{&col, {}, {}};
          x.before.type = x.after.type = col.type;
          x.before.append_range(col, 0, a);
          x.after.append_range(col, b, col.size());
          col.keep_range(a, b);
          aside.push_back(std::move(x));
        }
      }
      // Nor the windows read for them.
      std::vector<int64_t> own;
      for (int64_t t : windows) {
        if (t >= first_window && t <= last_window) own.push_back(t);
      }
      Status s = column_seq(e, g, own, &w, &cols[c]);
      for (Aside& x : aside) {
        x.before.append(*x.col);
        x.before.append(x.after);
        *x.col = std::move(x.before);
      }
      TSD_RETURN_IF_ERROR(s);
    } else {
      TSD_RETURN_IF_ERROR(column_seq(e, g, windows, &w, &cols[c]));
    }
    for (size_t i = 0; lazy_fields && i < refs.size(); i++) {
      if (last_use[i] == static_cast<int>(c)) release_field(g, static_cast<int>(i));
    }
    // A call whose reducer chose no point in any window (percentile() of
    // too few points) makes no rows: influxd fills only the series its
    // call iterator gave points of (the others' rows show it null, or the
    // fill(N) value).
    if (w && !group_has_data &&
        std::none_of(cols[c].begin(), cols[c].end(), [](const Pt& p) { return p.origin != -2; })) {
      cols[c].clear();
      w = false;
    }
    windowed[c] = w;
    if (w) {
      // fill(previous) follows the query's order.
      if (st.descending) std::reverse(cols[c].begin(), cols[c].end());
      DataType type = DataType::kUnknown;
      if (e.kind == K::kCall && !e.args.empty() && e.args[0]->kind == K::kVarRef &&
          (e.name == "first" || e.name == "last" || e.name == "mode" || e.name == "distinct" ||
           e.name == "sample")) {
        type = schema_type(e.args[0]->name, m.schema);
      }
      TSD_RETURN_IF_ERROR(fill_seq(st, grouping.interval, cx.stop, &cols[c], type));
      if (st.descending) std::reverse(cols[c].begin(), cols[c].end());
    }
    if (plan.selector != nullptr && &e == plan.selector) selector_seq = &cols[c];
  }
  std::sort(selector_at.begin(), selector_at.end());
  if (selector_seq == nullptr) {
    for (size_t c = 0; c < n; c++) {
      if (!aux[c]) {
        selector_seq = &cols[c];
        break;
      }
    }
  }
  // A group answers when a column has a point that is not a fill (a
  // transformation's point counts even when computed from fills, if the
  // group read points at all).
  bool has_points = false;
  for (size_t c = 0; c < n; c++) {
    if (any_raw && !aux[c] && !windowed[c] && !cols[c].empty()) has_points = true;
    for (const Pt& p : cols[c]) has_points = has_points || p.origin != -2;
  }
  // The window of a point, for the order of a descending answer: without
  // GROUP BY time the points of top() and the like share the one window,
  // a transformation's are each their own.
  bool several = false;  // a call giving several points a window
  for (size_t c = 0; c < n; c++) {
    const Expr& e = *plan.columns[c].expr;
    several = several || (e.kind == K::kCall && (e.name == "top" || e.name == "bottom" ||
                                                 e.name == "distinct" || e.name == "sample"));
  }
  // Otherwise (a transformation's points) every row is its own, reversed
  // even at equal times.
  auto window_of_time = [&](int64_t t) { return grouping.interval > 0 ? window_start(t) : 0; };
  const bool by_window = grouping.interval > 0 || several;
  // Ascending to descending and back (time_of: a point's or row's time).
  auto flip = [&](auto* v, auto time_of) {
    if (!by_window) return std::reverse(v->begin(), v->end());
    flip_windows(v, [&](const auto& x) { return window_of_time(time_of(x)); });
  };
  auto pt_time = [](const Pt& p) { return p.time; };
  // LIMIT and OFFSET count each column's points (influxd limits every
  // field's iterator, then joins them by time): columns whose points
  // fall in other windows (a transformation, fill(none)) give more rows.
  if (st.limit > 0 || st.offset > 0) {
    for (size_t c = 0; c < n; c++) {
      if (aux[c]) continue;
      Seq& col = cols[c];
      if (!reads_extra[c]) {
        // Windows read for a transformation only: not this column's.
        std::erase_if(col, [&](const Pt& p) { return p.time < first_window || p.time > last_window; });
      }
      auto [from, to] = page(col.size(), st.offset, st.limit);
      if (from == 0 && to == col.size()) continue;
      if (st.descending) flip(&col, pt_time);  // in the query's order
      Seq kept(std::make_move_iterator(col.begin() + static_cast<std::ptrdiff_t>(from)),
               std::make_move_iterator(col.begin() + static_cast<std::ptrdiff_t>(to)));
      col = std::move(kept);
      if (st.descending) flip(&col, pt_time);
    }
  }
  // Rows: the columns joined by time.
  std::vector<size_t> pos(n, 0);
  std::vector<Row> rows;
  if (!has_points && !has_data) return Status();
  // Before the first window (an extra interval read for a transformation)
  // only transformations answer: a TA function with hold period 0 does
  // (cumulative_sum() reads none: its points there are not the query's).
  // A sparse column without a point in a row takes what InfluxDB's scanner
  // gives: fill(N)'s number, fill(previous)'s last value, else null.
  Datum fill_number;
  if (st.fill == Fill::kNumber && st.fill_value) {
    const Expr& f = *st.fill_value;
    fill_number = f.kind == K::kNumber ? Datum(f.number) : Datum(f.integer);
  }
  std::vector<Datum> last(n);
  std::vector<std::pair<size_t, size_t>> missing;  // (row, column) to fill, descending
  for (size_t turn = 0;; turn++) {
    if (cx.stop.at(turn)) return Canceller::interrupted();
    int64_t t = INT64_MAX;
    for (size_t c = 0; c < n; c++) {
      if (!aux[c] && pos[c] < cols[c].size()) t = std::min(t, cols[c][pos[c]].time);
    }
    if (t == INT64_MAX) break;
    Row row(n + 1);
    row[0] = t;
    bool early = false;
    const Pt* chosen = nullptr;
    for (size_t c = 0; c < n; c++) {
      if (aux[c] || pos[c] >= cols[c].size() || cols[c][pos[c]].time != t) continue;
      const Pt& p = cols[c][pos[c]++];
      if ((t < first_window || t > last_window) && !reads_extra[c]) continue;
      early = true;
      row[c + 1] = p.v;
      last[c] = p.v;
      if (&cols[c] == selector_seq) chosen = &p;
    }
    if (chosen != nullptr && has_aux) {
      Pt at = *chosen;
      auto it = std::lower_bound(selector_at.begin(), selector_at.end(), std::pair{at.time, INT64_MIN});
      if (it != selector_at.end() && it->first == at.time) at.time = it->second;
      for (size_t c = 0; c < n; c++) {
        if (aux[c]) row[c + 1] = aux_eval(*plan.columns[c].expr, g, at);
      }
    }
    if ((t < first_window || t > last_window) && !early) continue;
    for (size_t c = 0; c < n; c++) {
      if (aux[c] || !is_null(row[c + 1])) continue;
      if (pos[c] > 0 && cols[c][pos[c] - 1].time == t) continue;  // its own null
      if (st.fill == Fill::kNumber) row[c + 1] = fill_number;
      if (st.fill == Fill::kPrevious && !st.descending) row[c + 1] = last[c];
      if (st.fill == Fill::kPrevious && st.descending) missing.push_back({rows.size(), c});
    }
    rows.push_back(std::move(row));
  }
  if (st.descending) {
    // The rows' places once flipped (as the rows would be).
    std::vector<size_t> order(rows.size());
    for (size_t k = 0; k < order.size(); k++) order[k] = k;
    flip(&order, [&rows](size_t k) { return std::get<int64_t>(rows[k][0]); });
    std::vector<Row> flipped;
    flipped.reserve(rows.size());
    std::vector<size_t> place(rows.size());
    for (size_t k = 0; k < order.size(); k++) {
      place[order[k]] = k;
      flipped.push_back(std::move(rows[order[k]]));
    }
    rows = std::move(flipped);
    // fill(previous) of a cell a column has no point for takes the value
    // the row before it has, in the answer's order (influxd's scanner
    // keeps a column's last value): rows are made ascending, so after.
    for (auto& [r, c] : missing) r = place[r];
    if (!missing.empty()) fill_missing_previous(&rows, missing, n);
  }
  for (size_t k = 0; k < rows.size(); k++) {
    if (cx.stop.at(k)) return Canceller::interrupted();
    out->values.push_back(std::move(rows[k]));
  }
  return Status();
}

// Whether a WHERE condition reads fields (not only tags and time).
bool condition_reads_fields(const Plan& plan, const Expr* cond) {
  bool reads = false;
  if (cond != nullptr) {
    for_each_ref(*cond, [&](const Expr& e) {
      reads = reads || (!is_time_ref(e) && plan.field_refs.count(e.name) > 0);
    });
  }
  return reads;
}

// first() or last() of fields alone (no other column, no GROUP BY time,
// no field in WHERE): each series' column is only read where its first
// or last point can be.
Edge edge_of(const Plan& plan, const Grouping& g, const SelectStatement& st) {
  if (!plan.aggregate || g.interval > 0 || plan.columns.empty()) return Edge::kAll;
  if (condition_reads_fields(plan, st.condition.get())) return Edge::kAll;
  std::string fn;
  for (const auto& c : plan.columns) {
    const Expr& e = *c.expr;
    if (e.kind != K::kCall || (e.name != "first" && e.name != "last") || e.args.size() != 1 ||
        e.args[0]->kind != K::kVarRef)
      return Edge::kAll;
    if (!fn.empty() && fn != e.name) return Edge::kAll;
    fn = e.name;
  }
  return fn == "first" ? Edge::kFirst : Edge::kLast;
}

// count(field) alone, without GROUP BY time or a field in WHERE: answered
// from block headers (count_points).
bool counts_only(const Plan& plan, const Grouping& g, const SelectStatement& st) {
  if (!plan.aggregate || g.interval > 0 || plan.columns.empty()) return false;
  for (const auto& c : plan.columns) {
    const Expr& e = *c.expr;
    if (e.kind != K::kCall || e.name != "count" || e.args.size() != 1 ||
        e.args[0]->kind != K::kVarRef)
      return false;
  }
  return !condition_reads_fields(plan, st.condition.get());
}

// Ends the read transactions begun on shards when it goes.
struct ReadScope {
  std::vector<storage::Shard*> shards;
  ~ReadScope() {
    for (auto* s : shards) s->end_read();
  }
};

// A raw subquery's LIMIT and OFFSET count the rows of each of its groups
// (by `dims`: its GROUP BY tags and the outer query's), not of each
// series, which is a group of its own here: the group's series (`result`,
// rows in the query's order) are merged as influxd merges them (shard by
// shard, equal times by the strings of `order`, tie_order()), cut, and
// each keeps its rows that are left.
Status page_subquery_rows(const SelectStatement& st, const std::vector<std::string>& dims,
                          const std::vector<std::pair<std::string, std::string>>& order,
                          const std::vector<int64_t>& shard_starts, const Canceller& stop,
                          std::vector<Series>* result) {
  std::map<std::vector<std::string>, std::vector<size_t>> groups;
  for (size_t si = 0; si < result->size(); si++) {
    std::vector<std::string> key;
    for (const auto& d : dims) {
      const auto& tags = (*result)[si].tags;
      auto it = std::find_if(tags.begin(), tags.end(), [&](const auto& t) { return t.first == d; });
      key.push_back(it == tags.end() ? "" : it->second);
    }
    groups[key].push_back(si);
  }
  for (const auto& [key, members] : groups) {
    std::vector<std::vector<int64_t>> times(members.size());
    std::vector<const std::vector<int64_t>*> tp;
    for (size_t q = 0; q < members.size(); q++) {
      for (const Row& r : (*result)[members[q]].values) times[q].push_back(std::get<int64_t>(r[0]));
      tp.push_back(&times[q]);
    }
    auto value = [&](size_t x, size_t q, int64_t t) -> std::optional<std::string_view> {
      const Series& se = (*result)[members[q]];
      const auto& [name, shown] = order[x];
      if (!shown.empty()) {
        auto c = std::find(se.columns.begin(), se.columns.end(), shown);
        if (c == se.columns.end()) return std::nullopt;
        const auto& ts = times[q];
        auto it = st.descending ? std::lower_bound(ts.begin(), ts.end(), t, std::greater<>())
                                : std::lower_bound(ts.begin(), ts.end(), t);
        if (it == ts.end() || *it != t) return std::nullopt;
        const Datum& d = se.values[static_cast<size_t>(it - ts.begin())][static_cast<size_t>(c - se.columns.begin())];
        if (!std::holds_alternative<std::string>(d)) return std::nullopt;
        return std::string_view(std::get<std::string>(d));
      }
      auto tag = std::find_if(se.tags.begin(), se.tags.end(), [&](const auto& kv) { return kv.first == name; });
      if (tag == se.tags.end()) return std::nullopt;
      return std::string_view(tag->second);
    };
    const TieLess tie = strings_tie(order.size(), value, tp, st.descending);
    auto merged = shard_merge_order(tp, shard_starts, st.descending, stop, order.empty() ? nullptr : &tie);
    TSD_RETURN_IF_ERROR(stop.check());
    std::vector<std::vector<bool>> keep(members.size());
    for (size_t q = 0; q < members.size(); q++) keep[q].assign(times[q].size(), false);
    const auto [from, to] = page(merged.size(), st.offset, st.limit);
    for (size_t k = from; k < to; k++) keep[static_cast<size_t>(merged[k].first)][merged[k].second] = true;
    for (size_t q = 0; q < members.size(); q++) {
      auto& vals = (*result)[members[q]].values;
      size_t n = 0;
      for (size_t r = 0; r < vals.size(); r++) {
        if (!keep[q][r]) continue;
        if (n != r) vals[n] = std::move(vals[r]);
        n++;
      }
      vals.resize(n);
    }
  }
  std::erase_if(*result, [](const Series& se) { return se.values.empty(); });
  return Status();
}

// The auxiliary values by which a raw subquery's rows of equal time come
// out of influxd's merge (raw_group's tie), by name: (the name read, the
// column the outer query sees it in, "" when none shows it alone). (An
// aggregate subquery's are its GROUP BY tags: its series' order.)
std::vector<std::pair<std::string, std::string>> tie_order(const Plan& plan) {
  std::map<std::string, std::string> by_name;
  for (const auto& c : plan.columns) {
    for_each_ref(*c.expr, [&](const Expr& ref) {
      std::string& shown = by_name[ref.name];
      if (&ref == c.expr && shown.empty()) shown = c.name;
    });
  }
  return {by_name.begin(), by_name.end()};
}

// What an outer query hands its subqueries (influxd's
// newIteratorOptionsSubstatement): the tags it groups by by name join
// theirs, its interval where they have none, and its time range bounds
// theirs.
struct Outer {
  const Grouping& grouping;
  const TimeRange& range;
  // Out: what orders the subquery's rows of equal time (its tie_order()).
  std::vector<std::pair<std::string, std::string>>* tie = nullptr;
  // Out: its columns that show a tag (Schema::tag_columns).
  std::set<std::string>* tag_columns = nullptr;
  // Out: its rows of equal time come in its series' order (an aggregate
  // subquery's), also for ORDER BY time DESC.
  bool* by_series = nullptr;
  // Out: the types of a raw subquery's columns that name a field.
  std::map<std::string, FieldType>* column_types = nullptr;
  // Out: the starts of the shards it read (its merge runs shard by shard).
  std::vector<int64_t>* shard_starts = nullptr;
};

Status run_select_in(const SelectStatement& st, const ExecContext& cx, std::vector<Series>* out,
                     bool keep_series, ReadStats* stats, const Outer* outer);

}  // namespace

Status run_select(const SelectStatement& st, const ExecContext& cx, std::vector<Series>* out,
                  bool keep_series, ReadStats* stats) {
  return run_select_in(st, cx, out, keep_series, stats, nullptr);
}

namespace {

Status run_select_in(const SelectStatement& st, const ExecContext& cx, std::vector<Series>* out,
                     bool keep_series, ReadStats* stats, const Outer* outer) {
  Exec x{st, cx, {}, {}, {}, {}, nullptr, {}, {}};
  x.stats = stats;
  ReadScope reads;
  auto zone = Zone::load(st.tz);
  if (!zone.ok()) return zone.status();
  x.zone = *zone;
  TSD_RETURN_IF_ERROR(read_grouping(st, cx.now, &x.grouping));
  TSD_RETURN_IF_ERROR(time_range(st.condition.get(), cx.now, x.zone, &x.range));
  if (outer != nullptr) {
    const Grouping& o = outer->grouping;
    for (const auto& t : o.tags) {
      if (std::find(x.grouping.tags.begin(), x.grouping.tags.end(), t) == x.grouping.tags.end())
        x.grouping.tags.push_back(t);
    }
    // (GROUP BY * or /re/ outside means the subquery's own tags.)
    if (x.grouping.interval == 0 && !st.is_raw) {
      x.grouping.interval = o.interval;
      x.grouping.offset = o.offset;
    }
    const TimeRange& r = outer->range;
    if (r.has_min && (!x.range.has_min || r.min > x.range.min)) {
      x.range.min = r.min;
      x.range.has_min = true;
    }
    if (r.has_max && (!x.range.has_max || r.max < x.range.max)) {
      x.range.max = r.max;
      x.range.has_max = true;
    }
  }
  if (st.condition) {
    TSD_RETURN_IF_ERROR(x.re.compile_all(*st.condition));
    x.cond = st.condition.get();
  }
  if (x.grouping.interval > 0 && !x.range.has_max) x.range.max = cx.now;
  if (x.range.empty()) return Status();
  // influxd maps shards over the range moved back by the intervals its
  // transformations read (query/compile.go, Prepare), in ascending order
  // even without a lower bound: the range then starts before the earliest
  // time there is, its nanoseconds wrap, no shard is mapped, and the
  // statement answers nothing, whatever its other columns.
  if (outer == nullptr && x.grouping.interval > 0 && !st.descending && !x.range.has_min) {
    for (const auto& f : st.fields) {
      if (calls(*f.expr, {FnKind::kTransform})) return Status();
    }
  }
  // The shards of the range, and of the interval a transformation reads
  // before it (after it, descending) as influxd maps them.
  int64_t map_min = x.range.min, map_max = x.range.max;
  if (x.grouping.interval > 0) {
    int64_t extra = 0;
    for (const auto& f : st.fields) extra = std::max(extra, extra_intervals(*f.expr));
    const int64_t by = extra * x.grouping.interval;
    if (!st.descending && x.range.has_min) map_min = map_min < kMinTime + by ? kMinTime : map_min - by;
    if (st.descending) map_max = map_max > kMaxTime - by ? kMaxTime : map_max + by;
  }

  // Sources by database and retention policy.
  std::vector<MeasurementData> ms;
  int subqueries = 0;
  for (const auto& src : st.sources) {
    if (src.subquery) {
      // influxd runs a subquery in the direction of the query around it
      // (an ORDER BY of its own must agree: select_check.cc), so under
      // ORDER BY time DESC its fill(previous), LIMIT and ties run last
      // first too. (Setting a subquery without ORDER BY to its parent's
      // direction changes nothing else: its text shows no ORDER BY.)
      src.subquery->descending = st.descending;
      subqueries++;
      std::vector<Series> inner;
      std::vector<std::pair<std::string, std::string>> tie;
      std::set<std::string> tag_columns;
      bool by_series = false;
      std::map<std::string, FieldType> column_types;
      std::vector<int64_t> inner_starts;
      Outer o{x.grouping, x.range, &tie, &tag_columns, &by_series, &column_types, &inner_starts};
      TSD_RETURN_IF_ERROR(run_select_in(*src.subquery, cx, &inner, true, stats, &o));
      // Its rows are read in time order (the outer query's merge orders
      // them again).
      if (st.descending) {
        for (auto& se : inner) std::reverse(se.values.begin(), se.values.end());
      }
      std::vector<std::string> dims;
      bool all_dims = false;
      for (const auto& d : src.subquery->dimensions) {
        if (d->kind == K::kVarRef) dims.push_back(d->name);
        if (d->kind == K::kWildcard || d->kind == K::kRegex) all_dims = true;
      }
      const size_t before = ms.size();
      TSD_RETURN_IF_ERROR(
          subquery_measurements(std::move(inner), dims, all_dims, cx.stop, &ms, !by_series, &column_types));
      for (size_t k = before; k < ms.size(); k++) {
        for (auto& sr : ms[k].series) sr.source = subqueries;
        ms[k].inner_tie = tie;
        ms[k].inner_by_series = by_series;
        ms[k].inner_shard_starts = inner_starts;
        ms[k].schema.tag_columns = tag_columns;
      }
      continue;
    }
    std::string db = !src.db.empty() ? src.db : cx.opts->db;
    if (db.empty()) return Status::invalid_argument("database name required");
    std::string rp = !src.rp.empty() ? src.rp : cx.opts->rp;
    auto& cat = cx.store->catalog();
    if (rp == kAutoRetentionPolicy && src.rp.empty() && !cat.retention_policy(db, rp).ok()) {
      const int64_t start = x.range.has_min ? x.range.min : 0;
      const int64_t end = x.range.has_max ? x.range.max : cx.now;
      auto a = auto_retention_policy(cat, db, src.name, start, end, x.grouping.interval, cx.now);
      if (!a.ok()) return a.status();
      rp = *a;
    }
    if (rp.empty()) {
      auto d = cat.default_retention_policy(db);
      if (!d.ok()) return d.status();
      rp = *d;
    }
    auto shards = cx.store->shards(db, rp, map_min, map_max);
    if (!shards.ok()) return shards.status();
    for (const auto& sh : *shards) {
      x.shard_starts.push_back(sh.group.start);
      x.shard_start_of.push_back({sh.shard, sh.group.start});
      if (std::find(reads.shards.begin(), reads.shards.end(), sh.shard) != reads.shards.end())
        continue;
      TSD_RETURN_IF_ERROR(sh.shard->begin_read());
      reads.shards.push_back(sh.shard);
    }
    std::vector<Source> one;
    one.push_back({src.db, src.rp, src.name, src.is_regex, src.regex, nullptr});
    TSD_RETURN_IF_ERROR(read_measurements(*shards, one, x.re, cx.stop, &ms, tag_hint(x.cond)));
  }
  std::stable_sort(ms.begin(), ms.end(), [](const MeasurementData& a, const MeasurementData& b) {
    return a.name < b.name;
  });
  // Sources naming the same measurement (two subqueries, two databases)
  // read as one.
  for (size_t i = 1; i < ms.size();) {
    if (ms[i].name != ms[i - 1].name) {
      i++;
      continue;
    }
    MeasurementData& a = ms[i - 1];
    MeasurementData& b = ms[i];
    a.schema.fields.insert(b.schema.fields.begin(), b.schema.fields.end());
    a.schema.tags.insert(b.schema.tags.begin(), b.schema.tags.end());
    for (auto& sr : b.series) a.series.push_back(std::move(sr));
    for (auto& [sh, ids] : b.field_ids) a.field_ids[sh] = std::move(ids);
    for (auto& [sh, types] : b.field_types) a.field_types[sh] = std::move(types);
    std::stable_sort(a.series.begin(), a.series.end(),
                     [](const SeriesRef& p, const SeriesRef& q) { return p.key < q.key; });
    ms.erase(ms.begin() + static_cast<std::ptrdiff_t>(i));
  }
  std::sort(x.shard_starts.begin(), x.shard_starts.end());
  if (outer != nullptr && outer->shard_starts != nullptr) *outer->shard_starts = x.shard_starts;
  // The plan over the union of the measurements' schemas.
  Schema all;
  for (const auto& m : ms) {
    all.fields.insert(m.schema.fields.begin(), m.schema.fields.end());
    all.tags.insert(m.schema.tags.begin(), m.schema.tags.end());
    all.tag_columns.insert(m.schema.tag_columns.begin(), m.schema.tag_columns.end());
  }
  x.all_tags = all.tags;
  std::vector<std::string> group_tags = x.grouping.tags;
  if (x.grouping.all_tags) group_tags.assign(all.tags.begin(), all.tags.end());
  for (const Expr* rx : x.grouping.tag_regexes) {
    auto r = x.re.get(*rx);
    if (!r.ok()) return r.status();
    for (const auto& t : all.tags) {
      if (RE2::PartialMatch(t, **r)) group_tags.push_back(t);
    }
  }
  std::sort(group_tags.begin(), group_tags.end());
  group_tags.erase(std::unique(group_tags.begin(), group_tags.end()), group_tags.end());
  auto plan = make_plan(st, all, group_tags);
  if (!plan.ok()) return plan.status();
  x.plan = std::move(*plan);
  if (x.plan.columns.empty()) return Status();
  // A subquery's columns that name a field or a tag, with their types
  // (what its outer query knows of them).
  std::vector<std::pair<std::string, DataType>> ref_columns;
  if (outer != nullptr) {
    for (const auto& c : x.plan.columns) {
      const Expr* e = c.expr;
      while (e->kind == K::kParen) e = e->args[0].get();
      if (e->kind != K::kVarRef) continue;
      ref_columns.push_back({c.name, e->type == DataType::kUnknown ? schema_type(e->name, all) : e->type});
    }
  }
  if (outer != nullptr && outer->tag_columns != nullptr) {
    for (const auto& [name, t] : ref_columns) {
      if (t == DataType::kTag) outer->tag_columns->insert(name);
    }
  }
  x.refs.assign(x.plan.field_refs.begin(), x.plan.field_refs.end());
  // A raw query over a raw subquery gives a row for each of its rows
  // (kSubqueryRows), its columns null or not.
  if (!x.plan.aggregate) {
    for (const auto& m : ms) {
      if (m.series.empty() || !m.series[0].data || !m.series[0].data->count(kSubqueryRows)) continue;
      x.refs.insert(std::lower_bound(x.refs.begin(), x.refs.end(), kSubqueryRows), kSubqueryRows);
      break;
    }
  }
  // GROUP BY * groups every measurement by the tag keys of them all (a
  // key a measurement lacks has the value "" in its series).
  const bool every_key = x.grouping.all_tags;
  std::vector<std::string> row_dims;  // a raw subquery's own groups
  if (keep_series && !x.plan.aggregate) {
    // A raw subquery's rows keep their series' tags for the outer query
    // (InfluxDB's points carry them), as if grouped by every tag.
    // Its LIMIT and OFFSET count rows of its groups, not of each series
    // (page_subquery_rows), unless it groups by every tag.
    x.page_rows = outer == nullptr || every_key || !x.grouping.tag_regexes.empty();
    row_dims = x.grouping.tags;
    x.grouping.all_tags = true;
    group_tags.assign(all.tags.begin(), all.tags.end());
    if (outer != nullptr && outer->tie != nullptr) *outer->tie = tie_order(x.plan);
    if (outer != nullptr && outer->column_types != nullptr) {
      for (const auto& [name, t] : ref_columns) {
        switch (t) {
          case DataType::kFloat: (*outer->column_types)[name] = FieldType::kFloat; break;
          case DataType::kInteger: (*outer->column_types)[name] = FieldType::kInteger; break;
          case DataType::kUnsigned: (*outer->column_types)[name] = FieldType::kUnsigned; break;
          case DataType::kString: (*outer->column_types)[name] = FieldType::kString; break;
          case DataType::kBoolean: (*outer->column_types)[name] = FieldType::kBoolean; break;
          default: break;
        }
      }
    }
  } else if (keep_series && outer != nullptr && outer->tie != nullptr) {
    // An aggregate subquery's rows of equal time come in its series' order
    // (ascending, whatever the outer query's order).
    for (const auto& t : group_tags) outer->tie->push_back({t, ""});
    if (outer->by_series != nullptr) *outer->by_series = true;
  }
  if (x.grouping.interval > 0 && (x.range.has_min || st.descending)) {
    for (const auto& e : x.plan.exprs) x.extra = std::max(x.extra, extra_intervals(*e));
  }
  x.edge = edge_of(x.plan, x.grouping, st);
  for (const auto& c : x.plan.columns) x.has_aux = x.has_aux || is_aux_expr(*c.expr);
  x.count_only = counts_only(x.plan, x.grouping, st) && x.stats == nullptr;

  std::vector<std::string> columns{"time"};
  for (const auto& c : x.plan.columns) columns.push_back(c.name);
  int64_t first_window = 0;
  bool first_window_set = false;
  // A lower bound of the earliest time, or whose window would start
  // before it, is none: influxd then starts the windows at the first point.
  // (InfluxDB's window of a time too near the earliest starts at the
  // earliest time: none either.)
  const int64_t min_window =
      x.grouping.interval > 0 && x.range.has_min ? x.window_start(x.range.min) : kMinTime;
  if (x.grouping.interval > 0 && x.range.has_min && x.range.min != kMinTime &&
      min_window > kMinTime && min_window <= x.range.min) {
    first_window = min_window;
    first_window_set = true;
    // Transformations read the intervals before the first: influxd
    // moves the query's start (not the first window's) back by them, so
    // the earlier windows see the points from that time on, the first
    // window those before the start too.
    x.query_min = x.range.min;
    if (x.extra > 0 && !st.descending) {
      const int64_t back = x.extra * x.grouping.interval;
      x.range.min = x.range.min < kMinTime + back ? kMinTime : x.range.min - back;
    }
  }
  if (x.extra > 0 && st.descending) {
    // In descending order the intervals after the last are read: the
    // query's end moves on by them.
    const int64_t on = x.extra * x.grouping.interval;
    x.query_max = x.range.max;
    x.last_window = x.window_start(x.range.max);
    x.range.max = x.range.max > kMaxTime - on ? kMaxTime : x.range.max + on;
  }
  // ORDER BY time DESC LIMIT n of windows: only the last n + offset
  // windows are read (the others would be cut by the limit).
  bool tail = x.plan.aggregate && x.grouping.interval > 0 && st.descending && st.limit > 0 &&
              x.extra == 0 && (st.fill == Fill::kNull || st.fill == Fill::kNumber) && !keep_series;
  // (percentile() of a few points can give none: whether the group answers
  // is then known only from all its windows. distinct(), top(), bottom(),
  // sample() and integral() give no row for an empty window: influxd does
  // not fill theirs, so LIMIT counts windows with points.)
  for (const auto& e : x.plan.exprs) {
    tail = tail && !calls(*e, {FnKind::kTransform, FnKind::kPredictor});
    for (const char* fn : {"percentile", "distinct", "top", "bottom", "sample", "integral"})
      tail = tail && !calls_named(*e, fn);
  }
  // (Block headers tell whether a group has points, not whether any
  // passes a condition on fields.)
  tail = tail && !condition_reads_fields(x.plan, st.condition.get());
  const int64_t full_min = x.range.min;
  int64_t tail_min = full_min;
  if (tail) {
    tail_min = x.window_start(x.range.max);
    // limit + offset windows (both up to INT64_MAX: saturated).
    int64_t n = st.offset > INT64_MAX - st.limit ? INT64_MAX : st.limit + st.offset;
    for (int64_t i = 1; i < n && tail_min > full_min; i++) {
      int64_t before = x.window_start(tail_min - 1);
      if (before >= tail_min) break;  // it would start before the earliest time
      tail_min = before;
    }
    if (first_window_set) x.range.min = std::max(full_min, tail_min);
  }
  std::vector<Series> result;
  std::set<std::string> limited;  // measurements whose groups SLIMIT counted
  x.lazy_fields = x.plan.aggregate && !x.has_aux && x.stats == nullptr && !x.count_only &&
                  first_window_set && !tail;
  // Without a lower bound each group's windows start at its first point.
  const bool own_start = x.grouping.interval > 0 && !first_window_set;
  for (const auto& m : ms) {
    x.inner_tie = m.inner_tie.empty() ? nullptr : &m.inner_tie;
    x.inner_by_series = m.inner_by_series;
    x.inner_shard_starts = &m.inner_shard_starts;
    // Groups by the GROUP BY tags' values.
    std::vector<std::string> mtags;
    for (const auto& t : group_tags) {
      if (x.grouping.all_tags && !every_key && !m.schema.tags.count(t)) continue;
      mtags.push_back(t);
    }
    // Members first (tags only); each group's data is read when its turn
    // comes and let go after, so memory holds one group at a time.
    std::map<std::vector<std::string>, std::vector<const SeriesRef*>> members;
    for (const auto& s : m.series) {
      if (cx.stop.at(static_cast<size_t>(&s - m.series.data()))) return Canceller::interrupted();
      std::vector<std::string> key;
      for (const auto& t : mtags) {
        const Tag* v = s.find(t);
        key.push_back(v ? v->value : "");
      }
      members[key].push_back(&s);
    }
    // SLIMIT and SOFFSET count the groups whose series the tag conditions
    // keep, points in range or not (influxd limits the tag sets of its
    // index); a subquery's groups are counted once answered, below.
    std::vector<std::pair<const std::vector<std::string>*, std::vector<const SeriesRef*>*>> turns;
    for (auto& [key, refs] : members) {
      bool kept = m.series.empty() || m.series[0].data != nullptr;
      for (const SeriesRef* sr : refs) kept = kept || x.series_truth(m, *sr) != Truth::kFalse;
      if (kept) turns.push_back({&key, &refs});
    }
    const bool from_index = !m.series.empty() && m.series[0].data == nullptr;
    if (from_index && (st.slimit > 0 || st.soffset > 0)) {
      auto [from, to] = series_page(turns.size(), st);
      turns.erase(turns.begin() + static_cast<std::ptrdiff_t>(to), turns.end());
      turns.erase(turns.begin(), turns.begin() + static_cast<std::ptrdiff_t>(from));
      limited.insert(m.name);
    }
    for (auto [key_p, refs_p] : turns) {
      const auto& key = *key_p;
      auto& refs = *refs_p;
      TSD_RETURN_IF_ERROR(cx.stop.check());
      Group g;
      bool has_data = false;
      if (tail) {
        // Whether the group has points at all, and (without a lower
        // bound) where its windows start: from block headers.
        auto t0 = x.group_first_time(m, refs, full_min, x.range.max);
        if (!t0.ok()) return t0.status();
        if (*t0 == INT64_MAX) continue;
        has_data = true;
        if (own_start) {
          first_window = x.window_start(*t0);
          x.range.min = std::max(first_window, tail_min);
        }
      }
      for (const SeriesRef* sr : refs) {
        SeriesData d;
        TSD_RETURN_IF_ERROR(x.load_series(m, *sr, &d));
        if (d.ref == nullptr) continue;
        bool empty = d.loaded.empty();  // (a series read lazily stays)
        for (const auto& c : d.cols) empty = empty && c.empty();
        if (empty) continue;
        g.series.push_back(std::move(d));
      }
      if (g.series.empty() && !has_data) continue;
      for (size_t i = 0; i < mtags.size(); i++) g.tags.push_back({mtags[i], key[i]});
      if (x.grouping.interval > 0 && own_start && !tail) {
        // No lower bound: a group's windows start at its first point
        // (influxd's fill iterator starts each series of its output at
        // its first point's window).
        int64_t t0 = INT64_MAX;
        for (const auto& sd : g.series) {
          for (const auto& c : sd.cols) {
            if (!c.empty()) t0 = std::min(t0, c.times[0]);
          }
        }
        first_window = x.window_start(t0);
      }
      Series s;
      s.name = m.name;
      s.tags = g.tags;
      s.columns = columns;
      s.has_time = true;
      s.zone = st.tz == "UTC" ? "" : st.tz;
      if (x.plan.aggregate) {
        x.group_has_data = has_data;
        TSD_RETURN_IF_ERROR(x.agg_group(m, g, first_window, &s, has_data));
      } else {
        TSD_RETURN_IF_ERROR(x.raw_group(m, g, &s));
      }
      if (!s.values.empty()) result.push_back(std::move(s));
    }
  }
  if (!x.page_rows) {
    TSD_RETURN_IF_ERROR(page_subquery_rows(st, row_dims, tie_order(x.plan), x.shard_starts, cx.stop, &result));
  }
  // A lone percentile() whose first window chose no point (percentile_stream).
  for (const auto& [call, ps] : x.percentile_streams) {
    if (ps.ended) result.clear();
  }
  // SLIMIT and SOFFSET count each measurement's series (influxd limits
  // the series of each measurement it reads), in ascending order (those
  // read from the index were counted above).
  const size_t first_out = out->size();
  for (size_t a = 0; a < result.size();) {
    size_t b = a + 1;
    while (b < result.size() && result[b].name == result[a].name) b++;
    auto [from, to] = limited.count(result[a].name) ? std::make_pair(size_t{0}, b - a)
                                                    : series_page(b - a, st);
    for (size_t k = a + from; k < a + to; k++) out->push_back(std::move(result[k]));
    a = b;
  }
  // With ORDER BY time DESC InfluxDB gives the series in reverse order too.
  if (st.descending) std::reverse(out->begin() + static_cast<std::ptrdiff_t>(first_out), out->end());
  return Status();
}

}  // namespace

}  // namespace tsd::query
