// The InfluxQL engine: parse, then run each statement (engine.h).
#include "query/engine.h"

#include "core/time.h"
#include "query/authorize.h"
#include "query/parser.h"
#include "query/running.h"

namespace tsd::query {
namespace {

// The store's SQLite statements stop with the query (Store::set_interrupt)
// for the time of one execute().
struct InterruptScope {
  storage::Store* store;
  InterruptScope(storage::Store* s, const std::atomic<bool>* flag) : store(s) {
    if (store != nullptr) store->set_interrupt(flag);
  }
  ~InterruptScope() {
    if (store != nullptr) store->set_interrupt(nullptr);
  }
};

}  // namespace

Results Engine::execute(std::string_view text, const ExecOptions& opts) {
  Results out;
  // influxd trims the query before parsing (error positions depend on it).
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                           text.front() == '\n' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r'))
    text.remove_suffix(1);
  if (text.empty()) {
    // As influxd's /query with an empty q.
    out.error = "missing required parameter \"q\"";
    return out;
  }
  Parser p(text);
  p.set_params(opts.params);
  auto stmts = p.parse_query();
  if (!stmts.ok()) {
    out.error = "error parsing query: " + stmts.status().message();
    return out;
  }
  if (opts.authorize) {
    auto users = store_->catalog().user_count();
    Status s = users.ok() ? authorize_query(*stmts, opts.user, *users, opts.db) : users.status();
    if (!s.ok()) {
      out.error = std::string(kAuthorizeError) + s.message();
      return out;
    }
  }
  ExecContext cx;
  cx.store = store_;
  cx.opts = &opts;
  cx.now = opts.now != 0 ? opts.now : now_ns();
  // Listed for SHOW QUERIES while it runs; KILL QUERY stops it as the
  // request's cancel flag would.
  auto listing = RunningQueries::instance().add(text, opts.db, cx.now);
  cx.stop = Canceller(opts.cancel, listing->killed());
  InterruptScope interrupt(store_, opts.cancel);
  int id = 0;
  for (const Statement& st : *stmts) {
    // A statement stopped fails with kInterrupted: the executors check
    // cx.stop as they go (cancel.h); one not begun yet fails here.
    StatementResult r;
    // The catalog as the statement begins (a SELECT INTO's writer may
    // change it for the next one).
    storage::Catalog::Hold hold(&store_->catalog());
    if (cx.stop.now()) {
      r.error = kInterrupted;
    } else {
      r = st.kind == Statement::Kind::kSelect ? execute_select(*st.select, cx)
                                              : execute_meta(st, cx);
    }
    // A statement that fails once the flag is set was stopped by it (a
    // SQLite statement stopped so fails with words of its own).
    if (!r.error.empty() && cx.stop.now()) r.error = kInterrupted;
    r.statement_id = id++;
    bool failed = !r.error.empty();
    // As influxd 1.6: a failed statement that is not the last answers
    // "not executed" under its own id (its own error is lost; chunked, it
    // comes before), and those after it are not run. The last keeps its
    // error.
    if (failed && &st != &stmts->back()) {
      r.series.clear();
      StatementResult not_executed;
      not_executed.statement_id = r.statement_id;
      not_executed.error = "not executed";
      if (opts.chunked) out.results.push_back(std::move(r));
      r = std::move(not_executed);
    }
    out.results.push_back(std::move(r));
    if (failed) break;
  }
  return out;
}

}  // namespace tsd::query
