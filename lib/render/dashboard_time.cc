// Grafana's time expressions and InfluxDB data source macros
// (dashboard.h): "now-6h", "now-7d/d", $timeFilter, $__interval.
#include <date/date.h>

#include <cctype>

#include "core/time.h"
#include "render/dashboard.h"

namespace tsd::render {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A local wall-clock time (ns) as a civil date and the time of day.
struct Civil {
  date::year_month_day ymd;
  int64_t day_ns;
};

Civil civil(int64_t local) {
  const int64_t days = local >= 0 ? local / kDay : -((-local + kDay - 1) / kDay);
  return {date::year_month_day{date::sys_days{date::days{days}}}, local - days * kDay};
}

int64_t local_ns(const date::year_month_day& ymd, int64_t day_ns) {
  return static_cast<int64_t>(date::sys_days{ymd}.time_since_epoch().count()) * kDay + day_ns;
}

// t moved by n units (s m h d w M y) in the zone's wall clock: days,
// months and years keep the time of day across a change of offset.
int64_t add_units(int64_t t, int64_t n, char unit, const query::Zone& z) {
  switch (unit) {
    case 's': return t + n * kSecond;
    case 'm': return t + n * kMinute;
    case 'h': return t + n * kHour;
    default: break;
  }
  Civil c = civil(t + z.offset_at(t));
  if (unit == 'd' || unit == 'w') {
    c.ymd = date::sys_days{c.ymd} + date::days{n * (unit == 'w' ? 7 : 1)};
  } else {
    c.ymd += date::months{unit == 'y' ? 12 * n : n};
    if (!c.ymd.ok()) c.ymd = c.ymd.year() / c.ymd.month() / date::last;  // Jan 31 + 1M
  }
  return z.to_utc(local_ns(c.ymd, c.day_ns));
}

// The start of t's unit in the zone (weeks start on Monday), or when
// `end` the last millisecond of it, as Grafana rounds "/d".
int64_t round_to(int64_t t, char unit, const query::Zone& z, bool end) {
  int64_t local = t + z.offset_at(t), start;
  switch (unit) {
    case 's':
    case 'm':
    case 'h': {
      const int64_t u = unit == 's' ? kSecond : unit == 'm' ? kMinute : kHour;
      int64_t r = local % u;
      if (r < 0) r += u;
      start = z.to_utc(local - r);
      break;
    }
    default: {
      Civil c = civil(local);
      if (unit == 'w') {
        const date::weekday wd{date::sys_days{c.ymd}};
        c.ymd = date::sys_days{c.ymd} - date::days{(wd.c_encoding() + 6) % 7};
      } else if (unit == 'M') {
        c.ymd = c.ymd.year() / c.ymd.month() / 1;
      } else if (unit == 'y') {
        c.ymd = c.ymd.year() / 1 / 1;
      }
      start = z.to_utc(local_ns(c.ymd, 0));
    }
  }
  return end ? add_units(start, 1, unit, z) - kMillisecond : start;
}

bool is_unit(char c) { return std::string_view("smhdwMy").find(c) != std::string_view::npos; }

}  // namespace

Result<int64_t> parse_time_expr(std::string_view s, int64_t now, const query::Zone& zone, bool end) {
  auto bad = [&](const std::string& why) {
    return Status::invalid_argument("time \"" + std::string(s) + "\": " + why);
  };
  if (s.empty()) return bad("empty");
  if (s.substr(0, 3) == "now") {
    int64_t t = now;
    size_t i = 3;
    while (i < s.size()) {
      if (s[i] == '/') {
        if (i + 2 != s.size() || !is_unit(s[i + 1])) return bad("expected /s, /m, /h, /d, /w, /M or /y at the end");
        return round_to(t, s[i + 1], zone, end);
      }
      if (s[i] != '-' && s[i] != '+') return bad("expected now-<n><unit>, now+<n><unit> or now/<unit>");
      const int sign = s[i] == '-' ? -1 : 1;
      size_t j = ++i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) j++;
      if (j == i || j >= s.size() || !is_unit(s[j]) || j - i > 9) {
        return bad("expected a number and a unit (s, m, h, d, w, M, y) after the sign");
      }
      t = add_units(t, sign * std::stoll(std::string(s.substr(i, j - i))), s[j], zone);
      i = j + 1;
    }
    return t;
  }
  if (all_digits(s)) {  // epoch milliseconds, as in Grafana's URLs
    if (s.size() > 15) return bad("an epoch in milliseconds has at most 15 digits");
    return std::stoll(std::string(s)) * kMillisecond;
  }
  auto t = parse_rfc3339(s);
  if (!t.ok()) {
    return bad("expected now, now-6h, now-7d/d, RFC 3339, 'YYYY-MM-DD HH:MM:SS' or epoch milliseconds");
  }
  // Without an offset the time is the zone's wall clock.
  const bool has_offset = s.back() == 'Z' || s.back() == 'z' ||
                          (s.size() > 19 && s[10] == 'T' && s.find_first_of("+-", 19) != std::string_view::npos);
  return has_offset ? *t : zone.to_utc(*t);
}

std::string time_filter(std::string_view from_raw, std::string_view to_raw, int64_t from, int64_t to) {
  // Grafana keeps "now" and "now-<n><s|m|h|d>" relative, so that the
  // server's clock decides; anything else becomes epoch milliseconds.
  auto influx_time = [](std::string_view raw, int64_t t) -> std::string {
    if (raw == "now") return "now()";
    if (raw.size() > 5 && raw.substr(0, 4) == "now-" && std::string_view("smhd").find(raw.back()) != std::string_view::npos &&
        all_digits(raw.substr(4, raw.size() - 5))) {
      return "now() - " + std::string(raw.substr(4));
    }
    const int64_t ms = t >= 0 ? t / kMillisecond : -((-t + kMillisecond - 1) / kMillisecond);
    return std::to_string(ms) + "ms";
  };
  const std::string f = influx_time(from_raw, from), u = influx_time(to_raw, to);
  // A range that ends now has no upper bound (Grafana's test for an
  // absolute start never succeeds, so it is left out whatever the start).
  if (u == "now()") return "time >= " + f;
  return "time >= " + f + " and time <= " + u;
}

int64_t auto_interval(int64_t from, int64_t to, int points, int64_t min) {
  const int64_t ms = points > 0 && to > from ? (to - from) / points / kMillisecond : 0;
  // Grafana's rounding: each bound rounds below it to the step beside it.
  static constexpr std::pair<int64_t, int64_t> kSteps[] = {
      {10, 1},           {15, 10},          {35, 20},          {75, 50},          {150, 100},
      {350, 200},        {750, 500},        {1500, 1000},      {3500, 2000},      {7500, 5000},
      {12500, 10000},    {17500, 15000},    {25000, 20000},    {45000, 30000},    {90000, 60000},
      {180000, 120000},  {450000, 300000},  {750000, 600000},  {1050000, 900000}, {1500000, 1200000},
      {2700000, 1800000}, {5400000, 3600000}, {9000000, 7200000}, {16200000, 10800000},
      {32400000, 21600000}, {86400000, 43200000}, {604800000, 86400000}, {1814400000, 604800000},
      {3628800000, 2592000000},
  };
  int64_t step = 31536000000;  // 1y
  for (const auto& [below, s] : kSteps) {
    if (ms < below) {
      step = s;
      break;
    }
  }
  return std::max(step * kMillisecond, min);
}

}  // namespace tsd::render
