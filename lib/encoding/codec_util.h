// Internal helpers shared by the column codecs: zigzag, varints, a bit
// writer/reader, a bounds-checked byte cursor and the common block header.
// Not part of the public API (see encoding.h). Pure functions and
// single-owner objects: thread-compatible.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/status.h"
#include "encoding/encoding.h"
#include "encoding/varint.h"

namespace tsd::enc::detail {

// The formats are little-endian; the code stores words as the host does.
static_assert(std::endian::native == std::endian::little, "tsd's codecs assume a little-endian host");

// The first byte of every encoding names the column kind (readable in a hex dump).
enum class Kind : uint8_t {
  kTimestamps = 'T',
  kFloats = 'F',
  kIntegers = 'I',
  kUnsigned = 'U',
  kBooleans = 'B',
  kStrings = 'S',
};

using tsd::enc::kMaxCount;

using tsd::enc::unzigzag;
using tsd::enc::zigzag;

// Number of significant bits: 0 for 0, 64 for values >= 2^63.
inline unsigned bit_length(uint64_t v) { return v ? 64u - static_cast<unsigned>(__builtin_clzll(v)) : 0u; }

inline size_t varint_size(uint64_t v) { return (bit_length(v | 1) + 6) / 7; }

inline void put_varint(std::string* out, uint64_t v) { put_uvarint(out, v); }

inline void put_u32le(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
               static_cast<char>(v >> 24)};
  out->append(b, 4);
}

inline uint64_t load_u64le(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// A bounds-checked cursor over one encoding; errors name the codec and the
// byte offset from the start of the encoding.
class Reader {
 public:
  Reader(std::string_view in, const char* what)
      : begin_(reinterpret_cast<const uint8_t*>(in.data())), p_(begin_), end_(begin_ + in.size()), what_(what) {}

  size_t offset() const { return static_cast<size_t>(p_ - begin_); }
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* pos() const { return p_; }
  const uint8_t* end() const { return end_; }

  bool u8(uint8_t* v) {
    if (p_ == end_) return false;
    *v = *p_++;
    return true;
  }
  // A LEB128 varint of at most 10 bytes whose value fits in 64 bits.
  bool varint(uint64_t* v) {
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      uint8_t b = *p_++;
      if (shift == 63 && b > 1) return false;
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = r;
        return true;
      }
    }
    return false;
  }
  bool take(size_t n, const uint8_t** p) {
    if (n > left()) return false;
    *p = p_;
    p_ += n;
    return true;
  }
  void skip_to_end() { p_ = end_; }

  // "<what> block: <why> at byte <offset>"
  Status corrupt(std::string_view why) const { return corrupt_at(why, offset()); }
  Status corrupt_at(std::string_view why, size_t offset) const;

 private:
  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  const char* what_;
};

// Writes bits least-significant first at the end of a byte string, whose
// size it sets up front (whole 8-byte stores, no appends in the loop).
class BitWriter {
 public:
  // Room for `bits` bits; exactly that many must be put before finish().
  BitWriter(std::string* out, uint64_t bits) : out_(out), at_(out->size()), bytes_((bits + 7) / 8) {
    out->resize(at_ + bytes_ + 8);  // slack for the last whole-word store
    p_ = reinterpret_cast<char*>(out->data()) + at_;
  }
  // Appends the low `bits` bits of v (0 <= bits <= 64; v < 2^bits).
  void put(uint64_t v, unsigned bits) {
    acc_ |= v << n_;
    n_ += bits;
    if (n_ >= 64) {
      std::memcpy(p_, &acc_, 8);
      p_ += 8;
      n_ -= 64;
      acc_ = n_ ? v >> (bits - n_) : 0;
    }
  }
  // Writes the last bits (padding bits zero) and trims the slack.
  void finish() {
    std::memcpy(p_, &acc_, 8);
    out_->resize(at_ + bytes_);
  }

 private:
  std::string* out_;
  size_t at_;
  size_t bytes_;
  char* p_;
  uint64_t acc_ = 0;
  unsigned n_ = 0;
};

// Reads what BitWriter wrote from [p, p + size). Reading past the end
// yields zero bits, never touching memory outside the range, and makes
// overrun() true.
class BitReader {
 public:
  BitReader(const uint8_t* p, size_t size) : p_(p), size_(size) {}

  uint64_t get(unsigned bits) {  // 0 <= bits <= 64
    size_t byte = pos_ >> 3;
    unsigned sh = pos_ & 7;
    uint64_t w;
    if (byte + 9 <= size_) [[likely]] {
      w = load_u64le(p_ + byte) >> sh;
      if (bits + sh > 64) w |= static_cast<uint64_t>(p_[byte + 8]) << (64 - sh);
    } else {
      w = slow_word(byte, sh);
    }
    pos_ += bits;
    return bits ? w & (~uint64_t{0} >> (64 - bits)) : 0;
  }
  bool overrun() const { return pos_ > size_ * 8; }
  size_t bits_read() const { return pos_; }

 private:
  uint64_t slow_word(size_t byte, unsigned sh) const {
    uint64_t w = 0;
    for (size_t k = 0; k < 9 && byte + k < size_; ++k) {
      int s = static_cast<int>(k * 8) - static_cast<int>(sh);
      uint64_t b = p_[byte + k];
      w |= s >= 0 ? (s < 64 ? b << s : 0) : b >> -s;
    }
    return w;
  }

  const uint8_t* p_;
  size_t size_;
  size_t pos_ = 0;
};

// The common header: kind byte, then the count as a varint.
void put_header(Kind kind, size_t count, std::string* out);
// Reads and checks the header of an encoding of `kind`.
Status read_header(Reader& r, Kind kind, uint32_t* count);

}  // namespace tsd::enc::detail
