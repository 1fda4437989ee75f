// The flags that pick the data every program reads or writes, the same
// in each: --data DIR (local), or --url with --username, --password,
// --token, --timeout and --insecure (remote; TSD_URL, INFLUX_USERNAME,
// INFLUX_PASSWORD, INFLUX_TOKEN when not given).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "client/client.h"
#include "core/status.h"

namespace tsd::client {

struct ConnectFlags {
  ConnectOptions options;
  std::string timeout;  // as given (a duration: 10s, 1m)
};

// Adds --url, --username, --password, --token, --timeout, --insecure
// (--data is the program's own: its help differs).
void add_remote_flags(CLI::App* app, ConnectFlags* f);

// After parsing: the environment's values for what was not given, the
// timeout read; invalid_argument for a bad one ("--timeout: ...").
Status finish_flags(ConnectFlags* f);

}  // namespace tsd::client
