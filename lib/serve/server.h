// tsd-serve's HTTP server: InfluxDB 1.x's HTTP API (/ping, /health,
// /query, /write, /api/v2/write) over lib/client, on cpp-httplib (Debian's
// libcpp-httplib). Answers as influxd 1.6 does: status codes, the
// X-Influxdb-Version/-Build and Request-Id headers, {"error":"…"} bodies
// (api.h holds the pure parts).
//
// Threads: each connection on a thread of its own, up to `connections`
// at once (more wait their turn): idle keep-alive connections and slow
// clients (slowloris) hold only their own thread, never a worker that a
// well-behaved client waits for. At most `threads` requests are served at
// once (the others wait for a turn); a request takes a client from a pool
// (an Engine belongs to one thread at a time, client.h), so queries run
// side by side. Writes to a database go through one client and writer of
// its own (one writer per shard) under its mutex, the lines checked
// before (on the connection's thread); a request's lines are buffered
// under the mutex and committed after it is let go (group commit: the
// next request buffers meanwhile), stored and committed when 204 is
// answered (the local path's guarantee: SQLite WAL,
// synchronous=NORMAL: safe from a crash of the process). A slow client
// is dropped after `read_timeout_s` without a byte; bodies beyond
// `max_body` bytes (after gzip decoding too) get 413.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "client/client.h"
#include "core/status.h"
#include "storage/catalog.h"

namespace tsd::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8086;                 // 0: any free port (see Server::port)
  size_t max_body = 25'000'000;    // bytes of a request body, decoded
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int threads = 32;         // requests served at once
  int connections = 4096;   // connections open at once (a thread each)
  // Authentication (influxd's auth-enabled): once an admin user exists,
  // /query and /write need credentials (api.h parse_credentials) of a
  // user, and statements and writes are authorized for it; before, only
  // a query whose first statement creates an admin user runs.
  bool auth = false;
};

// The users a server with auth checks requests against. Thread-safe.
class Users {
 public:
  virtual ~Users() = default;
  virtual Result<bool> admin_exists() = 0;
  // nullopt when there is no such user.
  virtual Result<std::optional<storage::User>> find(const std::string& name) = 0;
  virtual Result<bool> database_exists(const std::string& db) = 0;
};
// The users of a data directory's catalog.
std::unique_ptr<Users> catalog_users(std::string data_dir);

// Makes a client of the data (one per concurrent request, kept for reuse).
using ClientFactory = std::function<std::unique_ptr<client::Client>()>;

class Server {
 public:
  // `users` is needed with opts.auth (may be null without).
  Server(ServerOptions opts, ClientFactory factory, std::unique_ptr<Users> users = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the address (unavailable with the reason when it cannot).
  Status bind();
  // The port bound (after bind()).
  int port() const;
  // Serves until stop() (from another thread or a signal's thread).
  Status run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsd::serve
