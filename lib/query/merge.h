// The order in which InfluxDB 1.6 interleaves the points of several series
// that share a time: its sorted merge iterator keeps one item per series in
// a binary heap (Go's container/heap) ordered by time alone, so points at
// equal times come out in the order that heap's sift-up and sift-down give,
// not in series order. Rows of a raw query over several series follow it;
// matching it makes equal-time rows come out as InfluxDB's do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <memory>
#include <vector>

#include "query/cancel.h"

namespace tsd::query {

// Merges sequences of times (each ascending, or descending when `desc`)
// and returns (sequence, index) pairs in the merged order. Both merges
// here stop early when `stop` says so (the order is then partial: the
// caller checks `stop`). `tie`, when given, is the heap's Less for two
// items of equal time (sequence, index, sequence, index): InfluxDB's
// compares the points' auxiliary values (tie_on_aux in exec_select.cc).
using TieLess = std::function<bool(int32_t, size_t, int32_t, size_t)>;
std::vector<std::pair<int32_t, size_t>> heap_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, bool desc,
    const Canceller& stop = Canceller(), const TieLess* tie = nullptr);

// heap_merge_order shard by shard, as InfluxDB merges the series of each
// shard in a heap of their own (a series without points in a shard is
// not in its heap) and then the shards, whose times do not overlap, in
// time order. `shard_starts` (sorted) split the times. With `desc` the
// times are descending, the last shard comes first and each shard's heap
// takes the series in reverse order (InfluxDB reverses a tag set's series
// for ORDER BY time DESC). `tie` and the result speak of `times`'
// (sequence, index).
std::vector<std::pair<int32_t, size_t>> shard_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, const std::vector<int64_t>& shard_starts,
    bool desc, const Canceller& stop = Canceller(), const TieLess* tie = nullptr);

// The first point InfluxDB's sorted merge heap gives of inputs whose
// first points have the times `times` (in the inputs' order), and the
// second when it has the same time (else -1): indexes into `times`. (The
// second is the root once the first is popped: the first's input's next
// point, pushed then, is later and cannot rise above an equal-time root.)
std::pair<int, int> heap_first_two(const std::vector<int64_t>& times, bool desc,
                                   const TieLess* tie = nullptr);

}  // namespace tsd::query

namespace tsd::query {

// The order in which InfluxDB 1.6 combines the per-series partial results
// of an aggregate (mean, sum) in a shard: each series' call iterator
// yields one partial per window it has points in; NewParallelMergeIterator
// splits the series (in key order) into `parallelism` runs (GOMAXPROCS:
// 2 on the machines tsd is measured on), merges each run and then the runs
// with its window-by-window merge iterator (a Go heap keyed by window; the
// current input is drained while its points stay in the window).
// The shards' merges are merged again, window by window, in shard order.
// `windows[sh][s]` lists the windows (ascending) series s has partials in
// in shard sh; returns (window, sh * series count + s) in the order the
// reducer receives them. The runs split the series of the shard's index
// (its tag set), with points in range or not: `present[sh][s]` says
// whether series s is in shard sh (null: those with windows).
using Presence = std::vector<std::vector<bool>>;
std::vector<std::pair<int64_t, int32_t>> parallel_merge_order(
    const std::vector<std::vector<std::vector<int64_t>>>& windows,
    const Canceller& stop = Canceller(), int parallelism = 2, const Presence* present = nullptr);

// The same in descending order (ORDER BY time DESC): influxd reverses a
// tag set's series and merges the windows last first. `windows[sh][s]`
// still ascending (every shard with as many series); the result comes
// last window first.
std::vector<std::pair<int64_t, int32_t>> parallel_merge_order_desc(
    const std::vector<std::vector<std::vector<int64_t>>>& windows,
    const Canceller& stop = Canceller(), int parallelism = 2, const Presence* present = nullptr);

// One partial as the reducer receives it: its window, its input
// (sh * series count + s) and its place k among that input's windows
// (windows[sh][s][k]).
// The order in which InfluxDB's merge iterator (a Go heap keyed by window)
// hands a reducer the points of inputs that hold one point per window:
// `windows[i]` lists input i's windows, ascending; returns (window, i).
// With `desc` the windows come last first (the heap compares the other
// way). How a call over several shards combines the shards' partials.
std::vector<std::pair<int64_t, int32_t>> window_merge_order(
    const std::vector<std::vector<int64_t>>& windows, bool desc,
    const Canceller& stop = Canceller());

struct MergeStep {
  int64_t window;
  int32_t key;
  size_t k;
};
// parallel_merge_order, or parallel_merge_order_desc when `desc`, with
// each partial's place among its input's.
std::vector<MergeStep> reducer_order(const std::vector<std::vector<std::vector<int64_t>>>& windows,
                                     bool desc, const Canceller& stop = Canceller(),
                                     const Presence* present = nullptr);

}  // namespace tsd::query
