// tsd-write over a client (send.h).
#include "client/send.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

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

// A batch of lines on its way to the server, or a message for stderr
// between batches: both are reported in the order they were made.
struct Entry {
  bool message = false;
  std::string text;            // the batch's lines, or the message's words
  std::vector<int64_t> lines;  // input line of each line of text
  std::string db, rp, label;
  Status status;               // the server's answer
  bool done = false;           // answered (a message: at once)
};

class Sender {
 public:
  Sender(Client* c, const SendOptions& o, const volatile std::sig_atomic_t* stop, std::FILE* err)
      : c_(c), o_(o), stop_(stop), err_(err) {
    workers_.emplace_back([this] { work(c_); });
    while (workers_.size() < std::max<size_t>(o_.in_flight, 1)) {
      std::unique_ptr<Client> other = c_->another();
      if (other == nullptr) break;
      others_.push_back(std::move(other));
      workers_.emplace_back([this, other = others_.back().get()] { work(other); });
    }
  }

  ~Sender() {
    {
      std::lock_guard l(mu_);
      quit_ = true;
    }
    work_.notify_all();
    for (auto& t : workers_) t.join();
  }

  // Every input, then every batch's answer: the first failure.
  Status run() {
    Status s = for_each_input(o_.files, stop_, [&](int fd, const std::string& name) { return file(fd, name); });
    if (!s.ok() && failed_.ok()) failed_ = s;
    drain();
    return failed_;
  }

  SendReport report;

 private:
  Status file(int fd, const std::string& label) {
    label_ = label;
    db_ = o_.db;
    rp_ = o_.rp;
    lp::ParseOptions po;
    po.precision = o_.precision;
    po.defer_tags = true;  // a series text is checked whole once (checked_)
    lp::Reader reader(po);
    auto on_error = [&](int64_t line, const Status& s) {
      report.lines_rejected++;
      say(line, s.message());
    };
    auto on_line = [&](lp::ParsedLine& pl) {
      if (!failed_.ok()) return;
      if (Status s = checked_.check(&pl); !s.ok()) return on_error(reader.record_line(), s);
      if (lines_.empty()) batch_started_ = now_ns();
      batch_.append(pl.text);
      batch_ += '\n';
      lines_.push_back(reader.record_line());
      if (lines_.size() >= o_.batch_lines) flush();
    };
    // The directives of `influx_inspect export`'s comments; the
    // statements of its DDL section run as they come, after the batches
    // before them (and the batches before a change of target land there
    // first).
    lp::ExportDirectives directives;
    auto on_text = [&](int64_t line, std::string_view t) {
      std::string_view text;
      const auto kind = directives.read(t, &reader, &text);
      if (kind == lp::ExportDirectives::Kind::kNone) return false;  // a comment
      if (kind == lp::ExportDirectives::Kind::kBlank) return true;
      if (failed_.ok()) {
        flush();
        drain();
      }
      if (kind == lp::ExportDirectives::Kind::kStatement) {
        if (failed_.ok()) {
          Status s = run_ddl(c_, text);
          if (!s.ok()) on_error(line, s);
        }
        return true;
      }
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
    while (!eof && failed_.ok()) {
      if (*stop_) break;
      reap(false);  // a live pipe's answers as they come; a failure stops it
      if (!failed_.ok()) break;
      int wait = 100;  // look at the stop flag and the answers now and then
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
        if (n < 0) return Status::io_error("read " + name(label_) + ": " + std::strerror(errno));
        if (n == 0) {
          eof = true;
        } else {
          reader.feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line, on_error, on_text);
        }
      }
      if (failed_.ok() && !lines_.empty() && o_.flush_interval > 0 &&
          now_ns() >= batch_started_ + o_.flush_interval) {
        flush();
      }
    }
    // The last line without a newline counts at the end of a file, not
    // when reading was stopped.
    if (eof && failed_.ok()) reader.finish(on_line, on_error, on_text);
    if (failed_.ok()) flush();
    return failed_;
  }

  static std::string name(const std::string& label) { return label.empty() ? "standard input" : label; }

  std::string at(const std::string& label) const {
    return o_.prefix + label + (label.empty() ? "" : ": ");
  }

  // A message about input line `line` of the file being read, in its turn.
  void say(int64_t line, const std::string& m) {
    note(at(label_) + "line " + std::to_string(line) + ": " + m + "\n");
  }

  void note(std::string text) {
    auto e = std::make_unique<Entry>();
    e->message = true;
    e->text = std::move(text);
    e->done = true;
    {
      std::lock_guard l(mu_);
      order_.push_back(std::move(e));
    }
    reap(false);
  }

  // The lines read so far go (or, without a database, are rejected).
  void flush() {
    if (lines_.empty()) return;
    if (db_.empty()) {
      std::vector<int64_t> lines = std::move(lines_);
      clear();
      for (int64_t n : lines) {
        report.lines_rejected++;
        say(n, "no database: give --db or a \"# CONTEXT-DATABASE:\" line before");
      }
      return;
    }
    auto e = std::make_unique<Entry>();
    e->text = std::move(batch_);
    e->lines = std::move(lines_);
    e->db = db_;
    e->rp = rp_;
    e->label = label_;
    clear();
    // Once `in_flight` batches are out (or twice as many wait to be
    // reported behind one that is not answered yet), the next waits.
    const size_t depth = workers_.size();
    for (;;) {
      reap(false);
      std::unique_lock l(mu_);
      auto room = [&] { return busy_ < depth && batches_ < 2 * depth; };
      done_.wait(l, [&] { return room() || (!order_.empty() && order_.front()->done); });
      if (!room()) continue;  // reported first
      todo_.push_back(e.get());
      order_.push_back(std::move(e));
      busy_++;
      batches_++;
      break;
    }
    work_.notify_one();
  }

  // Every batch sent answered and reported.
  void drain() { reap(true); }

  // Reports what is answered at the head of the order (`wait`: until
  // nothing is left).
  void reap(bool wait) {
    for (;;) {
      std::unique_ptr<Entry> e;
      {
        std::unique_lock l(mu_);
        if (wait) done_.wait(l, [&] { return order_.empty() || order_.front()->done; });
        if (order_.empty() || !order_.front()->done) return;
        e = std::move(order_.front());
        order_.pop_front();
        if (!e->message) batches_--;
      }
      answered(*e);
    }
  }

  // A sender thread: batches to the server over its client.
  void work(Client* c) {
    for (;;) {
      Entry* e = nullptr;
      {
        std::unique_lock l(mu_);
        work_.wait(l, [&] { return quit_ || !todo_.empty(); });
        if (todo_.empty()) return;
        e = todo_.front();
        todo_.pop_front();
      }
      Status s = deliver(c, *e);
      {
        std::lock_guard l(mu_);
        e->status = std::move(s);
        e->done = true;
        busy_--;
      }
      done_.notify_all();
    }
  }

  // Sends a batch (creating its database when missing); its answer.
  Status deliver(Client* c, const Entry& e) const {
    WriteOptions wo;
    wo.db = e.db;
    wo.rp = e.rp;
    wo.precision = o_.precision;
    Status s = c->write(e.text, wo);
    if (s.code() == Status::Code::kNotFound && s.message().starts_with("database not found")) {
      query::Results r = c->query("CREATE DATABASE \"" + e.db + "\"", QueryOptions{});
      if (r.failed()) return Status::io_error(r.first_error());
      s = c->write(e.text, wo);
    }
    return s;
  }

  void answered(const Entry& e) {
    if (e.message) {
      std::fputs(e.text.c_str(), err_);
      return;
    }
    const Status& s = e.status;
    if (s.ok()) {
      report.points += static_cast<int64_t>(e.lines.size());
    } else if (s.code() == Status::Code::kConflict || s.code() == Status::Code::kInvalidArgument) {
      refused(e, s.message());
    } else {
      // Not delivered: say which lines, and stop.
      Status f(s.code(), s.message() + "; lines " + std::to_string(e.lines.front()) + "-" +
                             std::to_string(e.lines.back()) + " of " + name(e.label) + " not written");
      if (failed_.ok()) {
        failed_ = f;
      } else {
        std::fprintf(err_, "%s%s\n", o_.prefix.c_str(), f.message().c_str());
      }
    }
  }

  // The server refused some of the batch: its lines where the message
  // names them.
  void refused(const Entry& e, const std::string& m) {
    const std::vector<int64_t>& lines = e.lines;
    const std::string& batch = e.text;
    const int64_t n = static_cast<int64_t>(lines.size());
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
    auto say_at = [&](int64_t line, const std::string& why) {
      std::fprintf(err_, "%sline %lld: %s\n", at(e.label).c_str(), static_cast<long long>(line), why.c_str());
    };
    size_t pos = 0;
    for (size_t i = 0; i < lines.size(); i++) {
      size_t nl = lp::record_end(batch, pos);
      if (nl == std::string::npos) nl = batch.size();
      std::string_view t = std::string_view(batch).substr(pos, nl - pos);
      pos = nl + 1;
      if (conflict) {
        lp::ParseOptions po;
        po.precision = o_.precision;
        if (!lp::parse_line(t, po, &parsed_).ok() || parsed_.measurement != meas) continue;
        for (const auto& f : parsed_.fields) {
          if (f.key == field && field_type_name(f.type) == type) {
            say_at(lines[i], reason);
            mapped++;
            break;
          }
        }
      } else if (m.find("unable to parse '" + std::string(t) + "'") != std::string::npos) {
        // One of InfluxDB's parse errors, one per line of the message.
        std::string_view msg = m;
        size_t p = msg.find("unable to parse '" + std::string(t) + "'");
        size_t end = msg.find('\n', p);
        std::string one(msg.substr(p, end == std::string_view::npos ? msg.size() - p : end - p));
        if (size_t d = one.rfind(" dropped="); d != std::string::npos) one.resize(d);
        say_at(lines[i], one);
        mapped++;
      }
    }
    if (!m.starts_with("partial write")) dropped = std::max(dropped, mapped);
    if (conflict) dropped = std::max(dropped, mapped);
    if (mapped == 0 || mapped < dropped) {
      std::fprintf(err_, "%slines %lld-%lld: %s\n", at(e.label).c_str(), static_cast<long long>(lines.front()),
                   static_cast<long long>(lines.back()), m.c_str());
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
  Status failed_;  // the first batch not delivered (or input not read)
  // The file being read and its batch being made.
  std::string label_, db_, rp_;
  std::string batch_;
  std::vector<int64_t> lines_;  // input line of each line of batch_
  int64_t batch_started_ = 0;
  lp::ParsedLine parsed_;
  lp::CheckedSeries checked_;
  // The batches out and the messages between them, under mu_: order_
  // all of them as made, todo_ the batches no sender has taken yet.
  std::mutex mu_;
  std::condition_variable work_, done_;
  std::deque<std::unique_ptr<Entry>> order_;
  std::deque<Entry*> todo_;
  size_t busy_ = 0;     // batches not answered yet
  size_t batches_ = 0;  // batches in order_
  bool quit_ = false;
  std::vector<std::unique_ptr<Client>> others_;
  std::vector<std::thread> workers_;  // last: they start once the rest is made
};

}  // namespace

Status send(Client* client, const SendOptions& opts, const volatile std::sig_atomic_t* stop,
            std::FILE* err, SendReport* report) {
  Status st;
  {
    Sender s(client, opts, stop, err);
    st = s.run();
    *report = s.report;
  }
  std::fprintf(err, "%s%lld points written, %lld lines rejected\n", opts.prefix.c_str(),
               static_cast<long long>(report->points),
               static_cast<long long>(report->lines_rejected));
  return st;
}

}  // namespace tsd::client
