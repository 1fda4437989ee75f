// The order in which InfluxDB 1.6 interleaves the points of several series
// that share a time: its sorted merge iterator keeps one item per series in
// a binary heap (Go's container/heap) ordered by time alone, so points at
// equal times come out in the order that heap's sift-up and sift-down give,
// not in series order. Rows of a raw query over several series follow it;
// matching it makes equal-time rows come out as InfluxDB's do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tsd::query {

// Merges sequences of times (each ascending, or descending when `desc`)
// and returns (sequence, index) pairs in the merged order.
std::vector<std::pair<int32_t, size_t>> heap_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, bool desc);

}  // namespace tsd::query
