// SELECT ... INTO: the rows of a SELECT written as points (engine.h), as
// InfluxDB does it: GROUP BY tags stay tags, every other column is a
// field, a row without any value is skipped, and the statement answers
// one row "written" at the epoch. Continuous queries run through here.
//
// Stopped (ExecContext::stop) or failed while writing, a statement keeps
// what the Writer already handed to its store thread (batches of
// WriterOptions::batch_size points, each shard's part one transaction)
// and drops what it still buffers: as a write request that fails part way.
//
// Points older than the target RP keeps are dropped (retention.h): the
// others are stored and the statement fails with "partial write: points
// beyond retention policy dropped=N", N of all its series, as influxd's.
#include "query/select.h"
#include "query/select_check.h"
#include "storage/retention.h"
#include "storage/writer.h"

namespace tsd::query {
namespace {

constexpr size_t kChunkRows = 10000;

Status write_into(const SelectStatement& st, const ExecContext& cx,
                  const std::vector<Series>& results, int64_t* written) {
  const Target& t = *st.target;
  std::string db = !t.db.empty() ? t.db : cx.opts->db;
  if (db.empty()) return Status::invalid_argument("database name required");
  auto& cat = cx.store->catalog();
  auto dbs = cat.databases();
  if (!dbs.ok()) return dbs.status();
  if (std::find(dbs->begin(), dbs->end(), db) == dbs->end())
    return Status::not_found("database not found: " + db);
  storage::WriterOptions wo;
  wo.data_dir = cat.data_dir();
  wo.db = db;
  wo.rp = t.rp;
  auto w = storage::Writer::open(wo);
  if (!w.ok()) return w.status();
  size_t turn = 0;
  for (const Series& s : results) {
    for (const Row& row : s.values) {
      if (cx.stop.at(turn++)) return Canceller::interrupted();
      Point p;
      p.measurement = t.back_reference ? s.name : t.name;
      for (const auto& [k, v] : s.tags) {
        if (!v.empty()) p.tags.push_back({k, v});
      }
      for (size_t c = 1; c < row.size() && c < s.columns.size(); c++) {
        const Datum& d = row[c];
        switch (d.index()) {
          case 1: p.add_field(s.columns[c], std::get<double>(d)); break;
          case 2: p.add_field(s.columns[c], std::get<int64_t>(d)); break;
          case 3: p.add_field(s.columns[c], std::get<uint64_t>(d)); break;
          case 4: p.add_field(s.columns[c], std::get<std::string>(d)); break;
          case 5: p.add_field(s.columns[c], std::get<bool>(d)); break;
          default: break;
        }
      }
      if (p.fields.empty()) continue;
      p.time = std::get<int64_t>(row[0]);
      p.has_time = true;
      TSD_RETURN_IF_ERROR((*w)->add(p, cx.now));
      ++*written;
      if ((*w)->should_flush()) TSD_RETURN_IF_ERROR((*w)->flush_async());
    }
  }
  TSD_RETURN_IF_ERROR((*w)->close());
  const int64_t beyond = (*w)->stats().points_beyond_retention;
  if (beyond > 0) return Status::conflict(storage::beyond_retention_error(beyond));
  return Status();
}

// The databases a statement names must exist before anything else is
// checked (influxd resolves them first).
Status check_databases(const SelectStatement& st, const ExecContext& cx) {
  std::vector<std::string> dbs;
  auto names = cx.store->catalog().databases();
  if (!names.ok()) return names.status();
  for (const auto& src : st.sources) {
    if (src.subquery) {
      TSD_RETURN_IF_ERROR(check_databases(*src.subquery, cx));
      continue;
    }
    if (!src.is_regex && src.name.empty()) return Status::invalid_argument("invalid measurement");
    std::string db = !src.db.empty() ? src.db : cx.opts->db;
    if (db.empty()) return Status::invalid_argument("database name required");
    if (std::find(names->begin(), names->end(), db) == names->end())
      return Status::not_found("database not found: " + db);
  }
  return Status();
}

}  // namespace

StatementResult execute_select(const SelectStatement& st, const ExecContext& cx) {
  StatementResult r;
  std::vector<Series> series;
  Status s = check_databases(st, cx);
  if (s.ok()) {
    auto info = analyze_select(st, cx.now);
    if (!info.ok()) s = info.status();
  }
  if (s.ok()) s = run_select(st, cx, &series);
  if (s.ok() && st.target) {
    int64_t written = 0;
    s = cx.stop.check();  // (nothing written yet)
    if (s.ok()) s = write_into(st, cx, series, &written);
    if (s.ok()) {
      Series out;
      out.name = "result";
      out.columns = {"time", "written"};
      out.has_time = true;
      out.values.push_back({int64_t(0), written});
      r.series.push_back(std::move(out));
    }
  } else if (s.ok()) {
    // influxd emits rows in chunks of 10,000 and, merging them into one
    // answer, keeps the first chunk's "partial" mark on a longer series.
    for (auto& one : series) one.partial = one.values.size() > kChunkRows;
    r.series = std::move(series);
  }
  if (!s.ok()) {
    r.series.clear();
    r.error = s.message();
  }
  return r;
}

}  // namespace tsd::query
