// The list of system inputs.
#include "collect/system.h"

namespace tsd::collect {

void add_system_inputs(std::vector<InputInfo>* out) {
  add_cpu_input(out);
  add_mem_inputs(out);
  add_disk_inputs(out);
  add_net_inputs(out);
  add_kernel_inputs(out);
  add_procstat_input(out);
  add_internal_input(out);
}

}  // namespace tsd::collect
