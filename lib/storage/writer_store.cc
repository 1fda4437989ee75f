// Writer, the store thread's side: encoding chunks, storing batches (one
// transaction per shard), periodic compaction, finishing shards.
#include <algorithm>

#include "storage/writer.h"
#include "storage/writer_internal.h"

namespace tsd::storage {
namespace {

// Compact the columns a writer stored every this many flushes of a shard
// (a long-running pipe makes one small block per column per flush).
constexpr int64_t kFlushesPerCompaction = 64;

// Gives the memory of a vector or string back (clear() keeps it).
template <class T>
void release(T* v) {
  T().swap(*v);
}

}  // namespace

void Writer::store_loop() {
  StoreThread& st = *store_;
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(st.mu);
      st.cv.wait(lock, [&] { return !st.queue.empty(); });
      job = std::move(st.queue.front());
      st.queue.pop_front();
    }
    if (job.stop) return;
    Status s;
    if (!st.failed.load()) s = store_job(&job);
    job.recs.clear();
    job.retire.clear();  // closes their files
    {
      std::lock_guard<std::mutex> lock(st.mu);
      st.queued_bytes -= job.bytes;
      if (job.flush) st.flushes_done++;
      if (!s.ok() && st.error.ok()) {
        st.error = s;
        st.failed = true;
      }
    }
    st.cv.notify_all();
  }
}

void Writer::encode_chunk(ColumnBuf* c) {
  Column* r = &c->raw;
  if (r->empty()) return;
  int64_t raw_bytes = static_cast<int64_t>(r->size()) * 16;
  sort_dedup(r);
  size_t before = c->segments.size();
  if (c->seg_points == 0) {
    c->seg_min = r->times.front();
    c->seg_max = r->times.back();
    c->seg_ordered = true;
  } else {
    if (r->times.front() <= c->seg_max) c->seg_ordered = false;
    c->seg_min = std::min(c->seg_min, r->times.front());
    c->seg_max = std::max(c->seg_max, r->times.back());
  }
  append_segment(*r, 0, r->size(), &c->segments);
  c->seg_points += static_cast<int64_t>(r->size());
  c->seg_count++;
  store_->store_bytes += static_cast<int64_t>(c->segments.size() - before) - raw_bytes;
  r->clear();
}

Status Writer::store_job(Job* job) {
  // Scatter the values into their columns, encoding each full chunk.
  int64_t added = 0;
  for (const Rec& rec : job->recs) {
    ColumnBuf* c = rec.col;
    Column& r = c->raw;
    r.times.push_back(rec.time);
    switch (c->type) {
      case FieldType::kFloat: r.f.push_back(rec.f); break;
      case FieldType::kInteger: r.i.push_back(rec.i); break;
      case FieldType::kUnsigned: r.u.push_back(rec.u); break;
      case FieldType::kBoolean: r.b.push_back(static_cast<uint8_t>(rec.i)); break;
      case FieldType::kString: r.s.push_back(std::move(job->strs[rec.i])); break;
    }
    added += 16;
    if (r.size() >= kSegmentPoints) {
      store_->store_bytes += added;
      added = 0;
      encode_chunk(c);
    }
  }
  store_->store_bytes += added;
  if (job->flush) {
    for (ColumnBuf* c : job->columns) encode_chunk(c);
    // The batch's columns by shard, in the order shards were first used.
    std::vector<ShardState*> order;
    for (ColumnBuf* c : job->columns) {
      ShardState* s = c->series->shard;
      if (std::find(order.begin(), order.end(), s) == order.end()) order.push_back(s);
    }
    for (ShardState* s : order) {
      std::vector<ColumnBuf*> cols;
      for (ColumnBuf* c : job->columns) {
        if (c->series->shard == s) cols.push_back(c);
      }
      TSD_RETURN_IF_ERROR(store_shard(s, cols));
    }
    store_->points += job->points;
    store_->values += job->values;
    store_->flushes++;
    for (ShardState* s : order) {
      if (++s->flushes_since_compaction >= kFlushesPerCompaction && !s->written.empty()) {
        std::vector<std::pair<int64_t, int64_t>> cols(s->written.begin(), s->written.end());
        TSD_RETURN_IF_ERROR(s->shard->compact(cols));
        s->flushes_since_compaction = 0;
      }
    }
  }
  for (auto& s : job->retire) TSD_RETURN_IF_ERROR(finish_shard(s.get()));
  return Status();
}

Status Writer::store_shard(ShardState* s, const std::vector<ColumnBuf*>& cols) {
  Shard& shard = *s->shard;
  TSD_RETURN_IF_ERROR(shard.begin_write());
  bool done = false;
  struct Rollback {
    Shard* shard;
    bool* done;
    ~Rollback() {
      if (!*done) shard->rollback();
    }
  } guard{&shard, &done};

  std::string blob;
  std::vector<std::pair<int64_t, int64_t>> written;
  for (ColumnBuf* c : cols) {
    if (c->seg_points == 0) continue;
    ShardSeries* ss = c->series;
    SeriesEntry* e = ss->entry;
    if (ss->id == 0) {
      auto id = shard.ensure_series(e->key, e->measurement, e->tags);
      if (!id.ok()) return id.status();
      ss->id = *id;
    }
    if (c->field_id == 0) {
      auto f = shard.ensure_field(e->measurement, c->name, c->type);
      if (!f.ok()) return f.status();
      if (f->type != c->type) {
        // Another process stored this field with another type meanwhile.
        std::lock_guard<std::mutex> lock(store_->mu);
        store_->dropped += c->seg_points;
        store_->warnings.push_back(
            shard.name() + ": " + std::to_string(c->seg_points) +
            " values dropped: field type conflict: input field \"" + c->name +
            "\" on measurement \"" + e->measurement + "\" is type " +
            std::string(field_type_name(c->type)) + ", already exists as type " +
            std::string(field_type_name(f->type)));
        continue;
      }
      c->field_id = f->id;
    }
    // Small blocks get one segment (its headers and codec choice matter
    // most there); overlapping segments (out-of-order input) are merged,
    // last write wins. Large ordered ones are stored as they are.
    bool small = static_cast<int64_t>(c->segments.size()) < kSmallBlockBytes;
    begin_block(c->type, &blob);
    blob.append(c->segments);
    if (!c->seg_ordered || (c->seg_count > 1 && small) || c->seg_points > kMaxBlockPoints) {
      Column merged;
      Status st = decode_block(blob, &merged, false);
      if (!st.ok()) return st.with_context(shard.name() + ": internal");
      sort_dedup(&merged);
      TSD_RETURN_IF_ERROR(shard.put_column(ss->id, c->field_id, merged));
    } else {
      TSD_RETURN_IF_ERROR(
          shard.put_block(ss->id, c->field_id, c->seg_min, c->seg_max, c->seg_points, blob));
    }
    written.emplace_back(ss->id, c->field_id);
  }
  TSD_RETURN_IF_ERROR(shard.commit());
  done = true;
  for (ColumnBuf* c : cols) {
    store_->store_bytes -= static_cast<int64_t>(c->segments.size());
    release(&c->segments);
    c->raw = Column();
    c->raw.type = c->type;
    c->seg_points = 0;
    c->seg_count = 0;
    c->seg_ordered = true;
  }
  s->written.insert(written.begin(), written.end());
  return Status();
}

Status Writer::finish_shard(ShardState* s) {
  if (!s->written.empty()) {
    std::vector<std::pair<int64_t, int64_t>> cols(s->written.begin(), s->written.end());
    TSD_RETURN_IF_ERROR(s->shard->compact(cols));
    s->written.clear();
  }
  return s->shard->checkpoint();
}

}  // namespace tsd::storage
