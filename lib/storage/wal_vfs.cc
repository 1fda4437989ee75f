#include "storage/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <string>

namespace tsd::storage {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
// The unix VFS writes at most 128 KiB - 1 a call (it masks the length).
constexpr size_t kWriteBytes = 120 << 10;
constexpr int kFrameHeader = 24;  // a WAL frame's header (the file's own is 32 bytes)

sqlite3_vfs g_vfs;
sqlite3_vfs* g_real = nullptr;
extern const sqlite3_io_methods kMethods;

// Ours first, the real VFS's file after it.
struct File {
  sqlite3_file base;
  bool is_wal = false;
  bool gather = false;  // a database or its WAL (not a journal or a temporary file)
  File* wal = nullptr;  // a database's WAL file, while open
  File* db = nullptr;   // a WAL's database file
  std::string buf;      // pending bytes of file offsets [buf_at, buf_at + size)
  sqlite3_int64 buf_at = 0;
  bool commit_next = false;  // the next write is a commit frame's page

  sqlite3_file* real();
  static File* of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
};

constexpr size_t kRealOffset = (sizeof(File) + 15) & ~size_t{15};
sqlite3_file* File::real() { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + kRealOffset); }

int flush(File* f) {
  if (f->buf.empty()) return SQLITE_OK;
  sqlite3_file* r = f->real();
  int rc = SQLITE_OK;
  for (size_t at = 0; at < f->buf.size() && rc == SQLITE_OK; at += kWriteBytes) {
    const size_t n = std::min(kWriteBytes, f->buf.size() - at);
    rc = r->pMethods->xWrite(r, f->buf.data() + at, static_cast<int>(n),
                             f->buf_at + static_cast<sqlite3_int64>(at));
  }
  f->buf.clear();
  return rc;
}

uint32_t get_be32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
}

int x_close(sqlite3_file* file) {
  File* f = File::of(file);
  int rc = flush(f);
  if (f->db) f->db->wal = nullptr;
  if (f->wal) f->wal->db = nullptr;
  sqlite3_file* r = f->real();
  int rc2 = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
  f->~File();
  return rc != SQLITE_OK ? rc : rc2;
}

// The real file's method M, once the buffer is in the file (its error
// first): what reads, syncs, sizes, truncates or locks sees every write.
template <auto M, class... A>
int after_flush(sqlite3_file* file, A... a) {
  File* f = File::of(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return (f->real()->pMethods->*M)(f->real(), a...);
}

int x_read(sqlite3_file* file, void* out, int n, sqlite3_int64 at) {
  return after_flush<&sqlite3_io_methods::xRead>(file, out, n, at);
}

int x_write(sqlite3_file* file, const void* data, int n, sqlite3_int64 at) {
  File* f = File::of(file);
  sqlite3_file* r = f->real();
  if (!f->gather) return r->pMethods->xWrite(r, data, n, at);
  if (!f->buf.empty() && at != f->buf_at + static_cast<sqlite3_int64>(f->buf.size())) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
  }
  if (f->buf.empty()) f->buf_at = at;  // grows as it is used: small commits keep it small
  f->buf.append(static_cast<const char*>(data), static_cast<size_t>(n));
  // A frame header with a database size (bytes 4-7) is a commit's: once
  // its page is here, everything goes to the file, and a failure is this
  // write's, before SQLite tells other connections of the commit.
  const bool commit = f->commit_next;
  f->commit_next = f->is_wal && n == kFrameHeader && get_be32(static_cast<const char*>(data) + 4) != 0;
  if (commit || f->buf.size() >= kFlushBytes) return flush(f);
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  return after_flush<&sqlite3_io_methods::xTruncate>(file, size);
}
int x_sync(sqlite3_file* file, int flags) { return after_flush<&sqlite3_io_methods::xSync>(file, flags); }
int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return after_flush<&sqlite3_io_methods::xFileSize>(file, size);
}
int x_lock(sqlite3_file* file, int level) { return after_flush<&sqlite3_io_methods::xLock>(file, level); }
int x_unlock(sqlite3_file* file, int level) {
  File* f = File::of(file);
  int rc = flush(f);
  int rc2 = f->real()->pMethods->xUnlock(f->real(), level);
  return rc != SQLITE_OK ? rc : rc2;
}
int x_check_reserved(sqlite3_file* file, int* out) {
  return File::of(file)->real()->pMethods->xCheckReservedLock(File::of(file)->real(), out);
}
int x_file_control(sqlite3_file* file, int op, void* arg) {
  File* f = File::of(file);
  int rc = f->real()->pMethods->xFileControl(f->real(), op, arg);
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK && arg != nullptr) {
    char** name = static_cast<char**>(arg);
    *name = sqlite3_mprintf("tsd/%z", *name);
  }
  return rc;
}
int x_sector_size(sqlite3_file* file) { return File::of(file)->real()->pMethods->xSectorSize(File::of(file)->real()); }
int x_device(sqlite3_file* file) {
  return File::of(file)->real()->pMethods->xDeviceCharacteristics(File::of(file)->real());
}
int x_shm_map(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  return File::of(file)->real()->pMethods->xShmMap(File::of(file)->real(), page, size, extend, out);
}
// What SQLite tells other connections through the WAL index (a commit, a
// checkpoint's progress) follows a barrier or a lock: what it wrote before
// must be in the files by then. The commit frame's write and the
// checkpoint's sync saw to it already; this is the safety net.
int flush_both(File* f) {
  int rc = flush(f);
  int rc2 = f->wal ? flush(f->wal) : SQLITE_OK;
  return rc != SQLITE_OK ? rc : rc2;
}
int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = File::of(file);
  if (int rc = flush_both(f); rc != SQLITE_OK) return rc;
  return f->real()->pMethods->xShmLock(f->real(), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* file) {
  File* f = File::of(file);
  flush_both(f);
  f->real()->pMethods->xShmBarrier(f->real());
}
int x_shm_unmap(sqlite3_file* file, int del) {
  return File::of(file)->real()->pMethods->xShmUnmap(File::of(file)->real(), del);
}
int x_fetch(sqlite3_file* file, sqlite3_int64 at, int n, void** out) {
  return after_flush<&sqlite3_io_methods::xFetch>(file, at, n, out);
}
int x_unfetch(sqlite3_file* file, sqlite3_int64 at, void* p) {
  return File::of(file)->real()->pMethods->xUnfetch(File::of(file)->real(), at, p);
}

const sqlite3_io_methods kMethods = {
    3,          x_close,     x_read,   x_write,        x_truncate,    x_sync,        x_file_size,
    x_lock,     x_unlock,    x_check_reserved,         x_file_control, x_sector_size, x_device,
    x_shm_map,  x_shm_lock,  x_shm_barrier,            x_shm_unmap,   x_fetch,       x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  File* f = new (file) File();
  f->base.pMethods = nullptr;
  sqlite3_file* r = f->real();
  std::memset(r, 0, static_cast<size_t>(g_real->szOsFile));
  int rc = g_real->xOpen(g_real, name, r, flags, out_flags);
  if (rc != SQLITE_OK || r->pMethods == nullptr) {
    if (r->pMethods) r->pMethods->xClose(r);
    f->~File();
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  // Every method ours forwards to must be there (the unix VFS has them all).
  if (r->pMethods->iVersion < 3) {
    r->pMethods->xClose(r);
    f->~File();
    file->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  f->base.pMethods = &kMethods;
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->gather = (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB)) != 0;
  if (f->is_wal && name != nullptr) {
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db != nullptr && db->pMethods == &kMethods) {
      f->db = File::of(db);
      f->db->wal = f;
    }
  }
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync) { return g_real->xDelete(g_real, name, sync); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void x_dl_close(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int x_current_time(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int x_last_error(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int x_current_time64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }

}  // namespace

const char* wal_vfs_name() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    if (g_real == nullptr || g_real->iVersion < 2) return;
    std::memset(&g_vfs, 0, sizeof(g_vfs));
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = "tsd";
    g_vfs.xOpen = x_open;
    g_vfs.xDelete = x_delete;
    g_vfs.xAccess = x_access;
    g_vfs.xFullPathname = x_full_pathname;
    g_vfs.xDlOpen = x_dl_open;
    g_vfs.xDlError = x_dl_error;
    g_vfs.xDlSym = x_dl_sym;
    g_vfs.xDlClose = x_dl_close;
    g_vfs.xRandomness = x_randomness;
    g_vfs.xSleep = x_sleep;
    g_vfs.xCurrentTime = x_current_time;
    g_vfs.xGetLastError = x_last_error;
    g_vfs.xCurrentTimeInt64 = x_current_time64;
    ok = sqlite3_vfs_register(&g_vfs, 0) == SQLITE_OK;
  });
  return ok ? "tsd" : nullptr;
}

}  // namespace tsd::storage
