// Outputs: where the agent's line protocol goes. stdout (the default),
// [[outputs.file]] (files = ["stdout", "/path"]) and [[outputs.influxdb]]
// (HTTP POST /write to InfluxDB 1.x; libcurl, loaded with dlopen only when
// configured so a stdout-only collector stays small).
//
// The agent gives each Output its own thread and buffer; an Output is used
// by that one thread only.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collect/config.h"
#include "core/status.h"

namespace tsd::collect {

class Output {
 public:
  virtual ~Output() = default;
  // "stdout", "file", "influxdb": the output tag of internal_write.
  virtual const std::string& name() const = 0;
  // Where, for messages: "stdout", "/var/log/m.lp", "http://127.0.0.1:8086".
  virtual const std::string& target() const = 0;
  // Prepares the output (influxdb: CREATE DATABASE). A failure is a warning.
  virtual Status connect() { return Status(); }
  // Writes complete lines of line protocol. *written is how many bytes went
  // out. A stream writes until done or until `abort` becomes true (then
  // busy, with the part written counted); it never blocks for long without
  // looking at `abort`. HTTP writes all or nothing. invalid_argument means
  // the data was rejected and retrying cannot help; other errors may be
  // retried. io_error with EPIPE's message "broken pipe" means the reader left.
  virtual Status write(std::string_view data, size_t* written, const std::atomic<bool>& abort) = 0;
  // True for stdout and files: written as soon as a gather ends. Others
  // (HTTP) are written every flush_interval, or sooner when a batch is full.
  virtual bool is_stream() const { return false; }
  // True for a stream whose reader has gone (EPIPE): nothing more can be written.
  virtual bool closed() const { return false; }
};

// Standard output.
std::unique_ptr<Output> make_stdout_output();

// The outputs of one [[outputs.NAME]] table (file: one per entry of files).
// Errors name the table; unknown output names are not_supported.
Result<std::vector<std::unique_ptr<Output>>> create_outputs(const PluginConfig& cfg);

// Implemented in output_influxdb.cc.
Result<std::unique_ptr<Output>> create_influxdb_output(const PluginConfig& cfg);

}  // namespace tsd::collect
