// Cooperative cancellation of a statement (ExecOptions::cancel): the
// loops that do a statement's work ask a Canceller whether to stop, and
// stop with interrupted() (kInterrupted) when it says so. Internal to
// lib/query; every executor reaches it as ExecContext::stop.
//
// Where to ask: now() once per unit of real work (a series, a shard, a
// block, a measurement); at(i) in hot loops (per point, row or window),
// which loads the flag on one turn in kEvery only, so that the loops keep
// their speed (a load is relaxed: the flag carries no data with it).
#pragma once

#include <atomic>
#include <cstddef>

#include "core/status.h"

namespace tsd::query {

// The error of a statement stopped through ExecOptions::cancel.
inline constexpr const char* kInterrupted = "query interrupted";

class Canceller {
 public:
  static constexpr size_t kEvery = 4096;  // a power of two: at() masks

  Canceller() = default;  // never stops
  // Stops when `flag` or `killed` (KILL QUERY, running.h) is set.
  explicit Canceller(const std::atomic<bool>* flag, const std::atomic<bool>* killed = nullptr)
      : flag_(flag), killed_(killed) {}

  // Whether the statement is to stop.
  bool now() const {
    return (flag_ != nullptr && flag_->load(std::memory_order_relaxed)) ||
           (killed_ != nullptr && killed_->load(std::memory_order_relaxed));
  }
  // now() on turns 0, kEvery, 2 * kEvery ... of a loop; false on the others.
  bool at(size_t turn) const { return (turn & (kEvery - 1)) == 0 && now(); }
  // interrupted() when now(), else OK.
  Status check() const { return now() ? interrupted() : Status(); }

  static Status interrupted() { return Status::cancelled(kInterrupted); }

 private:
  const std::atomic<bool>* flag_ = nullptr;
  const std::atomic<bool>* killed_ = nullptr;
};

}  // namespace tsd::query
