// Shard::changes_since (shard.h): what was stored after a block row.
#include "storage/shard.h"

namespace tsd::storage {

Result<Shard::Changes> Shard::changes_since(std::string_view measurement, int64_t after) {
  Changes out;
  auto last = Stmt::prepare(db_, "SELECT coalesce(max(id), 0) FROM blocks");
  if (!last.ok()) return last.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(last->step(&row));
  if (row) out.last_id = last->int64(0);
  if (out.last_id <= after) return out;
  auto st = Stmt::prepare(db_,
                          "SELECT min(b.min_time), max(b.max_time) FROM blocks b JOIN series s ON s.id = b.series "
                          "WHERE b.id > ? AND s.measurement = ?");
  if (!st.ok()) return st.status();
  st->bind(1, after).bind(2, measurement);
  TSD_RETURN_IF_ERROR(st->step(&row));
  if (row && !st->is_null(0)) {
    out.min_time = st->int64(0);
    out.max_time = st->int64(1);
  }
  return out;
}

}  // namespace tsd::storage
