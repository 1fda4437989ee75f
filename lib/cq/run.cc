// A tsd-cq run (cq.h): every due CQ's windows through SELECT ... INTO.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <map>

#include "cq/cq.h"
#include "query/format.h"
#include "storage/paths.h"
#include "storage/store.h"

namespace tsd::cq {
namespace {

// An exclusive flock on DATA/cq.lock for the life of the object.
class RunLock {
 public:
  explicit RunLock(const std::string& data_dir) {
    std::string path = data_dir + "/cq.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~RunLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

std::string when(int64_t t) { return query::format_time(t, 0); }

// The points a SELECT ... INTO answer says it wrote.
int64_t written(const query::Results& r) {
  int64_t n = 0;
  for (const auto& st : r.results) {
    for (const auto& s : st.series) {
      for (const auto& row : s.values) {
        if (row.size() >= 2 && row[1].index() == 2) n += std::get<int64_t>(row[1]);
      }
    }
  }
  return n;
}

// Runs q's windows in [start, end) piece by piece; false when one failed.
// `why` follows each line (" (late points)").
bool execute(client::Client* client, const Query& q, int64_t start, int64_t end,
             const RunOptions& o, RunReport* report, const char* why = "") {
  const int64_t piece = q.timing.interval * kPieceWindows;
  for (int64_t a = start; a < end;) {
    const int64_t b = end - a > piece ? a + piece : end;
    const std::string stmt = statement_for(q, a, b);
    if (o.dry_run) {
      std::fprintf(o.out, "%s ON %s: [%s, %s) %s\n", q.name.c_str(), q.db.c_str(), when(a).c_str(),
                   when(b).c_str(), stmt.c_str());
      a = b;
      continue;
    }
    client::QueryOptions qo;
    qo.db = q.db;
    query::Results r = client->query(stmt, qo);
    report->executed++;
    const std::string err = r.first_error();
    if (!err.empty()) {
      report->failed++;
      std::fprintf(o.out, "%s ON %s: [%s, %s) ERR: %s\n", q.name.c_str(), q.db.c_str(),
                   when(a).c_str(), when(b).c_str(), err.c_str());
      return false;
    }
    const int64_t n = written(r);
    report->written += n;
    std::fprintf(o.out, "%s ON %s: [%s, %s) %lld points written%s\n", q.name.c_str(), q.db.c_str(),
                 when(a).c_str(), when(b).c_str(), static_cast<long long>(n), why);
    a = b;
  }
  std::fflush(o.out);
  return true;
}

// --recompute-late: the windows of q, up to what its last run computed,
// that rows stored since the marks fall into; *marks gets the new marks.
// Nothing when q reads other than one plain measurement.
Result<std::optional<std::pair<int64_t, int64_t>>> late_windows(storage::Store& store, const Query& q,
                                                                int64_t last_run,
                                                                std::map<int64_t, int64_t>* marks) {
  using Range = std::optional<std::pair<int64_t, int64_t>>;
  const auto& srcs = q.select->sources;
  if (srcs.size() != 1 || srcs[0].is_regex || srcs[0].subquery) return Range();
  auto& cat = store.catalog();
  const std::string db = srcs[0].db.empty() ? q.db : srcs[0].db;
  std::string rp = srcs[0].rp;
  if (rp.empty()) {
    auto d = cat.default_retention_policy(db);
    if (!d.ok()) return d.status();
    rp = *d;
  }
  auto old = cat.cq_marks(q.db, q.name);
  if (!old.ok()) return old.status();
  auto shards = store.shards(db, rp, INT64_MIN, INT64_MAX);
  if (!shards.ok()) return shards.status();
  std::optional<int64_t> late, late_end;
  for (const auto& sh : *shards) {
    auto seen = old->find(sh.group.id);
    // A shard not seen before: everything in it is new (none on a first run).
    const int64_t after = seen != old->end() ? seen->second : (old->empty() ? INT64_MAX : 0);
    auto ch = sh.shard->changes_since(srcs[0].name, after);
    if (!ch.ok()) return ch.status();
    (*marks)[sh.group.id] = ch->last_id;
    if (after == INT64_MAX || !ch->min_time) continue;
    if (!late || *ch->min_time < *late) late = ch->min_time;
    if (!late_end || *ch->max_time > *late_end) late_end = ch->max_time;
  }
  const Timing& t = q.timing;
  const int64_t computed = computed_until(t, last_run);
  if (!late || *late >= computed) return Range();
  // The windows from the first to the last that the rows' span touches.
  const int64_t end = go_truncate(*late_end - t.offset, t.interval) + t.offset + t.interval;
  return Range({go_truncate(*late - t.offset, t.interval) + t.offset, std::min(end, computed)});
}

}  // namespace

Status run(client::Client* client, const RunOptions& o, RunReport* report) {
  // The directory's own CQs read its data (and its shards, for late
  // points); a server's are kept in its catalog only.
  const bool local = o.server.empty();
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::Catalog> own;
  if (local) {
    auto s = storage::Store::open(o.data_dir);
    if (!s.ok()) return s.status();
    store = std::move(*s);
  } else {
    auto c = storage::Catalog::open(o.data_dir, true);
    if (!c.ok()) return c.status();
    own = std::move(*c);
  }
  storage::Catalog& cat = local ? store->catalog() : *own;
  RunLock lock(o.data_dir);
  if (!lock.ok()) return Status::io_error("cannot lock " + o.data_dir + "/cq.lock");
  auto cqs = local ? cat.continuous_queries() : cat.server_cqs(o.server);
  if (!cqs.ok()) return cqs.status();
  for (const std::string& n : o.names) {
    bool found = std::any_of(cqs->begin(), cqs->end(), [&](const auto& c) { return c.name == n; });
    if (!found) return Status::not_found("continuous query not found: " + n);
  }
  for (const storage::ContinuousQuery& c : *cqs) {
    if (!o.names.empty() && std::find(o.names.begin(), o.names.end(), c.name) == o.names.end()) {
      continue;
    }
    auto q = parse(c);
    if (!q.ok()) {
      report->failed++;
      std::fprintf(o.out, "%s ON %s: ERR: %s\n", c.name.c_str(), c.db.c_str(), q.status().message().c_str());
      continue;
    }
    if (o.since) {
      // A recomputation: whole windows from since's to until's (or to the
      // last one complete at now).
      const int64_t i = q->timing.interval, off = q->timing.offset;
      int64_t start = go_truncate(*o.since - off, i) + off;
      int64_t end = o.until != 0 ? o.until : go_truncate(o.now - off, i) + off;
      if (o.until != 0 && go_truncate(end - off, i) + off != end) end = go_truncate(end - off, i) + off + i;
      execute(client, *q, start, end, o, report);
      continue;
    }
    auto wm = local ? cat.cq_watermark(c.db, c.name) : cat.server_cq_watermark(o.server, c.db, c.name);
    if (!wm.ok()) return wm.status();
    // Late points first (their marks are taken before anything runs, so
    // that what comes meanwhile is seen next time).
    std::map<int64_t, int64_t> marks;
    bool ok = true;
    if (local && o.recompute_late && *wm) {
      auto late = late_windows(*store, *q, **wm, &marks);
      if (!late.ok()) return late.status();
      if (*late) ok = execute(client, *q, (*late)->first, (*late)->second, o, report, " (late points)");
    }
    Plan p = plan_run(q->timing, *wm, o.now);
    if (ok && p.due) {
      ok = p.end <= p.start || execute(client, *q, p.start, p.end, o, report);
      if (ok && !o.dry_run) {
        TSD_RETURN_IF_ERROR(local ? cat.set_cq_watermark(c.db, c.name, p.last_run)
                                  : cat.set_server_cq_watermark(o.server, c.db, c.name, p.last_run));
      }
    }
    if (ok && !o.dry_run && local && o.recompute_late && *wm) {
      TSD_RETURN_IF_ERROR(cat.set_cq_marks(c.db, c.name, marks));
    }
  }
  return Status();
}

}  // namespace tsd::cq
