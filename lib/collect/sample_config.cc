#include "collect/sample_config.h"

#include <algorithm>

#include "collect/input.h"

namespace tsd::collect {
namespace {

constexpr const char* kHeader = R"(# tsd-collect configuration (the telegraf.conf subset tsd-collect reads)
#
# Environment variables can be used anywhere in this config file, simply
# surround them with ${}. (Not yet: tsd-collect reads the values as written.)
#
# Use 'tsd-collect --sample-config --input-filter cpu:mem' to choose inputs.

# Global tags can be specified here in key="value" format.
[global_tags]
  # dc = "us-east-1" # will tag all metrics with dc=us-east-1
  # rack = "1a"

# Configuration for the agent
[agent]
  ## Default data collection interval for all inputs
  interval = "1s"
  ## Rounds collection interval to 'interval'
  ## ie, if interval="10s" then always collect on :00, :10, :20, etc.
  round_interval = true

  ## Outputs write metrics in batches of at most metric_batch_size metrics.
  metric_batch_size = 1000

  ## Maximum number of unwritten metrics per output. When an output cannot
  ## keep up (a blocked stdout, a dead server) the oldest are dropped, and
  ## the drops are reported on stderr and as internal_write metrics.
  metric_buffer_limit = 10000

  ## Collection jitter is used to jitter the collection by a random amount.
  collection_jitter = "0s"

  ## Default flushing interval for all outputs.
  flush_interval = "1s"
  flush_jitter = "0s"

  ## Collected metrics are rounded to the precision specified as an interval.
  ## By default: the interval's unit (1s for intervals of a second or more).
  precision = ""

  ## Override default hostname, if empty use os.Hostname()
  hostname = ""
  ## If set to true, do no set the "host" tag in the tsd-collect agent.
  omit_hostname = false


###############################################################################
#                            OUTPUT PLUGINS                                   #
###############################################################################

# Without an output table, line protocol goes to stdout.
# Send metrics to a file (or stdout)
# [[outputs.file]]
#   ## Files to write to, "stdout" is a specially handled file.
#   files = ["stdout", "/tmp/metrics.out"]
#   ## Data format to output (only "influx").
#   data_format = "influx"

# Configuration for sending metrics to InfluxDB
# [[outputs.influxdb]]
#   ## The full HTTP endpoint URL for your InfluxDB instance.
#   urls = ["http://127.0.0.1:8086"]
#   ## The target database for metrics; will be created as needed.
#   database = "telegraf"
#   ## If true, no CREATE DATABASE queries will be sent.
#   # skip_database_creation = false
#   ## Name of existing retention policy to write to. Empty: the default.
#   # retention_policy = ""
#   ## Timeout for HTTP messages.
#   # timeout = "5s"
#   ## HTTP Basic Auth
#   # username = "telegraf"
#   # password = "metricsmetricsmetricsmetrics"


###############################################################################
#                            INPUT PLUGINS                                    #
###############################################################################
)";

}  // namespace

Result<std::string> sample_config(const std::vector<std::string>& inputs) {
  std::string out = kHeader;
  std::vector<const InputInfo*> chosen;
  if (inputs.empty()) {
    for (const InputInfo& i : all_inputs()) {
      if (i.default_input) chosen.push_back(&i);
    }
  } else {
    for (const std::string& n : inputs) {
      const InputInfo* i = find_input(n);
      if (!i) return Status::invalid_argument("unknown input \"" + n + "\" (see --input-list)");
      chosen.push_back(i);
    }
  }
  for (const InputInfo* i : chosen) {
    out += "\n\n";
    out += i->sample_config;
  }
  return out;
}

std::string input_list() {
  size_t width = 0;
  for (const InputInfo& i : all_inputs()) width = std::max(width, i.name.size());
  std::string out = "Available Inputs:\n";
  for (const InputInfo& i : all_inputs()) {
    out += "  " + i.name + std::string(width - i.name.size() + 2, ' ') + i.description + "\n";
  }
  return out;
}

Result<std::string> input_usage(const std::string& name) {
  const InputInfo* i = find_input(name);
  if (!i) return Status::not_found("input " + name + " not found");
  return i->sample_config;
}

}  // namespace tsd::collect
