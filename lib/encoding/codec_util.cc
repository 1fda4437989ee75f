// The common header of every encoding and error reporting.
//
//   ┌──────┬──────────────┬──────────────────────────────────┐
//   │ kind │ count varint │ body (per kind; absent if count=0)│
//   │  u8  │ <= 2^22      │                                  │
//   └──────┴──────────────┴──────────────────────────────────┘
// kind: 'T' timestamps, 'F' floats, 'I' integers, 'U' unsigned, 'B' booleans,
// 'S' strings. Varints are LEB128 (7 bits a byte, least significant first,
// high bit set on all but the last byte, at most 10 bytes); zigzag maps
// 0,-1,1,-2,... to 0,1,2,3,...
#include <fmt/format.h>

#include "encoding/codec_util.h"
#include "encoding/encoding.h"

namespace tsd::enc {
namespace detail {

Status Reader::corrupt_at(std::string_view why, size_t offset) const {
  return Status::corruption(fmt::format("{} block: {} at byte {}", what_, why, offset));
}

void put_header(Kind kind, size_t count, std::string* out) {
  out->push_back(static_cast<char>(kind));
  put_varint(out, count);
}

Status read_header(Reader& r, Kind kind, uint32_t* count) {
  uint8_t k;
  if (!r.u8(&k)) return r.corrupt("empty encoding");
  if (k != static_cast<uint8_t>(kind)) return r.corrupt_at(fmt::format("kind byte 0x{:02x}", k), 0);
  uint64_t n;
  if (!r.varint(&n)) return r.corrupt("truncated count");
  if (n > kMaxCount) return r.corrupt_at(fmt::format("count {} over the limit {}", n, kMaxCount), 1);
  *count = static_cast<uint32_t>(n);
  return Status();
}

}  // namespace detail

Result<uint32_t> encoded_count(std::string_view in) {
  detail::Reader r(in, "encoded");
  uint8_t k;
  if (!r.u8(&k)) return r.corrupt("empty encoding");
  switch (static_cast<detail::Kind>(k)) {
    case detail::Kind::kTimestamps:
    case detail::Kind::kFloats:
    case detail::Kind::kIntegers:
    case detail::Kind::kUnsigned:
    case detail::Kind::kBooleans:
    case detail::Kind::kStrings:
      break;
    default:
      return r.corrupt_at(fmt::format("unknown kind byte 0x{:02x}", k), 0);
  }
  uint64_t n;
  if (!r.varint(&n)) return r.corrupt("truncated count");
  if (n > detail::kMaxCount) return r.corrupt_at("count over the limit", 1);
  return static_cast<uint32_t>(n);
}

}  // namespace tsd::enc
