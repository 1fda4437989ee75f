// Line protocol (InfluxDB 1.x): parse and format, exact.
//
// The parser is zero-copy: a ParsedLine holds views into the caller's
// buffer (escaped as written), valid while that buffer lives. The write
// path keys series by the canonical series key without building Points;
// to_point() makes an owning, unescaped Point where one is wanted.
// A bad line gives a message "column N: <what was expected>" and the
// caller goes on with the next line (Reader does this for whole inputs).
// Everything here is pure; a Parser/Reader is used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.h"
#include "core/status.h"
#include "core/time.h"

namespace tsd::lp {

// One field as parsed: the key as written (escaped) and the typed value.
// For strings, `str` is the text between the quotes, still escaped
// (\" and \\); unescape_string() gives the value.
struct ParsedField {
  std::string_view key;  // escaped
  FieldType type = FieldType::kFloat;
  double f = 0;
  int64_t i = 0;
  uint64_t u = 0;
  bool b = false;
  std::string_view str;  // escaped, without the quotes
};

struct ParsedTag {
  std::string_view key;    // escaped
  std::string_view value;  // escaped
};

struct ParsedLine {
  std::string_view measurement;  // escaped
  std::vector<ParsedTag> tags;   // in input order, escaped
  std::vector<ParsedField> fields;
  int64_t time = 0;              // nanoseconds (precision applied)
  bool has_time = false;
  // measurement and tags exactly as written ("cpu,host=a,region=x"): the
  // cache key of the write path; series_key() gives the canonical form.
  std::string_view raw_series;
};

struct ParseOptions {
  Precision precision = Precision::kNanosecond;
  bool allow_unsigned = true;  // "3u"; InfluxDB 1.x rejects it
};

// Parses one line (no trailing newline). Comments and blank lines are
// not lines: callers skip them (is_blank_or_comment). On error returns
// invalid_argument "column N: <reason>" and leaves *out unspecified.
// `out` is reused across calls so its vectors keep their capacity.
Status parse_line(std::string_view line, const ParseOptions& opts, ParsedLine* out);

bool is_blank_or_comment(std::string_view line);

// The canonical series key: measurement, then the tags sorted by
// (unescaped) key, each ",key=value", all escaped as line protocol
// writes them. Equal series give equal keys whatever the input order
// or escaping style.
std::string series_key(const ParsedLine& line);

// Unescaping for each position.
std::string unescape_measurement(std::string_view s);
std::string unescape_tag(std::string_view s);    // tag keys, tag values, field keys
std::string unescape_string(std::string_view s); // string field values

// Escaping for each position (the inverse of the above).
void append_escaped_measurement(std::string_view s, std::string* out);
void append_escaped_tag(std::string_view s, std::string* out);  // tag keys/values, field keys
void append_escaped_string(std::string_view s, std::string* out);

// An owning, unescaped Point (tags sorted).
Point to_point(const ParsedLine& line);

// Appends one line of line protocol for p (with its time when has_time),
// followed by '\n'. Floats are written with the shortest representation
// that reads back bit-for-bit; integers get "i", unsigned "u".
// format(parse(x)) gives back the same point.
void format_point(const Point& p, std::string* out);
// The timestamp is written in the given precision (t / precision_ns).
void format_point(const Point& p, Precision precision, std::string* out);

// Reads a whole input line by line, skipping blanks and comments, and
// reports bad lines as "line N: column C: <reason>" without stopping.
class Reader {
 public:
  explicit Reader(ParseOptions opts) : opts_(opts) {}
  // Feeds a chunk of input; calls on_line(const ParsedLine&) for each good
  // line and on_error(int64_t line_no, const Status&) for each bad one.
  // Lines may span chunks; finish() flushes a last line without '\n'.
  template <class OnLine, class OnError>
  void feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error);
  template <class OnLine, class OnError>
  void finish(OnLine&& on_line, OnError&& on_error);
  int64_t line_number() const { return line_no_; }

 private:
  template <class OnLine, class OnError>
  void one(std::string_view line, OnLine& on_line, OnError& on_error);
  ParseOptions opts_;
  ParsedLine parsed_;
  std::string carry_;  // an incomplete line from the previous chunk
  int64_t line_no_ = 0;
};

// -- Reader implementation ---------------------------------------------------

template <class OnLine, class OnError>
void Reader::one(std::string_view line, OnLine& on_line, OnError& on_error) {
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (is_blank_or_comment(line)) return;
  Status s = parse_line(line, opts_, &parsed_);
  if (s.ok()) {
    on_line(static_cast<const ParsedLine&>(parsed_));
  } else {
    on_error(line_no_, s);
  }
}

template <class OnLine, class OnError>
void Reader::feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error) {
  size_t start = 0;
  if (!carry_.empty()) {
    size_t nl = chunk.find('\n');
    if (nl == std::string_view::npos) {
      carry_.append(chunk);
      return;
    }
    carry_.append(chunk.substr(0, nl));
    std::string line = std::move(carry_);
    carry_.clear();
    one(line, on_line, on_error);
    start = nl + 1;
  }
  while (start < chunk.size()) {
    size_t nl = chunk.find('\n', start);
    if (nl == std::string_view::npos) {
      carry_.assign(chunk.substr(start));
      return;
    }
    one(chunk.substr(start, nl - start), on_line, on_error);
    start = nl + 1;
  }
}

template <class OnLine, class OnError>
void Reader::finish(OnLine&& on_line, OnError&& on_error) {
  if (carry_.empty()) return;
  std::string line = std::move(carry_);
  carry_.clear();
  one(line, on_line, on_error);
}

}  // namespace tsd::lp
