#include "serve/http.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace tsd::serve {
namespace {

constexpr size_t kReadBuffer = 64 << 10;
constexpr size_t kWriteBuffer = 64 << 10;
constexpr int kKeepBufferMs = 1000;

// The numeric host and the port of a socket address (getpeername's or
// getsockname's), as httplib gives them.
void host_and_port(const sockaddr_storage& addr, socklen_t len, std::string* ip, int* port) {
  char host[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, nullptr, 0,
                  NI_NUMERICHOST) == 0) {
    *ip = host;
  }
  if (addr.ss_family == AF_INET) {
    *port = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    *port = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  }
}

// A connection's socket for as long as it is open (http.h): reads through
// a buffer, writes into one that goes out when an answer is complete.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int sock, int read_timeout_ms) : sock_(sock), read_timeout_ms_(read_timeout_ms) {}

  bool is_readable() const override {
    if (in_pos_ < in_end_) return true;
    pollfd p{sock_, POLLIN, 0};
    return poll_once(&p, 1, read_timeout_ms_) > 0;
  }

  // False once a send failed (the client went away or stopped reading
  // for the write timeout): httplib then stops making the answer.
  bool is_writable() const override { return !failed_; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_pos_ == in_end_) {
      // The client may wait for what was written before it sends more.
      if (!flush()) return -1;
      if (size >= kReadBuffer) return recv_once(ptr, size);
      if (!in_) in_ = std::make_unique<char[]>(kReadBuffer);
      const ssize_t n = recv_once(in_.get(), kReadBuffer);
      if (n <= 0) return n;  // closed, an error, or the read timeout (SO_RCVTIMEO)
      in_pos_ = 0;
      in_end_ = static_cast<size_t>(n);
    }
    const size_t k = std::min(size, in_end_ - in_pos_);
    std::memcpy(ptr, in_.get() + in_pos_, k);
    in_pos_ += k;
    return static_cast<ssize_t>(k);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    if (out_.size() + size <= kWriteBuffer) {
      out_.append(ptr, size);
    } else if (!send_all(ptr, size)) {
      return -1;
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address(&peer_, getpeername, &ip, &port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(&local_, getsockname, &ip, &port);
  }

  socket_t socket() const override { return sock_; }

  // Sends what is buffered; false once a send failed.
  bool flush() {
    if (failed_) return false;
    return out_.empty() || send_all(nullptr, 0);
  }

  // Waits up to idle_ms for the client's next request (true: something to
  // read, or the client closed), ended early when stop_fd is readable.
  bool wait_for_request(int idle_ms, int stop_fd) {
    if (in_pos_ < in_end_) return true;
    pollfd p[2] = {{sock_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    const nfds_t n = stop_fd >= 0 ? 2 : 1;
    // The read buffer is kept for a client that comes back within a
    // second (malloc and free of 64 KiB a request cost more than the
    // request's own allocations), and given back by one that idles.
    int r = poll_once(p, n, std::min(idle_ms, kKeepBufferMs));
    if (r == 0 && idle_ms > kKeepBufferMs) {
      in_.reset();
      r = poll_once(p, n, idle_ms - kKeepBufferMs);
    }
    return r > 0 && p[0].revents != 0 && p[1].revents == 0;
  }

 private:
  struct Address {
    bool known = false;
    std::string ip;
    int port = -1;
  };

  void address(Address* a, int (*get)(int, sockaddr*, socklen_t*), std::string* ip,
               int* port) const {
    if (!a->known) {
      a->known = true;
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      if (get(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        host_and_port(addr, len, &a->ip, &a->port);
      }
    }
    *ip = a->ip;
    *port = a->port;
  }

  static int poll_once(pollfd* p, nfds_t n, int timeout_ms) {
    int r;
    do {
      r = ::poll(p, n, timeout_ms);
    } while (r < 0 && errno == EINTR);
    return r;
  }

  ssize_t recv_once(char* to, size_t size) {
    ssize_t n;
    do {
      n = ::recv(sock_, to, size, 0);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  // Sends the buffer, then `size` bytes at ptr, in as few calls as the
  // socket takes them (each waits up to the write timeout, SO_SNDTIMEO).
  bool send_all(const char* ptr, size_t size) {
    size_t buffered = out_.size();
    size_t at = 0;  // bytes of buffer + ptr sent
    while (at < buffered + size) {
      iovec iov[2];
      int k = 0;
      if (at < buffered) iov[k++] = {out_.data() + at, buffered - at};
      if (size > 0) {
        const size_t from = at > buffered ? at - buffered : 0;
        iov[k++] = {const_cast<char*>(ptr) + from, size - from};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<size_t>(k);
      const ssize_t n = ::sendmsg(sock_, &msg, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        failed_ = true;
        out_.clear();
        return false;
      }
      at += static_cast<size_t>(n);
    }
    out_.clear();
    return true;
  }

  const int sock_;
  const int read_timeout_ms_;
  std::unique_ptr<char[]> in_;
  size_t in_pos_ = 0, in_end_ = 0;
  std::string out_;
  bool failed_ = false;
  mutable Address peer_, local_;  // asked once
};

}  // namespace

HttpServer::HttpServer() : stop_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

HttpServer::~HttpServer() {
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

void HttpServer::stop_serving() {
  stopping_ = true;
  if (stop_fd_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(stop_fd_, &one, sizeof one);
  }
  stop();
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  const auto read_ms = read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000;
  ConnectionStream strm(sock, static_cast<int>(std::max<time_t>(read_ms, 1)));
  const int idle_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
  bool ret = false;
  size_t count = keep_alive_max_count_;
  while (!stopping_ && svr_sock_ != INVALID_SOCKET && count > 0 &&
         strm.wait_for_request(idle_ms, stop_fd_)) {
    bool connection_closed = false;
    ret = process_request(strm, count == 1, connection_closed, nullptr);
    if (!strm.flush()) ret = false;
    if (!ret || connection_closed) break;
    count--;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ret;
}

}  // namespace tsd::serve
