#include "storage/shard_usage.h"

#include <filesystem>
#include <system_error>

#include "storage/paths.h"
#include "storage/retention.h"
#include "storage/shard.h"

namespace tsd::storage {
namespace {

int64_t file_size(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

Status add_usage(Catalog& cat, const std::string& db, std::vector<ShardGroupUsage>* out) {
  auto rps = cat.retention_policies(db);
  if (!rps.ok()) return rps.status();
  for (const auto& rp : *rps) {
    auto groups = cat.shard_groups(db, rp.name, INT64_MIN, INT64_MAX);
    if (!groups.ok()) return groups.status();
    for (auto& g : *groups) {
      ShardGroupUsage u;
      u.group = std::move(g);
      u.expiry = shard_group_expiry(u.group.end, rp.duration);
      const std::string path = cat.shard_path(u.group);
      auto shard = Shard::open(path, shard_display_name(u.group.db, u.group.rp, u.group.id), false,
                               /*reader=*/true, /*read_only=*/true);
      if (shard.ok()) {
        auto n = (*shard)->value_count();
        if (!n.ok()) return n.status();
        u.values = *n;
        u.has_file = true;
        u.bytes = file_size(path) + file_size(path + "-wal");
      } else if (shard.status().code() != Status::Code::kNotFound) {
        return shard.status();  // (not found: never written, or just dropped)
      }
      out->push_back(std::move(u));
    }
  }
  return Status();
}

}  // namespace

Result<std::vector<ShardGroupUsage>> shard_group_usage(Catalog& cat, const std::string& db) {
  std::vector<ShardGroupUsage> out;
  if (!db.empty()) {
    TSD_RETURN_IF_ERROR(add_usage(cat, db, &out));
    return out;
  }
  auto dbs = cat.databases();
  if (!dbs.ok()) return dbs.status();
  for (const auto& d : *dbs) TSD_RETURN_IF_ERROR(add_usage(cat, d, &out));
  return out;
}

}  // namespace tsd::storage
