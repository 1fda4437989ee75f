// Whole files read into memory (configuration, dashboards, snapshots,
// statements given with -f).
#pragma once

#include <csignal>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tsd {

// The bytes of `path`; a missing file is not_found, another failure
// io_error, each saying "<path>: <why>".
Result<std::string> read_file(const std::string& path);
// The inputs of a program that reads FILEs or standard input: calls
// read(fd, name) for each of `files` ("-" is standard input, fd 0), or
// once with (0, "") when there are none, stopping at the first error or
// once *stop is set. A file that does not open is io_error "open F: why".
Status for_each_input(const std::vector<std::string>& files, const volatile std::sig_atomic_t* stop,
                      const std::function<Status(int fd, const std::string& name)>& read);

// Writes `data` to `path` whole or not at all (a temporary file beside it,
// renamed over it); the error says "<path>: <why>".
Status write_file(const std::string& path, std::string_view data);

}  // namespace tsd
