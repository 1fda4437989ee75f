// Authorization of statements when authentication is on (tsd-serve with
// users): what each statement requires of its user, and the check of a
// whole query before any of it runs, as influxd 1.x's QueryAuthorizer
// does it and words it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "storage/catalog.h"

namespace tsd::query {

// What Results::error starts with when a query is refused so (tsd-serve
// answers it with 403).
inline constexpr std::string_view kAuthorizeError = "error authorizing query: ";

// One privilege a statement needs: admin, or `privilege` on `db` (""
// for the query's default database).
struct Requirement {
  bool admin = false;
  std::string db;
  storage::Privilege privilege = storage::Privilege::kNone;
};
// InfluxQL's RequiredPrivileges of the statement.
std::vector<Requirement> required_privileges(const Statement& st);

// Whether `user` may run every statement of the query (default database
// `db`); the failure's message, which the caller prefixes with "error
// authorizing query: ":
//   no users yet: "create admin user first or disable authentication",
//     unless the first statement creates an admin;
//   "<user> not authorized to execute statement '<st>', requires admin
//     privilege" / "requires READ on <db>".
// `user` null with users present: "no user provided".
Status authorize_query(const std::vector<Statement>& stmts, const storage::User* user,
                       int64_t user_count, std::string_view db);

}  // namespace tsd::query
