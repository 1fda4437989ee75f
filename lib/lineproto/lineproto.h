// Line protocol (InfluxDB 1.x): parse and format, exact.
//
// The parser is zero-copy: a ParsedLine holds views into the caller's
// buffer (escaped as written), valid while that buffer lives. The write
// path keys series by the canonical series key without building Points;
// to_point() makes an owning, unescaped Point where one is wanted.
// A bad line gives a message "column N: <what was expected>" and the
// caller goes on with the next line (Reader does this for whole inputs).
// Everything here is pure; a Parser/Reader is used by one thread at a time.
//
// What is accepted follows Debian's InfluxDB 1.6.7 (models/points.go plus
// the write path), checked line by line by tests/cli/t0100: escapes are
// those of each position (a backslash before any other byte is literal; in
// the measurement and tags a byte right after a backslash never ends the
// part), a string may hold raw newlines, a backslash before a newline
// continues the line, a tag key "time" rejects the point and a field key
// "time" is dropped (the point is rejected when no other field is left),
// a repeated field key keeps the last value (another type for it is an
// error: InfluxDB reports a field type conflict), a repeated tag key is an
// error. Deliberate differences: "3u" is accepted (allow_unsigned), a
// trailing '\r' is dropped (CRLF input), bytes right after a string's
// closing quote are an error (InfluxDB keeps them, garbled), a field key
// ending in a backslash is an error (InfluxDB garbles the key). Strings
// have no length limit (InfluxDB 1.6.7 stores 1 MB strings too). Where
// InfluxDB is inconsistent with itself we follow its parser: a measurement
// "m\=x" is named "m\=x" here, while InfluxDB stores "m\=x" but shows it
// as "m=x" beside a different series "m=x".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/point.h"
#include "core/status.h"
#include "core/time.h"

namespace tsd::lp {

// One field as parsed: the key as written (escaped: unescape_field_key()
// gives the name, which differs from unescape_tag() on \") and the typed
// value.
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

struct ParseOptions {
  Precision precision = Precision::kNanosecond;
  bool allow_unsigned = true;  // "3u"; InfluxDB 1.x rejects it
  // The write path's shortcut: parse_line finds where the series text ends
  // but leaves measurement and tags unparsed and unchecked (tags_deferred)
  // when the series text holds no backslash; the caller looks raw_series
  // up and calls complete_line() for one it has not seen checked before.
  // (Such a series text parses as it did then; other lines are parsed
  // whole, and a line that fails is parsed again whole for its error.)
  bool defer_tags = false;
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
  // The line as given to parse_line, and with defer_tags: whether
  // measurement and tags were left out (see ParseOptions::defer_tags).
  std::string_view text;
  bool tags_deferred = false;
  ParseOptions options;
};


// InfluxDB's limit on a series key (measurement and tags, escaped); with
// a field key and 4 bytes it must fit too.
inline constexpr size_t kMaxKeyLength = 65535;

// Parses one line (no trailing newline). Comments and blank lines are
// not lines: callers skip them (is_blank_or_comment). On error returns
// invalid_argument "column N: <reason>" (N counts bytes from 1) and leaves
// *out unspecified. `out` is reused across calls so its vectors keep their
// capacity: no allocation in steady state. On success the field keys are
// unique (the last of a repeated key wins) and none is "time"; the tags
// are in input order with unique keys, none "time". A line may hold
// newlines inside a string or after a backslash (Reader finds where such
// a record ends).
Status parse_line(std::string_view line, const ParseOptions& opts, ParsedLine* out);

// For a line with tags_deferred: parses line->text again whole (no
// deferral) into *line, with parse_line's result; the text must still be
// valid. Its error, if any, is the one parse_line gives without defer_tags.
Status complete_line(ParsedLine* line);

// The series texts ("cpu,host=a,...") parsed whole without an error so
// far: with defer_tags, a line whose text is among them needs its fields
// parsed only (tsd-write, tsd-serve's /write, tsd-write --url). Bounded:
// forgets them all at 100,000.
class CheckedSeries {
 public:
  // Completes a line whose tags were deferred and whose series text was
  // not checked yet; its error is then the one parse_line gives without
  // defer_tags.
  Status check(ParsedLine* line);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> texts_;
};

// True for an empty line, one of spaces/tabs only, or one whose first
// other byte is '#'.
bool is_blank_or_comment(std::string_view line);

// The canonical series key: measurement, then the tags sorted by
// (unescaped) key, each ",key=value", all escaped as line protocol
// writes them. Equal series give equal keys whatever the input order
// or escaping style.
std::string series_key(const ParsedLine& line);

// Unescaping for each position: a backslash is dropped before the bytes
// listed, kept before any other.
std::string unescape_measurement(std::string_view s);  // , and space
std::string unescape_tag(std::string_view s);          // tag keys and values: , = space
std::string unescape_field_key(std::string_view s);    // , = space and " (as InfluxDB)
std::string unescape_string(std::string_view s);       // string values: " and backslash

// Escaping for each position (the inverse of the above). A tag or field
// key/value ending in a backslash cannot be written so that InfluxDB or
// this parser reads it back; nor can a newline in a tag (InfluxDB too).
void append_escaped_measurement(std::string_view s, std::string* out);
void append_escaped_tag(std::string_view s, std::string* out);  // tag keys/values, field keys
void append_escaped_string(std::string_view s, std::string* out);

// An owning, unescaped Point (tags sorted by key).
Point to_point(const ParsedLine& line);

// Appends one line of line protocol for p (with its time when has_time),
// followed by '\n'. Floats are written with the shortest representation
// that reads back bit-for-bit; integers get "i", unsigned "u".
// format(parse(x)) gives back the same point. Tags with an empty value
// are left out (InfluxDB has no empty tags); NaN and infinities cannot be
// written (no parser accepts the result).
void format_point(const Point& p, std::string* out);
// The timestamp is written in the given precision (t / precision_ns,
// truncated toward zero as InfluxDB does).
void format_point(const Point& p, Precision precision, std::string* out);

// Where the record that starts at buf[start] ends, as InfluxDB splits an
// input: the index of the '\n' that ends it, or npos when it runs to the
// end of buf. A newline inside a string value or right after a backslash
// does not end a record.
size_t record_end(std::string_view buf, size_t start);

// Calls f(line) for each record of a whole body (a /write request's), as
// record_end splits it, one '\r' dropped from its end, blank lines and
// comments left out; f returns a Status, and the first not OK stops it
// and is returned.
template <class F>
Status for_each_record(std::string_view body, F&& f);

// Reads a whole input line by line, skipping blanks and comments, and
// reports bad lines as "line N: column C: <reason>" without stopping.
// A record holding newlines (see record_end) counts as that many lines and
// is reported at its first one. One trailing '\r' per line is dropped.
class Reader {
 public:
  // A record still open after this many bytes (an unterminated string,
  // say) is reported and dropped, so that one bad quote cannot make the
  // reader hold a whole input in memory.
  static constexpr size_t kMaxRecord = 16u << 20;

  explicit Reader(ParseOptions opts) : opts_(opts) {}
  // Feeds a chunk of input; calls on_line(ParsedLine&) for each good
  // line and on_error(int64_t line_no, const Status&) for each bad one
  // (the message has no "line N: " prefix: the caller adds it). The views
  // in the ParsedLine are valid during the call only; the caller may swap
  // the ParsedLine with one of its own (the Reader parses the next line
  // into whatever it is left with). Lines may span
  // chunks; finish() flushes a last line without '\n'.
  template <class OnLine, class OnError>
  void feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error) {
    feed(chunk, on_line, on_error, no_text);
  }
  template <class OnLine, class OnError>
  void finish(OnLine&& on_line, OnError&& on_error) {
    finish(on_line, on_error, no_text);
  }
  // The same with on_text(int64_t line_no, std::string_view text) -> bool
  // for directives in comments (`influx_inspect export`'s "# CONTEXT-..."
  // lines): a line whose first byte is '#' goes to on_text first (without
  // its '\r'); true takes it as one line, never the start of a record
  // that spans lines; false leaves it a comment. While set_raw(true) (which
  // on_text may call), lines are not parsed: every line that is not blank
  // goes to on_text (a DDL section's statements).
  template <class OnLine, class OnError, class OnText>
  void feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error, OnText&& on_text);
  template <class OnLine, class OnError, class OnText>
  void finish(OnLine&& on_line, OnError&& on_error, OnText&& on_text);
  void set_raw(bool raw) { raw_ = raw; }
  // The number of lines read so far.
  int64_t line_number() const { return line_no_; }
  // Inside on_line: the line number where the reported record starts.
  int64_t record_line() const { return record_line_; }

 private:
  static bool no_text(int64_t, std::string_view) { return false; }
  // Handles the complete records at the front of data; returns how many
  // bytes were used (the rest is an incomplete record, unless `final`).
  template <class OnLine, class OnError, class OnText>
  size_t process(std::string_view data, bool final, OnLine& on_line, OnError& on_error,
                 OnText& on_text);
  ParseOptions opts_;
  ParsedLine parsed_;
  std::string carry_;  // an incomplete record from the previous chunk
  int64_t line_no_ = 0;
  int64_t record_line_ = 0;
  bool raw_ = false;
};

// -- Reader implementation ---------------------------------------------------

namespace detail {
inline std::string_view strip_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}
inline bool may_continue(std::string_view s) {
  return s.find_first_of("\"\\") != std::string_view::npos;
}
}  // namespace detail

template <class OnLine, class OnError, class OnText>
size_t Reader::process(std::string_view data, bool final, OnLine& on_line, OnError& on_error,
                       OnText& on_text) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) {
      if (!final) break;
      end = data.size();
    }
    std::string_view line = data.substr(pos, end - pos);
    int64_t first = line_no_ + 1;
    line_no_ = first;
    if (raw_ || (!line.empty() && line[0] == '#')) {
      std::string_view text = detail::strip_cr(line);
      bool taken = raw_ && text.find_first_not_of(" \t") == std::string_view::npos;
      if (!taken) taken = on_text(first, text) || raw_;
      if (taken) {  // a directive, a raw line or (raw) a blank one
        pos = end + 1;
        continue;
      }
    }
    bool blank = is_blank_or_comment(line);
    Status s;
    if (!blank) s = parse_line(detail::strip_cr(line), opts_, &parsed_);
    // A good line never goes on past its '\n'; a bad one or a comment may.
    if ((blank || !s.ok()) && detail::may_continue(line)) {
      size_t rec = record_end(data, pos);
      if (rec != end) {
        if (rec == std::string_view::npos && !final) {
          if (data.size() - pos <= kMaxRecord) {  // wait for the rest
            line_no_ = first - 1;
            break;
          }
          rec = end;  // give up on it: report the first line alone
        }
        if (rec == std::string_view::npos) rec = data.size();
        end = rec;
        line = data.substr(pos, end - pos);
        for (char c : line) line_no_ += (c == '\n');  // one line per newline
        blank = is_blank_or_comment(line);
        if (!blank) s = parse_line(detail::strip_cr(line), opts_, &parsed_);
      }
    }
    if (!blank) {
      if (s.ok()) {
        record_line_ = first;
        on_line(parsed_);
      } else {
        on_error(first, s);
      }
    }
    pos = end + 1;
  }
  return pos < data.size() ? pos : data.size();
}

template <class OnLine, class OnError, class OnText>
void Reader::feed(std::string_view chunk, OnLine&& on_line, OnError&& on_error,
                  OnText&& on_text) {
  size_t start = 0;
  if (!carry_.empty()) {
    // Complete the carried record with this chunk up to its first newline;
    // when that is not enough (a string with newlines), take it all.
    size_t nl = chunk.find('\n');
    size_t take = nl == std::string_view::npos ? chunk.size() : nl + 1;
    carry_.append(chunk.substr(0, take));
    start = take;
    size_t used = process(carry_, false, on_line, on_error, on_text);
    carry_.erase(0, used);
    if (!carry_.empty()) {
      carry_.append(chunk.substr(start));
      used = process(carry_, false, on_line, on_error, on_text);
      carry_.erase(0, used);
      return;
    }
  }
  std::string_view rest = chunk.substr(start);
  size_t used = process(rest, false, on_line, on_error, on_text);
  carry_.assign(rest.substr(used));
}

// The directives of an `influx_inspect export` (and `tsd-query --dump`),
// as a Reader's on_text hands them over: "# CONTEXT-DATABASE: db",
// "# CONTEXT-RETENTION-POLICY: rp", and the statements between "# DDL"
// and "# DML" (the Reader is raw meanwhile). One per reader of a file.
// Their rule, influx -import's, for both tsd-write paths: each names the
// database or RP of the lines after it; a database named keeps the RP
// named before it (an export names both for each RP it dumps).
class ExportDirectives {
 public:
  enum class Kind {
    kNone,             // a plain comment: not taken
    kSection,          // "# DDL" or "# DML"
    kDatabase,         // text: the database
    kRetentionPolicy,  // text: the retention policy
    kStatement,        // text: a DDL statement
    kBlank,            // a blank or comment line inside the DDL section
  };
  // What line `t` (given to on_text) is, its text trimmed of blanks;
  // switches the reader to raw lines and back at the sections.
  Kind read(std::string_view t, Reader* reader, std::string_view* text);

 private:
  bool ddl_ = false;
};

template <class OnLine, class OnError, class OnText>
void Reader::finish(OnLine&& on_line, OnError&& on_error, OnText&& on_text) {
  if (carry_.empty()) return;
  std::string data = std::move(carry_);
  carry_.clear();
  process(data, true, on_line, on_error, on_text);
}

template <class F>
Status for_each_record(std::string_view body, F&& f) {
  for (size_t at = 0; at < body.size();) {
    size_t end = record_end(body, at);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = detail::strip_cr(body.substr(at, end - at));
    at = end + 1;
    if (is_blank_or_comment(line)) continue;
    Status s = f(line);
    if (!s.ok()) return s;
  }
  return Status();
}

}  // namespace tsd::lp
