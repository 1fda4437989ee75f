// Writer: encoding buffers, flushing them to shards, closing.
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

void Writer::encode_raw(ColumnBuf* c) {
  Column& r = c->raw;
  if (r.empty()) return;
  int64_t raw_bytes = static_cast<int64_t>(r.size()) * 16;
  for (const auto& s : r.s) raw_bytes += static_cast<int64_t>(s.size());
  sort_dedup(&r);
  size_t before = c->segments.size();
  if (c->seg_points == 0) {
    c->seg_min = r.times.front();
    c->seg_max = r.times.back();
    c->seg_ordered = true;
  } else {
    if (r.times.front() <= c->seg_max) c->seg_ordered = false;
    c->seg_min = std::min(c->seg_min, r.times.front());
    c->seg_max = std::max(c->seg_max, r.times.back());
  }
  append_segment(r, 0, r.size(), &c->segments);
  c->seg_points += static_cast<int64_t>(r.size());
  memory_ += static_cast<int64_t>(c->segments.size() - before) - raw_bytes;
  r.clear();
}

Status Writer::flush() {
  if (pending_points_ == 0) return Status();
  for (auto& s : shards_) {
    if (!s->dirty.empty()) TSD_RETURN_IF_ERROR(flush_shard(s.get()));
  }
  stats_.points += pending_points_;
  stats_.values += pending_values_;
  stats_.flushes++;
  pending_points_ = pending_values_ = 0;
  memory_ = 0;
  for (auto& s : shards_) {
    if (++s->flushes_since_compaction >= kFlushesPerCompaction && !s->written.empty()) {
      std::vector<std::pair<int64_t, int64_t>> cols(s->written.begin(), s->written.end());
      TSD_RETURN_IF_ERROR(s->shard->compact(cols));
      s->flushes_since_compaction = 0;
    }
  }
  // Keep few shard files open: a long import crosses many shard groups.
  constexpr size_t kOpenShards = 8;
  if (shards_.size() > kOpenShards) {
    for (size_t k = 0; k < shards_.size() && shards_.size() > kOpenShards;) {
      if (shards_[k]->dirty.empty()) {
        TSD_RETURN_IF_ERROR(finish_shard(shards_[k].get(), true));
        shards_.erase(shards_.begin() + k);
      } else {
        k++;
      }
    }
  }
  return Status();
}

Status Writer::flush_shard(ShardState* s) {
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
  for (ShardSeries* ss : s->dirty) {
    SeriesEntry* e = ss->entry;
    if (ss->id == 0) {
      auto id = shard.ensure_series(e->key, e->measurement, e->tags);
      if (!id.ok()) return id.status();
      ss->id = *id;
    }
    for (auto& cp : ss->columns) {
      ColumnBuf* c = cp.get();
      if (c->raw.empty() && c->seg_points == 0) continue;
      if (c->field_id == 0) {
        auto f = shard.ensure_field(e->measurement, c->name, c->type);
        if (!f.ok()) return f.status();
        if (f->type != c->type) {
          // Another process stored this field with another type meanwhile.
          int64_t n = c->seg_points + static_cast<int64_t>(c->raw.size());
          stats_.points_dropped += n;
          warnings_.push_back(shard.name() + ": " + std::to_string(n) +
                              " values dropped: field type conflict: input field \"" + c->name +
                              "\" on measurement \"" + e->measurement + "\" is type " +
                              std::string(field_type_name(c->type)) + ", already exists as type " +
                              std::string(field_type_name(f->type)));
          c->raw.clear();
          release(&c->segments);
          c->seg_points = 0;
          continue;
        }
        c->field_id = f->id;
      }
      encode_raw(c);
      if (c->seg_ordered) {
        begin_block(c->type, &blob);
        blob.append(c->segments);
      } else {
        // Overlapping segments (out-of-order input): merge, last write wins.
        Column merged;
        begin_block(c->type, &blob);
        blob.append(c->segments);
        Status st = decode_block(blob, &merged);
        if (!st.ok()) return st.with_context(shard.name() + ": internal");
        sort_dedup(&merged);
        begin_block(c->type, &blob);
        append_segment(merged, 0, merged.size(), &blob);
        c->seg_points = static_cast<int64_t>(merged.size());
        c->seg_min = merged.times.front();
        c->seg_max = merged.times.back();
      }
      TSD_RETURN_IF_ERROR(
          shard.put_block(ss->id, c->field_id, c->seg_min, c->seg_max, c->seg_points, blob));
      written.emplace_back(ss->id, c->field_id);
    }
  }
  TSD_RETURN_IF_ERROR(shard.commit());
  done = true;
  for (ShardSeries* ss : s->dirty) {
    ss->dirty = false;
    for (auto& cp : ss->columns) {
      release(&cp->segments);
      cp->raw = Column{cp->type, {}, {}, {}, {}, {}, {}};
      cp->seg_points = 0;
      cp->seg_ordered = true;
    }
  }
  s->dirty.clear();
  s->written.insert(written.begin(), written.end());
  return Status();
}

Status Writer::finish_shard(ShardState* s, bool release_buffers) {
  if (!s->written.empty()) {
    std::vector<std::pair<int64_t, int64_t>> cols(s->written.begin(), s->written.end());
    TSD_RETURN_IF_ERROR(s->shard->compact(cols));
    s->written.clear();
  }
  TSD_RETURN_IF_ERROR(s->shard->checkpoint());
  if (release_buffers) {
    // Forget this shard in every series that had buffers in it.
    for (auto& ss : s->series) {
      auto& v = ss->entry->shards;
      v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& p) { return p.first == s; }),
              v.end());
    }
  }
  return Status();
}

Status Writer::close() {
  if (closed_) return Status();
  closed_ = true;
  TSD_RETURN_IF_ERROR(flush());
  for (auto& s : shards_) TSD_RETURN_IF_ERROR(finish_shard(s.get(), false));
  return Status();
}

}  // namespace tsd::storage
