// Internal: a static (per block) rANS entropy coder over a small alphabet,
// and the symbol alphabet the integer body uses for residuals. Not part of
// the public API. Tables and decoders are single-owner: thread-compatible.
//
// Alphabet: a residual r < 16 is the symbol r itself; a larger r with bit
// length L (5..64) is the symbol L + 11 (16..75) followed by its low L-1
// bits, raw, in a separate bit stream (the top bit is implied).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "encoding/codec_util.h"

namespace tsd::enc::detail {

inline constexpr unsigned kNumSymbols = 76;
inline constexpr unsigned kMaxScale = 12;  // frequencies sum to 2^scale <= 4096

inline unsigned symbol_of(uint64_t r) { return r < 16 ? static_cast<unsigned>(r) : bit_length(r) + 11; }
// Raw bits that follow symbol s in the bit stream.
inline unsigned extra_bits(unsigned s) { return s < 16 ? 0 : s - 12; }

struct FreqTable {
  unsigned scale = 0;  // log2 of the sum of the frequencies
  unsigned lo = 0;     // first symbol in the table
  unsigned nsym = 0;   // symbols lo .. lo + nsym - 1
  std::array<uint32_t, kNumSymbols> freq{};
  std::array<uint32_t, kNumSymbols> start{};
};

// The table precision for a stream of n symbols: 2^7 .. 2^12.
unsigned scale_for(size_t n);

// Builds the table for n symbols with these counts (their sum is n), and
// appends its serialized form: the counts, rounded to 8-bit weights (or
// 4-bit ones for n < 1024).
void put_table(const uint32_t* counts, size_t n, FreqTable* t, std::string* out);
// Serialized size of the table put_table would write.
size_t table_size(const uint32_t* counts, size_t n);
// Reads a table for n symbols and rebuilds what put_table built.
Status read_table(Reader& r, size_t n, FreqTable* t);

// Interleaved states for a stream of n symbols: 2 from 4096 symbols on
// (speed), else 1 (4 bytes fewer for small blocks).
inline unsigned rans_states(size_t n) { return n >= 4096 ? 2 : 1; }

// Appends the rANS stream of syms[0..n) (each with a non-zero frequency;
// t.nsym > 1): rans_states(n) interleaved 32-bit states, 16-bit renormalization.
void rans_encode(const uint8_t* syms, size_t n, const FreqTable& t, std::string* out);

// Decodes what rans_encode wrote. Reading past the stream sets a flag and
// never touches memory outside it; check finish() at the end.
class RansDecoder {
 public:
  // Builds the slot table and reads `states` (1 or 2) states; false when
  // the stream is too short for them or they are out of range.
  bool init(const FreqTable& t, unsigned states, const uint8_t* p, size_t size);
  // Symbol i of the stream uses state i % states: get(0), get(1), get(0), ...
  unsigned get(unsigned k) {
    uint32_t x = x_[k];
    unsigned s = step(x);
    if (x < kL) {
      if (p_ + 2 <= end_) {
        x = (x << 16) | load16(p_);
        p_ += 2;
      } else {
        overrun_ = true;
      }
    }
    x_[k] = x;
    return s;
  }
  // Decodes the next m symbols of a stream of kStates (1 or 2) states,
  // calling emit(i, symbol) for i = 0 .. m-1: get() in a loop, with the
  // states in registers and, while the stream has bytes enough for any
  // step, no branch on renormalization (it is data-dependent, and a
  // mispredicted branch costs more than the symbol).
  template <unsigned kStates, class Emit>
  void decode(size_t m, Emit&& emit) {
    uint32_t x0 = x_[0], x1 = x_[1];
    const uint8_t* p = p_;
    size_t i = 0;
    auto fast = [&](uint32_t& x) {
      unsigned s = step(x);
      const uint32_t refill = x < kL;
      const uint32_t fed = (x << 16) | load16(p);
      x = refill ? fed : x;
      p += refill * 2;
      return s;
    };
    if constexpr (kStates == 2) {
      for (; i + 1 < m && end_ - p >= 4; i += 2) {
        emit(i, fast(x0));
        emit(i + 1, fast(x1));
      }
    } else {
      for (; i < m && end_ - p >= 2; ++i) emit(i, fast(x0));
    }
    x_[0] = x0;
    x_[1] = x1;
    p_ = p;
    for (; i < m; ++i) emit(i, get(static_cast<unsigned>(i % kStates)));
  }
  // True when the whole stream was consumed and the states are back at their start.
  bool finish() const { return !overrun_ && p_ == end_ && x_[0] == kL && x_[1] == kL; }

  static constexpr uint32_t kL = 1u << 16;

 private:
  // One entry a slot: the symbol (bits 0-6), its frequency (7-19) and the
  // slot's offset in the symbol's range (20-31), so that a step reads one
  // word. Not zeroed: init() sets every slot below 2^scale, and nothing
  // else is read.
  static constexpr unsigned kFreqShift = 7, kBiasShift = 20;
  unsigned step(uint32_t& x) const {
    const uint32_t e = slots_[x & mask_];
    x = ((e >> kFreqShift) & 0x1fff) * (x >> scale_) + (e >> kBiasShift);
    return e & 0x7f;
  }
  static uint32_t load16(const uint8_t* p) { return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8; }

  std::array<uint32_t, 1u << kMaxScale> slots_;
  uint32_t x_[2] = {0, 0};
  uint32_t mask_ = 0;
  unsigned scale_ = 0;
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  bool overrun_ = false;
};

}  // namespace tsd::enc::detail
