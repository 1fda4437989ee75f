// Shard: storing blocks, compaction and checkpoints.
#include <algorithm>
#include <iterator>
#include <set>

#include "storage/shard.h"

namespace tsd::storage {
namespace {

// One compaction transaction rewrites about this many bytes at most.
constexpr int64_t kCompactTxnBytes = 8 << 20;
// Promoting a shard's heads commits every ~1 MB of blocks (half the WAL's
// checkpoint size).
constexpr int64_t kPromoteTxnBytes = 1 << 20;
// Lone blocks (overlapping no other) are joined, segments end to end, up
// to this size: each block costs ~100 bytes of row and index and half a
// 2 KiB page at the end of its overflow chain (0.3 bytes a value on the
// full-precision float set, whose blocks of a batch are ~9 KB).
constexpr int64_t kJoinBytes = 256 << 10;
// Blocks of this size or more are not joined (their overhead is under 1 %:
// rewriting them costs more than it saves).
constexpr int64_t kJoinBlockBytes = 32 << 10;

}  // namespace

Status Shard::put_block(int64_t series, int64_t field, int64_t min_time, int64_t max_time,
                        int64_t count, std::string_view blob) {
  put_bytes_ += static_cast<int64_t>(blob.size());
  return ins_block_.bind(1, series)
      .bind(2, field)
      .bind(3, min_time)
      .bind(4, max_time)
      .bind(5, count)
      .bind_blob(6, blob)
      .run();
}

void Shard::mark_overlapping(const std::vector<BlockHeader>& hs, std::vector<bool>* pick) {
  std::vector<bool>& p = *pick;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t a = 0; a < hs.size(); a++) {
      if (!p[a]) continue;
      for (size_t b = 0; b < hs.size(); b++) {
        if (p[b] || hs[b].max_time < hs[a].min_time || hs[b].min_time > hs[a].max_time) continue;
        p[b] = changed = true;
      }
    }
  }
}

Result<bool> Shard::compact_column(int64_t series, int64_t field, int min_small,
                                   int64_t* bytes) {
  auto all = blocks(series, field, INT64_MIN, INT64_MAX);
  if (!all.ok()) return all.status();
  std::vector<BlockHeader>& hs = *all;
  // The small blocks, then (to a fixed point) every block overlapping one
  // picked: merging only part of an overlapping set would let the merged
  // block, being newest, win over writes that came after some of it.
  std::vector<bool> pick(hs.size());
  size_t small = 0;
  for (size_t k = 0; k < hs.size(); k++) {
    if (hs[k].bytes < kSmallBlockBytes && hs[k].count < kLargeBlockPoints) {
      pick[k] = true;
      small++;
    }
  }
  if (small < static_cast<size_t>(std::max(min_small, 2))) {
    // Too few small blocks need no merge unless blocks overlap.
    bool overlap = false;
    for (size_t k = 1; k < hs.size(); k++) overlap |= hs[k].min_time <= hs[k - 1].max_time;
    if (!overlap) return false;
  }
  mark_overlapping(hs, &pick);
  // Runs of picked blocks next to each other in time are merged, each into
  // its own blocks: small blocks far apart (a sliver of a batch, the last
  // batch) merged into one would overlap every block between them. A run
  // is closed under overlap: a block between two overlapping ones overlaps
  // the first.
  bool any = false;
  for (size_t k = 0; k < hs.size();) {
    if (!pick[k]) {
      k++;
      continue;
    }
    size_t j = k;
    while (j < hs.size() && pick[j]) j++;
    if (j - k >= 2) {
      std::vector<BlockHeader> run(hs.begin() + k, hs.begin() + j);
      Column col;
      TSD_RETURN_IF_ERROR(read_blocks(run, INT64_MIN, INT64_MAX, &col));
      // Delete first so the new block reuses the freed pages.
      for (const auto& h : run) TSD_RETURN_IF_ERROR(del_block_.bind(1, h.id).run());
      TSD_RETURN_IF_ERROR(put_column(series, field, col, bytes));
      any = true;
    }
    k = j;
  }
  return any;
}

Result<bool> Shard::join_column(int64_t series, int64_t field, int64_t* bytes) {
  auto all = blocks(series, field, INT64_MIN, INT64_MAX);
  if (!all.ok()) return all.status();
  const std::vector<BlockHeader>& hs = *all;
  const size_t n = hs.size();
  // A block may be joined when it overlaps no other block: its points
  // then win or lose against nobody, whatever its id.
  std::vector<bool> alone(n, true);
  int64_t max_before = INT64_MIN;
  for (size_t k = 0; k < n; k++) {
    if (k > 0 && hs[k].min_time <= max_before) alone[k] = alone[k - 1] = false;
    max_before = std::max(max_before, hs[k].max_time);
  }
  bool any = false;
  std::string blob;
  for (size_t k = 0; k < n;) {
    // A run of consecutive lone blocks within the size limits.
    size_t j = k;
    int64_t points = 0, size = 0;
    while (j < n && alone[j] && hs[j].bytes < kJoinBlockBytes &&
           points + hs[j].count <= kMaxBlockPoints &&
           size + hs[j].bytes <= kJoinBytes) {
      points += hs[j].count;
      size += hs[j].bytes;
      j++;
    }
    if (j - k < 2) {
      k = std::max(j, k + 1);
      continue;
    }
    blob.clear();
    for (size_t b = k; b < j; b++) {
      TSD_RETURN_IF_ERROR(with_blob(hs[b], [&](std::string_view data) {
        if (b > k) return append_block_segments(data, &blob);
        blob.assign(data);
        return Status();
      }));
    }
    for (size_t b = k; b < j; b++) TSD_RETURN_IF_ERROR(del_block_.bind(1, hs[b].id).run());
    TSD_RETURN_IF_ERROR(put_block(series, field, hs[k].min_time, hs[j - 1].max_time, points, blob));
    *bytes += static_cast<int64_t>(blob.size());
    any = true;
    k = j;
  }
  return any;
}

Status Shard::put_column(int64_t series, int64_t field, const Column& col, int64_t* bytes) {
  std::vector<EncodedBlock> blocks;
  encode_blocks(col, kMaxBlockPoints, field, &blocks);
  return put_blocks(series, blocks, bytes);
}

Status Shard::put_blocks(int64_t series, const std::vector<EncodedBlock>& blocks,
                         int64_t* bytes) {
  for (const EncodedBlock& b : blocks) {
    TSD_RETURN_IF_ERROR(put_block(series, b.field, b.min_time, b.max_time, b.count, b.blob));
    if (bytes) *bytes += static_cast<int64_t>(b.blob.size());
  }
  return Status();
}

Status Shard::multi_block_columns(std::vector<std::pair<int64_t, int64_t>>* out) {
  auto st = Stmt::prepare(db_,
                          "SELECT series, field FROM blocks WHERE field != 0 "
                          "GROUP BY series, field HAVING count(*) > 1");
  if (!st.ok()) return st.status();
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return Status();
    out->emplace_back(st->int64(0), st->int64(1));
  }
}

Status Shard::compact(const std::vector<std::pair<int64_t, int64_t>>& columns, int min_small,
                      bool live) {
  std::vector<std::pair<int64_t, int64_t>> todo = columns;
  if (todo.empty()) {
    auto heads = head_series();
    if (!heads.ok()) return heads.status();
    for (int64_t s : *heads) todo.emplace_back(s, kHeadField);
    TSD_RETURN_IF_ERROR(multi_block_columns(&todo));
  }
  bool any = false;
  // Head rows first, their columns then compacted too: blocks written
  // below must not be newer than head rows (head.h).
  std::vector<int64_t> series;
  for (const auto& c : todo) series.push_back(c.first);
  std::sort(series.begin(), series.end());
  series.erase(std::unique(series.begin(), series.end()), series.end());
  // A transaction per ~1 MB of blocks written.
  if (!series.empty()) {
    TSD_RETURN_IF_ERROR(db_.begin_write());
    TxnGuard txn(&db_);
    auto moved = promote_all(series, &todo, kPromoteTxnBytes);
    if (!moved.ok()) return moved.status();
    TSD_RETURN_IF_ERROR(txn.commit());
    any |= *moved > 0;
  }
  std::erase_if(todo, [](const auto& c) { return c.second == kHeadField; });
  std::sort(todo.begin(), todo.end());
  todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
  if (todo.size() > 1000) {
    // Many columns (a bulk load of many series): one pass over the index
    // finds those with more than one block, instead of a query each.
    std::vector<std::pair<int64_t, int64_t>> multi;
    TSD_RETURN_IF_ERROR(multi_block_columns(&multi));
    std::sort(multi.begin(), multi.end());
    std::vector<std::pair<int64_t, int64_t>> keep;
    std::set_intersection(todo.begin(), todo.end(), multi.begin(), multi.end(),
                          std::back_inserter(keep));
    todo = std::move(keep);
  }
  size_t k = 0;
  while (k < todo.size()) {
    TSD_RETURN_IF_ERROR(db_.begin_write());
    TxnGuard txn(&db_);
    int64_t bytes = 0;
    for (; k < todo.size() && bytes < kCompactTxnBytes; k++) {
      const auto [series_id, field] = todo[k];
      // Another writer may have added head rows since.
      if (k == 0 || todo[k - 1].first != series_id) {
        auto moved = promote(series_id);
        if (!moved.ok()) return moved.status();
        any |= *moved > 0;
      }
      auto r = compact_column(series_id, field, min_small, &bytes);
      if (!r.ok()) return r.status();
      any |= *r;
      auto j = join_column(series_id, field, &bytes);
      if (!j.ok()) return j.status();
      any |= *j;
    }
    TSD_RETURN_IF_ERROR(txn.commit());
  }
  if (any) TSD_RETURN_IF_ERROR(release_free_pages(live));
  return Status();
}

Status Shard::checkpoint(bool truncate) {
  return db_.checkpoint(truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE);
}

}  // namespace tsd::storage
