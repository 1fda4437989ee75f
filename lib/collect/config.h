// The tsd-collect configuration: the subset of telegraf.conf that applies.
//
// [agent] (interval, round_interval, metric_batch_size, metric_buffer_limit,
// collection_jitter, flush_interval, flush_jitter, precision, hostname,
// omit_hostname), [global_tags], [[inputs.NAME]] (each with its own options,
// plus the agent's per-input interval, name_override, name_prefix,
// name_suffix and [inputs.NAME.tags]) and [[outputs.file]] /
// [[outputs.influxdb]]. Unknown sections and unused keys give warnings, not
// errors; syntax and type errors name the file and line. Value types,
// thread-compatible (an Options is read by one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/input.h"
#include "core/point.h"
#include "core/status.h"
#include "core/time.h"

namespace tsd::collect {

struct AgentConfig {
  int64_t interval = kSecond;
  bool round_interval = true;
  int64_t metric_batch_size = 1000;
  int64_t metric_buffer_limit = 10000;
  int64_t collection_jitter = 0;
  int64_t flush_interval = kSecond;
  int64_t flush_jitter = 0;
  // Timestamps are rounded to this; 0: derived from the interval as Telegraf
  // does (1s for intervals of a second or more).
  int64_t precision = 0;
  std::string hostname;  // empty: gethostname()
  bool omit_hostname = false;
};

// One [[inputs.NAME]] or [[outputs.NAME]] table.
struct PluginConfig {
  std::string name;
  std::string where;  // "FILE:LINE" of the table, or "command line"
  std::shared_ptr<Options> options;
  std::vector<Tag> tags;  // [inputs.NAME.tags]
};

struct Config {
  AgentConfig agent;
  std::vector<Tag> global_tags;
  std::vector<PluginConfig> inputs;
  std::vector<PluginConfig> outputs;
  std::vector<std::string> warnings;  // unknown sections, ignored settings
};

// Reads a config file. Errors: "FILE:LINE:COL: <what>" (invalid_argument),
// or an io_error when the file cannot be read.
Result<Config> load_config(const std::string& path);
// The same over text; `source` names it in messages.
Result<Config> parse_config(std::string_view text, const std::string& source);

// Options with no keys (every getter gives its default): inputs named by --inputs.
std::shared_ptr<Options> empty_options();

// Parses "10s" / "1m30s" (Telegraf's duration spelling) as nanoseconds.
Result<int64_t> parse_config_duration(std::string_view s);

}  // namespace tsd::collect
