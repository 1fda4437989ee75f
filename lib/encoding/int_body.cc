// The integer body: deltas, minus a base, zigzagged into residuals, then the
// smallest of four representations for the block.
//
// Body of n values v[0..n):
//   n == 1: ┌───────────────────────┐
//           │ zigzag(v[0]) varint   │
//           └───────────────────────┘
//   n >= 2: ┌──────┬──────────────────────┬──────────────────────┬─────────┐
//           │ mode │ zigzag(v[0]) varint  │ zigzag(base) varint  │ payload │
//           │  u8  │                      │                      │         │
//           └──────┴──────────────────────┴──────────────────────┴─────────┘
// The mode byte is k * 4 + mode, k = 0 .. 18: when k > 0 every value is a
// multiple of 10^k and the body codes v[i] / 10^k (the decoder multiplies
// back): nanosecond timestamps at second or millisecond precision shed
// 30 or 20 bits a residual. Below, v stands for those quotients.
// The residuals are r[i] = zigzag(v[i+1] - v[i] - base), i = 0 .. n-2, in
// wrapping 64-bit arithmetic (so any int64/uint64 column round-trips).
// base is the encoder's choice: the median of a sample of the deltas, or 0.
//
//   mode 0 CONST    no payload: every residual is 0 (a constant column, a
//                   counter with a fixed step, a regular timestamp interval).
//   mode 1 RUNS     pairs (r varint, run length - 1 varint) until n-1
//                   residuals are given (timestamps with a few gaps).
//   mode 2 PACKED   frames of up to 128 residuals, each: width w (u8, 0..64)
//                   then the residuals in w bits each, least significant bit
//                   first, padded to a whole byte.
//   mode 3 ENTROPY  ┌─────────┬───────────┬──────────┬─────────────┐
//                   │ table   │ raw bytes │ raw bits │ rANS stream │
//                   │(rans.cc)│ varint    │          │ (to the end)│
//                   └─────────┴───────────┴──────────┴─────────────┘
//                   The raw bytes varint is there only when the table
//                   reaches symbol 16 or above (lo + nsym > 16).
//                   Each residual is a symbol (rans.h: r < 16 itself, else
//                   its bit length + 11) coded with the static table; a
//                   symbol >= 16 takes its low (symbol - 12) bits from the
//                   raw bits, read in order, least significant bit first.
//                   When the table has one symbol the rANS stream is absent.
// The encoder estimates each size exactly or (ENTROPY) from the empirical
// entropy and writes the smallest.
#include "encoding/int_body.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "encoding/rans.h"

namespace tsd::enc::detail {
namespace {

constexpr size_t kFrame = 128;

// The median of up to 63 evenly spaced deltas, or 0 when that median is
// small beside their spread (data centered on zero, such as random walks,
// whose sampled median is only noise).
uint64_t pick_base(const int64_t* v, size_t n) {
  constexpr size_t kSample = 63;
  size_t m = n - 1;
  size_t k = std::min(m, kSample);
  int64_t sample[kSample];
  for (size_t j = 0; j < k; ++j) {
    size_t i = j * m / k;
    sample[j] = static_cast<int64_t>(static_cast<uint64_t>(v[i + 1]) - static_cast<uint64_t>(v[i]));
  }
  auto [lo, hi] = std::minmax_element(sample, sample + k);
  // |med| * 4 < hi - lo, in unsigned arithmetic that cannot overflow.
  uint64_t spread = static_cast<uint64_t>(*hi) - static_cast<uint64_t>(*lo);
  std::nth_element(sample, sample + k / 2, sample + k);
  int64_t med = sample[k / 2];
  uint64_t mag = med < 0 ? 0 - static_cast<uint64_t>(med) : static_cast<uint64_t>(med);
  if (mag < spread / 4) return 0;
  return static_cast<uint64_t>(med);
}

struct Plan {
  bool all_zero = true;
  size_t runs_bytes = 0;
  size_t packed_bytes = 0;
  size_t entropy_bytes = 0;
  uint64_t raw_bits = 0;
};

void put_packed(const uint64_t* r, size_t m, std::string* out) {
  for (size_t f = 0; f < m; f += kFrame) {
    size_t k = std::min(kFrame, m - f);
    uint64_t any = 0;
    for (size_t i = 0; i < k; ++i) any |= r[f + i];
    unsigned w = bit_length(any);
    out->push_back(static_cast<char>(w));
    BitWriter bw(out, k * w);
    for (size_t i = 0; i < k; ++i) bw.put(r[f + i], w);
    bw.finish();
  }
}

size_t runs_size(const uint64_t* r, size_t m) {
  size_t bytes = 0, i = 0;
  while (i < m) {
    size_t j = i + 1;
    while (j < m && r[j] == r[i]) ++j;
    bytes += varint_size(r[i]) + varint_size(j - i - 1);
    i = j;
  }
  return bytes;
}

void put_runs(const uint64_t* r, size_t m, std::string* out) {
  size_t i = 0;
  while (i < m) {
    size_t j = i + 1;
    while (j < m && r[j] == r[i]) ++j;
    put_varint(out, r[i]);
    put_varint(out, j - i - 1);
    i = j;
  }
}

void put_entropy(const uint64_t* r, const uint8_t* syms, const uint32_t* counts, size_t m, const Plan& p,
                 std::string* out) {
  FreqTable table;
  put_table(counts, m, &table, out);
  if (p.raw_bits) put_varint(out, (p.raw_bits + 7) / 8);  // iff a symbol >= 16 is present
  BitWriter bw(out, p.raw_bits);
  for (size_t i = 0; i < m; ++i) {
    unsigned e = extra_bits(syms[i]);
    if (e) bw.put(r[i] & ((uint64_t{1} << e) - 1), e);
  }
  bw.finish();
  if (table.nsym > 1) rans_encode(syms, m, table, out);
}


// The largest k <= 18 such that 10^k divides every value (0 when the
// deltas overflow: then divisibility of a delta says nothing).
unsigned decimal_scale(const int64_t* v, size_t n) {
  unsigned k = 0;
  while (k < kMaxScaleK && v[0] % kPow10[k + 1] == 0) ++k;
  int64_t prev = 0;
  for (size_t i = 0; k && i + 1 < n; ++i) {
    int64_t d;
    if (__builtin_sub_overflow(v[i + 1], v[i], &d)) return 0;
    if (d == prev) continue;
    while (k && d % kPow10[k] != 0) --k;
    prev = d;
  }
  return k;
}

}  // namespace

void encode_int_body(const int64_t* v, size_t n, std::string* out) {
  if (n == 1) {
    put_varint(out, zigzag(v[0]));
    return;
  }
  const unsigned k = decimal_scale(v, n);
  std::unique_ptr<int64_t[]> scaled;
  if (k) {
    // Divide the deltas (exact, no overflow: decimal_scale checked), once
    // for each run of equal deltas: a regular interval costs one division.
    scaled = std::make_unique_for_overwrite<int64_t[]>(n);
    const int64_t div = kPow10[k];
    scaled[0] = v[0] / div;
    int64_t prev_d = 0, prev_q = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      int64_t d = v[i + 1] - v[i];
      if (d != prev_d) {
        prev_d = d;
        prev_q = d / div;
      }
      scaled[i + 1] = scaled[i] + prev_q;
    }
    v = scaled.get();
  }
  const size_t m = n - 1;
  const uint64_t base = pick_base(v, n);
  auto r = std::make_unique_for_overwrite<uint64_t[]>(m);
  auto syms = std::make_unique_for_overwrite<uint8_t[]>(m);
  uint32_t counts[kNumSymbols] = {};
  Plan p;
  uint64_t prev = ~uint64_t{0};
  size_t runs = 0;
  for (size_t f = 0; f < m; f += kFrame) {
    const size_t k = std::min(kFrame, m - f);
    uint64_t frame_or = 0;
    for (size_t i = f; i < f + k; ++i) {
      uint64_t d = static_cast<uint64_t>(v[i + 1]) - static_cast<uint64_t>(v[i]) - base;
      uint64_t z = zigzag(static_cast<int64_t>(d));
      r[i] = z;
      unsigned s = symbol_of(z);
      syms[i] = static_cast<uint8_t>(s);
      ++counts[s];
      p.raw_bits += extra_bits(s);
      runs += z != prev;
      prev = z;
      frame_or |= z;
    }
    p.packed_bytes += 1 + (k * bit_length(frame_or) + 7) / 8;
  }
  p.all_zero = counts[0] == m;

  out->push_back(0);  // the mode, set below
  size_t mode_at = out->size() - 1;
  const uint8_t scale_bits = static_cast<uint8_t>(k << 2);
  put_varint(out, zigzag(v[0]));
  put_varint(out, zigzag(static_cast<int64_t>(base)));
  if (p.all_zero) {
    (*out)[mode_at] = static_cast<char>(scale_bits | kConst);
    return;
  }
  double bits = 0;
  unsigned present = 0;
  for (unsigned s = 0; s < kNumSymbols; ++s) {
    if (counts[s]) {
      bits += counts[s] * std::log2(static_cast<double>(m) / counts[s]);
      ++present;
    }
  }
  p.entropy_bytes = static_cast<size_t>(bits / 8) + 1 + table_size(counts, m) +
                    (p.raw_bits ? varint_size((p.raw_bits + 7) / 8) + (p.raw_bits + 7) / 8 : 0) +
                    (present > 1 ? 4 * rans_states(m) : 0);
  // A run costs at least 2 bytes, and short runs lose to the entropy coder:
  // size the runs only when they may win.
  bool may_win = runs * 8 <= m && runs * 2 <= std::min(p.packed_bytes, p.entropy_bytes);
  p.runs_bytes = may_win ? runs_size(r.get(), m) : SIZE_MAX;
  if (p.runs_bytes <= p.packed_bytes && p.runs_bytes <= p.entropy_bytes) {
    (*out)[mode_at] = static_cast<char>(scale_bits | kRuns);
    put_runs(r.get(), m, out);
  } else if (p.packed_bytes <= p.entropy_bytes) {
    (*out)[mode_at] = static_cast<char>(scale_bits | kPacked);
    put_packed(r.get(), m, out);
  } else {
    (*out)[mode_at] = static_cast<char>(scale_bits | kEntropy);
    put_entropy(r.get(), syms.get(), counts, m, p, out);
  }
}

}  // namespace tsd::enc::detail
