// Go's sort.Sort and container/heap, step for step: InfluxDB 1.6.7 as Debian builds it
// (Go 1.19) sorts a window's points by value for mode() and percentile()
// with it. It is not stable, so which of several equal values comes first
// (the time percentile() answers with, the run mode() counts first)
// follows its exact swaps; std::sort's differ.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace tsd::query {

// Sorts `v` as Go 1.19's sort.Sort sorts a slice: pattern-defeating
// quicksort, insertion sort for 12 elements or fewer (stable there), heap
// sort after too many unbalanced partitions. `less(x, y)` compares two
// elements of `v` (not positions), as the slice type's Less method does;
// like Go it may be no strict order (InfluxDB's booleans sort with
// Less(x, y) = !x).
void go_sort(std::vector<size_t>* v, const std::function<bool(size_t, size_t)>& less);

// Go's container/heap sift operations over v, ordered by less(i, j) on
// positions: up from j (heap.Push), down from i within [0, n) (heap.Pop,
// heap.Fix). InfluxDB's merge iterators and top()/bottom() keep such heaps;
// which of equal items comes first follows these exact swaps.
template <class T, class Less>
void go_sift_up(std::vector<T>& v, size_t j, Less less) {
  while (j > 0) {
    size_t i = (j - 1) / 2;
    if (!less(j, i)) break;
    std::swap(v[i], v[j]);
    j = i;
  }
}

template <class T, class Less>
void go_sift_down(std::vector<T>& v, size_t i, size_t n, Less less) {
  while (true) {
    size_t j1 = 2 * i + 1;
    if (j1 >= n) break;
    size_t j = j1;
    if (j1 + 1 < n && less(j1 + 1, j1)) j = j1 + 1;
    if (!less(j, i)) break;
    std::swap(v[i], v[j]);
    i = j;
  }
}

}  // namespace tsd::query
