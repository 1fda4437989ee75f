// Time zones (zone.h).
#include "query/zone.h"

#include <date/tz.h>

namespace tsd::query {

Result<Zone> Zone::load(const std::string& name) {
  Zone z;
  if (name.empty() || name == "UTC") return z;
  try {
    z.tz_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::invalid_argument("unable to find time zone " + name);
  }
  return z;
}

int64_t Zone::offset_at(int64_t utc_ns) const {
  if (tz_ == nullptr) return 0;
  using namespace std::chrono;
  sys_seconds s{seconds{utc_ns / 1000000000 - (utc_ns % 1000000000 < 0 ? 1 : 0)}};
  auto info = tz_->get_info(s);
  return duration_cast<nanoseconds>(info.offset).count();
}

int64_t Zone::to_utc(int64_t local_ns) const {
  if (tz_ == nullptr) return local_ns;
  using namespace std::chrono;
  int64_t secs = local_ns / 1000000000 - (local_ns % 1000000000 < 0 ? 1 : 0);
  int64_t frac = local_ns - secs * 1000000000;
  date::local_seconds ls{seconds{secs}};
  auto info = tz_->get_info(ls);
  int64_t off;
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      off = duration_cast<seconds>(info.first.offset).count();
      break;
    default:  // nonexistent: the moment the gap ends
      return duration_cast<seconds>(info.second.begin.time_since_epoch()).count() * 1000000000;
  }
  return (secs - off) * 1000000000 + frac;
}

}  // namespace tsd::query
