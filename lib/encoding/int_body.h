// Internal: the integer body shared by integer, unsigned, timestamp and
// float encodings (see int_body.cc for the byte format). Pure functions:
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "encoding/codec_util.h"

namespace tsd::enc::detail {

// The body's first byte: its mode in the low two bits, the decimal scale
// k (values stored divided by 10^k) above them.
enum Mode : uint8_t { kConst = 0, kRuns = 1, kPacked = 2, kEntropy = 3 };
constexpr unsigned kMaxScaleK = 18;
constexpr int64_t kPow10[kMaxScaleK + 1] = {1,
                                            10,
                                            100,
                                            1000,
                                            10000,
                                            100000,
                                            1000000,
                                            10000000,
                                            100000000,
                                            1000000000,
                                            10000000000,
                                            100000000000,
                                            1000000000000,
                                            10000000000000,
                                            100000000000000,
                                            1000000000000000,
                                            10000000000000000,
                                            100000000000000000,
                                            1000000000000000000};

// Appends the body of v[0..n), n >= 1.
void encode_int_body(const int64_t* v, size_t n, std::string* out);

// Decodes n >= 1 values into out[0..n) from the rest of r, which must be
// consumed exactly; corruption otherwise. With want < n (>= 1), only the
// first `want` values, into out[0..want): decoding stops there, and the
// checks that need the whole body (its length, the stream's end) are not
// made.
Status decode_int_body(Reader& r, size_t n, int64_t* out, size_t want = SIZE_MAX);
// The same, each value's bits stored as a double (float bit patterns).
Status decode_int_body(Reader& r, size_t n, double* out, size_t want = SIZE_MAX);

// When the body of n >= 1 values in the rest of r holds an arithmetic
// progression as one (the CONST mode: a regular interval), value i being
// first + i * step (wrapping, as decoding sums), and nothing follows it:
// true with *first and *step. False for any other body, damaged ones too
// (decode_int_body says what is wrong). r is consumed either way.
bool int_body_progression(Reader& r, size_t n, uint64_t* first, uint64_t* step);

}  // namespace tsd::enc::detail
