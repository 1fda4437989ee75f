// Boolean columns. After the common header ('B', count), when the count is
// not zero:
//
//   ┌──────┬────────────────────────────────────────────────────────────┐
//   │ mode │ mode 0 BITS: ceil(count / 8) bytes, value i in bit i % 8 of │
//   │  u8  │   byte i / 8 (least significant first), padding bits zero.  │
//   │      │ mode 1 RUNS: the first value (u8, 0 or 1), then run lengths │
//   │      │   (varints >= 1) of alternating values, summing to count.   │
//   └──────┴────────────────────────────────────────────────────────────┘
// The encoder writes the smaller (RUNS on a tie). Any non-zero input byte is
// true and decodes as 1.
#include <fmt/format.h>

#include "encoding/codec_util.h"
#include "encoding/encoding.h"

namespace tsd::enc {
namespace {

using detail::Reader;

enum BMode : uint8_t { kBits = 0, kRuns = 1 };

}  // namespace

void encode_booleans(std::span<const uint8_t> in, std::string* out) {
  assert(in.size() <= detail::kMaxCount);
  detail::put_header(detail::Kind::kBooleans, in.size(), out);
  if (in.empty()) return;
  const size_t n = in.size();
  size_t runs_bytes = 1, run = 1;
  for (size_t i = 1; i < n; ++i) {
    if ((in[i] != 0) != (in[i - 1] != 0)) {
      runs_bytes += detail::varint_size(run);
      run = 0;
    }
    ++run;
  }
  runs_bytes += detail::varint_size(run);
  if (runs_bytes <= (n + 7) / 8) {
    out->push_back(kRuns);
    out->push_back(in[0] != 0);
    size_t start = 0;
    for (size_t i = 1; i <= n; ++i) {
      if (i == n || (in[i] != 0) != (in[start] != 0)) {
        detail::put_varint(out, i - start);
        start = i;
      }
    }
    return;
  }
  out->push_back(kBits);
  size_t at = out->size();
  out->resize(at + (n + 7) / 8, 0);
  for (size_t i = 0; i < n; ++i)
    if (in[i]) (*out)[at + i / 8] = static_cast<char>((*out)[at + i / 8] | (1 << (i % 8)));
}

Status decode_booleans(std::string_view in, std::vector<uint8_t>* out) {
  Reader r(in, "boolean");
  uint32_t n;
  TSD_RETURN_IF_ERROR(detail::read_header(r, detail::Kind::kBooleans, &n));
  if (n == 0) return r.left() ? r.corrupt("trailing bytes") : Status();
  uint8_t mode;
  if (!r.u8(&mode)) return r.corrupt("truncated body");
  size_t old = out->size();
  if (mode == kBits) {
    const uint8_t* p;
    if (!r.take((n + 7) / 8, &p)) return r.corrupt("truncated bits");
    if (n % 8 && (p[n / 8] >> (n % 8))) return r.corrupt_at("non-zero padding", r.offset() - 1);
    out->resize(old + n);
    for (size_t i = 0; i < n; ++i) (*out)[old + i] = (p[i / 8] >> (i % 8)) & 1;
  } else if (mode == kRuns) {
    uint8_t v;
    if (!r.u8(&v)) return r.corrupt("truncated runs");
    if (v > 1) return r.corrupt_at(fmt::format("bad first value {}", v), r.offset() - 1);
    size_t done = 0;
    while (done < n) {
      uint64_t len;
      if (!r.varint(&len)) {
        out->resize(old);
        return r.corrupt("truncated runs");
      }
      if (len == 0 || len > n - done) {
        out->resize(old);
        return r.corrupt("bad run length");
      }
      out->insert(out->end(), len, v);
      done += len;
      v ^= 1;
    }
  } else {
    return r.corrupt_at(fmt::format("unknown boolean mode {}", mode), r.offset() - 1);
  }
  if (r.left()) {
    out->resize(old);
    return r.corrupt("trailing bytes");
  }
  return Status();
}

}  // namespace tsd::enc
