// Time axes: round ticks on the zone's wall clock (internal.h). Steps run
// from a millisecond to a century; days, weeks (from Monday), months and
// years follow the calendar (date library), so ticks sit on local
// midnights and first days of months whatever the zone's offset or DST.
#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/time.h"
#include "render/internal.h"

namespace tsd::render {
namespace {

enum class Kind { kFixed, kDays, kMonths, kYears };
enum class Label { kMillis, kSeconds, kMinutes, kDays, kMonths, kYears };

struct Step {
  Kind kind;
  int64_t n;  // ns (kFixed), days, months or years
  Label label;
  int64_t approx;  // ns, for choosing
};

constexpr int64_t kMonth = 30 * kDay, kYear = 365 * kDay;

const std::vector<Step>& steps() {
  static const std::vector<Step> s = [] {
    std::vector<Step> v;
    for (int64_t ms : {1, 2, 5, 10, 20, 50, 100, 200, 500}) {
      v.push_back({Kind::kFixed, ms * kMillisecond, Label::kMillis, ms * kMillisecond});
    }
    for (int64_t sec : {1, 2, 5, 10, 15, 30}) {
      v.push_back({Kind::kFixed, sec * kSecond, Label::kSeconds, sec * kSecond});
    }
    for (int64_t m : {1, 2, 5, 10, 15, 30}) {
      v.push_back({Kind::kFixed, m * kMinute, Label::kMinutes, m * kMinute});
    }
    for (int64_t h : {1, 2, 3, 6, 12}) v.push_back({Kind::kFixed, h * kHour, Label::kMinutes, h * kHour});
    for (int64_t d : {1, 2, 7, 14}) v.push_back({Kind::kDays, d, Label::kDays, d * kDay});
    for (int64_t m : {1, 2, 3, 6}) v.push_back({Kind::kMonths, m, Label::kMonths, m * kMonth});
    // Up to 200 years: 500 would overflow int64 nanoseconds (292 years).
    for (int64_t y : {1, 2, 5, 10, 20, 50, 100, 200}) {
      v.push_back({Kind::kYears, y, Label::kYears, y * kYear});
    }
    return v;
  }();
  return s;
}

int label_width(Label l) {
  switch (l) {
    case Label::kMillis: return 12;   // 15:04:05.000
    case Label::kSeconds: return 8;   // 15:04:05
    case Label::kMinutes: return 5;   // 15:04 (01-02 at midnight)
    case Label::kDays: return 5;      // 01-02
    case Label::kMonths: return 7;    // 2006-01
    case Label::kYears: return 4;     // 2006
  }
  return 8;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Civil {
  int y;
  unsigned mon, d;
  int64_t tod;  // ns since local midnight
};

Civil civil(int64_t local) {
  const int64_t days = floor_div(local, kDay);
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), local - days * kDay};
}

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

std::string format_label(int64_t t, const query::Zone& z, Label l) {
  const Civil c = civil(t + z.offset_at(t));
  const int64_t h = c.tod / kHour, mi = c.tod / kMinute % 60, s = c.tod / kSecond % 60;
  switch (l) {
    case Label::kMillis:
      return fmt::format("{:02}:{:02}:{:02}.{:03}", h, mi, s, c.tod / kMillisecond % 1000);
    case Label::kSeconds: return fmt::format("{:02}:{:02}:{:02}", h, mi, s);
    case Label::kMinutes:
      if (c.tod == 0) return fmt::format("{:02}-{:02}", c.mon, c.d);
      return fmt::format("{:02}:{:02}", h, mi);
    case Label::kDays: return fmt::format("{:02}-{:02}", c.mon, c.d);
    case Label::kMonths: return fmt::format("{:04}-{:02}", c.y, c.mon);
    case Label::kYears: return fmt::format("{:04}", c.y);
  }
  return "";
}

// The tick instants of one step over [t0, t1].
std::vector<int64_t> tick_times(const Step& st, int64_t t0, int64_t t1, const query::Zone& z) {
  constexpr size_t kMax = 1000;
  std::vector<int64_t> out;
  const int64_t local0 = t0 + z.offset_at(t0);
  auto add = [&](int64_t local) {
    int64_t t = z.to_utc(local);
    if (t >= t0 && t <= t1 && (out.empty() || t > out.back())) out.push_back(t);
    return t <= t1 && out.size() < kMax;
  };
  switch (st.kind) {
    case Kind::kFixed:
      for (int64_t l = floor_div(local0, st.n) * st.n;; l += st.n) {
        if (!add(l)) break;
      }
      break;
    case Kind::kDays:
      // Weeks start on Monday (day 4 of the epoch, a Thursday's + 4).
      for (int64_t d = floor_div(local0, kDay);; d++) {
        if (st.n > 2 ? floor_div(d - 4, st.n) * st.n != d - 4 : d % st.n != 0) continue;
        if (!add(d * kDay)) break;
      }
      break;
    case Kind::kMonths: {
      const Civil c = civil(local0);
      for (int64_t m = int64_t{c.y} * 12 + c.mon - 1;; m++) {
        if (m % st.n != 0) continue;
        int y = static_cast<int>(floor_div(m, 12));
        if (!add(days_from_civil(y, static_cast<unsigned>(m - int64_t{y} * 12 + 1), 1) * kDay)) break;
      }
      break;
    }
    case Kind::kYears:
      for (int y = civil(local0).y;; y++) {
        if (y % st.n != 0) continue;
        if (!add(days_from_civil(y, 1, 1) * kDay)) break;
      }
      break;
  }
  return out;
}

}  // namespace

std::vector<TimeTick> time_ticks(int64_t t0, int64_t t1, const query::Zone& z, int cols) {
  if (t1 <= t0) return {{t0, format_label(t0, z, Label::kSeconds)}};  // one instant
  const double span = static_cast<double>(t1 - t0);
  const Step* chosen = &steps().back();
  for (const Step& st : steps()) {
    const double n = span / static_cast<double>(st.approx) + 1;
    if (n * (label_width(st.label) + 2) <= cols) {
      chosen = &st;
      break;
    }
  }
  std::vector<TimeTick> out;
  for (int64_t t : tick_times(*chosen, t0, t1, z)) out.push_back({t, format_label(t, z, chosen->label)});
  return out;
}

std::vector<TimeTick> x_ticks(bool timed, int64_t t0, int64_t t1, const query::Zone& z, int cols) {
  if (timed) return time_ticks(t0, t1, z, cols);
  Scale s = nice_scale(static_cast<double>(t0), static_cast<double>(t1), std::max(2, cols / 8));
  std::vector<TimeTick> out;
  for (double v : s.ticks) {
    if (v >= static_cast<double>(t0) && v <= static_cast<double>(t1) && v == std::floor(v)) {
      out.push_back({static_cast<int64_t>(v), std::to_string(static_cast<int64_t>(v))});
    }
  }
  return out;
}

std::string x_axis(bool timed, int64_t t0, int64_t t1, int left, int cols,
                   const std::function<int(int64_t)>& column, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  const std::vector<TimeTick> ticks = x_ticks(timed, t0, t1, o.zone, cols * 2 / 3);
  std::string axis(static_cast<size_t>(std::max(0, left - 1)), ' ');
  axis += ascii ? "+" : "└";
  std::vector<bool> mark(static_cast<size_t>(cols), false);
  for (const auto& t : ticks) mark[static_cast<size_t>(std::clamp(column(t.t), 0, cols - 1))] = true;
  for (int c = 0; c < cols; c++) axis += mark[static_cast<size_t>(c)] ? (ascii ? "+" : "┬") : (ascii ? "-" : "─");
  const int width = left + cols;
  std::string under(static_cast<size_t>(width), ' ');
  int end = 0;  // the first free column of `under`
  for (const auto& t : ticks) {
    const int len = static_cast<int>(t.label.size());
    const int at = left + std::clamp(column(t.t), 0, cols - 1);
    const int start = std::clamp(at - len / 2, 0, std::max(0, width - len));
    if (start < end || start + len > width) continue;
    under.replace(static_cast<size_t>(start), static_cast<size_t>(len), t.label);
    end = start + len + 1;
  }
  while (!under.empty() && under.back() == ' ') under.pop_back();
  return axis + "\n" + under + "\n";
}

std::string format_local_time(int64_t t, const query::Zone& z) {
  const Civil c = civil(t + z.offset_at(t));
  std::string s = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", c.y, c.mon, c.d, c.tod / kHour,
                              c.tod / kMinute % 60, c.tod / kSecond % 60);
  if (int64_t frac = c.tod % kSecond; frac != 0) {
    std::string f = fmt::format("{:09}", frac);
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

std::string format_local_second(int64_t t, const query::Zone& z) {
  return format_local_time(t - ((t % kSecond) + kSecond) % kSecond, z);
}

}  // namespace tsd::render
