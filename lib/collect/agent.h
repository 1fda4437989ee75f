// The tsd-collect agent: runs inputs on a schedule and feeds outputs.
//
// Each input gathers on its own thread at round_interval boundaries (plus
// collection_jitter), so a slow or hung input never delays the others; its
// failures are logged once per failure streak and once on recovery. The
// points get the host tag, [global_tags] and the gather time (rounded to
// the precision), become line protocol and go to every output's buffer.
// Each output writes from its own thread; when it cannot keep up (a blocked
// stdout, a dead server) its buffer holds metric_buffer_limit metrics and
// then drops the oldest: counted, reported on stderr and as internal_write /
// internal_agent points. SIGINT, SIGTERM and SIGPIPE stop the agent after a
// last flush. run_agent is called once per process (it owns the signals).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "collect/config.h"
#include "core/status.h"

namespace tsd::collect {

struct AgentSetup {
  Config config;
  // --inputs: with a config, only these of its inputs; without, these
  // inputs with default options. Empty: the config's inputs, or the
  // default set when there is no config.
  std::vector<std::string> input_filter;
  std::optional<int64_t> interval;       // --interval (also the flush interval)
  std::optional<std::string> hostname;   // --hostname
  bool omit_hostname = false;            // --omit-hostname
  bool once = false;                     // --once: one gather, write, exit
  bool test = false;                     // --test: one gather, "> " lines on stdout
  int64_t once_window = 500 * kMillisecond;  // between the two samples of --once
  // Receives each stderr message (without the "tsd-collect: " prefix).
  std::function<void(const std::string&)> log;
};

// Runs until a signal (or, with once/test, after one gather). OK on a clean
// stop; an error when the setup is wrong (unknown input, bad option) or
// when --once could not gather or write anything.
Status run_agent(AgentSetup setup);

}  // namespace tsd::collect
