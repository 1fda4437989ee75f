// --sample-config, --input-list and --usage: the text Telegraf's commands
// print, made from the input registry. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace tsd::collect {

// A commented telegraf.conf: [global_tags], [agent], the outputs, and the
// sample block of each input named in `inputs` (all default inputs when
// empty). An unknown name is invalid_argument.
Result<std::string> sample_config(const std::vector<std::string>& inputs);
// "Available Inputs:" and one "  name  description" line per input.
std::string input_list();
// The sample block of one input; not_found for an unknown name.
Result<std::string> input_usage(const std::string& name);

}  // namespace tsd::collect
