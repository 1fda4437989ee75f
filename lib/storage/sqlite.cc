#include "storage/sqlite.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/wal_vfs.h"

namespace tsd::storage {
namespace {

Status status_for(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::corruption(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::busy(std::move(message));
    case SQLITE_CANTOPEN:
      return Status::io_error(std::move(message));
    case SQLITE_INTERRUPT:
      return Status::cancelled(std::move(message));
    default:
      return Status::io_error(std::move(message));
  }
}

}  // namespace

Db::~Db() { close(); }

void Db::close() {
  if (version_st_) sqlite3_finalize(version_st_);
  version_st_ = nullptr;
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    db_ = o.db_;
    name_ = std::move(o.name_);
    version_st_ = o.version_st_;
    schema_objects_ = o.schema_objects_;
    for_write_ = o.for_write_;
    write_ready_ = o.write_ready_;
    commit_hook_ = std::move(o.commit_hook_);
    o.db_ = nullptr;
    o.version_st_ = nullptr;
  }
  return *this;
}

Result<Db::Version> Db::version() {
  if (!version_st_) {
    int rc = sqlite3_prepare_v2(db_, "PRAGMA data_version", -1, &version_st_, nullptr);
    if (rc != SQLITE_OK) return error(rc, "PRAGMA data_version");
  }
  Version v;
  int rc = sqlite3_step(version_st_);
  if (rc == SQLITE_ROW) v.others = sqlite3_column_int64(version_st_, 0);
  sqlite3_reset(version_st_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error(rc, "PRAGMA data_version");
  v.ours = total_changes();
  return v;
}

Result<bool> Db::check_cache(Version* seen, bool reading, bool* changed) {
  // The version is read before what is cached: a commit in between makes
  // the next check differ, and the cache is read again.
  auto v = version();
  if (!v.ok()) return v.status();
  const bool keep = reading || sqlite3_get_autocommit(db_);
  *changed = !keep || !(*v == *seen);
  *seen = keep ? *v : Version{};
  return keep;
}

namespace {

// "file:" URI of a path, with what URIs reserve escaped, and `query`.
std::string file_uri(const std::string& path, std::string_view query) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  uri += '?';
  uri += query;
  return uri;
}

std::atomic<bool> g_read_only_index{false};

}  // namespace

void Db::allow_read_only_index(bool allow) { g_read_only_index = allow; }

Result<Db> Db::open(const std::string& path, std::string name, const Setup& setup) {
  if (setup.read_only_index && !setup.create && g_read_only_index) {
    std::error_code ec;
    if (std::filesystem::exists(path + "-shm", ec)) {
      auto db = open_as(file_uri(path, "readonly_shm=1"), name, setup, SQLITE_OPEN_URI);
      // The -shm file went away in between (its last writer closed).
      if (db.ok() || db.status().code() == Status::Code::kCorruption) return db;
    }
  }
  return open_as(path, std::move(name), setup, 0);
}

Result<Db> Db::open_as(const std::string& path, std::string name, const Setup& setup,
                       int extra_flags) {
  Db db;
  db.name_ = std::move(name);
  int flags = SQLITE_OPEN_READWRITE | extra_flags;
  if (setup.create) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, wal_vfs_name());
  if (rc != SQLITE_OK) {
    if (!setup.create && (rc & 0xff) == SQLITE_CANTOPEN) {
      return Status::not_found(db.name_ + ": no such file");
    }
    return db.error(rc, "open");
  }
  sqlite3_extended_result_codes(db.db_, 0);
  sqlite3_busy_timeout(db.db_, kBusyTimeoutMs);
  if (setup.keep_wal) db.keep_wal_on_close();
  db.for_write_ = setup.for_write;
  {
    // Reading the schema is the first touch of the file: a damaged file
    // shows here ("file is not a database").
    auto count = db.int64_of("SELECT count(*) FROM sqlite_master");
    if (!count.ok()) return count.status();
    db.schema_objects_ = *count;
  }
  if (db.schema_objects_ == 0 && !setup.init.empty()) TSD_RETURN_IF_ERROR(db.exec(setup.init));
  if (!setup.always.empty()) TSD_RETURN_IF_ERROR(db.exec(setup.always));
  if (setup.create) {
    // WAL mode is kept in the file: set by whoever may have created it.
    // Switching takes a lock that the busy handler does not cover on
    // every path; retry for a while.
    for (int attempt = 0;; attempt++) {
      Status s = db.exec("PRAGMA journal_mode=WAL");
      if (s.ok()) break;
      if (s.code() != Status::Code::kBusy || attempt > 600) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return db;
}

Status Db::begin_write() {
  if (!write_ready_) {
    // Per connection, not kept in the file: a WAL commit is then not
    // synced (a checkpoint is), and survives a crash of the process.
    TSD_RETURN_IF_ERROR(exec("PRAGMA synchronous=NORMAL"));
    if (!for_write_.empty()) TSD_RETURN_IF_ERROR(exec(for_write_));
    write_ready_ = true;
    apply_commit_hook();
  }
  return exec("BEGIN IMMEDIATE");
}

void Db::on_commit(std::function<void(int)> fn) {
  commit_hook_ = std::make_unique<std::function<void(int)>>(std::move(fn));
  if (write_ready_) apply_commit_hook();
}

void Db::apply_commit_hook() {
  if (db_ == nullptr || !commit_hook_) return;
  sqlite3_wal_hook(
      db_,
      [](void* fn, sqlite3*, const char*, int frames) {
        (*static_cast<std::function<void(int)>*>(fn))(frames);
        return SQLITE_OK;
      },
      commit_hook_.get());
}

Status Db::checkpoint(int mode) {
  int log = 0, done = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, mode, &log, &done);
  if (rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Status();
  return error(rc, "checkpoint");
}

void Db::keep_wal_on_close() {
  if (db_ != nullptr) sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status();
  std::string msg = name_ + ": " + (err ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  return status_for(rc, std::move(msg));
}

Status Db::error(int rc, std::string_view what) const {
  std::string msg = name_;
  msg += ": ";
  if (!what.empty()) {
    msg += what;
    msg += ": ";
  }
  msg += db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return status_for(rc, std::move(msg));
}

void Db::set_interrupt(const std::atomic<bool>* flag) {
  if (db_ == nullptr) return;
  if (flag == nullptr) {
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    return;
  }
  sqlite3_progress_handler(
      db_, kInterruptOps,
      [](void* f) -> int {
        return static_cast<const std::atomic<bool>*>(f)->load(std::memory_order_relaxed) ? 1 : 0;
      },
      const_cast<std::atomic<bool>*>(flag));
}

void Db::rollback() {
  if (db_ && !sqlite3_get_autocommit(db_)) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Stmt::~Stmt() {
  if (st_) sqlite3_finalize(st_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (st_) sqlite3_finalize(st_);
    st_ = o.st_;
    db_ = o.db_;
    lazy_sql_ = o.lazy_sql_;
    o.st_ = nullptr;
  }
  return *this;
}

Result<Stmt> Stmt::prepare(const Db& db, std::string_view sql) {
  Stmt st;
  st.db_ = &db;
  int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &st.st_,
                              nullptr);
  if (rc != SQLITE_OK) return db.error(rc, "prepare");
  return st;
}

Stmt Stmt::lazy(const Db& db, std::string_view sql) {
  Stmt st;
  st.db_ = &db;
  st.lazy_sql_ = sql;
  return st;
}

bool Stmt::ensure() {
  if (st_ != nullptr) return true;
  if (lazy_sql_.empty() || db_ == nullptr) return false;
  return sqlite3_prepare_v2(db_->get(), lazy_sql_.data(), static_cast<int>(lazy_sql_.size()), &st_,
                            nullptr) == SQLITE_OK;
}

Stmt& Stmt::bind(int i, int64_t v) {
  if (!ensure()) return *this;
  sqlite3_bind_int64(st_, i, v);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
  if (!ensure()) return *this;
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind_blob(int i, std::string_view v) {
  if (!ensure()) return *this;
  sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  if (!ensure()) return *this;
  sqlite3_bind_null(st_, i);
  return *this;
}

Result<std::vector<std::string>> Stmt::column_texts() {
  std::vector<std::string> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(step(&row));
    if (!row) return out;
    out.emplace_back(text(0));
  }
}

Status Stmt::step(bool* row) {
  *row = false;
  if (!ensure()) {
    int rc = sqlite3_prepare_v2(db_->get(), lazy_sql_.data(), static_cast<int>(lazy_sql_.size()),
                                &st_, nullptr);
    return db_->error(rc, "prepare");
  }
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) {
    *row = true;
    return Status();
  }
  *row = false;
  if (rc == SQLITE_DONE) return Status();
  Status s = db_->error(rc);
  sqlite3_reset(st_);
  return s;
}

Status Stmt::run() {
  bool row = false;
  Status s = step(&row);
  if (st_ == nullptr) return s;
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  return s;
}

void Stmt::reset() {
  if (st_ == nullptr) return;
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

std::string_view Stmt::text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), n) : std::string_view();
}

std::string_view Stmt::blob(int col) const {
  const void* p = sqlite3_column_blob(st_, col);
  int n = sqlite3_column_bytes(st_, col);
  return p ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}

Result<int64_t> Db::int64_of(std::string_view sql) const {
  auto st = Stmt::prepare(*this, sql);
  if (!st.ok()) return st.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(st->step(&row));
  return row ? st->int64(0) : int64_t{0};
}

}  // namespace tsd::storage
