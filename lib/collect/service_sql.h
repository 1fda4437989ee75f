// Thin clients of MySQL/MariaDB (libmariadb) and PostgreSQL (libpq) for the
// mysql and postgresql inputs, both loaded with dlopen on first use (see
// service_dl.h), with text results.
//
// Every connect and query is bounded by the timeout given at connect, so
// a dead server gives one error instead of a hang. A connection is used by
// one thread at a time; it closes itself after an error so the next use
// reconnects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collect/service_inputs.h"
#include "core/status.h"

namespace tsd::collect {

// Runs attempt(acc) once more on a new connection when it failed on a
// connection kept from an earlier gather (the server restarted, or closed
// an idle connection): one restart costs no gather. Only the points of the
// last attempt reach `acc`.
template <class Conn, class Attempt>
Status with_reconnect(Conn& conn, Accumulator& acc, Attempt&& attempt) {
  struct Buffer : Accumulator {
    using Accumulator::add;
    void add(Point p) override { points.push_back(std::move(p)); }
    std::vector<Point> points;
  };
  bool reused = conn.connected();
  Buffer buf;
  Status st = attempt(buf);
  if (!st.ok() && reused) {
    conn.close();
    buf.points.clear();
    st = attempt(buf);
  }
  for (auto& p : buf.points) acc.add(std::move(p));
  return st;
}

// A query's result as text; a NULL is nullopt.
struct SqlRows {
  std::vector<std::string> columns;
  std::vector<uint32_t> types;  // PostgreSQL type OIDs (empty for MySQL)
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class MysqlConn {
 public:
  MysqlConn() = default;
  ~MysqlConn();
  MysqlConn(const MysqlConn&) = delete;
  MysqlConn& operator=(const MysqlConn&) = delete;

  // Loads libmariadb.so.3 (once per process); an error when it is missing.
  static Status load();

  // Connects when not connected. timeout_ns bounds the connect and each
  // read and write (rounded up to whole seconds, as the client takes it).
  Status connect(const MysqlDsn& dsn, int64_t timeout_ns);
  // Runs one statement; an error closes the connection.
  Result<SqlRows> query(const std::string& sql);
  void close();
  bool connected() const { return mysql_ != nullptr; }

 private:
  void* mysql_ = nullptr;  // MYSQL*
};

class PgConn {
 public:
  PgConn() = default;
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Loads libpq.so.5 (once per process); an error when it is missing.
  static Status load();

  // Connects with a libpq conninfo ("host=... user=..." or a postgres://
  // URL) when not connected.
  Status connect(const std::string& conninfo, int64_t timeout_ns);
  Result<SqlRows> query(const std::string& sql);
  void close();
  bool connected() const { return pg_ != nullptr; }

 private:
  void* pg_ = nullptr;  // PGconn*
  int64_t timeout_ns_ = 0;
};

// mysql's gather_process_list: mysql_process_list (threads_<state>) and
// mysql_users (connections per user), as Telegraf.
Status gather_mysql_process_list(MysqlConn& conn, const std::vector<Tag>& tags, Accumulator& acc);

}  // namespace tsd::collect
