// Input plugins: the interface every tsd-collect input implements.
//
// An Input gathers metrics into an Accumulator once per interval; the agent
// (lib/collect/agent.h) runs each input on its own schedule with a timeout,
// so a slow or dead input never delays the others. Inputs are created from
// their [[inputs.NAME]] options through a registry, so the agent, the
// config reader, --input-list, --usage and --sample-config all see the same
// list. An Input is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.h"
#include "core/status.h"

namespace tsd::collect {

// Where an input puts what it gathered. The agent adds the host tag and
// global tags and stamps points that have no time with the gather time.
class Accumulator {
 public:
  virtual ~Accumulator() = default;
  virtual void add(Point p) = 0;
  // Convenience: a point from parts.
  void add(std::string measurement, std::vector<Tag> tags, std::vector<Field> fields) {
    Point p;
    p.measurement = std::move(measurement);
    p.tags = std::move(tags);
    p.fields = std::move(fields);
    p.sort_tags();
    add(std::move(p));
  }
};

// The options of one [[inputs.NAME]] table, read by name with a default.
// Getters return invalid_argument naming the option (and, from a file, the
// line) when the value has the wrong type.
class Options {
 public:
  virtual ~Options() = default;
  virtual bool has(std::string_view key) const = 0;
  virtual Result<std::string> get_string(std::string_view key, std::string_view def) const = 0;
  virtual Result<std::vector<std::string>> get_strings(std::string_view key,
                                                       std::vector<std::string> def) const = 0;
  virtual Result<int64_t> get_int(std::string_view key, int64_t def) const = 0;
  virtual Result<bool> get_bool(std::string_view key, bool def) const = 0;
  // A duration given as "5s" (Telegraf's spelling) or an integer of seconds.
  virtual Result<int64_t> get_duration(std::string_view key, int64_t def_ns) const = 0;
  // Keys present that the input never asked for (for a warning).
  virtual std::vector<std::string> unused_keys() const = 0;
};

class Input {
 public:
  virtual ~Input() = default;
  // Gathers one sample. A failure is returned (the agent logs it once per
  // failure streak); what was added before it still counts.
  virtual Status gather(Accumulator& acc) = 0;
};

struct InputInfo {
  std::string name;            // "cpu", "mysql", ...
  std::string description;     // one line, for --input-list
  std::string sample_config;   // the commented [[inputs.NAME]] block of --sample-config
  bool default_input = false;  // in the default set when no --inputs is given
  // Reports rates from two samples (cpu usage): --once and --test gather it
  // once, wait a short window, and gather again.
  bool needs_two_samples = false;
  std::function<Result<std::unique_ptr<Input>>(const Options&)> create;
};

// The registry of all inputs, sorted by name.
const std::vector<InputInfo>& all_inputs();
const InputInfo* find_input(std::string_view name);

}  // namespace tsd::collect
