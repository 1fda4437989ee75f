// Shard: head rows (head.h): storing them, reading them back merged and
// cached, and promoting them into column blocks.
#include "storage/shard.h"

#include <algorithm>
#include <deque>
#include <future>

namespace tsd::storage {
namespace {

// A reader keeps the decoded heads of this many bytes of series at most.
constexpr size_t kHeadCacheBytes = 32 << 20;

std::vector<HeadRowRef> row_refs(const std::vector<int64_t>& ids,
                                 const std::vector<std::string>& data) {
  std::vector<HeadRowRef> rows;
  for (size_t k = 0; k < ids.size(); k++) rows.push_back({ids[k], data[k]});
  return rows;
}

size_t column_bytes(const Column& c) {
  size_t n = c.size() * 16;
  for (const auto& s : c.s) n += s.size();
  return n + sizeof(Column);
}

}  // namespace

Result<int64_t> Shard::put_head(int64_t series, int64_t min_time, int64_t max_time,
                                int64_t count, std::string_view blob) {
  TSD_RETURN_IF_ERROR(put_block(series, kHeadField, min_time, max_time, count, blob));
  return db_.last_insert_rowid();
}

Result<bool> Shard::head_row_exists(int64_t series, int64_t id) {
  sel_head_row_.bind(1, id).bind(2, series);
  bool row = false;
  Status s = sel_head_row_.step(&row);
  sel_head_row_.reset();
  TSD_RETURN_IF_ERROR(s);
  return row;
}

Result<bool> Shard::has_head(int64_t series) {
  sel_head_ids_.bind(1, series);
  bool row = false;
  Status s = sel_head_ids_.step(&row);
  sel_head_ids_.reset();
  TSD_RETURN_IF_ERROR(s);
  return row;
}

Result<std::vector<int64_t>> Shard::head_series() {
  auto st =
      Stmt::prepare(db_, "SELECT DISTINCT series FROM blocks INDEXED BY head_rows WHERE field = 0");
  if (!st.ok()) return st.status();
  std::vector<int64_t> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return out;
    out.push_back(st->int64(0));
  }
}

Status Shard::read_head_rows(int64_t series, std::vector<int64_t>* ids,
                             std::vector<std::string>* data, int64_t after) {
  Stmt& st = !data ? sel_head_ids_ : after > 0 ? sel_head_after_ : sel_head_rows_;
  st.bind(1, series);
  if (data && after > 0) st.bind(2, after);
  bool row = false;
  Status s;
  while (true) {
    s = st.step(&row);
    if (!s.ok() || !row) break;
    ids->push_back(st.int64(0));
    if (data) data->emplace_back(st.blob(1));
  }
  st.reset();
  return s;
}

Status Shard::list_head_series() {
  heads_epoch_ = epoch_;
  heads_listed_ = false;
  head_series_.clear();
  auto st = Stmt::prepare(
      db_, "SELECT min(series) FROM blocks INDEXED BY head_rows WHERE field = 0 AND series > ?");
  if (!st.ok()) return st.status();
  int64_t after = INT64_MIN;
  for (;;) {
    st->bind(1, after);
    bool row = false;
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row || st->is_null(0)) break;
    if (head_series_.size() == kListedHeads) return Status();  // many: asked per series
    after = st->int64(0);
    st->reset();
    head_series_.push_back(after);
  }
  heads_listed_ = true;
  return Status();
}

Result<const std::map<int64_t, Column>*> Shard::head(int64_t series) {
  auto cache = check_version();
  if (!cache.ok()) return cache.status();
  auto it = head_cache_.find(series);
  // Nothing changed in the file since its rows were listed: still valid.
  if (it != head_cache_.end() && it->second.epoch == epoch_) return &it->second.decoder.columns();
  std::vector<int64_t> ids;
  if (*cache && heads_epoch_ != epoch_) TSD_RETURN_IF_ERROR(list_head_series());
  const bool none = *cache && heads_listed_ && heads_epoch_ == epoch_ &&
                    !std::binary_search(head_series_.begin(), head_series_.end(), series);
  if (!none) TSD_RETURN_IF_ERROR(read_head_rows(series, &ids, nullptr));
  if (it != head_cache_.end()) {
    CachedHead& h = it->second;
    if (h.ids == ids) {
      h.epoch = epoch_;
      return &h.decoder.columns();
    }
    // Rows added since (a live writer's next seconds): decode only those.
    bool grown = !h.ids.empty() && h.ids.size() < ids.size() &&
                 std::equal(h.ids.begin(), h.ids.end(), ids.begin());
    head_cache_bytes_ -= h.bytes;
    if (grown) {
      std::vector<int64_t> got;
      std::vector<std::string> data;
      TSD_RETURN_IF_ERROR(read_head_rows(series, &got, &data, h.ids.back()));
      // Outside a read transaction the rows may have been promoted since
      // the ids were read: then they are read again whole, below.
      if (h.decoder.add(row_refs(got, data)).ok()) {
        h.ids.insert(h.ids.end(), got.begin(), got.end());
        h.epoch = epoch_;
        h.bytes = 0;
        for (const auto& [f, c] : h.decoder.columns()) h.bytes += column_bytes(c);
        head_cache_bytes_ += h.bytes;
        return &h.decoder.columns();
      }
    }
    head_cache_.erase(it);
  }
  CachedHead h;
  if (!ids.empty()) {
    std::vector<int64_t> got;
    std::vector<std::string> data;
    TSD_RETURN_IF_ERROR(read_head_rows(series, &got, &data));
    Status s = h.decoder.add(row_refs(got, data));
    if (!s.ok()) return s.with_context(name() + ": series " + std::to_string(series));
    ids = std::move(got);
  }
  h.ids = std::move(ids);
  h.epoch = epoch_;
  for (const auto& [f, c] : h.decoder.columns()) h.bytes += column_bytes(c);
  if (head_cache_bytes_ + h.bytes > kHeadCacheBytes) {
    head_cache_.clear();
    head_cache_bytes_ = 0;
  }
  head_cache_bytes_ += h.bytes;
  return &head_cache_.insert_or_assign(series, std::move(h)).first->second.decoder.columns();
}

void Shard::drop_cached_head(int64_t series) {
  auto it = head_cache_.find(series);
  if (it == head_cache_.end()) return;
  head_cache_bytes_ -= it->second.bytes;
  head_cache_.erase(it);
}

Promotion build_promotion(int64_t series, std::vector<int64_t> ids,
                          std::vector<std::string> data) {
  Promotion p;
  p.series = series;
  if (ids.empty()) return p;
  p.last_id = ids.back();
  std::map<int64_t, Column> cols;
  p.status = decode_head_rows(row_refs(ids, data), &cols);
  if (!p.status.ok()) return p;
  for (const auto& [field, col] : cols) {
    encode_blocks(col, kMaxBlockPoints, field, &p.blocks);
    p.values += static_cast<int64_t>(col.size());
  }
  return p;
}

Status Shard::apply_promotion(const Promotion& p, std::vector<int64_t>* fields) {
  if (!p.status.ok()) return p.status.with_context(name() + ": series " + std::to_string(p.series));
  if (p.last_id == 0) return Status();
  // Delete first so the blocks reuse the freed pages.
  TSD_RETURN_IF_ERROR(del_head_.bind(1, p.series).bind(2, p.last_id).run());
  TSD_RETURN_IF_ERROR(put_blocks(p.series, p.blocks));
  for (const EncodedBlock& b : p.blocks) {
    if (fields && (fields->empty() || fields->back() != b.field)) fields->push_back(b.field);
  }
  drop_cached_head(p.series);
  return Status();
}

Result<int64_t> Shard::promote(int64_t series, std::vector<int64_t>* fields) {
  std::vector<int64_t> ids;
  std::vector<std::string> data;
  TSD_RETURN_IF_ERROR(read_head_rows(series, &ids, &data));
  Promotion p = build_promotion(series, std::move(ids), std::move(data));
  TSD_RETURN_IF_ERROR(apply_promotion(p, fields));
  return p.values;
}

Result<int64_t> Shard::promote_all(const std::vector<int64_t>& series,
                                   std::vector<std::pair<int64_t, int64_t>>* columns,
                                   int64_t commit_bytes) {
  // This thread reads and writes; helper threads decode and encode, a
  // group of series each, two groups ahead (a bulk load of many series
  // leaves most of its points in head rows: this is most of its close).
  // A group holds at most 64 series and 256 KB of head rows (a few MB
  // decoded), so memory stays small whatever the heads hold.
  constexpr size_t kGroup = 64;
  constexpr size_t kGroupBytes = 256 << 10;
  int64_t values = 0, uncommitted = 0;
  std::deque<std::future<std::vector<Promotion>>> ahead;
  auto apply_first = [&]() -> Status {
    std::vector<Promotion> done = ahead.front().get();
    ahead.pop_front();
    for (const Promotion& p : done) {
      std::vector<int64_t> fields;
      TSD_RETURN_IF_ERROR(apply_promotion(p, &fields));
      for (int64_t f : fields) columns->emplace_back(p.series, f);
      values += p.values;
      for (const EncodedBlock& b : p.blocks) uncommitted += static_cast<int64_t>(b.blob.size());
    }
    return Status();
  };
  // A commit lets the WAL be checkpointed and reused: the blocks of a
  // whole shard's heads in one transaction would sit in the WAL beside
  // the heads they replace (twice the data on disk while a writer
  // exits). What was read ahead is applied first: after the commit,
  // another writer may change those heads.
  auto maybe_commit = [&]() -> Status {
    if (commit_bytes <= 0 || uncommitted < commit_bytes) return Status();
    while (!ahead.empty()) TSD_RETURN_IF_ERROR(apply_first());
    TSD_RETURN_IF_ERROR(db_.commit());
    uncommitted = 0;
    return db_.begin_write();
  };
  for (size_t k = 0; k < series.size();) {
    struct Input {
      int64_t series;
      std::vector<int64_t> ids;
      std::vector<std::string> data;
    };
    std::vector<Input> group;
    size_t bytes = 0;
    for (; k < series.size() && group.size() < kGroup && bytes < kGroupBytes; k++) {
      Input in{series[k], {}, {}};
      TSD_RETURN_IF_ERROR(read_head_rows(series[k], &in.ids, &in.data));
      for (const auto& d : in.data) bytes += d.size();
      if (!in.ids.empty()) group.push_back(std::move(in));
    }
    if (group.empty()) continue;
    ahead.push_back(std::async(std::launch::async, [g = std::move(group)]() mutable {
      std::vector<Promotion> out;
      for (Input& in : g) {
        out.push_back(build_promotion(in.series, std::move(in.ids), std::move(in.data)));
      }
      return out;
    }));
    if (ahead.size() >= 2) TSD_RETURN_IF_ERROR(apply_first());
    TSD_RETURN_IF_ERROR(maybe_commit());
  }
  while (!ahead.empty()) TSD_RETURN_IF_ERROR(apply_first());
  return values;
}

}  // namespace tsd::storage
