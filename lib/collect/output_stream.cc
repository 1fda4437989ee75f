// The stream outputs: stdout and [[outputs.file]].
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "collect/output.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

// A pipe reports writable when a page is free, so chunks of one page never
// block for long; between chunks the writer looks at `abort`.
constexpr size_t kChunk = 4096;
constexpr int kPollMs = 200;

class StreamOutput : public Output {
 public:
  StreamOutput(std::string name, std::string target, int fd, bool owns)
      : name_(std::move(name)), target_(std::move(target)), fd_(fd), owns_(owns) {}
  ~StreamOutput() override {
    if (owns_ && fd_ >= 0) ::close(fd_);
  }
  const std::string& name() const override { return name_; }
  const std::string& target() const override { return target_; }
  bool closed() const override { return closed_; }
  bool is_stream() const override { return true; }

  Status write(std::string_view data, size_t* written, const std::atomic<bool>& abort) override {
    *written = 0;
    if (closed_) return Status::io_error(target_ + ": broken pipe");
    while (*written < data.size()) {
      struct pollfd p = {fd_, POLLOUT, 0};
      int r = ::poll(&p, 1, kPollMs);
      if (r < 0 && errno != EINTR) return Status::io_error(target_ + ": poll: " + std::strerror(errno));
      if (r <= 0) {
        if (abort.load()) return Status::busy(target_ + ": blocked");
        continue;
      }
      size_t n = std::min(kChunk, data.size() - *written);
      ssize_t w = ::write(fd_, data.data() + *written, n);
      if (w < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        if (errno == EPIPE) {
          closed_ = true;
          return Status::io_error(target_ + ": broken pipe");
        }
        return Status::io_error(target_ + ": write: " + std::strerror(errno));
      }
      *written += static_cast<size_t>(w);
    }
    return Status();
  }

 private:
  std::string name_, target_;
  int fd_;
  bool owns_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<Output> make_stdout_output() {
  return std::make_unique<StreamOutput>("stdout", "stdout", STDOUT_FILENO, false);
}

Result<std::vector<std::unique_ptr<Output>>> create_outputs(const PluginConfig& cfg) {
  std::vector<std::unique_ptr<Output>> out;
  if (cfg.name == "influxdb") {
    auto o = create_influxdb_output(cfg);
    if (!o.ok()) return o.status();
    out.push_back(std::move(*o));
    return out;
  }
  if (cfg.name != "file") {
    return Status::not_supported(cfg.where + ": unknown output \"" + cfg.name +
                                 "\" (tsd-collect writes to file and influxdb)");
  }
  std::vector<std::string> files;
  std::string format;
  TSD_ASSIGN_OPT(files, cfg.options->get_strings("files", {"stdout"}));
  TSD_ASSIGN_OPT(format, cfg.options->get_string("data_format", "influx"));
  if (format != "influx") {
    return Status::not_supported(cfg.where + ": outputs.file: data_format \"" + format +
                                 "\" is not supported (only \"influx\")");
  }
  for (const std::string& f : files) {
    if (f == "stdout") {
      out.push_back(std::make_unique<StreamOutput>("file", "stdout", STDOUT_FILENO, false));
      continue;
    }
    if (f == "stderr") {
      out.push_back(std::make_unique<StreamOutput>("file", "stderr", STDERR_FILENO, false));
      continue;
    }
    int fd = ::open(f.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return Status::io_error(cfg.where + ": outputs.file: open " + f + ": " + std::strerror(errno));
    out.push_back(std::make_unique<StreamOutput>("file", f, fd, true));
  }
  return out;
}

}  // namespace tsd::collect
