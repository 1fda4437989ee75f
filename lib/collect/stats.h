// The agent's own counters, as Telegraf's internal plugin reports them:
// internal_agent, internal_gather (per input) and internal_write (per
// output). Counters are atomics; registration takes a lock. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/point.h"

namespace tsd::collect {

struct InputStats {
  std::string name;
  std::atomic<int64_t> metrics_gathered{0};
  std::atomic<int64_t> gather_time_ns{0};
  std::atomic<int64_t> errors{0};
};

struct OutputStats {
  std::string name;
  std::atomic<int64_t> buffer_limit{0};
  std::atomic<int64_t> buffer_size{0};
  std::atomic<int64_t> metrics_added{0};
  std::atomic<int64_t> metrics_written{0};
  std::atomic<int64_t> metrics_dropped{0};
  std::atomic<int64_t> write_time_ns{0};
  std::atomic<int64_t> errors{0};
};

class Stats {
 public:
  // The process's counters.
  static Stats& global();
  // Registers a counter set; the pointer stays valid for the process's life.
  InputStats* add_input(std::string name);
  OutputStats* add_output(std::string name);

  std::atomic<int64_t> metrics_gathered{0};
  std::atomic<int64_t> metrics_written{0};
  std::atomic<int64_t> metrics_dropped{0};
  std::atomic<int64_t> gather_errors{0};

  // internal_agent, then internal_gather per input, then internal_write per output.
  std::vector<Point> points() const;
  // internal_agent and internal_write only (what the agent emits on drops).
  std::vector<Point> write_points() const;

 private:
  mutable std::mutex mu_;
  std::deque<InputStats> inputs_;
  std::deque<OutputStats> outputs_;
};

}  // namespace tsd::collect
