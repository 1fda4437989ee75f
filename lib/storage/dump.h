// Dump: everything stored, as line protocol (like `influx_inspect export`).
//
// Output is grouped by database and RP, each group opened by the comment
// lines "# CONTEXT-DATABASE:<db>" and "# CONTEXT-RETENTION-POLICY:<rp>"
// (after one "# DML" line), so it can be piped into tsd-write (which skips
// comments) or read by `influx -import`. Within a group: shard by shard,
// measurement, series key, then time; the fields of one series and time
// on one line; floats written so they read back bit-for-bit; times in ns.
// Memory stays bounded: one block per field at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "storage/store.h"

namespace tsd::storage {

struct DumpOptions {
  std::string db;  // empty: every database
  std::string rp;  // empty: every RP
  int64_t start = kMinTime;
  int64_t end = kMaxTime;  // inclusive
};

struct DumpStats {
  int64_t lines = 0;
};

// Writes the dump to `out`. Unknown --db/--rp is not_found; a damaged
// shard is corruption naming it (what came before it is written).
Status dump(Store* store, const DumpOptions& opts, std::FILE* out, DumpStats* stats = nullptr);

}  // namespace tsd::storage
