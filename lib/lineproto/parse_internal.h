// Internal to lib/lineproto: the pieces parse_line is made of, shared by
// parse.cc and value.cc. Pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
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

inline constexpr uint64_t kPow10U[] = {1ull,
                                      10ull,
                                      100ull,
                                      1000ull,
                                      10000ull,
                                      100000ull,
                                      1000000ull,
                                      10000000ull,
                                      100000000ull,
                                      1000000000ull,
                                      10000000000ull,
                                      100000000000ull,
                                      1000000000000ull,
                                      10000000000000ull,
                                      100000000000000ull,
                                      1000000000000000ull,
                                      10000000000000000ull,
                                      100000000000000000ull,
                                      1000000000000000000ull,
                                      10000000000000000000ull};

// True when d (positive, normal) is m / 10^k correctly rounded, proved
// with exact integer arithmetic: d = M * 2^E is the nearest double when
// m / 10^k lies strictly between its neighbours' midpoints (M -/+ 1/2)
// * 2^E. Cases it cannot prove (a midpoint, M a power of two, scales out
// of reach) answer false and go to the general parser. This makes the
// 16-17 digit decimals of full-precision metrics exact without strtod.
inline bool rounded_right(uint64_t m, size_t k, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  const uint64_t mant = bits & ((uint64_t{1} << 52) - 1);
  const int biased = static_cast<int>(bits >> 52) & 0x7ff;
  if (mant == 0 || biased == 0 || biased == 0x7ff) return false;
  const uint64_t big_m = mant | (uint64_t{1} << 52);
  const int shift = 1 - (biased - 1075);  // m / 10^k ~ M * 2^E: compare m * 2^(1-E)
  if (shift < 0 || shift > 63 || k > 19) return false;
  using u128 = unsigned __int128;
  const u128 lhs = static_cast<u128>(m) << shift;
  const u128 p10 = kPow10U[k];
  return static_cast<u128>(2 * big_m - 1) * p10 < lhs && lhs < static_cast<u128>(2 * big_m + 1) * p10;
}

// The value of eight digits d0..d7 (d0 first, in byte 0 of a
// little-endian word, each already minus '0').
inline uint64_t swar_eight(uint64_t w) {
  w = w * 10 + (w >> 8);  // byte 2i: the two-digit number of digits 2i, 2i+1
  return (((w & 0x000000FF000000FFull) * 0x000F424000000064ull) +  // pairs 0, 2: x1e6, x1e2
          (((w >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >>  // pairs 1, 3: x1e4, x1
         32;
}

// Reads the digits at [q, lim) into *m (m = m * 10 + digit), eight at a
// time where they are (SWAR on a little-endian load; a run of 1-7 digits
// ending inside the word is read in the same step), and returns the
// first byte that is not a digit (or lim).
inline const char* read_digits(const char* q, const char* lim, uint64_t* m) {
  uint64_t v = *m;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (lim - q >= 8) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    // A byte is a digit when its high nibble is 3 and stays 3 after
    // adding 6: a nonzero byte here marks a non-digit. (A carry out of a
    // byte only reaches later bytes, past the first non-digit.)
    const uint64_t bad =
        ((w & 0xF0F0F0F0F0F0F0F0ull) | (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) ^
        0x3333333333333333ull;
    w -= 0x3030303030303030ull;
    if (bad == 0) {
      v = v * 100000000 + swar_eight(w);
      q += 8;
      continue;
    }
    const unsigned n = static_cast<unsigned>(__builtin_ctzll(bad)) / 8;  // digits before it
    if (n != 0) {
      v = v * kPow10U[n] + swar_eight(w << (8 * (8 - n)));  // as 8 - n leading zeros
      q += n;
    }
    *m = v;
    return q;
  }
#endif
  while (q < lim && is_digit(*q)) v = v * 10 + static_cast<unsigned>(*q++ - '0');
  *m = v;
  return q;
}

// The common numbers, inline and without Status: "-?digits" followed by
// 'i' (up to 18 digits), or a plain decimal "-?digits[.digits]" of at
// most 19 digits: below 2^53 one division is exact (Clinger's fast path:
// m and 10^k are exact doubles and IEEE division rounds correctly), above
// it the division's result is checked (rounded_right). Returns false, touching nothing, for any
// other text: parse_value then decides (and reports errors).
__attribute__((always_inline)) inline bool parse_number_fast(const char** pp, const char* end,
                                                            ParsedField* f) {
  const char* q = *pp;
  if (q == end) return false;  // "key=" at the end: parse_value says what is missing
  bool neg = *q == '-';
  if (neg) ++q;
  const char* ds = q;
  uint64_t m = 0;
  const char* lim = end - q > 19 ? q + 19 : end;  // 19 digits fit in m
  q = read_digits(q, lim, &m);
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
    lim = static_cast<size_t>(end - q) > 19 - nd ? q + (19 - nd) : end;
    q = read_digits(q, lim, &m);
    frac = q - fs;
  }
  if (nd + frac == 0 || (q < end && *q != ',' && *q != ' ')) return false;
  double d = static_cast<double>(m);
  if (frac) d /= kPow10[frac];
  if (m > (uint64_t{1} << 53)) {
    // m was rounded to a double before the division: the quotient can be
    // a neighbour of the nearest double (one decimal in eleven of the
    // devops set), which the proof then finds.
    if (frac == 0) return false;
    if (!rounded_right(m, frac, d)) {
      const double up = std::nextafter(d, 2 * d), down = std::nextafter(d, 0.0);
      if (rounded_right(m, frac, up)) {
        d = up;
      } else if (rounded_right(m, frac, down)) {
        d = down;
      } else {
        return false;
      }
    }
  }
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
