// The names of the data directory, made in one place.
//
//   DATA/meta.db                       the catalog (catalog.h)
//   DATA/<db>/<rp>/<shard-id>.db       one shard group per file (shard.h)
//
// Database and retention policy names may hold any character InfluxDB
// allows, so each becomes one safe path component: bytes outside
// [A-Za-z0-9_-] and a leading '.' are written %XX (uppercase hex), which
// keeps "autogen" as "autogen" and makes "a/b" "a%2Fb". Every tool reads
// and writes the layout through these functions. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tsd::storage {

// The data directory when --data is not given: $TSD_DATA, else
// $XDG_DATA_HOME/tsd (an absolute XDG_DATA_HOME), else
// $HOME/.local/share/tsd; empty when there is none of them. Reads the
// environment; writers create it on their first write.
std::string default_data_dir();
// What a program says when there is none (no HOME either).
inline constexpr const char* kNoDataDir =
    "no data directory: give --data DIR or set TSD_DATA (no HOME to default to)";
// How --help names it.
inline constexpr const char* kDataDirHelp =
    "data directory (default: $TSD_DATA, else $XDG_DATA_HOME/tsd or ~/.local/share/tsd)";

// "meta.db" under the data directory.
std::string meta_db_path(std::string_view data_dir);

// DATA/<db>
std::string database_dir(std::string_view data_dir, std::string_view db);

// DATA/<db>/<rp>
std::string retention_policy_dir(std::string_view data_dir, std::string_view db,
                                 std::string_view rp);

// DATA/<db>/<rp>/<shard-id>.db
std::string shard_path(std::string_view data_dir, std::string_view db, std::string_view rp,
                       int64_t shard_id);

// "<db>/<rp>/<shard-id>.db": how messages name a shard.
std::string shard_display_name(std::string_view db, std::string_view rp, int64_t shard_id);

// One name as a path component (see above); the inverse is unescape_path_component.
std::string escape_path_component(std::string_view name);
std::string unescape_path_component(std::string_view component);

}  // namespace tsd::storage
