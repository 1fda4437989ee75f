#include "storage/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <memory>

#include "lineproto/lineproto.h"

namespace tsd::storage {
namespace {

constexpr size_t kChunk = 1 << 20;

class Ingest {
 public:
  Ingest(const IngestOptions& opts, const volatile std::sig_atomic_t* stop, std::FILE* err,
         Writer* w)
      : opts_(opts), stop_(stop), err_(err), w_(w), start_(now_ns()) {
    next_flush_ = start_ + opts.flush_interval;
    next_progress_ = start_ + 2 * kSecond;
  }

  Status file(int fd, const std::string& label);
  int64_t rejected() const { return rejected_; }
  void end_progress() {
    if (progress_shown_) std::fprintf(err_, "\r\033[K");
  }

 private:
  void report(int64_t line, const Status& s) {
    rejected_++;
    std::fprintf(err_, "%s%s%sline %lld: %s\n", opts_.prefix.c_str(), label_.c_str(),
                 label_.empty() ? "" : ": ", static_cast<long long>(line), s.message().c_str());
  }
  Status maybe_flush(bool force) {
    int64_t now = now_ns();
    bool due = opts_.flush_interval > 0 && now >= next_flush_;
    if (force || due || w_->should_flush()) {
      TSD_RETURN_IF_ERROR(w_->flush_async());
      for (const auto& m : w_->take_warnings()) std::fprintf(err_, "%s%s\n", opts_.prefix.c_str(), m.c_str());
      next_flush_ = now_ns() + opts_.flush_interval;
    }
    if (opts_.progress && now >= next_progress_) {
      double secs = static_cast<double>(now - start_) / kSecond;
      int64_t pts = w_->stats().points + w_->pending_points();
      std::fprintf(err_, "\r%s%lld points, %.0f points/s, %lld lines rejected\033[K",
                   opts_.prefix.c_str(), static_cast<long long>(pts), pts / secs,
                   static_cast<long long>(rejected_));
      std::fflush(err_);
      progress_shown_ = true;
      next_progress_ = now + kSecond;
    }
    return Status();
  }
  // Waits for input until the next flush is due; false when it is due.
  bool wait_input(int fd) {
    if (!w_->has_pending() || opts_.flush_interval <= 0) return true;
    int64_t wait = next_flush_ - now_ns();
    if (wait <= 0) return false;
    struct pollfd p = {fd, POLLIN, 0};
    int ms = static_cast<int>(std::min<int64_t>(wait / kMillisecond + 1, 1 << 30));
    int r = poll(&p, 1, ms);
    return r != 0;
  }

  const IngestOptions& opts_;
  const volatile std::sig_atomic_t* stop_;
  std::FILE* err_;
  Writer* w_;
  std::string label_;
  int64_t start_, next_flush_, next_progress_;
  int64_t rejected_ = 0;
  bool progress_shown_ = false;
};

Status Ingest::file(int fd, const std::string& label) {
  label_ = label;
  lp::ParseOptions po;
  po.precision = opts_.precision;
  po.allow_unsigned = true;
  po.defer_tags = true;  // the Writer checks a series text once
  lp::Reader reader(po);
  std::unique_ptr<char[]> buf(new char[kChunk]);
  // The time of points written without one: the time of the read, in the
  // input's precision (as InfluxDB stamps a request).
  int64_t now = truncate_time(now_ns(), opts_.precision);
  Status fatal;
  auto on_line = [&](const lp::ParsedLine& line) {
    if (!fatal.ok()) return;
    Status s = w_->add(line, now);
    if (s.ok()) return;
    if (s.code() == Status::Code::kConflict) {
      report(reader.line_number(), s);
    } else if (s.code() == Status::Code::kInvalidArgument) {  // a malformed series text
      report(reader.record_line(), s);
    } else {
      fatal = s;
    }
  };
  auto on_error = [&](int64_t line, const Status& s) { report(line, s); };
  bool interrupted = false;
  while (true) {
    if (*stop_) {
      interrupted = true;
      break;
    }
    if (!wait_input(fd)) {
      TSD_RETURN_IF_ERROR(maybe_flush(true));
      continue;
    }
    if (*stop_) continue;
    ssize_t n = read(fd, buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Status::io_error("read " + (label.empty() ? std::string("standard input") : label) +
                              ": " + strerror(errno));
    }
    if (n == 0) break;
    now = truncate_time(now_ns(), opts_.precision);
    reader.feed(std::string_view(buf.get(), static_cast<size_t>(n)), on_line, on_error);
    TSD_RETURN_IF_ERROR(fatal);
    TSD_RETURN_IF_ERROR(maybe_flush(false));
  }
  // At the end of the input a last line without '\n' is a line; cut off
  // by a signal it is only part of one (its time or a value may be cut
  // short), so it is dropped.
  if (!interrupted) reader.finish(on_line, on_error);
  return fatal;
}

}  // namespace

Status ingest(const IngestOptions& opts, const volatile std::sig_atomic_t* stop, std::FILE* err,
              IngestReport* report) {
  auto w = Writer::open(opts.writer);
  if (!w.ok()) return w.status();
  Ingest in(opts, stop, err, w->get());
  Status s;
  if (opts.files.empty()) {
    s = in.file(0, "");
  } else {
    for (const auto& f : opts.files) {
      if (*stop) break;
      if (f == "-") {
        s = in.file(0, f);
      } else {
        int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          s = Status::io_error("open " + f + ": " + strerror(errno));
        } else {
          s = in.file(fd, f);
          ::close(fd);
        }
      }
      if (!s.ok()) break;
    }
  }
  in.end_progress();
  // Store what was read even after an error in a later file.
  Status c = (*w)->close();
  for (const auto& m : (*w)->take_warnings()) std::fprintf(err, "%s%s\n", opts.prefix.c_str(), m.c_str());
  report->points = (*w)->stats().points;
  report->values = (*w)->stats().values;
  report->lines_rejected = in.rejected();
  std::fprintf(err, "%s%lld points written, %lld lines rejected\n", opts.prefix.c_str(),
               static_cast<long long>(report->points),
               static_cast<long long>(report->lines_rejected));
  if (!s.ok()) return s;
  return c;
}

}  // namespace tsd::storage
