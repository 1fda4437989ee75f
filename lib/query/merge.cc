// The sorted merge of InfluxDB's iterators (merge.h): a binary heap with
// Go's container/heap operations (init, pop = swap root and last, sift the
// root down, take the last; push = append, sift up), rebuilt here.
#include "query/merge.h"

namespace tsd::query {
namespace {

struct Item {
  int64_t time;
  int32_t seq;
  size_t k;
};

class Heap {
 public:
  explicit Heap(bool desc) : desc_(desc) {}
  std::vector<Item> items;

  bool less(size_t i, size_t j) const {
    return desc_ ? items[i].time > items[j].time : items[i].time < items[j].time;
  }
  void up(size_t j) {
    while (j > 0) {
      size_t i = (j - 1) / 2;
      if (!less(j, i)) break;
      std::swap(items[i], items[j]);
      j = i;
    }
  }
  void down(size_t i, size_t n) {
    while (true) {
      size_t j1 = 2 * i + 1;
      if (j1 >= n) break;
      size_t j = j1;
      if (j1 + 1 < n && less(j1 + 1, j1)) j = j1 + 1;
      if (!less(j, i)) break;
      std::swap(items[i], items[j]);
      i = j;
    }
  }
  void init() {
    size_t n = items.size();
    for (size_t i = n / 2; i-- > 0;) down(i, n);
  }
  Item pop() {
    size_t n = items.size() - 1;
    std::swap(items[0], items[n]);
    down(0, n);
    Item it = items.back();
    items.pop_back();
    return it;
  }
  void push(Item it) {
    items.push_back(it);
    up(items.size() - 1);
  }

 private:
  bool desc_;
};

}  // namespace

std::vector<std::pair<int32_t, size_t>> heap_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, bool desc) {
  std::vector<std::pair<int32_t, size_t>> out;
  size_t total = 0;
  Heap h(desc);
  for (size_t s = 0; s < times.size(); s++) {
    total += times[s]->size();
    if (!times[s]->empty()) h.items.push_back({(*times[s])[0], static_cast<int32_t>(s), 0});
  }
  out.reserve(total);
  if (times.size() == 1) {
    for (size_t k = 0; k < total; k++) out.push_back({0, k});
    return out;
  }
  h.init();
  while (!h.items.empty()) {
    Item it = h.pop();
    out.push_back({it.seq, it.k});
    const auto& t = *times[it.seq];
    if (it.k + 1 < t.size()) h.push({t[it.k + 1], it.seq, it.k + 1});
  }
  return out;
}

}  // namespace tsd::query
