// Output helpers of the data generators (tsd-gen, fleet-feed): big write(2)s
// to stdout, no stdio locking; a failed write ends the program.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace tsd_tools {

// Writes all n bytes to fd; on an error says "<prog>: write: ..." and exits 1.
inline void write_all(int fd, const char* p, size_t n, const char* prog) {
  size_t off = 0;
  while (off < n) {
    ssize_t w = ::write(fd, p + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      std::fprintf(stderr, "%s: write: %s\n", prog, std::strerror(errno));
      std::_Exit(1);
    }
    off += static_cast<size_t>(w);
  }
}

// Buffered stdout: lines are formatted in place (reserve, then commit).
class Out {
 public:
  explicit Out(const char* prog) : prog_(prog), buf_(1 << 20) {}
  ~Out() { flush(); }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  // Room for at least n more bytes (n below 1 MiB).
  char* reserve(size_t n) {
    if (buf_.size() - used_ < n) flush();
    return buf_.data() + used_;
  }
  void commit(char* end) { used_ = static_cast<size_t>(end - buf_.data()); }
  void flush() {
    write_all(1, buf_.data(), used_, prog_);
    used_ = 0;
  }

 private:
  const char* prog_;
  std::vector<char> buf_;
  size_t used_ = 0;
};

}  // namespace tsd_tools
