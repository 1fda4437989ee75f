// Go's sort.Sort, step for step: InfluxDB 1.6.7 as Debian builds it
// (Go 1.19) sorts a window's points by value for mode() and percentile()
// with it. It is not stable, so which of several equal values comes first
// (the time percentile() answers with, the run mode() counts first)
// follows its exact swaps; std::sort's differ.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace tsd::query {

// Sorts `v` as Go 1.19's sort.Sort sorts a slice: pattern-defeating
// quicksort, insertion sort for 12 elements or fewer (stable there), heap
// sort after too many unbalanced partitions. `less(x, y)` compares two
// elements of `v` (not positions), as the slice type's Less method does;
// like Go it may be no strict order (InfluxDB's booleans sort with
// Less(x, y) = !x).
void go_sort(std::vector<size_t>* v, const std::function<bool(size_t, size_t)>& less);

}  // namespace tsd::query
