// tsd-cq --recompute-late's marks in the catalog (catalog.h). Their table
// is made the first time marks are kept: a catalog without it has none.
#include "storage/catalog.h"
#include "storage/sqlite.h"

namespace tsd::storage {

Result<std::map<int64_t, int64_t>> Catalog::cq_marks(std::string_view db, std::string_view name) {
  std::map<int64_t, int64_t> out;
  auto st = Stmt::prepare(db_, "SELECT shard, last_id FROM cq_marks WHERE db = ? AND name = ?");
  if (!st.ok()) return out;  // no table yet: no marks
  st->bind(1, db).bind(2, name);
  for (bool row = false;;) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return out;
    out[st->int64(0)] = st->int64(1);
  }
}

Status Catalog::set_cq_marks(std::string_view db, std::string_view name,
                             const std::map<int64_t, int64_t>& marks) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(db_.exec(
      "CREATE TABLE IF NOT EXISTS cq_marks(db TEXT NOT NULL, name TEXT NOT NULL, "
      "shard INTEGER NOT NULL, last_id INTEGER NOT NULL, PRIMARY KEY(db, name, shard)) "
      "WITHOUT ROWID"));
  auto del = Stmt::prepare(db_, "DELETE FROM cq_marks WHERE db = ? AND name = ?");
  if (!del.ok()) return del.status();
  TSD_RETURN_IF_ERROR(del->bind(1, db).bind(2, name).run());
  auto ins = Stmt::prepare(db_, "INSERT INTO cq_marks(db, name, shard, last_id) VALUES(?, ?, ?, ?)");
  if (!ins.ok()) return ins.status();
  for (const auto& [shard, id] : marks) {
    TSD_RETURN_IF_ERROR(ins->bind(1, db).bind(2, name).bind(3, shard).bind(4, id).run());
  }
  return txn.commit();
}

namespace {

constexpr const char* kServerCqs =
    "CREATE TABLE IF NOT EXISTS server_cqs(server TEXT NOT NULL, db TEXT NOT NULL, "
    "name TEXT NOT NULL, query TEXT NOT NULL, last_run INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "PRIMARY KEY(server, db, name)) WITHOUT ROWID";

}  // namespace

Result<std::vector<ContinuousQuery>> Catalog::server_cqs(std::string_view server) {
  std::vector<ContinuousQuery> out;
  auto st = Stmt::prepare(db_, "SELECT db, name, query FROM server_cqs WHERE server = ? ORDER BY seq");
  if (!st.ok()) return out;  // no table yet: none
  st->bind(1, server);
  for (bool row = false;;) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) return out;
    out.push_back({std::string(st->text(0)), std::string(st->text(1)), std::string(st->text(2))});
  }
}

Status Catalog::add_server_cq(std::string_view server, const ContinuousQuery& cq, int64_t created) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(db_.exec(kServerCqs));
  auto have = Stmt::prepare(db_, "SELECT query FROM server_cqs WHERE server = ? AND db = ? AND name = ?");
  if (!have.ok()) return have.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(have->bind(1, server).bind(2, cq.db).bind(3, cq.name).step(&row));
  if (row) return have->text(0) == cq.query ? Status() : Status::conflict("continuous query already exists");
  auto ins = Stmt::prepare(db_,
                           "INSERT INTO server_cqs(server, db, name, query, last_run, seq) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(seq), 0) + 1 FROM server_cqs))");
  if (!ins.ok()) return ins.status();
  TSD_RETURN_IF_ERROR(
      ins->bind(1, server).bind(2, cq.db).bind(3, cq.name).bind(4, cq.query).bind(5, created).run());
  return txn.commit();
}

Status Catalog::drop_server_cq(std::string_view server, std::string_view db, std::string_view name) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(db_.exec(kServerCqs));
  auto del = Stmt::prepare(db_, "DELETE FROM server_cqs WHERE server = ? AND db = ? AND name = ?");
  if (!del.ok()) return del.status();
  TSD_RETURN_IF_ERROR(del->bind(1, server).bind(2, db).bind(3, name).run());
  if (sqlite3_changes(db_.get()) == 0) return Status::not_found("continuous query not found");
  return txn.commit();
}

Result<std::optional<int64_t>> Catalog::server_cq_watermark(std::string_view server,
                                                            std::string_view db,
                                                            std::string_view name) {
  auto st = Stmt::prepare(db_, "SELECT last_run FROM server_cqs WHERE server = ? AND db = ? AND name = ?");
  if (!st.ok()) return std::optional<int64_t>();
  bool row = false;
  TSD_RETURN_IF_ERROR(st->bind(1, server).bind(2, db).bind(3, name).step(&row));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(st->int64(0));
}

Status Catalog::set_server_cq_watermark(std::string_view server, std::string_view db,
                                        std::string_view name, int64_t last_run) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  auto st = Stmt::prepare(db_, "UPDATE server_cqs SET last_run = ? WHERE server = ? AND db = ? AND name = ?");
  if (!st.ok()) return st.status();
  TSD_RETURN_IF_ERROR(st->bind(1, last_run).bind(2, server).bind(3, db).bind(4, name).run());
  return txn.commit();
}

}  // namespace tsd::storage
