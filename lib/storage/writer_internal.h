// Private to the Writer's .cc files: its buffers.
#pragma once

#include <set>
#include <utility>

#include "storage/block.h"
#include "storage/writer.h"

namespace tsd::storage {

// The buffer of one (shard, series, field).
struct Writer::ColumnBuf {
  std::string name;     // unescaped field key
  std::string escaped;  // as last written (the fast path compares it)
  FieldType type = FieldType::kFloat;
  int64_t field_id = 0;  // 0 until known in the shard file
  Column raw;            // points not yet encoded
  std::string segments;  // encoded segments not yet flushed
  int64_t seg_points = 0;
  int64_t seg_min = 0;
  int64_t seg_max = 0;
  bool seg_ordered = true;  // segments ascending and disjoint
};

struct Writer::ShardSeries {
  SeriesEntry* entry = nullptr;
  int64_t id = 0;  // 0 until known in the shard file
  std::vector<std::unique_ptr<ColumnBuf>> columns;
  bool dirty = false;
};

struct Writer::ShardState {
  ShardGroup group;
  std::unique_ptr<Shard> shard;
  // "measurement\0field" -> type, from the file and from buffered lines.
  std::unordered_map<std::string, FieldType> types;
  std::vector<std::unique_ptr<ShardSeries>> series;
  std::vector<ShardSeries*> dirty;
  std::set<std::pair<int64_t, int64_t>> written;  // (series, field) columns stored
  int64_t flushes_since_compaction = 0;
};

struct Writer::SeriesEntry {
  std::string key;
  std::string measurement;
  std::vector<Tag> tags;
  // The shards this series has buffers in; the last used first to look.
  std::vector<std::pair<ShardState*, ShardSeries*>> shards;
};

}  // namespace tsd::storage
