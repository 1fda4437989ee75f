// Shard: head rows (head.h): storing them, reading them back merged and
// cached, and promoting them into column blocks.
#include "storage/shard.h"

namespace tsd::storage {
namespace {

// A reader keeps the decoded heads of this many bytes of series at most.
constexpr size_t kHeadCacheBytes = 32 << 20;

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
  auto st = Stmt::prepare(db_, "SELECT DISTINCT series FROM blocks WHERE field = 0");
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
                             std::vector<std::string>* data) {
  Stmt& st = data ? sel_head_rows_ : sel_head_ids_;
  st.bind(1, series);
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

Result<const std::map<int64_t, Column>*> Shard::head(int64_t series) {
  std::vector<int64_t> ids;
  TSD_RETURN_IF_ERROR(read_head_rows(series, &ids, nullptr));
  auto it = head_cache_.find(series);
  if (it != head_cache_.end()) {
    if (it->second.ids == ids) return &it->second.cols;
    head_cache_bytes_ -= it->second.bytes;
    head_cache_.erase(it);
  }
  CachedHead h;
  if (!ids.empty()) {
    std::vector<int64_t> got;
    std::vector<std::string> data;
    TSD_RETURN_IF_ERROR(read_head_rows(series, &got, &data));
    std::vector<HeadRowRef> rows;
    for (size_t k = 0; k < got.size(); k++) rows.push_back({got[k], data[k]});
    Status s = decode_head_rows(rows, &h.cols);
    if (!s.ok()) return s.with_context(name() + ": series " + std::to_string(series));
    ids = std::move(got);
  }
  h.ids = std::move(ids);
  for (const auto& [f, c] : h.cols) h.bytes += column_bytes(c);
  if (head_cache_bytes_ + h.bytes > kHeadCacheBytes) {
    head_cache_.clear();
    head_cache_bytes_ = 0;
  }
  head_cache_bytes_ += h.bytes;
  return &head_cache_.insert_or_assign(series, std::move(h)).first->second.cols;
}

Result<int64_t> Shard::promote(int64_t series, std::vector<int64_t>* fields) {
  std::vector<int64_t> ids;
  std::vector<std::string> data;
  TSD_RETURN_IF_ERROR(read_head_rows(series, &ids, &data));
  if (ids.empty()) return int64_t{0};
  std::vector<HeadRowRef> rows;
  for (size_t k = 0; k < ids.size(); k++) rows.push_back({ids[k], data[k]});
  std::map<int64_t, Column> cols;
  Status s = decode_head_rows(rows, &cols);
  if (!s.ok()) return s.with_context(name() + ": series " + std::to_string(series));
  data.clear();
  // Delete first so the blocks reuse the freed pages.
  TSD_RETURN_IF_ERROR(del_head_.bind(1, series).bind(2, ids.back()).run());
  int64_t values = 0;
  for (const auto& [field, col] : cols) {
    if (col.empty()) continue;
    TSD_RETURN_IF_ERROR(put_column(series, field, col));
    values += static_cast<int64_t>(col.size());
    if (fields) fields->push_back(field);
  }
  auto it = head_cache_.find(series);
  if (it != head_cache_.end()) {
    head_cache_bytes_ -= it->second.bytes;
    head_cache_.erase(it);
  }
  return values;
}

}  // namespace tsd::storage
