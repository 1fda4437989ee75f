#include "core/time.h"

#include <cstring>

#include <time.h>

#include <cctype>
#include <cstdio>
#include <limits>

namespace tsd {
namespace {

std::string quoted(std::string_view s) {
  std::string q = "\"";
  q.append(s);
  q += '"';
  return q;
}

bool mul_overflows(int64_t a, int64_t b, int64_t* out) { return __builtin_mul_overflow(a, b, out); }
bool add_overflows(int64_t a, int64_t b, int64_t* out) { return __builtin_add_overflow(a, b, out); }

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

bool days_in_month_ok(int64_t y, unsigned m, unsigned d) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  unsigned max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

// Reads exactly n digits at s[*i].
bool digits(std::string_view s, size_t* i, int n, int* out) {
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (*i >= s.size() || !isdigit(static_cast<unsigned char>(s[*i]))) return false;
    v = v * 10 + (s[*i] - '0');
    ++*i;
  }
  *out = v;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Precision> parse_precision(std::string_view s) {
  if (s == "n" || s == "ns") return Precision::kNanosecond;
  if (s == "u" || s == "us" || s == "\xC2\xB5" || s == "\xC2\xB5s") return Precision::kMicrosecond;
  if (s == "ms") return Precision::kMillisecond;
  if (s == "s") return Precision::kSecond;
  if (s == "m") return Precision::kMinute;
  if (s == "h") return Precision::kHour;
  return Status::invalid_argument("unknown precision " + quoted(s) +
                                  ": expected ns, us, ms, s, m or h");
}

int64_t precision_ns(Precision p) {
  switch (p) {
    case Precision::kNanosecond: return kNanosecond;
    case Precision::kMicrosecond: return kMicrosecond;
    case Precision::kMillisecond: return kMillisecond;
    case Precision::kSecond: return kSecond;
    case Precision::kMinute: return kMinute;
    case Precision::kHour: return kHour;
  }
  return 1;
}

std::string_view precision_name(Precision p) {
  switch (p) {
    case Precision::kNanosecond: return "ns";
    case Precision::kMicrosecond: return "us";
    case Precision::kMillisecond: return "ms";
    case Precision::kSecond: return "s";
    case Precision::kMinute: return "m";
    case Precision::kHour: return "h";
  }
  return "ns";
}

Result<int64_t> parse_duration(std::string_view s) {
  if (s == "inf" || s == "INF") return int64_t{0};
  if (s.empty()) return Status::invalid_argument("invalid duration \"\": empty");
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
      if (mul_overflows(n, 10, &n) || add_overflows(n, s[i] - '0', &n)) {
        return Status::invalid_argument("invalid duration " + quoted(s) + ": overflow");
      }
      ++i;
    }
    if (i == start) {
      return Status::invalid_argument("invalid duration " + quoted(s) + ": expected a number at char " +
                                      std::to_string(i + 1));
    }
    int64_t unit = 0;
    std::string_view rest = s.substr(i);
    if (rest.starts_with("ns")) { unit = kNanosecond; i += 2; }
    else if (rest.starts_with("ms")) { unit = kMillisecond; i += 2; }
    else if (rest.starts_with("us")) { unit = kMicrosecond; i += 2; }
    else if (rest.starts_with("\xC2\xB5s")) { unit = kMicrosecond; i += 3; }
    else if (rest.starts_with("\xC2\xB5")) { unit = kMicrosecond; i += 2; }
    else if (rest.starts_with("u")) { unit = kMicrosecond; i += 1; }
    else if (rest.starts_with("s")) { unit = kSecond; i += 1; }
    else if (rest.starts_with("m")) { unit = kMinute; i += 1; }
    else if (rest.starts_with("h")) { unit = kHour; i += 1; }
    else if (rest.starts_with("d")) { unit = kDay; i += 1; }
    else if (rest.starts_with("w")) { unit = kWeek; i += 1; }
    else {
      return Status::invalid_argument("invalid duration " + quoted(s) +
                                      ": expected a unit (ns, u, ms, s, m, h, d, w) at char " +
                                      std::to_string(i + 1));
    }
    int64_t part;
    if (mul_overflows(n, unit, &part) || add_overflows(total, part, &total)) {
      return Status::invalid_argument("invalid duration " + quoted(s) + ": overflow");
    }
  }
  return total;
}

std::string format_duration(int64_t ns) {
  // Go's time.Duration.String().
  if (ns == 0) return "0s";
  bool neg = ns < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string out;
  auto frac = [](uint64_t v, int prec, std::string* s) {
    // Appends "." and the fraction of v (prec digits), trailing zeros trimmed.
    std::string digits;
    bool print = false;
    for (int i = 0; i < prec; i++) {
      int d = static_cast<int>(v % 10);
      print = print || d != 0;
      if (print) digits.insert(digits.begin(), static_cast<char>('0' + d));
      v /= 10;
    }
    if (print) *s += "." + digits;
    return v;
  };
  if (u < static_cast<uint64_t>(kSecond)) {
    int prec;
    std::string unit;
    if (u < static_cast<uint64_t>(kMicrosecond)) {
      return (neg ? "-" : "") + std::to_string(u) + "ns";
    } else if (u < static_cast<uint64_t>(kMillisecond)) {
      prec = 3; unit = "\xC2\xB5s";
    } else {
      prec = 6; unit = "ms";
    }
    std::string f;
    uint64_t whole = frac(u, prec, &f);
    return (neg ? "-" : "") + std::to_string(whole) + f + unit;
  }
  std::string f;
  uint64_t secs = frac(u, 9, &f);
  uint64_t h = secs / 3600, m = (secs / 60) % 60, s = secs % 60;
  if (h > 0) out += std::to_string(h) + "h";
  if (h > 0 || m > 0) out += std::to_string(m) + "m";
  out += std::to_string(s) + f + "s";
  return (neg ? "-" : "") + out;
}

Result<int64_t> parse_rfc3339(std::string_view s) {
  auto bad = [&](const char* why) {
    return Status::invalid_argument("invalid time " + quoted(s) + ": " + why);
  };
  size_t i = 0;
  int y, mo, d, hh = 0, mi = 0, ss = 0;
  if (!digits(s, &i, 4, &y) || i >= s.size() || s[i++] != '-' || !digits(s, &i, 2, &mo) ||
      i >= s.size() || s[i++] != '-' || !digits(s, &i, 2, &d)) {
    return bad("expected YYYY-MM-DD");
  }
  if (!days_in_month_ok(y, mo, d)) return bad("no such date");
  int64_t frac_ns = 0;
  int64_t offset_s = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad("expected 'T' after the date");
    bool rfc = s[i] != ' ';
    ++i;
    if (!digits(s, &i, 2, &hh) || i >= s.size() || s[i++] != ':' || !digits(s, &i, 2, &mi) ||
        i >= s.size() || s[i++] != ':' || !digits(s, &i, 2, &ss)) {
      return bad("expected HH:MM:SS");
    }
    if (hh > 23 || mi > 59 || ss > 59) return bad("hour, minute or second out of range");
    if (i < s.size() && s[i] == '.') {
      ++i;
      int n = 0;
      int64_t scale = 100000000;
      while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) {
        if (n < 9) frac_ns += (s[i] - '0') * scale;
        scale /= 10;
        ++n;
        ++i;
      }
      if (n == 0) return bad("expected digits after '.'");
    }
    if (i < s.size()) {
      char z = s[i];
      if (z == 'Z' || z == 'z') {
        ++i;
      } else if (z == '+' || z == '-') {
        ++i;
        int oh, om;
        if (!digits(s, &i, 2, &oh) || i >= s.size() || s[i++] != ':' || !digits(s, &i, 2, &om)) {
          return bad("expected a zone offset like +02:00");
        }
        offset_s = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
      } else {
        return bad("expected 'Z' or a zone offset");
      }
    } else if (rfc) {
      return bad("expected 'Z' or a zone offset");
    }
    if (i != s.size()) return bad("unexpected text after the time");
  }
  int64_t secs = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - offset_s;
  int64_t ns;
  if (secs < 0 && frac_ns > 0) {  // stay inside int64 near the minimum time
    secs += 1;
    frac_ns -= kSecond;
  }
  if (mul_overflows(secs, kSecond, &ns) || add_overflows(ns, frac_ns, &ns) || ns < kMinTime ||
      ns > kMaxTime) {
    return bad("out of range");
  }
  return ns;
}

std::string format_rfc3339(int64_t ns) {
  char buf[kRfc3339Max];
  return std::string(buf, format_rfc3339_to(ns, buf));
}

size_t format_rfc3339_to(int64_t ns, char* buf) {
  int64_t secs = ns / kSecond;
  int64_t frac = ns % kSecond;
  if (frac < 0) {
    frac += kSecond;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  // By hand (printf was most of the time of printing a long raw query);
  // the date part kept from the last call (a query's times share days).
  thread_local int64_t last_days = INT64_MIN;
  thread_local char date[24];
  thread_local size_t date_len = 0;
  auto two = [](char*& q, int64_t v) {
    *q++ = static_cast<char>('0' + v / 10);
    *q++ = static_cast<char>('0' + v % 10);
  };
  if (days != last_days) {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    char* q = date;
    if (y >= 0 && y <= 9999) {
      two(q, y / 100);
      two(q, y % 100);
    } else {
      q += snprintf(q, 16, "%04lld", static_cast<long long>(y));
    }
    *q++ = '-';
    two(q, m);
    *q++ = '-';
    two(q, d);
    *q++ = 'T';
    date_len = static_cast<size_t>(q - date);
    last_days = days;
  }
  char* p = buf;
  std::memcpy(p, date, date_len);
  p += date_len;
  two(p, rem / 3600);
  *p++ = ':';
  two(p, (rem / 60) % 60);
  *p++ = ':';
  two(p, rem % 60);
  if (frac != 0) {
    *p++ = '.';
    char digits[9];
    for (int i = 8; i >= 0; i--) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int n = 9;
    while (n > 0 && digits[n - 1] == '0') n--;
    for (int i = 0; i < n; i++) *p++ = digits[i];
  }
  *p++ = 'Z';
  return static_cast<size_t>(p - buf);
}

Result<int64_t> parse_time(std::string_view in, int64_t now) {
  std::string_view s = trim(in);
  if (s.empty()) return Status::invalid_argument("invalid time \"\": empty");
  if (s.starts_with("now()")) {
    std::string_view rest = trim(s.substr(5));
    if (rest.empty()) return now;
    char op = rest[0];
    if (op != '-' && op != '+') {
      return Status::invalid_argument("invalid time " + quoted(in) + ": expected + or - after now()");
    }
    auto d = parse_duration(trim(rest.substr(1)));
    if (!d.ok()) return d.status().with_context("invalid time " + quoted(in));
    int64_t t;
    if ((op == '-' ? __builtin_sub_overflow(now, *d, &t) : add_overflows(now, *d, &t))) {
      return Status::invalid_argument("invalid time " + quoted(in) + ": out of range");
    }
    return t;
  }
  // An integer epoch, optionally with a unit.
  size_t i = 0;
  if (s[0] == '-' || s[0] == '+') i = 1;
  size_t digits_start = i;
  while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i > digits_start && (i == s.size() || !(s[i] == '-' && i == digits_start + 4))) {
    bool neg = s[0] == '-';
    int64_t n = 0;
    for (size_t k = digits_start; k < i; k++) {
      if (mul_overflows(n, 10, &n) || add_overflows(n, s[k] - '0', &n)) {
        return Status::invalid_argument("invalid time " + quoted(in) + ": out of range");
      }
    }
    if (neg) n = -n;
    if (i == s.size()) return n;
    auto p = parse_precision(s.substr(i));
    if (!p.ok()) return Status::invalid_argument("invalid time " + quoted(in) + ": unknown unit");
    int64_t t;
    if (mul_overflows(n, precision_ns(*p), &t)) {
      return Status::invalid_argument("invalid time " + quoted(in) + ": out of range");
    }
    return t;
  }
  return parse_rfc3339(s);
}

int64_t now_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kSecond + ts.tv_nsec;
}

}  // namespace tsd
