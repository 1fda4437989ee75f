// Field values and timestamps: what InfluxDB 1.6.7 accepts, exactly.
//
// Numbers: -?digits{i,u} for integers (range checked), and for floats Go's
// ParseFloat grammar without a leading '+', inf, nan or hex: -?(digits
// [.digits*] | .digits)([eE][+-]?digits)?. Overflow is an error, underflow
// rounds to zero (as Go). Booleans: t T true True TRUE f F false False
// FALSE. Strings: "..." where a backslash hides the next byte.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lineproto/parse_internal.h"

namespace tsd::lp::internal {
namespace {

constexpr std::string_view kExpectedValue =
    "expected a field value (float, 1i, \"string\" or true/false)";

// The end of a bare value: the next ',' or ' ' (no escapes in numbers).
inline const char* token_end(const char* p, const char* end) {
  while (p < end && *p != ',' && *p != ' ') ++p;
  return p;
}

// The text [b, e) for a message: quoted, cut after 40 bytes, control
// bytes escaped so that a message stays on one line.
std::string quote(const char* b, const char* e) {
  constexpr size_t kMax = 40;
  std::string s = "\"";
  for (const char* p = b; p < e && p < b + kMax; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '\n') {
      s += "\\n";
    } else if (c == '\t') {
      s += "\\t";
    } else if (c == '\r') {
      s += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  if (static_cast<size_t>(e - b) > kMax) s += "...";
  return s + "\"";
}

inline bool fail(Status* err, Status s) {
  *err = std::move(s);
  return false;
}

// Parses all of [b, e) into *v; false when it is not all digits or out of range.
template <class T>
bool parse_all(const char* b, const char* e, T* v) {
  auto r = std::from_chars(b, e, *v);
  return r.ec == std::errc() && r.ptr == e;
}

bool parse_integer(const char* line, const char* s, const char* digits_end, bool neg, char suffix,
                     const ParseOptions& opts, ParsedField* f, Status* err) {
  if (suffix == 'u') {
    if (!opts.allow_unsigned) {
      return fail(err, error_at(line, s, "unsigned integers (like 3u) are not accepted here"));
    }
    if (neg) return fail(err, error_at(line, s, "an unsigned integer cannot be negative"));
    uint64_t u = 0;
    if (!parse_all(s, digits_end, &u)) {
      return fail(err, error_at(line, s, "unsigned integer out of range: " + quote(s, digits_end + 1)));
    }
    f->type = FieldType::kUnsigned;
    f->u = u;
    return true;
  }
  int64_t i = 0;
  if (!parse_all(s, digits_end, &i)) {
    return fail(err, error_at(line, s, "integer out of range (int64): " + quote(s, digits_end + 1)));
  }
  f->type = FieldType::kInteger;
  f->i = i;
  return true;
}

bool parse_number(const char* line, const char** pp, const char* end, const ParseOptions& opts,
                  ParsedField* f, Status* err) {
  const char* s = *pp;
  const char* q = s;
  bool neg = *q == '-';
  if (neg) ++q;
  const char* ds = q;
  uint64_t v = 0;
  while (q < end && is_digit(*q)) {
    v = v * 10 + static_cast<unsigned>(*q - '0');
    ++q;
  }
  size_t nd = q - ds;
  if (nd > 0 && q < end && (*q == 'i' || *q == 'u') && (q + 1 == end || q[1] == ',' || q[1] == ' ')) {
    *pp = q + 1;
    if (nd <= 18 && *q == 'i') {  // the usual case: no overflow possible
      f->type = FieldType::kInteger;
      f->i = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
      return true;
    }
    return parse_integer(line, s, q, neg, *q, opts, f, err);
  }
  // A float (or something wrong).
  const char* te = token_end(q, end);
  *pp = te;
  if (te == ds || !(is_digit(*ds) || *ds == '.')) {
    return fail(err, error_at(line, s, std::string(kExpectedValue) + ", found " + quote(s, te)));
  }
  char last = te[-1];
  if (last == 'i' || last == 'u') {
    return fail(err, error_at(line, s, "expected an integer (digits and 'i' or 'u'), found " + quote(s, te)));
  }
  double d = 0;
  auto r = std::from_chars(s, te, d);
  if (r.ptr != te || r.ec == std::errc::invalid_argument) {
    return fail(err, error_at(line, s, "expected a number (like 1, -1.5, 2e-3 or 3i), found " + quote(s, te)));
  }
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow is an error; underflow rounds to (signed) zero or a
    // subnormal, as Go's ParseFloat does. strtod tells them apart.
    std::string tok(s, te);
    d = std::strtod(tok.c_str(), nullptr);
    if (std::isinf(d)) return fail(err, error_at(line, s, "float out of range: " + quote(s, te)));
  }
  f->type = FieldType::kFloat;
  f->f = d;
  return true;
}

bool parse_string(const char* line, const char** pp, const char* end, ParsedField* f, Status* err) {
  const char* s = *pp;
  const char* q = s + 1;
  for (;;) {
    const void* hit = std::memchr(q, '"', end - q);
    if (hit == nullptr) {
      return fail(err, error_at(line, s, "expected a closing '\"' for the string that starts here"));
    }
    const char* c = static_cast<const char*>(hit);
    size_t slashes = 0;
    for (const char* k = c; k[-1] == '\\'; --k) ++slashes;  // s[0] is '"': stops there
    if (slashes % 2 == 0) {
      f->type = FieldType::kString;
      f->str = std::string_view(s + 1, c - s - 1);
      *pp = c + 1;
      return true;
    }
    q = c + 1;
  }
}

bool parse_bool(const char* line, const char** pp, const char* end, ParsedField* f, Status* err) {
  const char* s = *pp;
  const char* te = token_end(s, end);
  *pp = te;
  std::string_view t(s, te - s);
  if (t == "t" || t == "T" || t == "true" || t == "True" || t == "TRUE") {
    f->b = true;
  } else if (t == "f" || t == "F" || t == "false" || t == "False" || t == "FALSE") {
    f->b = false;
  } else {
    return fail(err, error_at(line, s, std::string(kExpectedValue) + ", found " + quote(s, te)));
  }
  f->type = FieldType::kBoolean;
  return true;
}

}  // namespace

Status error_at(const char* line, const char* at, std::string_view what) {
  std::string m = "column ";
  m += std::to_string(at - line + 1);
  m += ": ";
  m += what;
  return Status::invalid_argument(std::move(m));
}

bool parse_value(const char* line, const char** p, const char* end, const ParseOptions& opts,
                 ParsedField* f, Status* err) {
  if (*p == end || **p == ',' || **p == ' ') return fail(err, error_at(line, *p, kExpectedValue));
  char c = **p;
  if (c == '"') return parse_string(line, p, end, f, err);
  if (is_digit(c) || c == '-' || c == '.') return parse_number(line, p, end, opts, f, err);
  return parse_bool(line, p, end, f, err);
}

bool parse_time(const char* line, const char* b, const char* e, Precision precision, int64_t* ns,
                Status* err) {
  const char* q = b;
  if (q < e && *q == '-') ++q;
  const char* ds = q;
  while (q < e && is_digit(*q)) ++q;
  if (q != e || q == ds) {
    return fail(err, error_at(line, b, "expected an integer timestamp, found " + quote(b, e)));
  }
  int64_t t = 0;
  int64_t scaled = 0;
  bool in_range = true;
  if (q - ds <= 19) {  // fits in a uint64_t
    uint64_t v = 0;
    for (const char* k = ds; k < q; ++k) v = v * 10 + static_cast<unsigned>(*k - '0');
    bool neg = ds != b;
    in_range = v <= (neg ? uint64_t{1} << 63 : uint64_t{INT64_MAX});
    t = static_cast<int64_t>(neg ? 0 - v : v);
  } else {
    in_range = parse_all(b, e, &t);
  }
  if (!in_range || __builtin_mul_overflow(t, precision_ns(precision), &scaled) ||
      scaled < kMinTime || scaled > kMaxTime) {
    return fail(err, error_at(line, b, "timestamp out of range: " + quote(b, e) + " " +
                                 std::string(precision_name(precision))));
  }
  *ns = scaled;
  return true;
}

}  // namespace tsd::lp::internal
