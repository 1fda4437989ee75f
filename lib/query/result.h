// Result sets: what a statement answers, in the shape of InfluxDB 1.x's
// /query body ({"results":[{"statement_id":0,"series":[...]}]}), before
// any formatting (format.h turns them into JSON, CSV, tables or line
// protocol). Value types.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tsd::query {

// One cell: null, or a value of one of InfluxDB's five types. The time
// column holds int64 nanoseconds (Series::has_time says which column).
using Datum = std::variant<std::monostate, double, int64_t, uint64_t, std::string, bool>;

inline bool is_null(const Datum& d) { return d.index() == 0; }

using Row = std::vector<Datum>;

struct Series {
  std::string name;                                      // empty: no "name" key
  std::vector<std::pair<std::string, std::string>> tags;  // sorted by key; empty: no "tags"
  std::vector<std::string> columns;
  std::vector<Row> values;
  // Column 0 is "time" and holds nanoseconds since the epoch (rendered as
  // RFC 3339 or in the requested precision).
  bool has_time = false;
  // tz('...') of the statement: RFC 3339 times carry its offset.
  std::string zone;
  bool partial = false;  // more of this series follows in a later chunk
};

// An informational message of a statement ({"level":"warning","text":…}).
struct Message {
  std::string level;
  std::string text;
};

struct StatementResult {
  int statement_id = 0;
  std::vector<Series> series;
  std::vector<Message> messages;
  std::string error;  // non-empty: the statement failed (no series)
  bool partial = false;
};

struct Results {
  std::vector<StatementResult> results;
  // A failure of the whole request (a parse error): {"error":"…"} alone.
  std::string error;

  // The request's error, else the first failed statement's; "" when none.
  std::string first_error() const {
    if (!error.empty()) return error;
    for (const auto& r : results) {
      if (!r.error.empty()) return r.error;
    }
    return {};
  }

  // Whether the request or any statement failed.
  bool failed() const {
    if (!error.empty()) return true;
    for (const auto& r : results) {
      if (!r.error.empty()) return true;
    }
    return false;
  }
};

}  // namespace tsd::query
