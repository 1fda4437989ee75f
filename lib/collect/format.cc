// TEMPORARY local formatter until lineproto's format_point lands on main;
// then append_line becomes a call to lp::format_point.
#include "collect/format.h"

#include <charconv>

namespace tsd::collect {
namespace {

void escape(std::string_view s, std::string_view specials, std::string* out) {
  for (char c : s) {
    if (specials.find(c) != std::string_view::npos) out->push_back('\\');
    out->push_back(c);
  }
}

void append_value(const Value& v, std::string* out) {
  char buf[32];
  switch (value_type(v)) {
    case FieldType::kFloat: {
      auto r = std::to_chars(buf, buf + sizeof buf, std::get<double>(v));
      out->append(buf, r.ptr);
      break;
    }
    case FieldType::kInteger: {
      auto r = std::to_chars(buf, buf + sizeof buf, std::get<int64_t>(v));
      out->append(buf, r.ptr);
      out->push_back('i');
      break;
    }
    case FieldType::kUnsigned: {
      auto r = std::to_chars(buf, buf + sizeof buf, std::get<uint64_t>(v));
      out->append(buf, r.ptr);
      out->push_back('u');
      break;
    }
    case FieldType::kString:
      out->push_back('"');
      escape(std::get<std::string>(v), "\"\\", out);
      out->push_back('"');
      break;
    case FieldType::kBoolean:
      out->append(std::get<bool>(v) ? "true" : "false");
      break;
  }
}

}  // namespace

void append_line(const Point& p, std::string* out) {
  escape(p.measurement, ", ", out);
  for (const Tag& t : p.tags) {
    if (t.value.empty()) continue;  // line protocol has no empty tag values
    out->push_back(',');
    escape(t.key, ",= ", out);
    out->push_back('=');
    escape(t.value, ",= ", out);
  }
  char sep = ' ';
  for (const Field& f : p.fields) {
    out->push_back(sep);
    sep = ',';
    escape(f.key, ",= ", out);
    out->push_back('=');
    append_value(f.value, out);
  }
  if (p.has_time) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, p.time);
    out->push_back(' ');
    out->append(buf, r.ptr);
  }
  out->push_back('\n');
}

}  // namespace tsd::collect
