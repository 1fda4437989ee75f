// Writer: the write path from parsed line protocol to shard files.
//
// Points are routed to the shard group of their time (created on demand),
// buffered per (shard, series, field), encoded in segments of
// kSegmentPoints as they come (so memory stays small and flat), and
// flushed in one transaction per shard (a batch is stored wholly or not
// at all): a series with many points a column as one block per column, a
// series with few (a live feed's second) as one head row holding all its
// fields (head.h), promoted to blocks once it has enough. close() flushes,
// promotes the shards' heads, compacts the columns it wrote (one block
// per column where possible), frees the space and checkpoints the WAL,
// leaving a compact data directory.
//
// A field's type is fixed per shard; a line with a conflicting field is
// rejected whole with InfluxDB's message. A point older than the RP keeps
// (its time before now minus the RP's duration, as the RP was when the
// Writer opened; retention.h) is dropped and counted, as InfluxDB drops it. Of points with the same series,
// field and time the last written wins, also across batches and processes.
// Several Writers (in several processes) may write one data directory.
//
// Threads: a Writer runs a store thread of its own that encodes and writes
// while the caller goes on parsing (flush_async). The Writer's methods
// belong to one calling thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "lineproto/lineproto.h"
#include "storage/catalog.h"
#include "storage/checkpointer.h"
#include "storage/shard.h"

namespace tsd::storage {

inline constexpr size_t kSegmentPoints = 1024;

struct WriterOptions {
  std::string data_dir;
  std::string db;
  std::string rp;  // empty: the database's default RP
  // A flush happens when this many points are buffered ...
  int64_t batch_size = 1000000;
  // ... or when the buffers hold about this many bytes.
  int64_t memory_budget = 48 << 20;
  // A commit asks for a checkpoint once the WAL holds this many frames (of
  // 2 KiB), and copies the rest itself past twice as many (checkpointer.h).
  int checkpoint_frames = kCheckpointFrames;
};

struct WriterStats {
  int64_t points = 0;        // points (lines) stored, committed
  int64_t values = 0;        // field values stored, committed
  int64_t flushes = 0;
  int64_t points_dropped = 0;  // lost to a type conflict found only at flush
  // Dropped by add(): older than the RP keeps (retention.h). Counted when
  // added, not when committed.
  int64_t points_beyond_retention = 0;
};

class Writer {
 public:
  // Opens the data directory (created when missing), creates the database
  // when missing, resolves the RP: an unknown RP is invalid_argument
  // "retention policy not found: <rp>".
  static Result<std::unique_ptr<Writer>> open(const WriterOptions& opts);
  ~Writer();

  // Buffers one line; points without a time get `now`. A point older than
  // now minus the RP's duration is dropped: OK, counted in
  // stats().points_beyond_retention, nothing kept. A field type
  // conflict is Status::conflict with InfluxDB's message and nothing of
  // the line is kept. A line parsed with defer_tags whose series text is
  // new is checked here (lp::complete_line): a malformed one is
  // invalid_argument with parse_line's message ("column C: ...") and
  // nothing is kept. Other errors (opening a shard) are returned as is.
  Status add(const lp::ParsedLine& line, int64_t now);
  // The same for an owning Point (continuous queries' SELECT ... INTO):
  // it goes through line protocol, so the same rules apply.
  Status add(const Point& point, int64_t now);

  // Whether the buffers reached batch_size or the memory budget.
  bool should_flush() const;
  bool has_pending() const { return pending_points_ > 0; }
  int64_t pending_points() const { return pending_points_; }

  // Hands the buffered points to the store thread as one batch (one
  // transaction per shard) and returns; waits first while an earlier
  // batch is still being stored. Returns an error of an earlier batch.
  Status flush_async();
  // Stores everything buffered and waits until it is stored.
  Status flush();
  // Group commit: after flush_async, the number of the batch just handed
  // over (what was buffered is in it or in an earlier one), and a wait
  // until that batch is stored; other threads may add meanwhile (under
  // their own lock: a Writer is not thread-safe, only these two calls
  // may run beside another thread's add). A store error of any batch is
  // returned.
  int64_t flush_ticket() const;
  Status wait_flushed(int64_t ticket) const;
  // flush(), then compaction of what was written and a WAL checkpoint;
  // stops the store thread.
  Status close();

  // Committed so far (the store thread's figures).
  WriterStats stats() const;
  // Messages about points dropped at flush time (a type set concurrently
  // by another process); taken by the caller.
  std::vector<std::string> take_warnings();

  struct ShardState;
  struct SeriesEntry;
  struct ShardSeries;
  struct ColumnBuf;
  struct Job;
  struct Rec;
  struct StoreThread;

 private:
  explicit Writer(WriterOptions opts);
  Result<ShardState*> shard_for(int64_t t);
  Result<ShardSeries*> shard_series(SeriesEntry* e, int64_t t);
  // Moves the buffered records into a Job (memory_ back to 0).
  Job take_records();
  void submit_records();
  Status submit(Job job, bool wait_flushes);
  Status wait_idle();
  // The store thread's side (writer_store.cc).
  void store_loop();
  Status store_job(Job* job);
  void encode_chunk(ColumnBuf* c);
  Status store_shard(ShardState* s, const std::vector<ColumnBuf*>& cols);
  Status tidy_shard(ShardState* s);
  Status resolve_field(Shard* shard, ColumnBuf* c);
  Status store_head(ShardState* s, ShardSeries* ss, const std::vector<ColumnBuf*>& cols);
  Status store_blocks(ShardState* s, ShardSeries* ss, const std::vector<ColumnBuf*>& cols);
  Status prepare_blocks(ColumnBuf* c);
  Status prepare_all(const std::vector<ColumnBuf*>& cols);
  Status promote_heads(ShardState* s, std::vector<std::pair<int64_t, int64_t>>* compact);
  Status promote(ShardState* s, ShardSeries* ss,
                 std::vector<std::pair<int64_t, int64_t>>* compact);
  Status finish_shard(ShardState* s);

  WriterOptions opts_;
  std::unique_ptr<Catalog> catalog_;
  // Checkpoints the shards' WAL files beside the store thread (declared
  // before shards_: their commits call it until they are gone).
  Checkpointer checkpointer_;
  std::vector<std::unique_ptr<ShardState>> shards_;
  std::unique_ptr<StoreThread> store_;
  std::vector<ShardSeries*> batch_;  // series with points in the current batch
  std::vector<Rec> recs_;          // values not yet handed over
  std::vector<std::string> strs_;  // their strings
  int64_t batch_no_ = 1;
  // Series texts are long (~200 bytes in the devops data) and hashed once
  // per line: 16 bytes a step in two independent lanes, multiply-mix.
  struct SvHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      constexpr uint64_t kMul = 0x9fb21c651e98df25ull;
      auto mix = [](uint64_t h, uint64_t w) {
        h = (h ^ w) * kMul;
        return h ^ (h >> 31);
      };
      const char* p = s.data();
      size_t n = s.size();
      uint64_t a = 0x243f6a8885a308d3ull ^ n, b = 0x13198a2e03707344ull;
      for (; n >= 16; p += 16, n -= 16) {
        uint64_t w0, w1;
        std::memcpy(&w0, p, 8);
        std::memcpy(&w1, p + 8, 8);
        a = mix(a, w0);
        b = mix(b, w1);
      }
      uint64_t t0 = 0, t1 = 0;
      std::memcpy(&t0, p, n < 8 ? n : 8);
      if (n > 8) std::memcpy(&t1, p + 8, n - 8);
      return mix(mix(a, t0) ^ b, t1);
    }
  };
  // A series text as written, its series, and the text that came after
  // it last time: a bulk file repeats its series in the same order (every
  // host at each time), so the next line's text is checked against that
  // one first and its data prefetched meanwhile (at 1,000 hosts the hash
  // table's misses were a third of this thread's time).
  struct RawSeries;
  using RawNode = std::pair<const std::string, RawSeries>;
  struct RawSeries {
    SeriesEntry* e = nullptr;
    RawNode* next = nullptr;
    // What its last line read, to prefetch (may be stale: never followed).
    const void* seen[3] = {};
  };
  std::unordered_map<std::string, RawSeries, SvHash, std::equal_to<>> by_raw_;
  RawNode* last_raw_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<SeriesEntry>, SvHash, std::equal_to<>> by_key_;
  int64_t pending_points_ = 0;
  int64_t pending_values_ = 0;
  // Retention: the RP's duration (0: infinite) and the earliest time it
  // keeps at the last `now` that add() was given.
  int64_t rp_duration_ = 0;
  int64_t min_time_now_ = INT64_MIN;
  int64_t min_time_ = INT64_MIN;
  int64_t beyond_retention_ = 0;
  int64_t memory_ = 0;  // bytes buffered here (recs_ and strs_)
  // What this batch's points will take in the store thread's buffers:
  // raw points at 16 bytes, full chunks at a bound per type. Counted from
  // the input alone, so that a bulk load is cut into the same batches
  // (hence the same blocks and bytes) however fast the store thread runs.
  int64_t batch_bytes_ = 0;
  bool closed_ = false;
  std::string head_blob_;  // the store thread's buffer for head rows
};

}  // namespace tsd::storage
