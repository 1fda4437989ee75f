// Time zones for tz('...') and for the times people read: the system's tz
// database, never hand-made offsets. A zone is read from its TZif file
// (RFC 8536) under $TZDIR or /usr/share/zoneinfo, the files glibc and
// InfluxDB's Go runtime read: the transitions the file lists, and past the
// last one the POSIX TZ rule of its footer (RFC 8536 3.3, which allows rule
// times from -167 to 167 hours).
//
// Read here rather than through a library so that every program starts
// without loading a shared C++ library: tsd-query runs as a process per
// question, and the C++ runtime's dynamic loading was a third of its start.
// Loaded zones are kept for the process's life (a few KB each).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace tsd::query {

struct ZoneRules;  // zone.cc

class Zone {
 public:
  Zone() = default;  // UTC
  // A zone by name ("Asia/Seoul"); "" and "UTC" are UTC.
  static Result<Zone> load(const std::string& name);
  bool is_utc() const { return rules_ == nullptr; }
  // The zone's offset from UTC at an instant, in nanoseconds.
  int64_t offset_at(int64_t utc_ns) const;
  // The instant of a local wall-clock time (the earlier one when it is
  // ambiguous, the moment after the gap when it does not exist).
  int64_t to_utc(int64_t local_ns) const;

 private:
  std::shared_ptr<const ZoneRules> rules_;
};

}  // namespace tsd::query
