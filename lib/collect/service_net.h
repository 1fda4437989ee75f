// Plain sockets with deadlines for the service inputs (memcached, redis,
// zookeeper, nginx).
//
// Every connect, write and read waits at most until one deadline, so a dead
// or stuck server gives one clear error ("dial tcp 127.0.0.1:11211:
// connection refused", "read from 127.0.0.1:6379: timed out after 5s")
// instead of a hang. Only TCP and Unix stream sockets; no TLS.
// A Conn is owned by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tsd::collect {

// A host and port split from "host:port", "[::1]:port", ":port" or "host".
struct HostPort {
  std::string host;  // empty when the address was ":port"
  std::string port;  // the default port when none was given
};
// Splits an address; `default_port` fills a missing port.
HostPort split_host_port(std::string_view address, std::string_view default_port);

// A connected stream socket with a deadline for all its I/O. Move-only.
class Conn {
 public:
  Conn() = default;
  ~Conn();
  Conn(Conn&& o) noexcept : fd_(o.fd_), name_(std::move(o.name_)), deadline_ns_(o.deadline_ns_) {
    o.fd_ = -1;
  }
  Conn& operator=(Conn&& o) noexcept;
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Connects to host:port over TCP (an empty host means 127.0.0.1),
  // waiting at most timeout_ns; the same deadline then bounds every
  // later read and write. Errors name the address.
  static Result<Conn> dial_tcp(const HostPort& hp, int64_t timeout_ns);
  // The same for a Unix socket path.
  static Result<Conn> dial_unix(std::string_view path, int64_t timeout_ns);

  // Writes all of data.
  Status write_all(std::string_view data);
  // Reads what is available (at least one byte) and appends it to *out;
  // returns false at end of stream.
  Result<bool> read_some(std::string* out);
  // Reads until *out contains `terminator`; an error when the stream
  // ends first.
  Status read_until(std::string_view terminator, std::string* out);
  // Reads until the peer closes the connection.
  Status read_to_eof(std::string* out);

  const std::string& name() const { return name_; }

 private:
  Status wait(short events, const char* what);
  int fd_ = -1;
  std::string name_;         // "127.0.0.1:6379" or the socket path, for messages
  int64_t deadline_ns_ = 0;  // CLOCK_MONOTONIC
};

// A monotonic clock in nanoseconds (for deadlines).
int64_t monotonic_ns();

}  // namespace tsd::collect
