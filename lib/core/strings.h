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
inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

}  // namespace tsd
