// Time zones (zone.h): TZif files and their POSIX TZ footers.
#include "query/zone.h"

#include <date/date.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "core/file.h"

namespace tsd::query {

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNs = 1000000000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

int64_t days_of(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

// A day of the year in a POSIX TZ rule: Jn (1-365, February 29 never
// counted), n (0-365, counted) or Mm.w.d (day d, 0 = Sunday, of week w,
// 5 = the last, of month m), and the local time of day it happens at.
struct DayRule {
  char kind = 'M';
  int month = 0, week = 0, wday = 0, day = 0;
  int32_t time = 7200;  // seconds, -167 h to 167 h

  // The rule's day in year y, as days since the epoch.
  int64_t days(int y) const {
    switch (kind) {
      case 'J': {
        bool leap = date::year{y}.is_leap();
        return days_of(y, 1, 1) + (day - 1) + (leap && day >= 60 ? 1 : 0);
      }
      case 'N':
        return days_of(y, 1, 1) + day;
      default: {
        date::year_month ym = date::year{y} / date::month{unsigned(month)};
        date::weekday wd{unsigned(wday)};
        date::sys_days d = week == 5 ? date::sys_days{ym / date::weekday_last{wd}}
                                     : date::sys_days{ym / wd[unsigned(week)]};
        return d.time_since_epoch().count();
      }
    }
  }
};

// The rule a TZif footer gives for the times past the file's last
// transition: "CET-1CEST,M3.5.0,M10.5.0/3", "<+09>-9", "EST5EDT,...".
struct PosixRule {
  int32_t std_off = 0;  // seconds east of UTC
  bool has_dst = false;
  int32_t dst_off = 0;
  DayRule start, end;

  // The changes around year y's: (instant, offset from then on), in order.
  void changes(int y, std::vector<std::pair<int64_t, int32_t>>* out) const {
    out->clear();
    for (int yy = y - 1; yy <= y + 1; yy++) {
      out->emplace_back(start.days(yy) * kDay + start.time - std_off, dst_off);
      out->emplace_back(end.days(yy) * kDay + end.time - dst_off, std_off);
    }
    std::sort(out->begin(), out->end());
  }
  int year_of(int64_t t) const {
    date::sys_days d{date::days{floor_div(t + std_off, kDay)}};
    return int(date::year_month_day{d}.year());
  }
  int32_t offset(int64_t t) const {
    if (!has_dst) return std_off;
    std::vector<std::pair<int64_t, int32_t>> ch;
    changes(year_of(t), &ch);
    int32_t off = ch.front().second == dst_off ? std_off : dst_off;  // before the first change
    for (const auto& [at, o] : ch) {
      if (at > t) break;
      off = o;
    }
    return off;
  }
  // The first instant after t at which the offset changes (t + a year when none does).
  int64_t next_change(int64_t t) const {
    if (!has_dst) return t + 366 * kDay;
    std::vector<std::pair<int64_t, int32_t>> ch;
    changes(year_of(t), &ch);
    for (const auto& c : ch)
      if (c.first > t) return c.first;
    return t + 366 * kDay;
  }
};

// Parses a POSIX TZ string as RFC 8536 3.3 extends it.
class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixRule> parse() {
    PosixRule r;
    int32_t v;
    if (!name() || !hms(true, 24, &v)) return std::nullopt;
    r.std_off = -v;
    if (done()) return r;
    if (!name()) return std::nullopt;
    r.has_dst = true;
    r.dst_off = r.std_off + 3600;
    if (!done() && s_[i_] != ',') {
      if (!hms(true, 24, &v)) return std::nullopt;
      r.dst_off = -v;
    }
    if (done()) {  // POSIX leaves the rules to the implementation: the US ones
      r.start = DayRule{'M', 3, 2, 0, 0, 7200};
      r.end = DayRule{'M', 11, 1, 0, 0, 7200};
      return r;
    }
    if (!eat(',') || !rule(&r.start) || !eat(',') || !rule(&r.end) || !done()) return std::nullopt;
    return r;
  }

 private:
  bool done() const { return i_ == s_.size(); }
  bool eat(char c) {
    if (done() || s_[i_] != c) return false;
    i_++;
    return true;
  }
  bool digit() const { return !done() && s_[i_] >= '0' && s_[i_] <= '9'; }
  bool number(int max_digits, int* out) {
    if (!digit()) return false;
    int n = 0;
    for (int k = 0; k < max_digits && digit(); k++) n = n * 10 + (s_[i_++] - '0');
    *out = n;
    return true;
  }
  // <...> or three or more letters.
  bool name() {
    if (eat('<')) {
      size_t close = s_.find('>', i_);
      if (close == std::string_view::npos || close == i_) return false;
      i_ = close + 1;
      return true;
    }
    size_t b = i_;
    while (!done() && ((s_[i_] | 0x20) >= 'a' && (s_[i_] | 0x20) <= 'z')) i_++;
    return i_ - b >= 3;
  }
  // [+-]hh[:mm[:ss]], hours up to max_h.
  bool hms(bool sign_allowed, int max_h, int32_t* out) {
    int sign = 1;
    if (sign_allowed && eat('-')) sign = -1;
    else if (sign_allowed) eat('+');
    int h, m = 0, sec = 0;
    if (!number(3, &h) || h > max_h) return false;
    if (eat(':') && (!number(2, &m) || m > 59)) return false;
    if (!done() && s_[i_] == ':' && (!eat(':') || !number(2, &sec) || sec > 59)) return false;
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool rule(DayRule* r) {
    if (eat('J')) {
      r->kind = 'J';
      if (!number(3, &r->day) || r->day < 1 || r->day > 365) return false;
    } else if (eat('M')) {
      r->kind = 'M';
      if (!number(2, &r->month) || r->month < 1 || r->month > 12 || !eat('.') ||
          !number(1, &r->week) || r->week < 1 || r->week > 5 || !eat('.') ||
          !number(1, &r->wday) || r->wday > 6)
        return false;
    } else {
      r->kind = 'N';
      if (!number(3, &r->day) || r->day > 365) return false;
    }
    if (eat('/')) return hms(true, 167, &r->time);
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

int64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int k = 0; k < n; k++) v = v << 8 | p[k];
  if (n == 4) return int32_t(uint32_t(v));
  return int64_t(v);
}

}  // namespace

// What a TZif file says: the offset before its first transition, the offset
// after each, and the rule past the last.
struct ZoneRules {
  int32_t before = 0;
  std::vector<int64_t> at;  // transition instants, UTC seconds, ascending
  std::vector<int32_t> off;  // the offset from at[i] on
  std::optional<PosixRule> tail;

  int32_t offset(int64_t t) const {
    auto it = std::upper_bound(at.begin(), at.end(), t);
    if (it == at.begin()) return at.empty() && tail ? tail->offset(t) : before;
    if (it == at.end() && tail) return tail->offset(t);
    return off[it - at.begin() - 1];
  }
  int64_t next_change(int64_t t) const {
    auto it = std::upper_bound(at.begin(), at.end(), t);
    if (it != at.end()) return *it;
    return tail ? tail->next_change(t) : t + 366 * kDay;
  }
};

namespace {

// Reads a TZif file (versions 1 to 4): the 64-bit data block when there is
// one, and its footer.
std::optional<ZoneRules> parse_tzif(std::string_view f) {
  auto u = [&](size_t pos) { return reinterpret_cast<const unsigned char*>(f.data()) + pos; };
  auto header = [&](size_t pos, int64_t c[6]) {
    if (f.size() < pos + 44 || f.compare(pos, 4, "TZif") != 0) return false;
    for (int k = 0; k < 6; k++) c[k] = be(u(pos + 20 + 4 * k), 4);
    for (int k = 0; k < 6; k++)
      if (c[k] < 0) return false;
    return true;
  };
  // counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  auto block_size = [](const int64_t c[6], int tb) {
    return c[3] * tb + c[3] + c[4] * 6 + c[5] + c[2] * (tb + 4) + c[1] + c[0];
  };
  int64_t c[6];
  if (!header(0, c)) return std::nullopt;
  size_t pos = 44;
  int tb = 4;
  if (f[4] >= '2') {
    pos += block_size(c, 4);
    if (!header(pos, c)) return std::nullopt;
    pos += 44;
    tb = 8;
  }
  if (c[4] < 1 || f.size() < pos + size_t(block_size(c, tb))) return std::nullopt;
  size_t times = pos, idx = times + c[3] * tb, types = idx + c[3];
  ZoneRules z;
  auto type_off = [&](int64_t k) { return int32_t(be(u(types + 6 * k), 4)); };
  z.before = type_off(0);
  for (int64_t k = 0; k < c[3]; k++) {
    int64_t t = be(u(times + k * tb), tb);
    unsigned ti = *u(idx + k);
    if (ti >= c[4] || (!z.at.empty() && t <= z.at.back())) return std::nullopt;
    z.at.push_back(t);
    z.off.push_back(type_off(ti));
  }
  if (tb == 8) {
    size_t foot = pos + block_size(c, tb);
    if (foot < f.size() && f[foot] == '\n') {
      size_t nl = f.find('\n', foot + 1);
      if (nl == std::string_view::npos) return std::nullopt;
      std::string_view rule = f.substr(foot + 1, nl - foot - 1);
      if (!rule.empty()) {
        z.tail = PosixParser(rule).parse();
        if (!z.tail) return std::nullopt;
      }
    }
  }
  return z;
}

bool plausible_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name[0] == '/' || name[0] == '.') return false;
  for (char ch : name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' ||
          ch == '+' || ch == '.'))
      return false;
  return name.find("..") == std::string::npos;
}

}  // namespace

Result<Zone> Zone::load(const std::string& name) {
  Zone z;
  if (name.empty() || name == "UTC") return z;
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const ZoneRules>> loaded;
  std::lock_guard lock(mu);
  if (auto it = loaded.find(name); it != loaded.end()) {
    z.rules_ = it->second;
    return z;
  }
  auto missing = Status::invalid_argument("unable to find time zone " + name);
  if (!plausible_name(name)) return missing;
  const char* dir = std::getenv("TZDIR");
  auto file = read_file(std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name);
  if (!file.ok()) return missing;
  auto rules = parse_tzif(*file);
  if (!rules) return missing;
  z.rules_ = std::make_shared<const ZoneRules>(std::move(*rules));
  loaded.emplace(name, z.rules_);
  return z;
}

int64_t Zone::offset_at(int64_t utc_ns) const {
  if (rules_ == nullptr) return 0;
  return int64_t(rules_->offset(floor_div(utc_ns, kNs))) * kNs;
}

int64_t Zone::to_utc(int64_t local_ns) const {
  if (rules_ == nullptr) return local_ns;
  int64_t secs = floor_div(local_ns, kNs);
  int64_t frac = local_ns - secs * kNs;
  // The offsets a day either side bound every reading of a wall-clock time.
  int64_t u1 = secs - rules_->offset(secs - kDay);
  int64_t u2 = secs - rules_->offset(secs + kDay);
  bool ok1 = u1 + rules_->offset(u1) == secs, ok2 = u2 + rules_->offset(u2) == secs;
  if (ok1 && ok2) return std::min(u1, u2) * kNs + frac;
  if (ok1 || ok2) return (ok1 ? u1 : u2) * kNs + frac;
  return rules_->next_change(std::min(u1, u2)) * kNs;  // in a gap: when it ends
}

}  // namespace tsd::query
