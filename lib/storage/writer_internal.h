// Private to the Writer's .cc files: its buffers and the store thread's jobs.
//
// Two threads share these. The ingest thread (the caller of add/flush)
// parses, routes and appends raw points; the store thread encodes full
// chunks and writes batches to the shard files. Fields marked [store] are
// touched only by the store thread once the object was handed over through
// the job queue (which orders everything before it); the others only by
// the ingest thread, or never change after creation.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "storage/block.h"
#include "storage/head.h"
#include "storage/writer.h"

namespace tsd::storage {

// The buffer of one (shard, series, field).
struct Writer::ColumnBuf {
  ShardSeries* series = nullptr;  // immutable
  std::string name;               // unescaped field key; immutable
  FieldType type = FieldType::kFloat;  // immutable
  // [store]
  Column raw;            // points not yet encoded
  int64_t field_id = 0;  // 0 until known in the shard file
  std::string segments;  // encoded segments not yet stored
  int64_t seg_points = 0;
  int64_t seg_count = 0;
  int64_t seg_min = 0;
  int64_t seg_max = 0;
  bool seg_ordered = true;  // segments ascending and disjoint
  std::vector<EncodedBlock> ready;  // blocks to store in this batch
  size_t chain_slot = SIZE_MAX;  // its place in the series' head chain
  int64_t blocks_since = 0;      // blocks written since its last compaction
};

// The Writer's count of what a batch holds (Writer::batch_bytes_): a raw
// point, and a chunk of kSegmentPoints once encoded, about the most its
// type takes (full-precision floats 6-8 bytes a value, integers usually
// 0.3-2; a string chunk keeps its strings' bytes). What the store thread
// really holds is checked too, against a larger bound (should_flush).
inline constexpr int64_t kRawPointBytes = 16;
constexpr int64_t chunk_bytes(FieldType t) {
  switch (t) {
    case FieldType::kFloat: return kSegmentPoints * 8;
    case FieldType::kInteger:
    case FieldType::kUnsigned: return kSegmentPoints * 2;
    case FieldType::kBoolean: return kSegmentPoints / 4;
    case FieldType::kString: break;
  }
  return kSegmentPoints * kRawPointBytes;
}

struct Writer::ShardSeries {
  SeriesEntry* entry = nullptr;  // immutable
  ShardState* shard = nullptr;   // immutable
  std::vector<std::unique_ptr<ColumnBuf>> columns;
  // The ingest thread checks a line's fields against these without
  // touching the columns: per column its escaped key (in `keys`, end to
  // end), type and buffer, in one array (a series' line costs few cache
  // misses when there are thousands of series).
  struct Slot {
    uint32_t off = 0, len = 0;
    FieldType type = FieldType::kFloat;
    uint32_t batch_points = 0;  // added in the batch being buffered
    ColumnBuf* col = nullptr;
  };
  std::string keys;
  std::vector<Slot> slots;
  int64_t batch = 0;  // the last batch with points here

  bool key_is(size_t k, std::string_view key) const {
    const size_t n = key.size();
    if (slots[k].len != n) return false;
    const char* a = keys.data() + slots[k].off;
    const char* b = key.data();
    if (n < 8) return std::memcmp(a, b, n) == 0;
    // Field keys are short: 8-byte words inline, the last one overlapping.
    uint64_t x, y;
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  int64_t id = 0;  // [store] 0 until known in the shard file
  // [store] The chain of head rows this writer adds to (head.h): its
  // fields' columns in chain order, and the points it holds.
  HeadChain chain;
  std::vector<ColumnBuf*> chain_cols;
  int64_t head_points = 0;
  int64_t head_rows = 0;
  // [store] Forgets the chain (its rows were promoted, by anyone): the
  // next head row starts a new one.
  void reset_chain() {
    for (ColumnBuf* c : chain_cols) c->chain_slot = SIZE_MAX;
    chain_cols.clear();
    chain.reset();
    head_points = head_rows = 0;
  }
  // [store] Its head is promoted once this writer added this many rows
  // (a live feed's 512 seconds) or it holds this many points (a bulk
  // load's few batches).
  static constexpr int64_t kPromoteRows = 512;
  static constexpr int64_t kPromotePoints = 4096;
  bool head_full() const { return head_rows >= kPromoteRows || head_points >= kPromotePoints; }
};

struct Writer::ShardState {
  ShardGroup group;
  std::string path;  // the shard file
  std::unique_ptr<Shard> shard;  // [store] once opened
  // "measurement\0field" -> type, from the file and from buffered lines.
  std::unordered_map<std::string, FieldType> types;
  std::vector<std::unique_ptr<ShardSeries>> series;
  int64_t last_batch = 0;  // the batch that last wrote here
  // [store]
  std::set<std::pair<int64_t, int64_t>> written;  // (series, field) columns stored
  // The series this writer stored in the file, in the order it first did:
  // what the store thread looks through for heads to promote (`series`
  // grows on the ingest thread meanwhile).
  std::vector<ShardSeries*> stored;
  size_t promote_at = 0;    // where the next promotion looks first
};

struct Writer::SeriesEntry {
  std::string key;          // immutable
  std::string measurement;  // immutable
  std::vector<Tag> tags;    // immutable
  // The shards this series has buffers in; the last used first to look,
  // and also here (no vector to reach for a line in the usual shard).
  std::vector<std::pair<ShardState*, ShardSeries*>> shards;
  ShardState* cur_shard = nullptr;
  ShardSeries* cur = nullptr;
  void set_current() {
    cur_shard = shards.empty() ? nullptr : shards[0].first;
    cur = shards.empty() ? nullptr : shards[0].second;
  }
};

// One value on its way to its column. The ingest thread appends these in
// input order (sequential writes) and the store thread scatters them.
struct Writer::Rec {
  ColumnBuf* col;
  int64_t time;
  union {
    double f;
    int64_t i;  // integers, booleans (0/1), strings (an index into strs)
    uint64_t u;
  };
};

// Work for the store thread, done in queue order.
struct Writer::Job {
  std::vector<Rec> recs;           // values to add to their columns
  std::vector<std::string> strs;   // the string values of recs
  bool flush = false;              // then store the batch:
  std::vector<ColumnBuf*> columns;  // its columns
  int64_t points = 0;
  int64_t values = 0;
  std::vector<std::unique_ptr<ShardState>> retire;  // then finish and drop these
  int64_t bytes = 0;                                // bytes of recs and strs
  bool stop = false;
  bool told = false;  // flushes_done counts it already (store_job)
};

struct Writer::StoreThread {
  std::mutex mu;
  std::condition_variable cv;  // both directions
  std::deque<Job> queue;
  int64_t queued_bytes = 0;     // raw bytes waiting in `queue`
  int64_t flushes_asked = 0;
  int64_t flushes_done = 0;
  Status error;                 // the first failure; the thread then drains
  std::vector<std::string> warnings;
  std::atomic<int64_t> store_bytes{0};  // raw and encoded bytes not yet stored
  std::atomic<int64_t> points{0};
  std::atomic<int64_t> values{0};
  std::atomic<int64_t> flushes{0};
  std::atomic<int64_t> dropped{0};
  std::atomic<bool> failed{false};
  std::thread thread;
};

}  // namespace tsd::storage
