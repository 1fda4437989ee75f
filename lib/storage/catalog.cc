#include "storage/catalog.h"

#include <filesystem>
#include <system_error>

#include "core/time.h"
#include "storage/paths.h"

namespace tsd::storage {
namespace {

// The catalog's schema version (PRAGMA user_version, set by kSchema).
constexpr int64_t kCatalogVersion = 3;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS databases(
  name TEXT PRIMARY KEY,
  default_rp TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS retention_policies(
  db TEXT NOT NULL,
  name TEXT NOT NULL,
  duration INTEGER NOT NULL,
  shard_duration INTEGER NOT NULL,
  replication INTEGER NOT NULL DEFAULT 1,
  seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(db, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shard_groups(
  id INTEGER PRIMARY KEY,
  db TEXT NOT NULL,
  rp TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  UNIQUE(db, rp, start_time)
);
CREATE TABLE IF NOT EXISTS continuous_queries(
  db TEXT NOT NULL,
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(db, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cq_watermarks(
  db TEXT NOT NULL,
  name TEXT NOT NULL,
  last_end INTEGER NOT NULL,
  PRIMARY KEY(db, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users(
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  admin INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grants(
  user TEXT NOT NULL,
  db TEXT NOT NULL,
  privilege INTEGER NOT NULL,
  PRIMARY KEY(user, db)
) WITHOUT ROWID;
PRAGMA user_version = 3;  -- kCatalogVersion
)sql";

// Version 1 catalogs lack the creation order (seq) that SHOW lists by.
constexpr std::string_view kUpgrade1 = R"sql(
ALTER TABLE databases ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE retention_policies ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE continuous_queries ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
)sql";

// t rounded down to a multiple of d counted from Go's zero time (January
// 1 of year 1), as InfluxDB's time.Truncate places shard groups: 7-day
// groups start on Mondays, not on the epoch's Thursday. Clamped to
// INT64_MIN at the low end of the range.
int64_t floor_to(int64_t t, int64_t d) {
  constexpr __int128 kZeroToEpoch = static_cast<__int128>(62135596800LL) * 1000000000;
  const int64_t phase = static_cast<int64_t>(kZeroToEpoch % d);
  int64_t r = ((t % d) + phase) % d;
  r = (r + d) % d;
  int64_t start;
  if (__builtin_sub_overflow(t, r, &start)) return INT64_MIN;
  return start;
}

// Removes a file or directory of the data directory, if there.
// Shard group ids are never given twice: a long-running process keeps a
// group's Shard by id, and a new group under a dropped one's id (and path)
// would take its writes. Before groups are deleted, the highest id given so
// far is kept in shard_group_ids (made when first needed; a catalog whose
// groups were never dropped has none), and new ids count on from it.
Status keep_group_ids(Db& db) {
  TSD_RETURN_IF_ERROR(db.exec("CREATE TABLE IF NOT EXISTS shard_group_ids(high INTEGER NOT NULL)"));
  TSD_RETURN_IF_ERROR(db.exec(
      "INSERT INTO shard_group_ids(high) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM shard_group_ids)"));
  return db.exec(
      "UPDATE shard_group_ids SET high = max(high, coalesce((SELECT max(id) FROM shard_groups), 0))");
}

// The next shard group id: past every id given, dropped ones too.
Result<int64_t> next_group_id(Db& db) {
  int64_t high = 0;
  for (const char* sql : {"SELECT coalesce(max(id), 0) FROM shard_groups",
                          "SELECT coalesce(max(high), 0) FROM shard_group_ids"}) {
    auto st = Stmt::prepare(db, sql);
    if (!st.ok()) continue;  // no shard_group_ids yet
    bool row = false;
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (row) high = std::max(high, st->int64(0));
  }
  return high + 1;
}

Status remove_tree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return Status::io_error("remove " + path + ": " + ec.message());
  return Status();
}

}  // namespace

int64_t default_shard_group_duration(int64_t rp_duration) {
  if (rp_duration == 0) return kWeek;
  if (rp_duration < 2 * kDay) return kHour;
  if (rp_duration < 180 * kDay) return kDay;
  return kWeek;
}

Result<std::unique_ptr<Catalog>> Catalog::open(const std::string& data_dir, bool create,
                                               bool reader) {
  if (data_dir.empty()) return Status::invalid_argument("no data directory given");
  std::string path = meta_db_path(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) {
      return Status::not_found("no data directory at " + data_dir + " (" + path +
                               " does not exist)");
    }
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return Status::io_error("create " + data_dir + ": " + ec.message());
  }
  std::unique_ptr<Catalog> c(new Catalog());
  c->data_dir_ = data_dir;
  c->reader_ = reader;
  // Small pages keep the catalog small on disk; set before the first table.
  Db::Setup setup;
  setup.create = create;
  setup.init = "PRAGMA page_size=1024";
  setup.read_only_index = reader;
  auto db = Db::open(path, path, setup);
  if (!db.ok()) return db.status();
  c->db_ = std::move(*db);
  Status init = c->init_schema();
  // A catalog of an older version is upgraded by a connection that writes.
  if (!init.ok() && reader) return open(data_dir, create, false);
  TSD_RETURN_IF_ERROR(init);
  return c;
}

Status Catalog::init_schema() {
  {
    // The usual case, a catalog of this version: nothing to write (a
    // write transaction costs two fsyncs on every program start).
    auto version = db_.int64_of("PRAGMA user_version");
    if (!version.ok()) return version.status();
    if (*version == kCatalogVersion) return Status();
  }
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto version = db_.int64_of("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version == 1) TSD_RETURN_IF_ERROR(db_.exec(kUpgrade1));
  TSD_RETURN_IF_ERROR(db_.exec(kSchema));
  return txn.commit();
}

Result<int64_t> Catalog::data_version() {
  auto v = db_.version();
  if (!v.ok()) return v.status();
  return v->others;
}

Status Catalog::create_database(std::string_view name, const RetentionPolicy* rp) {
  if (name.empty()) return Status::invalid_argument("invalid name");
  RetentionPolicy def;
  def.name = kDefaultRetentionPolicy;
  if (rp) def = *rp;
  if (def.shard_duration <= 0) def.shard_duration = default_shard_group_duration(def.duration);
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto ins = Stmt::prepare(db_,
                           "INSERT OR IGNORE INTO databases(name, default_rp, seq) VALUES(?, ?, "
                           "(SELECT coalesce(max(seq), 0) + 1 FROM databases))");
  if (!ins.ok()) return ins.status();
  TSD_RETURN_IF_ERROR(ins->bind(1, name).bind(2, def.name).run());
  if (db_.changes() > 0) {
    auto st = Stmt::prepare(db_,
                            "INSERT OR IGNORE INTO retention_policies(db, name, duration, "
                            "shard_duration, replication) VALUES(?, ?, ?, ?, ?)");
    if (!st.ok()) return st.status();
    TSD_RETURN_IF_ERROR(st->bind(1, name)
                            .bind(2, def.name)
                            .bind(3, def.duration)
                            .bind(4, def.shard_duration)
                            .bind(5, def.replication)
                            .run());
  } else if (rp) {
    // It exists: fine when the RP asked for is its default, as asked.
    auto st = Stmt::prepare(db_,
                            "SELECT 1 FROM databases d JOIN retention_policies r ON r.db = d.name "
                            "AND r.name = d.default_rp WHERE d.name = ? AND r.name = ? AND "
                            "r.duration = ? AND r.shard_duration = ? AND r.replication = ?");
    if (!st.ok()) return st.status();
    st->bind(1, name)
        .bind(2, def.name)
        .bind(3, def.duration)
        .bind(4, def.shard_duration)
        .bind(5, def.replication);
    bool row = false;
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return Status::conflict("retention policy conflicts with an existing policy");
  }
  return txn.commit();
}

Status Catalog::drop_database(std::string_view name) {
  // No database has an empty name, and its directory would be DATA itself.
  if (name.empty()) return Status();
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(keep_group_ids(db_));
  for (const char* sql : {"DELETE FROM databases WHERE name = ?",
                          "DELETE FROM retention_policies WHERE db = ?",
                          "DELETE FROM shard_groups WHERE db = ?",
                          "DELETE FROM continuous_queries WHERE db = ?",
                          "DELETE FROM cq_watermarks WHERE db = ?",
                          // As influxd: the users' privileges on it go too.
                          "DELETE FROM grants WHERE db = ?"}) {
    auto st = Stmt::prepare(db_, sql);
    if (!st.ok()) return st.status();
    TSD_RETURN_IF_ERROR(st->bind(1, name).run());
  }
  TSD_RETURN_IF_ERROR(txn.commit());
  return remove_tree(database_dir(data_dir_, name));
}

Status Catalog::drop_retention_policy(std::string_view db, std::string_view rp) {
  // As drop_database: "" names nothing, and its directory is the database's.
  if (db.empty() || rp.empty()) return Status();
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(keep_group_ids(db_));
  for (const char* sql : {"DELETE FROM retention_policies WHERE db = ? AND name = ?",
                          "DELETE FROM shard_groups WHERE db = ? AND rp = ?"}) {
    auto st = Stmt::prepare(db_, sql);
    if (!st.ok()) return st.status();
    TSD_RETURN_IF_ERROR(st->bind(1, db).bind(2, rp).run());
  }
  TSD_RETURN_IF_ERROR(txn.commit());
  return remove_tree(retention_policy_dir(data_dir_, db, rp));
}

Result<bool> Catalog::drop_shard_group(int64_t id) {
  // Looked up and deleted under the write lock: of two processes dropping
  // the same group (two `tsd-rp enforce`), one deletes it, the other finds
  // none. The file goes after the commit: a reader that has it open reads
  // on, one that looks the group up next finds none.
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto st = Stmt::prepare(db_, "SELECT db, rp FROM shard_groups WHERE id = ?");
  if (!st.ok()) return st.status();
  st->bind(1, id);
  bool row = false;
  TSD_RETURN_IF_ERROR(st->step(&row));
  if (!row) return false;
  ShardGroup g{id, std::string(st->text(0)), std::string(st->text(1)), 0, 0};
  st->reset();
  TSD_RETURN_IF_ERROR(keep_group_ids(db_));
  auto del = Stmt::prepare(db_, "DELETE FROM shard_groups WHERE id = ?");
  if (!del.ok()) return del.status();
  TSD_RETURN_IF_ERROR(del->bind(1, id).run());
  TSD_RETURN_IF_ERROR(txn.commit());
  const std::string path = shard_path(g);
  for (const char* suffix : {"", "-wal", "-shm"}) TSD_RETURN_IF_ERROR(remove_tree(path + suffix));
  return true;
}

Result<std::vector<ContinuousQuery>> Catalog::continuous_queries() {
  auto st = Stmt::prepare(db_,
                          "SELECT c.db, c.name, c.query FROM continuous_queries c JOIN databases d "
                          "ON d.name = c.db ORDER BY d.seq, d.name, c.seq, c.name");
  if (!st.ok()) return st.status();
  std::vector<ContinuousQuery> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return out;
    out.push_back({std::string(st->text(0)), std::string(st->text(1)), std::string(st->text(2))});
  }
}

Status Catalog::create_continuous_query(const ContinuousQuery& cq, int64_t created) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto have = Stmt::prepare(db_, "SELECT query FROM continuous_queries WHERE db = ? AND name = ?");
  if (!have.ok()) return have.status();
  have->bind(1, cq.db).bind(2, cq.name);
  bool row = false;
  TSD_RETURN_IF_ERROR(have->step(&row));
  if (row) {
    if (have->text(0) == cq.query) return Status();
    return Status::conflict("continuous query already exists");
  }
  auto ins = Stmt::prepare(db_,
                           "INSERT INTO continuous_queries(db, name, query, seq) VALUES(?1, ?2, ?3, "
                           "(SELECT coalesce(max(seq), 0) + 1 FROM continuous_queries WHERE db = ?1))");
  if (!ins.ok()) return ins.status();
  TSD_RETURN_IF_ERROR(ins->bind(1, cq.db).bind(2, cq.name).bind(3, cq.query).run());
  auto wm = Stmt::prepare(db_, "INSERT OR REPLACE INTO cq_watermarks(db, name, last_end) VALUES(?, ?, ?)");
  if (!wm.ok()) return wm.status();
  TSD_RETURN_IF_ERROR(wm->bind(1, cq.db).bind(2, cq.name).bind(3, created).run());
  return txn.commit();
}

Result<std::optional<int64_t>> Catalog::cq_watermark(std::string_view db, std::string_view name) {
  auto st = Stmt::prepare(db_, "SELECT last_end FROM cq_watermarks WHERE db = ? AND name = ?");
  if (!st.ok()) return st.status();
  st->bind(1, db).bind(2, name);
  bool row = false;
  TSD_RETURN_IF_ERROR(st->step(&row));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(st->int64(0));
}

Status Catalog::set_cq_watermark(std::string_view db, std::string_view name, int64_t last_run) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto st = Stmt::prepare(db_, "INSERT OR REPLACE INTO cq_watermarks(db, name, last_end) VALUES(?, ?, ?)");
  if (!st.ok()) return st.status();
  TSD_RETURN_IF_ERROR(st->bind(1, db).bind(2, name).bind(3, last_run).run());
  return txn.commit();
}

Status Catalog::drop_continuous_query(std::string_view db, std::string_view name) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  for (const char* sql : {"DELETE FROM continuous_queries WHERE db = ? AND name = ?",
                          "DELETE FROM cq_watermarks WHERE db = ? AND name = ?"}) {
    auto st = Stmt::prepare(db_, sql);
    if (!st.ok()) return st.status();
    TSD_RETURN_IF_ERROR(st->bind(1, db).bind(2, name).run());
  }
  // Its --recompute-late marks, when that table was ever made.
  if (auto m = Stmt::prepare(db_, "DELETE FROM cq_marks WHERE db = ? AND name = ?"); m.ok()) {
    TSD_RETURN_IF_ERROR(m->bind(1, db).bind(2, name).run());
  }
  return txn.commit();
}

void Catalog::begin_hold() {
  held_checked_ = false;
  // Without it each statement reads in a transaction of its own.
  if (reader_) reading_ = db_.begin_read().ok();
}

void Catalog::end_hold() {
  if (reading_) db_.rollback();
  reading_ = false;
}

Result<bool> Catalog::check_version() {
  // Under a Hold other connections' commits were looked for once; this
  // connection's own changes still count.
  if (holds_ > 0 && held_checked_ && (reading_ || sqlite3_get_autocommit(db_.get())) &&
      db_.total_changes() == version_.ours) {
    return true;
  }
  bool changed = false;
  auto cache = db_.check_cache(&version_, reading_, &changed);
  if (!cache.ok()) return cache.status();
  held_checked_ = *cache && holds_ > 0;
  if (changed) {
    databases_.reset();
    default_rps_.clear();
    rps_.clear();
    groups_.clear();
  }
  return *cache;
}

Result<std::vector<std::string>> Catalog::databases() {
  auto cache = check_version();
  if (!cache.ok()) return cache.status();
  if (!databases_) {
    auto got = read_databases();
    if (!got.ok() || !*cache) return got;
    databases_ = std::move(*got);
  }
  return *databases_;
}

Result<std::vector<std::string>> Catalog::read_databases() {
  auto st = Stmt::prepare(db_, "SELECT name FROM databases ORDER BY seq, name");
  if (!st.ok()) return st.status();
  return st->column_texts();
}

template <class T, class Read>
Result<T> Catalog::cached(std::map<std::string, T, std::less<>>* cache, std::string_view key, Read read) {
  auto use = check_version();
  if (!use.ok()) return use.status();
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  Result<T> got = read();
  if (got.ok() && *use) cache->emplace(std::string(key), *got);
  return got;
}

Result<std::string> Catalog::default_retention_policy(std::string_view db) {
  return cached(&default_rps_, db, [&] { return read_default_retention_policy(db); });
}

Result<std::vector<RetentionPolicy>> Catalog::retention_policies(std::string_view db) {
  return cached(&rps_, db, [&] { return read_retention_policies(db); });
}

Result<std::string> Catalog::read_default_retention_policy(std::string_view db) {
  auto st = Stmt::prepare(db_, "SELECT default_rp FROM databases WHERE name = ?");
  if (!st.ok()) return st.status();
  st->bind(1, db);
  bool row = false;
  TSD_RETURN_IF_ERROR(st->step(&row));
  if (!row) return Status::not_found("database not found: " + std::string(db));
  return std::string(st->text(0));
}

Result<std::vector<RetentionPolicy>> Catalog::read_retention_policies(std::string_view db) {
  auto def = default_retention_policy(db);
  if (!def.ok()) return def.status();
  auto st = Stmt::prepare(db_,
                          "SELECT name, duration, shard_duration, replication FROM "
                          "retention_policies WHERE db = ? ORDER BY seq, name");
  if (!st.ok()) return st.status();
  st->bind(1, db);
  std::vector<RetentionPolicy> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) break;
    RetentionPolicy rp;
    rp.name = std::string(st->text(0));
    rp.duration = st->int64(1);
    rp.shard_duration = st->int64(2);
    rp.replication = st->int64(3);
    rp.is_default = rp.name == *def;
    out.push_back(std::move(rp));
  }
  return out;
}

Result<RetentionPolicy> Catalog::retention_policy(std::string_view db, std::string_view rp) {
  auto all = retention_policies(db);
  if (!all.ok()) return all.status();
  for (auto& r : *all) {
    if (r.name == rp) return r;
  }
  return Status::not_found("retention policy not found: " + std::string(rp));
}

Status Catalog::put_retention_policy(std::string_view db, RetentionPolicy rp,
                                     bool make_default) {
  if (rp.name.empty()) return Status::invalid_argument("retention policy name required");
  if (rp.shard_duration <= 0) rp.shard_duration = default_shard_group_duration(rp.duration);
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  {
    auto st = Stmt::prepare(db_, "SELECT 1 FROM databases WHERE name = ?");
    if (!st.ok()) return st.status();
    st->bind(1, db);
    bool row = false;
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return Status::not_found("database not found: " + std::string(db));
  }
  // A new RP comes last in the database's order; a changed one keeps its place.
  auto st = Stmt::prepare(db_,
                          "INSERT INTO retention_policies(db, name, duration, shard_duration, "
                          "replication, seq) VALUES(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(seq), "
                          "0) + 1 FROM retention_policies WHERE db = ?1)) ON CONFLICT(db, name) DO "
                          "UPDATE SET duration = ?3, shard_duration = ?4, replication = ?5");
  if (!st.ok()) return st.status();
  TSD_RETURN_IF_ERROR(st->bind(1, db)
                          .bind(2, rp.name)
                          .bind(3, rp.duration)
                          .bind(4, rp.shard_duration)
                          .bind(5, rp.replication)
                          .run());
  if (make_default) {
    auto d = Stmt::prepare(db_, "UPDATE databases SET default_rp = ? WHERE name = ?");
    if (!d.ok()) return d.status();
    TSD_RETURN_IF_ERROR(d->bind(1, rp.name).bind(2, db).run());
  }
  return txn.commit();
}

Result<std::vector<ShardGroup>> Catalog::query_groups(std::string_view sql, std::string_view db,
                                                      std::string_view rp, int64_t a,
                                                      int64_t b) {
  auto st = Stmt::prepare(db_, sql);
  if (!st.ok()) return st.status();
  st->bind(1, db).bind(2, rp).bind(3, a).bind(4, b);
  std::vector<ShardGroup> out;
  bool row = false;
  while (true) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) break;
    out.push_back({st->int64(0), std::string(db), std::string(rp), st->int64(1), st->int64(2)});
  }
  return out;
}

Result<ShardGroup> Catalog::shard_group_for(std::string_view db, std::string_view rp, int64_t t) {
  constexpr std::string_view kCovering =
      "SELECT id, start_time, end_time FROM shard_groups WHERE db = ? AND rp = ? AND "
      "start_time <= ? AND end_time > ? ORDER BY start_time DESC LIMIT 1";
  auto found = query_groups(kCovering, db, rp, t, t);
  if (!found.ok()) return found.status();
  if (!found->empty()) return found->front();

  auto policy = retention_policy(db, rp);
  if (!policy.ok()) return policy.status();
  int64_t d = policy->shard_duration > 0 ? policy->shard_duration
                                         : default_shard_group_duration(policy->duration);
  int64_t start = floor_to(t, d);
  int64_t end;
  if (__builtin_add_overflow(start, d, &end)) end = INT64_MAX;

  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  // Another process may have made it meanwhile: look again under the lock.
  found = query_groups(kCovering, db, rp, t, t);
  if (!found.ok()) return found.status();
  if (!found->empty()) {
    ShardGroup g = found->front();
    TSD_RETURN_IF_ERROR(txn.commit());
    return g;
  }
  // Never overlap a neighbour made with another shard duration.
  auto near = query_groups(
      "SELECT id, start_time, end_time FROM shard_groups WHERE db = ? AND rp = ? AND "
      "end_time > ? AND start_time < ? ORDER BY start_time",
      db, rp, start, end);
  if (!near.ok()) return near.status();
  for (const auto& g : *near) {
    if (g.end <= t) start = std::max(start, g.end);
    if (g.start > t) end = std::min(end, g.start);
  }
  auto id = next_group_id(db_);
  if (!id.ok()) return id.status();
  auto ins = Stmt::prepare(
      db_, "INSERT INTO shard_groups(id, db, rp, start_time, end_time) VALUES(?, ?, ?, ?, ?)");
  if (!ins.ok()) return ins.status();
  TSD_RETURN_IF_ERROR(ins->bind(1, *id).bind(2, db).bind(3, rp).bind(4, start).bind(5, end).run());
  ShardGroup g{*id, std::string(db), std::string(rp), start, end};
  TSD_RETURN_IF_ERROR(txn.commit());
  return g;
}

Result<std::vector<ShardGroup>> Catalog::shard_groups(std::string_view db, std::string_view rp,
                                                      int64_t start, int64_t end) {
  static constexpr std::string_view kSql =
      "SELECT id, start_time, end_time FROM shard_groups WHERE db = ? AND rp = ? AND "
      "end_time > ? AND start_time <= ? ORDER BY start_time";
  auto cache = check_version();
  if (!cache.ok()) return cache.status();
  if (!*cache) return query_groups(kSql, db, rp, start, end);
  auto key = std::make_pair(std::string(db), std::string(rp));
  auto it = groups_.find(key);
  if (it == groups_.end()) {
    auto all = query_groups(kSql, db, rp, INT64_MIN, INT64_MAX);
    if (!all.ok()) return all.status();
    it = groups_.emplace(std::move(key), std::move(*all)).first;
  }
  std::vector<ShardGroup> out;
  for (const ShardGroup& g : it->second) {
    if (g.end > start && g.start <= end) out.push_back(g);
  }
  return out;
}

std::string Catalog::shard_path(const ShardGroup& g) const {
  return storage::shard_path(data_dir_, g.db, g.rp, g.id);
}

}  // namespace tsd::storage
