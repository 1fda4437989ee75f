// SHOW MEASUREMENTS, SERIES, TAG KEYS, TAG VALUES, FIELD KEYS and their
// CARDINALITY forms (exec_meta.h): the index of every shard of every RP
// of the database, merged, shaped as influxd 1.6 answers.
//
// WHERE reads tags as influxd 1.6 does, which is three ways (checked
// against it in query_meta_test.cc):
//  - SHOW MEASUREMENTS: per measurement and per comparison, `k = 'v'` or
//    `k =~ /re/` holds when some series has such a value, `!=` and `!~`
//    when the measurement has the key and no series has such a value;
//    AND and OR of those; no time.
//  - SHOW SERIES, TAG KEYS, TAG VALUES: per series, as the series index
//    reads it (condition.h, index_reading: a comparison with a field or a
//    number holds). Their time is ignored, but SHOW SERIES reads only the
//    shards overlapping it, and then per series strictly (below).
//  - the CARDINALITY forms: per series, strictly (a comparison with a
//    field or a number is false); no time, but TAG VALUES reads only the
//    shards overlapping it, and nothing when it leaves out time 0 (the
//    time influxd gives the rows it counts).
#include <map>
#include <set>
#include <utility>

#include "query/condition.h"
#include "query/exec_meta.h"

namespace tsd::query {
namespace {

using K = Statement::Kind;

// What a statement needs of the merged index, by measurement.
struct Merged {
  std::set<std::string> measurements;
  std::map<std::string, std::set<std::string>> series;  // series keys
  // Series counted once per shard that holds them (SERIES EXACT CARDINALITY).
  std::map<std::string, int64_t> series_in_shards;
  std::map<std::string, std::set<std::string>> tag_keys;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> tag_values;
  // (name, type) of each measurement: a field typed differently in two
  // shards is listed once per type, as influxd lists it.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> fields;
};

// How a statement reads its WHERE.
enum class Reading { kMeasurement, kIndex, kStrict };

struct Where {
  const Expr* cond = nullptr;
  Reading reading = Reading::kIndex;
  TimeRange shards;  // the shards read: those overlapping it
  Regexes re;
  // kMeasurement: every series key of each measurement, with its tags.
  std::map<std::string, std::map<std::string, std::vector<Tag>>> all;
};

// Which tag keys WITH KEY picks.
class KeyFilter {
 public:
  static Result<KeyFilter> make(const MetaStatement& m) {
    KeyFilter f;
    f.m_ = &m;
    if (m.key_op == Tok::kEqRegex || m.key_op == Tok::kNeqRegex) {
      auto re = compile_regex(m.key_regex);
      if (!re.ok()) return re.status();
      f.re_ = std::move(*re);
    }
    return f;
  }
  bool matches(const std::string& key) const {
    switch (m_->key_op) {
      case Tok::kEq: return key == m_->keys[0];
      case Tok::kNeq: return key != m_->keys[0];
      case Tok::kIn:
        for (const auto& k : m_->keys) {
          if (k == key) return true;
        }
        return false;
      case Tok::kEqRegex: return RE2::PartialMatch(key, *re_);
      case Tok::kNeqRegex: return !RE2::PartialMatch(key, *re_);
      default: return true;
    }
  }

 private:
  const MetaStatement* m_ = nullptr;
  std::shared_ptr<RE2> re_;
};

enum Need : unsigned { kSeries = 1, kTagKeys = 2, kTagValues = 4, kFields = 8 };

unsigned needs(K kind) {
  switch (kind) {
    case K::kShowSeries:
    case K::kShowSeriesCardinality: return kSeries;
    case K::kShowTagKeys:
    case K::kShowTagKeyCardinality: return kTagKeys;
    case K::kShowTagValues:
    case K::kShowTagValuesCardinality: return kTagValues;
    case K::kShowFieldKeys:
    case K::kShowFieldKeyCardinality: return kFields;
    default: return 0;
  }
}

// A series' tags as a condition reads them; `_name` is its measurement.
TagScope scope_of(const storage::SeriesInfo& s, const std::vector<storage::FieldInfo>* fields,
                  Reading reading) {
  TagScope scope;
  scope.index_reading = reading == Reading::kIndex;
  scope.tag = [&s](std::string_view key) -> std::string_view {
    if (key == "_name") return s.measurement;
    for (const Tag& t : s.tags) {
      if (t.key == key) return t.value;
    }
    return {};
  };
  if (fields && reading == Reading::kIndex) {
    scope.is_field = [fields](std::string_view name) {
      for (const auto& f : *fields) {
        if (f.name == name) return true;
      }
      return false;
    };
  }
  return scope;
}

// The series of measurement m that `w` keeps, added to *out as `need` says.
Status merge_where(storage::Shard* shard, const std::string& m, unsigned need, const KeyFilter& keys,
                   const Canceller& stop, Where& w, Merged* out) {
  auto series = shard->series(m);
  if (!series.ok()) return series.status();
  if (w.reading == Reading::kMeasurement) {
    for (auto& s : *series) w.all[m].emplace(std::move(s.key), std::move(s.tags));
    return Status();
  }
  auto fields = shard->fields(m);
  if (!fields.ok()) return fields.status();
  for (size_t k = 0; k < series->size(); k++) {
    if (stop.at(k)) return Canceller::interrupted();
    auto& s = (*series)[k];
    Truth t = eval_on_tags(*w.cond, scope_of(s, &*fields, w.reading), w.re);
    if (t == Truth::kFalse || (t == Truth::kUnknown && w.reading == Reading::kStrict)) continue;
    out->measurements.insert(m);
    for (const Tag& tag : s.tags) {
      if (need & kTagKeys) out->tag_keys[m].insert(tag.key);
      if ((need & kTagValues) && keys.matches(tag.key)) out->tag_values[m].emplace(tag.key, tag.value);
    }
    if (need & kSeries) {
      out->series_in_shards[m]++;
      out->series[m].insert(std::move(s.key));
    }
  }
  return Status();
}

Status merge_shard(storage::Shard* shard, unsigned need, const MeasurementFilter& from,
                   const KeyFilter& keys, const Canceller& stop, Where* w, Merged* out) {
  auto ms = shard->measurements();
  if (!ms.ok()) return ms.status();
  for (const std::string& m : *ms) {
    TSD_RETURN_IF_ERROR(stop.check());
    if (!from.matches(m)) continue;
    if (w->cond) {
      TSD_RETURN_IF_ERROR(merge_where(shard, m, need, keys, stop, *w, out));
      continue;
    }
    out->measurements.insert(m);
    if (need & kSeries) {
      auto ss = shard->series(m);
      if (!ss.ok()) return ss.status();
      out->series_in_shards[m] += static_cast<int64_t>(ss->size());
      for (size_t k = 0; k < ss->size(); k++) {
        if (stop.at(k)) return Canceller::interrupted();
        out->series[m].insert(std::move((*ss)[k].key));
      }
    }
    if (need & (kTagKeys | kTagValues)) {
      auto ks = shard->tag_keys(m);
      if (!ks.ok()) return ks.status();
      for (const std::string& k : *ks) {
        if (need & kTagKeys) out->tag_keys[m].insert(k);
        if (!(need & kTagValues) || !keys.matches(k)) continue;
        auto vs = shard->tag_values(m, k);
        if (!vs.ok()) return vs.status();
        for (size_t i = 0; i < vs->size(); i++) {
          if (stop.at(i)) return Canceller::interrupted();
          out->tag_values[m].emplace(k, std::move((*vs)[i]));
        }
      }
    }
  }
  if (need & kFields) {
    // Every shard's field types, also where the measurement has no series
    // left (DELETE and DROP SERIES keep them, as InfluxDB does); a
    // measurement without series anywhere is dropped after the merge.
    auto fs = shard->fields();
    if (!fs.ok()) return fs.status();
    for (const auto& f : *fs) {
      if (from.matches(f.measurement)) {
        out->fields[f.measurement].emplace(f.name, std::string(field_type_name(f.type)));
      }
    }
  }
  return Status();
}

// SHOW MEASUREMENTS' reading of one comparison, or the whole tree.
bool measurement_matches(const Expr& e, const std::string& name,
                         const std::map<std::string, std::vector<Tag>>& series, Regexes& re) {
  if (e.kind == Expr::Kind::kParen) return measurement_matches(*e.args[0], name, series, re);
  if (e.op == Tok::kAnd) {
    return measurement_matches(*e.args[0], name, series, re) &&
           measurement_matches(*e.args[1], name, series, re);
  }
  if (e.op == Tok::kOr) {
    return measurement_matches(*e.args[0], name, series, re) ||
           measurement_matches(*e.args[1], name, series, re);
  }
  const std::string& key = e.args[0]->name;
  const bool positive = e.op == Tok::kEq || e.op == Tok::kEqRegex;
  bool seen = false, any = false, all = true;
  for (const auto& [k, tags] : series) {
    storage::SeriesInfo s;
    s.measurement = name;
    s.tags = tags;
    if (key != "_name") {
      bool has = false;
      for (const Tag& t : tags) has |= t.key == key;
      if (!has) continue;
    }
    const bool t = eval_on_tags(e, scope_of(s, nullptr, Reading::kStrict), re) == Truth::kTrue;
    seen = true;
    any |= t;
    all &= t;
    if (key == "_name") break;  // one series says it for all
  }
  return seen && (positive ? any : all);
}

// The error influxd gives for SHOW MEASUREMENTS' condition, if any.
Status check_measurement_condition(const Expr& e) {
  using EK = Expr::Kind;
  if (e.kind == EK::kParen) return check_measurement_condition(*e.args[0]);
  if (e.kind == EK::kBoolean) {
    return Status::invalid_argument(std::string("&influxql.BooleanLiteral{Val:") +
                                    (e.boolean ? "true" : "false") + "}");
  }
  if (e.kind != EK::kBinary) return Status::invalid_argument("invalid tag comparison operator");
  if (e.op == Tok::kAnd || e.op == Tok::kOr) {
    TSD_RETURN_IF_ERROR(check_measurement_condition(*e.args[0]));
    return check_measurement_condition(*e.args[1]);
  }
  const bool regex = e.op == Tok::kEqRegex || e.op == Tok::kNeqRegex;
  if (!regex && e.op != Tok::kEq && e.op != Tok::kNeq) {
    return Status::invalid_argument("invalid tag comparison operator");
  }
  const std::string op(tok_name(e.op));
  if (e.args[0]->kind != EK::kVarRef) {
    return Status::invalid_argument("left side of '" + op + "' must be a tag key");
  }
  if (regex && e.args[1]->kind != EK::kRegex) {
    return Status::invalid_argument("right side of '" + op + "' must be a regular expression");
  }
  if (!regex && e.args[1]->kind != EK::kString) {
    return Status::invalid_argument("right side of '" + op + "' must be a tag value string");
  }
  return Status();
}

// The series index refuses comparisons other than =, !=, =~ and !~ (of
// anything but time).
Status check_index_condition(const Expr& e) {
  if (e.kind == Expr::Kind::kParen) return check_index_condition(*e.args[0]);
  if (e.kind != Expr::Kind::kBinary) return Status();
  if (e.op == Tok::kAnd || e.op == Tok::kOr) {
    TSD_RETURN_IF_ERROR(check_index_condition(*e.args[0]));
    return check_index_condition(*e.args[1]);
  }
  if (is_time_ref(*e.args[0]) || is_time_ref(*e.args[1])) return Status();
  switch (e.op) {
    case Tok::kEq:
    case Tok::kNeq:
    case Tok::kEqRegex:
    case Tok::kNeqRegex: return Status();
    default: return Status::invalid_argument("invalid tag comparison operator");
  }
}

// How statement `kind` reads `cond`, and the shards it reads; an error
// as influxd's. *nothing: the answer is empty whatever the index holds.
Status plan_where(K kind, const Expr& cond, int64_t now, Where* w, bool* nothing) {
  w->cond = &cond;
  TSD_RETURN_IF_ERROR(w->re.compile_all(cond));
  const bool time = has_time_condition(&cond);
  const char* refuse = nullptr;
  switch (kind) {
    case K::kShowMeasurements:
      if (time) return Status::invalid_argument("SHOW MEASUREMENTS doesn't support time in WHERE clause");
      w->reading = Reading::kMeasurement;
      return check_measurement_condition(cond);
    case K::kShowSeries:
      if (time) {
        w->reading = Reading::kStrict;
        return time_range(&cond, now, Zone(), &w->shards);
      }
      return check_index_condition(cond);
    case K::kShowTagKeys:
    case K::kShowTagValues: return check_index_condition(cond);
    case K::kShowMeasurementCardinality: refuse = "SHOW MEASUREMENT EXACT CARDINALITY"; break;
    case K::kShowSeriesCardinality: refuse = "SHOW SERIES EXACT CARDINALITY"; break;
    case K::kShowTagKeyCardinality: refuse = "SHOW TAG KEY EXACT CARDINALITY"; break;
    case K::kShowFieldKeyCardinality: refuse = "SHOW FIELD KEY CARDINALITY"; break;
    default: break;
  }
  w->reading = Reading::kStrict;
  if (refuse && time) {
    return Status::invalid_argument(std::string(refuse) + " doesn't support time in WHERE clause");
  }
  if (kind == K::kShowTagValuesCardinality && time) {
    TSD_RETURN_IF_ERROR(time_range(&cond, now, Zone(), &w->shards));
    *nothing = w->shards.min > 0 || w->shards.max < 0;
  }
  return Status();
}

// Rows of `items`, LIMIT and OFFSET applied.
template <class Items, class ToRow>
Status rows_of(const Items& items, const MetaStatement& m, const Canceller& stop, ToRow to_row,
               Series* s) {
  size_t k = 0;
  for (const auto& item : items) {
    if (stop.at(k++)) return Canceller::interrupted();
    s->values.push_back(to_row(item));
  }
  limit_rows(&s->values, m.limit, m.offset);
  return Status();
}

// One series per measurement with rows, LIMIT and OFFSET applied to each.
template <class Map, class ToRow>
Status per_measurement(const Map& by_m, std::vector<std::string> columns, const MetaStatement& m,
                       const Canceller& stop, ToRow to_row, StatementResult* r) {
  for (const auto& [name, items] : by_m) {
    Series s;
    s.name = name;
    s.columns = columns;
    TSD_RETURN_IF_ERROR(rows_of(items, m, stop, to_row, &s));
    if (!s.values.empty()) r->series.push_back(std::move(s));
  }
  return Status();
}

// One count per measurement (the EXACT forms and the per-measurement ones).
template <class Map>
void counts(const Map& by_m, StatementResult* r) {
  for (const auto& [name, items] : by_m) {
    if (items.empty()) continue;
    r->series.push_back(make_series(name, {"count"}, {{static_cast<int64_t>(items.size())}}));
  }
}

// A single-row answer of one column (no name).
void single(std::string column, int64_t n, StatementResult* r) {
  r->series.push_back(make_series("", {std::move(column)}, {{n}}));
}

}  // namespace

StatementResult execute_show_index(const Statement& st, const ExecContext& cx) {
  const MetaStatement& m = *st.meta;
  // With FROM or WHERE influxd counts exactly.
  const bool estimate = !m.exact && m.sources.empty() && !m.condition &&
                        (st.kind == K::kShowMeasurementCardinality ||
                         st.kind == K::kShowSeriesCardinality);
  StatementResult r;
  auto db = statement_db(m, cx);
  if (!db.ok()) return statement_error(db.status().message());
  Where where;
  if (m.condition) {
    bool nothing = false;
    Status s = plan_where(st.kind, *m.condition, cx.now, &where, &nothing);
    if (!s.ok()) return statement_error(s.message());
    if (nothing) return r;
  }
  auto from = MeasurementFilter::make(m.sources);
  if (!from.ok()) return statement_error(from.status().message());
  auto keys = KeyFilter::make(m);
  if (!keys.ok()) return statement_error(keys.status().message());
  auto shards = cx.store->database_shards(*db);
  if (!shards.ok()) {
    // influxd answers these for a database it does not have too.
    if (shards.status().code() == Status::Code::kNotFound) {
      if (st.kind == K::kShowMeasurements) return r;
      if (estimate) {
        single("cardinality estimation", 0, &r);
        return r;
      }
    }
    return statement_error(shards.status().message());
  }
  // influxd answers SHOW FIELD KEYS and the exact cardinalities by queries
  // on a retention policy (FROM rp.m's, else the default): they see only
  // its shards. The other SHOWs read the database's index, every RP.
  const bool one_rp = st.kind == K::kShowFieldKeys || st.kind == K::kShowFieldKeyCardinality ||
                      st.kind == K::kShowTagKeyCardinality ||
                      st.kind == K::kShowTagValuesCardinality ||
                      ((st.kind == K::kShowSeriesCardinality ||
                        st.kind == K::kShowMeasurementCardinality) && !estimate);
  std::set<std::string> rps;
  if (one_rp) {
    for (const auto& src : m.sources) {
      if (!src.rp.empty()) rps.insert(src.rp);
    }
    if (rps.empty()) {
      auto def = cx.store->catalog().default_retention_policy(*db);
      if (def.ok()) rps.insert(*def);
    }
  }
  Merged ix;
  for (const auto& sh : *shards) {
    if (sh.group.end <= where.shards.min || sh.group.start > where.shards.max) continue;
    if (!rps.empty() && !rps.count(sh.group.rp)) continue;
    Status s = merge_shard(sh.shard, needs(st.kind), *from, *keys, cx.stop, &where, &ix);
    if (!s.ok()) return statement_error(s.message());
  }
  for (const auto& [name, series] : where.all) {
    if (cx.stop.now()) return statement_error(kInterrupted);
    if (measurement_matches(*where.cond, name, series, where.re)) ix.measurements.insert(name);
  }
  std::erase_if(ix.fields, [&](const auto& kv) { return !ix.measurements.count(kv.first); });
  const auto text = [](const std::string& v) { return Row{v}; };
  Status rows;
  switch (st.kind) {
    case K::kShowMeasurements: {
      Series s = make_series("measurements", {"name"});
      rows = rows_of(ix.measurements, m, cx.stop, text, &s);
      if (!s.values.empty()) r.series.push_back(std::move(s));
      break;
    }
    case K::kShowSeries: {
      std::set<std::string> all;
      size_t n = 0;
      for (const auto& [name, ks] : ix.series) {
        for (const auto& k : ks) {
          if (cx.stop.at(n++)) return statement_error(kInterrupted);
          all.insert(k);
        }
      }
      Series s = make_series("", {"key"});
      rows = rows_of(all, m, cx.stop, text, &s);
      if (!s.values.empty()) r.series.push_back(std::move(s));
      break;
    }
    case K::kShowTagKeys:
      rows = per_measurement(ix.tag_keys, {"tagKey"}, m, cx.stop, text, &r);
      break;
    case K::kShowTagValues:
      rows = per_measurement(ix.tag_values, {"key", "value"}, m, cx.stop,
                             [](const auto& kv) { return Row{kv.first, kv.second}; }, &r);
      break;
    case K::kShowFieldKeys:
      rows = per_measurement(ix.fields, {"fieldKey", "fieldType"}, m, cx.stop,
                             [](const auto& f) { return Row{f.first, f.second}; }, &r);
      break;
    case K::kShowMeasurementCardinality: {
      const auto n = static_cast<int64_t>(ix.measurements.size());
      if (estimate) {
        single("cardinality estimation", n, &r);
      } else if (n > 0) {
        single("count", n, &r);
      }
      break;
    }
    case K::kShowSeriesCardinality:
      if (estimate) {
        int64_t n = 0;
        for (const auto& [name, ks] : ix.series) n += static_cast<int64_t>(ks.size());
        single("cardinality estimation", n, &r);
      } else {
        // influxd counts a series once per shard that holds it.
        for (const auto& [name, n] : ix.series_in_shards) {
          if (n > 0) r.series.push_back(make_series(name, {"count"}, {{n}}));
        }
      }
      break;
    case K::kShowTagKeyCardinality: counts(ix.tag_keys, &r); break;
    case K::kShowTagValuesCardinality: counts(ix.tag_values, &r); break;
    case K::kShowFieldKeyCardinality: {
      // Field names (a name of several types counts once).
      std::map<std::string, std::set<std::string>> names;
      for (const auto& [mname, fs] : ix.fields) {
        for (const auto& f : fs) names[mname].insert(f.first);
      }
      counts(names, &r);
      break;
    }
    default: return statement_error("not a SHOW of the index");
  }
  if (!rows.ok()) return statement_error(rows.message());
  return r;
}

}  // namespace tsd::query
