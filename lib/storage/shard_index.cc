// Shard: the series index and field types (reads and additions).
#include <algorithm>
#include <map>

#include "lineproto/lineproto.h"
#include "storage/shard.h"

namespace tsd::storage {

Result<std::vector<int64_t>> Shard::ids_query(std::string_view sql, std::string_view a,
                                              std::string_view b, std::string_view c) {
  auto st = Stmt::prepare(db_, sql);
  if (!st.ok()) return st.status();
  int n = st->param_count();
  if (n >= 1) st->bind(1, a);
  if (n >= 2) st->bind(2, b);
  if (n >= 3) st->bind(3, c);
  std::vector<int64_t> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) break;
    out.push_back(st->int64(0));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> Shard::strings_query(std::string_view sql, std::string_view a,
                                                      std::string_view b) {
  auto st = Stmt::prepare(db_, sql);
  if (!st.ok()) return st.status();
  int n = st->param_count();
  if (n >= 1) st->bind(1, a);
  if (n >= 2) st->bind(2, b);
  return st->column_texts();
}

Result<std::vector<std::string>> Shard::distinct_by_seek(std::string_view sql, std::string_view a) {
  auto st = Stmt::prepare(db_, sql);
  if (!st.ok()) return st.status();
  const bool has_a = st->param_count() >= 2;
  std::vector<std::string> out;
  std::string after;  // "" sorts first; names are never empty
  for (;;) {
    if (has_a) st->bind(1, a);
    st->bind(has_a ? 2 : 1, after);
    bool row = false;
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row || st->is_null(0)) break;
    after = std::string(st->text(0));
    st->reset();
    out.push_back(after);
  }
  st->reset();
  return out;
}

Result<std::vector<std::string>> Shard::measurements() {
  return distinct_by_seek("SELECT min(measurement) FROM series WHERE measurement > ?1", {});
}

Result<std::vector<FieldInfo>> Shard::fields(std::string_view measurement) {
  return cached(&fields_cache_, measurement, [&] { return read_fields(measurement); });
}

Result<std::vector<FieldInfo>> Shard::read_fields(std::string_view measurement) {
  auto st = Stmt::prepare(
      db_, measurement.empty()
               ? "SELECT measurement, name, type, id FROM fields ORDER BY measurement, name"
               : "SELECT measurement, name, type, id FROM fields WHERE measurement = ? "
                 "ORDER BY name");
  if (!st.ok()) return st.status();
  if (!measurement.empty()) st->bind(1, measurement);
  std::vector<FieldInfo> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) break;
    int64_t type = st->int64(2);
    if (type < 0 || type > static_cast<int64_t>(FieldType::kBoolean)) {
      return Status::corruption(name() + ": field " + std::string(st->text(1)) +
                                " has unknown type " + std::to_string(type));
    }
    out.push_back({st->int64(3), std::string(st->text(0)), std::string(st->text(1)),
                   static_cast<FieldType>(type)});
  }
  return out;
}

Result<bool> Shard::check_version() {
  // In a read transaction the file cannot change under it: once is enough.
  const bool in_read = reading_ && !sqlite3_get_autocommit(db_.get());
  if (in_read && checked_) return true;
  bool changed = false;
  auto cache = db_.check_cache(&version_, in_read, &changed);
  if (!cache.ok()) return cache.status();
  if (changed) {
    epoch_++;
    series_cache_.clear();
    with_tag_cache_.clear();
    tag_keys_cache_.clear();
    fields_cache_.clear();
    index_cached_ = 0;
    block_cache_.clear();
    blocks_cached_ = 0;
  }
  checked_ = in_read;
  return *cache;
}

namespace {

// What an index entry holds in memory, about (strings with their headers).
size_t approx_bytes(const std::string& s) { return sizeof s + s.size(); }
size_t approx_bytes(const FieldInfo& f) { return sizeof f + f.measurement.size() + f.name.size(); }
size_t approx_bytes(const SeriesInfo& s) {
  size_t n = sizeof s + s.key.size() + s.measurement.size();
  for (const Tag& t : s.tags) n += sizeof t + t.key.size() + t.value.size();
  return n;
}

}  // namespace

template <class T, class Read>
Result<std::vector<T>> Shard::cached(Cache<T>* cache, std::string_view key, Read read) {
  auto use = check_version();
  if (!use.ok()) return use.status();
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  Result<std::vector<T>> out = read();
  if (!out.ok() || !*use) return out;
  size_t bytes = key.size() + 64;
  for (const T& v : *out) bytes += approx_bytes(v);
  if (index_cached_ + bytes <= kIndexCacheBytes) {
    index_cached_ += bytes;
    cache->emplace(std::string(key), *out);
  }
  return out;
}

Result<std::vector<SeriesInfo>> Shard::series(std::string_view measurement) {
  return cached(&series_cache_, measurement, [&] { return read_series(measurement); });
}

namespace {

// The tags of a canonical series key ("m,k1=v1,k2=v2", escaped as line
// protocol writes it: a backslash before , = and space), unescaped as line
// protocol reads tags (a backslash before any other byte stays), in key
// order.
std::vector<Tag> tags_from_key(std::string_view key) {
  std::vector<Tag> out;
  size_t i = 0;
  auto part = [&](char stop) {
    size_t from = i;
    while (i < key.size() && key[i] != stop && key[i] != ',') i += key[i] == '\\' && i + 1 < key.size() ? 2 : 1;
    return key.substr(from, i - from);
  };
  part(',');  // the measurement
  while (i < key.size() && key[i] == ',') {
    i++;
    Tag t;
    t.key = lp::unescape_tag(part('='));
    if (i < key.size() && key[i] == '=') i++;
    t.value = lp::unescape_tag(part(','));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<std::vector<SeriesInfo>> Shard::series_with_tag(std::string_view measurement,
                                                       std::string_view key,
                                                       std::string_view value) {
  std::string id;
  for (std::string_view part : {measurement, key, value}) {
    id += std::to_string(part.size());
    id += ':';
    id += part;
  }
  return cached(&with_tag_cache_, id, [&] { return read_series_with_tag(measurement, key, value); });
}

namespace {

// The series a statement's rows name (id, key), with their tags read from
// the key (canonical: every tag, sorted), not from the tags table.
Result<std::vector<SeriesInfo>> series_rows(Stmt& st, std::string_view measurement) {
  std::vector<SeriesInfo> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st.step(&row));
    if (!row) break;
    SeriesInfo si{st.int64(0), std::string(st.text(1)), std::string(measurement), {}};
    si.tags = tags_from_key(si.key);
    out.push_back(std::move(si));
  }
  return out;
}

}  // namespace

Result<std::vector<SeriesInfo>> Shard::read_series(std::string_view measurement) {
  auto st = Stmt::prepare(db_, "SELECT id, key FROM series WHERE measurement = ? ORDER BY key");
  if (!st.ok()) return st.status();
  st->bind(1, measurement);
  return series_rows(*st, measurement);
}

Result<std::vector<SeriesInfo>> Shard::read_series_with_tag(std::string_view measurement,
                                                            std::string_view key,
                                                            std::string_view value) {
  auto st = Stmt::prepare(db_,
                          "SELECT s.id, s.key FROM tags t JOIN series s ON s.id = t.series "
                          "WHERE t.measurement = ? AND t.key = ? AND t.value = ? ORDER BY s.key");
  if (!st.ok()) return st.status();
  st->bind(1, measurement).bind(2, key).bind(3, value);
  return series_rows(*st, measurement);
}

Result<std::vector<int64_t>> Shard::series_ids(std::string_view measurement) {
  return ids_query("SELECT id FROM series WHERE measurement = ?", measurement);
}

Result<std::vector<int64_t>> Shard::series_ids_with_tag(std::string_view measurement,
                                                        std::string_view key,
                                                        std::string_view value) {
  return ids_query("SELECT series FROM tags WHERE measurement = ? AND key = ? AND value = ?",
                   measurement, key, value);
}

Result<std::vector<int64_t>> Shard::series_ids_with_tag_key(std::string_view measurement,
                                                            std::string_view key) {
  return ids_query("SELECT DISTINCT series FROM tags WHERE measurement = ? AND key = ?",
                   measurement, key);
}

Result<std::vector<std::string>> Shard::tag_keys(std::string_view measurement) {
  return cached(&tag_keys_cache_, measurement, [&] {
    return distinct_by_seek("SELECT min(key) FROM tags WHERE measurement = ?1 AND key > ?2", measurement);
  });
}

Result<std::vector<std::string>> Shard::tag_values(std::string_view measurement,
                                                   std::string_view key) {
  return strings_query(
      "SELECT DISTINCT value FROM tags WHERE measurement = ? AND key = ? ORDER BY value",
      measurement, key);
}

Result<int64_t> Shard::ensure_series(std::string_view key, std::string_view measurement,
                                     const std::vector<Tag>& tags) {
  TSD_RETURN_IF_ERROR(ins_series_.bind(1, measurement).bind(2, key).run());
  bool added = db_.changes() > 0;
  int64_t id = 0;
  if (added) {
    id = db_.last_insert_rowid();
  } else {
    sel_series_.bind(1, key);
    bool row = false;
    Status s = sel_series_.step(&row);
    if (row) id = sel_series_.int64(0);
    sel_series_.reset();
    TSD_RETURN_IF_ERROR(s);
    if (!row) return Status::corruption(name() + ": series index lost " + std::string(key));
  }
  if (added) {
    for (const auto& t : tags) {
      TSD_RETURN_IF_ERROR(
          ins_tag_.bind(1, measurement).bind(2, t.key).bind(3, t.value).bind(4, id).run());
    }
  }
  return id;
}

Result<FieldInfo> Shard::ensure_field(std::string_view measurement, std::string_view field,
                                      FieldType type) {
  sel_field_.bind(1, measurement).bind(2, field);
  bool row = false;
  Status s = sel_field_.step(&row);
  FieldInfo info{0, std::string(measurement), std::string(field), type};
  if (row) {
    info.type = static_cast<FieldType>(sel_field_.int64(0));
    info.id = sel_field_.int64(1);
  }
  sel_field_.reset();
  TSD_RETURN_IF_ERROR(s);
  if (row) return info;
  TSD_RETURN_IF_ERROR(max_field_.step(&row));
  info.id = max_field_.int64(0) + 1;
  max_field_.reset();
  TSD_RETURN_IF_ERROR(ins_field_.bind(1, measurement)
                          .bind(2, field)
                          .bind(3, static_cast<int64_t>(type))
                          .bind(4, info.id)
                          .run());
  return info;
}

}  // namespace tsd::storage
