// lib/cq: continuous queries run from cron (tsd-cq). InfluxDB's continuous
// querier decides, at each run, whether a CQ is due and which windows it
// computes (services/continuous_querier: lastRuns, RESAMPLE EVERY/FOR);
// it keeps lastRuns in memory, so a restart or a stopped server loses
// windows. Here the last run is a watermark in the catalog, written only
// after the CQ's SELECT ... INTO succeeded: a run that was missed (cron or
// the machine down) is caught up by the next, and a run killed half way is
// done again (SELECT ... INTO overwrites the same points: idempotent).
//
// schedule.cc: the pure decision (plan_run), Go's time arithmetic.
// run.cc: reading the CQs, the lock, the statements through lib/client.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/client.h"
#include "core/status.h"
#include "query/ast.h"
#include "query/zone.h"
#include "storage/catalog.h"

namespace tsd::cq {

// GROUP BY time(interval, offset) and RESAMPLE EVERY / FOR (0: not given), ns.
struct Timing {
  int64_t interval = 0;
  int64_t offset = 0;
  int64_t every = 0;
  int64_t for_ = 0;
  query::Zone zone;  // tz('...') of the SELECT: moves runs across DST changes
};

// What a run at `now` does for one CQ.
struct Plan {
  bool due = false;      // InfluxDB would execute the CQ now
  int64_t last_run = 0;  // the watermark to keep once it ran (when due)
  int64_t start = 0;     // the windows computed: [start, end), empty when end <= start
  int64_t end = 0;
};

// InfluxDB 1.6's decision (ExecuteContinuousQuery, shouldRunContinuousQuery):
// with a last run L, the CQ is due when L + EVERY <= now (moved by the
// change of the zone's offset between L and then, when tz() gives one and
// the change is smaller than EVERY, as InfluxDB does across DST); never
// run, it is due at once. Its range starts FOR before the next run's
// window and ends at the last window that EVERY has completed. `last_run`
// is brought onto its EVERY boundary first (a creation time is not).
Plan plan_run(const Timing& t, std::optional<int64_t> last_run, int64_t now);

// The end of the windows computed by the run whose watermark is
// `last_run` (what plan_run's range ended at when it ran).
int64_t computed_until(const Timing& t, int64_t last_run);

// Go's time.Truncate(t, d) for a UTC time: down to a multiple of d counted
// from January 1 of year 1 (so 7-day steps do not start on the epoch).
int64_t go_truncate(int64_t t, int64_t d);

// A CQ read from the catalog.
struct Query {
  std::string db, name;
  std::string text;  // CREATE CONTINUOUS QUERY ... as stored
  std::unique_ptr<query::SelectStatement> select;
  Timing timing;
};
Result<Query> parse(const storage::ContinuousQuery& cq);

// The CQ's SELECT ... INTO with WHERE time >= start AND time < end added
// (AND-ed to its own condition, as InfluxDB's SetTimeRange), as text.
std::string statement_for(const Query& q, int64_t start, int64_t end);

struct RunOptions {
  std::string data_dir;
  // tsd-cq --url: the CQs kept in data_dir's catalog for this server (its
  // base URL; Catalog::server_cqs), run through the client against it;
  // empty: the directory's own CQs, on its data.
  std::string server;
  int64_t now = 0;                 // the clock (--now)
  std::vector<std::string> names;  // only these CQs (empty: all)
  bool dry_run = false;            // print the windows and statements only
  // --since/--until: recompute the windows of [since, until) (until 0:
  // the last complete window before now); the watermark is left alone.
  std::optional<int64_t> since;
  int64_t until = 0;
  // Also compute again the windows, before the watermark, that points were
  // stored into since the last run with this option (InfluxDB #9571): the
  // run notes, per shard of the CQ's source, the last block row it saw
  // (storage::Shard::changes_since); rows stored after it (late points,
  // and compaction or DELETE rewriting old ones) mark the windows from the
  // first to the last they span. The first run with it only notes.
  // Local only.
  bool recompute_late = false;
  std::FILE* out = stdout;  // a line per execution (or the dry run)
};

struct RunReport {
  int executed = 0;      // SELECT ... INTO statements run
  int failed = 0;        // of them, failed (their error on out as "ERR: ...")
  int64_t written = 0;   // points written
};

// One run over every (named) CQ, under an exclusive lock on DATA/cq.lock
// (two runs at once wait for each other: no window twice at once). A CQ's
// range is run in pieces of at most kPieceWindows windows; its watermark
// moves when all of them succeeded. Returns an error that stopped the run
// (no catalog, a CQ name that does not exist); failures of statements are
// counted in the report.
inline constexpr int64_t kPieceWindows = 1440;
Status run(client::Client* client, const RunOptions& o, RunReport* report);

}  // namespace tsd::cq
