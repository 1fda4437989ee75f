// Decoding the integer body (format in int_body.cc).
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "encoding/int_body.h"
#include "encoding/rans.h"

namespace tsd::enc::detail {
namespace {

// Sums residuals back into values: v[i+1] = v[i] + base + unzigzag(r[i]).
class Accumulator {
 public:
  // out: n 8-byte slots (int64_t or double), written by memcpy.
  Accumulator(uint64_t first, uint64_t base, char* out) : acc_(first), base_(base), out_(out) {
    std::memcpy(out_, &acc_, 8);
  }
  void add(size_t i, uint64_t residual) {
    acc_ += base_ + static_cast<uint64_t>(unzigzag(residual));
    std::memcpy(out_ + (i + 1) * 8, &acc_, 8);
  }

 private:
  uint64_t acc_;
  uint64_t base_;
  char* out_;
};

inline uint64_t residual_of(unsigned s, BitReader& bits) {
  if (s < 16) return s;
  unsigned e = extra_bits(s);
  return (uint64_t{1} << e) | bits.get(e);
}

// Decodes m symbols into residuals with `kStates` interleaved states;
// kSmall: every symbol is below 16 (no raw bits).
template <unsigned kStates, bool kSmall>
void decode_symbols(RansDecoder& dec, BitReader& bits, size_t m, Accumulator& acc) {
  auto residual = [&](unsigned s) -> uint64_t { return kSmall ? s : residual_of(s, bits); };
  size_t i = 0;
  if constexpr (kStates == 2) {
    for (; i + 1 < m; i += 2) {
      acc.add(i, residual(dec.get(0)));
      acc.add(i + 1, residual(dec.get(1)));
    }
  }
  for (; i < m; ++i) acc.add(i, residual(dec.get(0)));
}

Status decode_runs(Reader& r, size_t m, Accumulator& acc) {
  size_t i = 0;
  while (i < m) {
    uint64_t res, len;
    if (!r.varint(&res) || !r.varint(&len)) return r.corrupt("truncated run");
    if (len >= m - i) return r.corrupt("run past the count");
    for (size_t k = 0; k <= len; ++k) acc.add(i++, res);
  }
  return Status();
}

Status decode_packed(Reader& r, size_t m, Accumulator& acc) {
  for (size_t f = 0; f < m; f += 128) {
    size_t k = std::min<size_t>(128, m - f);
    uint8_t w;
    if (!r.u8(&w)) return r.corrupt("truncated frame");
    if (w > 64) return r.corrupt_at(fmt::format("bad width {}", w), r.offset() - 1);
    const uint8_t* p;
    if (!r.take((k * w + 7) / 8, &p)) return r.corrupt("truncated frame");
    BitReader bits(p, (k * w + 7) / 8);
    for (size_t i = 0; i < k; ++i) acc.add(f + i, bits.get(w));
  }
  return Status();
}

Status decode_entropy(Reader& r, size_t m, Accumulator& acc) {
  FreqTable t;
  TSD_RETURN_IF_ERROR(read_table(r, m, &t));
  uint64_t raw_len = 0;  // absent when every symbol is below 16
  const uint8_t* raw = r.pos();
  size_t raw_at = r.offset();
  if (t.lo + t.nsym > 16 && (!r.varint(&raw_len) || !r.take(raw_len, &raw))) return r.corrupt("truncated raw bits");
  BitReader bits(raw, raw_len);
  size_t stream_at = r.offset();
  if (t.nsym == 1) {
    for (size_t i = 0; i < m; ++i) acc.add(i, residual_of(t.lo, bits));
  } else {
    RansDecoder dec;
    const unsigned states = rans_states(m);
    if (!dec.init(t, states, r.pos(), r.left())) return r.corrupt("bad rANS stream header");
    r.skip_to_end();
    const bool small = t.lo + t.nsym <= 16;  // no raw bits to read
    if (states == 1) {
      if (small) {
        decode_symbols<1, true>(dec, bits, m, acc);
      } else {
        decode_symbols<1, false>(dec, bits, m, acc);
      }
    } else if (small) {
      decode_symbols<2, true>(dec, bits, m, acc);
    } else {
      decode_symbols<2, false>(dec, bits, m, acc);
    }
    if (!dec.finish()) return r.corrupt_at("bad rANS stream", stream_at);
  }
  if (bits.overrun() || (bits.bits_read() + 7) / 8 != raw_len) return r.corrupt_at("raw bits do not match", raw_at);
  return Status();
}

Status decode_body(Reader& r, size_t n, char* out) {
  uint64_t first, base;
  unsigned scale = 0;
  if (n == 1) {
    if (!r.varint(&first)) return r.corrupt("truncated value");
    int64_t v = unzigzag(first);
    std::memcpy(out, &v, 8);
  } else {
    uint8_t mode;
    if (!r.u8(&mode)) return r.corrupt("truncated body");
    scale = mode >> 2;
    mode &= 3;
    if (scale > 18) return r.corrupt_at(fmt::format("bad decimal scale {}", scale), r.offset() - 1);
    if (!r.varint(&first) || !r.varint(&base)) return r.corrupt("truncated body");
    Accumulator acc(static_cast<uint64_t>(unzigzag(first)), static_cast<uint64_t>(unzigzag(base)), out);
    const size_t m = n - 1;
    switch (mode) {
      case 0:
        for (size_t i = 0; i < m; ++i) acc.add(i, 0);
        break;
      case 1:
        TSD_RETURN_IF_ERROR(decode_runs(r, m, acc));
        break;
      case 2:
        TSD_RETURN_IF_ERROR(decode_packed(r, m, acc));
        break;
      default:
        TSD_RETURN_IF_ERROR(decode_entropy(r, m, acc));
        break;
    }
  }
  if (r.left()) return r.corrupt("trailing bytes");
  if (scale) {
    uint64_t mul = 1;
    for (unsigned k = 0; k < scale; ++k) mul *= 10;
    for (size_t i = 0; i < n; ++i) {
      uint64_t v;
      std::memcpy(&v, out + i * 8, 8);
      v *= mul;
      std::memcpy(out + i * 8, &v, 8);
    }
  }
  return Status();
}

}  // namespace

Status decode_int_body(Reader& r, size_t n, int64_t* out) { return decode_body(r, n, reinterpret_cast<char*>(out)); }
Status decode_int_body(Reader& r, size_t n, double* out) { return decode_body(r, n, reinterpret_cast<char*>(out)); }

}  // namespace tsd::enc::detail
