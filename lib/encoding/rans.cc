// Static rANS: frequency tables and the encoder (the decoder is inline in
// rans.h). Byte formats, as used inside integer bodies:
//
//   table:  ┌────┬──────┬──────────────────────────────────────────┐
//           │ lo │ nsym │ weight[lo .. lo+nsym-1]                   │
//           │ u8 │  u8  │                                          │
//           └────┴──────┴──────────────────────────────────────────┘
// For n >= 1024 symbols a weight is one byte b: b < 16: b, else
// (8 + b % 8) << (b / 8 - 1) (a count rounded to 4 significant bits).
// For n < 1024 it is a nibble c (two a byte, the first in the low half, the
// last byte's high half zero when nsym is odd) standing for kNibble[c] =
// 0 1 2 3 4 6 9 13 19 28 41 60 88 129 190 279 (steps of about 1.47): the
// count relative to the largest, which gets 15. Weight 0 = absent.
// Both sides turn the weights into frequencies summing to 2^scale, scale =
// min(12, max(7, bit length of n + 1)) for a stream of n symbols: f[s] =
// max(1, round(w[s] * 2^scale / sum of weights)); then the symbol with the
// largest weight (the lowest such symbol) takes up the difference, or, when
// the sum is over, the largest frequency (lowest symbol on a tie) gives up
// as much as it can down to 1, repeatedly; start[s] = sum of f below s.
//   stream: ┌──────────┬───────────────────┬───────────────────────────────┐
//           │ state 0  │ state 1 (only for │ 16-bit words, little-endian,  │
//           │ u32 LE   │ n >= 4096) u32 LE │ in the order the decoder reads │
//           └──────────┴───────────────────┴───────────────────────────────┘
// A stream of n symbols has S = 2 states when n >= 4096, else S = 1;
// symbol i uses state i % S. Decoding symbol s from state x:
// slot = x mod 2^scale, s = the symbol whose [start, start+freq) holds slot,
// x = freq[s] * (x >> scale) + slot - start[s]; if x < 2^16, x = x << 16 | next word.
// A valid stream ends with every state equal to 2^16 and every word read.
#include "encoding/rans.h"

#include <cstring>

#include <algorithm>
#include <memory>

namespace tsd::enc::detail {

namespace {

uint8_t weight_byte(uint64_t c) {
  if (c < 16) return static_cast<uint8_t>(c);
  unsigned e = bit_length(c) - 4;
  uint64_t m = (c + (uint64_t{1} << (e - 1))) >> e;
  if (m == 16) {
    ++e;
    m = 8;
  }
  return static_cast<uint8_t>((e + 1) << 3 | (m - 8));
}

uint64_t weight_of(uint8_t b) { return b < 16 ? b : uint64_t{8u | (b & 7u)} << ((b >> 3) - 1); }

constexpr size_t kNibbleBelow = 1024;  // streams shorter than this use nibble weights
constexpr uint16_t kNibble[16] = {0, 1, 2, 3, 4, 6, 9, 13, 19, 28, 41, 60, 88, 129, 190, 279};

// The nibble whose weight is nearest c * 279 / max in ratio (>= 1 for c > 0).
uint8_t weight_nibble(uint64_t c, uint64_t max) {
  if (!c) return 0;
  double x = static_cast<double>(c) * kNibble[15] / static_cast<double>(max);
  uint8_t best = 1;
  for (uint8_t k = 2; k < 16; ++k)
    if (kNibble[k] * static_cast<double>(kNibble[k - 1]) <= x * x) best = k;  // geometric midpoints
  return best;
}

// Frequencies from weights, as the format above says.
void build_table(const uint64_t* w, unsigned lo, unsigned nsym, unsigned scale, FreqTable* t) {
  const unsigned hi = lo + nsym - 1;
  const uint32_t m = 1u << scale;
  uint64_t total = 0;
  for (unsigned s = lo; s <= hi; ++s) total += w[s];
  t->scale = scale;
  t->lo = lo;
  t->nsym = nsym;
  t->freq.fill(0);
  t->start.fill(0);
  int64_t sum = 0;
  unsigned biggest = lo;
  for (unsigned s = lo; s <= hi; ++s) {
    if (!w[s]) continue;
    uint32_t f = static_cast<uint32_t>((w[s] * m + total / 2) / total);
    t->freq[s] = std::max<uint32_t>(f, 1);
    sum += t->freq[s];
    if (w[s] > w[biggest]) biggest = s;
  }
  int64_t diff = static_cast<int64_t>(m) - sum;
  if (diff > 0) t->freq[biggest] += static_cast<uint32_t>(diff);
  while (diff < 0) {
    unsigned big = lo;
    for (unsigned s = lo; s <= hi; ++s)
      if (t->freq[s] > t->freq[big]) big = s;
    uint32_t take = static_cast<uint32_t>(std::min<int64_t>(-diff, t->freq[big] - 1));
    t->freq[big] -= take;
    diff += take;
  }
  uint32_t start = 0;
  for (unsigned s = lo; s <= hi; ++s) {
    t->start[s] = start;
    start += t->freq[s];
  }
}

void symbol_range(const uint32_t* counts, unsigned* lo, unsigned* nsym) {
  unsigned l = kNumSymbols, h = 0;
  for (unsigned s = 0; s < kNumSymbols; ++s) {
    if (counts[s]) {
      l = std::min(l, s);
      h = s;
    }
  }
  *lo = l;
  *nsym = h - l + 1;
}

}  // namespace

unsigned scale_for(size_t n) { return std::clamp(bit_length(n) + 1, 7u, kMaxScale); }

size_t table_size(const uint32_t* counts, size_t n) {
  unsigned lo, nsym;
  symbol_range(counts, &lo, &nsym);
  return 2 + (n < kNibbleBelow ? (nsym + 1) / 2 : nsym);
}

void put_table(const uint32_t* counts, size_t n, FreqTable* t, std::string* out) {
  unsigned lo, nsym;
  symbol_range(counts, &lo, &nsym);
  uint64_t w[kNumSymbols] = {};
  out->push_back(static_cast<char>(lo));
  out->push_back(static_cast<char>(nsym));
  if (n < kNibbleBelow) {
    uint64_t max = *std::max_element(counts + lo, counts + lo + nsym);
    for (unsigned k = 0; k < nsym; k += 2) {
      uint8_t a = weight_nibble(counts[lo + k], max);
      uint8_t b = k + 1 < nsym ? weight_nibble(counts[lo + k + 1], max) : 0;
      out->push_back(static_cast<char>(a | b << 4));
      w[lo + k] = kNibble[a];
      if (k + 1 < nsym) w[lo + k + 1] = kNibble[b];
    }
  } else {
    for (unsigned s = lo; s < lo + nsym; ++s) {
      uint8_t b = weight_byte(counts[s]);
      out->push_back(static_cast<char>(b));
      w[s] = weight_of(b);
    }
  }
  build_table(w, lo, nsym, scale_for(n), t);
}

Status read_table(Reader& r, size_t n, FreqTable* t) {
  size_t at = r.offset();
  uint8_t lo, nsym;
  const uint8_t* b;
  if (!r.u8(&lo) || !r.u8(&nsym)) return r.corrupt("truncated frequency table");
  if (nsym < 1 || lo + nsym > kNumSymbols) return r.corrupt_at("bad frequency table", at);
  const bool nibbles = n < kNibbleBelow;
  if (!r.take(nibbles ? (nsym + 1) / 2 : nsym, &b)) return r.corrupt("truncated frequency table");
  uint64_t w[kNumSymbols] = {};
  bool any = false;
  for (unsigned k = 0; k < nsym; ++k) {
    w[lo + k] = nibbles ? kNibble[(b[k / 2] >> (k % 2 * 4)) & 15] : weight_of(b[k]);
    any |= w[lo + k] != 0;
  }
  if (nibbles && nsym % 2 && (b[nsym / 2] >> 4)) return r.corrupt_at("bad frequency table padding", at);
  if (!any) return r.corrupt_at("empty frequency table", at);
  build_table(w, lo, nsym, scale_for(n), t);
  return Status();
}

void rans_encode(const uint8_t* syms, size_t n, const FreqTable& t, std::string* out) {
  constexpr uint32_t kL = RansDecoder::kL;
  const size_t size = n + 4;  // at most one word a symbol, and the states
  auto buf = std::make_unique_for_overwrite<uint16_t[]>(size);
  size_t w = size;
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
  if (rans_states(n) == 1) {
    for (size_t i = n; i-- > 0;) put(x[0], syms[i]);
  } else {
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
  }
  buf[--w] = static_cast<uint16_t>(x[0] >> 16);
  buf[--w] = static_cast<uint16_t>(x[0]);
  out->append(reinterpret_cast<const char*>(buf.get() + w), (size - w) * 2);
}

bool RansDecoder::init(const FreqTable& t, unsigned states, const uint8_t* p, size_t size) {
  scale_ = t.scale;
  mask_ = (1u << t.scale) - 1;
  // A symbol's run of slots, four at a time: with 2^12 slots this loop
  // cost as much as decoding half of them one at a time.
  typedef uint32_t U4 __attribute__((vector_size(16)));
  const U4 step = {4u << kBiasShift, 4u << kBiasShift, 4u << kBiasShift, 4u << kBiasShift};
  for (unsigned s = t.lo; s < t.lo + t.nsym; ++s) {
    const uint32_t f = t.freq[s], v = s | f << kFreqShift;
    uint32_t* out = slots_.data() + t.start[s];
    uint32_t k = 0;
    U4 run = {v, v | 1u << kBiasShift, v | 2u << kBiasShift, v | 3u << kBiasShift};
    for (; k + 4 <= f; k += 4, run += step) std::memcpy(out + k, &run, sizeof(run));
    for (; k < f; ++k) out[k] = v | k << kBiasShift;
  }
  overrun_ = false;
  x_[1] = kL;  // an unused second state is already where it must end
  if (size < 4 * states) return false;
  for (unsigned k = 0; k < states; ++k)
    x_[k] = static_cast<uint32_t>(p[4 * k]) | static_cast<uint32_t>(p[4 * k + 1]) << 8 |
            static_cast<uint32_t>(p[4 * k + 2]) << 16 | static_cast<uint32_t>(p[4 * k + 3]) << 24;
  p_ = p + 4 * states;
  end_ = p + size;
  return x_[0] >= kL && x_[1] >= kL;
}

}  // namespace tsd::enc::detail
