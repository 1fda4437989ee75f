// Result sets read back from text, so that tsd-render draws what another
// program printed: InfluxDB's /query JSON (what `tsd-query --format json`
// and an InfluxDB server answer, one document or one per line as chunked
// answers come), the influx shell's CSV (`tsd-query --format csv`), or
// line protocol (a collector's output, `tsd-query --format line`).
//
// The format is told from the text: JSON starts with '{'; line protocol's
// first line (after blanks and comments) parses as line protocol; CSV's
// first record is a header starting with "name" or "time". Times are RFC
// 3339 text or integer epochs, whose unit is guessed from their size
// (below 1e11 seconds, 1e14 milliseconds, 1e17 microseconds, else
// nanoseconds: today in any of them). Line protocol gives a series per
// measurement and tag set, a column per field, rows in time order.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "query/result.h"

namespace tsd::render {

enum class InputFormat { kJson, kCsv, kLine };

// The format of `text`, or invalid_argument when it is none of the three
// (the message says why the first line is not line protocol).
Result<InputFormat> detect_format(std::string_view text);

// Reads `text` in the format detect_format finds. A malformed document,
// record or line is invalid_argument naming where ("line 3: ...").
Result<query::Results> parse_results(std::string_view text);

Result<query::Results> parse_json_results(std::string_view text);
Result<query::Results> parse_csv_results(std::string_view text);
Result<query::Results> parse_line_results(std::string_view text);

// An integer epoch in the unit its size suggests (above), as nanoseconds.
int64_t guess_epoch_ns(int64_t t);

}  // namespace tsd::render
