// Whole files read into memory (configuration, dashboards, snapshots,
// statements given with -f).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace tsd {

// The bytes of `path`; a missing file is not_found, another failure
// io_error, each saying "<path>: <why>".
Result<std::string> read_file(const std::string& path);
// Writes `data` to `path` whole or not at all (a temporary file beside it,
// renamed over it); the error says "<path>: <why>".
Status write_file(const std::string& path, std::string_view data);

}  // namespace tsd
