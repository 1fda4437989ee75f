// Pieces shared by agent.cc (setup, --once) and agent_run.cc (the loop).
// Internal to lib/collect.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collect/agent.h"
#include "collect/input.h"
#include "collect/output.h"
#include "collect/stats.h"

namespace tsd::collect {

using LogFn = std::function<void(const std::string&)>;

struct RunningInput {
  std::string name;
  const InputInfo* info = nullptr;
  std::unique_ptr<Input> input;
  int64_t interval = 0;
  std::string name_override, name_prefix, name_suffix;
  std::vector<Tag> tags;  // [inputs.NAME.tags]
  InputStats* stats = nullptr;
  int64_t failures = 0;  // the current failure streak
};

// Lines waiting for one output, at most `limit`; the oldest go first.
class MetricBuffer {
 public:
  MetricBuffer(size_t limit, OutputStats* stats) : limit_(limit), stats_(stats) {
    stats_->buffer_limit = static_cast<int64_t>(limit);
  }
  // Adds lines and wakes the writer; returns how many old lines were dropped.
  size_t push(const std::vector<std::string>& lines);
  // Moves up to n lines into *out (appended); returns how many.
  size_t take(size_t n, std::string* out);
  size_t size();

  std::mutex mu;
  std::condition_variable cv;

 private:
  std::deque<std::string> lines_;
  size_t limit_;
  OutputStats* stats_;
};

struct RunningOutput {
  std::unique_ptr<Output> output;
  OutputStats* stats = nullptr;
  std::unique_ptr<MetricBuffer> buffer;
  std::thread thread;
  // The batch being written and how much of it went out.
  std::string pending;
  size_t pending_lines = 0;
  size_t pending_offset = 0;
  // Drop streak bookkeeping (the agent's monitor).
  int64_t dropped_seen = 0;
  int64_t streak_start = 0;
  bool dropping = false;
};

// Turns gathered points into lines: input naming and tags, global tags,
// host, time stamp; --test sorts fields and prefixes "> ".
class Finisher {
 public:
  Finisher(std::string host, std::vector<Tag> global_tags, int64_t precision, bool test)
      : host_(std::move(host)), global_(std::move(global_tags)), precision_(precision), test_(test) {}
  void finish(const RunningInput* in, std::vector<Point>* points, int64_t now,
              std::vector<std::string>* lines) const;

 private:
  std::string host_;
  std::vector<Tag> global_;
  int64_t precision_;
  bool test_;
};

// The Accumulator the agent hands to inputs: it keeps the points.
class VectorAccumulator : public Accumulator {
 public:
  using Accumulator::add;
  void add(Point p) override { points.push_back(std::move(p)); }
  std::vector<Point> points;
};

// Everything run_agent builds from the setup.
struct AgentParts {
  AgentConfig agent;
  std::vector<std::unique_ptr<RunningInput>> inputs;
  std::vector<std::unique_ptr<RunningOutput>> outputs;
  std::unique_ptr<Finisher> finisher;
  LogFn log;
};

// Gathers one input, logging a failure once per streak; returns the lines.
void gather_input(RunningInput* in, const Finisher& f, const LogFn& log,
                  std::vector<std::string>* lines);
// Continuous mode (agent_run.cc).
Status run_loop(AgentParts* parts);

}  // namespace tsd::collect
