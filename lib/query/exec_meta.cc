// SHOW, CREATE, DROP, ALTER, DELETE and EXPLAIN statements (engine.h):
// which executor runs each, and what they share (exec_meta.h).
#include "query/exec_meta.h"
#include "query/running.h"
#include "query/select.h"

#include <algorithm>

namespace tsd::query {

Series make_series(std::string name, std::vector<std::string> columns, std::vector<Row> values) {
  Series s;
  s.name = std::move(name);
  s.columns = std::move(columns);
  s.values = std::move(values);
  return s;
}

StatementResult statement_error(std::string message) {
  StatementResult r;
  r.error = std::move(message);
  return r;
}

Result<std::string> statement_db(const MetaStatement& m, const ExecContext& cx) {
  std::string db = !m.db.empty() ? m.db : cx.opts ? cx.opts->db : std::string();
  if (db.empty()) return Status::invalid_argument("database name required");
  return db;
}

void limit_rows(std::vector<Row>* rows, int64_t limit, int64_t offset) {
  const auto n = static_cast<int64_t>(rows->size());
  const int64_t from = std::min(offset, n);
  const int64_t to = limit > 0 && limit < n - from ? from + limit : n;
  rows->erase(rows->begin() + to, rows->end());
  rows->erase(rows->begin(), rows->begin() + from);
}

Result<std::shared_ptr<RE2>> compile_regex(const std::string& pattern) {
  auto re = std::make_shared<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) return Status::invalid_argument("invalid regex /" + pattern + "/: " + re->error());
  return re;
}

Result<MeasurementFilter> MeasurementFilter::make(const std::vector<Source>& sources) {
  MeasurementFilter f;
  f.all_ = sources.empty();
  for (const Source& s : sources) {
    if (s.subquery) return Status::invalid_argument("subqueries are not allowed here");
    if (!s.is_regex) {
      f.names_.push_back(s.name);
      continue;
    }
    auto re = compile_regex(s.regex);
    if (!re.ok()) return re.status();
    f.regexes_.push_back(std::move(*re));
  }
  return f;
}

bool MeasurementFilter::matches(const std::string& m) const {
  if (all_) return true;
  if (std::find(names_.begin(), names_.end(), m) != names_.end()) return true;
  for (const auto& re : regexes_) {
    if (RE2::PartialMatch(m, *re)) return true;
  }
  return false;
}

StatementResult execute_meta(const Statement& st, const ExecContext& cx) {
  using K = Statement::Kind;
  switch (st.kind) {
    case K::kShowMeasurements:
    case K::kShowSeries:
    case K::kShowTagKeys:
    case K::kShowTagValues:
    case K::kShowFieldKeys:
    case K::kShowMeasurementCardinality:
    case K::kShowSeriesCardinality:
    case K::kShowTagKeyCardinality:
    case K::kShowTagValuesCardinality:
    case K::kShowFieldKeyCardinality: return execute_show_index(st, cx);
    case K::kExplain: return execute_explain(*st.select, st.meta->analyze, cx);
    case K::kShowQueries: {
      StatementResult r;
      r.series.push_back(make_series("", {"qid", "query", "database", "duration", "status"}));
      const int64_t now = now_ns();
      for (const auto& q : RunningQueries::instance().list()) {
        r.series.back().values.push_back({static_cast<int64_t>(q.id), q.text, q.db,
                                          query_duration(now - q.started), std::string("running")});
      }
      return r;
    }
    case K::kShowSubscriptions: return StatementResult();
    case K::kShowUsers:
    case K::kShowGrants:
    case K::kCreateUser:
    case K::kDropUser:
    case K::kSetPassword:
    case K::kGrant:
    case K::kRevoke: return execute_users(st, cx);
    case K::kKillQuery:
      if (!RunningQueries::instance().kill(st.meta->id))
        return statement_error("no such query id: " + std::to_string(st.meta->id));
      return StatementResult();
    case K::kShowStats:
    case K::kShowDiagnostics:
      return statement_error("SHOW STATS and SHOW DIAGNOSTICS are not supported by tsd");
    case K::kCreateSubscription:
    case K::kDropSubscription: return statement_error("subscriptions are not supported by tsd");
    case K::kDropMeasurement:
    case K::kDropSeries:
    case K::kDelete: return execute_delete(st, cx);
    default: return execute_admin(st, cx);
  }
}

}  // namespace tsd::query
