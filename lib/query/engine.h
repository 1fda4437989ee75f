// The InfluxQL engine: runs a query's statements over a data directory
// (storage::Store) and answers result sets (result.h), as InfluxDB 1.x's
// /query does: a parse error fails the whole request; otherwise each
// statement answers on its own (an error of one does not stop the next).
// An Engine belongs to one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "query/ast.h"
#include "query/parser.h"
#include "query/cancel.h"
#include "query/result.h"
#include "storage/store.h"

namespace tsd::query {

struct ExecOptions {
  std::string db;  // the default database (?db=), may be empty
  std::string rp;  // the default retention policy (?rp=), empty: the database's default
  int64_t now = 0; // now() in nanoseconds; 0: the clock at execute()
  // Set (from another thread or a signal handler) to stop the statements
  // running: the one under way fails with kInterrupted, the rest are not
  // executed. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // Answer as influxd does with chunked=true (the influx shell's way): a
  // failed statement keeps its own error and, when statements follow, a
  // result "not executed" with the same statement_id comes after it.
  // Without: of several statements, the failed one answers "not executed".
  bool chunked = false;
  // Authentication on (tsd-serve --auth): the statements are authorized
  // for `user` (null: none given) before any runs (authorize.h), and SHOW
  // DATABASES lists only those the user may read or write.
  bool authorize = false;
  const storage::User* user = nullptr;
  // The values of $name in the statements (/query's params=); may be null.
  const BoundParams* params = nullptr;
};
// (The error of a statement stopped so is kInterrupted, cancel.h.)

// What a statement runs with.
struct ExecContext {
  storage::Store* store = nullptr;
  const ExecOptions* opts = nullptr;
  int64_t now = 0;
  Canceller stop;  // of opts->cancel (cancel.h)
};

class Engine {
 public:
  explicit Engine(storage::Store* store) : store_(store) {}

  // Parses and runs `text` (statements separated by ';').
  Results execute(std::string_view text, const ExecOptions& opts);

 private:
  storage::Store* store_;
};

// One SELECT statement (exec_select.cc).
StatementResult execute_select(const SelectStatement& st, const ExecContext& cx);
// Every other statement: SHOW, CREATE, DROP, ALTER, DELETE, EXPLAIN (exec_meta.cc).
StatementResult execute_meta(const Statement& st, const ExecContext& cx);

}  // namespace tsd::query
