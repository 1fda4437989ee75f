#include "query/go_sort.h"

#include <bit>
#include <cstdint>
#include <tuple>
#include <utility>

namespace tsd::query {
namespace {

// One sort of positions [0, n) of `v`; the names follow the steps of
// Go's pdqsort (src/sort/zsortinterface.go).
class GoSort {
 public:
  GoSort(std::vector<size_t>* v, const std::function<bool(size_t, size_t)>& less) : v_(*v), less_(less) {}

  void sort() {
    const int n = static_cast<int>(v_.size());
    if (n <= 1) return;
    pdq(0, n, bit_len(static_cast<uint64_t>(n)));
  }

 private:
  enum class Hint { kUnknown, kIncreasing, kDecreasing };

  static int bit_len(uint64_t x) { return 64 - std::countl_zero(x); }
  bool less(int i, int j) const { return less_(v_[static_cast<size_t>(i)], v_[static_cast<size_t>(j)]); }
  void swap(int i, int j) { std::swap(v_[static_cast<size_t>(i)], v_[static_cast<size_t>(j)]); }

  void insertion(int a, int b) {
    for (int i = a + 1; i < b; i++) {
      for (int j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
    }
  }

  void sift_down(int lo, int hi, int first) {
    int root = lo;
    while (true) {
      int child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less(first + child, first + child + 1)) child++;
      if (!less(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  }

  void heap_sort(int a, int b) {
    const int hi = b - a;
    for (int i = (hi - 1) / 2; i >= 0; i--) sift_down(i, hi, a);
    for (int i = hi - 1; i >= 0; i--) {
      swap(a, a + i);
      sift_down(0, i, a);
    }
  }

  void pdq(int a, int b, int limit) {
    constexpr int kMaxInsertion = 12;
    bool was_balanced = true, was_partitioned = true;
    while (true) {
      const int length = b - a;
      if (length <= kMaxInsertion) {
        insertion(a, b);
        return;
      }
      if (limit == 0) {
        heap_sort(a, b);
        return;
      }
      if (!was_balanced) {
        break_patterns(a, b);
        limit--;
      }
      auto [pivot, hint] = choose_pivot(a, b);
      if (hint == Hint::kDecreasing) {
        reverse_range(a, b);
        pivot = (b - 1) - (pivot - a);
        hint = Hint::kIncreasing;
      }
      if (was_balanced && was_partitioned && hint == Hint::kIncreasing && partial_insertion(a, b)) return;
      // Many equal elements: those equal to the pivot (none is smaller:
      // the one before a is an earlier pivot) go first, then the rest.
      if (a > 0 && !less(a - 1, pivot)) {
        a = partition_equal(a, b, pivot);
        continue;
      }
      auto [mid, already] = partition(a, b, pivot);
      was_partitioned = already;
      const int left = mid - a, right = b - mid, balance = length / 8;
      if (left < right) {
        was_balanced = left >= balance;
        pdq(a, mid, limit);
        a = mid + 1;
      } else {
        was_balanced = right >= balance;
        pdq(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  std::pair<int, bool> partition(int a, int b, int pivot) {
    swap(a, pivot);
    int i = a + 1, j = b - 1;
    while (i <= j && less(i, a)) i++;
    while (i <= j && !less(j, a)) j--;
    if (i > j) {
      swap(j, a);
      return {j, true};
    }
    swap(i, j);
    i++;
    j--;
    while (true) {
      while (i <= j && less(i, a)) i++;
      while (i <= j && !less(j, a)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    swap(j, a);
    return {j, false};
  }

  int partition_equal(int a, int b, int pivot) {
    swap(a, pivot);
    int i = a + 1, j = b - 1;
    while (true) {
      while (i <= j && !less(a, i)) i++;
      while (i <= j && less(a, j)) j--;
      if (i > j) break;
      swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  bool partial_insertion(int a, int b) {
    constexpr int kMaxSteps = 5, kShortestShifting = 50;
    int i = a + 1;
    for (int step = 0; step < kMaxSteps; step++) {
      while (i < b && !less(i, i - 1)) i++;
      if (i == b) return true;
      if (b - a < kShortestShifting) return false;
      swap(i, i - 1);
      if (i - a >= 2) {  // the smaller one to the left (Go's loop runs down to 1, not a + 1)
        for (int j = i - 1; j >= 1; j--) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {  // the greater one to the right
        for (int j = i + 1; j < b; j++) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  }

  void break_patterns(int a, int b) {
    const int length = b - a;
    if (length < 8) return;
    // Go 1.19's xorshift (13, 17, 5), seeded with the length.
    uint64_t r = static_cast<uint64_t>(length);
    const uint64_t modulus = uint64_t{1} << bit_len(static_cast<uint64_t>(length));
    for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
      r ^= r << 13;
      r ^= r >> 17;
      r ^= r << 5;
      int other = static_cast<int>(r & (modulus - 1));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  }

  std::pair<int, Hint> choose_pivot(int a, int b) {
    constexpr int kShortestNinther = 50, kMaxSwaps = 4 * 3;
    const int l = b - a;
    int swaps = 0;
    int i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= kShortestNinther) {
        i = median(i - 1, i, i + 1, &swaps);
        j = median(j - 1, j, j + 1, &swaps);
        k = median(k - 1, k, k + 1, &swaps);
      }
      j = median(i, j, k, &swaps);
    }
    if (swaps == 0) return {j, Hint::kIncreasing};
    if (swaps == kMaxSwaps) return {j, Hint::kDecreasing};
    return {j, Hint::kUnknown};
  }

  // x, y ordered so that element x <= element y.
  std::pair<int, int> order2(int x, int y, int* swaps) {
    if (less(y, x)) {
      ++*swaps;
      return {y, x};
    }
    return {x, y};
  }

  int median(int x, int y, int z, int* swaps) {
    std::tie(x, y) = order2(x, y, swaps);
    std::tie(y, z) = order2(y, z, swaps);
    std::tie(x, y) = order2(x, y, swaps);
    return y;
  }

  void reverse_range(int a, int b) {
    for (int i = a, j = b - 1; i < j; i++, j--) swap(i, j);
  }

  std::vector<size_t>& v_;
  const std::function<bool(size_t, size_t)>& less_;
};

}  // namespace

void go_sort(std::vector<size_t>* v, const std::function<bool(size_t, size_t)>& less) {
  GoSort(v, less).sort();
}

}  // namespace tsd::query
