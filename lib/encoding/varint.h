// LEB128 varints and zigzag, shared by the codecs and the storage formats
// (block and head rows). Pure inline functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tsd::enc {

inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1)); }

// Appends v as a LEB128 varint (1 to 10 bytes).
inline void put_uvarint(std::string* out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

// Reads a varint at *pos (moved past it); false when `in` ends first or
// it runs past 10 bytes.
inline bool get_uvarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= in.size()) return false;
    uint8_t c = static_cast<uint8_t>(in[(*pos)++]);
    r |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *v = r;
      return true;
    }
  }
  return false;
}

}  // namespace tsd::enc
