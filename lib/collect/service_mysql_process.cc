// mysql: gather_process_list -> mysql_process_list (threads_<state>
// counts in Telegraf's state groups) and mysql_users (connections per user).
#include <algorithm>
#include <cctype>
#include <map>

#include "collect/service_inputs.h"
#include "collect/service_sql.h"

namespace tsd::collect {
namespace {

// The thread states Telegraf counts (each one a field, zero when unseen).
constexpr std::string_view kStates[] = {"after create",
                                        "altering table",
                                        "analyzing",
                                        "checking permissions",
                                        "checking table",
                                        "cleaning up",
                                        "closing tables",
                                        "converting heap to myisam",
                                        "copying to tmp table",
                                        "creating sort index",
                                        "creating table",
                                        "creating tmp table",
                                        "deleting",
                                        "executing",
                                        "execution of init_command",
                                        "end",
                                        "freeing items",
                                        "flushing tables",
                                        "fulltext initialization",
                                        "idle",
                                        "init",
                                        "killed",
                                        "waiting for lock",
                                        "logging slow query",
                                        "login",
                                        "manage keys",
                                        "opening tables",
                                        "optimizing",
                                        "preparing",
                                        "reading from net",
                                        "removing duplicates",
                                        "removing tmp table",
                                        "reopen tables",
                                        "repair by sorting",
                                        "repair done",
                                        "repair with keycache",
                                        "replication master",
                                        "rolling back",
                                        "searching rows for update",
                                        "sending data",
                                        "sorting for group",
                                        "sorting for order",
                                        "sorting index",
                                        "sorting result",
                                        "statistics",
                                        "updating",
                                        "waiting for tables",
                                        "waiting for table flush",
                                        "waiting on cond",
                                        "writing to net",
                                        "other"};

// Plain states Telegraf files under one of the above.
constexpr std::pair<std::string_view, std::string_view> kStateMap[] = {
    {"user sleep", "idle"},
    {"creating index", "altering table"},
    {"committing alter table to storage engine", "altering table"},
    {"discard or import tablespace", "altering table"},
    {"rename", "altering table"},
    {"setup", "altering table"},
    {"renaming result table", "altering table"},
    {"preparing for alter table", "altering table"},
    {"copying to group table", "copying to tmp table"},
    {"copy to tmp table", "copying to tmp table"},
    {"query end", "end"},
    {"update", "updating"},
    {"updating main table", "updating"},
    {"updating reference tables", "updating"},
    {"system lock", "waiting for lock"},
    {"user lock", "waiting for lock"},
    {"table lock", "waiting for lock"},
    {"deleting from main table", "deleting"},
    {"deleting from reference tables", "deleting"}};

std::string normalized(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string mysql_thread_state(std::string_view command, std::string_view state) {
  std::string cmd = normalized(command);
  std::string st = normalized(state);
  if (std::find(std::begin(kStates), std::end(kStates), st) != std::end(kStates)) return st;
  for (auto [from, to] : kStateMap) {
    if (st == from) return std::string(to);
  }
  if (st.find("waiting for") != std::string::npos && st.find("lock") != std::string::npos) {
    return "waiting for lock";
  }
  if (cmd == "sleep" && st.empty()) return "idle";
  if (cmd == "query") return "executing";
  if (cmd == "binlog dump") return "replication master";
  return "other";
}

Status gather_mysql_process_list(MysqlConn& conn, const std::vector<Tag>& tags, Accumulator& acc) {
  Result<SqlRows> rows = conn.query(
      "SELECT COALESCE(command,''), COALESCE(state,''), count(*) "
      "FROM information_schema.processlist WHERE ID != connection_id() "
      "GROUP BY command, state ORDER BY null");
  if (!rows.ok()) return rows.status();
  std::map<std::string, int64_t> counts;
  for (std::string_view s : kStates) counts[std::string(s)] = 0;
  for (const auto& r : rows->rows) {
    if (r.size() < 3 || !r[0] || !r[1] || !r[2]) continue;
    counts[mysql_thread_state(*r[0], *r[1])] += parse_int64(*r[2]).value_or(0);
  }
  std::vector<Field> fields;
  for (const auto& [state, n] : counts) {
    std::string key = "threads_" + state;
    std::replace(key.begin(), key.end(), ' ', '_');
    fields.push_back({std::move(key), n});
  }
  add_point(acc, "mysql_process_list", tags, std::move(fields));

  Result<SqlRows> users = conn.query(
      "SELECT user, sum(1) AS connections FROM INFORMATION_SCHEMA.PROCESSLIST GROUP BY user");
  if (!users.ok()) return users.status();
  for (const auto& r : users->rows) {
    if (r.size() < 2 || !r[0] || !r[1]) continue;
    std::vector<Tag> t = tags;
    t.push_back({"user", *r[0]});
    add_point(acc, "mysql_users", std::move(t), {{"connections", parse_int64(*r[1]).value_or(0)}});
  }
  return Status();
}

}  // namespace tsd::collect
