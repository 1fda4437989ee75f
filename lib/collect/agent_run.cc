// The continuous mode of the agent: one thread per input, one per output,
// and the main thread waiting for signals and watching for drops.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>

#include "collect/agent_internal.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

using Clock = std::chrono::system_clock;
using Steady = std::chrono::steady_clock;

Clock::time_point wall(int64_t ns) { return Clock::time_point(std::chrono::nanoseconds(ns)); }

constexpr int64_t kCoalesce = 50 * kMillisecond;   // a write gathers what the inputs add within this
constexpr int64_t kMaxBackoff = 30 * kSecond;
constexpr int64_t kFinalFlush = 2 * kSecond;       // how long a stop waits for outputs
constexpr int64_t kJoinGrace = 2 * kSecond;        // how long a stop waits for a busy input

class Loop {
 public:
  explicit Loop(AgentParts&& p) : p_(std::move(p)) {}
  // True when an input thread was still gathering at exit (the Loop must leak).
  bool hung() { std::lock_guard<std::mutex> l(mu_); return running_ > 0; }

  Status run() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&set, s);
    // Block them here so every thread inherits the mask; only sigtimedwait
    // below receives them. A write to a closed pipe then fails with EPIPE.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    for (auto& o : p_.outputs) {
      Status c = o->output->connect();
      if (!c.ok()) p_.log("warning: output " + o->output->name() + ": " + c.message());
      o->thread = std::thread([this, out = o.get()] { output_loop(out); });
    }
    running_ = static_cast<int>(p_.inputs.size());
    for (auto& in : p_.inputs) {
      std::thread([this, in = in.get()] { input_loop(in); }).detach();
    }
    int64_t tick = std::min<int64_t>(p_.agent.interval, kSecond);
    for (;;) {
      struct timespec ts = {static_cast<time_t>(tick / kSecond), static_cast<long>(tick % kSecond)};
      int sig = sigtimedwait(&set, nullptr, &ts);
      if (sig == SIGHUP) continue;  // no reload: keep going
      if (sig > 0) break;
      if (stop_.load()) break;     // an output's reader left
      watch_drops();
    }
    stop();
    return Status();
  }

 private:
  // Sleeps until `t` (wall clock) or a stop; false on stop.
  bool sleep_until(int64_t t) {
    std::unique_lock<std::mutex> l(mu_);
    return !cv_.wait_until(l, wall(t), [&] { return stop_.load(); });
  }

  void input_loop(RunningInput* in) {
    int64_t interval = in->interval;
    std::mt19937_64 rng(std::random_device{}());
    int64_t now = now_ns();
    int64_t next = p_.agent.round_interval ? (now / interval + 1) * interval : now;
    bool late = false;
    std::vector<std::string> lines;
    while (!stop_.load()) {
      int64_t jitter = 0;
      if (p_.agent.collection_jitter > 0) {
        jitter = static_cast<int64_t>(rng() % static_cast<uint64_t>(p_.agent.collection_jitter));
      }
      if (!sleep_until(next + jitter)) break;
      lines.clear();
      gather_input(in, *p_.finisher, p_.log, &lines);
      if (!lines.empty()) push(lines);
      next += interval;
      now = now_ns();
      if (next <= now) {
        // The gather overran: skip the missed ticks, keep the alignment.
        if (!late) p_.log("input " + in->name + ": gather took longer than the interval " +
                          format_duration(interval) + "; skipping ticks");
        late = true;
        next = p_.agent.round_interval ? (now / interval + 1) * interval : now + interval;
      } else {
        late = false;
      }
    }
    std::lock_guard<std::mutex> l(mu_);
    running_--;
    cv_.notify_all();
  }

  void push(const std::vector<std::string>& lines) {
    for (auto& o : p_.outputs) o->buffer->push(lines);
  }

  // Takes batches from the output's buffer and writes them, with retries.
  void output_loop(RunningOutput* o) {
    MetricBuffer& b = *o->buffer;
    size_t batch = static_cast<size_t>(p_.agent.metric_batch_size);
    int64_t backoff = 0;
    int64_t retry_at = 0;
    bool failing = false;
    while (!stop_.load()) {
      if (o->pending.empty()) {
        {
          std::unique_lock<std::mutex> l(b.mu);
          b.cv.wait(l, [&] { return stop_.load() || b_nonempty(o); });
        }
        if (stop_.load()) break;
        if (o->output->is_stream()) {
          // Let the other inputs of this tick add theirs.
          std::this_thread::sleep_for(std::chrono::nanoseconds(kCoalesce));
        } else {
          wait_for_flush(o, batch);
        }
        o->pending_lines = b.take(batch, &o->pending);
        o->pending_offset = 0;
      } else if (now_ns() < retry_at) {
        std::unique_lock<std::mutex> l(b.mu);
        b.cv.wait_until(l, wall(retry_at), [&] { return stop_.load(); });
        continue;
      }
      Status s = write_pending(o, stop_);
      if (s.ok()) {
        if (failing) p_.log("output " + o->output->name() + ": writing again");
        failing = false;
        backoff = 0;
      } else if (o->output->closed()) {
        o->pending.clear();  // the reader left: nothing is lost that it wanted
        stop_ = true;
        ::kill(::getpid(), SIGPIPE);  // wakes the main thread's sigtimedwait
        break;
      } else if (s.code() == Status::Code::kBusy) {
        break;  // stopping while blocked: the final flush takes over
      } else if (s.code() == Status::Code::kInvalidArgument) {
        p_.log("output " + o->output->name() + ": " + s.message() + "; dropping " +
               std::to_string(o->pending_lines) + " metrics");
        drop_pending(o);
      } else {
        if (!failing) p_.log("output " + o->output->name() + ": " + s.message() + "; will retry");
        failing = true;
        backoff = backoff ? std::min(backoff * 2, kMaxBackoff) : p_.agent.flush_interval;
        retry_at = now_ns() + backoff;
      }
    }
  }

  // Waits for the next flush_interval boundary (plus flush_jitter), a full
  // batch, or a stop.
  void wait_for_flush(RunningOutput* o, size_t batch) {
    int64_t fi = p_.agent.flush_interval;
    int64_t at = (now_ns() / fi + 1) * fi + kCoalesce;
    if (p_.agent.flush_jitter > 0) {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      at += static_cast<int64_t>(rng() % static_cast<uint64_t>(p_.agent.flush_jitter));
    }
    std::unique_lock<std::mutex> l(o->buffer->mu);
    o->buffer->cv.wait_until(l, wall(at), [&] {
      return stop_.load() || o->stats->buffer_size.load() >= static_cast<int64_t>(batch);
    });
  }

  // Called with the buffer's mutex held (buffer_size is updated under it).
  static bool b_nonempty(RunningOutput* o) { return o->stats->buffer_size.load() > 0; }

  Status write_pending(RunningOutput* o, const std::atomic<bool>& abort) {
    std::string_view rest(o->pending);
    rest.remove_prefix(o->pending_offset);
    size_t written = 0;
    int64_t t0 = now_ns();
    Status s = o->output->write(rest, &written, abort);
    o->stats->write_time_ns = now_ns() - t0;
    o->pending_offset += written;
    if (s.ok()) {
      o->stats->metrics_written += static_cast<int64_t>(o->pending_lines);
      Stats::global().metrics_written += static_cast<int64_t>(o->pending_lines);
      o->pending.clear();
      o->pending_lines = 0;
      o->pending_offset = 0;
    } else {
      o->stats->errors++;
    }
    return s;
  }

  void drop_pending(RunningOutput* o) {
    o->stats->metrics_dropped += static_cast<int64_t>(o->pending_lines);
    Stats::global().metrics_dropped += static_cast<int64_t>(o->pending_lines);
    o->pending.clear();
    o->pending_lines = 0;
    o->pending_offset = 0;
  }

  // Once an interval: report drop streaks on stderr and as internal points.
  void watch_drops() {
    bool any = false;
    for (auto& o : p_.outputs) {
      int64_t d = o->stats->metrics_dropped.load();
      if (d > o->dropped_seen) {
        if (!o->dropping) {
          p_.log("output " + o->output->name() + " (" + o->output->target() +
                 "): cannot keep up; buffer full at metric_buffer_limit " +
                 std::to_string(p_.agent.metric_buffer_limit) + ", dropping the oldest metrics");
          o->dropping = true;
          o->streak_start = o->dropped_seen;
        }
        any = true;
      } else if (o->dropping) {
        p_.log("output " + o->output->name() + ": " + std::to_string(d - o->streak_start) +
               " metrics dropped while it was blocked (" + std::to_string(d) + " in all)");
        o->dropping = false;
      }
      o->dropped_seen = d;
    }
    if (any) {
      VectorAccumulator acc;
      for (Point& pt : Stats::global().write_points()) acc.add(std::move(pt));
      std::vector<std::string> lines;
      p_.finisher->finish(nullptr, &acc.points, now_ns(), &lines);
      push(lines);
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& o : p_.outputs) {
      // Taking the buffer's lock orders this wake-up after a writer's check of stop_.
      { std::lock_guard<std::mutex> l(o->buffer->mu); }
      o->buffer->cv.notify_all();
    }
    // Inputs in the middle of a gather get a grace period; a hung one is left.
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait_until(l, wall(now_ns() + kJoinGrace), [&] { return running_ == 0; });
      if (running_ > 0) p_.log(std::to_string(running_) + " input(s) still gathering at exit");
    }
    for (auto& o : p_.outputs) o->thread.join();
    final_flush();
    int64_t dropped = Stats::global().metrics_dropped.load();
    if (dropped > 0) p_.log(std::to_string(dropped) + " metrics dropped in all");
  }

  // Writes what the buffers hold, giving up after kFinalFlush.
  void final_flush() {
    std::atomic<bool> abort{false};
    int64_t deadline = now_ns() + kFinalFlush;
    std::thread timer([&] {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait_until(l, wall(deadline), [&] { return abort.load(); });
      abort = true;
    });
    for (auto& o : p_.outputs) {
      if (o->output->closed()) continue;
      while (!abort.load()) {
        if (o->pending.empty()) {
          o->pending_lines = o->buffer->take(static_cast<size_t>(p_.agent.metric_batch_size), &o->pending);
          o->pending_offset = 0;
          if (o->pending.empty()) break;
        }
        Status s = write_pending(o.get(), abort);
        if (!s.ok()) {
          if (s.code() != Status::Code::kBusy && !o->output->closed()) {
            p_.log("output " + o->output->name() + ": " + s.message());
          }
          break;
        }
      }
      size_t left = o->buffer->size() + o->pending_lines;
      if (left > 0 && !o->output->closed()) {
        p_.log("output " + o->output->name() + ": " + std::to_string(left) + " metrics not written at exit");
      }
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      abort = true;
    }
    cv_.notify_all();
    timer.join();
  }

  AgentParts p_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  int running_ = 0;  // input threads still running (guarded by mu_)
};

}  // namespace

Status run_loop(AgentParts* parts) {
  // A hung input thread still uses the loop's parts: then it is leaked.
  auto* loop = new Loop(std::move(*parts));
  Status s = loop->run();
  if (!loop->hung()) delete loop;
  return s;
}

}  // namespace tsd::collect
