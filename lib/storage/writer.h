// Writer: the write path from parsed line protocol to shard files.
//
// Points are routed to the shard group of their time (created on demand),
// buffered per (shard, series, field), encoded in segments of
// kSegmentPoints as they come (so memory stays small and flat), and
// flushed as one block per column in one transaction per shard: a batch
// is stored wholly or not at all. close() flushes, compacts the columns
// it wrote (one block per column where possible), frees the space and
// checkpoints the WAL, leaving a compact data directory.
//
// A field's type is fixed per shard; a line with a conflicting field is
// rejected whole with InfluxDB's message. Of points with the same series,
// field and time the last written wins, also across batches and processes.
// Several Writers (in several processes) may write one data directory.
// A Writer belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "lineproto/lineproto.h"
#include "storage/catalog.h"
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
  int64_t memory_budget = 24 << 20;
};

struct WriterStats {
  int64_t points = 0;        // points (lines) stored, committed
  int64_t values = 0;        // field values stored, committed
  int64_t flushes = 0;
  int64_t points_dropped = 0;  // lost to a type conflict found only at flush
};

class Writer {
 public:
  // Opens the data directory (created when missing), creates the database
  // when missing, resolves the RP: an unknown RP is invalid_argument
  // "retention policy not found: <rp>".
  static Result<std::unique_ptr<Writer>> open(const WriterOptions& opts);
  ~Writer();

  // Buffers one line; points without a time get `now`. A field type
  // conflict is Status::conflict with InfluxDB's message and nothing of
  // the line is kept. Other errors (opening a shard) are returned as is.
  Status add(const lp::ParsedLine& line, int64_t now);

  // Whether the buffers reached batch_size or the memory budget.
  bool should_flush() const {
    return pending_points_ >= opts_.batch_size || memory_ >= opts_.memory_budget;
  }
  bool has_pending() const { return pending_points_ > 0; }
  int64_t pending_points() const { return pending_points_; }

  // Stores everything buffered: one transaction per shard.
  Status flush();
  // flush(), then compaction of what was written and a WAL checkpoint.
  Status close();

  const WriterStats& stats() const { return stats_; }
  // Messages about points dropped at flush time (a type set concurrently
  // by another process); taken by the caller.
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

  struct ShardState;
  struct SeriesEntry;
  struct ShardSeries;
  struct ColumnBuf;

 private:
  explicit Writer(WriterOptions opts);
  Result<ShardState*> shard_for(int64_t t);
  Result<ShardSeries*> shard_series(SeriesEntry* e, int64_t t);
  Status flush_shard(ShardState* s);
  Status finish_shard(ShardState* s, bool release);
  void encode_raw(ColumnBuf* c);

  WriterOptions opts_;
  std::unique_ptr<Catalog> catalog_;
  std::vector<std::unique_ptr<ShardState>> shards_;
  struct SvHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, SeriesEntry*, SvHash, std::equal_to<>> by_raw_;
  std::unordered_map<std::string, std::unique_ptr<SeriesEntry>, SvHash, std::equal_to<>> by_key_;
  int64_t pending_points_ = 0;
  int64_t pending_values_ = 0;
  int64_t memory_ = 0;
  WriterStats stats_;
  std::vector<std::string> warnings_;
  bool closed_ = false;
};

}  // namespace tsd::storage
