#include "collect/service_net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/time.h"

namespace tsd::collect {

int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

HostPort split_host_port(std::string_view address, std::string_view default_port) {
  HostPort hp;
  if (!address.empty() && address.front() == '[') {  // [v6]:port
    size_t close = address.find(']');
    if (close != std::string_view::npos) {
      hp.host = std::string(address.substr(1, close - 1));
      std::string_view rest = address.substr(close + 1);
      hp.port = rest.size() > 1 && rest.front() == ':' ? std::string(rest.substr(1))
                                                       : std::string(default_port);
      return hp;
    }
  }
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || address.find(':') != colon) {  // no port, or bare v6
    hp.host = std::string(address);
    hp.port = std::string(default_port);
  } else {
    hp.host = std::string(address.substr(0, colon));
    hp.port = std::string(address.substr(colon + 1));
    if (hp.port.empty()) hp.port = std::string(default_port);
  }
  return hp;
}

Conn::~Conn() {
  if (fd_ >= 0) ::close(fd_);
}

Conn& Conn::operator=(Conn&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    name_ = std::move(o.name_);
    deadline_ns_ = o.deadline_ns_;
    o.fd_ = -1;
  }
  return *this;
}

Status Conn::wait(short events, const char* what) {
  for (;;) {
    int64_t left = deadline_ns_ - monotonic_ns();
    if (left <= 0) {
      return Status::busy(std::string(what) + " " + name_ + ": timed out");
    }
    pollfd p{fd_, events, 0};
    int n = ::poll(&p, 1, static_cast<int>((left + 999999) / 1000000));
    if (n > 0) return Status();
    if (n < 0 && errno != EINTR) {
      return Status::io_error(std::string(what) + " " + name_ + ": " + std::strerror(errno));
    }
  }
}

namespace {

// Connects fd (non-blocking) to addr, waiting for the deadline.
Status connect_fd(int fd, const sockaddr* addr, socklen_t len, const std::string& name,
                  int64_t deadline) {
  if (::connect(fd, addr, len) == 0) return Status();
  if (errno != EINPROGRESS) {
    return Status::io_error("dial " + name + ": " + std::strerror(errno));
  }
  for (;;) {
    int64_t left = deadline - monotonic_ns();
    if (left <= 0) return Status::busy("dial " + name + ": timed out");
    pollfd p{fd, POLLOUT, 0};
    int n = ::poll(&p, 1, static_cast<int>((left + 999999) / 1000000));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::io_error("dial " + name + ": " + std::strerror(errno));
    if (n == 0) continue;
    int err = 0;
    socklen_t el = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) return Status::io_error("dial " + name + ": " + std::strerror(err));
    return Status();
  }
}

}  // namespace

Result<Conn> Conn::dial_tcp(const HostPort& hp, int64_t timeout_ns) {
  int64_t deadline = monotonic_ns() + timeout_ns;
  std::string host = hp.host.empty() ? "127.0.0.1" : hp.host;
  std::string name =
      "tcp " + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + hp.port;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), hp.port.c_str(), &hints, &res);
  if (rc != 0) return Status::io_error("dial " + name + ": " + gai_strerror(rc));
  Status last = Status::io_error("dial " + name + ": no address");
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    Conn c;
    c.fd_ =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (c.fd_ < 0) {
      last = Status::io_error("dial " + name + ": " + std::strerror(errno));
      continue;
    }
    c.name_ = name.substr(4);
    c.deadline_ns_ = deadline;
    last = connect_fd(c.fd_, ai->ai_addr, ai->ai_addrlen, name, deadline);
    if (last.ok()) {
      ::freeaddrinfo(res);
      return c;
    }
  }
  ::freeaddrinfo(res);
  return last;
}

Result<Conn> Conn::dial_unix(std::string_view path, int64_t timeout_ns) {
  std::string name = "unix " + std::string(path);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) {
    return Status::invalid_argument("dial " + name + ": path too long");
  }
  std::memcpy(sa.sun_path, path.data(), path.size());
  Conn c;
  c.fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd_ < 0) return Status::io_error("dial " + name + ": " + std::strerror(errno));
  c.name_ = std::string(path);
  c.deadline_ns_ = monotonic_ns() + timeout_ns;
  TSD_RETURN_IF_ERROR(
      connect_fd(c.fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa, name, c.deadline_ns_));
  return c;
}

Status Conn::write_all(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      TSD_RETURN_IF_ERROR(wait(POLLOUT, "write to"));
    } else if (n < 0 && errno != EINTR) {
      return Status::io_error("write to " + name_ + ": " + std::strerror(errno));
    }
  }
  return Status();
}

Result<bool> Conn::read_some(std::string* out) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      out->append(buf, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      TSD_RETURN_IF_ERROR(wait(POLLIN, "read from"));
    } else if (errno != EINTR) {
      return Status::io_error("read from " + name_ + ": " + std::strerror(errno));
    }
  }
}

Status Conn::read_until(std::string_view terminator, std::string* out) {
  size_t from = out->size();
  for (;;) {
    size_t start = from >= terminator.size() ? from - terminator.size() : 0;
    if (out->find(terminator, start) != std::string::npos) return Status();
    from = out->size();
    Result<bool> more = read_some(out);
    if (!more.ok()) return more.status();
    if (!*more) {
      return Status::io_error("read from " + name_ + ": connection closed before the reply ended");
    }
  }
}

Status Conn::read_to_eof(std::string* out) {
  for (;;) {
    Result<bool> more = read_some(out);
    if (!more.ok()) return more.status();
    if (!*more) return Status();
  }
}

}  // namespace tsd::collect
