// Users and their privileges (exec_meta.h): the catalog's users table,
// as influxd 1.6 keeps and shows them.
#include "core/password.h"
#include "query/exec_meta.h"

namespace tsd::query {
namespace {

using storage::Privilege;

Privilege privilege_of(Tok t) {
  switch (t) {
    case Tok::kRead: return Privilege::kRead;
    case Tok::kWrite: return Privilege::kWrite;
    default: return Privilege::kAll;
  }
}

StatementResult show_users(storage::Catalog& cat) {
  auto users = cat.users();
  if (!users.ok()) return statement_error(users.status().message());
  StatementResult r;
  Series s = make_series("", {"user", "admin"});
  for (const auto& u : *users) s.values.push_back({u.name, u.admin});
  r.series.push_back(std::move(s));
  return r;
}

StatementResult show_grants(storage::Catalog& cat, const std::string& name) {
  auto u = cat.user(name);
  if (!u.ok()) return statement_error(u.status().message());
  if (!*u) return statement_error("user not found");
  StatementResult r;
  Series s = make_series("", {"database", "privilege"});
  for (const auto& [db, p] : (*u)->privileges) {
    s.values.push_back({db, std::string(storage::privilege_name(p))});
  }
  r.series.push_back(std::move(s));
  return r;
}

// REVOKE p ON db: the privilege held with p's bits cleared (REVOKE ALL:
// none), as influxd does.
Status revoke(storage::Catalog& cat, const MetaStatement& m) {
  Privilege left = Privilege::kNone;
  if (m.privilege != Tok::kAll) {
    auto u = cat.user(m.name);
    if (!u.ok()) return u.status();
    if (!*u) return Status::not_found("user not found");
    auto it = (*u)->privileges.find(m.db);
    const int held = it == (*u)->privileges.end() ? 0 : static_cast<int>(it->second);
    left = static_cast<Privilege>(held & ~static_cast<int>(privilege_of(m.privilege)));
  }
  return cat.set_privilege(m.name, m.db, left);
}

}  // namespace

StatementResult execute_users(const Statement& st, const ExecContext& cx) {
  using K = Statement::Kind;
  storage::Catalog& cat = cx.store->catalog();
  const MetaStatement& m = *st.meta;
  switch (st.kind) {
    case K::kShowUsers: return show_users(cat);
    case K::kShowGrants: return show_grants(cat, m.name);
    case K::kCreateUser:
    case K::kSetPassword: {
      if (st.kind == K::kCreateUser) {
        // Checked before the (slow) hash, and again as it is stored.
        if (m.name.empty()) return statement_error("username required");
        auto u = cat.user(m.name);
        if (!u.ok()) return statement_error(u.status().message());
        if (*u) return statement_error("user already exists");
      }
      auto hash = hash_password(m.password);
      if (!hash.ok()) return statement_error(hash.status().message());
      return done(st.kind == K::kCreateUser ? cat.create_user(m.name, *hash, m.admin)
                                            : cat.set_password(m.name, *hash));
    }
    case K::kDropUser: return done(cat.drop_user(m.name));
    case K::kGrant:
      if (m.admin) return done(cat.set_admin(m.name, true));
      return done(cat.set_privilege(m.name, m.db, privilege_of(m.privilege)));
    case K::kRevoke:
      if (m.admin) return done(cat.set_admin(m.name, false));
      return done(revoke(cat, m));
    default: return statement_error("not a statement about users");
  }
}

}  // namespace tsd::query
