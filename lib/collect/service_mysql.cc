// mysql: SHOW GLOBAL STATUS -> mysql, SHOW GLOBAL VARIABLES ->
// mysql_variables, SHOW SLAVE STATUS -> mysql (slave_*),
// information_schema.INNODB_METRICS -> mysql_innodb; Telegraf's
// metric_version 2 names and conversions, tag server.
#include <algorithm>
#include <cctype>

#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/service_sql.h"
#include "core/strings.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT
#include "core/time.h"

namespace tsd::collect {
namespace {

constexpr std::string_view kSample = R"(# Read metrics from one or many mysql servers
[[inputs.mysql]]
  ## specify servers via a url matching:
  ##  [username[:password]@][protocol[(address)]]/[?tls=[true|false|skip-verify|custom]]
  ##  see https://github.com/go-sql-driver/mysql#dsn-data-source-name
  ##  e.g.
  ##    servers = ["user:passwd@tcp(127.0.0.1:3306)/?tls=false"]
  ##    servers = ["user@tcp(127.0.0.1:3306)/?tls=false"]
  ##    servers = ["user:passwd@unix(/run/mysqld/mysqld.sock)/"]
  #
  ## If no servers are specified, then localhost is used as the host.
  servers = ["tcp(127.0.0.1:3306)/"]

  ## Selects the metric output format (tsd reads only version 2).
  metric_version = 2

  ## gather metrics from SHOW GLOBAL VARIABLES command output
  # gather_global_variables = true

  ## gather thread state counts from INFORMATION_SCHEMA.PROCESSLIST
  # gather_process_list = false

  ## gather metrics from SHOW SLAVE STATUS command output
  # gather_slave_status = false

  ## gather metrics from INFORMATION_SCHEMA.INNODB_METRICS
  # gather_innodb_metrics = false

  ## Some queries we may want to run less often (such as SHOW GLOBAL VARIABLES)
  ##   example: interval_slow = "30m"
  # interval_slow = ""

  ## Timeout of the connection and of each query (tsd's addition; a
  ## timeout=... in the DSN wins).
  # timeout = "5s"
)";

struct Server {
  MysqlDsn dsn;
  MysqlConn conn;
  int64_t last_vars_ns = 0;  // when global variables were last gathered
  bool vars_done = false;
};

class MysqlInput : public Input {
 public:
  struct Config {
    bool global_vars = true;
    bool slave_status = false;
    bool innodb = false;
    bool process_list = false;
    int64_t interval_slow_ns = 0;
    int64_t timeout_ns = 0;
  };
  MysqlInput(std::vector<MysqlDsn> dsns, Config cfg) : cfg_(cfg) {
    for (auto& d : dsns) {
      servers_.push_back(std::make_unique<Server>());
      servers_.back()->dsn = std::move(d);
    }
  }

  Status gather(Accumulator& acc) override {
    return gather_each(servers_, [&](auto& s) {
      return with_reconnect(s->conn, acc, [&](Accumulator& a) { return gather_one(*s, a); })
          .with_context(s->dsn.addr);
    });
  }

 private:
  Status gather_one(Server& s, Accumulator& acc) {
    int64_t timeout = s.dsn.timeout_ns > 0 ? s.dsn.timeout_ns : cfg_.timeout_ns;
    TSD_RETURN_IF_ERROR(s.conn.connect(s.dsn, timeout));
    std::vector<Tag> tags = {{"server", s.dsn.addr}};
    TSD_RETURN_IF_ERROR(
        key_values(s, "SHOW GLOBAL STATUS", "mysql", tags, mysql_convert_status, acc));
    int64_t now = now_ns();
    if (cfg_.global_vars && (!s.vars_done || now - s.last_vars_ns >= cfg_.interval_slow_ns)) {
      TSD_RETURN_IF_ERROR(key_values(s, "SHOW GLOBAL VARIABLES", "mysql_variables", tags,
                                     mysql_convert_variable, acc));
      s.vars_done = true;
      s.last_vars_ns = now;
    }
    if (cfg_.process_list) TSD_RETURN_IF_ERROR(gather_mysql_process_list(s.conn, tags, acc));
    if (cfg_.slave_status) TSD_RETURN_IF_ERROR(slave_status(s, tags, acc));
    if (cfg_.innodb) TSD_RETURN_IF_ERROR(innodb_metrics(s, tags, acc));
    return Status();
  }

  // A two-column result (name, value) as one point of `measurement`.
  template <class Convert>
  Status key_values(Server& s, const std::string& sql, const char* measurement,
                    std::vector<Tag> tags, Convert convert, Accumulator& acc) {
    Result<SqlRows> rows = s.conn.query(sql);
    if (!rows.ok()) return rows.status();
    if (rows->columns.size() < 2) return Status::corruption(sql + ": fewer than two columns");
    bool variables = std::string_view(measurement) == "mysql_variables";
    std::vector<Field> fields;
    Status first;
    for (const auto& r : rows->rows) {
      if (!r[0] || !r[1]) continue;
      std::string key = ascii_lower(*r[0]);
      if (variables && key.find("version") != std::string::npos) {
        // Telegraf makes every *version* variable a tag too.
        tags.push_back({key, *r[1]});
        if (!r[1]->empty()) fields.push_back({key, *r[1]});
      }
      Result<std::optional<Value>> v = convert(key, *r[1]);
      if (!v.ok()) {
        if (first.ok()) first = v.status();
        continue;
      }
      if (!v->has_value()) continue;
      auto same =
          std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
      if (same != fields.end()) {
        same->value = std::move(**v);
      } else {
        fields.push_back({std::move(key), std::move(**v)});
      }
    }
    add_point(acc, measurement, std::move(tags), std::move(fields));
    return first;
  }

  // INNODB_METRICS: the enabled counters. MySQL and MariaDB before 10.5
  // have a STATUS column ('enabled'), later MariaDB an ENABLED one (1).
  Status innodb_metrics(Server& s, const std::vector<Tag>& tags, Accumulator& acc) {
    Result<SqlRows> rows = s.conn.query("SELECT * FROM information_schema.INNODB_METRICS");
    if (!rows.ok()) return rows.status();
    const auto& cols = rows->columns;
    auto col = [&](std::string_view name) {
      for (size_t i = 0; i < cols.size(); ++i) {
        if (ascii_lower(cols[i]) == name) return i;
      }
      return cols.size();
    };
    size_t name = col("name"), count = col("count"), status = col("status"),
           enabled = col("enabled");
    if (name == cols.size() || count == cols.size() ||
        (status == cols.size() && enabled == cols.size())) {
      return Status::corruption("INNODB_METRICS: unexpected columns");
    }
    std::vector<Field> fields;
    for (const auto& r : rows->rows) {
      bool on = status < cols.size() ? r[status] == "enabled" : r[enabled] == "1";
      if (!on || !r[name] || !r[count]) continue;
      if (auto v = mysql_parse_value(*r[count])) fields.push_back({ascii_lower(*r[name]), std::move(*v)});
    }
    add_point(acc, "mysql_innodb", tags, std::move(fields));
    return Status();
  }

  Status slave_status(Server& s, const std::vector<Tag>& tags, Accumulator& acc) {
    Result<SqlRows> rows = s.conn.query("SHOW SLAVE STATUS");
    if (!rows.ok()) return rows.status();
    if (rows->rows.empty()) return Status();  // not a replica
    // Only the first row, as Telegraf without gather_all_slave_channels.
    const auto& r = rows->rows.front();
    std::vector<Field> fields;
    for (size_t i = 0; i < rows->columns.size() && i < r.size(); ++i) {
      if (!r[i]) continue;
      if (auto v = mysql_parse_value(*r[i])) {
        fields.push_back({"slave_" + ascii_lower(rows->columns[i]), std::move(*v)});
      }
    }
    add_point(acc, "mysql", tags, std::move(fields));
    return Status();
  }

  std::vector<std::unique_ptr<Server>> servers_;
  Config cfg_;
};

// Telegraf's gather_* switches that tsd does not implement: false (their
// default) is accepted, true is refused rather than silently ignored.
constexpr std::string_view kUnsupported[] = {"gather_user_statistics",
                                             "gather_info_schema_auto_inc",
                                             "gather_binary_logs",
                                             "gather_table_io_waits",
                                             "gather_table_lock_waits",
                                             "gather_index_io_waits",
                                             "gather_event_waits",
                                             "gather_table_schema",
                                             "gather_file_events_stats",
                                             "gather_perf_events_statements",
                                             "gather_perf_sum_per_acc_per_event",
                                             "gather_all_slave_channels"};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  for (std::string_view key : kUnsupported) {
    if (!opts.has(key)) continue;
    bool on;
    TSD_ASSIGN_OPT(on, opts.get_bool(key, false));
    if (on) {
      return Status::not_supported(
          std::string(key) + " = true: not supported by tsd-collect (remove it or set false)");
    }
  }
  std::vector<std::string> servers;
  TSD_ASSIGN_OPT(servers, opts.get_strings("servers", {"tcp(127.0.0.1:3306)/"}));
  int64_t version;
  TSD_ASSIGN_OPT(version, opts.get_int("metric_version", 2));
  if (version != 2) {
    return Status::not_supported("metric_version " + std::to_string(version) +
                                 ": tsd writes only metric_version 2");
  }
  MysqlInput::Config cfg;
  TSD_ASSIGN_OPT(cfg.global_vars, opts.get_bool("gather_global_variables", true));
  TSD_ASSIGN_OPT(cfg.slave_status, opts.get_bool("gather_slave_status", false));
  TSD_ASSIGN_OPT(cfg.innodb, opts.get_bool("gather_innodb_metrics", false));
  TSD_ASSIGN_OPT(cfg.process_list, opts.get_bool("gather_process_list", false));
  TSD_ASSIGN_OPT(cfg.timeout_ns, service_timeout(opts));
  std::string slow;
  TSD_ASSIGN_OPT(slow, opts.get_string("interval_slow", ""));
  if (!slow.empty()) {
    auto d = parse_duration(slow);
    if (!d.ok()) return d.status().with_context("interval_slow");
    cfg.interval_slow_ns = *d;
  }
  if (servers.empty()) servers.push_back("tcp(127.0.0.1:3306)/");
  std::vector<MysqlDsn> dsns;
  for (const auto& s : servers) {
    auto d = parse_mysql_dsn(s);
    if (!d.ok()) return d.status().with_context("servers");
    dsns.push_back(std::move(*d));
  }
  // The client library is loaded only now, when a mysql input exists.
  TSD_RETURN_IF_ERROR(MysqlConn::load());
  return std::unique_ptr<Input>(new MysqlInput(std::move(dsns), cfg));
}

}  // namespace

std::optional<Value> mysql_parse_value(std::string_view v) {
  auto iequals = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  if (iequals(v, "YES") || v == "ON") return Value(int64_t{1});
  if (iequals(v, "NO") || v == "OFF") return Value(int64_t{0});
  if (auto i = parse_int64(v)) return Value(*i);
  if (auto d = parse_float64(v)) return Value(*d);
  if (!v.empty()) return Value(std::string(v));
  return std::nullopt;
}

Result<std::optional<Value>> mysql_convert_status(std::string_view key, std::string_view v) {
  if (key == "ssl_ctx_verify_depth") {
    // Telegraf reads it as an integer and keeps the clamped value when it
    // is out of range (MySQL prints 18446744073709551615).
    if (auto i = parse_int64(v)) return std::optional<Value>(*i);
    bool digits = !v.empty() && std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
    if (digits && v.size() > (v[0] == '-' ? 1u : 0u)) {
      return std::optional<Value>(v[0] == '-' ? INT64_MIN : INT64_MAX);
    }
    return Status::invalid_argument("ssl_ctx_verify_depth: not an integer: \"" + std::string(v) +
                                    "\"");
  }
  return mysql_parse_value(v);
}

Result<std::optional<Value>> mysql_convert_variable(std::string_view key, std::string_view v) {
  if (key == "gtid_mode") {
    if (v == "OFF" || v == "OFF_PERMISSIVE") return std::optional<Value>(int64_t{0});
    if (v == "ON" || v == "ON_PERMISSIVE") return std::optional<Value>(int64_t{1});
    return Status::invalid_argument("unrecognized gtid_mode: \"" + std::string(v) + "\"");
  }
  return mysql_parse_value(v);
}

Result<MysqlDsn> parse_mysql_dsn(std::string_view dsn) {
  MysqlDsn out;
  auto bad = [&](const char* why) {
    return Status::invalid_argument("invalid DSN \"" + std::string(dsn) + "\": " + why);
  };
  size_t slash = dsn.rfind('/');
  // A unix socket path holds slashes: the separator is the last slash
  // after the closing parenthesis.
  size_t close = dsn.rfind(')');
  if (close != std::string_view::npos && (slash == std::string_view::npos || slash < close)) {
    slash = dsn.find('/', close);
  }
  if (slash == std::string_view::npos) return bad("missing the slash separating the database name");
  std::string_view head = dsn.substr(0, slash);
  std::string_view tail = dsn.substr(slash + 1);
  size_t at =
      head.rfind('@', head.find('(') == std::string_view::npos ? head.npos : head.find('('));
  if (at != std::string_view::npos) {
    std::string_view userinfo = head.substr(0, at);
    size_t colon = userinfo.find(':');
    out.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) out.password = std::string(userinfo.substr(colon + 1));
    head.remove_prefix(at + 1);
  }
  size_t open = head.find('(');
  std::string addr;
  if (open != std::string_view::npos) {
    if (head.back() != ')') return bad("invalid network address (missing closing brace)");
    out.net = std::string(head.substr(0, open));
    addr = std::string(head.substr(open + 1, head.size() - open - 2));
  } else if (!head.empty()) {
    out.net = std::string(head);
  }
  if (out.net.empty()) out.net = "tcp";
  if (out.net == "tcp") {
    if (addr.empty()) addr = "127.0.0.1:3306";
    if (addr.find(':') == std::string::npos || addr.back() == ']') addr += ":3306";
  } else if (out.net == "unix") {
    if (addr.empty()) addr = "/tmp/mysql.sock";
  } else {
    return bad("network must be tcp or unix");
  }
  out.addr = addr;
  size_t q = tail.find('?');
  out.dbname = std::string(tail.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view params = tail.substr(q + 1);
    while (!params.empty()) {
      size_t amp = params.find('&');
      std::string_view kv = params.substr(0, amp);
      params.remove_prefix(amp == std::string_view::npos ? params.size() : amp + 1);
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) return bad("a parameter without '='");
      if (kv.substr(0, eq) == "timeout") {
        auto d = parse_duration(kv.substr(eq + 1));
        if (!d.ok()) return bad("bad timeout");
        out.timeout_ns = *d;
      }
    }
  }
  return out;
}

InputInfo mysql_input_info() {
  return {.name = "mysql",
          .description = "Read metrics from one or many mysql servers",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
