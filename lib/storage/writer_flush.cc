// Writer, the ingest thread's side of batches: handing chunks and batches
// to the store thread, waiting for it, closing.
#include <algorithm>

#include "storage/writer.h"
#include "storage/writer_internal.h"

namespace tsd::storage {
namespace {

// The ingest thread waits while this many bytes of values wait in the queue.
constexpr int64_t kMaxQueuedBytes = 16 << 20;
// Shard files kept open: a long import crosses many shard groups.
constexpr size_t kOpenShards = 8;

}  // namespace

bool Writer::should_flush() const {
  if (pending_points_ >= opts_.batch_size || batch_bytes_ >= opts_.memory_budget) return true;
  // The bytes really held, this batch's and those of one being stored,
  // bound memory where the count above is wrong (integers that do not
  // compress).
  int64_t held = memory_ + store_->store_bytes.load(std::memory_order_relaxed);
  return held >= 3 * opts_.memory_budget;
}

WriterStats Writer::stats() const {
  WriterStats s;
  s.points = store_->points.load();
  s.values = store_->values.load();
  s.flushes = store_->flushes.load();
  s.points_dropped = store_->dropped.load();
  s.points_beyond_retention = beyond_retention_;
  return s;
}

std::vector<std::string> Writer::take_warnings() {
  std::lock_guard<std::mutex> lock(store_->mu);
  return std::move(store_->warnings);
}

Writer::Job Writer::take_records() {
  Job job;
  job.recs = std::move(recs_);
  job.strs = std::move(strs_);
  job.bytes = memory_;
  recs_.clear();
  strs_.clear();
  memory_ = 0;
  return job;
}

void Writer::submit_records() {
  Job job = take_records();
  recs_.reserve(job.recs.size());
  (void)submit(std::move(job), false);  // an error shows at the next add/flush
}

Status Writer::submit(Job job, bool wait_flushes) {
  StoreThread& st = *store_;
  std::unique_lock<std::mutex> lock(st.mu);
  if (wait_flushes) {
    st.cv.wait(lock, [&] { return st.flushes_done == st.flushes_asked; });
    st.flushes_asked++;
  }
  if (!job.stop) {
    st.cv.wait(lock, [&] { return st.queued_bytes <= kMaxQueuedBytes || st.failed; });
  }
  st.queued_bytes += job.bytes;
  st.queue.push_back(std::move(job));
  st.cv.notify_all();
  return st.error;
}

Status Writer::wait_idle() {
  StoreThread& st = *store_;
  std::unique_lock<std::mutex> lock(st.mu);
  st.cv.wait(lock, [&] { return st.queue.empty() && st.flushes_done == st.flushes_asked; });
  return st.error;
}

Status Writer::flush_async() {
  if (pending_points_ == 0) {
    std::lock_guard<std::mutex> lock(store_->mu);
    return store_->error;
  }
  Job job = take_records();
  job.flush = true;
  for (ShardSeries* ss : batch_) {
    for (auto& c : ss->columns) job.columns.push_back(c.get());
    for (auto& slot : ss->slots) slot.batch_points = 0;
  }
  batch_bytes_ = 0;
  batch_.clear();
  job.points = pending_points_;
  job.values = pending_values_;
  pending_points_ = pending_values_ = 0;
  // Shards this batch did not touch are finished and closed once over
  // the limit; their series forget them.
  if (shards_.size() > kOpenShards) {
    for (size_t k = 0; k < shards_.size() && shards_.size() > kOpenShards;) {
      ShardState* s = shards_[k].get();
      if (s->last_batch == batch_no_) {
        k++;
        continue;
      }
      for (auto& ss : s->series) {
        auto& v = ss->entry->shards;
        v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& p) { return p.first == s; }),
                v.end());
        ss->entry->set_current();
      }
      job.retire.push_back(std::move(shards_[k]));
      shards_.erase(shards_.begin() + k);
    }
  }
  batch_no_++;
  return submit(std::move(job), true);
}

int64_t Writer::flush_ticket() const {
  std::lock_guard<std::mutex> lock(store_->mu);
  return store_->flushes_asked;
}

Status Writer::wait_flushed(int64_t ticket) const {
  StoreThread& st = *store_;
  std::unique_lock<std::mutex> lock(st.mu);
  st.cv.wait(lock, [&] { return st.flushes_done >= ticket || st.failed; });
  return st.error;
}

Status Writer::flush() {
  TSD_RETURN_IF_ERROR(flush_async());
  return wait_idle();
}

Status Writer::close() {
  if (closed_) return Status();
  closed_ = true;
  Status s = flush();
  Job stop;
  stop.stop = true;
  (void)submit(std::move(stop), false);
  store_->thread.join();
  if (!s.ok()) return s;
  // The store thread is gone: its shards are this thread's again.
  for (auto& sh : shards_) TSD_RETURN_IF_ERROR(finish_shard(sh.get()));
  return Status();
}

}  // namespace tsd::storage
