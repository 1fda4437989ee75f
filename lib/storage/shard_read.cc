// Shard: reading blocks, merging overlapping ones (newest write wins).
#include <algorithm>

#include "storage/shard.h"

namespace tsd::storage {

Result<std::vector<BlockHeader>> Shard::blocks(int64_t series, int64_t field, int64_t start,
                                               int64_t end) {
  auto cache = check_version();
  if (!cache.ok()) return cache.status();
  auto it = block_cache_.find({series, field});
  if (it == block_cache_.end()) {
    if (!*cache || blocks_cached_ >= kBlockCacheHeaders) return read_blocks(series, field, start, end);
    auto all = read_blocks(series, field, INT64_MIN, INT64_MAX);
    if (!all.ok()) return all.status();
    blocks_cached_ += all->size();
    it = block_cache_.emplace(std::make_pair(series, field), std::move(*all)).first;
  }
  std::vector<BlockHeader> out;
  for (const BlockHeader& h : it->second) {
    if (h.min_time <= end && h.max_time >= start) out.push_back(h);
  }
  return out;
}

Result<std::vector<BlockHeader>> Shard::read_blocks(int64_t series, int64_t field, int64_t start,
                                                    int64_t end) {
  sel_blocks_.bind(1, series).bind(2, field).bind(3, end).bind(4, start);
  std::vector<BlockHeader> out;
  bool row = false;
  Status s;
  while (true) {
    s = sel_blocks_.step(&row);
    if (!s.ok() || !row) break;
    out.push_back({sel_blocks_.int64(0), series, field, sel_blocks_.int64(1),
                   sel_blocks_.int64(2), sel_blocks_.int64(3), sel_blocks_.int64(4)});
  }
  sel_blocks_.reset();
  TSD_RETURN_IF_ERROR(s);
  return out;
}

Result<int64_t> Shard::value_count() {
  return db_.int64_of("SELECT coalesce(sum(count), 0) FROM blocks");
}

Status Shard::with_blob(const BlockHeader& h,
                        const std::function<Status(std::string_view)>& fn) {
  sel_blob_.bind(1, h.id);
  bool row = false;
  Status s = sel_blob_.step(&row);
  if (s.ok() && !row) s = Status::corruption("block vanished");
  if (s.ok()) s = fn(sel_blob_.blob(0));
  sel_blob_.reset();
  return s.ok() ? s : block_error(h, s);
}

Status Shard::read_blocks(std::vector<BlockHeader> hs, int64_t start, int64_t end,
                           Column* out) {
  // Appending oldest first and keeping the last of equal times makes the
  // newest write win.
  std::sort(hs.begin(), hs.end(),
            [](const BlockHeader& a, const BlockHeader& b) { return a.id < b.id; });
  out->clear();
  if (hs.size() == 1 && (hs[0].min_time < start || hs[0].max_time > end)) {
    // One block reaching past the range: only its segments in range are
    // decoded (a query of an hour reads an hour of a day's block).
    const BlockHeader& h = hs[0];
    return with_blob(h, [&](std::string_view blob) {
      int64_t total = 0, first = 0, last = 0;
      TSD_RETURN_IF_ERROR(decode_block_range(blob, start, end, out, &total, &first, &last));
      if (total != h.count) {
        return Status::corruption("header says " + std::to_string(h.count) +
                                  " points, data holds " + std::to_string(total));
      }
      if (h.count > 0 && (first != h.min_time || last != h.max_time)) {
        return Status::corruption("header time range differs from the data");
      }
      return Status();
    });
  }
  for (const auto& h : hs) {
    TSD_RETURN_IF_ERROR(with_blob(h, [&](std::string_view blob) {
      size_t before = out->size();
      TSD_RETURN_IF_ERROR(decode_block(blob, out));
      if (static_cast<int64_t>(out->size() - before) != h.count) {
        return Status::corruption("header says " + std::to_string(h.count) +
                                  " points, data holds " + std::to_string(out->size() - before));
      }
      if (h.count > 0 && (out->times[before] != h.min_time || out->times.back() != h.max_time)) {
        return Status::corruption("header time range differs from the data");
      }
      return Status();
    }));
  }
  if (hs.size() > 1) sort_dedup(out);
  auto first = std::lower_bound(out->times.begin(), out->times.end(), start);
  auto last = std::upper_bound(out->times.begin(), out->times.end(), end);
  size_t from = first - out->times.begin(), to = last - out->times.begin();
  if (from != 0 || to != out->size()) out->keep_range(from, to);
  return Status();
}

Result<ColumnCursor> ColumnCursor::open(Shard* shard, int64_t series, int64_t field,
                                        int64_t start, int64_t end) {
  ColumnCursor c;
  auto hs = shard->blocks(series, field, start, end);
  if (!hs.ok()) return hs.status();
  c.shard_ = shard;
  c.blocks_ = std::move(*hs);
  c.start_ = start;
  c.end_ = end;
  auto head = shard->head(series);
  if (!head.ok()) return head.status();
  auto it = (*head)->find(field);
  if (it != (*head)->end()) {
    const Column& h = it->second;
    auto first = std::lower_bound(h.times.begin(), h.times.end(), start);
    auto last = std::upper_bound(h.times.begin(), h.times.end(), end);
    c.head_.type = h.type;
    for (size_t k = first - h.times.begin(); k < size_t(last - h.times.begin()); k++) {
      c.head_.push_from(h, k);
    }
    if (!c.head_.empty()) {
      // The head as one more block, id 0, placed by its first time.
      BlockHeader hh{0, series, field, c.head_.times.front(), c.head_.times.back(),
                     static_cast<int64_t>(c.head_.size()), 0};
      auto at = std::upper_bound(
          c.blocks_.begin(), c.blocks_.end(), hh.min_time,
          [](int64_t t, const BlockHeader& b) { return t < b.min_time; });
      c.blocks_.insert(at, hh);
    }
  }
  return c;
}

Result<bool> ColumnCursor::next(Column* out) {
  out->clear();
  // Blocks that overlap one another (transitively) are merged; a block
  // alone is decoded on its own. The head's points are newer than every
  // block (head.h): appended last, they win on equal times.
  while (at_ < blocks_.size()) {
    size_t j = at_ + 1;
    int64_t group_max = blocks_[at_].max_time;
    while (j < blocks_.size() && blocks_[j].min_time <= group_max) {
      group_max = std::max(group_max, blocks_[j].max_time);
      j++;
    }
    std::vector<BlockHeader> group;
    bool with_head = false;
    for (size_t k = at_; k < j; k++) {
      if (blocks_[k].id == 0) {
        with_head = true;
      } else {
        group.push_back(blocks_[k]);
      }
    }
    at_ = j;
    if (!group.empty()) {
      TSD_RETURN_IF_ERROR(shard_->read_blocks(std::move(group), start_, end_, out));
    }
    if (with_head) {
      if (out->empty()) {
        *out = std::move(head_);
      } else {
        for (size_t k = 0; k < head_.size(); k++) out->push_from(head_, k);
        sort_dedup(out);
      }
      head_ = Column();
    }
    if (!out->empty()) return true;
  }
  return false;
}

Status Shard::scan(int64_t series, int64_t field, int64_t start, int64_t end,
                   const ColumnFn& fn) {
  auto c = ColumnCursor::open(this, series, field, start, end);
  if (!c.ok()) return c.status();
  Column col;
  while (true) {
    auto more = c->next(&col);
    if (!more.ok()) return more.status();
    if (!*more) return Status();
    TSD_RETURN_IF_ERROR(fn(col));
  }
}

}  // namespace tsd::storage
