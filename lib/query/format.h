// Result formatters: result sets (result.h) as tsd-query prints them.
//
//   json    byte for byte what InfluxDB 1.6.7's HTTP /query answers (Go's
//           encoding/json of its response), newline included; `pretty` as
//           its pretty=true (4-space indent, "key": value).
//   csv     what the influx 1.6.7 shell prints with -format csv.
//   column  what the influx 1.6.7 shell prints with -format column (its
//           default): "name: cpu", "tags: host=a", header, dashes, columns
//           aligned as Go's text/tabwriter aligns them (padding 1).
//   line    line protocol, so that `tsd-query --format line | tsd-write`
//           composes (see below).
//
// Times: with an empty precision (or "rfc3339") the time column prints as
// Go's RFC3339Nano ("2020-01-01T00:00:00.1Z"); with a unit (ns, u/us/µ,
// ms, s, m, h) as the integer number of units, divided toward zero as
// influxd's epoch= does (-1500 ms is -1 s). For csv and column that is
// what the shell prints with the same -precision: the shell's default is
// ns, ours rfc3339. The line format writes nanoseconds unless a unit is
// given. One deliberate difference from influxd's epoch=: it reads "us"
// and "µ" as nanoseconds, we as microseconds.
//
// What the shell prints is what it makes of influxd's chunked answers
// (chunked=true is its default): every series is a result of its own, and a
// result whose first series has the same name, tags and columns as the last
// shown header prints without a header or blank line (so "SHOW DATABASES;
// SHOW DATABASES" continues one table). In column format a blank line goes
// before every result but the first, so a statement with no series (an
// empty SELECT, a CREATE, a failed statement) still prints a blank line
// when something comes before it; alone it prints nothing. Strings are
// shown as influxd's JSON carries them: invalid UTF-8 becomes U+FFFD, a
// tab inside a value starts a new cell (csv) or column (column), a newline
// a new line; numbers print as in the JSON (1e+21, 1e-7, -0).
//
// Errors and messages:
//   - json: inside the JSON, as influxd ({"error":"…"} for a request that
//     failed, {"statement_id":0,"error":"…"} for a statement); nothing on
//     *err.
//   - csv, column, line: a failed request prints "ERR: <error>\n" on *err
//     and nothing else; each failed statement adds "ERR: <error>\n" to *err
//     (the shell prints the first one, on stdout, after the results).
//   - messages ({"level":"warning","text":…}): column prints
//     "warning: <text>.\n" in *out before the statement's rows (as the
//     shell; unverified against 1.6.7, where the CLI's POST never gets
//     one); csv drops them (as the shell); line writes "<level>: <text>\n"
//     to *err.
//
// NaN and infinities: influxd's query engine makes null of NaN, and an
// infinity makes its JSON encoding fail (the body is Go's error text);
// here both print as null in json, an empty cell in csv/column, and are
// left out of a line as a null is.
//
// The line format: one line per row; measurement = the series name (a
// series without a name, as SHOW SERIES or SHOW USERS give, is written as
// measurement "result"), tags = the series tags (a GROUP BY's; a SELECT *
// without GROUP BY * shows tags as columns, which become string fields, as
// SELECT … INTO does), fields = every other column whose value is not null
// (floats as lp::format_point writes them, integers "3i", unsigned "3u",
// strings quoted and escaped, true/false), a row with no such value is
// left out, and the timestamp is the time column (in nanoseconds, or in
// the precision's unit, truncated toward zero). A series without a time column (SHOW results) writes lines with
// no timestamp (a writer stamps them when it reads them).
//
// Everything here is pure and thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/status.h"
#include "query/result.h"

namespace tsd::query {

enum class Format { kColumn, kCsv, kJson, kLine };

// "column", "csv", "json", "line"; anything else is invalid_argument.
Result<Format> parse_format(std::string_view s);
std::string_view format_name(Format f);

// OK for "", "rfc3339" and the units ns, n, u, us, µ, µs, ms, s, m, h;
// invalid_argument naming the word otherwise.
Status check_precision(std::string_view precision);

struct FormatOptions {
  Format format = Format::kColumn;
  std::string precision;  // "" or "rfc3339": RFC 3339 times; else a unit (check_precision)
  bool pretty = false;    // json only
  // json: the influx shell's JSON (its client's Response) instead of
  // /query's: no statement_id, every series a result of its own (the
  // chunks it reads), {} for a statement without series, a failed
  // statement {"error":"…"}.
  bool shell = false;
  // json and line: write *out to this stream whenever it holds 64 KiB,
  // then clear it (*out is left with the rest): a large answer is not
  // held whole. The other formats align their columns over all rows.
  std::FILE* stream = nullptr;
  // column: each row as a block of "column | value" lines under a
  // "-[ RECORD n ]-" rule (psql's expanded display), for wide rows.
  bool expanded = false;
};

// Appends `r` in the format of `o` to *out and what is meant for stderr
// (see above) to *err. A precision that check_precision rejects gives
// nanoseconds (as influxd does with an unknown epoch=).
void format_results(const Results& r, const FormatOptions& o, std::string* out, std::string* err);

// The formats one at a time: the body of what format_results writes to
// *out (the line format also writes messages to *err). Errors of the
// request and of statements are format_results' work, except in json.
void format_json(const Results& r, const FormatOptions& o, std::string* out);
void format_csv(const Results& r, const FormatOptions& o, std::string* out);
void format_column(const Results& r, const FormatOptions& o, std::string* out);
void format_line(const Results& r, const FormatOptions& o, std::string* out, std::string* err);

// -- Building blocks (also for other writers of InfluxDB-shaped JSON) ------

// With o.stream set: writes *out to it and clears it once it holds 64 KiB.
void spill(const FormatOptions& o, std::string* out);

// What a time is divided by under `precision`: 0 for "" and "rfc3339"
// (RFC 3339 text), the unit in nanoseconds otherwise (1 for a word that
// check_precision rejects).
int64_t precision_unit(std::string_view precision);

// A time column's value: RFC3339Nano text for unit 0 (precision_unit),
// else ns / unit rounded toward zero, in decimal.
std::string format_time(int64_t ns, int64_t unit, const std::string& zone = {});

// A datum as Go's encoding/json writes it (null, a number, a string,
// true/false); floats as append_json_float, strings as append_json_string.
void append_json_value(const Datum& d, std::string* out);

// A float as Go's encoding/json writes it: the shortest text that reads
// back, 'f' style for 1e-6 <= |x| < 1e21 (and 0), else 'e' style with a
// signed exponent of two or more digits, a leading zero of a negative one
// dropped ("1e+21", "1e-7", "1.5e-10", "-0", "2"). NaN and infinities,
// which Go refuses, are written as null.
void append_json_float(double v, std::string* out);

// A quoted JSON string as Go's encoding/json writes it: \" \\ \n \r \t,
// other control bytes and < > & as \u00XX, U+2028/U+2029 as \u2028/\u2029,
// each byte that starts no valid UTF-8 sequence as \ufffd.
void append_json_string(std::string_view s, std::string* out);

// s with each byte that starts no valid UTF-8 sequence replaced by U+FFFD
// (as Go decodes: surrogates, overlong forms and truncated sequences are
// invalid, one byte at a time).
std::string sanitize_utf8(std::string_view s);

// The length of the valid UTF-8 sequence at the start of s (1 to 4), or 0
// when s is empty or its first byte starts none.
size_t utf8_sequence_length(std::string_view s);

}  // namespace tsd::query
