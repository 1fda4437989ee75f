// Column codecs: pure functions from a column of values to bytes and back.
//
// Each encode_* appends a self-describing encoding (it carries its own
// count and codec choice) to *out; each decode_* appends the values to
// *out and returns corruption("...: at byte N") on damaged input, never
// reading past `in`. No I/O, no shared state: thread-safe.
// The byte formats are documented in man/tsd-data.5.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tsd::enc {

// Timestamps, any order (sorted input compresses best; a regular interval
// costs a few bytes per block in all).
void encode_timestamps(std::span<const int64_t> in, std::string* out);
Status decode_timestamps(std::string_view in, std::vector<int64_t>* out);

// Floats, bit-exact (NaN payloads, -0.0, ±Inf survive).
void encode_floats(std::span<const double> in, std::string* out);
Status decode_floats(std::string_view in, std::vector<double>* out);

void encode_integers(std::span<const int64_t> in, std::string* out);
Status decode_integers(std::string_view in, std::vector<int64_t>* out);

void encode_unsigned(std::span<const uint64_t> in, std::string* out);
Status decode_unsigned(std::string_view in, std::vector<uint64_t>* out);

// Booleans as bytes 0/1.
void encode_booleans(std::span<const uint8_t> in, std::string* out);
Status decode_booleans(std::string_view in, std::vector<uint8_t>* out);

void encode_strings(std::span<const std::string_view> in, std::string* out);
Status decode_strings(std::string_view in, std::vector<std::string>* out);

// The number of values an encoding holds, read from its header alone.
Result<uint32_t> encoded_count(std::string_view in);

}  // namespace tsd::enc
