// Float columns, bit-exact. After the common header ('F', count), when the
// count is not zero:
//
//   ┌───────┬──────────────────────────────────────────────────────────┐
//   │ fmode │ fmode 0 BITS: an integer body (int_body.cc) of the IEEE   │
//   │  u8   │   754 bit patterns taken as int64: the deltas of nearby   │
//   │       │   values are small integers, coded with an entropy-coded  │
//   │       │   bit length and raw low bits.                            │
//   │       │ fmode 1 DECIMAL:                                          │
//   │       │ ┌─────┬──────────────┬──────────────────────┬───────────┐ │
//   │       │ │ e   │ nexc varint  │ nexc × (gap varint,  │ integer   │ │
//   │       │ │ u8  │              │  f64 bit pattern LE) │ body      │ │
//   │       │ └─────┴──────────────┴──────────────────────┴───────────┘ │
//   │       │   value[i] = (double)k[i] / 10^e (IEEE division), k from  │
//   │       │   the integer body, e <= 18; exceptions replace the value │
//   │       │   at their position: gap = position - previous exception │
//   │       │   position - 1 (the first: its position).                 │
//   └───────┴──────────────────────────────────────────────────────────┘
// The encoder tries DECIMAL when at least 7/8 of a sample of the block is
// exact at one e (values with few decimal digits, such as 12.5 or 0.25),
// and keeps it when e <= 10 and under 1/16 of the values are exceptions,
// else whichever encoding is smaller. At an exception the encoder puts
// the previous k in the body, so the exception costs nothing there.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "encoding/encoding.h"
#include "encoding/int_body.h"

namespace tsd::enc {
namespace {

using detail::Kind;
using detail::Reader;

constexpr int kMaxExponent = 18;
constexpr double kPow10[kMaxExponent + 1] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                             1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
enum FMode : uint8_t { kBits = 0, kDecimal = 1 };

// k with k / 10^e == v bit for bit, or false.
inline bool to_decimal(double v, int e, int64_t* k) {
  double y = v * kPow10[e];
  if (!(std::fabs(y) < 9007199254740992.0)) return false;  // 2^53; also NaN
  // Any rounding will do: the result is checked (and this one is inline).
  int64_t n = static_cast<int64_t>(y + (y < 0 ? -0.5 : 0.5));
  if (std::bit_cast<uint64_t>(static_cast<double>(n) / kPow10[e]) != std::bit_cast<uint64_t>(v)) return false;
  *k = n;
  return true;
}

// The exponent that makes most of a sample exact, or -1 when fewer than 7/8 are.
int pick_exponent(std::span<const double> in, size_t* sample_hits) {
  size_t k = std::min<size_t>(in.size(), 32);
  int best = -1;
  size_t best_hits = 0;
  int64_t unused;
  for (int e = 0; e <= kMaxExponent; ++e) {
    size_t hits = 0;
    for (size_t j = 0; j < k; ++j) hits += to_decimal(in[j * in.size() / k], e, &unused);
    if (hits > best_hits) {
      best_hits = hits;
      best = e;
    }
    if (hits == k) break;
  }
  *sample_hits = best_hits;
  return best_hits * 8 >= k * 7 ? best : -1;
}

// Appends the DECIMAL encoding; returns the number of exceptions.
size_t encode_decimal(std::span<const double> in, int e, std::string* out) {
  std::vector<int64_t> ks(in.size());
  std::string exc;
  size_t nexc = 0, last = 0;
  int64_t prev = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t k;
    if (to_decimal(in[i], e, &k)) {
      prev = k;
    } else {
      detail::put_varint(&exc, nexc ? i - last - 1 : i);
      uint64_t bits = std::bit_cast<uint64_t>(in[i]);
      exc.append(reinterpret_cast<const char*>(&bits), 8);
      last = i;
      ++nexc;
    }
    ks[i] = prev;
  }
  out->push_back(kDecimal);
  out->push_back(static_cast<char>(e));
  detail::put_varint(out, nexc);
  out->append(exc);
  detail::encode_int_body(ks.data(), ks.size(), out);
  return nexc;
}

void encode_bits(std::span<const double> in, std::string* out) {
  auto bits = std::make_unique_for_overwrite<int64_t[]>(in.size());
  std::memcpy(bits.get(), in.data(), in.size() * 8);
  out->push_back(kBits);
  detail::encode_int_body(bits.get(), in.size(), out);
}

// The first `want` values (1 <= want <= n).
Status decode_decimal(Reader& r, size_t n, double* out, size_t want) {
  uint8_t e;
  uint64_t nexc;
  if (!r.u8(&e) || !r.varint(&nexc)) return r.corrupt("truncated decimal header");
  if (e > kMaxExponent) return r.corrupt_at(fmt::format("bad exponent {}", e), r.offset() - 1);
  if (nexc > n) return r.corrupt("more exceptions than values");
  struct Exception {
    size_t pos;
    uint64_t bits;
  };
  std::vector<Exception> exc(nexc);
  size_t pos = 0;
  for (size_t j = 0; j < nexc; ++j) {
    uint64_t gap;
    const uint8_t* p;
    if (!r.varint(&gap) || !r.take(8, &p)) return r.corrupt("truncated exception");
    if (gap >= n - pos) return r.corrupt("exception past the count");
    pos += gap;
    exc[j] = {pos, detail::load_u64le(p)};
    ++pos;
  }
  std::vector<int64_t> ks(want);
  TSD_RETURN_IF_ERROR(detail::decode_int_body(r, n, ks.data(), want));
  const double p10 = kPow10[e];
  for (size_t i = 0; i < want; ++i) out[i] = static_cast<double>(ks[i]) / p10;
  for (const Exception& x : exc) {
    if (x.pos < want) out[x.pos] = std::bit_cast<double>(x.bits);
  }
  return Status();
}

}  // namespace

void encode_floats(std::span<const double> in, std::string* out) {
  assert(in.size() <= detail::kMaxCount);
  detail::put_header(Kind::kFloats, in.size(), out);
  if (in.empty()) return;
  size_t hits;
  int e = pick_exponent(in, &hits);
  if (e < 0) return encode_bits(in, out);
  // Few digits and few exceptions: the bit patterns cannot be smaller
  // (their deltas are noise at the scale of an ulp); else try both.
  size_t at = out->size();
  size_t nexc = encode_decimal(in, e, out);
  if (e <= 10 && nexc * 16 <= in.size()) return;
  std::string bits;
  encode_bits(in, &bits);
  if (bits.size() < out->size() - at) out->replace(at, std::string::npos, bits);
}

namespace {

template <class Room>
Status decode_floats_to(std::string_view in, size_t want, Room room, size_t* got) {
  *got = 0;
  Reader r(in, "float");
  uint32_t n;
  TSD_RETURN_IF_ERROR(detail::read_header(r, Kind::kFloats, &n));
  if (n == 0) return r.left() ? r.corrupt("trailing bytes") : Status();
  if (want == 0) return Status();
  want = std::min<size_t>(want, n);
  uint8_t mode;
  if (!r.u8(&mode)) return r.corrupt("truncated body");
  double* out = room(want);
  if (mode == kBits) {
    TSD_RETURN_IF_ERROR(detail::decode_int_body(r, n, out, want));
  } else if (mode == kDecimal) {
    TSD_RETURN_IF_ERROR(decode_decimal(r, n, out, want));
  } else {
    return r.corrupt_at(fmt::format("unknown float mode {}", mode), r.offset() - 1);
  }
  *got = want;
  return Status();
}

}  // namespace

Status decode_floats(std::string_view in, std::vector<double>* out, size_t want) {
  const size_t old = out->size();
  size_t got = 0;
  Status s = decode_floats_to(in, want, [&](size_t m) {
    out->resize(old + m);
    return out->data() + old;
  }, &got);
  if (!s.ok()) out->resize(old);
  return s;
}

Status decode_floats(std::string_view in, double* out, size_t want, size_t* got) {
  return decode_floats_to(in, want, [out](size_t) { return out; }, got);
}

}  // namespace tsd::enc
