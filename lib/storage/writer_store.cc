// Writer, the store thread's side: encoding chunks, storing batches (one
// transaction per shard), periodic compaction, finishing shards.
#include <algorithm>
#include <atomic>
#include <functional>
#include <future>

#include "storage/writer.h"
#include "storage/writer_internal.h"

namespace tsd::storage {
namespace {

// A column with more points than this in a batch is stored as blocks at
// once; fewer go to the series' head row of the flush (head.h): a bulk load
// of many series (whose batches hold a few hundred points per column) then
// writes one row per series a batch, not one small block per column that
// compaction must merge again.
constexpr size_t kHeadMaxPoints = 1024;
constexpr size_t kRawStep = 64;
// A series' head rows become blocks once ShardSeries::head_full() (readers
// decode a series' head whole), at most about this many values a flush
// (the rest wait some flushes: a fleet whose series all fill up at once is
// promoted in turns). Twice a 200 x 300 fleet's second, so that promotion
// keeps up with it; small enough that no batch waits long behind one: at
// 1 M, tsd-serve's 100 series filled up at the same request and the next
// requests waited 20-65 ms for each promotion (a fifth of HTTP /write's time).
constexpr int64_t kPromoteValuesPerFlush = 1 << 17;
// A column is compacted once this many blocks were written to it (head
// promotions, large batches) since its last compaction, merging its
// small blocks. Writers compact what they wrote on exit anyway.
constexpr int kCompactAfterBlocks = 16;

// A shard's write transaction, rolled back unless committed.
class ShardTxn {
 public:
  explicit ShardTxn(Shard* shard) : shard_(shard) {}
  ~ShardTxn() {
    if (!done_) shard_->rollback();
  }
  ShardTxn(const ShardTxn&) = delete;
  ShardTxn& operator=(const ShardTxn&) = delete;
  Status commit() {
    Status s = shard_->commit();
    done_ = s.ok();
    return s;
  }

 private:
  Shard* shard_;
  bool done_ = false;
};

// Whether a column's points of this batch may go to a head row; a series
// goes there when all its columns may.
bool head_bound(const Writer::ColumnBuf* c) {
  return c->seg_points == 0 && c->raw.size() <= kHeadMaxPoints;
}

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
      if (job.flush && !job.told) st.flushes_done++;
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
  if (c->seg_points == 0) begin_block(c->type, &c->segments);  // the block's header first
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
    // Raw points grow by doubling up to kRawStep, then by steps of it up
    // to a chunk: at 1,000 hosts the doubled capacity of 10,000 columns
    // was a fifth of a bulk load's memory.
    if (size_t cap = r.times.capacity(); r.times.size() == cap) {
      r.reserve(std::min(cap < kRawStep ? std::max<size_t>(2 * cap, 1) : cap + kRawStep,
                         kSegmentPoints));
    }
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
    // The batch is committed: whoever waits for it (a server's request)
    // is told now, and the heads are promoted and columns compacted after,
    // each shard in transactions of their own.
    {
      std::lock_guard<std::mutex> lock(store_->mu);
      store_->flushes_done++;
      job->told = true;
    }
    store_->cv.notify_all();
    for (ShardState* s : order) TSD_RETURN_IF_ERROR(tidy_shard(s));
  }
  for (auto& s : job->retire) TSD_RETURN_IF_ERROR(finish_shard(s.get()));
  return Status();
}

// One transaction: per series, a head row (few points a column) or blocks
// (tidy_shard promotes and compacts after).
Status Writer::store_shard(ShardState* s, const std::vector<ColumnBuf*>& cols) {
  Shard& shard = *s->shard;
  TSD_RETURN_IF_ERROR(shard.begin_write());
  ShardTxn txn(&shard);

  // Which series go to blocks (a column with many points), encoded first,
  // out of the transaction's way.
  std::vector<ColumnBuf*> direct;
  for (size_t k = 0; k < cols.size();) {
    size_t j = k;
    bool head = true;
    for (; j < cols.size() && cols[j]->series == cols[k]->series; j++) head &= head_bound(cols[j]);
    if (!head) direct.insert(direct.end(), cols.begin() + k, cols.begin() + j);
    k = j;
  }
  TSD_RETURN_IF_ERROR(prepare_all(direct));

  std::vector<ColumnBuf*> run;
  for (size_t k = 0; k < cols.size();) {
    ShardSeries* ss = cols[k]->series;
    run.clear();
    for (; k < cols.size() && cols[k]->series == ss; k++) {
      ColumnBuf* c = cols[k];
      if (c->seg_points > 0 || !c->raw.empty()) run.push_back(c);
    }
    if (run.empty()) continue;
    if (ss->id == 0) {
      SeriesEntry* e = ss->entry;
      auto id = shard.ensure_series(e->key, e->measurement, e->tags);
      if (!id.ok()) return id.status();
      ss->id = *id;
      s->stored.push_back(ss);
    }
    // As decided above: prepare_blocks left the block-bound columns with
    // segments, so they are not head-bound any more.
    bool head = true;
    for (ColumnBuf* c : run) {
      TSD_RETURN_IF_ERROR(resolve_field(&shard, c));
      head &= head_bound(c);
    }
    TSD_RETURN_IF_ERROR(head ? store_head(s, ss, run) : store_blocks(s, ss, run));
  }
  TSD_RETURN_IF_ERROR(txn.commit());
  for (ColumnBuf* c : cols) {
    store_->store_bytes -= static_cast<int64_t>(c->segments.size() + c->raw.size() * 16);
    release(&c->segments);
    release(&c->ready);
    // Keep a small buffer (a live feed's point a flush); give back a large one.
    if (c->raw.times.capacity() > kHeadMaxPoints) {
      c->raw = Column();
      c->raw.type = c->type;
    } else {
      c->raw.clear();
    }
    c->seg_points = 0;
    c->seg_count = 0;
    c->seg_ordered = true;
  }
  return Status();
}

// After a batch's commit: the promotion of full heads (one transaction),
// then the compaction of the columns that reached kCompactAfterBlocks.
Status Writer::tidy_shard(ShardState* s) {
  Shard& shard = *s->shard;
  TSD_RETURN_IF_ERROR(checkpointer_.error());
  std::vector<std::pair<int64_t, int64_t>> compact;
  if (std::none_of(s->stored.begin(), s->stored.end(), [](const ShardSeries* ss) { return ss->head_full(); })) {
    return Status();
  }
  TSD_RETURN_IF_ERROR(shard.begin_write());
  ShardTxn txn(&shard);
  TSD_RETURN_IF_ERROR(promote_heads(s, &compact));
  TSD_RETURN_IF_ERROR(txn.commit());
  if (!compact.empty()) TSD_RETURN_IF_ERROR(shard.compact(compact, kCompactAfterBlocks, true));
  return Status();
}

// The column's field id in the shard file; it stays 0 when another
// process stored the field with another type meanwhile: then the column's
// values of this batch are dropped with a warning.
Status Writer::resolve_field(Shard* shard, ColumnBuf* c) {
  if (c->field_id != 0) return Status();
  const std::string& m = c->series->entry->measurement;
  auto f = shard->ensure_field(m, c->name, c->type);
  if (!f.ok()) return f.status();
  if (f->type == c->type) {
    c->field_id = f->id;
    return Status();
  }
  const int64_t n = static_cast<int64_t>(c->raw.size()) + c->seg_points;
  std::lock_guard<std::mutex> lock(store_->mu);
  store_->dropped += n;
  store_->warnings.push_back(shard->name() + ": " + std::to_string(n) +
                             " values dropped: field type conflict: input field \"" + c->name +
                             "\" on measurement \"" + m + "\" is type " +
                             std::string(field_type_name(c->type)) + ", already exists as type " +
                             std::string(field_type_name(f->type)));
  return Status();
}

Status Writer::store_head(ShardState* s, ShardSeries* ss, const std::vector<ColumnBuf*>& cols) {
  Shard& shard = *s->shard;
  if (ss->chain.base != 0) {
    // Another process may have promoted the rows this chain continues.
    auto there = shard.head_row_exists(ss->id, ss->chain.base);
    if (!there.ok()) return there.status();
    if (!*there) ss->reset_chain();
  }
  std::vector<HeadField> add;
  std::vector<const Column*> data(ss->chain_cols.size(), nullptr);
  int64_t min_time = INT64_MAX, max_time = INT64_MIN, values = 0, points = 0;
  for (ColumnBuf* c : cols) {
    if (c->field_id == 0) continue;
    sort_dedup(&c->raw);
    if (c->chain_slot == SIZE_MAX) {
      c->chain_slot = ss->chain_cols.size();
      ss->chain_cols.push_back(c);
      add.push_back({c->field_id, c->type});
      data.push_back(nullptr);
    }
    data[c->chain_slot] = &c->raw;
    min_time = std::min(min_time, c->raw.times.front());
    max_time = std::max(max_time, c->raw.times.back());
    values += static_cast<int64_t>(c->raw.size());
    points = std::max(points, static_cast<int64_t>(c->raw.size()));
  }
  if (values == 0) return Status();
  std::string& blob = head_blob_;
  encode_head_row(&ss->chain, add, data, &blob);
  auto id = shard.put_head(ss->id, min_time, max_time, values, blob);
  if (!id.ok()) return id.status();
  ss->chain.base = *id;
  ss->head_points += points;
  ss->head_rows++;
  return Status();
}

// [store] What a column holds, encoded into the blocks to store (c->ready):
// its segments as one block when large and in order; else decoded, merged
// (last write wins) and encoded again, in segments of kMaxSegmentPoints
// (fewer, larger segments than the chunks: each has its headers and table,
// which matter most in small blocks). Touches the column only: several run at once.
Status Writer::prepare_blocks(ColumnBuf* c) {
  encode_chunk(c);
  c->ready.clear();
  if (c->seg_points == 0) return Status();
  EncodedBlock b;
  b.min_time = c->seg_min;
  b.max_time = c->seg_max;
  b.count = c->seg_points;
  // The segments, after the header encode_chunk put first, become the
  // block, not a copy of them: a bulk load's last batch holds every
  // column's segments at once (55 MB for the 100-host float day), and a
  // copy of each was that much more memory to fault in while they were
  // stored (and to move in the load's serial tail).
  store_->store_bytes -= static_cast<int64_t>(c->segments.size());
  b.blob = std::move(c->segments);
  c->segments = std::string();
  bool small = static_cast<int64_t>(b.blob.size() - kBlockHeaderBytes) < kSmallBlockBytes;
  if (c->seg_ordered && !(c->seg_count > 1 && small) && c->seg_points <= kMaxBlockPoints) {
    c->ready.push_back(std::move(b));
    return Status();
  }
  Column merged;
  TSD_RETURN_IF_ERROR(decode_block(b.blob, &merged, false));
  sort_dedup(&merged);
  encode_blocks(merged, kMaxBlockPoints, 0, &c->ready);
  return Status();
}

// [store] prepare_blocks for every column, on two threads when there is
// much to encode (the last batch of a bulk load: nothing else runs then).
Status Writer::prepare_all(const std::vector<ColumnBuf*>& cols) {
  int64_t points = 0;
  for (ColumnBuf* c : cols) points += static_cast<int64_t>(c->raw.size()) + c->seg_points;
  // Each thread takes the next column: columns differ in size (a
  // partial chunk to encode, or a merge), and halves fixed in advance left
  // one thread working alone for much of the load's serial tail.
  std::atomic<size_t> next{0};
  auto run = [this, &cols, &next] {
    for (size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < cols.size();) {
      Status s = prepare_blocks(cols[k]);
      if (!s.ok()) {
        next.store(cols.size(), std::memory_order_relaxed);
        return s.with_context("internal");
      }
    }
    return Status();
  };
  if (points < (1 << 18) || cols.size() < 2) return run();
  auto other = std::async(std::launch::async, run);
  Status a = run();
  Status b = other.get();
  return a.ok() ? b : a;
}

Status Writer::store_blocks(ShardState* s, ShardSeries* ss, const std::vector<ColumnBuf*>& cols) {
  Shard& shard = *s->shard;
  // Blocks must stay older than the series' head rows (head.h): promote
  // them first, whoever wrote them.
  std::vector<std::pair<int64_t, int64_t>> unused;
  TSD_RETURN_IF_ERROR(promote(s, ss, &unused));
  for (ColumnBuf* c : cols) {
    if (c->field_id == 0 || c->ready.empty()) continue;
    for (EncodedBlock& b : c->ready) b.field = c->field_id;
    TSD_RETURN_IF_ERROR(shard.put_blocks(ss->id, c->ready));
    release(&c->ready);
    s->written.emplace(ss->id, c->field_id);
    c->blocks_since++;
  }
  return Status();
}

Status Writer::promote(ShardState* s, ShardSeries* ss,
                       std::vector<std::pair<int64_t, int64_t>>* compact) {
  std::vector<int64_t> fields;
  auto moved = s->shard->promote(ss->id, &fields);
  if (!moved.ok()) return moved.status();
  ss->reset_chain();
  for (int64_t f : fields) {
    s->written.emplace(ss->id, f);
    for (auto& c : ss->columns) {
      if (c->field_id == f && ++c->blocks_since >= kCompactAfterBlocks) {
        compact->emplace_back(ss->id, f);
        c->blocks_since = 0;
      }
    }
  }
  return Status();
}

Status Writer::promote_heads(ShardState* s, std::vector<std::pair<int64_t, int64_t>>* compact) {
  const size_t n = s->stored.size();
  int64_t budget = kPromoteValuesPerFlush;
  for (size_t k = 0; k < n && budget > 0; k++) {
    ShardSeries* ss = s->stored[(s->promote_at + k) % n];
    if (!ss->head_full()) continue;
    budget -= ss->head_points * static_cast<int64_t>(ss->columns.size());  // before the reset
    TSD_RETURN_IF_ERROR(promote(s, ss, compact));
    s->promote_at = (s->promote_at + k + 1) % n;
  }
  return Status();
}

// Promotes the heads of the shard (its own, and those a writer killed
// earlier left behind) and compacts what it wrote.
Status Writer::finish_shard(ShardState* s) {
  std::vector<std::pair<int64_t, int64_t>> cols(s->written.begin(), s->written.end());
  auto heads = s->shard->head_series();
  if (!heads.ok()) return heads.status();
  for (int64_t series : *heads) cols.emplace_back(series, kHeadField);
  if (!cols.empty()) TSD_RETURN_IF_ERROR(s->shard->compact(cols));
  s->written.clear();
  for (ShardSeries* ss : s->stored) ss->reset_chain();
  checkpointer_.forget(s->path);
  return s->shard->checkpoint();
}

}  // namespace tsd::storage
