// Static rANS: frequency tables and the encoder (the decoder is inline in
// rans.h). Byte formats, as used inside integer bodies:
//
//   table:  ┌───────┬────┬──────┬──────────────────────────────────┐
//           │ scale │ lo │ nsym │ freq[lo .. lo+nsym-2] (varints)  │
//           │  u8   │ u8 │  u8  │ the last frequency is implied:   │
//           │ 1..12 │    │      │ 2^scale - sum, and must be >= 1  │
//           └───────┴────┴──────┴──────────────────────────────────┘
//   stream: ┌──────────┬──────────┬───────────────────────────────┐
//           │ state 0  │ state 1  │ 16-bit words, little-endian,  │
//           │ u32 LE   │ u32 LE   │ in the order the decoder reads │
//           └──────────┴──────────┴───────────────────────────────┘
// Symbol i uses state i % 2. Decoding symbol s from state x:
// slot = x mod 2^scale, s = the symbol whose [start, start+freq) holds slot,
// x = freq[s] * (x >> scale) + slot - start[s]; if x < 2^16, x = x << 16 | next word.
// A valid stream ends with both states equal to 2^16 and every word read.
#include "encoding/rans.h"

#include <algorithm>
#include <vector>

namespace tsd::enc::detail {

void build_table(const uint32_t* counts, size_t total, FreqTable* t) {
  unsigned lo = kNumSymbols, hi = 0, present = 0;
  for (unsigned s = 0; s < kNumSymbols; ++s) {
    if (counts[s]) {
      lo = std::min(lo, s);
      hi = s;
      ++present;
    }
  }
  unsigned scale = std::clamp(bit_length(total) + 1, 7u, kMaxScale);
  const uint32_t m = 1u << scale;
  t->scale = scale;
  t->lo = lo;
  t->nsym = hi - lo + 1;
  t->freq.fill(0);
  t->start.fill(0);
  int64_t sum = 0;
  unsigned biggest = lo;
  for (unsigned s = lo; s <= hi; ++s) {
    if (!counts[s]) continue;
    uint32_t f = static_cast<uint32_t>((static_cast<uint64_t>(counts[s]) * m + total / 2) / total);
    t->freq[s] = std::max<uint32_t>(f, 1);
    sum += t->freq[s];
    if (counts[s] > counts[biggest]) biggest = s;
  }
  int64_t diff = static_cast<int64_t>(m) - sum;
  if (diff > 0) t->freq[biggest] += static_cast<uint32_t>(diff);
  while (diff < 0) {  // take from the largest frequencies, keeping every one >= 1
    unsigned big = lo;
    for (unsigned s = lo; s <= hi; ++s)
      if (t->freq[s] > t->freq[big]) big = s;
    uint32_t take = static_cast<uint32_t>(std::min<int64_t>(-diff, t->freq[big] - 1));
    t->freq[big] -= take;
    diff += take;
  }
  (void)present;
  uint32_t start = 0;
  for (unsigned s = lo; s <= hi; ++s) {
    t->start[s] = start;
    start += t->freq[s];
  }
}

size_t table_size(const FreqTable& t) {
  size_t n = 3;
  for (unsigned s = t.lo; s + 1 < t.lo + t.nsym; ++s) n += varint_size(t.freq[s]);
  return n;
}

void put_table(const FreqTable& t, std::string* out) {
  out->push_back(static_cast<char>(t.scale));
  out->push_back(static_cast<char>(t.lo));
  out->push_back(static_cast<char>(t.nsym));
  for (unsigned s = t.lo; s + 1 < t.lo + t.nsym; ++s) put_varint(out, t.freq[s]);
}

Status read_table(Reader& r, FreqTable* t) {
  size_t at = r.offset();
  uint8_t scale, lo, nsym;
  if (!r.u8(&scale) || !r.u8(&lo) || !r.u8(&nsym)) return r.corrupt("truncated frequency table");
  if (scale < 1 || scale > kMaxScale || nsym < 1 || lo + nsym > kNumSymbols)
    return r.corrupt_at("bad frequency table", at);
  t->scale = scale;
  t->lo = lo;
  t->nsym = nsym;
  t->freq.fill(0);
  t->start.fill(0);
  const uint64_t m = uint64_t{1} << scale;
  uint64_t sum = 0;
  for (unsigned s = lo; s + 1 < unsigned{lo} + nsym; ++s) {
    uint64_t f;
    if (!r.varint(&f)) return r.corrupt("truncated frequency table");
    if (f > m) return r.corrupt_at("bad frequency", at);
    t->start[s] = static_cast<uint32_t>(sum);
    t->freq[s] = static_cast<uint32_t>(f);
    sum += f;
  }
  if (sum >= m) return r.corrupt_at("frequencies exceed the total", at);
  unsigned last = lo + nsym - 1u;
  t->start[last] = static_cast<uint32_t>(sum);
  t->freq[last] = static_cast<uint32_t>(m - sum);
  return Status();
}

void rans_encode(const uint8_t* syms, size_t n, const FreqTable& t, std::string* out) {
  constexpr uint32_t kL = RansDecoder::kL;
  std::vector<uint16_t> buf(n + 4);
  size_t w = buf.size();
  uint32_t x[2] = {kL, kL};
  const unsigned scale = t.scale;
  // Encode in reverse so that the decoder runs forward.
  auto put = [&](uint32_t& s, unsigned sym) {
    uint32_t f = t.freq[sym];
    uint32_t xmax = f << (32 - scale);
    if (s >= xmax) {
      buf[--w] = static_cast<uint16_t>(s);
      s >>= 16;
    }
    s = ((s / f) << scale) + (s % f) + t.start[sym];
  };
  size_t i = n;
  if (i & 1) {
    --i;
    put(x[0], syms[i]);
  }
  while (i) {
    i -= 2;
    put(x[1], syms[i + 1]);
    put(x[0], syms[i]);
  }
  buf[--w] = static_cast<uint16_t>(x[1] >> 16);
  buf[--w] = static_cast<uint16_t>(x[1]);
  buf[--w] = static_cast<uint16_t>(x[0] >> 16);
  buf[--w] = static_cast<uint16_t>(x[0]);
  out->append(reinterpret_cast<const char*>(buf.data() + w), (buf.size() - w) * 2);
}

bool RansDecoder::init(const FreqTable& t, const uint8_t* p, size_t size) {
  scale_ = t.scale;
  mask_ = (1u << t.scale) - 1;
  for (unsigned s = t.lo; s < t.lo + t.nsym; ++s) {
    freq_[s] = t.freq[s];
    start_[s] = t.start[s];
    std::fill_n(slot_sym_.begin() + t.start[s], t.freq[s], static_cast<uint8_t>(s));
  }
  overrun_ = false;
  if (size < 8) return false;
  for (int k = 0; k < 2; ++k)
    x_[k] = static_cast<uint32_t>(p[4 * k]) | static_cast<uint32_t>(p[4 * k + 1]) << 8 |
            static_cast<uint32_t>(p[4 * k + 2]) << 16 | static_cast<uint32_t>(p[4 * k + 3]) << 24;
  p_ = p + 8;
  end_ = p + size;
  return x_[0] >= kL && x_[1] >= kL;
}

}  // namespace tsd::enc::detail
