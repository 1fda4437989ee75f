// The system inputs (/proc, /sys): one registration function per file.
// Internal to lib/collect; the registry (registry.cc) calls add_system_inputs.
#pragma once

#include <memory>
#include <vector>

#include "collect/input.h"

namespace tsd::collect {

void add_cpu_input(std::vector<InputInfo>* out);         // system_cpu.cc
void add_mem_inputs(std::vector<InputInfo>* out);        // system_mem.cc: mem, swap
void add_disk_inputs(std::vector<InputInfo>* out);       // system_disk.cc: disk, diskio
void add_net_inputs(std::vector<InputInfo>* out);        // system_net.cc: net, netstat
void add_kernel_inputs(std::vector<InputInfo>* out);     // system_kernel.cc: kernel, system, processes
void add_procstat_input(std::vector<InputInfo>* out);    // system_procstat.cc
void add_internal_input(std::vector<InputInfo>* out);    // stats.cc

// Every system input, in no particular order.
void add_system_inputs(std::vector<InputInfo>* out);

// An input without options, in the default set.
template <class T>
InputInfo simple_input(const char* name, const char* description, const char* sample) {
  InputInfo i;
  i.name = name;
  i.description = description;
  i.sample_config = sample;
  i.default_input = true;
  i.create = [](const Options&) -> Result<std::unique_ptr<Input>> {
    return std::unique_ptr<Input>(new T());
  };
  return i;
}

// Returns the Status of an options getter, or stores its value.
#define TSD_ASSIGN_OPT(var, expr)          \
  do {                                     \
    auto tsd_r_ = (expr);                  \
    if (!tsd_r_.ok()) return tsd_r_.status(); \
    var = std::move(*tsd_r_);              \
  } while (0)

}  // namespace tsd::collect
