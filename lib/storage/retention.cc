#include "storage/retention.h"

#include <string>

namespace tsd::storage {

std::string beyond_retention_error(int64_t dropped) {
  return "partial write: " + std::string(kBeyondRetention) + " dropped=" + std::to_string(dropped);
}

int64_t shard_group_expiry(int64_t end, int64_t duration) {
  if (duration <= 0) return end;
  int64_t at;
  if (__builtin_add_overflow(end, duration, &at)) return INT64_MAX;
  return at;
}

Result<std::vector<ShardGroup>> expired_shard_groups(Catalog& cat, int64_t now) {
  auto dbs = cat.databases();
  if (!dbs.ok()) return dbs.status();
  std::vector<ShardGroup> out;
  for (const auto& db : *dbs) {
    auto rps = cat.retention_policies(db);
    if (!rps.ok()) return rps.status();
    for (const auto& rp : *rps) {
      if (rp.duration <= 0) continue;
      // Only groups that end before the RP's earliest time can have expired.
      auto groups = cat.shard_groups(db, rp.name, INT64_MIN, retention_min_time(rp.duration, now));
      if (!groups.ok()) return groups.status();
      for (auto& g : *groups) {
        if (shard_group_expired(g.end, rp.duration, now)) out.push_back(std::move(g));
      }
    }
  }
  return out;
}

Status enforce_retention(Catalog& cat, int64_t now, bool dry_run,
                         const std::function<void(const ShardGroup&)>& removed) {
  auto expired = expired_shard_groups(cat, now);
  if (!expired.ok()) return expired.status();
  for (const auto& g : *expired) {
    if (!dry_run) {
      auto dropped = cat.drop_shard_group(g.id);
      if (!dropped.ok()) return dropped.status();
      if (!*dropped) continue;  // another process was first
    }
    removed(g);
  }
  return Status();
}

}  // namespace tsd::storage
