// The list of every input, gathered from the two families.
#include <algorithm>

#include "collect/input.h"

namespace tsd::collect {

// System inputs (/proc, /sys): lib/collect/system_*.cc.
void add_system_inputs(std::vector<InputInfo>* out);
// Service inputs (MySQL, Redis, ..., exec): lib/collect/service_*.cc.
void add_service_inputs(std::vector<InputInfo>* out);

const std::vector<InputInfo>& all_inputs() {
  static const std::vector<InputInfo> inputs = [] {
    std::vector<InputInfo> v;
    add_system_inputs(&v);
    add_service_inputs(&v);
    std::sort(v.begin(), v.end(),
              [](const InputInfo& a, const InputInfo& b) { return a.name < b.name; });
    return v;
  }();
  return inputs;
}

const InputInfo* find_input(std::string_view name) {
  for (const auto& i : all_inputs()) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

}  // namespace tsd::collect
