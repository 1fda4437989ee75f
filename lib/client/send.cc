// tsd-write over a client (send.h).
#include "client/send.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "core/file.h"
#include "core/point.h"
#include "lineproto/lineproto.h"

namespace tsd::client {
namespace {


// "... dropped=N" -> N (0 when absent).
int64_t dropped_of(std::string_view m) {
  size_t at = m.rfind("dropped=");
  if (at == std::string_view::npos) return 0;
  return std::strtoll(std::string(m.substr(at + 8)).c_str(), nullptr, 10);
}

// The quoted words of InfluxDB's field type conflict:
// field type conflict: input field "f" on measurement "m" is type T, already exists as type U
bool type_conflict(std::string_view m, std::string* field, std::string* meas, std::string* type) {
  constexpr std::string_view kHead = "field type conflict: input field \"";
  size_t at = m.find(kHead);
  if (at == std::string_view::npos) return false;
  at += kHead.size();
  size_t q = m.find("\" on measurement \"", at);
  if (q == std::string_view::npos) return false;
  *field = m.substr(at, q - at);
  at = q + 18;
  q = m.find("\" is type ", at);
  if (q == std::string_view::npos) return false;
  *meas = m.substr(at, q - at);
  at = q + 10;
  q = m.find(',', at);
  if (q == std::string_view::npos) return false;
  *type = m.substr(at, q - at);
  return true;
}

class Sender {
 public:
  Sender(Client* c, const SendOptions& o, const volatile std::sig_atomic_t* stop, std::FILE* err)
      : c_(c), o_(o), stop_(stop), err_(err) {}

  Status file(int fd, const std::string& label) {
    label_ = label;
    db_ = o_.db;
    rp_ = o_.rp;
    lp::ParseOptions po;
    po.precision = o_.precision;
    lp::Reader reader(po);
    Status failed;
    auto on_line = [&](lp::ParsedLine& pl) {
      if (!failed.ok()) return;
      if (lines_.empty()) batch_started_ = now_ns();
      batch_.append(pl.text);
      batch_ += '\n';
      lines_.push_back(reader.record_line());
      if (lines_.size() >= o_.batch_lines) failed = flush();
    };
    auto on_error = [&](int64_t line, const Status& s) {
      report.lines_rejected++;
      say(line, s.message());
    };
    // The directives of `influx_inspect export`'s comments; the
    // statements of its DDL section run as they come.
    lp::ExportDirectives directives;
    auto on_text = [&](int64_t line, std::string_view t) {
      std::string_view text;
      const auto kind = directives.read(t, &reader, &text);
      if (kind == lp::ExportDirectives::Kind::kNone) return false;  // a comment
      if (kind == lp::ExportDirectives::Kind::kBlank) return true;
      if (kind == lp::ExportDirectives::Kind::kStatement) {
        if (failed.ok()) {
          failed = flush();
          Status s = run_ddl(c_, text);
          if (!s.ok()) on_error(line, s);
        }
        return true;
      }
      if (failed.ok()) failed = flush();  // what came before goes where it was meant to
      // As influx -import (and the local path): a database named keeps
      // the RP named before it.
      if (kind == lp::ExportDirectives::Kind::kDatabase) {
        db_ = text;
      } else if (kind == lp::ExportDirectives::Kind::kRetentionPolicy) {
        rp_ = text;
      }
      return true;
    };
    std::vector<char> buf(1 << 20);
    bool eof = false;
    while (!eof && failed.ok()) {
      if (*stop_) break;
      int wait = 100;  // look at the stop flag now and then
      if (!lines_.empty() && o_.flush_interval > 0) {
        const int64_t left = batch_started_ + o_.flush_interval - now_ns();
        wait = std::min<int64_t>(wait, left <= 0 ? 0 : left / kMillisecond + 1);
      }
      struct pollfd p = {fd, POLLIN, 0};
      int r = poll(&p, 1, wait);
      if (r < 0 && errno != EINTR) return Status::io_error(std::string("poll: ") + std::strerror(errno));
      if (r > 0) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Status::io_error("read " + name() + ": " + std::strerror(errno));
        if (n == 0) {
          eof = true;
        } else {
          reader.feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line, on_error, on_text);
        }
      }
      if (failed.ok() && !lines_.empty() && o_.flush_interval > 0 &&
          now_ns() >= batch_started_ + o_.flush_interval) {
        failed = flush();
      }
    }
    // The last line without a newline counts at the end of a file, not
    // when reading was stopped.
    if (eof && failed.ok()) reader.finish(on_line, on_error, on_text);
    if (!failed.ok()) return failed;
    return flush();
  }

  SendReport report;

 private:
  std::string name() const { return label_.empty() ? "standard input" : label_; }

  void say(int64_t line, const std::string& m) {
    std::fprintf(err_, "%s%s%sline %lld: %s\n", o_.prefix.c_str(), label_.c_str(),
                 label_.empty() ? "" : ": ", static_cast<long long>(line), m.c_str());
  }

  Status flush() {
    if (lines_.empty()) return Status();
    if (db_.empty()) {
      for (int64_t n : lines_) {
        report.lines_rejected++;
        say(n, "no database: give --db or a \"# CONTEXT-DATABASE:\" line before");
      }
      clear();
      return Status();
    }
    WriteOptions wo;
    wo.db = db_;
    wo.rp = rp_;
    wo.precision = o_.precision;
    Status s = c_->write(batch_, wo);
    if (s.code() == Status::Code::kNotFound && s.message().starts_with("database not found")) {
      query::Results r = c_->query("CREATE DATABASE \"" + db_ + "\"", QueryOptions{});
      if (r.failed()) return Status::io_error(r.first_error());
      s = c_->write(batch_, wo);
    }
    const int64_t n = static_cast<int64_t>(lines_.size());
    if (s.ok()) {
      report.points += n;
    } else if (s.code() == Status::Code::kConflict || s.code() == Status::Code::kInvalidArgument) {
      refused(s.message());
    } else {
      // Not delivered: say which lines, and stop.
      Status e(s.code(), s.message() + "; lines " + std::to_string(lines_.front()) + "-" +
                             std::to_string(lines_.back()) + " of " + name() + " not written");
      clear();
      return e;
    }
    clear();
    return Status();
  }

  // The server refused some of the batch: its lines where the message
  // names them.
  void refused(const std::string& m) {
    const int64_t n = static_cast<int64_t>(lines_.size());
    if (m.find("points beyond retention policy") != std::string::npos) {
      const int64_t d = dropped_of(m);
      report.points += n - d;
      report.points_beyond_retention += d;
      std::fprintf(err_, "%s%s\n", o_.prefix.c_str(), m.c_str());
      return;
    }
    int64_t dropped = m.starts_with("partial write") ? dropped_of(m) : n;
    int64_t mapped = 0;
    std::string field, meas, type;
    const bool conflict = type_conflict(m, &field, &meas, &type);
    std::string reason = m;
    if (reason.starts_with("partial write: ")) reason = reason.substr(15);
    if (size_t d = reason.rfind(" dropped="); d != std::string::npos) reason.resize(d);
    size_t at = 0;
    std::vector<std::string_view> texts;
    for (size_t i = 0; i < lines_.size(); i++) {
      size_t nl = lp::record_end(batch_, at);
      if (nl == std::string::npos) nl = batch_.size();
      std::string_view t = std::string_view(batch_).substr(at, nl - at);
      at = nl + 1;
      if (conflict) {
        lp::ParseOptions po;
        po.precision = o_.precision;
        if (!lp::parse_line(t, po, &parsed_).ok() || parsed_.measurement != meas) continue;
        for (const auto& f : parsed_.fields) {
          if (f.key == field && field_type_name(f.type) == type) {
            say(lines_[i], reason);
            mapped++;
            break;
          }
        }
      } else if (m.find("unable to parse '" + std::string(t) + "'") != std::string::npos) {
        // One of InfluxDB's parse errors, one per line of the message.
        std::string_view msg = m;
        size_t p = msg.find("unable to parse '" + std::string(t) + "'");
        size_t e = msg.find('\n', p);
        std::string one(msg.substr(p, e == std::string_view::npos ? msg.size() - p : e - p));
        if (size_t d = one.rfind(" dropped="); d != std::string::npos) one.resize(d);
        say(lines_[i], one);
        mapped++;
      }
    }
    if (!m.starts_with("partial write")) dropped = std::max(dropped, mapped);
    if (conflict) dropped = std::max(dropped, mapped);
    if (mapped == 0 || mapped < dropped) {
      std::fprintf(err_, "%s%s%slines %lld-%lld: %s\n", o_.prefix.c_str(), label_.c_str(),
                   label_.empty() ? "" : ": ", static_cast<long long>(lines_.front()),
                   static_cast<long long>(lines_.back()), m.c_str());
    }
    const int64_t rejected = std::max(dropped, mapped);
    report.lines_rejected += rejected;
    report.points += n - std::min(n, rejected);
  }

  void clear() {
    batch_.clear();
    lines_.clear();
  }

  Client* c_;
  const SendOptions& o_;
  const volatile std::sig_atomic_t* stop_;
  std::FILE* err_;
  std::string label_, db_, rp_;
  std::string batch_;
  std::vector<int64_t> lines_;  // input line of each line of batch_
  int64_t batch_started_ = 0;
  lp::ParsedLine parsed_;
};

}  // namespace

Status send(Client* client, const SendOptions& opts, const volatile std::sig_atomic_t* stop,
            std::FILE* err, SendReport* report) {
  Sender s(client, opts, stop, err);
  Status st = for_each_input(opts.files, stop, [&](int fd, const std::string& name) { return s.file(fd, name); });
  *report = s.report;
  std::fprintf(err, "%s%lld points written, %lld lines rejected\n", opts.prefix.c_str(),
               static_cast<long long>(report->points),
               static_cast<long long>(report->lines_rejected));
  return st;
}

}  // namespace tsd::client
