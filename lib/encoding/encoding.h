// Column codecs: pure functions from a column of values to bytes and back.
//
// Each encode_* appends a self-describing encoding (it carries its kind, its
// count and its codec choice; the encoder picks, per call, the smallest of
// its representations) to *out. Each decode_* takes exactly one whole
// encoding (trailing bytes are damage), appends the values to *out and
// returns OK; on damaged input it returns corruption("<kind> block: <why>
// at byte N"), N counted from the start of `in`, leaves *out as it was, and
// never reads outside `in` nor allocates more than the (bounded) count
// implies. An encoding of one kind given to another kind's decoder is
// corruption too. No I/O, no shared state: thread-safe.
// The byte formats are documented at the top of each codec's .cc file
// (codec_util.cc: the header; int_body.cc, rans.cc, integers.cc, floats.cc,
// booleans.cc, strings.cc) and in man/tsd-data.5.
//
// Sizes on the TSBS devops data (random walks, 8640 points a block):
// integers 0.271 bytes/value (the deltas' entropy: 0.268), full-precision
// floats 6.21 (Gorilla XOR: 7.5), a regular nanosecond timestamp column
// about 10 bytes a block in all.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tsd::enc {

// The most values one encoding may hold (encoders assert it; a header that
// claims more is corruption).
inline constexpr uint32_t kMaxCount = 1u << 22;

// Timestamps, any order (sorted input compresses best; a regular interval
// costs a few bytes per block in all).
void encode_timestamps(std::span<const int64_t> in, std::string* out);
Status decode_timestamps(std::string_view in, std::vector<int64_t>* out);

// Floats, bit-exact (NaN payloads, -0.0, ±Inf, denormals survive).
// The numeric decoders take `want`: only the first `want` values are
// decoded and appended (a reader that needs a prefix of a long segment);
// the checks that need the whole encoding are then skipped.
void encode_floats(std::span<const double> in, std::string* out);
Status decode_floats(std::string_view in, std::vector<double>* out, size_t want = SIZE_MAX);

void encode_integers(std::span<const int64_t> in, std::string* out);
Status decode_integers(std::string_view in, std::vector<int64_t>* out, size_t want = SIZE_MAX);

// Bit-exact over the whole uint64 range.
void encode_unsigned(std::span<const uint64_t> in, std::string* out);
Status decode_unsigned(std::string_view in, std::vector<uint64_t>* out, size_t want = SIZE_MAX);

// Booleans as bytes 0/1 (any non-zero byte encodes as true and decodes as 1).
void encode_booleans(std::span<const uint8_t> in, std::string* out);
Status decode_booleans(std::string_view in, std::vector<uint8_t>* out);

// Strings of any bytes (UTF-8 or not, empty, NUL inside), LZ4 when it pays.
void encode_strings(std::span<const std::string_view> in, std::string* out);
Status decode_strings(std::string_view in, std::vector<std::string>* out);

// The number of values an encoding holds, read from its header alone.
Result<uint32_t> encoded_count(std::string_view in);

// Timestamps at a regular interval, read without decoding them: when the
// encoding `in` holds an ascending arithmetic progression as one (the
// CONST body), true with its count, first value and step (> 0): value i
// is first + i * step. False otherwise (decode_timestamps reads those).
bool timestamps_progression(std::string_view in, size_t* count, int64_t* first, int64_t* step);

// The 8-byte decoders into memory of the caller's instead of a vector (no
// growth, no zero fill first): `out` holds min(want, encoded_count(in))
// values, *got is how many were decoded.
Status decode_timestamps(std::string_view in, int64_t* out, size_t want, size_t* got);
Status decode_floats(std::string_view in, double* out, size_t want, size_t* got);
Status decode_integers(std::string_view in, int64_t* out, size_t want, size_t* got);
Status decode_unsigned(std::string_view in, uint64_t* out, size_t want, size_t* got);

}  // namespace tsd::enc
