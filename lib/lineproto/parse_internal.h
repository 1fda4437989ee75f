// Internal to lib/lineproto: the pieces parse_line is made of, shared by
// parse.cc and value.cc. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "lineproto/lineproto.h"

namespace tsd::lp::internal {

// invalid_argument "column N: <what>", N = at - line + 1.
Status error_at(const char* line, const char* at, std::string_view what);

// Parses the field value at *p (just after '=') into f; on success *p is
// the byte after the value. `line` is the start of the line (for columns).
Status parse_value(const char* line, const char** p, const char* end, const ParseOptions& opts,
                   ParsedField* f);

// Parses the timestamp [b, e) in the given precision into *ns, rejecting
// what InfluxDB rejects (not an integer, out of int64 or of its range).
Status parse_time(const char* line, const char* b, const char* e, Precision precision, int64_t* ns);

}  // namespace tsd::lp::internal
