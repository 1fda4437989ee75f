// postgresql: pg_stat_database (one point per database, tag db) and
// pg_stat_bgwriter (tag db=postgres) -> measurement postgresql, tag server.
#include <algorithm>
#include <cctype>

#include "collect/service_inputs.h"
#include "collect/service_sql.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT

namespace tsd::collect {
namespace {

constexpr std::string_view kSample = R"(# Read metrics from one or many postgresql servers
[[inputs.postgresql]]
  ## specify address via a url matching:
  ##   postgres://[pqgotest[:password]]@localhost[/dbname]?sslmode=[disable|verify-ca|verify-full]
  ## or a simple string:
  ##   host=localhost user=pqgotest password=... sslmode=... dbname=app_production
  ##
  ## All connection parameters are optional.
  ##
  ## Without the dbname parameter, the driver will default to a database
  ## with the same name as the user. This dbname is just for instantiating a
  ## connection with the server and doesn't restrict the databases we are trying
  ## to grab metrics for.
  ##
  address = "host=localhost user=postgres sslmode=disable"
  ## A custom name for the database that will be used as the "server" tag in the
  ## measurement output. If not specified, a default one generated from
  ## the connection address is used.
  # outputaddress = "db01"

  ## A  list of databases to explicitly ignore.  If not specified, metrics for all
  ## databases are gathered.  Do NOT use with the 'databases' option.
  # ignored_databases = ["postgres", "template0", "template1"]

  ## A list of databases to pull metrics about. If not specified, metrics for all
  ## databases are gathered.  Do NOT use with the 'ignored_databases' option.
  # databases = ["app_production", "testing"]

  ## Timeout of the connection and of each query (tsd's addition).
  # timeout = "5s"
)";

// PostgreSQL type OIDs (pg_type.h) and how Telegraf's driver reads them.
std::optional<Value> pg_value(uint32_t oid, const std::string& text) {
  switch (oid) {
    case 20:
    case 21:
    case 23:
    case 26:
    case 28:  // int8 int2 int4 oid xid
      if (auto i = parse_int64(text)) return Value(*i);
      return std::nullopt;
    case 700:
    case 701:
    case 1700:  // float4 float8 numeric
      if (auto d = parse_float64(text)) return Value(*d);
      return std::nullopt;
    case 16:  // bool
      return Value(text == "t");
    case 18:
    case 19:
    case 25:
    case 1042:
    case 1043:  // char name text bpchar varchar
      return Value(text);
    default:  // timestamps, inet, ...: Telegraf has no field type for them
      return std::nullopt;
  }
}

std::string quote_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ',';
    out += '\'';
    for (char c : n) {
      if (c == '\'') out += '\'';
      out += c;
    }
    out += '\'';
  }
  return out;
}

class PostgresqlInput : public Input {
 public:
  PostgresqlInput(std::string address, std::string server_tag, std::string db_query,
                  int64_t timeout)
      : address_(std::move(address)),
        server_(std::move(server_tag)),
        db_query_(std::move(db_query)),
        timeout_(timeout) {}

  Status gather(Accumulator& acc) override {
    return with_reconnect(conn_, acc, [&](Accumulator& a) { return gather_all(a); })
        .with_context(server_);
  }

 private:
  Status gather_all(Accumulator& acc) {
    TSD_RETURN_IF_ERROR(conn_.connect(address_, timeout_));
    TSD_RETURN_IF_ERROR(rows_to_points(db_query_, acc));
    return rows_to_points("SELECT * FROM pg_stat_bgwriter", acc);
  }

  // One point per row: every column but stats_reset is a field; the db tag
  // is datname ("postgres_global" when NULL, "postgres" without it).
  Status rows_to_points(const std::string& sql, Accumulator& acc) {
    Result<SqlRows> rows = conn_.query(sql);
    if (!rows.ok()) return rows.status();
    const auto& cols = rows->columns;
    auto datname = std::find(cols.begin(), cols.end(), "datname");
    for (const auto& r : rows->rows) {
      std::string db = "postgres";
      if (datname != cols.end()) {
        const auto& v = r[static_cast<size_t>(datname - cols.begin())];
        db = v ? *v : "postgres_global";
      }
      std::vector<Field> fields;
      for (size_t i = 0; i < cols.size(); ++i) {
        if (cols[i] == "stats_reset" || !r[i]) continue;
        if (auto v = pg_value(rows->types[i], *r[i])) fields.push_back({cols[i], std::move(*v)});
      }
      add_point(acc, "postgresql", {{"db", db}, {"server", server_}}, std::move(fields));
    }
    return Status();
  }

  std::string address_;
  std::string server_;
  std::string db_query_;
  int64_t timeout_;
  PgConn conn_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::string address;
  TSD_ASSIGN_OPT(address, opts.get_string("address", "host=localhost sslmode=disable"));
  std::string output;
  TSD_ASSIGN_OPT(output, opts.get_string("outputaddress", ""));
  std::vector<std::string> dbs;
  TSD_ASSIGN_OPT(dbs, opts.get_strings("databases", {}));
  std::vector<std::string> ignored;
  TSD_ASSIGN_OPT(ignored, opts.get_strings("ignored_databases", {}));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, service_timeout(opts));
  if (!dbs.empty() && !ignored.empty()) {
    return Status::invalid_argument("databases and ignored_databases: use one or the other");
  }
  if (address.empty() || address == "localhost") address = "host=localhost sslmode=disable";
  std::string query = "SELECT * FROM pg_stat_database";
  if (!ignored.empty()) query += " WHERE datname NOT IN (" + quote_list(ignored) + ")";
  if (!dbs.empty()) query += " WHERE datname IN (" + quote_list(dbs) + ")";
  std::string tag = output.empty() ? postgresql_sanitized_address(address) : output;
  // The client library is loaded only now, when a postgresql input exists.
  TSD_RETURN_IF_ERROR(PgConn::load());
  return std::unique_ptr<Input>(new PostgresqlInput(address, tag, query, timeout));
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// postgres://user:pass@host:port/db?k=v as sorted "k=v" words, values
// escaped (space, quote, backslash), as lib/pq's ParseURL.
std::string url_to_conninfo(std::string_view u) {
  u.remove_prefix(u.find("://") + 3);
  std::vector<std::string> kvs;
  auto accrue = [&](std::string k, const std::string& v) {
    if (v.empty()) return;
    std::string e;
    for (char c : v) {
      if (c == ' ' || c == '\'' || c == '\\') e += '\\';
      e += c;
    }
    kvs.push_back(k + "=" + e);
  };
  size_t end = u.find_first_of("/?");
  std::string_view authority = u.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? "" : u.substr(end);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    accrue("user", url_decode(userinfo.substr(0, colon)));
    if (colon != std::string_view::npos) accrue("password", url_decode(userinfo.substr(colon + 1)));
    authority.remove_prefix(at + 1);
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    accrue("host", std::string(authority.substr(0, colon)));
    accrue("port", std::string(authority.substr(colon + 1)));
  } else {
    accrue("host", std::string(authority));
  }
  size_t q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  if (!path.empty()) accrue("dbname", url_decode(path.substr(1)));
  if (q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view kv = query.substr(0, amp);
      query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
      size_t eq = kv.find('=');
      accrue(url_decode(kv.substr(0, eq)),
             eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1)));
    }
  }
  std::sort(kvs.begin(), kvs.end());
  std::string out;
  for (const auto& kv : kvs) out += (out.empty() ? "" : " ") + kv;
  return out;
}

}  // namespace

std::string postgresql_sanitized_address(std::string_view address) {
  std::string canon = address.rfind("postgres://", 0) == 0 || address.rfind("postgresql://", 0) == 0
                          ? url_to_conninfo(address)
                          : std::string(address);
  // Drops (password|sslcert|sslkey|sslmode|sslrootcert)=\S+ and one space
  // after it, wherever it starts (Telegraf's regular expression).
  static const char* kKeys[] = {"password=", "sslcert=", "sslkey=", "sslmode=", "sslrootcert="};
  std::string out;
  size_t i = 0;
  while (i < canon.size()) {
    size_t len = 0;
    for (const char* k : kKeys) {
      std::string_view key(k);
      if (canon.compare(i, key.size(), key) == 0) {
        size_t j = i + key.size();
        size_t v = j;
        while (j < canon.size() && !std::isspace(static_cast<unsigned char>(canon[j]))) ++j;
        if (j > v) {
          if (j < canon.size() && canon[j] == ' ') ++j;
          len = j - i;
        }
        break;
      }
    }
    if (len > 0) {
      i += len;
    } else {
      out += canon[i++];
    }
  }
  return out;
}

InputInfo postgresql_input_info() {
  return {.name = "postgresql",
          .description = "Read metrics from one or many postgresql servers",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
