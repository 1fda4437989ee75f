// Retention: what a retention policy keeps, as InfluxDB 1.6 decides it.
//
//   - A shard group has expired when its end plus the RP's duration is
//     before now (services/meta ExpiredShardGroups); an infinite RP
//     (duration 0) keeps everything. enforce_retention() deletes expired
//     groups: one catalog transaction each, then the file (catalog.h
//     drop_shard_group), so it may run beside writers and readers: a
//     reader that has the file open reads it to the end of its
//     transaction, a writer that holds the group writes into a file that
//     nobody reads any more (its points were beyond the RP anyway).
//   - A point is beyond the RP when its time is before now minus the
//     duration (coordinator/points_writer.go MapShards): the Writer drops
//     it and counts it, and the write answers "partial write: points
//     beyond retention policy dropped=N". (influxd keeps such a point when
//     another point of the same request made or found a shard group that
//     covers it; a tsd Writer has no requests, so it drops every one.)
//
// Pure decisions plus catalog work; the Catalog belongs to the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/catalog.h"

namespace tsd::storage {

// InfluxDB's words for points dropped by the RP (its PartialWriteError reason).
inline constexpr std::string_view kBeyondRetention = "points beyond retention policy";

// "partial write: points beyond retention policy dropped=N", InfluxDB's error.
std::string beyond_retention_error(int64_t dropped);

// The earliest time an RP of `duration` (ns; 0: infinite) keeps at `now`:
// points before it are dropped when written. INT64_MIN for an infinite RP
// (and where now - duration would overflow).
inline int64_t retention_min_time(int64_t duration, int64_t now) {
  if (duration <= 0) return INT64_MIN;
  int64_t min;
  if (__builtin_sub_overflow(now, duration, &min)) return INT64_MIN;
  return min;
}

// Whether a shard group ending at `end` (exclusive) has expired at `now`
// under an RP of `duration`: end + duration before now.
inline bool shard_group_expired(int64_t end, int64_t duration, int64_t now) {
  return duration > 0 && end < retention_min_time(duration, now);
}

// When a shard group expires: end + duration (end itself for an infinite
// RP, as SHOW SHARDS prints it), clamped to INT64_MAX.
int64_t shard_group_expiry(int64_t end, int64_t duration);

// The shard groups of every RP of every database that have expired at
// `now`, by database, RP (their order in the catalog), then start time.
Result<std::vector<ShardGroup>> expired_shard_groups(Catalog& cat, int64_t now);

// Deletes the shard groups expired at `now` (with `dry_run`, none) and
// calls `removed` with each one deleted (or that would be), as it goes. A
// group that another process deleted meanwhile is not reported. Stops at
// the first error, having reported what it deleted before it.
Status enforce_retention(Catalog& cat, int64_t now, bool dry_run,
                         const std::function<void(const ShardGroup&)>& removed);

}  // namespace tsd::storage
