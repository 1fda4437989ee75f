// MysqlConn: libmariadb through dlopen.
#include <mariadb/mysql.h>

#include <algorithm>
#include <limits>
#include <mutex>

#include "collect/service_dl.h"
#include "collect/service_net.h"
#include "collect/service_sql.h"
#include "core/time.h"

namespace tsd::collect {
namespace {

// The client functions used, resolved from libmariadb.so.3.
struct MysqlApi {
  decltype(&::mysql_server_init) server_init;
  decltype(&::mysql_init) init;
  decltype(&::mysql_options) options;
  decltype(&::mysql_real_connect) real_connect;
  decltype(&::mysql_error) error;
  decltype(&::mysql_close) close;
  decltype(&::mysql_real_query) real_query;
  decltype(&::mysql_store_result) store_result;
  decltype(&::mysql_field_count) field_count;
  decltype(&::mysql_num_fields) num_fields;
  decltype(&::mysql_fetch_fields) fetch_fields;
  decltype(&::mysql_fetch_row) fetch_row;
  decltype(&::mysql_fetch_lengths) fetch_lengths;
  decltype(&::mysql_free_result) free_result;
};

MysqlApi api;

Status load_api() {
  Result<DynLib*> lib = DynLib::open("libmariadb.so.3", "libmariadb3");
  if (!lib.ok()) return lib.status();
  DynLib* l = *lib;
  TSD_RETURN_IF_ERROR(l->sym("mysql_server_init", &api.server_init));
  TSD_RETURN_IF_ERROR(l->sym("mysql_init", &api.init));
  TSD_RETURN_IF_ERROR(l->sym("mysql_options", &api.options));
  TSD_RETURN_IF_ERROR(l->sym("mysql_real_connect", &api.real_connect));
  TSD_RETURN_IF_ERROR(l->sym("mysql_error", &api.error));
  TSD_RETURN_IF_ERROR(l->sym("mysql_close", &api.close));
  TSD_RETURN_IF_ERROR(l->sym("mysql_real_query", &api.real_query));
  TSD_RETURN_IF_ERROR(l->sym("mysql_store_result", &api.store_result));
  TSD_RETURN_IF_ERROR(l->sym("mysql_field_count", &api.field_count));
  TSD_RETURN_IF_ERROR(l->sym("mysql_num_fields", &api.num_fields));
  TSD_RETURN_IF_ERROR(l->sym("mysql_fetch_fields", &api.fetch_fields));
  TSD_RETURN_IF_ERROR(l->sym("mysql_fetch_row", &api.fetch_row));
  TSD_RETURN_IF_ERROR(l->sym("mysql_fetch_lengths", &api.fetch_lengths));
  TSD_RETURN_IF_ERROR(l->sym("mysql_free_result", &api.free_result));
  // Not thread-safe inside the library: once, before any connection.
  if (api.server_init(0, nullptr, nullptr) != 0) {
    return Status::io_error("libmariadb.so.3: library initialisation failed");
  }
  return Status();
}

MYSQL* handle(void* p) { return static_cast<MYSQL*>(p); }

}  // namespace

Status MysqlConn::load() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = load_api(); });
  return status;
}

MysqlConn::~MysqlConn() { close(); }

void MysqlConn::close() {
  if (mysql_ != nullptr) api.close(handle(mysql_));
  mysql_ = nullptr;
}

Status MysqlConn::connect(const MysqlDsn& dsn, int64_t timeout_ns) {
  if (mysql_ != nullptr) return Status();
  TSD_RETURN_IF_ERROR(load());
  MYSQL* m = api.init(nullptr);
  if (m == nullptr) return Status::io_error("mysql_init: out of memory");
  // Whole seconds, rounded up, at least 1 (without overflow for any timeout).
  int64_t whole = timeout_ns / kSecond + (timeout_ns % kSecond > 0 ? 1 : 0);
  unsigned int secs = static_cast<unsigned int>(
      std::clamp<int64_t>(whole, 1, std::numeric_limits<unsigned int>::max()));
  api.options(m, MYSQL_OPT_CONNECT_TIMEOUT, &secs);
  api.options(m, MYSQL_OPT_READ_TIMEOUT, &secs);
  api.options(m, MYSQL_OPT_WRITE_TIMEOUT, &secs);
  std::string host;
  unsigned int port = 0;
  const char* socket = nullptr;
  if (dsn.net == "unix") {
    unsigned int proto = MYSQL_PROTOCOL_SOCKET;
    api.options(m, MYSQL_OPT_PROTOCOL, &proto);
    host = "localhost";
    socket = dsn.addr.c_str();
  } else {
    unsigned int proto = MYSQL_PROTOCOL_TCP;  // even for "localhost"
    api.options(m, MYSQL_OPT_PROTOCOL, &proto);
    HostPort hp = split_host_port(dsn.addr, "3306");
    host = hp.host.empty() ? "127.0.0.1" : hp.host;
    auto p = parse_int64(hp.port);
    if (!p || *p <= 0 || *p > 65535) {
      api.close(m);
      return Status::invalid_argument("bad port in \"" + dsn.addr + "\"");
    }
    port = static_cast<unsigned int>(*p);
  }
  const char* db = dsn.dbname.empty() ? nullptr : dsn.dbname.c_str();
  if (api.real_connect(m, host.c_str(), dsn.user.c_str(), dsn.password.c_str(), db, port, socket,
                       0) == nullptr) {
    Status s = Status::io_error(std::string("connect: ") + api.error(m));
    api.close(m);
    return s;
  }
  mysql_ = m;
  return Status();
}

Result<SqlRows> MysqlConn::query(const std::string& sql) {
  if (mysql_ == nullptr) return Status::io_error("not connected");
  MYSQL* m = handle(mysql_);
  if (api.real_query(m, sql.data(), sql.size()) != 0) {
    Status s = Status::io_error(sql + ": " + api.error(m));
    close();
    return s;
  }
  MYSQL_RES* res = api.store_result(m);
  SqlRows out;
  if (res == nullptr) {
    if (api.field_count(m) != 0) {
      Status s = Status::io_error(sql + ": " + api.error(m));
      close();
      return s;
    }
    return out;  // a statement without a result set
  }
  unsigned int n = api.num_fields(res);
  MYSQL_FIELD* fields = api.fetch_fields(res);
  for (unsigned int i = 0; i < n; ++i) out.columns.emplace_back(fields[i].name);
  while (MYSQL_ROW row = api.fetch_row(res)) {
    unsigned long* lengths = api.fetch_lengths(res);
    auto& r = out.rows.emplace_back();
    for (unsigned int i = 0; i < n; ++i) {
      if (row[i] == nullptr) {
        r.emplace_back(std::nullopt);
      } else {
        r.emplace_back(std::string(row[i], lengths[i]));
      }
    }
  }
  api.free_result(res);
  return out;
}

}  // namespace tsd::collect
