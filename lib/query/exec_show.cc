// SHOW MEASUREMENTS, SERIES, TAG KEYS, TAG VALUES, FIELD KEYS and their
// CARDINALITY forms (exec_meta.h): the index of every shard of every RP
// of the database, merged, shaped as influxd 1.6 answers.
#include <map>
#include <set>
#include <utility>

#include "query/exec_meta.h"

namespace tsd::query {
namespace {

using K = Statement::Kind;

// What a statement needs of the merged index, by measurement.
struct Merged {
  std::set<std::string> measurements;
  std::map<std::string, std::set<std::string>> series;  // series keys
  std::map<std::string, std::set<std::string>> tag_keys;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> tag_values;
  std::map<std::string, std::map<std::string, FieldType>> fields;  // the first type seen
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

Status merge_shard(storage::Shard* shard, unsigned need, const MeasurementFilter& from,
                   const KeyFilter& keys, Merged* out) {
  auto ms = shard->measurements();
  if (!ms.ok()) return ms.status();
  for (const std::string& m : *ms) {
    if (!from.matches(m)) continue;
    out->measurements.insert(m);
    if (need & kSeries) {
      auto ss = shard->series(m);
      if (!ss.ok()) return ss.status();
      for (auto& s : *ss) out->series[m].insert(std::move(s.key));
    }
    if (need & (kTagKeys | kTagValues)) {
      auto ks = shard->tag_keys(m);
      if (!ks.ok()) return ks.status();
      for (const std::string& k : *ks) {
        if (need & kTagKeys) out->tag_keys[m].insert(k);
        if (!(need & kTagValues) || !keys.matches(k)) continue;
        auto vs = shard->tag_values(m, k);
        if (!vs.ok()) return vs.status();
        for (auto& v : *vs) out->tag_values[m].emplace(k, std::move(v));
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
      if (from.matches(f.measurement)) out->fields[f.measurement].emplace(f.name, f.type);
    }
  }
  return Status();
}

// One series per measurement with rows, LIMIT and OFFSET applied to each.
template <class Map, class ToRow>
void per_measurement(const Map& by_m, std::vector<std::string> columns, const MetaStatement& m,
                     ToRow to_row, StatementResult* r) {
  for (const auto& [name, items] : by_m) {
    Series s;
    s.name = name;
    s.columns = columns;
    for (const auto& item : items) s.values.push_back(to_row(item));
    limit_rows(&s.values, m.limit, m.offset);
    if (!s.values.empty()) r->series.push_back(std::move(s));
  }
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
  const bool estimate = !m.exact && (st.kind == K::kShowMeasurementCardinality ||
                                     st.kind == K::kShowSeriesCardinality);
  StatementResult r;
  auto db = statement_db(m, cx);
  if (!db.ok()) return statement_error(db.status().message());
  if (m.condition) return statement_error("WHERE in SHOW statements is not built yet");
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
  Merged ix;
  for (const auto& sh : *shards) {
    Status s = merge_shard(sh.shard, needs(st.kind), *from, *keys, &ix);
    if (!s.ok()) return statement_error(s.message());
  }
  std::erase_if(ix.fields, [&](const auto& kv) { return !ix.measurements.count(kv.first); });
  const auto text = [](const std::string& v) { return Row{v}; };
  switch (st.kind) {
    case K::kShowMeasurements: {
      Series s = make_series("measurements", {"name"});
      for (const auto& name : ix.measurements) s.values.push_back(text(name));
      limit_rows(&s.values, m.limit, m.offset);
      if (!s.values.empty()) r.series.push_back(std::move(s));
      break;
    }
    case K::kShowSeries: {
      std::set<std::string> all;
      for (const auto& [name, ks] : ix.series) all.insert(ks.begin(), ks.end());
      Series s = make_series("", {"key"});
      for (const auto& k : all) s.values.push_back(text(k));
      limit_rows(&s.values, m.limit, m.offset);
      if (!s.values.empty()) r.series.push_back(std::move(s));
      break;
    }
    case K::kShowTagKeys: per_measurement(ix.tag_keys, {"tagKey"}, m, text, &r); break;
    case K::kShowTagValues:
      per_measurement(ix.tag_values, {"key", "value"}, m,
                      [](const auto& kv) { return Row{kv.first, kv.second}; }, &r);
      break;
    case K::kShowFieldKeys:
      per_measurement(ix.fields, {"fieldKey", "fieldType"}, m,
                      [](const auto& f) {
                        return Row{f.first, std::string(field_type_name(f.second))};
                      },
                      &r);
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
        counts(ix.series, &r);
      }
      break;
    case K::kShowTagKeyCardinality: counts(ix.tag_keys, &r); break;
    case K::kShowTagValuesCardinality: counts(ix.tag_values, &r); break;
    case K::kShowFieldKeyCardinality: counts(ix.fields, &r); break;
    default: return statement_error("not a SHOW of the index");
  }
  return r;
}

}  // namespace tsd::query
