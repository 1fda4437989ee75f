// Users and their privileges in the catalog (catalog.h): tables users and
// grants (man/tsd-data.5). Passwords arrive hashed (core/password.h).
#include "storage/catalog.h"
#include "storage/sqlite.h"

namespace tsd::storage {

std::string_view privilege_name(Privilege p) {
  switch (p) {
    case Privilege::kRead: return "READ";
    case Privilege::kWrite: return "WRITE";
    case Privilege::kAll: return "ALL PRIVILEGES";
    default: return "NO PRIVILEGES";
  }
}

bool User::may(Privilege p, std::string_view db) const {
  if (admin || p == Privilege::kNone) return true;
  auto it = privileges.find(std::string(db));
  return it != privileges.end() && (it->second == p || it->second == Privilege::kAll);
}

namespace {

// Fails with "user not found" when `name` is not a user (in the caller's
// write transaction).
Status require_user(Db& db, std::string_view name) {
  auto st = Stmt::prepare(db, "SELECT 1 FROM users WHERE name = ?");
  if (!st.ok()) return st.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(st->bind(1, name).step(&row));
  return row ? Status() : Status::not_found("user not found");
}

// One UPDATE of the user's row; "user not found" when there is none.
template <typename Bind>
Status update_user(Db& db, const char* sql, std::string_view name, Bind bind) {
  TSD_RETURN_IF_ERROR(db.begin_write());
  TxnGuard txn(&db);
  TSD_RETURN_IF_ERROR(require_user(db, name));
  auto st = Stmt::prepare(db, sql);
  if (!st.ok()) return st.status();
  bind(*st);
  TSD_RETURN_IF_ERROR(st->run());
  return txn.commit();
}

}  // namespace

Result<std::vector<User>> Catalog::users() {
  std::vector<User> out;
  auto st = Stmt::prepare(db_, "SELECT name, hash, admin FROM users ORDER BY seq, name");
  if (!st.ok()) return st.status();
  for (bool row = false;;) {
    TSD_RETURN_IF_ERROR(st->step(&row));
    if (!row) break;
    User u;
    u.name = st->text(0);
    u.hash = st->text(1);
    u.admin = st->int64(2) != 0;
    out.push_back(std::move(u));
  }
  auto g = Stmt::prepare(db_, "SELECT user, db, privilege FROM grants ORDER BY user, db");
  if (!g.ok()) return g.status();
  for (bool row = false;;) {
    TSD_RETURN_IF_ERROR(g->step(&row));
    if (!row) break;
    const std::string name(g->text(0));
    for (User& u : out) {
      if (u.name == name) u.privileges[std::string(g->text(1))] = static_cast<Privilege>(g->int64(2));
    }
  }
  return out;
}

Result<std::optional<User>> Catalog::user(std::string_view name) {
  auto st = Stmt::prepare(db_, "SELECT hash, admin FROM users WHERE name = ?");
  if (!st.ok()) return st.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(st->bind(1, name).step(&row));
  if (!row) return std::optional<User>();
  User u;
  u.name = std::string(name);
  u.hash = st->text(0);
  u.admin = st->int64(1) != 0;
  auto g = Stmt::prepare(db_, "SELECT db, privilege FROM grants WHERE user = ?");
  if (!g.ok()) return g.status();
  g->bind(1, name);
  for (row = false;;) {
    TSD_RETURN_IF_ERROR(g->step(&row));
    if (!row) break;
    u.privileges[std::string(g->text(0))] = static_cast<Privilege>(g->int64(1));
  }
  return std::optional<User>(std::move(u));
}

Result<int64_t> Catalog::user_count() {
  return db_.int64_of("SELECT count(*) FROM users");
}

Result<bool> Catalog::admin_exists() {
  auto st = Stmt::prepare(db_, "SELECT 1 FROM users WHERE admin != 0 LIMIT 1");
  if (!st.ok()) return st.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(st->step(&row));
  return row;
}

Status Catalog::create_user(std::string_view name, std::string_view hash, bool admin) {
  if (name.empty()) return Status::invalid_argument("username required");
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  if (require_user(db_, name).ok()) return Status::conflict("user already exists");
  auto st = Stmt::prepare(db_,
                          "INSERT INTO users(name, hash, admin, seq) "
                          "VALUES(?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM users))");
  if (!st.ok()) return st.status();
  TSD_RETURN_IF_ERROR(st->bind(1, name).bind(2, hash).bind(3, int64_t{admin}).run());
  return txn.commit();
}

Status Catalog::drop_user(std::string_view name) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(require_user(db_, name));
  for (const char* sql : {"DELETE FROM users WHERE name = ?", "DELETE FROM grants WHERE user = ?"}) {
    auto st = Stmt::prepare(db_, sql);
    if (!st.ok()) return st.status();
    TSD_RETURN_IF_ERROR(st->bind(1, name).run());
  }
  return txn.commit();
}

Status Catalog::set_password(std::string_view name, std::string_view hash) {
  return update_user(db_, "UPDATE users SET hash = ? WHERE name = ?", name,
                     [&](Stmt& st) { st.bind(1, hash).bind(2, name); });
}

Status Catalog::set_admin(std::string_view name, bool admin) {
  return update_user(db_, "UPDATE users SET admin = ? WHERE name = ?", name,
                     [&](Stmt& st) { st.bind(1, int64_t{admin}).bind(2, name); });
}

Status Catalog::set_privilege(std::string_view name, std::string_view db, Privilege p) {
  TSD_RETURN_IF_ERROR(db_.begin_write());
  TxnGuard txn(&db_);
  TSD_RETURN_IF_ERROR(require_user(db_, name));
  auto exists = Stmt::prepare(db_, "SELECT 1 FROM databases WHERE name = ?");
  if (!exists.ok()) return exists.status();
  bool row = false;
  TSD_RETURN_IF_ERROR(exists->bind(1, db).step(&row));
  if (!row) return Status::not_found("database not found: " + std::string(db));
  exists->reset();
  auto st = Stmt::prepare(db_, "INSERT OR REPLACE INTO grants(user, db, privilege) VALUES(?, ?, ?)");
  if (!st.ok()) return st.status();
  TSD_RETURN_IF_ERROR(st->bind(1, name).bind(2, db).bind(3, static_cast<int64_t>(p)).run());
  return txn.commit();
}

}  // namespace tsd::storage
