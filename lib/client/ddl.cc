// client::run_ddl: the statements of an export's "# DDL" section.
#include "client/client.h"
#include "query/parser.h"
#include "query/render.h"

namespace tsd::client {

Status run_ddl(Client* client, std::string_view statement) {
  query::Parser parser(statement);
  auto parsed = parser.parse_query();
  if (!parsed.ok()) {
    return Status::invalid_argument("error parsing query: " + parsed.status().message());
  }
  if (parsed->size() != 1) return Status::invalid_argument("one statement a line");
  const query::Statement& st = (*parsed)[0];
  if (st.kind != query::Statement::Kind::kCreateDatabase &&
      st.kind != query::Statement::Kind::kCreateRetentionPolicy) {
    return Status::invalid_argument(
        "only CREATE DATABASE and CREATE RETENTION POLICY are run from a # DDL section");
  }
  query::Results r = client->query(statement, {});
  std::string e = r.first_error();
  // influx_inspect 1.x writes "CREATE DATABASE db WITH NAME rp" for every
  // RP of a database, without settings: past the first (which makes the
  // database with it as the default) such an RP is made as the newer
  // influx_inspect writes it: infinite, not the default.
  const query::MetaStatement& m = *st.meta;
  if (e == "retention policy conflicts with an existing policy" &&
      st.kind == query::Statement::Kind::kCreateDatabase && !m.rp_name.empty() &&
      m.duration < 0 && m.replication < 0 && m.shard_duration < 0) {
    r = client->query("CREATE RETENTION POLICY " + query::quote_ident({m.rp_name}) + " ON " +
                          query::quote_ident({m.name}) + " DURATION 0s REPLICATION 1",
                      {});
    e = r.first_error();
    if (e == "retention policy already exists") e.clear();  // with other settings: it is there
  }
  if (!e.empty()) return Status::invalid_argument(e);
  return Status();
}

}  // namespace tsd::client
