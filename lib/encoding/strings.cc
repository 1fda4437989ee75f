// String columns. After the common header ('S', count), when the count is
// not zero:
//
//   ┌──────┬──────────────────────────────────────────────────────────────┐
//   │ mode │ mode 0 RAW: the data.                                         │
//   │  u8  │ mode 1 LZ4: size of the data (varint), then one LZ4 block     │
//   │      │   (liblz4's LZ4_compress_default format) that decompresses to │
//   │      │   exactly that many bytes; the block runs to the end.         │
//   └──────┴──────────────────────────────────────────────────────────────┘
// The data: count lengths (varints), then the strings' bytes, concatenated;
// the lengths sum to the bytes that follow them. The encoder uses LZ4 when
// it is smaller. A data size over 255 times the compressed size + 64 is
// rejected as damage (LZ4 cannot expand more).
#include <lz4.h>

#include <fmt/format.h>

#include "encoding/codec_util.h"
#include "encoding/encoding.h"

namespace tsd::enc {
namespace {

using detail::Reader;

enum SMode : uint8_t { kRaw = 0, kLz4 = 1 };

// Splits the data into strings; false when the lengths do not match it.
bool split(std::string_view data, uint32_t n, std::vector<std::string>* out) {
  Reader r(data, "string");
  if (n > data.size()) return false;  // every string has a length byte
  std::vector<uint64_t> lens(n);
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (!r.varint(&lens[i]) || lens[i] > r.left()) return false;
    total += lens[i];
  }
  if (total != r.left()) return false;
  const char* p = reinterpret_cast<const char*>(r.pos());
  for (uint32_t i = 0; i < n; ++i) {
    out->emplace_back(p, lens[i]);
    p += lens[i];
  }
  return true;
}

}  // namespace

void encode_strings(std::span<const std::string_view> in, std::string* out) {
  assert(in.size() <= detail::kMaxCount);
  detail::put_header(detail::Kind::kStrings, in.size(), out);
  if (in.empty()) return;
  std::string data;
  size_t total = 0;
  for (std::string_view s : in) {
    detail::put_varint(&data, s.size());
    total += s.size();
  }
  data.reserve(data.size() + total);
  for (std::string_view s : in) data.append(s);
  if (data.size() >= 32 && data.size() < static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    std::string z(LZ4_compressBound(static_cast<int>(data.size())), '\0');
    int zn = LZ4_compress_default(data.data(), z.data(), static_cast<int>(data.size()), static_cast<int>(z.size()));
    if (zn > 0 && static_cast<size_t>(zn) + detail::varint_size(data.size()) < data.size()) {
      out->push_back(kLz4);
      detail::put_varint(out, data.size());
      out->append(z.data(), static_cast<size_t>(zn));
      return;
    }
  }
  out->push_back(kRaw);
  out->append(data);
}

Status decode_strings(std::string_view in, std::vector<std::string>* out) {
  Reader r(in, "string");
  uint32_t n;
  TSD_RETURN_IF_ERROR(detail::read_header(r, detail::Kind::kStrings, &n));
  if (n == 0) return r.left() ? r.corrupt("trailing bytes") : Status();
  uint8_t mode;
  if (!r.u8(&mode)) return r.corrupt("truncated body");
  size_t data_at = r.offset();
  size_t old = out->size();
  bool ok;
  if (mode == kRaw) {
    ok = split(std::string_view(reinterpret_cast<const char*>(r.pos()), r.left()), n, out);
  } else if (mode == kLz4) {
    uint64_t size;
    if (!r.varint(&size)) return r.corrupt("truncated size");
    data_at = r.offset();
    if (size > uint64_t{255} * r.left() + 64 || size > static_cast<uint64_t>(LZ4_MAX_INPUT_SIZE) ||
        r.left() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE))
      return r.corrupt_at(fmt::format("data size {} impossible for {} compressed bytes", size, r.left()), data_at);
    std::string data(size, '\0');
    int got = LZ4_decompress_safe(reinterpret_cast<const char*>(r.pos()), data.data(), static_cast<int>(r.left()),
                                  static_cast<int>(size));
    if (got < 0 || static_cast<uint64_t>(got) != size) return r.corrupt_at("bad LZ4 block", data_at);
    ok = split(data, n, out);
  } else {
    return r.corrupt_at(fmt::format("unknown string mode {}", mode), r.offset() - 1);
  }
  if (!ok) {
    out->resize(old);
    return r.corrupt_at("lengths do not match the data", data_at);
  }
  return Status();
}

}  // namespace tsd::enc
