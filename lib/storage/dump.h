// Dump: everything stored, in the format of `influx_inspect export`:
//
//   # INFLUXDB EXPORT: <start> - <end>          (RFC 3339)
//   # DDL
//   CREATE DATABASE one WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
//   CREATE RETENTION POLICY short ON one DURATION 4w REPLICATION 1 SHARD DURATION 1d
//   # DML
//   # CONTEXT-DATABASE:one
//   # CONTEXT-RETENTION-POLICY:autogen
//   cpu,host=a usage=1.5,n=3i 1000000000
//
// The DDL (when DumpOptions::ddl renders it) creates each database with
// its default RP and the other RPs dumped, as they are here; the DML is
// grouped by database and RP, each group opened by its two CONTEXT lines,
// so that `influx -import` and tsd-write put every point back where it
// came from. Within a group: shard by shard,
// measurement, series key, then time; the fields of one series and time
// on one line; floats written so they read back bit-for-bit; times in ns.
// Memory stays bounded: one block per field at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "storage/catalog.h"
#include "storage/store.h"

namespace tsd::storage {

struct DumpOptions {
  std::string db;  // empty: every database
  std::string rp;  // empty: every RP
  int64_t start = kMinTime;
  int64_t end = kMaxTime;  // inclusive
  // The DDL section's lines for one database: `rps` are the RPs dumped,
  // its default RP first (when it has one). InfluxQL lives above storage,
  // so the caller renders it (query::render_ddl); empty: no DDL section.
  std::function<std::string(const std::string& db, const std::vector<RetentionPolicy>& rps)> ddl;
};

struct DumpStats {
  int64_t lines = 0;
};

// Writes the dump to `out`. Unknown --db/--rp is not_found; a damaged
// shard is corruption naming it (what came before it is written).
Status dump(Store* store, const DumpOptions& opts, std::FILE* out, DumpStats* stats = nullptr);

}  // namespace tsd::storage
