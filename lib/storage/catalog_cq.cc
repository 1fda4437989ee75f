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

}  // namespace tsd::storage
