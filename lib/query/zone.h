// Time zones for tz('...'): the system's tz database (/usr/share/zoneinfo)
// through Howard Hinnant's date library, not hand-made offsets.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace date {
class time_zone;
}

namespace tsd::query {

class Zone {
 public:
  Zone() = default;  // UTC
  // A zone by name ("Asia/Seoul"); "" and "UTC" are UTC.
  static Result<Zone> load(const std::string& name);
  bool is_utc() const { return tz_ == nullptr; }
  // The zone's offset from UTC at an instant, in nanoseconds.
  int64_t offset_at(int64_t utc_ns) const;
  // The instant of a local wall-clock time (the earlier one when it is
  // ambiguous, the moment after the gap when it does not exist).
  int64_t to_utc(int64_t local_ns) const;

 private:
  const date::time_zone* tz_ = nullptr;
};

}  // namespace tsd::query
