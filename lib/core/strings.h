// Small string helpers shared by the layers.
#pragma once

#include <string>
#include <string_view>

namespace tsd {

// s with A-Z made a-z (other bytes, UTF-8 included, unchanged).
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// s with a-z made A-Z (other bytes unchanged).
// Whether `host` names the loopback interface (127.0.0.0/8, ::1,
// localhost): tsd-serve's bind check, the remote client's choice of gzip.
inline bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

// s without the spaces, tabs, CRs and newlines around it.
inline std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

}  // namespace tsd
