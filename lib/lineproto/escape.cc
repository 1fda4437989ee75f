// Escaping and unescaping of each line-protocol position, and where a
// record ends (InfluxDB's scanLine rules).
#include <cstring>

#include "lineproto/lineproto.h"

namespace tsd::lp {
namespace {

// Drops a backslash before any byte of `special`; keeps it before others.
std::string unescape(std::string_view s, std::string_view special) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && special.find(s[i + 1]) != std::string_view::npos) {
      ++i;
    }
    out.push_back(s[i]);
  }
  return out;
}

void escape(std::string_view s, std::string_view special, std::string* out) {
  for (char c : s) {
    if (special.find(c) != std::string_view::npos) out->push_back('\\');
    out->push_back(c);
  }
}

}  // namespace

std::string unescape_measurement(std::string_view s) {
  return s.find('\\') == std::string_view::npos ? std::string(s) : unescape(s, ", ");
}

std::string unescape_tag(std::string_view s) {
  return s.find('\\') == std::string_view::npos ? std::string(s) : unescape(s, ",= ");
}

std::string unescape_field_key(std::string_view s) {
  return s.find('\\') == std::string_view::npos ? std::string(s) : unescape(s, ",= \"");
}

std::string unescape_string(std::string_view s) {
  return s.find('\\') == std::string_view::npos ? std::string(s) : unescape(s, "\"\\");
}

void append_escaped_measurement(std::string_view s, std::string* out) { escape(s, ", ", out); }
void append_escaped_tag(std::string_view s, std::string* out) { escape(s, ",= ", out); }
void append_escaped_string(std::string_view s, std::string* out) { escape(s, "\"\\", out); }

size_t record_end(std::string_view buf, size_t i) {
  // The usual record: no quote or backslash before the first newline,
  // which then ends it (three memchr passes instead of a loop a byte).
  if (i < buf.size()) {
    const char* p = buf.data() + i;
    const size_t left = buf.size() - i;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', left));
    const size_t len = nl ? static_cast<size_t>(nl - p) : left;
    if (std::memchr(p, '"', len) == nullptr && std::memchr(p, '\\', len) == nullptr) {
      return nl ? i + len : std::string_view::npos;
    }
  }
  // As InfluxDB's scanLine: a backslash hides the next byte; after the
  // first (unhidden) space, a '"' where more '=' than ',' were seen opens
  // or closes a string, and '=' and ',' inside a string do not count.
  bool quoted = false;
  bool fields = false;
  int64_t equals = 0;
  int64_t commas = 0;
  while (i < buf.size()) {
    char c = buf[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == ' ') fields = true;
    if (fields) {
      if (!quoted && c == '=') {
        ++equals;
      } else if (!quoted && c == ',') {
        ++commas;
      } else if (c == '"' && equals > commas) {
        quoted = !quoted;
      }
    }
    if (c == '\n' && !quoted) return i;
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace tsd::lp
