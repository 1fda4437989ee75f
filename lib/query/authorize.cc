#include "query/authorize.h"

#include "query/render.h"

namespace tsd::query {
namespace {

using storage::Privilege;

Requirement admin() { return Requirement{true, "", Privilege::kAll}; }
Requirement on(std::string db, Privilege p) { return Requirement{false, std::move(db), p}; }

void select_needs(const SelectStatement& sel, std::vector<Requirement>* out);

// READ on each measurement's database (a subquery's needs for it).
void sources_need(const std::vector<Source>& sources, std::vector<Requirement>* out) {
  for (const Source& s : sources) {
    if (s.subquery) {
      select_needs(*s.subquery, out);
    } else {
      out->push_back(on(s.db, Privilege::kRead));
    }
  }
}

void select_needs(const SelectStatement& sel, std::vector<Requirement>* out) {
  sources_need(sel.sources, out);
  if (sel.target) out->push_back(on(sel.target->db, Privilege::kWrite));
}

}  // namespace

std::vector<Requirement> required_privileges(const Statement& st) {
  using K = Statement::Kind;
  std::vector<Requirement> out;
  const MetaStatement* m = st.meta.get();
  switch (st.kind) {
    case K::kSelect:
    case K::kExplain: select_needs(*st.select, &out); break;
    case K::kShowDatabases: break;
    case K::kShowMeasurements:
    case K::kShowSeries:
    case K::kShowTagKeys:
    case K::kShowTagValues:
    case K::kShowFieldKeys:
    case K::kShowRetentionPolicies: out.push_back(on(m->db, Privilege::kRead)); break;
    case K::kShowMeasurementCardinality:
    case K::kShowSeriesCardinality:
      if (!m->exact) {
        out.push_back(on(m->db, Privilege::kRead));
      } else {
        sources_need(m->sources, &out);
      }
      break;
    case K::kShowTagKeyCardinality:
    case K::kShowTagValuesCardinality:
    case K::kShowFieldKeyCardinality: sources_need(m->sources, &out); break;
    case K::kShowContinuousQueries:
    case K::kShowQueries: out.push_back(on("", Privilege::kRead)); break;
    case K::kDropRetentionPolicy:
    case K::kDropContinuousQuery: out.push_back(on(m->db, Privilege::kWrite)); break;
    case K::kDelete:
    case K::kDropSeries: out.push_back(on("", Privilege::kWrite)); break;
    case K::kCreateContinuousQuery:
      out.push_back(on(m->db, Privilege::kRead));
      if (st.select && st.select->target && !st.select->target->db.empty()) {
        out.push_back(on(st.select->target->db, Privilege::kWrite));
      }
      break;
    default: out.push_back(admin()); break;  // users, databases, RPs, shards, ...
  }
  return out;
}

Status authorize_query(const std::vector<Statement>& stmts, const storage::User* user,
                       int64_t user_count, std::string_view db) {
  if (user_count == 0) {
    if (!stmts.empty() && stmts[0].kind == Statement::Kind::kCreateUser && stmts[0].meta->admin) {
      return Status();
    }
    return Status::invalid_argument("create admin user first or disable authentication");
  }
  if (user == nullptr) return Status::invalid_argument("no user provided");
  if (user->admin) return Status();
  for (const Statement& st : stmts) {
    for (const Requirement& r : required_privileges(st)) {
      const std::string prefix =
          user->name + " not authorized to execute statement '" + render_statement(st) + "', ";
      if (r.admin) return Status::invalid_argument(prefix + "requires admin privilege");
      const std::string on_db = r.db.empty() ? std::string(db) : r.db;
      if (!user->may(r.privilege, on_db)) {
        return Status::invalid_argument(prefix + "requires " +
                                        std::string(storage::privilege_name(r.privilege)) +
                                        " on " + on_db);
      }
    }
  }
  return Status();
}

}  // namespace tsd::query
