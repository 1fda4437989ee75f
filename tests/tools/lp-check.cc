// lp-check: reads line protocol (files or stdin) with lp::Reader and prints,
// for each record, what the parser made of it:
//
//   ok line N: {"measurement":"m","tags":{"k":"v"},"fields":{"f":["float","1.5"]},"time":123}
//   error line N: column C: <reason>
//
// Values are strings (floats in their shortest round-trip form, so that
// -0 and every bit survive JSON); "time" is null when the line has none.
// Used by tests/cli/t0100 to compare the parser with a real InfluxDB.
//
//   lp-check [--precision ns|us|ms|s|m|h] [--no-unsigned] [FILE...]
// Exit status: 0 when every line parsed, 1 when some did not, 2 on usage.
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "lineproto/lineproto.h"

namespace {

using tsd::FieldType;
using tsd::Point;

void json_string(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

template <class T>
std::string number(T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string to_json(const Point& p) {
  std::string o = "{\"measurement\":";
  json_string(p.measurement, &o);
  o += ",\"tags\":{";
  for (size_t i = 0; i < p.tags.size(); ++i) {
    if (i) o += ',';
    json_string(p.tags[i].key, &o);
    o += ':';
    json_string(p.tags[i].value, &o);
  }
  o += "},\"fields\":{";
  for (size_t i = 0; i < p.fields.size(); ++i) {
    const auto& f = p.fields[i];
    if (i) o += ',';
    json_string(f.key, &o);
    o += ":[\"";
    o += tsd::field_type_name(tsd::value_type(f.value));
    o += "\",";
    switch (tsd::value_type(f.value)) {
      case FieldType::kFloat: json_string(number(std::get<double>(f.value)), &o); break;
      case FieldType::kInteger: json_string(number(std::get<int64_t>(f.value)), &o); break;
      case FieldType::kUnsigned: json_string(number(std::get<uint64_t>(f.value)), &o); break;
      case FieldType::kString: json_string(std::get<std::string>(f.value), &o); break;
      case FieldType::kBoolean: o += std::get<bool>(f.value) ? "true" : "false"; break;
    }
    o += ']';
  }
  o += "},\"time\":";
  o += p.has_time ? number(p.time) : std::string("null");
  o += "}";
  return o;
}

int usage() {
  std::fprintf(stderr, "usage: lp-check [--precision ns|us|ms|s|m|h] [--no-unsigned] [FILE...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  tsd::lp::ParseOptions opts;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--precision" && i + 1 < argc) {
      auto p = tsd::parse_precision(argv[++i]);
      if (!p.ok()) {
        std::fprintf(stderr, "lp-check: %s\n", p.status().message().c_str());
        return 2;
      }
      opts.precision = *p;
    } else if (a == "--no-unsigned") {
      opts.allow_unsigned = false;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage();
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) files.push_back("-");
  bool bad = false;
  std::string out;
  for (const char* name : files) {
    FILE* f = std::strcmp(name, "-") == 0 ? stdin : std::fopen(name, "rb");
    if (f == nullptr) {
      std::fprintf(stderr, "lp-check: open %s: %s\n", name, std::strerror(errno));
      return 1;
    }
    tsd::lp::Reader reader(opts);
    auto on_line = [&](const tsd::lp::ParsedLine& l) {
      out = "ok line " + std::to_string(reader.record_line()) + ": " + to_json(tsd::lp::to_point(l));
      std::puts(out.c_str());
    };
    auto on_error = [&](int64_t n, const tsd::Status& s) {
      bad = true;
      std::printf("error line %lld: %s\n", static_cast<long long>(n), s.message().c_str());
    };
    std::vector<char> buf(1 << 16);
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      reader.feed(std::string_view(buf.data(), n), on_line, on_error);
    }
    reader.finish(on_line, on_error);
    if (f != stdin) std::fclose(f);
  }
  return bad ? 1 : 0;
}
