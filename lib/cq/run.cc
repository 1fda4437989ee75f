// A tsd-cq run (cq.h): every due CQ's windows through SELECT ... INTO.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>

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

std::string first_error(const query::Results& r) {
  if (!r.error.empty()) return r.error;
  for (const auto& st : r.results) {
    if (!st.error.empty()) return st.error;
  }
  return {};
}

// Runs q's windows in [start, end) piece by piece; false when one failed.
bool execute(client::Client* client, const Query& q, int64_t start, int64_t end,
             const RunOptions& o, RunReport* report) {
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
    std::string err = first_error(r);
    if (!err.empty()) {
      report->failed++;
      std::fprintf(o.out, "%s ON %s: [%s, %s) ERR: %s\n", q.name.c_str(), q.db.c_str(),
                   when(a).c_str(), when(b).c_str(), err.c_str());
      return false;
    }
    const int64_t n = written(r);
    report->written += n;
    std::fprintf(o.out, "%s ON %s: [%s, %s) %lld points written\n", q.name.c_str(), q.db.c_str(),
                 when(a).c_str(), when(b).c_str(), static_cast<long long>(n));
    a = b;
  }
  std::fflush(o.out);
  return true;
}

}  // namespace

Status run(client::Client* client, const RunOptions& o, RunReport* report) {
  auto store = storage::Store::open(o.data_dir);
  if (!store.ok()) return store.status();
  RunLock lock(o.data_dir);
  if (!lock.ok()) return Status::io_error("cannot lock " + o.data_dir + "/cq.lock");
  auto& cat = (*store)->catalog();
  auto cqs = cat.continuous_queries();
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
    auto wm = cat.cq_watermark(c.db, c.name);
    if (!wm.ok()) return wm.status();
    Plan p = plan_run(q->timing, *wm, o.now);
    if (!p.due) continue;
    bool ok = p.end <= p.start || execute(client, *q, p.start, p.end, o, report);
    if (ok && !o.dry_run) TSD_RETURN_IF_ERROR(cat.set_cq_watermark(c.db, c.name, p.last_run));
  }
  return Status();
}

}  // namespace tsd::cq
