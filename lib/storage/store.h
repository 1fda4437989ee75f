// Store: the read side of a data directory, for tsd-query and tools.
//
// Opens the catalog and, on demand, the shard files of a database/RP that
// overlap a time range (kept open for the Store's life). From a Shard the
// caller lists measurements, series, tag keys/values and field keys with
// types, selects series by measurement and tag through the index, and
// reads (series, field) columns with a ColumnCursor (shard.h).
// A Store belongs to one thread at a time.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/catalog.h"
#include "storage/shard.h"

namespace tsd::storage {

struct OpenShard {
  ShardGroup group;
  Shard* shard = nullptr;  // owned by the Store
};

class Store {
 public:
  // not_found when the directory holds no catalog (with `create`, the
  // directory and an empty catalog are made instead).
  // `reader`: nothing is written through the catalog (Catalog::open) or
  // the shards (Shard::open's read_only).
  static Result<std::unique_ptr<Store>> open(const std::string& data_dir, bool create = false,
                                             bool reader = false);

  Catalog& catalog() { return *catalog_; }

  // The shards of db/rp overlapping [start, end], by start time. Groups
  // whose file was never written are skipped. An unknown database or RP
  // is not_found.
  Result<std::vector<OpenShard>> shards(const std::string& db, const std::string& rp,
                                        int64_t start, int64_t end);
  // Every shard of every RP of db (InfluxDB's series index is per
  // database), by RP then start time. An unknown database is not_found.
  Result<std::vector<OpenShard>> database_shards(const std::string& db);
  // Closes the open shards of db (of any database when empty; of its RP
  // `rp` only, when not empty; of the group `group` only, when not 0):
  // before their files are removed.
  void close_shards(const std::string& db, const std::string& rp = {}, int64_t group = 0);
  // While *flag is true, the shards' reads and writes under way stop with
  // Status::cancelled (Shard::set_interrupt), in the shards open and in
  // those opened later; null: none. A query's cancel flag, for its run.
  void set_interrupt(const std::atomic<bool>* flag);

 private:
  std::unique_ptr<Catalog> catalog_;
  struct Opened {
    ShardGroup group;
    std::unique_ptr<Shard> shard;
  };
  std::map<int64_t, Opened> open_;
  bool reader_ = false;  // opened with `reader`: its shards are read-only too
  const std::atomic<bool>* interrupt_ = nullptr;
};

}  // namespace tsd::storage
