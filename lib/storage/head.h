// Head rows: the recent points of one series, one row per flush.
//
// A live writer flushes every second, a point or a few per column. Stored
// as blocks, that is one SQLite row per (series, field) per second; stored
// as head rows it is one row per series per flush, whatever the number of
// fields. A head row lives in the blocks table with field = 0 (field ids
// start at 1) and holds every field of its series for one flush. Promotion
// (shard_head.cc) turns a series' head rows into column blocks once they
// hold enough points, and deletes them.
//
// Rows of one writer form a chain: each row names the row before it (its
// base) and stores its times and values as differences from the chain's
// last ones, so a counter that moved by 3 costs a byte and a value that
// did not move costs two bits. A row without a base starts a chain. Rows of
// several writers (several chains) may interleave; a reader decodes every
// head row of a series in id order, following each chain.
//
// Row layout (byte format also in man/tsd-data.5):
//   u8      'H' (version)
//   uvarint base row id (0: a new chain: last values 0, last time 0, no fields)
//   uvarint n_new, then n_new x (uvarint field id, u8 FieldType): fields
//           appended to the chain's field set (the set only grows)
//   uvarint n_times; zigzag varint (t[0] - chain's last time);
//           uvarint (t[k] - t[k-1]) for k >= 1 (ascending, unique)
//   modes:  2 bits per field of the set, least significant first:
//           0 absent, 1 a value at every time, 2 at every time and all
//           equal to the chain's last value (nothing stored), 3 a bitmap
//           of n_times bits (which times) then the values
//   values: per present field in set order, per value: integer and
//           unsigned zigzag varint of (v - last), float uvarint of
//           (bits XOR last bits), boolean one byte, string uvarint length
//           and bytes; `last` is the field's previous value in the chain.
//
// Invariant kept by the shard (shard_head.cc): every head row of a series
// is newer than every block of that series, so on equal times head values
// win over blocks; among head rows the higher id wins.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.h"
#include "core/status.h"
#include "storage/block.h"

namespace tsd::storage {

inline constexpr uint8_t kHeadVersion = 'H';
// The field id of head rows in the blocks table.
inline constexpr int64_t kHeadField = 0;

struct HeadField {
  int64_t id = 0;
  FieldType type = FieldType::kFloat;
};

// What a chain carries from one row to the next (the writer's side).
struct HeadChain {
  int64_t base = 0;  // the chain's last row (0: none yet)
  int64_t last_time = 0;
  std::vector<HeadField> fields;
  std::vector<uint64_t> last;  // per field: the last value's bits
  void reset() { *this = HeadChain(); }
};

// Encodes one row continuing `chain` (updated to the state after it; the
// caller sets chain->base to the row's id once stored). `add` fields are
// appended to the chain's set first. cols[k] holds the points of the
// chain's field k for this flush (ascending unique times, the field's
// type) or is null / empty. Every column must have a field in the set.
void encode_head_row(HeadChain* chain, const std::vector<HeadField>& add,
                     const std::vector<const Column*>& cols, std::string* out);

struct HeadRowRef {
  int64_t id = 0;
  std::string_view data;
};

// Decodes the head rows of one series, in ascending id order, a call at a
// time: a reader keeps one per series and decodes only the rows added
// since (each chain's last values are kept). columns() holds each field's
// points by field id, sorted with sort_dedup (the newest row wins on equal
// times). Damage is corruption "damaged head row N: ...: at byte B".
class HeadDecoder {
 public:
  Status add(const std::vector<HeadRowRef>& rows);
  std::map<int64_t, Column>& columns() { return cols_; }

 private:
  struct State {
    int64_t last_time = 0;
    std::vector<HeadField> fields;
    std::vector<uint64_t> last;
  };
  std::unordered_map<int64_t, State> chains_;  // open chains by last row id
  std::map<int64_t, Column> cols_;
  std::vector<int64_t> times_;
};

// Decodes the head rows of one series (ascending id) and appends each
// field's points to (*out)[field id], in row order; then sorts each column
// with sort_dedup, so the newest row wins on equal times. Damage is
// corruption "damaged head row N: ...: at byte B".
Status decode_head_rows(const std::vector<HeadRowRef>& rows, std::map<int64_t, Column>* out);

}  // namespace tsd::storage
