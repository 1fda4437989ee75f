// DROP MEASUREMENT, DROP SERIES and DELETE (exec_meta.h): in every shard
// of every RP of the database, each shard in one write transaction
// (storage/shard_delete.cc), answered and worded as influxd 1.6 answers.
//
// Series are chosen as InfluxDB's series index chooses them (condition.h,
// index_reading): tag comparisons; a condition that needs a field value
// is refused ("fields not supported in WHERE clause during deletion",
// named after the first shard that has such a series, as influxd names
// the shard that fails first). DELETE's time range cuts the points of the
// chosen series; a series left without points leaves the index, shard by
// shard. Only DROP MEASUREMENT forgets the measurement's field types.
//
// Stopped (ExecContext::stop) or failed part way, a statement leaves the
// shards it finished as deleted and the one under way as it was (its
// transaction rolled back): the shards before it in the order read are
// done, those after it untouched.
#include "query/condition.h"
#include "query/exec_meta.h"

namespace tsd::query {
namespace {

using K = Statement::Kind;

struct Plan {
  const MeasurementFilter* from = nullptr;
  const Expr* cond = nullptr;
  TimeRange range;
  bool drop_fields = false;  // DROP MEASUREMENT
};

// How a condition reads the series of one measurement of one shard.
TagScope scope_of(const storage::SeriesInfo& s, const std::vector<storage::FieldInfo>& fields) {
  TagScope scope;
  scope.index_reading = true;
  scope.tag = [&s](std::string_view key) -> std::string_view {
    if (key == "_name") return s.measurement;
    for (const Tag& t : s.tags) {
      if (t.key == key) return t.value;
    }
    return {};
  };
  scope.is_field = [&fields](std::string_view name) {
    for (const auto& f : fields) {
      if (f.name == name) return true;
    }
    return false;
  };
  return scope;
}

// Calls fn(series) for each series of `sh` the plan chooses, with the
// truth of its condition for it (kTrue when there is none); kInterrupted
// when `stop` says so.
template <class Fn>
Status each_series(storage::Shard* sh, const Plan& p, Regexes& re, const Canceller& stop, Fn fn) {
  auto ms = sh->measurements();
  if (!ms.ok()) return ms.status();
  for (const std::string& m : *ms) {
    if (!p.from->matches(m)) continue;
    auto fields = sh->fields(m);
    if (!fields.ok()) return fields.status();
    auto series = sh->series(m);
    if (!series.ok()) return series.status();
    for (size_t k = 0; k < series->size(); k++) {
      if (stop.at(k)) return Canceller::interrupted();
      const auto& s = (*series)[k];
      Truth t = p.cond ? eval_on_tags(*p.cond, scope_of(s, *fields), re) : Truth::kTrue;
      TSD_RETURN_IF_ERROR(fn(m, s, t));
    }
  }
  return Status();
}

// Deletes what the plan chooses in one shard, in one transaction.
Status delete_in(storage::Shard* sh, const Plan& p, Regexes& re, const Canceller& stop) {
  TSD_RETURN_IF_ERROR(sh->begin_write());
  std::vector<std::string> touched;
  Status s = each_series(sh, p, re, stop, [&](const std::string& m, const auto& series, Truth t) {
    if (t != Truth::kTrue) return Status();
    TSD_RETURN_IF_ERROR(stop.check());  // each series' delete is statements of its own
    if (touched.empty() || touched.back() != m) touched.push_back(m);
    return sh->delete_points(series, p.range.min, p.range.max).status();
  });
  // InfluxDB keeps a shard's field types when DELETE or DROP SERIES leaves
  // a measurement without series (a later write of another type is a
  // conflict; SHOW FIELD KEYS omits a measurement without series
  // anywhere); DROP MEASUREMENT forgets them.
  for (size_t k = 0; s.ok() && p.drop_fields && k < touched.size(); k++) {
    s = sh->drop_unused_fields(touched[k]).status();
  }
  if (s.ok()) s = stop.check();  // the last moment to leave the shard as it was
  if (s.ok()) s = sh->commit();
  if (!s.ok()) {
    sh->rollback();
    return s;
  }
  // Committed, the shard is done: a stop while its free pages go back
  // (a vacuum of its own) leaves them to a later one.
  s = sh->release_free_pages();
  return stop.now() ? Status() : s;
}

}  // namespace

StatementResult execute_delete(const Statement& st, const ExecContext& cx) {
  const MetaStatement& m = *st.meta;
  Plan p;
  p.cond = m.condition.get();
  p.drop_fields = st.kind == K::kDropMeasurement;
  if (st.kind == K::kDropSeries && has_time_condition(p.cond)) {
    return statement_error("DROP SERIES doesn't support time in WHERE clause");
  }
  if (st.kind == K::kDelete) {
    Status s = time_range(p.cond, cx.now, Zone(), &p.range);
    if (!s.ok()) return statement_error(s.message());
  }
  std::vector<Source> names;
  if (st.kind == K::kDropMeasurement) {
    names.emplace_back();
    names.back().name = m.name;
  }
  auto from = MeasurementFilter::make(st.kind == K::kDropMeasurement ? names : m.sources);
  if (!from.ok()) return statement_error(from.status().message());
  p.from = &*from;
  const std::string db = !m.db.empty() ? m.db : cx.opts ? cx.opts->db : std::string();
  auto shards = cx.store->database_shards(db);
  if (!shards.ok()) return statement_error(shards.status().message());
  Regexes re;
  if (p.cond) {
    Status s = re.compile_all(*p.cond);
    if (!s.ok()) return statement_error(s.message());
    // Refused before anything is deleted: a condition on fields.
    for (const auto& sh : *shards) {
      bool fields = false;
      s = each_series(sh.shard, p, re, cx.stop, [&](const std::string&, const auto&, Truth t) {
        fields |= t == Truth::kUnknown;
        return Status();
      });
      if (!s.ok()) return statement_error(s.message());
      if (fields) {
        return statement_error("shard " + std::to_string(sh.group.id) +
                               ": fields not supported in WHERE clause during deletion");
      }
    }
  }
  if (p.range.empty()) return StatementResult();
  for (const auto& sh : *shards) {
    if (sh.group.end <= p.range.min || sh.group.start > p.range.max) continue;
    Status s = delete_in(sh.shard, p, re, cx.stop);
    if (!s.ok()) return statement_error(s.message());
  }
  return StatementResult();
}

}  // namespace tsd::query
