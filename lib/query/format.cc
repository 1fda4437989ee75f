// format_results and what its formats share: the names of formats and
// precisions, UTF-8 as Go reads it, and the line format (the JSON writer
// is in format_json.cc, the shell's csv and column in format_text.cc).
#include <cmath>
#include <cstdio>

#include "core/time.h"
#include "lineproto/lineproto.h"
#include "query/format.h"
#include "query/zone.h"

namespace tsd::query {
namespace {

bool is_rfc3339(std::string_view precision) { return precision.empty() || precision == "rfc3339"; }

// The measurement of a series that has no name (SHOW SERIES, SHOW USERS).
constexpr std::string_view kNamelessMeasurement = "result";

// A datum as a field value; false for null and for NaN and infinities,
// which line protocol cannot carry.
bool to_value(const Datum& d, Value* v) {
  switch (d.index()) {
    case 1: {
      double f = std::get<double>(d);
      if (!std::isfinite(f)) return false;
      *v = f;
      return true;
    }
    case 2: *v = std::get<int64_t>(d); return true;
    case 3: *v = std::get<uint64_t>(d); return true;
    case 4: *v = std::get<std::string>(d); return true;
    case 5: *v = std::get<bool>(d); return true;
  }
  return false;
}

void append_series_lines(const Series& s, Precision precision, const FormatOptions& o, std::string* out) {
  Point p;
  p.measurement = s.name.empty() ? std::string(kNamelessMeasurement) : s.name;
  for (const auto& [k, v] : s.tags) p.tags.push_back({k, v});
  const size_t first = s.has_time ? 1 : 0;
  for (const Row& row : s.values) {
    p.fields.clear();
    for (size_t j = first; j < row.size() && j < s.columns.size(); j++) {
      Value v;
      if (to_value(row[j], &v)) p.fields.push_back({s.columns[j], std::move(v)});
    }
    if (p.fields.empty()) continue;
    p.has_time = s.has_time && !row.empty() && row[0].index() == 2;
    p.time = p.has_time ? std::get<int64_t>(row[0]) : 0;
    lp::format_point(p, precision, out);
    spill(o, out);
  }
}

void append_err(std::string_view message, std::string* err) {
  err->append("ERR: ");
  err->append(message);
  err->push_back('\n');
}

}  // namespace

Result<Format> parse_format(std::string_view s) {
  for (Format f : {Format::kColumn, Format::kCsv, Format::kJson, Format::kLine}) {
    if (s == format_name(f)) return f;
  }
  return Status::invalid_argument("unknown format \"" + std::string(s) +
                                  "\": expected column, csv, json or line");
}

std::string_view format_name(Format f) {
  switch (f) {
    case Format::kColumn: return "column";
    case Format::kCsv: return "csv";
    case Format::kJson: return "json";
    case Format::kLine: return "line";
  }
  return "column";
}

Status check_precision(std::string_view precision) {
  if (is_rfc3339(precision) || parse_precision(precision).ok()) return Status();
  return Status::invalid_argument("unknown precision \"" + std::string(precision) +
                                  "\": expected rfc3339, ns, us, ms, s, m or h");
}

int64_t precision_unit(std::string_view precision) {
  if (is_rfc3339(precision)) return 0;
  auto p = parse_precision(precision);
  return p.ok() ? precision_ns(*p) : kNanosecond;
}

std::string format_time(int64_t ns, int64_t unit, const std::string& zone) {
  if (unit != 0) return std::to_string(ns / unit);
  if (zone.empty()) return format_rfc3339(ns);
  auto z = Zone::load(zone);
  int64_t off = z.ok() ? z->offset_at(ns) : 0;
  std::string t = format_rfc3339(ns + off);
  if (off == 0) return t;
  t.pop_back();  // the Z
  int64_t m = (off < 0 ? -off : off) / kMinute;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", off < 0 ? '-' : '+', static_cast<int>(m / 60),
                static_cast<int>(m % 60));
  return t + buf;
}

void format_line(const Results& r, const FormatOptions& o, std::string* out, std::string* err) {
  auto p = parse_precision(o.precision);
  const Precision precision = p.ok() ? *p : Precision::kNanosecond;
  for (const StatementResult& st : r.results) {
    for (const Message& m : st.messages) *err += m.level + ": " + m.text + "\n";
    for (const Series& s : st.series) append_series_lines(s, precision, o, out);
  }
}

void spill(const FormatOptions& o, std::string* out) {
  if (o.stream == nullptr || out->size() < (64 << 10)) return;
  std::fwrite(out->data(), 1, out->size(), o.stream);
  out->clear();
}

void format_results(const Results& r, const FormatOptions& o, std::string* out, std::string* err) {
  if (o.format == Format::kJson) {
    format_json(r, o, out);
    return;
  }
  if (!r.error.empty()) {
    append_err(r.error, err);
    return;
  }
  switch (o.format) {
    case Format::kColumn: format_column(r, o, out); break;
    case Format::kCsv: format_csv(r, o, out); break;
    case Format::kLine: format_line(r, o, out, err); break;
    case Format::kJson: break;
  }
  for (const StatementResult& st : r.results) {
    if (!st.error.empty()) append_err(st.error, err);
  }
}

size_t utf8_sequence_length(std::string_view s) {
  if (s.empty()) return 0;
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 2; i < n; i++) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return n;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      i++;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace tsd::query
