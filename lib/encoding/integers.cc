// Integer, unsigned and timestamp columns: the common header (codec_util.cc)
// then, when the count is not zero, an integer body (int_body.cc).
//
//   ┌──────────────┬──────────────┬──────────────────────────┐
//   │ 'I'/'U'/'T'  │ count varint │ integer body (count > 0) │
//   └──────────────┴──────────────┴──────────────────────────┘
// Unsigned values are coded as their int64 bit patterns (deltas wrap), so
// UINT64_MAX round-trips. Timestamps need no special case: the body's
// deltas minus a base make a regular interval a CONST body (a few bytes in
// all), a regular interval with gaps a few RUNS, jitter ENTROPY or PACKED,
// and out-of-order times still round-trip (the residuals are zigzagged).
#include <algorithm>
#include <cstring>

#include "encoding/encoding.h"
#include "encoding/int_body.h"

namespace tsd::enc {
namespace {

using detail::Kind;

void encode_kind(Kind kind, const int64_t* v, size_t n, std::string* out) {
  assert(n <= detail::kMaxCount);
  detail::put_header(kind, n, out);
  if (n) detail::encode_int_body(v, n, out);
}

// Decodes the first `want` values into the room room(m) gives for the m
// values there are to decode (a vector's new end, or a caller's buffer).
template <class T, class Room>
Status decode_kind(Kind kind, const char* what, std::string_view in, size_t want, Room room,
                   size_t* got) {
  static_assert(sizeof(T) == sizeof(int64_t));
  *got = 0;
  detail::Reader r(in, what);
  uint32_t n;
  TSD_RETURN_IF_ERROR(detail::read_header(r, kind, &n));
  if (n == 0) return r.left() ? r.corrupt("trailing bytes") : Status();
  if (want == 0) return Status();
  want = std::min<size_t>(want, n);
  T* out = room(want);
  TSD_RETURN_IF_ERROR(detail::decode_int_body(r, n, reinterpret_cast<int64_t*>(out), want));
  *got = want;
  return Status();
}

template <class T>
Status decode_kind(Kind kind, const char* what, std::string_view in, std::vector<T>* out,
                   size_t want = SIZE_MAX) {
  const size_t old = out->size();
  size_t got = 0;
  Status s = decode_kind<T>(kind, what, in, want, [&](size_t m) {
    out->resize(old + m);
    return out->data() + old;
  }, &got);
  if (!s.ok()) out->resize(old);
  return s;
}

template <class T>
Status decode_kind(Kind kind, const char* what, std::string_view in, T* out, size_t want,
                   size_t* got) {
  return decode_kind<T>(kind, what, in, want, [out](size_t) { return out; }, got);
}

}  // namespace

void encode_timestamps(std::span<const int64_t> in, std::string* out) {
  encode_kind(Kind::kTimestamps, in.data(), in.size(), out);
}
Status decode_timestamps(std::string_view in, std::vector<int64_t>* out) {
  return decode_kind(Kind::kTimestamps, "timestamp", in, out);
}
Status decode_timestamps(std::string_view in, int64_t* out, size_t want, size_t* got) {
  return decode_kind(Kind::kTimestamps, "timestamp", in, out, want, got);
}

bool timestamps_progression(std::string_view in, size_t* count, int64_t* first, int64_t* step) {
  detail::Reader r(in, "timestamp");
  uint32_t n;
  uint64_t f, d;
  if (!detail::read_header(r, Kind::kTimestamps, &n).ok() || n == 0 ||
      !detail::int_body_progression(r, n, &f, &d)) {
    return false;
  }
  // Ascending without wrapping: the last value is first + (n-1) * step.
  const auto t0 = static_cast<int64_t>(f), dt = static_cast<int64_t>(d);
  if (n > 1 && (dt <= 0 || static_cast<__int128>(t0) + static_cast<__int128>(dt) * (n - 1) >
                                 INT64_MAX)) {
    return false;
  }
  *count = n;
  *first = t0;
  *step = n > 1 ? dt : 1;
  return true;
}

void encode_integers(std::span<const int64_t> in, std::string* out) {
  encode_kind(Kind::kIntegers, in.data(), in.size(), out);
}
Status decode_integers(std::string_view in, std::vector<int64_t>* out, size_t want) {
  return decode_kind(Kind::kIntegers, "integer", in, out, want);
}
Status decode_integers(std::string_view in, int64_t* out, size_t want, size_t* got) {
  return decode_kind(Kind::kIntegers, "integer", in, out, want, got);
}

void encode_unsigned(std::span<const uint64_t> in, std::string* out) {
  encode_kind(Kind::kUnsigned, reinterpret_cast<const int64_t*>(in.data()), in.size(), out);
}
Status decode_unsigned(std::string_view in, std::vector<uint64_t>* out, size_t want) {
  return decode_kind(Kind::kUnsigned, "unsigned", in, out, want);
}
Status decode_unsigned(std::string_view in, uint64_t* out, size_t want, size_t* got) {
  return decode_kind(Kind::kUnsigned, "unsigned", in, out, want, got);
}

}  // namespace tsd::enc
