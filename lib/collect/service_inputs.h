// The service inputs (memcached, redis, zookeeper, nginx, mysql,
// postgresql, exec): their registry entries, and the pure parsers each one
// uses, exposed for the unit tests (tests/unit/collect_services_test.cc).
//
// Names, tags, fields and field types follow Telegraf's plugins of the same
// name, so dashboards made for Telegraf's data work unchanged. The parsers
// are pure functions; the inputs themselves are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/input.h"

namespace tsd::collect {

// Appends the registry entries of all service inputs (called by the
// registry, lib/collect/registry.cc).
void add_service_inputs(std::vector<InputInfo>* out);

// Registry entries, one per input (lib/collect/service_<name>.cc).
InputInfo memcached_input_info();
InputInfo redis_input_info();
InputInfo zookeeper_input_info();
InputInfo nginx_input_info();
InputInfo mysql_input_info();
InputInfo postgresql_input_info();
InputInfo exec_input_info();

// Adds a point, leaving out tags with empty values (as Telegraf's line
// protocol output does); nothing when there are no fields.
void add_point(Accumulator& acc, std::string measurement, std::vector<Tag> tags,
               std::vector<Field> fields);

// Adds error `s` to *errors (messages joined with "; "), so that one
// gather over several servers reports each failed one.
void add_error(Status* errors, const Status& s);

// Calls one(server) for each server (each one's points go on even when
// another fails) and returns their errors joined.
template <class Servers, class Fn>
Status gather_each(Servers& servers, Fn&& one) {
  Status errors;
  for (auto& s : servers) add_error(&errors, one(s));
  return errors;
}

// The per-connection timeout of a network input: option `timeout`
// (default 5 s, Telegraf's), as a Result naming a bad value.
Result<int64_t> service_timeout(const Options& opts);

// Takes the first line off *text and returns it without its "\n" or
// "\r\n" (all of *text when there is no newline).
std::string_view next_line(std::string_view* text);

// Go's strconv.ParseInt(s, 10, 64) and ParseFloat(s, 64): the whole text
// must be the number (an optional sign; no spaces).
std::optional<int64_t> parse_int64(std::string_view s);
std::optional<double> parse_float64(std::string_view s);

// memcached: the reply to `stats` ("STAT name value" lines, then "END")
// as the fields Telegraf keeps, integers where the value is one.
Status parse_memcached_stats(std::string_view reply, std::vector<Field>* fields);

// redis: the text of INFO ALL, as points redis, redis_keyspace,
// redis_cmdstat, redis_replication, redis_errorstat and
// redis_latency_percentiles_usec with `tags`
// (server and port, or socket) added; `now_s` computes
// rdb_last_save_time_elapsed.
void parse_redis_info(std::string_view info, const std::vector<Tag>& tags, int64_t now_s,
                      Accumulator& acc);

// zookeeper: the reply to `mntr` ("zk_name<TAB>value" lines); the
// server state goes to *state, the rest to fields.
Status parse_zookeeper_mntr(std::string_view reply, std::string* state, std::vector<Field>* fields);

// nginx: the body of stub_status, as fields active accepts handled
// requests reading writing waiting (integers).
Status parse_nginx_stub_status(std::string_view body, std::vector<Field>* fields);

// mysql: Telegraf's value conversion (metric_version 2): YES/ON -> 1,
// NO/OFF -> 0, then integer, float, or the string; nullopt for an empty
// value (the field is left out).
std::optional<Value> mysql_parse_value(std::string_view v);
// The conversions of SHOW GLOBAL STATUS and SHOW GLOBAL VARIABLES values
// by key (lower-cased), with Telegraf's special cases; an error names a
// value the special case cannot read.
Result<std::optional<Value>> mysql_convert_status(std::string_view key, std::string_view v);
Result<std::optional<Value>> mysql_convert_variable(std::string_view key, std::string_view v);

// The thread state group Telegraf counts a processlist row under
// ("idle", "executing", "waiting for lock", ..., "other").
std::string mysql_thread_state(std::string_view command, std::string_view state);

// A MySQL DSN in Go's driver syntax, as Telegraf takes it:
// [user[:password]@][net[(addr)]]/[dbname][?param=value&...], where net
// is tcp (addr host:port, default 127.0.0.1:3306) or unix (addr a path).
struct MysqlDsn {
  std::string user;
  std::string password;
  std::string net = "tcp";
  std::string addr = "127.0.0.1:3306";  // the server tag, as Telegraf gives it
  std::string dbname;
  int64_t timeout_ns = 0;  // ?timeout=5s; 0 when not given
};
Result<MysqlDsn> parse_mysql_dsn(std::string_view dsn);

// postgresql: the server tag Telegraf makes from the address (password
// and ssl* keys removed; a postgres:// URL turned into key=value form).
std::string postgresql_sanitized_address(std::string_view address);

// exec: splits a command line into words like a POSIX shell would split
// it (quotes and backslashes), without expanding anything.
Result<std::vector<std::string>> split_shell_words(std::string_view line);

}  // namespace tsd::collect
