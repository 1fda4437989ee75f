#include "collect/procfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace tsd::collect {
namespace {

std::string env_or(const char* name, const char* def) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : std::string(def);
}

constexpr size_t kFirstBufferSize = 4096;

// Reads fd from offset 0 into *buf; grows *buf until a read comes back short.
Status pread_all(int fd, const std::string& path, std::string* buf) {
  if (buf->size() < kFirstBufferSize) buf->resize(kFirstBufferSize);
  size_t len = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf->data() + len, buf->size() - len, static_cast<off_t>(len));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error("read " + path + ": " + std::strerror(errno));
    }
    len += static_cast<size_t>(n);
    if (len < buf->size()) break;  // short read: the end of the file
    buf->resize(buf->size() * 2);
  }
  // Keep the capacity: resize down only changes the length.
  buf->resize(len);
  return Status();
}

}  // namespace

std::string host_proc() { return env_or("HOST_PROC", "/proc"); }
std::string host_sys() { return env_or("HOST_SYS", "/sys"); }
std::string host_var() { return env_or("HOST_VAR", "/var"); }
std::string host_run() { return env_or("HOST_RUN", "/run"); }
std::string host_mount_prefix() { return env_or("HOST_MOUNT_PREFIX", ""); }

Status read_whole_file(const std::string& path, std::string* buf) {
  return read_file_at(AT_FDCWD, path.c_str(), buf);
}

Status read_file_at(int dirfd, const char* rel, std::string* buf) {
  int fd = ::openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::io_error(std::string("open ") + rel + ": " + std::strerror(errno));
  buf->resize(buf->capacity() > kFirstBufferSize ? buf->capacity() : kFirstBufferSize);
  Status s = pread_all(fd, rel, buf);
  ::close(fd);
  return s;
}

ProcFile::~ProcFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string_view> ProcFile::read() {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Status::io_error("open " + path_ + ": " + std::strerror(errno));
  }
  buf_.resize(buf_.capacity());
  Status s = pread_all(fd_, path_, &buf_);
  if (!s.ok()) {
    ::close(fd_);
    fd_ = -1;
    return s;
  }
  return std::string_view(buf_);
}

bool TextCursor::next_line(std::string_view* line) {
  if (pos_ >= s_.size()) return false;
  size_t nl = s_.find('\n', pos_);
  if (nl == std::string_view::npos) nl = s_.size();
  *line = s_.substr(pos_, nl - pos_);
  pos_ = nl + 1;
  return true;
}

std::string_view next_word(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && ((*s)[i] == ' ' || (*s)[i] == '\t')) ++i;
  size_t j = i;
  while (j < s->size() && (*s)[j] != ' ' && (*s)[j] != '\t' && (*s)[j] != '\n') ++j;
  std::string_view w = s->substr(i, j - i);
  s->remove_prefix(j);
  return w;
}

size_t split_words(std::string_view s, std::string_view* out, size_t max) {
  size_t n = 0;
  while (n < max) {
    std::string_view w = next_word(&s);
    if (w.empty()) break;
    out[n++] = w;
  }
  return n;
}

}  // namespace tsd::collect
