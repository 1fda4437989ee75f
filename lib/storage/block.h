// Blocks: the compressed columns of one (series, field) stored in a shard.
//
// A block BLOB is a version byte (1), the field type byte (FieldType), then
// one or more segments, each `uvarint n_ts, timestamps (enc::encode_timestamps),
// uvarint n_vals, values (enc::encode_<type>)` (n_* in bytes). Inside a
// block times are strictly ascending (no duplicate); blocks may overlap
// each other, and then the newer block (higher id) wins on equal times.
// Byte layout in man/tsd-data.5. Pure functions; Column is a value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.h"
#include "core/status.h"

namespace tsd::storage {

// Times and values of one field, in parallel arrays; only the vector of
// `type` is used.
struct Column {
  FieldType type = FieldType::kFloat;
  std::vector<int64_t> times;
  std::vector<double> f;
  std::vector<int64_t> i;
  std::vector<uint64_t> u;
  std::vector<uint8_t> b;
  std::vector<std::string> s;

  size_t size() const { return times.size(); }
  bool empty() const { return times.empty(); }
  void clear();
  // Room for n points (times and the values of its type).
  void reserve(size_t n);
  // Appends point k of `o` (same type).
  void push_from(const Column& o, size_t k);
  // Appends every point of `o` (same type).
  void append(const Column& o);
  // Appends points [from, to) of `o` (same type).
  void append_range(const Column& o, size_t from, size_t to);
  // The value of point k as a Value.
  Value value(size_t k) const;
  // Appends a Value of this column's type (others are ignored).
  void push(int64_t t, const Value& v);
  // Keeps points [from, to) only.
  void keep_range(size_t from, size_t to);
};

inline constexpr uint8_t kBlockVersion = 1;

// Starts a block blob of `type` in *out (cleared): kBlockHeaderBytes.
inline constexpr size_t kBlockHeaderBytes = 2;
void begin_block(FieldType type, std::string* out);
// Appends one segment holding c's points [begin, end) (ascending times).
void append_segment(const Column& c, size_t begin, size_t end, std::string* out);
// Appends the segments of `other` (a whole blob of the same type) to *out.
Status append_block_segments(std::string_view other, std::string* out);

// A block ready to store: its header fields and BLOB.
struct EncodedBlock {
  int64_t field = 0;  // for whoever needs to say whose it is
  int64_t min_time = 0, max_time = 0, count = 0;
  std::string blob;
};
// The most points a segment that encode_blocks writes holds: a reader
// decodes a whole segment to get any of its points (last() the last
// segment, a time range the segments it overlaps), so a long block is cut
// into segments of this many points, the rest in the last one. Each
// segment has its own headers and table (about 30 bytes: 1.2% of a day of
// integers at 10 s, 0.1% of floats).
inline constexpr size_t kMaxSegmentPoints = 8192;

// Encodes column c (ascending unique times) as blocks of at most
// max_points points, each of segments of at most kMaxSegmentPoints,
// appended to *out with `field`.
void encode_blocks(const Column& c, size_t max_points, int64_t field,
                   std::vector<EncodedBlock>* out);

// Decodes a block, appending its points to *out (whose type it sets).
// Damage (bad version, lengths past the end, codec errors, counts that
// differ, times not ascending) is corruption "...: at byte N". With
// `ordered` false, only each segment must be ascending (the writer's
// buffers of out-of-order input).
Status decode_block(std::string_view blob, Column* out, bool ordered = true);

// Decodes the points of a block in [start, end] only: segments outside
// the range have their timestamps decoded (to count them) but not their
// values. *total gets the block's point count and *first/*last its first
// and last times (for the header checks).
Status decode_block_range(std::string_view blob, int64_t start, int64_t end, Column* out,
                          int64_t* total, int64_t* first, int64_t* last);

// The first (or last) point alone of a block whose points are in time
// order and unique, as writers and compaction store them: `time` is its
// time (the header's min or max time), and of the values only those of
// the first segment up to its first (of the last segment) are decoded.
// *out gets that one point (nothing when the segment has no values).
Status decode_block_edge_point(std::string_view blob, bool last, int64_t time, Column* out);

// Sorts by time; of equal times the one appended last is kept (last write
// wins). Cheap when already strictly ascending.
void sort_dedup(Column* c);

}  // namespace tsd::storage
