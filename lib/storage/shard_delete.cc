// Shard: deletes (DROP MEASUREMENT, DROP SERIES, DELETE): whole series
// out of the file and the index, or the points of a time range, keeping
// the order of blocks and head rows that reads rely on (head.h).
#include "core/time.h"
#include "storage/shard.h"

namespace tsd::storage {
namespace {

// Runs `sql` with the integer `a` bound.
Status run_sql(const Db& db, std::string_view sql, int64_t a) {
  auto st = Stmt::prepare(db, sql);
  if (!st.ok()) return st.status();
  return st->bind(1, a).run();
}

// Whether the statement (bound) returns a row.
Result<bool> any_row(Stmt st) {
  bool row = false;
  TSD_RETURN_IF_ERROR(st.step(&row));
  return row;
}

}  // namespace

Status Shard::drop_series(const SeriesInfo& s) {
  // Head rows live in the blocks table too (field 0). Each part by its
  // index: since version 4 no index covers both (shard_open.cc).
  TSD_RETURN_IF_ERROR(run_sql(db_, "DELETE FROM blocks WHERE series = ? AND field != 0", s.id));
  TSD_RETURN_IF_ERROR(run_sql(db_, "DELETE FROM blocks WHERE series = ? AND field = 0", s.id));
  auto tag = Stmt::prepare(
      db_, "DELETE FROM tags WHERE measurement = ? AND key = ? AND value = ? AND series = ?");
  if (!tag.ok()) return tag.status();
  for (const Tag& t : s.tags) {
    TSD_RETURN_IF_ERROR(tag->bind(1, s.measurement).bind(2, t.key).bind(3, t.value).bind(4, s.id).run());
  }
  TSD_RETURN_IF_ERROR(run_sql(db_, "DELETE FROM series WHERE id = ?", s.id));
  drop_cached_head(s.id);
  return Status();
}

Status Shard::delete_column_range(int64_t series, int64_t field, int64_t start, int64_t end) {
  auto all = blocks(series, field, INT64_MIN, INT64_MAX);
  if (!all.ok()) return all.status();
  const std::vector<BlockHeader>& hs = *all;
  std::vector<bool> pick(hs.size());
  bool any = false;
  for (size_t k = 0; k < hs.size(); k++) {
    pick[k] = hs[k].min_time <= end && hs[k].max_time >= start;
    any |= pick[k];
  }
  if (!any) return Status();
  // With every block they overlap: the blocks written below are the
  // newest of the column, so they must not overlap an older one.
  mark_overlapping(hs, &pick);
  std::vector<BlockHeader> run;
  for (size_t k = 0; k < hs.size(); k++) {
    if (pick[k]) run.push_back(hs[k]);
  }
  Column merged, kept;
  TSD_RETURN_IF_ERROR(read_blocks(run, INT64_MIN, INT64_MAX, &merged));
  kept.type = merged.type;
  for (size_t k = 0; k < merged.size(); k++) {
    if (merged.times[k] < start || merged.times[k] > end) kept.push_from(merged, k);
  }
  // Delete first so the new blocks reuse the freed pages.
  for (const auto& h : run) TSD_RETURN_IF_ERROR(del_block_.bind(1, h.id).run());
  if (kept.empty()) return Status();
  return put_column(series, field, kept);
}

Result<bool> Shard::delete_points(const SeriesInfo& s, int64_t start, int64_t end) {
  if (start <= kMinTime && end >= kMaxTime) {
    TSD_RETURN_IF_ERROR(drop_series(s));
    return true;
  }
  auto moved = promote(s.id);
  if (!moved.ok()) return moved.status();
  std::vector<int64_t> fields;
  {
    auto st = Stmt::prepare(db_, "SELECT DISTINCT field FROM blocks WHERE series = ? AND field != 0");
    if (!st.ok()) return st.status();
    st->bind(1, s.id);
    bool row = false;
    while (true) {
      TSD_RETURN_IF_ERROR(st->step(&row));
      if (!row) break;
      fields.push_back(st->int64(0));
    }
  }
  for (int64_t f : fields) TSD_RETURN_IF_ERROR(delete_column_range(s.id, f, start, end));
  auto st = Stmt::prepare(db_,
                          "SELECT 1 FROM blocks WHERE series = ?1 AND field != 0 "
                          "UNION ALL SELECT 1 FROM blocks WHERE series = ?1 AND field = 0 LIMIT 1");
  if (!st.ok()) return st.status();
  st->bind(1, s.id);
  auto left = any_row(std::move(*st));
  if (!left.ok()) return left.status();
  if (*left) return false;
  TSD_RETURN_IF_ERROR(drop_series(s));
  return true;
}

Result<bool> Shard::drop_unused_fields(std::string_view measurement) {
  auto st = Stmt::prepare(db_, "SELECT 1 FROM series WHERE measurement = ? LIMIT 1");
  if (!st.ok()) return st.status();
  st->bind(1, measurement);
  auto used = any_row(std::move(*st));
  if (!used.ok()) return used.status();
  if (*used) return false;
  auto del = Stmt::prepare(db_, "DELETE FROM fields WHERE measurement = ?");
  if (!del.ok()) return del.status();
  TSD_RETURN_IF_ERROR(del->bind(1, measurement).run());
  return db_.changes() > 0;
}

// PRAGMA incremental_vacuum moves the pages past the new end one at a
// time and looks each up in the free list: slow when most of the file is
// free, as after a bulk load of many series, whose head rows (three times
// the size of the blocks they become) are all freed at its end (1,000
// hosts: 15 of 21 MB, 103 ms). VACUUM then rewrites the live pages once
// (58 ms there, and they end up packed); the incremental way still serves
// where it cannot run (statements in progress, no room for its copy), and
// for a live writer (VACUUM would stop it for a while and put the whole
// file in the WAL until the next checkpoint).
Status Shard::release_free_pages(bool live) {
  constexpr int64_t kVacuumMinPages = 256;  // 512 KB: below, either way is quick
  if (!live) {
    auto pages = db_.int64_of("PRAGMA page_count");
    auto free = db_.int64_of("PRAGMA freelist_count");
    if (pages.ok() && free.ok() && *pages >= kVacuumMinPages && 2 * *free > *pages &&
        db_.exec("VACUUM").ok()) {
      return Status();
    }
  }
  return db_.exec("PRAGMA incremental_vacuum");
}

}  // namespace tsd::storage
