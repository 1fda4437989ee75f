// Checkpointer: copies writers' WAL files into their databases on a thread
// of its own, each file through a connection of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that fills the WAL
// past its limit: that commit then also reads every frame back, writes it
// into the database file and syncs both files. A server answers a write
// once its batch is committed, and a writer stores one batch at a time:
// the next batch waited for all of it (27 % of HTTP /write's time at
// 5,000 lines a request). Here the writer's commit only asks, and a
// PASSIVE checkpoint runs beside the writer's next batch, as another
// process's would (WAL mode lets one checkpoint run while one writer
// appends). The writer restarts the WAL at its next transaction once the
// checkpoint has copied all of it, as before.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "storage/sqlite.h"

namespace tsd::storage {

// A writer's commit asks for a checkpoint once the WAL holds this many
// frames (~2 MB of 2 KiB pages): the wal_autocheckpoint that other
// connections that write shards keep (kWriting, shard_open.cc).
inline constexpr int kCheckpointFrames = 1024;

class Checkpointer {
 public:
  Checkpointer() = default;
  ~Checkpointer();  // waits for the checkpoint under way; closes the files
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a passive checkpoint of the shard file at `path` (`name` in
  // messages); a request for a file already waiting is the same request.
  // The thread starts with the first request.
  void request(const std::string& path, const std::string& name);
  // Returns once no checkpoint of `path` runs or waits, with its
  // connection closed (before the writer's own checkpoint, which a
  // running one would make fail with SQLITE_BUSY, and before the file is
  // closed or removed).
  void forget(const std::string& path);
  // Returns once no checkpoint of `path` runs or waits, its connection kept
  // (before the writer's commit finishes one itself: one running beside it
  // would make that one fail with SQLITE_BUSY, and the WAL grow on).
  void settle(const std::string& path);
  // The first failure of a checkpoint (busy ones are not failures: the
  // next request does the work); OK when none.
  Status error() const;

 private:
  enum class Kind { kCheckpoint, kSettle, kForget };
  struct Task {
    std::string path;
    std::string name;
    Kind kind = Kind::kCheckpoint;
    int64_t seq = 0;
  };
  // Drops the waiting requests for `path` and returns once a task of
  // `kind` for it has run after the one under way.
  void wait_for(const std::string& path, Kind kind);
  void loop();
  Status checkpoint(const Task& t);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  int64_t next_seq_ = 0;
  int64_t done_seq_ = 0;  // every task up to this one is done
  bool stop_ = false;
  Status error_;
  std::map<std::string, Db> dbs_;  // [thread] open connections by path
  std::thread thread_;
};

}  // namespace tsd::storage
