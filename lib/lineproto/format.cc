// to_point and format_point: from views to an owning Point, and a Point
// back to one line of line protocol that InfluxDB and parse_line read the
// same way.
#include <charconv>

#include "lineproto/lineproto.h"

namespace tsd::lp {
namespace {

template <class T>
void append_number(T v, std::string* out) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

}  // namespace

Point to_point(const ParsedLine& line) {
  Point p;
  p.measurement = unescape_measurement(line.measurement);
  p.tags.reserve(line.tags.size());
  for (const auto& t : line.tags) p.tags.push_back({unescape_tag(t.key), unescape_tag(t.value)});
  p.sort_tags();
  p.fields.reserve(line.fields.size());
  for (const auto& f : line.fields) {
    Value v;
    switch (f.type) {
      case FieldType::kFloat: v = f.f; break;
      case FieldType::kInteger: v = f.i; break;
      case FieldType::kUnsigned: v = f.u; break;
      case FieldType::kString: v = unescape_string(f.str); break;
      case FieldType::kBoolean: v = f.b; break;
    }
    p.fields.push_back({unescape_field_key(f.key), std::move(v)});
  }
  p.time = line.time;
  p.has_time = line.has_time;
  return p;
}

void format_point(const Point& p, std::string* out) {
  format_point(p, Precision::kNanosecond, out);
}

void format_point(const Point& p, Precision precision, std::string* out) {
  append_escaped_measurement(p.measurement, out);
  for (const auto& t : p.tags) {
    if (t.value.empty()) continue;
    out->push_back(',');
    append_escaped_tag(t.key, out);
    out->push_back('=');
    append_escaped_tag(t.value, out);
  }
  char sep = ' ';
  for (const auto& f : p.fields) {
    out->push_back(sep);
    sep = ',';
    append_escaped_tag(f.key, out);
    out->push_back('=');
    switch (value_type(f.value)) {
      case FieldType::kFloat:
        append_number(std::get<double>(f.value), out);  // shortest round trip
        break;
      case FieldType::kInteger:
        append_number(std::get<int64_t>(f.value), out);
        out->push_back('i');
        break;
      case FieldType::kUnsigned:
        append_number(std::get<uint64_t>(f.value), out);
        out->push_back('u');
        break;
      case FieldType::kString:
        out->push_back('"');
        append_escaped_string(std::get<std::string>(f.value), out);
        out->push_back('"');
        break;
      case FieldType::kBoolean:
        out->append(std::get<bool>(f.value) ? "true" : "false");
        break;
    }
  }
  if (p.has_time) {
    out->push_back(' ');
    append_number(p.time / precision_ns(precision), out);
  }
  out->push_back('\n');
}

}  // namespace tsd::lp
