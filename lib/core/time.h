// Time and duration parsing and formatting, as InfluxDB 1.x spells them.
//
// All times are int64 nanoseconds since the Unix epoch (UTC); all durations
// are int64 nanoseconds. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tsd {

// The smallest and largest timestamps InfluxDB accepts.
inline constexpr int64_t kMinTime = -9223372036854775806LL;
inline constexpr int64_t kMaxTime = 9223372036854775806LL;

inline constexpr int64_t kNanosecond = 1;
inline constexpr int64_t kMicrosecond = 1000;
inline constexpr int64_t kMillisecond = 1000 * kMicrosecond;
inline constexpr int64_t kSecond = 1000 * kMillisecond;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kDay = 24 * kHour;
inline constexpr int64_t kWeek = 7 * kDay;

// Timestamp precision of line protocol and of query output.
enum class Precision { kNanosecond, kMicrosecond, kMillisecond, kSecond, kMinute, kHour };

// Accepts n/ns, u/us/µ/µs, ms, s, m, h (InfluxDB's /write and influx -precision).
Result<Precision> parse_precision(std::string_view s);
// Nanoseconds per unit of the precision.
int64_t precision_ns(Precision p);
// t rounded down to a whole number of the precision's units (InfluxDB does
// this to the time it gives points written without one).
inline int64_t truncate_time(int64_t t, Precision p) {
  const int64_t unit = precision_ns(p);
  int64_t r = t % unit;
  if (r < 0) r += unit;
  return t - r;
}
// "ns", "us", "ms", "s", "m", "h".
std::string_view precision_name(Precision p);

// Parses an InfluxQL duration: one or more <integer><unit> segments with
// units ns, u, µ, ms, s, m, h, d, w ("1h30m", "10s", "2w"). "inf" and "INF"
// give 0, InfluxDB's "infinite" retention. A bad spelling or an overflow is
// an invalid_argument naming the text.
Result<int64_t> parse_duration(std::string_view s);

// Formats a duration like Go's time.Duration.String(), which InfluxDB prints
// for retention policies: "168h0m0s", "1h30m0s", "0s", "1.5s", "250ms".
std::string format_duration(int64_t ns);

// Parses RFC 3339 ("2009-11-10T23:00:00Z", "...T23:00:00.123456789+02:00")
// and InfluxQL's laxer forms "2009-11-10 23:00:00[.fff]" and "2009-11-10"
// (both UTC).
Result<int64_t> parse_rfc3339(std::string_view s);

// Formats like Go's RFC3339Nano, which InfluxDB's JSON uses: UTC, trailing
// zeros of the fraction trimmed ("2009-11-10T23:00:00Z",
// "2009-11-10T23:00:00.5Z").
std::string format_rfc3339(int64_t ns);
// The same into buf (at least kRfc3339Max bytes); returns its length. For
// writers of many times (a raw query's rows), without an allocation each.
constexpr size_t kRfc3339Max = 48;
size_t format_rfc3339_to(int64_t ns, char* buf);

// Parses a time given on a command line or in a WHERE clause: RFC 3339 (see
// parse_rfc3339), an integer epoch in nanoseconds or with a unit suffix
// ("1600000000s", "1600000000000ms"), "now()", or "now() - 1h" /
// "now() + 30m" (any parse_duration duration). `now` is the caller's clock.
Result<int64_t> parse_time(std::string_view s, int64_t now);

// The current time in nanoseconds (CLOCK_REALTIME).
int64_t now_ns();

}  // namespace tsd
