// The sorted merge of InfluxDB's iterators (merge.h): a binary heap with
// Go's container/heap operations (init, pop = swap root and last, sift the
// root down, take the last; push = append, sift up), rebuilt here.
#include "query/merge.h"

#include <algorithm>
#include <functional>
#include <memory>

#include "query/go_sort.h"

namespace tsd::query {
namespace {

struct Item {
  int64_t time;
  int32_t seq;
  size_t k;
};

class Heap {
 public:
  Heap(bool desc, const TieLess* tie) : desc_(desc), tie_(tie) {}
  std::vector<Item> items;

  bool less(size_t i, size_t j) const {
    const Item& a = items[i];
    const Item& b = items[j];
    if (a.time != b.time) return desc_ ? a.time > b.time : a.time < b.time;
    return tie_ != nullptr && (*tie_)(a.seq, a.k, b.seq, b.k);
  }
  void up(size_t j) {
    go_sift_up(items, j, [this](size_t a, size_t b) { return less(a, b); });
  }
  void down(size_t i, size_t n) {
    go_sift_down(items, i, n, [this](size_t a, size_t b) { return less(a, b); });
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
  const TieLess* tie_;
};

}  // namespace

std::vector<std::pair<int32_t, size_t>> heap_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, bool desc, const Canceller& stop,
    const TieLess* tie) {
  std::vector<std::pair<int32_t, size_t>> out;
  size_t total = 0;
  Heap h(desc, tie);
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
  while (!h.items.empty() && !stop.at(out.size())) {
    Item it = h.pop();
    out.push_back({it.seq, it.k});
    const auto& t = *times[it.seq];
    if (it.k + 1 < t.size()) h.push({t[it.k + 1], it.seq, it.k + 1});
  }
  return out;
}

std::pair<int, int> heap_first_two(const std::vector<int64_t>& times, bool desc,
                                   const TieLess* tie) {
  Heap h(desc, tie);
  for (size_t i = 0; i < times.size(); i++) h.items.push_back({times[i], static_cast<int32_t>(i), 0});
  if (h.items.empty()) return {-1, -1};
  h.init();
  const Item first = h.pop();
  const bool tied = !h.items.empty() && h.items[0].time == first.time;
  return {first.seq, tied ? h.items[0].seq : -1};
}

std::vector<std::pair<int32_t, size_t>> shard_merge_order(
    const std::vector<const std::vector<int64_t>*>& times, const std::vector<int64_t>& shard_starts,
    bool desc, const Canceller& stop, const TieLess* tie) {
  const size_t n = times.size();
  // The heap's input q: series seq_of(q), its part in one shard, which
  // starts at index off[q].
  auto seq_of = [&](size_t q) { return desc ? n - 1 - q : q; };
  std::vector<std::vector<int64_t>> part(n);
  std::vector<size_t> off(n, 0);
  std::vector<const std::vector<int64_t>*> inputs(n);
  const TieLess local = [&](int32_t qa, size_t ka, int32_t qb, size_t kb) {
    const auto a = static_cast<size_t>(qa), b = static_cast<size_t>(qb);
    return (*tie)(static_cast<int32_t>(seq_of(a)), off[a] + ka, static_cast<int32_t>(seq_of(b)), off[b] + kb);
  };
  std::vector<std::pair<int32_t, size_t>> out;
  const size_t nsh = std::max<size_t>(1, shard_starts.size());
  for (size_t i = 0; i < nsh && !stop.now(); i++) {
    const size_t sh = desc ? nsh - 1 - i : i;
    const bool first = sh == 0, last = sh + 1 >= shard_starts.size();
    for (size_t q = 0; q < n; q++) {
      const std::vector<int64_t>& t = *times[seq_of(q)];
      size_t a, b;
      if (!desc) {  // from the shard's start to the next one's
        a = first ? 0 : static_cast<size_t>(std::lower_bound(t.begin(), t.end(), shard_starts[sh]) - t.begin());
        b = last ? t.size()
                 : static_cast<size_t>(std::lower_bound(t.begin(), t.end(), shard_starts[sh + 1]) - t.begin());
      } else {  // from below the next shard's start down to the shard's
        a = last ? 0
                 : static_cast<size_t>(std::upper_bound(t.begin(), t.end(), shard_starts[sh + 1], std::greater<>()) -
                                       t.begin());
        b = first ? t.size()
                  : static_cast<size_t>(std::upper_bound(t.begin(), t.end(), shard_starts[sh], std::greater<>()) -
                                        t.begin());
      }
      part[q].assign(t.begin() + static_cast<std::ptrdiff_t>(a), t.begin() + static_cast<std::ptrdiff_t>(b));
      off[q] = a;
      inputs[q] = &part[q];
    }
    for (auto [q, k] : heap_merge_order(inputs, desc, stop, tie != nullptr ? &local : nullptr)) {
      const auto qi = static_cast<size_t>(q);
      out.push_back({static_cast<int32_t>(seq_of(qi)), off[qi] + k});
    }
  }
  return out;
}

}  // namespace tsd::query

namespace tsd::query {
namespace {

// An input of a merge: a series' partials, or a merge of inputs.
class Input {
 public:
  virtual ~Input() = default;
  // The next (window, series) without taking it; false at the end.
  virtual bool peek(std::pair<int64_t, int32_t>* p) = 0;
  bool next(std::pair<int64_t, int32_t>* p) {
    if (!peek(p)) return false;
    has_ = false;
    return true;
  }
  void unread(std::pair<int64_t, int32_t> p) {
    buf_ = p;
    has_ = true;
  }

 protected:
  std::pair<int64_t, int32_t> buf_;
  bool has_ = false;
};

class Leaf : public Input {
 public:
  Leaf(const std::vector<int64_t>* w, int32_t s) : w_(w), s_(s) {}
  bool peek(std::pair<int64_t, int32_t>* p) override {
    if (!has_) {
      if (at_ >= w_->size()) return false;
      buf_ = {(*w_)[at_++], s_};
      has_ = true;
    }
    *p = buf_;
    return true;
  }

 private:
  const std::vector<int64_t>* w_;
  int32_t s_;
  size_t at_ = 0;
};

// InfluxDB's MergeIterator: a heap of inputs keyed by the window of their
// next point; the popped input is read while it stays in that window.
class WindowMerge : public Input {
 public:
  explicit WindowMerge(std::vector<Input*> in) : items_(std::move(in)) {}
  bool peek(std::pair<int64_t, int32_t>* p) override {
    if (!has_) {
      if (!advance(&buf_)) return false;
      has_ = true;
    }
    *p = buf_;
    return true;
  }

 private:
  int64_t key(size_t i) {
    std::pair<int64_t, int32_t> p;
    items_[i]->peek(&p);
    return p.first;
  }
  bool less(size_t i, size_t j) { return key(i) < key(j); }
  void down(size_t i, size_t n) {
    go_sift_down(items_, i, n, [this](size_t a, size_t b) { return less(a, b); });
  }
  void up(size_t j) {
    go_sift_up(items_, j, [this](size_t a, size_t b) { return less(a, b); });
  }
  bool advance(std::pair<int64_t, int32_t>* out) {
    if (!init_) {
      std::vector<Input*> live;
      std::pair<int64_t, int32_t> p;
      for (Input* in : items_) {
        if (in->peek(&p)) live.push_back(in);
      }
      items_ = std::move(live);
      for (size_t i = items_.size() / 2; i-- > 0;) down(i, items_.size());
      init_ = true;
    }
    while (true) {
      if (curr_ == nullptr) {
        if (items_.empty()) return false;
        size_t n = items_.size() - 1;
        std::swap(items_[0], items_[n]);
        down(0, n);
        curr_ = items_.back();
        items_.pop_back();
        if (!curr_->next(out)) {
          curr_ = nullptr;
          continue;
        }
        window_ = out->first;
        return true;
      }
      if (!curr_->next(out)) {
        curr_ = nullptr;
        continue;
      }
      if (out->first != window_) {
        curr_->unread(*out);
        items_.push_back(curr_);
        up(items_.size() - 1);
        curr_ = nullptr;
        continue;
      }
      return true;
    }
  }

  std::vector<Input*> items_;
  Input* curr_ = nullptr;
  int64_t window_ = 0;
  bool init_ = false;
};

// Ascending windows as a merge keyed the other way wants them: last
// first, negated (the ascending merge then takes the last first).
std::vector<int64_t> last_first(const std::vector<int64_t>& w) {
  std::vector<int64_t> out(w.rbegin(), w.rend());
  for (int64_t& x : out) x = -x;
  return out;
}

}  // namespace

std::vector<std::pair<int64_t, int32_t>> parallel_merge_order(
    const std::vector<std::vector<std::vector<int64_t>>>& windows, const Canceller& stop,
    int parallelism, const Presence* present) {
  std::vector<std::unique_ptr<Input>> keep;
  std::vector<Input*> shard_tops;
  for (size_t sh = 0; sh < windows.size(); sh++) {
    // The shard's series (in key order) and, for those with points, an
    // input (a series without any gives none: the merge drops it).
    std::vector<Input*> leaves;
    const int32_t base = static_cast<int32_t>(sh * windows[sh].size());
    for (size_t s = 0; s < windows[sh].size(); s++) {
      const bool empty = windows[sh][s].empty();
      if (empty && (present == nullptr || !(*present)[sh][s])) continue;
      if (empty) {
        leaves.push_back(nullptr);
        continue;
      }
      keep.push_back(std::make_unique<Leaf>(&windows[sh][s], base + static_cast<int32_t>(s)));
      leaves.push_back(keep.back().get());
    }
    const auto live = std::count_if(leaves.begin(), leaves.end(), [](Input* in) { return in != nullptr; });
    if (live == 0) continue;
    if (live == 1) {
      shard_tops.push_back(*std::find_if(leaves.begin(), leaves.end(), [](Input* in) { return in != nullptr; }));
      continue;
    }
    size_t par = std::min<size_t>(static_cast<size_t>(parallelism), leaves.size());
    size_t n = leaves.size() / par;
    std::vector<Input*> runs;
    for (size_t i = 0; i < par; i++) {
      size_t from = i * n, to = i + 1 < par ? (i + 1) * n : leaves.size();
      std::vector<Input*> run;
      for (size_t q = from; q < to; q++) {
        if (leaves[q] != nullptr) run.push_back(leaves[q]);
      }
      keep.push_back(std::make_unique<WindowMerge>(std::move(run)));
      runs.push_back(keep.back().get());
    }
    keep.push_back(std::make_unique<WindowMerge>(runs));
    shard_tops.push_back(keep.back().get());
  }
  std::vector<std::pair<int64_t, int32_t>> out;
  if (shard_tops.empty()) return out;
  Input* top = shard_tops[0];
  if (shard_tops.size() > 1) {
    keep.push_back(std::make_unique<WindowMerge>(shard_tops));
    top = keep.back().get();
  }
  std::pair<int64_t, int32_t> p;
  while (!stop.at(out.size()) && top->next(&p)) out.push_back(p);
  return out;
}

std::vector<std::pair<int64_t, int32_t>> parallel_merge_order_desc(
    const std::vector<std::vector<std::vector<int64_t>>>& windows, const Canceller& stop,
    int parallelism, const Presence* present) {
  // Series q of the reversed tag set is series n - 1 - q; window w is
  // keyed -w, so the ascending merge takes the last first.
  const size_t nsh = windows.size(), n = nsh == 0 ? 0 : windows[0].size();
  if (n == 0) return {};
  std::vector<std::vector<std::vector<int64_t>>> rev(nsh, std::vector<std::vector<int64_t>>(n));
  Presence rev_present;
  if (present != nullptr) rev_present.assign(nsh, std::vector<bool>(n));
  for (size_t sh = 0; sh < nsh; sh++) {
    for (size_t q = 0; q < n; q++) {
      rev[sh][q] = last_first(windows[sh][n - 1 - q]);
      if (present != nullptr) rev_present[sh][q] = (*present)[sh][n - 1 - q];
    }
  }
  auto out = parallel_merge_order(rev, stop, parallelism, present != nullptr ? &rev_present : nullptr);
  for (auto& [w, key] : out) {
    w = -w;
    const auto k = static_cast<size_t>(key);
    key = static_cast<int32_t>((k / n) * n + (n - 1 - k % n));
  }
  return out;
}

std::vector<std::pair<int64_t, int32_t>> window_merge_order(
    const std::vector<std::vector<int64_t>>& windows, bool desc, const Canceller& stop) {
  std::vector<std::vector<int64_t>> negated;
  if (desc) {
    for (const auto& w : windows) negated.push_back(last_first(w));
  }
  const auto& keyed = desc ? negated : windows;
  std::vector<std::unique_ptr<Input>> keep;
  std::vector<Input*> leaves;
  for (size_t i = 0; i < keyed.size(); i++) {
    keep.push_back(std::make_unique<Leaf>(&keyed[i], static_cast<int32_t>(i)));
    leaves.push_back(keep.back().get());
  }
  WindowMerge top(std::move(leaves));
  std::vector<std::pair<int64_t, int32_t>> out;
  std::pair<int64_t, int32_t> p;
  while (!stop.at(out.size()) && top.next(&p)) out.emplace_back(desc ? -p.first : p.first, p.second);
  return out;
}

std::vector<MergeStep> reducer_order(const std::vector<std::vector<std::vector<int64_t>>>& windows,
                                     bool desc, const Canceller& stop, const Presence* present) {
  const size_t n = windows.empty() ? 0 : windows[0].size();
  // Each input's windows come in order: first first, or last first.
  std::vector<size_t> taken(windows.size() * n, 0);
  std::vector<MergeStep> out;
  for (auto [w, key] : desc ? parallel_merge_order_desc(windows, stop, 2, present)
                            : parallel_merge_order(windows, stop, 2, present)) {
    const auto q = static_cast<size_t>(key);
    const size_t size = windows[q / n][q % n].size();
    const size_t i = taken[q]++;
    out.push_back({w, key, desc ? size - 1 - i : i});
  }
  return out;
}

}  // namespace tsd::query
