// Internal to lib/lineproto: the pieces parse_line is made of, shared by
// parse.cc and value.cc. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lineproto/lineproto.h"

namespace tsd::lp::internal {

// invalid_argument "column N: <what>", N = at - line + 1.
Status error_at(const char* line, const char* at, std::string_view what);

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Exact powers of ten as doubles (10^22 is the last one a double holds).
inline constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The common numbers, inline and without Status: "-?digits" followed by
// 'i' (up to 18 digits), or a plain decimal "-?digits[.digits]" of at
// most 19 digits whose value is below 2^53, which one division makes
// exact (Clinger's fast path: m and 10^k are exact doubles and IEEE
// division rounds correctly). Returns false, touching nothing, for any
// other text: parse_value then decides (and reports errors).
inline bool parse_number_fast(const char** pp, const char* end, ParsedField* f) {
  const char* q = *pp;
  bool neg = *q == '-';
  if (neg) ++q;
  const char* ds = q;
  uint64_t m = 0;
  while (q < end && is_digit(*q) && q - ds < 19) m = m * 10 + static_cast<unsigned>(*q++ - '0');
  size_t nd = q - ds;
  if (q < end && *q == 'i') {
    if (nd == 0 || nd > 18 || (q + 1 < end && q[1] != ',' && q[1] != ' ')) return false;
    f->type = FieldType::kInteger;
    f->i = neg ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
    *pp = q + 1;
    return true;
  }
  size_t frac = 0;
  if (q < end && *q == '.') {
    const char* fs = ++q;
    while (q < end && is_digit(*q) && nd + (q - fs) < 19) m = m * 10 + static_cast<unsigned>(*q++ - '0');
    frac = q - fs;
  }
  if (nd + frac == 0 || (q < end && *q != ',' && *q != ' ') || m > (uint64_t{1} << 53)) return false;
  double d = static_cast<double>(m);
  if (frac) d /= kPow10[frac];
  f->type = FieldType::kFloat;
  f->f = neg ? -d : d;
  *pp = q;
  return true;
}

// These return false and set *err on a bad input (no Status on the way of
// a good one: the hot path).

// Parses the field value at *p (just after '=') into f; on success *p is
// the byte after the value. `line` is the start of the line (for columns).
bool parse_value(const char* line, const char** p, const char* end, const ParseOptions& opts,
                 ParsedField* f, Status* err);

// Parses the timestamp [b, e) in the given precision into *ns, rejecting
// what InfluxDB rejects (not an integer, out of int64 or of its range).
bool parse_time(const char* line, const char* b, const char* e, Precision precision, int64_t* ns,
                Status* err);

}  // namespace tsd::lp::internal
