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
  if constexpr (kSmall) {
    dec.decode<kStates>(m, [&](size_t i, unsigned s) { acc.add(i, s); });
  } else {
    dec.decode<kStates>(m, [&](size_t i, unsigned s) { acc.add(i, residual_of(s, bits)); });
  }
}

// Each mode decodes residuals 0 .. want-1 of m (want <= m).
Status decode_runs(Reader& r, size_t m, size_t want, Accumulator& acc) {
  size_t i = 0;
  while (i < want) {
    uint64_t res, len;
    if (!r.varint(&res) || !r.varint(&len)) return r.corrupt("truncated run");
    if (len >= m - i) return r.corrupt("run past the count");
    size_t stop = std::min<size_t>(want, i + len + 1);
    while (i < stop) acc.add(i++, res);
  }
  return Status();
}

Status decode_packed(Reader& r, size_t m, size_t want, Accumulator& acc) {
  for (size_t f = 0; f < want; f += 128) {
    size_t k = std::min<size_t>(128, m - f);
    uint8_t w;
    if (!r.u8(&w)) return r.corrupt("truncated frame");
    if (w > 64) return r.corrupt_at(fmt::format("bad width {}", w), r.offset() - 1);
    const uint8_t* p;
    if (!r.take((k * w + 7) / 8, &p)) return r.corrupt("truncated frame");
    BitReader bits(p, (k * w + 7) / 8);
    for (size_t i = 0; i < k && f + i < want; ++i) acc.add(f + i, bits.get(w));
  }
  return Status();
}

Status decode_entropy(Reader& r, size_t m, size_t want, Accumulator& acc) {
  FreqTable t;
  TSD_RETURN_IF_ERROR(read_table(r, m, &t));
  uint64_t raw_len = 0;  // absent when every symbol is below 16
  const uint8_t* raw = r.pos();
  size_t raw_at = r.offset();
  if (t.lo + t.nsym > 16 && (!r.varint(&raw_len) || !r.take(raw_len, &raw))) return r.corrupt("truncated raw bits");
  BitReader bits(raw, raw_len);
  size_t stream_at = r.offset();
  if (t.nsym == 1) {
    for (size_t i = 0; i < want; ++i) acc.add(i, residual_of(t.lo, bits));
  } else {
    RansDecoder dec;
    const unsigned states = rans_states(m);
    if (!dec.init(t, states, r.pos(), r.left())) return r.corrupt("bad rANS stream header");
    r.skip_to_end();
    const bool small = t.lo + t.nsym <= 16;  // no raw bits to read
    if (states == 1) {
      if (small) {
        decode_symbols<1, true>(dec, bits, want, acc);
      } else {
        decode_symbols<1, false>(dec, bits, want, acc);
      }
    } else if (small) {
      decode_symbols<2, true>(dec, bits, want, acc);
    } else {
      decode_symbols<2, false>(dec, bits, want, acc);
    }
    if (want == m && !dec.finish()) return r.corrupt_at("bad rANS stream", stream_at);
  }
  if (bits.overrun() || (want == m && (bits.bits_read() + 7) / 8 != raw_len)) {
    return r.corrupt_at("raw bits do not match", raw_at);
  }
  return Status();
}

// What a body of n values starts with: the first value, and for n > 1
// the mode and decimal scale, and the base added to every residual.
struct BodyHead {
  uint64_t first = 0, base = 0;  // zigzagged
  unsigned mode = kConst, scale = 0;
};

Status read_head(Reader& r, size_t n, BodyHead* h) {
  if (n == 1) return r.varint(&h->first) ? Status() : r.corrupt("truncated value");
  uint8_t mode;
  if (!r.u8(&mode)) return r.corrupt("truncated body");
  h->scale = mode >> 2;
  h->mode = mode & 3;
  if (h->scale > kMaxScaleK) {
    return r.corrupt_at(fmt::format("bad decimal scale {}", h->scale), r.offset() - 1);
  }
  if (!r.varint(&h->first) || !r.varint(&h->base)) return r.corrupt("truncated body");
  return Status();
}

Status decode_body(Reader& r, size_t n, char* out, size_t want) {
  want = std::min(want, n);
  BodyHead h;
  TSD_RETURN_IF_ERROR(read_head(r, n, &h));
  if (n == 1) {
    int64_t v = unzigzag(h.first);
    std::memcpy(out, &v, 8);
  } else {
    Accumulator acc(static_cast<uint64_t>(unzigzag(h.first)), static_cast<uint64_t>(unzigzag(h.base)), out);
    const size_t m = n - 1, wm = want - 1;  // residuals: in the body, wanted
    switch (h.mode) {
      case kConst:
        for (size_t i = 0; i < wm; ++i) acc.add(i, 0);
        break;
      case kRuns:
        TSD_RETURN_IF_ERROR(decode_runs(r, m, wm, acc));
        break;
      case kPacked:
        TSD_RETURN_IF_ERROR(decode_packed(r, m, wm, acc));
        break;
      default:
        TSD_RETURN_IF_ERROR(decode_entropy(r, m, wm, acc));
        break;
    }
  }
  if (want == n && r.left()) return r.corrupt("trailing bytes");
  if (h.scale) {
    const auto mul = static_cast<uint64_t>(kPow10[h.scale]);
    for (size_t i = 0; i < want; ++i) {
      uint64_t v;
      std::memcpy(&v, out + i * 8, 8);
      v *= mul;
      std::memcpy(out + i * 8, &v, 8);
    }
  }
  return Status();
}

}  // namespace

bool int_body_progression(Reader& r, size_t n, uint64_t* first, uint64_t* step) {
  BodyHead h;
  if (!read_head(r, n, &h).ok() || h.mode != kConst || r.left()) return false;
  const auto mul = static_cast<uint64_t>(kPow10[h.scale]);
  *first = static_cast<uint64_t>(unzigzag(h.first)) * mul;
  *step = static_cast<uint64_t>(unzigzag(h.base)) * mul;
  return true;
}

Status decode_int_body(Reader& r, size_t n, int64_t* out, size_t want) {
  return decode_body(r, n, reinterpret_cast<char*>(out), want);
}
Status decode_int_body(Reader& r, size_t n, double* out, size_t want) {
  return decode_body(r, n, reinterpret_cast<char*>(out), want);
}

}  // namespace tsd::enc::detail
