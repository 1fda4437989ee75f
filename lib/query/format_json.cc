// The json format: InfluxDB 1.6.7's /query body, as Go's encoding/json
// writes its response types (httpd.Response, query.Result, models.Row,
// query.Message). Their keys, in this order, each left out when empty
// (omitempty) except statement_id, level and text:
//   {"results":[…],"error":"…"}
//   {"statement_id":0,"series":[…],"messages":[…],"partial":true,"error":"…"}
//   {"name":"…","tags":{…},"columns":[…],"values":[[…]],"partial":true}
//   {"level":"…","text":"…"}
// Tags are a Go map: keys sorted. pretty=true is json.MarshalIndent with
// four spaces: one element a line, "key": value, empty {} and [] kept on
// one line. The body ends with a newline.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/time.h"
#include "query/format.h"

namespace tsd::query {
namespace {

// The longest JSON text of a number, null or a bool: a float's fixed form
// is at most 25 bytes ("-0.00000" and 17 digits), its exponent form 24.
constexpr size_t kJsonNumberMax = 32;

// At most 6 bytes an input byte (\u00XX, \ufffd) and the quotes.
size_t json_string_bound(std::string_view s) { return 6 * s.size() + 2; }

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Each write_json_* writes at p (room for its bound) and returns the end.

// As append_json_float says, without a string in between.
char* write_json_float(double v, char* p) {
  if (!std::isfinite(v)) return put(p, "null");
  const double a = std::fabs(v);
  char buf[kJsonNumberMax];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  size_t n = static_cast<size_t>(r.ptr - buf);
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    // "1e-07" -> "1e-7", as Go cleans a negative exponent's leading zero.
    if (n >= 4 && buf[n - 4] == 'e' && buf[n - 3] == '-' && buf[n - 2] == '0') {
      buf[n - 2] = buf[n - 1];
      n--;
    }
    return put(p, std::string_view(buf, n));
  }
  // Go writes the shortest digits and pads with zeros (5.764607523034235e17
  // is 576460752303423500, not the exact 576460752303423488).
  const char* s = buf;
  const char* end = buf + n;
  if (*s == '-') *p++ = *s++;
  const char* e = static_cast<const char*>(std::memchr(s, 'e', static_cast<size_t>(end - s)));
  char digits[kJsonNumberMax];
  size_t nd = 0;
  for (const char* c = s; c < e; c++) {
    if (*c >= '0' && *c <= '9') digits[nd++] = *c;
  }
  const bool neg_exp = e[1] == '-';
  int ex = 0;
  std::from_chars(e + 2, end, ex);
  if (neg_exp) ex = -ex;
  const int point = ex + 1;  // digits before the decimal point
  if (point <= 0) {
    p = put(p, "0.");
    p = std::fill_n(p, -point, '0');
    return put(p, std::string_view(digits, nd));
  }
  const auto whole = static_cast<size_t>(point);
  if (whole >= nd) {
    p = put(p, std::string_view(digits, nd));
    return std::fill_n(p, whole - nd, '0');
  }
  p = put(p, std::string_view(digits, whole));
  *p++ = '.';
  return put(p, std::string_view(digits + whole, nd - whole));
}

// As append_json_string says; room for json_string_bound(s).
char* write_json_string(std::string_view s, char* p) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '"';
  // The plain ASCII prefix (all of it, for times and most names) at once.
  size_t plain = 0;
  while (plain < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[plain]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') break;
    plain++;
  }
  p = put(p, s.substr(0, plain));
  for (size_t i = plain; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      i++;
      switch (c) {
        case '"': p = put(p, "\\\""); continue;
        case '\\': p = put(p, "\\\\"); continue;
        case '\n': p = put(p, "\\n"); continue;
        case '\r': p = put(p, "\\r"); continue;
        case '\t': p = put(p, "\\t"); continue;
      }
      if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        p = put(p, "\\u00");
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xF];
      } else {
        *p++ = static_cast<char>(c);
      }
      continue;
    }
    const size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) {
      p = put(p, "\\ufffd");
      i++;
    } else if (n == 3 && c == 0xE2 && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      p = put(p, s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
      i += 3;
    } else {
      p = put(p, s.substr(i, n));
      i += n;
    }
  }
  *p++ = '"';
  return p;
}

// A datum that is not a string (room for kJsonNumberMax).
char* write_json_scalar(const Datum& d, char* p) {
  switch (d.index()) {
    case 1: return write_json_float(std::get<double>(d), p);
    case 2: return std::to_chars(p, p + kJsonNumberMax, std::get<int64_t>(d)).ptr;
    case 3: return std::to_chars(p, p + kJsonNumberMax, std::get<uint64_t>(d)).ptr;
    case 5: return put(p, std::get<bool>(d) ? "true" : "false");
    default: return put(p, "null");
  }
}

// Writes JSON tokens with the separators and, when pretty, the line breaks
// and indentation of Go's json.MarshalIndent(v, "", "    ").
class JsonWriter {
 public:
  JsonWriter(std::string* out, const FormatOptions& o) : out_(out), o_(o), pretty_(o.pretty) {}

  bool pretty() const { return pretty_; }
  // What is written so far to the stream, if any (format.h's spill).
  void spill() { query::spill(o_, out_); }
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // A key of the current object; the next token is its value.
  void key(std::string_view k) {
    element();
    append_json_string(k, out_);
    out_->append(pretty_ ? ": " : ":");
    after_key_ = true;
  }
  void string(std::string_view s) {
    element();
    append_json_string(s, out_);
  }
  void datum(const Datum& d) {
    element();
    append_json_value(d, out_);
  }
  // An already formatted token (a number, true, a time's quoted text).
  void raw(std::string_view token) {
    element();
    out_->append(token);
  }
  // "k":"v".
  void member(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  // "k":[each(item)...], left out when `items` is empty (omitempty).
  template <class Items, class Each>
  void array_member(std::string_view k, const Items& items, Each&& each) {
    if (items.empty()) return;
    key(k);
    begin_array();
    for (const auto& item : items) each(item);
    end_array();
  }
  // "k":true when `b` (Go's omitempty leaves a false bool out).
  void true_member(std::string_view k, bool b) {
    if (!b) return;
    key(k);
    raw("true");
  }

 private:
  void open(char c) {
    element();
    out_->push_back(c);
    counts_.push_back(0);
  }
  void close(char c) {
    bool empty = counts_.back() == 0;
    counts_.pop_back();
    if (pretty_ && !empty) newline();
    out_->push_back(c);
  }
  // Before a value or a key: a comma after an earlier element, then (when
  // pretty) its own line. A value right after its key has neither.
  void element() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (counts_.empty()) return;
    if (counts_.back()++ > 0) out_->push_back(',');
    if (pretty_) newline();
  }
  void newline() {
    out_->push_back('\n');
    out_->append(4 * counts_.size(), ' ');
  }

  std::string* out_;
  const FormatOptions& o_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<int> counts_;  // elements so far, per open object or array
};

void write_tags(const Series& s, JsonWriter* w) {
  std::vector<const std::pair<std::string, std::string>*> tags;
  for (const auto& t : s.tags) tags.push_back(&t);
  std::stable_sort(tags.begin(), tags.end(), [](auto* a, auto* b) { return a->first < b->first; });
  w->key("tags");
  w->begin_object();
  for (const auto* t : tags) w->member(t->first, t->second);
  w->end_object();
}

// The most a cell of a row that is not a string takes (write_cell): a
// number, or a time as quoted RFC 3339 text (with a zone's offset).
constexpr size_t kCellMax = std::max(kJsonNumberMax, kRfc3339Max + 2);

// Cell j of a row: the time column as RFC 3339 text (in the series' zone)
// or in `unit`s, a value as Go writes it. Room for kCellMax, or for
// json_string_bound of a string.
char* write_cell(const Series& s, const Row& row, size_t j, int64_t unit, char* p) {
  const Datum& d = row[j];
  if (j == 0 && s.has_time && d.index() == 2) {
    const int64_t t = std::get<int64_t>(d);
    if (unit != 0) return std::to_chars(p, p + kJsonNumberMax, t / unit).ptr;
    *p++ = '"';
    p = s.zone.empty() ? p + format_rfc3339_to(t, p) : put(p, format_time(t, 0, s.zone));
    *p++ = '"';
    return p;
  }
  if (d.index() == 4) return write_json_string(std::get<std::string>(d), p);
  return write_json_scalar(d, p);
}

// A row as one compact token, written into a buffer on the stack: the
// usual case, a raw query's thousands of rows. False (nothing written)
// for a row too long for it.
bool write_row_at_once(const Series& s, const Row& row, int64_t unit, JsonWriter* w) {
  char buf[4096];
  size_t bound = 2 + row.size();
  for (const Datum& d : row) {
    bound += d.index() == 4 ? json_string_bound(std::get<std::string>(d)) : kCellMax;
  }
  if (bound > sizeof buf) return false;
  char* p = buf;
  *p++ = '[';
  for (size_t j = 0; j < row.size(); j++) {
    if (j > 0) *p++ = ',';
    p = write_cell(s, row, j, unit, p);
  }
  *p++ = ']';
  w->raw(std::string_view(buf, static_cast<size_t>(p - buf)));
  return true;
}

void write_series(const Series& s, int64_t unit, JsonWriter* w) {
  w->begin_object();
  if (!s.name.empty()) w->member("name", s.name);
  if (!s.tags.empty()) write_tags(s, w);
  w->array_member("columns", s.columns, [&](const std::string& c) { w->string(c); });
  w->array_member("values", s.values, [&](const Row& row) {
    w->spill();
    if (!w->pretty() && write_row_at_once(s, row, unit, w)) return;
    // Pretty, or a row with long strings: a token a cell.
    w->begin_array();
    for (size_t j = 0; j < row.size(); j++) {
      if (row[j].index() == 4) {
        w->datum(row[j]);
        continue;
      }
      char cell[kCellMax];
      w->raw(std::string_view(cell, static_cast<size_t>(write_cell(s, row, j, unit, cell) - cell)));
    }
    w->end_array();
  });
  w->true_member("partial", s.partial);
  w->end_object();
}

void write_messages(const std::vector<Message>& messages, JsonWriter* w) {
  w->array_member("messages", messages, [&](const Message& m) {
    w->begin_object();
    w->member("level", m.level);
    w->member("text", m.text);
    w->end_object();
  });
}

// The influx shell's results of one statement: a result per series (its
// messages with the first), {} when there is none.
void write_shell_statement(const StatementResult& st, int64_t unit, JsonWriter* w) {
  const size_t n = std::max<size_t>(st.series.size(), 1);
  for (size_t i = 0; i < n; i++) {
    w->begin_object();
    if (i < st.series.size()) {
      w->key("series");
      w->begin_array();
      write_series(st.series[i], unit, w);
      w->end_array();
    }
    if (i == 0) write_messages(st.messages, w);
    if (!st.error.empty()) w->member("error", st.error);
    w->end_object();
  }
}

void write_statement(const StatementResult& st, int64_t unit, JsonWriter* w) {
  w->begin_object();
  w->key("statement_id");
  w->raw(std::to_string(st.statement_id));
  w->array_member("series", st.series, [&](const Series& s) { write_series(s, unit, w); });
  write_messages(st.messages, w);
  w->true_member("partial", st.partial);
  if (!st.error.empty()) w->member("error", st.error);
  w->end_object();
}

}  // namespace

void format_json(const Results& r, const FormatOptions& o, std::string* out) {
  const int64_t unit = precision_unit(o.precision);
  // Room for what is coming (a raw query's rows: growing a long string
  // copies it again and again).
  size_t cells = 0;
  for (const auto& st : r.results) {
    for (const auto& s : st.series) cells += s.values.size() * s.columns.size();
  }
  if (o.stream == nullptr) out->reserve(out->size() + cells * 16 + 256);
  JsonWriter w(out, o);
  w.begin_object();
  w.array_member("results", r.results, [&](const StatementResult& st) {
    if (o.shell) {
      write_shell_statement(st, unit, &w);
    } else {
      write_statement(st, unit, &w);
    }
  });
  if (!r.error.empty()) w.member("error", r.error);
  w.end_object();
  out->push_back('\n');
}

void append_json_float(double v, std::string* out) {
  char buf[kJsonNumberMax];
  out->append(buf, static_cast<size_t>(write_json_float(v, buf) - buf));
}

void append_json_string(std::string_view s, std::string* out) {
  if (s.size() <= 256) {
    char buf[6 * 256 + 2];
    out->append(buf, static_cast<size_t>(write_json_string(s, buf) - buf));
    return;
  }
  const size_t old = out->size();
  out->resize(old + json_string_bound(s));
  char* end = write_json_string(s, out->data() + old);
  out->resize(static_cast<size_t>(end - out->data()));
}

void append_json_value(const Datum& d, std::string* out) {
  if (d.index() == 4) return append_json_string(std::get<std::string>(d), out);
  char buf[kJsonNumberMax];
  out->append(buf, static_cast<size_t>(write_json_scalar(d, buf) - buf));
}

}  // namespace tsd::query
