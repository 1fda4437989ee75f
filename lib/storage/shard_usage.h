// Shard usage: the shard groups of the catalog with their files' sizes and
// value counts, for `tsd-rp shards`. Reads only: the catalog, the files'
// sizes and one sum over each shard's block headers (no block is decoded).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/catalog.h"

namespace tsd::storage {

struct ShardGroupUsage {
  ShardGroup group;
  int64_t expiry = 0;  // when retention drops it (retention.h shard_group_expiry)
  bool has_file = false;  // false: no point was stored in it yet
  int64_t bytes = 0;      // the file and its write-ahead log
  int64_t values = 0;     // Shard::value_count
};

// Every shard group of database `db` (of every database when empty), by
// database, RP (their order in the catalog), then start time. An unknown
// database is not_found "database not found: <db>"; a damaged shard file
// is corruption naming it.
Result<std::vector<ShardGroupUsage>> shard_group_usage(Catalog& cat, const std::string& db);

}  // namespace tsd::storage
