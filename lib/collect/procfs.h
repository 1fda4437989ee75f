// Reading /proc and /sys cheaply: host roots, reused file buffers, and
// allocation-free number parsing for the system inputs.
//
// Like Telegraf, every path is under a root taken from the environment:
// HOST_PROC (default /proc), HOST_SYS (/sys), HOST_VAR (/var, for run/utmp),
// HOST_MOUNT_PREFIX (prefix stripped from mount points) and HOST_RUN (/run,
// for udev data), so tests and containers point the inputs elsewhere.
// A ProcFile keeps its descriptor open and re-reads with one pread(2) into a
// buffer it reuses. Not thread-safe: each input owns its ProcFiles.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tsd::collect {

// The roots, read from the environment at each call.
std::string host_proc();
std::string host_sys();
std::string host_var();
std::string host_run();
std::string host_mount_prefix();

// Reads the whole file at `path` into *buf (reusing its capacity). A short
// read is taken as the end of the file, so a /proc file costs one read(2).
Status read_whole_file(const std::string& path, std::string* buf);
// The same for `rel` under an open directory (saves the path walk per
// process when scanning /proc/*).
Status read_file_at(int dirfd, const char* rel, std::string* buf);

// A file read again and again (/proc/stat every second): the descriptor
// stays open and each read() is one pread(2) from offset 0.
class ProcFile {
 public:
  explicit ProcFile(std::string path) : path_(std::move(path)) {}
  ~ProcFile();
  ProcFile(const ProcFile&) = delete;
  ProcFile& operator=(const ProcFile&) = delete;

  // The current contents; valid until the next read(). An error names the path.
  Result<std::string_view> read();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string buf_;
};

// A cursor over text: lines and whitespace-separated words.
class TextCursor {
 public:
  explicit TextCursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  // The next line without its '\n'; false at the end.
  bool next_line(std::string_view* line);
 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Splits `s` at spaces and tabs into at most `max` words; returns how many.
size_t split_words(std::string_view s, std::string_view* out, size_t max);

// The first word of `s` after skipping blanks; advances s past it.
std::string_view next_word(std::string_view* s);

// Number parsing with std::from_chars; false on anything but a whole number.
inline bool parse_u64(std::string_view s, uint64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
inline bool parse_i64(std::string_view s, int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
inline bool parse_f64(std::string_view s, double* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
// An unsigned as int64 (Telegraf writes uint64 counters as integers,
// clamped at the int64 maximum).
inline int64_t clamp_i64(uint64_t v) {
  return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
}

// "Key:   1234 kB" style files (/proc/meminfo, /proc/PID/status): calls
// fn(key, value_text) for each line, value_text without the unit.
template <class Fn>
void for_each_key_value(std::string_view text, Fn&& fn) {
  TextCursor c(text);
  std::string_view line;
  while (c.next_line(&line)) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view rest = line.substr(colon + 1);
    std::string_view value = next_word(&rest);
    fn(line.substr(0, colon), value);
  }
}

}  // namespace tsd::collect
