// --rp auto: which retention policy a SELECT reads when the caller asks
// for "auto" (tsd-query --rp auto, dashboards). What Grafana users build
// by hand with an rp_config measurement: the coarsest policy that holds
// the whole time range at a resolution at least as fine as wanted.
//
// The candidates are the database's default RP (the raw points,
// resolution 0) and every RP a continuous query writes the measurement
// into (resolution: the CQ's GROUP BY interval). One is eligible when its
// duration still keeps the range's start, it has been computed up to the
// range's end (the CQ's watermark, less two of its intervals of lag), and
// its resolution is no coarser than `want` (the statement's GROUP BY
// interval, else the range over kAutoPoints). The coarsest eligible wins;
// when none is, the finest that keeps the start, else the default.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "storage/catalog.h"

namespace tsd::query {

inline constexpr int64_t kAutoPoints = 1000;
// The RP name that asks for the choice (unless the database has an RP so named).
inline constexpr const char* kAutoRetentionPolicy = "auto";

Result<std::string> auto_retention_policy(storage::Catalog& cat, const std::string& db,
                                          const std::string& measurement, int64_t start,
                                          int64_t end, int64_t want, int64_t now);

}  // namespace tsd::query
