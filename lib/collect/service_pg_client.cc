// PgConn: libpq through dlopen, queries bounded by a deadline.
#include <poll.h>
#include <postgresql/libpq-fe.h>

#include <cerrno>
#include <mutex>

#include "collect/service_dl.h"
#include "collect/service_net.h"
#include "collect/service_sql.h"

namespace tsd::collect {
namespace {

// The libpq functions used, resolved from libpq.so.5.
struct PgApi {
  decltype(&::PQconnectdbParams) connectdb_params;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) error_message;
  decltype(&::PQfinish) finish;
  decltype(&::PQsendQuery) send_query;
  decltype(&::PQsocket) socket;
  decltype(&::PQconsumeInput) consume_input;
  decltype(&::PQisBusy) is_busy;
  decltype(&::PQgetResult) get_result;
  decltype(&::PQresultStatus) result_status;
  decltype(&::PQresultErrorMessage) result_error_message;
  decltype(&::PQclear) clear;
  decltype(&::PQnfields) nfields;
  decltype(&::PQfname) fname;
  decltype(&::PQftype) ftype;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetlength) getlength;
};

PgApi api;

Status load_api() {
  Result<DynLib*> lib = DynLib::open("libpq.so.5", "libpq5");
  if (!lib.ok()) return lib.status();
  DynLib* l = *lib;
  TSD_RETURN_IF_ERROR(l->sym("PQconnectdbParams", &api.connectdb_params));
  TSD_RETURN_IF_ERROR(l->sym("PQstatus", &api.status));
  TSD_RETURN_IF_ERROR(l->sym("PQerrorMessage", &api.error_message));
  TSD_RETURN_IF_ERROR(l->sym("PQfinish", &api.finish));
  TSD_RETURN_IF_ERROR(l->sym("PQsendQuery", &api.send_query));
  TSD_RETURN_IF_ERROR(l->sym("PQsocket", &api.socket));
  TSD_RETURN_IF_ERROR(l->sym("PQconsumeInput", &api.consume_input));
  TSD_RETURN_IF_ERROR(l->sym("PQisBusy", &api.is_busy));
  TSD_RETURN_IF_ERROR(l->sym("PQgetResult", &api.get_result));
  TSD_RETURN_IF_ERROR(l->sym("PQresultStatus", &api.result_status));
  TSD_RETURN_IF_ERROR(l->sym("PQresultErrorMessage", &api.result_error_message));
  TSD_RETURN_IF_ERROR(l->sym("PQclear", &api.clear));
  TSD_RETURN_IF_ERROR(l->sym("PQnfields", &api.nfields));
  TSD_RETURN_IF_ERROR(l->sym("PQfname", &api.fname));
  TSD_RETURN_IF_ERROR(l->sym("PQftype", &api.ftype));
  TSD_RETURN_IF_ERROR(l->sym("PQntuples", &api.ntuples));
  TSD_RETURN_IF_ERROR(l->sym("PQgetisnull", &api.getisnull));
  TSD_RETURN_IF_ERROR(l->sym("PQgetvalue", &api.getvalue));
  TSD_RETURN_IF_ERROR(l->sym("PQgetlength", &api.getlength));
  return Status();
}

PGconn* handle(void* p) { return static_cast<PGconn*>(p); }

// libpq's messages end with a newline and may span lines: one line here.
std::string trimmed(const char* m) {
  std::string s;
  for (const char* p = m ? m : ""; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\t') {
      if (!s.empty() && s.back() != ' ') s += ' ';
    } else if (*p != ' ' || (!s.empty() && s.back() != ' ')) {
      s += *p;
    }
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

Status PgConn::load() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = load_api(); });
  return status;
}

PgConn::~PgConn() { close(); }

void PgConn::close() {
  if (pg_ != nullptr) api.finish(handle(pg_));
  pg_ = nullptr;
}

Status PgConn::connect(const std::string& conninfo, int64_t timeout_ns) {
  timeout_ns_ = timeout_ns;
  if (pg_ != nullptr) return Status();
  TSD_RETURN_IF_ERROR(load());
  // connect_timeout first: a connect_timeout in the conninfo wins.
  int64_t secs = (timeout_ns + 999999999) / 1000000000;
  std::string timeout = std::to_string(secs < 2 ? 2 : secs);  // libpq's minimum
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), conninfo.c_str(), nullptr};
  PGconn* c = api.connectdb_params(keys, values, 1);
  if (c == nullptr) return Status::io_error("connect: out of memory");
  if (api.status(c) != CONNECTION_OK) {
    Status s = Status::io_error("connect: " + trimmed(api.error_message(c)));
    api.finish(c);
    return s;
  }
  pg_ = c;
  return Status();
}

Result<SqlRows> PgConn::query(const std::string& sql) {
  if (pg_ == nullptr) return Status::io_error("not connected");
  PGconn* c = handle(pg_);
  auto fail = [&](std::string why) {
    close();
    return Status::io_error(sql + ": " + why);
  };
  if (api.send_query(c, sql.c_str()) == 0) return fail(trimmed(api.error_message(c)));
  int64_t deadline = monotonic_ns() + timeout_ns_;
  SqlRows out;
  std::string error;
  for (;;) {
    while (api.is_busy(c)) {
      int64_t left = deadline - monotonic_ns();
      if (left <= 0) return fail("timed out");
      pollfd p{api.socket(c), POLLIN, 0};
      int n = ::poll(&p, 1, static_cast<int>((left + 999999) / 1000000));
      if (n < 0 && errno != EINTR) return fail("poll failed");
      if (n > 0 && api.consume_input(c) == 0) return fail(trimmed(api.error_message(c)));
    }
    PGresult* r = api.get_result(c);
    if (r == nullptr) break;
    ExecStatusType st = api.result_status(r);
    if (st == PGRES_TUPLES_OK && out.columns.empty()) {
      int nf = api.nfields(r);
      for (int i = 0; i < nf; ++i) {
        out.columns.emplace_back(api.fname(r, i));
        out.types.push_back(api.ftype(r, i));
      }
      int nt = api.ntuples(r);
      for (int t = 0; t < nt; ++t) {
        auto& row = out.rows.emplace_back();
        for (int i = 0; i < nf; ++i) {
          if (api.getisnull(r, t, i)) {
            row.emplace_back(std::nullopt);
          } else {
            row.emplace_back(
                std::string(api.getvalue(r, t, i), static_cast<size_t>(api.getlength(r, t, i))));
          }
        }
      }
    } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && error.empty()) {
      error = trimmed(api.result_error_message(r));
    }
    api.clear(r);
  }
  if (!error.empty()) return Status::io_error(sql + ": " + error);
  return out;
}

}  // namespace tsd::collect
