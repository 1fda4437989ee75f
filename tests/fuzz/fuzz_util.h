// Shared by the codec fuzz targets: every target checks three things on
// each input: decoding the raw bytes never crashes; values made from the
// bytes round-trip; and the encoding of those values, damaged at a spot the
// input chooses, decodes without crashing (so the fuzzer reaches deep into
// every decoder mode without a seed corpus).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tsd::fuzz {

// Values of type T read from the bytes (zero-padded at the end).
template <class T>
std::vector<T> values_from(const uint8_t* data, size_t size) {
  std::vector<T> v((size + sizeof(T) - 1) / sizeof(T));
  if (size) std::memcpy(v.data(), data, size);
  return v;
}

// The encoding with one byte changed and a tail cut, both picked by the input.
inline std::string damaged(std::string enc, const uint8_t* data, size_t size) {
  if (enc.empty() || size < 3) return enc;
  enc[(data[0] | data[1] << 8) % enc.size()] ^= static_cast<char>(data[2] | 1);
  if (data[0] & 1) enc.resize(enc.size() - (data[1] % enc.size()));
  return enc;
}

[[noreturn]] inline void fail(const char* what) {
  __builtin_trap();
  (void)what;
}

}  // namespace tsd::fuzz
