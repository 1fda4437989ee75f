// A thin RAII layer over SQLite for the catalog and the shard files.
//
// Db owns one connection; Stmt one prepared statement. Every failure is a
// Status whose message names the file ("meta.db: database is locked");
// SQLITE_CORRUPT / SQLITE_NOTADB become Status::corruption, SQLITE_BUSY
// Status::busy. Connections are opened in WAL mode with a busy timeout so
// several processes can share a data directory. A Db and its Stmts belong
// to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

#include "core/status.h"

namespace tsd::storage {

// How long a writer waits for another process's transaction (ms).
inline constexpr int kBusyTimeoutMs = 60000;

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Db(Db&& o) noexcept { *this = std::move(o); }
  Db& operator=(Db&& o) noexcept;

  // What a connection sets up, and when. Each pragma statement costs a
  // parse: a one-shot reader (tsd-query) pays only for what it uses.
  struct Setup {
    bool create = false;         // create the file if missing, and set WAL mode
    std::string_view init;       // a file with no tables yet: page_size, auto_vacuum
    std::string_view always;     // every open (a reader's mmap_size)
    std::string_view for_write;  // before the connection's first write transaction
    bool keep_wal = false;       // keep_wal_on_close(), before any statement is prepared
    // A connection that only reads maps the WAL index read-only. When no
    // other connection has the file open, the first one to open it would
    // otherwise rebuild that index in the -shm file (truncate it, extend it
    // page by page, a dozen locks: a third of a short query's system time);
    // read-only, SQLite builds it in memory from the WAL instead (nothing to
    // read when a writer left the WAL empty), and maps the shared one when a
    // writer has it open. Writes then fail (SQLITE_READONLY). Without a
    // -shm file the open falls back to the usual read-write index.
    // Only in a process that called allow_read_only_index(): SQLite shares
    // one -shm mapping per file among a process's connections, so a writer
    // opened after a reader there would get the reader's read-only one.
    bool read_only_index = false;
  };
  // For a process that writes nothing through a connection opened while a
  // read-only one (Setup::read_only_index) is open on the same file: a
  // one-shot query, whose statements say beforehand whether they write.
  static void allow_read_only_index(bool allow = true);
  // Opens `path`, sets the busy timeout and runs `setup` (WAL mode when
  // creating: it stays in the file; synchronous=NORMAL before the first
  // write). `name` is how messages call it. A missing file without
  // `create` is not_found; a file that is not a database is corruption.
  static Result<Db> open(const std::string& path, std::string name, const Setup& setup);
  static Result<Db> open(const std::string& path, std::string name, bool create) {
    Setup setup;
    setup.create = create;
    return open(path, std::move(name), setup);
  }
  // Tables, indexes… in the file when it was opened (0: a new file).
  int64_t schema_objects() const { return schema_objects_; }

  // Runs one or more statements without results.
  Status exec(std::string_view sql);
  // Column 0 of the first row of a statement without parameters (a count,
  // a pragma's value); 0 when it gives no row.
  Result<int64_t> int64_of(std::string_view sql) const;
  // The error of the last call as a Status with the file's name.
  Status error(int rc, std::string_view what = {}) const;

  // BEGIN IMMEDIATE (takes the write lock, waiting up to the busy timeout).
  // Closing the last connection of a file normally checkpoints the WAL
  // into it (a write and an fsync): readers leave that to writers. Like
  // every sqlite3_db_config flag it expires the prepared statements (each
  // is prepared again at its next step): Setup::keep_wal sets it first.
  void keep_wal_on_close();
  Status begin_write();
  Status begin_read() { return exec("BEGIN"); }
  Status commit() { return exec("COMMIT"); }
  void rollback();  // best effort; never fails the caller
  // While *flag is true, a statement under way stops with SQLITE_INTERRUPT
  // (Status::cancelled; in a write transaction SQLite rolls it all back):
  // a progress handler reads the flag every kInterruptOps VM steps. A
  // statement shorter than that (COMMIT, ROLLBACK) is never stopped.
  // Null: none.
  void set_interrupt(const std::atomic<bool>* flag);
  static constexpr int kInterruptOps = 10000;
  // After each commit through this connection, fn(frames in the WAL), in
  // place of SQLite's automatic checkpoint (from the first begin_write on:
  // Setup::for_write may set wal_autocheckpoint, which would replace it).
  void on_commit(std::function<void(int)> fn);
  // sqlite3_wal_checkpoint_v2 in `mode` (SQLITE_CHECKPOINT_*); busy (another
  // connection checkpoints, or writes and the mode waits for it) is no
  // failure: a later checkpoint does the work.
  Status checkpoint(int mode);

  sqlite3* get() const { return db_; }
  const std::string& name() const { return name_; }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  // Rows changed through this connection since it was opened.
  int64_t total_changes() const { return sqlite3_total_changes64(db_); }

  // What has changed the file: the commits of other connections (PRAGMA
  // data_version) and the rows changed through this one. Equal versions
  // mean nothing changed in between: caches of what was read stay valid.
  struct Version {
    int64_t others = -1;
    int64_t ours = -1;
    bool operator==(const Version&) const = default;
  };
  Result<Version> version();
  // For a cache of what this connection reads, last checked at *seen:
  // whether it may be kept (false in a write transaction: it may roll
  // back, and the version would not say so; `reading`: the transaction
  // open is the caller's read one), with *seen brought to the file's
  // version. *changed: empty the cache (the version moved, or it may not
  // be kept).
  Result<bool> check_cache(Version* seen, bool reading, bool* changed);

 private:
  static Result<Db> open_as(const std::string& path, std::string name, const Setup& setup,
                            int extra_flags);
  void close();

  sqlite3* db_ = nullptr;
  std::string name_;
  sqlite3_stmt* version_st_ = nullptr;  // PRAGMA data_version, prepared on first use
  int64_t schema_objects_ = 0;
  std::string_view for_write_;  // Setup::for_write, run by the first begin_write
  bool write_ready_ = false;
  // on_commit's function (on the heap: SQLite holds its address).
  std::unique_ptr<std::function<void(int)>> commit_hook_;
  void apply_commit_hook();
};

// A prepared statement. step() returns true with a row, false when done.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : st_(o.st_), db_(o.db_), lazy_sql_(o.lazy_sql_) { o.st_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;

  static Result<Stmt> prepare(const Db& db, std::string_view sql);
  // A statement prepared on its first use (bind, step, run): a file's
  // statements cost nothing until a caller needs them (a reader of one
  // column needs two of a shard's fifteen). `sql` must outlive it; a
  // prepare error is step()'s.
  static Stmt lazy(const Db& db, std::string_view sql);

  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view v);  // TEXT, copied
  Stmt& bind_blob(int i, std::string_view v);  // BLOB, not copied: keep it alive until step
  Stmt& bind_null(int i);

  // Steps once: *row = true when a row is ready.
  Status step(bool* row);
  // Steps through every remaining row and returns column 0 of each as text.
  Result<std::vector<std::string>> column_texts();
  // Steps a statement that returns no rows (and resets it).
  Status run();
  void reset();
  int param_count() {
    ensure();
    return sqlite3_bind_parameter_count(st_);
  }

  int64_t int64(int col) const { return sqlite3_column_int64(st_, col); }
  std::string_view text(int col) const;
  std::string_view blob(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

 private:
  // Prepares a lazy statement; false when it does not prepare.
  bool ensure();

  sqlite3_stmt* st_ = nullptr;
  const Db* db_ = nullptr;
  std::string_view lazy_sql_;
};

// Rolls back an open transaction unless commit() was called.
class TxnGuard {
 public:
  explicit TxnGuard(Db* db) : db_(db) {}
  ~TxnGuard() {
    if (db_) db_->rollback();
  }
  Status commit() {
    Db* d = db_;
    db_ = nullptr;
    return d->commit();
  }
  TxnGuard(const TxnGuard&) = delete;
  TxnGuard& operator=(const TxnGuard&) = delete;

 private:
  Db* db_;
};

}  // namespace tsd::storage
