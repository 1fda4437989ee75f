#include "storage/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "core/file.h"
#include "lineproto/lineproto.h"
#include "storage/retention.h"

namespace tsd::storage {
namespace {

constexpr size_t kChunk = 1 << 20;

class Ingest {
 public:
  Ingest(const IngestOptions& opts, const volatile std::sig_atomic_t* stop, std::FILE* err)
      : opts_(opts), stop_(stop), err_(err), db_(opts.writer.db), rp_(opts.writer.rp),
        start_(now_ns()) {
    next_flush_ = start_ + opts.flush_interval;
    next_progress_ = start_ + 2 * kSecond;
  }

  // Opens the writer of the default target (--db, --rp), if there is one:
  // its errors (an unknown RP) come before any input is read.
  Status open_default() {
    if (db_.empty()) return Status();
    dirty_ = false;
    auto w = Writer::open(opts_.writer);
    if (!w.ok()) return w.status();
    writers_.push_back({key(db_, rp_), std::move(*w)});
    w_ = writers_.back().second.get();
    return Status();
  }
  Status file(int fd, const std::string& label);
  // Closes every writer, first error kept; fills the report's figures.
  Status close(IngestReport* report);
  struct Batch;
  int64_t rejected() const { return rejected_; }
  // Says "partial write: points beyond retention policy dropped=N" for the
  // points the Writer dropped since it last said it (a live pipe hears of
  // them at the next flush, not only at its end).
  void report_beyond_retention() {
    int64_t n = 0;
    for (const auto& w : writers_) {
      if (w.second) n += w.second->stats().points_beyond_retention;
    }
    if (n == beyond_reported_) return;
    std::fprintf(err_, "%s%s\n", opts_.prefix.c_str(),
                 beyond_retention_error(n - beyond_reported_).c_str());
    beyond_reported_ = n;
  }
  void end_progress() {
    if (progress_shown_) std::fprintf(err_, "\r\033[K");
  }

 private:
  void report(int64_t line, const Status& s) {
    rejected_++;
    say(line, s);
  }
  // The same message, for what is not a rejected line itself.
  void say(int64_t line, const Status& s) {
    std::fprintf(err_, "%s%s%sline %lld: %s\n", opts_.prefix.c_str(), label_.c_str(),
                 label_.empty() ? "" : ": ", static_cast<long long>(line), s.message().c_str());
  }
  Status flush(Writer* w) {
    TSD_RETURN_IF_ERROR(w->flush_async());
    for (const auto& m : w->take_warnings()) {
      std::fprintf(err_, "%s%s\n", opts_.prefix.c_str(), m.c_str());
    }
    report_beyond_retention();
    return Status();
  }
  Status maybe_flush(bool force) {
    int64_t now = now_ns();
    bool due = opts_.flush_interval > 0 && now >= next_flush_;
    if (w_ && (force || due || w_->should_flush())) {
      TSD_RETURN_IF_ERROR(flush(w_));
      next_flush_ = now_ns() + opts_.flush_interval;
    }
    if (opts_.progress && now >= next_progress_) {
      double secs = static_cast<double>(now - start_) / kSecond;
      int64_t pts = w_ ? w_->pending_points() : 0;
      for (const auto& w : writers_) {
        if (w.second) pts += w.second->stats().points;
      }
      std::fprintf(err_, "\r%s%lld points, %.0f points/s, %lld lines rejected\033[K",
                   opts_.prefix.c_str(), static_cast<long long>(pts), pts / secs,
                   static_cast<long long>(rejected_));
      std::fflush(err_);
      progress_shown_ = true;
      next_progress_ = now + kSecond;
    }
    return Status();
  }
  void parse_loop(int fd, const std::string& label, const lp::ParseOptions& po);
  static std::string key(const std::string& db, const std::string& rp) {
    return db + '\0' + rp;
  }
  // A comment's directive or a DDL statement, in input order.
  Status event(const Batch& b, size_t e);
  // Makes w_ the writer of db_ and rp_ (`line`: the first line for it);
  // false when there is none (reported once: no database, unknown RP).
  Result<bool> retarget(int64_t line);

  // Batches going round between the two threads: a few free ones, and the
  // full ones in input order.
  class Pipe {
   public:
    void reset() {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = false;
      full_.clear();
      free_.clear();
      for (auto& b : all_) free_.push_back(b.get());
      while (all_.size() < kBatches) {
        all_.push_back(std::make_unique<Batch>());
        free_.push_back(all_.back().get());
      }
    }
    void stop() {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
      cv_.notify_all();
    }
    Batch* take_free() {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopped_ || !free_.empty(); });
      if (stopped_) return nullptr;
      Batch* b = free_.front();
      free_.pop_front();
      return b;
    }
    bool put_full(Batch* b) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return false;
      full_.push_back(b);
      cv_.notify_all();
      return true;
    }
    // The next full batch; null once `deadline` (ns, 0: none) has passed.
    Batch* take_full(int64_t deadline) {
      std::unique_lock<std::mutex> lock(mu_);
      while (full_.empty()) {
        if (deadline == 0) {
          cv_.wait(lock);
        } else {
          int64_t wait = deadline - now_ns();
          if (wait <= 0) return nullptr;
          cv_.wait_for(lock, std::chrono::nanoseconds(wait));
        }
      }
      Batch* b = full_.front();
      full_.pop_front();
      return b;
    }
    void put_free(Batch* b) {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(b);
      cv_.notify_all();
    }

   private:
    static constexpr size_t kBatches = 3;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Batch>> all_;
    std::deque<Batch*> free_, full_;
    bool stopped_ = false;
  };

  const IngestOptions& opts_;
  const volatile std::sig_atomic_t* stop_;
  std::FILE* err_;
  // The target of the lines: database and RP as the context lines say,
  // its writer (null: none; its lines are rejected), every writer opened
  // (null where the RP was not found) by key(db, rp).
  std::string db_, rp_;
  int64_t context_line_ = 0;  // of the last context line (0: none)
  bool dirty_ = true;         // db_ or rp_ changed since w_ was chosen
  Writer* w_ = nullptr;
  std::vector<std::pair<std::string, std::unique_ptr<Writer>>> writers_;
  std::string label_;
  int64_t start_, next_flush_, next_progress_;
  int64_t rejected_ = 0;
  int64_t beyond_reported_ = 0;
  bool progress_shown_ = false;
  Pipe pipe_;
};

// What the parsing thread hands to the storing one: a chunk of input and
// its lines parsed (their views point into `buf` or into `owned`).
struct Ingest::Batch {
  std::unique_ptr<char[]> buf{new char[kChunk]};
  std::vector<lp::ParsedLine> lines;  // the first n are this chunk's
  size_t n = 0;
  std::vector<int64_t> first_line, last_line;  // of each record
  // What comes between the lines: bad lines and directives.
  struct Event {
    enum class Kind { kError, kDatabase, kRetentionPolicy, kStatement };
    Kind kind;
    size_t before;  // good lines before it
    int64_t line;
    Status status;     // kError
    std::string text;  // the database, RP or statement
  };
  std::vector<Event> events;
  std::deque<std::string> owned;  // records that spanned chunks
  int64_t now = 0;                // the read's time, for points without one
  bool eof = false;
  Status failed;  // a read error
  void clear() {
    n = 0;
    first_line.clear();
    last_line.clear();
    events.clear();
    owned.clear();
    eof = false;
  }
};

// Reads and parses on a thread of its own while this one stores: parsing
// is two thirds of the work, so a bulk load uses both cores (the Reader
// stays sequential, so records spanning lines and chunks parse as ever).
void Ingest::parse_loop(int fd, const std::string& label, const lp::ParseOptions& po) {
  lp::Reader reader(po);
  Batch* b = nullptr;
  auto on_line = [&](lp::ParsedLine& line) {
    if (b->lines.size() <= b->n) b->lines.emplace_back();
    lp::ParsedLine& slot = b->lines[b->n];
    const char* base = b->buf.get();
    if (line.text.data() >= base && line.text.data() < base + kChunk) {
      std::swap(slot, line);  // no copy: the Reader reuses the slot's old buffers
    } else {  // in the Reader's carry-over: keep a copy, parsed again
      b->owned.emplace_back(line.text);
      (void)lp::parse_line(b->owned.back(), po, &slot);
    }
    b->first_line.push_back(reader.record_line());
    b->last_line.push_back(reader.line_number());
    b->n++;
  };
  using Kind = Batch::Event::Kind;
  auto on_error = [&](int64_t line, const Status& s) {
    b->events.push_back({Kind::kError, b->n, line, s, {}});
  };
  // The directives of `influx_inspect export`'s comments, and the
  // statements of its DDL section, as events in input order.
  lp::ExportDirectives directives;
  auto on_text = [&](int64_t line, std::string_view t) {
    std::string_view text;
    switch (directives.read(t, &reader, &text)) {
      case lp::ExportDirectives::Kind::kNone: return false;  // a comment
      case lp::ExportDirectives::Kind::kDatabase:
        b->events.push_back({Kind::kDatabase, b->n, line, {}, std::string(text)});
        break;
      case lp::ExportDirectives::Kind::kRetentionPolicy:
        b->events.push_back({Kind::kRetentionPolicy, b->n, line, {}, std::string(text)});
        break;
      case lp::ExportDirectives::Kind::kStatement:
        b->events.push_back({Kind::kStatement, b->n, line, {}, std::string(text)});
        break;
      case lp::ExportDirectives::Kind::kSection:
      case lp::ExportDirectives::Kind::kBlank: break;
    }
    return true;
  };
  while (true) {
    b = pipe_.take_free();
    if (!b) return;  // stopped
    b->clear();
    // Wait for input, looking at the stop flags now and then.
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r == 0 || (r < 0 && errno == EINTR) || *stop_) {
      if (*stop_) b->eof = true;  // the lines read are stored, an incomplete one dropped
      if (!pipe_.put_full(b) || b->eof) return;
      continue;
    }
    ssize_t n = read(fd, b->buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        if (!pipe_.put_full(b)) return;
        continue;
      }
      b->failed = Status::io_error("read " +
                                   (label.empty() ? std::string("standard input") : label) +
                                   ": " + strerror(errno));
      b->eof = true;
      pipe_.put_full(b);
      return;
    }
    b->now = truncate_time(now_ns(), opts_.precision);
    if (n == 0) {
      // At the end of the input a last line without '\n' is a line.
      reader.finish(on_line, on_error, on_text);
      b->eof = true;
    } else {
      reader.feed(std::string_view(b->buf.get(), static_cast<size_t>(n)), on_line, on_error,
                  on_text);
    }
    if (!pipe_.put_full(b) || b->eof) return;
  }
}

Status Ingest::file(int fd, const std::string& label) {
  label_ = label;
  // Each file starts at the default target; its context lines are its own.
  if (db_ != opts_.writer.db || rp_ != opts_.writer.rp) {
    db_ = opts_.writer.db;
    rp_ = opts_.writer.rp;
    context_line_ = 0;
    dirty_ = true;
  }
  lp::ParseOptions po;
  po.precision = opts_.precision;
  po.allow_unsigned = true;
  po.defer_tags = true;  // the Writer checks a series text once
  pipe_.reset();
  std::thread parser([&] { parse_loop(fd, label, po); });
  struct Join {
    Ingest* in;
    std::thread* t;
    ~Join() {
      in->pipe_.stop();
      t->join();
    }
  } join{this, &parser};

  while (true) {
    // Wait for parsed input until the next flush is due.
    int64_t deadline = w_ && w_->has_pending() && opts_.flush_interval > 0 ? next_flush_ : 0;
    Batch* b = pipe_.take_full(deadline);
    if (!b) {  // the flush is due and the input idle
      TSD_RETURN_IF_ERROR(maybe_flush(true));
      continue;
    }
    Status fatal;
    size_t e = 0;
    for (size_t k = 0; k <= b->n && fatal.ok(); k++) {
      for (; e < b->events.size() && b->events[e].before == k && fatal.ok(); e++) {
        fatal = event(*b, e);
      }
      if (k == b->n || !fatal.ok()) break;
      if (dirty_ || !w_) [[unlikely]] {
        auto t = retarget(b->first_line[k]);
        if (!t.ok()) {
          fatal = t.status();
          break;
        }
        if (!*t) {
          rejected_++;
          continue;
        }
      }
      if (k + 2 < b->n) {
        // The parsing thread wrote these on the other core: fetch the
        // line after next (its text and fields) while this one is stored.
        const lp::ParsedLine& ahead = b->lines[k + 2];
        __builtin_prefetch(ahead.raw_series.data());
        const char* fields = reinterpret_cast<const char*>(ahead.fields.data());
        const size_t bytes = ahead.fields.size() * sizeof(lp::ParsedField);
        for (size_t at = 0; at < bytes; at += 64) __builtin_prefetch(fields + at);
      }
      Status s = w_->add(b->lines[k], b->now);
      if (s.ok()) continue;
      if (s.code() == Status::Code::kConflict) {
        report(b->last_line[k], s);
      } else if (s.code() == Status::Code::kInvalidArgument) {  // a malformed series text
        report(b->first_line[k], s);
      } else {
        fatal = s;
      }
    }
    bool eof = b->eof;
    Status failed = b->failed;
    pipe_.put_free(b);
    TSD_RETURN_IF_ERROR(fatal);
    TSD_RETURN_IF_ERROR(failed);
    TSD_RETURN_IF_ERROR(maybe_flush(false));
    if (eof) return Status();
  }
}

Status Ingest::event(const Batch& b, size_t e) {
  using Kind = Batch::Event::Kind;
  const Batch::Event& ev = b.events[e];
  switch (ev.kind) {
    case Kind::kError:
      report(ev.line, ev.status);
      return Status();
    case Kind::kDatabase:
    case Kind::kRetentionPolicy:
      (ev.kind == Kind::kDatabase ? db_ : rp_) = ev.text;
      context_line_ = ev.line;
      dirty_ = true;
      return Status();
    case Kind::kStatement: {
      Status s = opts_.run_ddl ? opts_.run_ddl(ev.text)
                               : Status::invalid_argument("no statements are run here");
      if (!s.ok()) report(ev.line, s);
      return Status();
    }
  }
  return Status();
}

Result<bool> Ingest::retarget(int64_t line) {
  if (!dirty_) return false;  // no target, already reported
  dirty_ = false;
  Writer* old = w_;
  w_ = nullptr;
  const std::string k = key(db_, rp_);
  auto it = writers_.begin();
  while (it != writers_.end() && it->first != k) ++it;
  if (it != writers_.end()) {
    w_ = it->second.get();  // null: its RP was not found, and said so
  } else if (db_.empty()) {
    say(line, Status::invalid_argument(
                     "no database: give --db or a \"# CONTEXT-DATABASE:\" line before"));
  } else {
    WriterOptions wo = opts_.writer;
    wo.db = db_;
    wo.rp = rp_;
    auto w = Writer::open(wo);
    if (!w.ok() && w.status().code() != Status::Code::kInvalidArgument) return w.status();
    if (!w.ok()) {
      // An unknown RP: said at the context line, its lines rejected.
      say(context_line_ > 0 ? context_line_ : line, w.status());
      writers_.push_back({k, nullptr});
    } else {
      writers_.push_back({k, std::move(*w)});
      w_ = writers_.back().second.get();
    }
  }
  // The writer left behind stores what it holds now, not at the end.
  if (old && old != w_ && old->has_pending()) TSD_RETURN_IF_ERROR(flush(old));
  return w_ != nullptr;
}

Status Ingest::close(IngestReport* report) {
  Status first;
  for (auto& [k, w] : writers_) {
    if (!w) continue;
    Status c = w->close();
    if (first.ok()) first = c;
    for (const auto& m : w->take_warnings()) {
      std::fprintf(err_, "%s%s\n", opts_.prefix.c_str(), m.c_str());
    }
  }
  report_beyond_retention();
  for (auto& [k, w] : writers_) {
    if (!w) continue;
    report->points += w->stats().points;
    report->points_beyond_retention += w->stats().points_beyond_retention;
    report->values += w->stats().values;
  }
  report->lines_rejected = rejected_;
  return first;
}

}  // namespace

Status ingest(const IngestOptions& opts, const volatile std::sig_atomic_t* stop, std::FILE* err,
              IngestReport* report) {
  Ingest in(opts, stop, err);
  Status s = in.open_default();
  if (!s.ok()) return s;
  s = for_each_input(opts.files, stop, [&](int fd, const std::string& name) { return in.file(fd, name); });
  in.end_progress();
  // Store what was read even after an error in a later file.
  *report = IngestReport();
  Status c = in.close(report);
  std::fprintf(err, "%s%lld points written, %lld lines rejected\n", opts.prefix.c_str(),
               static_cast<long long>(report->points),
               static_cast<long long>(report->lines_rejected));
  if (!s.ok()) return s;
  return c;
}

}  // namespace tsd::storage
