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
#include <string>
#include <vector>

#include "core/time.h"
#include "query/format.h"

namespace tsd::query {
namespace {

// Writes JSON tokens with the separators and, when pretty, the line breaks
// and indentation of Go's json.MarshalIndent(v, "", "    ").
class JsonWriter {
 public:
  JsonWriter(std::string* out, bool pretty) : out_(out), pretty_(pretty) {}

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
  // A string that needs no escaping (a time).
  void plain_string(std::string_view s) {
    element();
    out_->push_back('"');
    out_->append(s);
    out_->push_back('"');
  }
  // An already formatted scalar (a number, true).
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

void write_series(const Series& s, int64_t unit, JsonWriter* w) {
  w->begin_object();
  if (!s.name.empty()) w->member("name", s.name);
  if (!s.tags.empty()) write_tags(s, w);
  w->array_member("columns", s.columns, [&](const std::string& c) { w->string(c); });
  w->array_member("values", s.values, [&](const Row& row) {
    w->begin_array();
    for (size_t j = 0; j < row.size(); j++) {
      if (j > 0 || !s.has_time || row[0].index() != 2) {
        w->datum(row[j]);
      } else if (unit == 0 && s.zone.empty()) {
        char buf[kRfc3339Max];
        w->plain_string(std::string_view(buf, format_rfc3339_to(std::get<int64_t>(row[0]), buf)));
      } else if (unit == 0) {
        w->string(format_time(std::get<int64_t>(row[0]), unit, s.zone));
      } else {
        w->raw(format_time(std::get<int64_t>(row[0]), unit, s.zone));
      }
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
  out->reserve(out->size() + cells * 16 + 256);
  JsonWriter w(out, o.pretty);
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
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  const double a = std::fabs(v);
  const bool exp = a != 0 && (a < 1e-6 || a >= 1e21);
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  size_t n = static_cast<size_t>(r.ptr - buf);
  if (!exp) {
    // Go writes the shortest digits and pads with zeros (5.764607523034235e17
    // is 576460752303423500, not the exact 576460752303423488).
    std::string_view sci(buf, n);
    size_t e = sci.find('e');
    int ex = std::atoi(std::string(sci.substr(e + 1)).c_str());
    std::string digits;
    bool neg = sci[0] == '-';
    for (char ch : sci.substr(0, e)) {
      if (ch >= '0' && ch <= '9') digits += ch;
    }
    std::string fixed;
    if (neg) fixed += '-';
    int point = ex + 1;  // digits before the decimal point
    if (point <= 0) {
      fixed += "0.";
      fixed.append(static_cast<size_t>(-point), '0');
      fixed += digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
      fixed += digits;
      fixed.append(static_cast<size_t>(point) - digits.size(), '0');
    } else {
      fixed += digits.substr(0, static_cast<size_t>(point));
      fixed += '.';
      fixed += digits.substr(static_cast<size_t>(point));
    }
    out->append(fixed);
    return;
  }
  // "1e-07" -> "1e-7", as Go cleans a negative exponent's leading zero.
  if (exp && n >= 4 && buf[n - 4] == 'e' && buf[n - 3] == '-' && buf[n - 2] == '0') {
    buf[n - 2] = buf[n - 1];
    n--;
  }
  out->append(buf, n);
}

void append_json_string(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  // The plain ASCII prefix (all of it, for times and most names) at once.
  size_t plain = 0;
  while (plain < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[plain]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&') break;
    plain++;
  }
  out->append(s.data(), plain);
  for (size_t i = plain; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      i++;
      switch (c) {
        case '"': out->append("\\\""); continue;
        case '\\': out->append("\\\\"); continue;
        case '\n': out->append("\\n"); continue;
        case '\r': out->append("\\r"); continue;
        case '\t': out->append("\\t"); continue;
      }
      if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
      } else {
        out->push_back(static_cast<char>(c));
      }
      continue;
    }
    const size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) {
      out->append("\\ufffd");
      i++;
    } else if (n == 3 && c == 0xE2 && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      out->append(s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
      i += 3;
    } else {
      out->append(s.substr(i, n));
      i += n;
    }
  }
  out->push_back('"');
}

void append_json_value(const Datum& d, std::string* out) {
  switch (d.index()) {
    case 0: out->append("null"); break;
    case 1: append_json_float(std::get<double>(d), out); break;
    case 2: out->append(std::to_string(std::get<int64_t>(d))); break;
    case 3: out->append(std::to_string(std::get<uint64_t>(d))); break;
    case 4: append_json_string(std::get<std::string>(d), out); break;
    case 5: out->append(std::get<bool>(d) ? "true" : "false"); break;
  }
}

}  // namespace tsd::query
