// Shard: opening a file, its schema and prepared statements.
#include <atomic>
#include <filesystem>
#include <system_error>

#include "storage/shard.h"

namespace tsd::storage {
namespace {

// Set before the first table exists. The page size is measured on the
// bench data (du of the directory): 2048 beats 1024 (integer blocks of a
// few KB waste less at the end of their overflow chains, and half the
// page writes) and 4096 (half a page lost per block is then too much).
// Incremental auto-vacuum lets compaction hand freed pages back.
constexpr std::string_view kNewFile = R"sql(
PRAGMA page_size = 2048;  -- Shard::kPageBytes
PRAGMA auto_vacuum = INCREMENTAL;
)sql";

// For writers, before their first transaction. A page cache of ~4 MB
// whatever the file size keeps RSS flat; a transaction larger than that
// (a bulk load's batch) keeps its pages until 32 MB: spilled to the WAL
// earlier, the pages SQLite changes again are written again, and every
// frame after the first of them is read back and rewritten at the commit
// (a bulk load of floats read 26,000 frames back). Checkpoint every ~2 MB of WAL
// (1024 pages of 2 KiB, kCheckpointFrames: a Writer asks its Checkpointer
// instead) and cut the WAL back to 4 MB once a checkpoint has reset it: a
// long-running writer leaves a small WAL, not its high-water mark.
constexpr std::string_view kWriting = R"sql(
PRAGMA cache_size = -4096;
PRAGMA cache_spill = 16384;
PRAGMA wal_autocheckpoint = 1024;
PRAGMA journal_size_limit = 4194304;
)sql";

constexpr std::string_view kMapped = "PRAGMA mmap_size = 1073741824";

// Shard::read_without_mapping: a one-shot query's process.
std::atomic<bool> g_unmapped_reads{false};

// Version 4: blocks_by_column leaves head rows out (WHERE field != 0).
// A server or a live pipe writes a head row per series a flush; indexed
// there too, each landed in another leaf page of the index, a commit of
// 100 series' rows wrote 177 pages for 37 of data (HTTP /write: 9 % of
// its time). Queries that read both kinds ask each by its index.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS series(
  id INTEGER PRIMARY KEY,
  measurement TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS series_by_measurement ON series(measurement);
CREATE TABLE IF NOT EXISTS tags(
  measurement TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  series INTEGER NOT NULL,
  PRIMARY KEY(measurement, key, value, series)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fields(
  measurement TEXT NOT NULL,
  name TEXT NOT NULL,
  type INTEGER NOT NULL,
  id INTEGER NOT NULL UNIQUE,
  PRIMARY KEY(measurement, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  series INTEGER NOT NULL,
  field INTEGER NOT NULL,
  min_time INTEGER NOT NULL,
  max_time INTEGER NOT NULL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_by_column
  ON blocks(series, field, min_time, id, max_time, count, bytes) WHERE field != 0;
CREATE INDEX IF NOT EXISTS head_rows ON blocks(series) WHERE field = 0;
PRAGMA user_version = 4;
)sql";

// A column's block headers, in time order. Since version 3 the index
// blocks_by_column holds whole headers (the block's size is a column):
// reading them touches the index's few pages, not one table page per
// block (a count from headers over 100 series: 8.0 -> 6.9 ms). Files of
// version 2 and older read the table's rows and measure the BLOB.
// "field = ?+0", not "field = ?": compared with the partial index
// head_rows (WHERE field = 0), a bare parameter makes SQLite plan on its
// bound value and prepare the statement again at each new field (three
// quarters of a query over many columns); the same index serves either way.
// "field != 0" as written in the index of version 4, so that SQLite may use
// that partial index (on older files the whole index serves it the same).
constexpr std::string_view kSelBlocks =
    "SELECT id, min_time, max_time, count, bytes FROM blocks WHERE series = ? AND field = ?+0 "
    "AND field != 0 AND min_time <= ? AND max_time >= ? ORDER BY min_time, id";
constexpr std::string_view kSelBlocksV2 =
    "SELECT id, min_time, max_time, count, length(data) FROM blocks WHERE series = ? "
    "AND field = ?+0 AND min_time <= ? AND max_time >= ? ORDER BY min_time, id";
constexpr std::string_view kInsBlock =
    "INSERT INTO blocks(series, field, min_time, max_time, count, data, bytes) "
    "VALUES(?, ?, ?, ?, ?, ?, length(?6))";
constexpr std::string_view kInsBlockV2 =
    "INSERT INTO blocks(series, field, min_time, max_time, count, data) VALUES(?, ?, ?, ?, ?, ?)";

// A failure to open a file that is no longer there: its shard group was
// dropped meanwhile (retention, DROP). SQLite fails with an I/O error on
// the first read of a file unlinked after it was opened.
Status vanished_or(const std::string& path, const std::string& name, Status s) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    return Status::not_found(name + ": no such file (dropped while opening)");
  }
  return s;
}

}  // namespace

void Shard::read_without_mapping(bool on) { g_unmapped_reads = on; }

Result<std::unique_ptr<Shard>> Shard::open(const std::string& path, std::string name,
                                           bool create, bool reader, bool read_only) {
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) return Status::io_error("create directory for " + name + ": " + ec.message());
  }
  std::unique_ptr<Shard> s(new Shard());
  Db::Setup setup{.create = create,
                  .init = create ? kNewFile : std::string_view(),
                  .always = reader && !g_unmapped_reads ? kMapped : std::string_view(),
                  .for_write = kWriting,
                  .keep_wal = reader,
                  .read_only_index = read_only};
  auto db = Db::open(path, name, setup);
  if (!db.ok()) return vanished_or(path, name, db.status());
  s->db_ = std::move(*db);
  Status init = s->init_schema(create);
  if (!init.ok()) return vanished_or(path, name, init);
  return s;
}

Status Shard::init_schema(bool create) {
  if (create) {
    TSD_RETURN_IF_ERROR(db_.begin_write());
    TxnGuard txn(&db_);
    TSD_RETURN_IF_ERROR(db_.exec(kSchema));
    TSD_RETURN_IF_ERROR(txn.commit());
  } else {
    // A writer creates the file, then its tables: a reader in between
    // finds an empty database, a shard with nothing in it yet.
    if (db_.schema_objects() == 0) return Status::not_found(name() + ": empty shard");
  }
  struct {
    Stmt* st;
    std::string_view sql;
  } stmts[] = {
      {&ins_series_, "INSERT OR IGNORE INTO series(measurement, key) VALUES(?, ?)"},
      {&sel_series_, "SELECT id FROM series WHERE key = ?"},
      {&ins_tag_, "INSERT OR IGNORE INTO tags(measurement, key, value, series) VALUES(?,?,?,?)"},
      {&sel_field_, "SELECT type, id FROM fields WHERE measurement = ? AND name = ?"},
      {&ins_field_, "INSERT INTO fields(measurement, name, type, id) VALUES(?, ?, ?, ?)"},
      {&max_field_, "SELECT coalesce(max(id), 0) FROM fields"},
      {&ins_block_, kInsBlock},
      {&sel_blocks_, kSelBlocks},
      {&sel_blob_, "SELECT data FROM blocks WHERE id = ?"},
      {&del_block_, "DELETE FROM blocks WHERE id = ?"},
      {&sel_head_ids_, "SELECT id FROM blocks WHERE series = ? AND field = 0 ORDER BY id"},
      {&sel_head_rows_,
       "SELECT id, data FROM blocks WHERE series = ? AND field = 0 ORDER BY id"},
      {&sel_head_after_,
       "SELECT id, data FROM blocks WHERE series = ? AND field = 0 AND id > ? ORDER BY id"},
      {&sel_head_row_, "SELECT 1 FROM blocks WHERE id = ? AND series = ? AND field = 0"},
      {&del_head_, "DELETE FROM blocks WHERE series = ? AND field = 0 AND id <= ?"},
  };
  // One prepared now: a file without our tables (not a shard, or damaged)
  // says so here, and a file of version 2 or older (no bytes column) is
  // told from a new one; the others are prepared when first used.
  auto check = Stmt::prepare(db_, kSelBlocks);
  if (!check.ok()) {
    check = Stmt::prepare(db_, kSelBlocksV2);
    if (!check.ok()) {
      return Status::corruption(check.status().message() + " (not a tsd shard file?)");
    }
    stmts[6].sql = kInsBlockV2;
  }
  for (auto& s : stmts) *s.st = Stmt::lazy(db_, s.sql);
  *stmts[7].st = std::move(*check);
  return Status();
}

Status Shard::block_error(const BlockHeader& h, const Status& s) const {
  return s.with_context(name() + ": block " + std::to_string(h.id) + " (series " +
                        std::to_string(h.series) + ", field " + std::to_string(h.field) + ")");
}

}  // namespace tsd::storage
