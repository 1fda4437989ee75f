// What the executors of the statements other than SELECT share
// (exec_meta.cc, exec_show.cc, exec_admin.cc). Internal to lib/query.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "query/engine.h"

namespace tsd::query {

// A series of `columns` (no tags, no time) named `name` ("": none).
Series make_series(std::string name, std::vector<std::string> columns,
                   std::vector<Row> values = {});
// A statement's result holding only an error.
StatementResult statement_error(std::string message);
// The statement's database: ON db, else the request's; "database name
// required" when neither.
Result<std::string> statement_db(const MetaStatement& m, const ExecContext& cx);
// Keeps rows [offset, offset + limit) (limit 0: all after offset).
void limit_rows(std::vector<Row>* rows, int64_t limit, int64_t offset);

// Which measurements FROM / WITH MEASUREMENT picks: names and regexes
// (unanchored, RE2); all when there are no sources. The database and RP
// of a source do not narrow it (InfluxDB's index is per database).
class MeasurementFilter {
 public:
  static Result<MeasurementFilter> make(const std::vector<Source>& sources);
  bool matches(const std::string& measurement) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::shared_ptr<RE2>> regexes_;
  bool all_ = true;
};

// A compiled regex of a statement, or InfluxDB-like error text.
Result<std::shared_ptr<RE2>> compile_regex(const std::string& pattern);

// SHOW of the index: MEASUREMENTS, SERIES, TAG KEYS, TAG VALUES, FIELD
// KEYS and the CARDINALITY forms (exec_show.cc).
StatementResult execute_show_index(const Statement& st, const ExecContext& cx);
// DROP MEASUREMENT, DROP SERIES, DELETE (exec_delete.cc).
StatementResult execute_delete(const Statement& st, const ExecContext& cx);
// Users and their privileges: CREATE/DROP USER, SET PASSWORD, GRANT,
// REVOKE, SHOW USERS, SHOW GRANTS (exec_users.cc).
StatementResult execute_users(const Statement& st, const ExecContext& cx);
// A result without series: the status's message as its error, if any.
StatementResult done(const Status& s);
// Databases, retention policies, shards, continuous queries (exec_admin.cc).
StatementResult execute_admin(const Statement& st, const ExecContext& cx);

}  // namespace tsd::query
