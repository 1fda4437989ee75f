// Writer: opening, routing lines to shards, series and columns.
#include "storage/writer.h"

#include <algorithm>

#include "storage/paths.h"
#include "storage/retention.h"
#include "storage/writer_internal.h"

namespace tsd::storage {
namespace {

// Values are handed to the store thread this many at a time.
constexpr size_t kRecordsPerJob = 1 << 15;

std::string type_key(std::string_view measurement, std::string_view field) {
  std::string k(measurement);
  k += '\0';
  k += field;
  return k;
}

Status type_conflict(std::string_view field, std::string_view measurement, FieldType got,
                     FieldType have) {
  std::string m = "field type conflict: input field \"";
  m += field;
  m += "\" on measurement \"";
  m += measurement;
  m += "\" is type ";
  m += field_type_name(got);
  m += ", already exists as type ";
  m += field_type_name(have);
  return Status::conflict(std::move(m));
}

}  // namespace

Writer::Writer(WriterOptions opts) : opts_(std::move(opts)) {}

Writer::~Writer() {
  if (store_ && store_->thread.joinable()) {
    Job stop;
    stop.stop = true;
    (void)submit(std::move(stop), false);
    store_->thread.join();
  }
}

Result<std::unique_ptr<Writer>> Writer::open(const WriterOptions& opts) {
  if (opts.db.empty()) return Status::invalid_argument("database name required");
  std::unique_ptr<Writer> w(new Writer(opts));
  auto cat = Catalog::open(opts.data_dir, true);
  if (!cat.ok()) return cat.status();
  w->catalog_ = std::move(*cat);
  TSD_RETURN_IF_ERROR(w->catalog_->create_database(opts.db));
  if (w->opts_.rp.empty()) {
    auto rp = w->catalog_->default_retention_policy(opts.db);
    if (!rp.ok()) return rp.status();
    w->opts_.rp = *rp;
  }
  auto rp = w->catalog_->retention_policy(opts.db, w->opts_.rp);
  if (!rp.ok()) {
    if (rp.status().code() == Status::Code::kNotFound) {
      return Status::invalid_argument(rp.status().message());
    }
    return rp.status();
  }
  w->rp_duration_ = rp->duration;
  w->store_ = std::make_unique<StoreThread>();
  Writer* p = w.get();
  w->store_->thread = std::thread([p] { p->store_loop(); });
  return w;
}

Result<Writer::ShardState*> Writer::shard_for(int64_t t) {
  for (auto& s : shards_) {
    if (t >= s->group.start && t < s->group.end) return s.get();
  }
  auto g = catalog_->shard_group_for(opts_.db, opts_.rp, t);
  if (!g.ok()) return g.status();
  auto shard = Shard::open(catalog_->shard_path(*g), shard_display_name(g->db, g->rp, g->id),
                           true);
  if (!shard.ok() && shard.status().code() == Status::Code::kNotFound) {
    // Its group was dropped while the file was being opened (retention
    // enforced with a clock ahead of ours, DROP): once more, from the catalog.
    g = catalog_->shard_group_for(opts_.db, opts_.rp, t);
    if (!g.ok()) return g.status();
    shard = Shard::open(catalog_->shard_path(*g), shard_display_name(g->db, g->rp, g->id), true);
  }
  if (!shard.ok()) return shard.status();
  auto st = std::make_unique<ShardState>();
  st->group = *g;
  st->path = catalog_->shard_path(*g);
  st->shard = std::move(*shard);
  // Past checkpoint_frames, a commit asks for a checkpoint and returns.
  // A writer that commits without pause never lets a checkpoint beside it
  // copy the whole WAL (its next commit lands meanwhile), and only a whole
  // one lets the WAL start over: once the frames of earlier commits still
  // there (the WAL less what this commit added, about its blocks' bytes)
  // reach twice as many, the commit copies what is left itself, once the
  // one beside it has ended. A large commit alone (a bulk load's batch, a
  // compaction's) is left to the checkpoint beside the next batch: copied
  // here, it held the whole pipeline up (a tenth of a bulk load's time).
  Shard* sh = st->shard.get();
  sh->on_commit([this, sh, path = st->path](int frames) {
    const int64_t own = sh->take_put_bytes() / Shard::kPageBytes;
    if (frames - own >= 2 * opts_.checkpoint_frames) {
      checkpointer_.settle(path);
      (void)sh->checkpoint(false);  // busy (another process's): the next commit's turn
    } else if (frames >= opts_.checkpoint_frames) {
      checkpointer_.request(path, sh->name());
    }
  });
  auto fields = st->shard->fields();
  if (!fields.ok()) return fields.status();
  for (const auto& f : *fields) st->types[type_key(f.measurement, f.name)] = f.type;
  shards_.push_back(std::move(st));
  return shards_.back().get();
}

Result<Writer::ShardSeries*> Writer::shard_series(SeriesEntry* e, int64_t t) {
  for (size_t k = 0; k < e->shards.size(); k++) {
    const ShardGroup& g = e->shards[k].first->group;
    if (t >= g.start && t < g.end) {
      if (k != 0) std::swap(e->shards[0], e->shards[k]);
      e->set_current();
      return e->shards[0].second;
    }
  }
  auto s = shard_for(t);
  if (!s.ok()) return s.status();
  auto ss = std::make_unique<ShardSeries>();
  ss->entry = e;
  ss->shard = *s;
  ShardSeries* p = ss.get();
  (*s)->series.push_back(std::move(ss));
  e->shards.insert(e->shards.begin(), {*s, p});
  e->set_current();
  return p;
}

Status Writer::add(const Point& point, int64_t now) {
  std::string text;
  lp::format_point(point, &text);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  lp::ParsedLine line;
  Status s = lp::parse_line(text, {}, &line);
  if (!s.ok()) return Status::invalid_argument("point not storable: " + s.message());
  return add(line, now);
}

Status Writer::add(const lp::ParsedLine& line, int64_t now) {
  if (store_->failed.load(std::memory_order_relaxed)) return wait_idle();
  const int64_t t = line.has_time ? line.time : now;
  RawNode* node = nullptr;
  if (last_raw_ != nullptr) {
    RawNode* guess = last_raw_->second.next;
    if (guess != nullptr && guess->first == line.raw_series) node = guess;
  }
  if (node == nullptr) {
    auto it = by_raw_.find(line.raw_series);
    if (it != by_raw_.end()) node = &*it;
  }
  SeriesEntry* e;
  if (node != nullptr) {
    e = node->second.e;
  } else {
    if (line.tags_deferred) {  // a series text not seen yet: check it
      lp::ParsedLine full = line;
      TSD_RETURN_IF_ERROR(lp::complete_line(&full));
      return add(full, now);
    }
    std::string key = lp::series_key(line);
    auto kit = by_key_.find(key);
    if (kit == by_key_.end()) {
      auto ne = std::make_unique<SeriesEntry>();
      Point p = lp::to_point(line);
      ne->key = key;
      ne->measurement = std::move(p.measurement);
      ne->tags = std::move(p.tags);
      kit = by_key_.emplace(std::move(key), std::move(ne)).first;
    }
    e = kit->second.get();
    node = &*by_raw_.emplace(std::string(line.raw_series), RawSeries{e, nullptr}).first;
  }
  // (Nodes of an unordered_map stay where they are as it grows.)
  if (last_raw_ != nullptr && last_raw_->second.next != node) last_raw_->second.next = node;
  last_raw_ = node;
  if (const RawNode* next = node->second.next) {
    __builtin_prefetch(next->first.data());
    __builtin_prefetch(next->first.data() + 64);
    __builtin_prefetch(next->second.e);
    for (const void* p : next->second.seen) __builtin_prefetch(p);
  }
  // Beyond the RP (after the series text was checked: a malformed line is
  // rejected whatever its time). `now` changes once per input chunk.
  if (now != min_time_now_) [[unlikely]] {
    min_time_now_ = now;
    min_time_ = retention_min_time(rp_duration_, now);
  }
  if (t < min_time_) [[unlikely]] {
    beyond_retention_++;
    return Status();
  }
  ShardSeries* ss;
  if (e->cur_shard && t >= e->cur_shard->group.start && t < e->cur_shard->group.end) {
    ss = e->cur;
  } else {
    auto r = shard_series(e, t);
    if (!r.ok()) return r.status();
    ss = *r;
  }
  ShardState* shard = e->cur_shard;
  node->second.seen[0] = ss;
  node->second.seen[1] = ss->slots.data();
  node->second.seen[2] = ss->keys.data();

  // Resolve every field before storing any: a conflicting line is
  // rejected whole. Fields new to the series get a column only then.
  constexpr size_t kNew = SIZE_MAX;
  size_t n = line.fields.size();
  size_t slots_stack[16];
  std::vector<size_t> slots_heap;
  size_t* slots = slots_stack;
  if (n > 16) {
    slots_heap.resize(n);
    slots = slots_heap.data();
  }
  std::vector<std::string> new_names;
  auto& cols = ss->columns;
  for (size_t j = 0; j < n; j++) {
    const lp::ParsedField& f = line.fields[j];
    size_t slot = kNew;
    if (j < ss->slots.size() && ss->key_is(j, f.key)) {
      slot = j;
    } else {
      for (size_t k = 0; k < ss->slots.size(); k++) {
        if (ss->key_is(k, f.key)) {
          slot = k;
          break;
        }
      }
      if (slot == kNew) {
        std::string name = lp::unescape_field_key(f.key);
        for (size_t k = 0; k < cols.size(); k++) {
          if (cols[k]->name == name) {
            slot = k;
            break;
          }
        }
        if (slot == kNew) {
          auto ti = shard->types.find(type_key(e->measurement, name));
          FieldType have = f.type;
          bool known = ti != shard->types.end();
          if (known) have = ti->second;
          // An earlier field of this same line may have named it too.
          for (size_t k = 0; k < j && !known; k++) {
            if (slots[k] == kNew && new_names[k] == name) {
              have = line.fields[k].type;
              known = true;
            }
          }
          if (known && have != f.type) {
            return type_conflict(name, e->measurement, f.type, have);
          }
        }
        new_names.resize(j + 1);
        new_names[j] = std::move(name);
      }
    }
    if (slot != kNew && ss->slots[slot].type != f.type) {
      return type_conflict(cols[slot]->name, e->measurement, f.type, cols[slot]->type);
    }
    slots[j] = slot;
  }

  for (size_t j = 0; j < n; j++) {
    const lp::ParsedField& f = line.fields[j];
    ColumnBuf* c;
    size_t slot = slots[j];
    if (slot == kNew) {
      // The same new name twice in one line: the second finds the first.
      c = nullptr;
      for (size_t k = 0; k < cols.size(); k++) {
        if (cols[k]->name == new_names[j]) c = cols[k].get(), slot = k;
      }
      if (!c) {
        auto nc = std::make_unique<ColumnBuf>();
        nc->series = ss;
        nc->name = std::move(new_names[j]);
        nc->type = f.type;
        nc->raw.type = f.type;  // before the store thread sees it
        shard->types.emplace(type_key(e->measurement, nc->name), f.type);
        c = nc.get();
        cols.push_back(std::move(nc));
        ss->slots.push_back({.off = static_cast<uint32_t>(ss->keys.size()),
                             .len = static_cast<uint32_t>(f.key.size()),
                             .type = f.type,
                             .col = c});
        ss->keys.append(f.key);
        slot = ss->slots.size() - 1;
      }
    } else {
      c = ss->slots[slot].col;
    }
    Rec rec;
    rec.col = c;
    rec.time = t;
    switch (f.type) {
      case FieldType::kFloat: rec.f = f.f; break;
      case FieldType::kInteger: rec.i = f.i; break;
      case FieldType::kUnsigned: rec.u = f.u; break;
      case FieldType::kBoolean: rec.i = f.b ? 1 : 0; break;
      case FieldType::kString:
        rec.i = static_cast<int64_t>(strs_.size());
        strs_.push_back(lp::unescape_string(f.str));
        memory_ += static_cast<int64_t>(strs_.back().size());
        break;
    }
    recs_.push_back(rec);
    memory_ += sizeof(Rec);
    batch_bytes_ += kRawPointBytes;
    if (f.type == FieldType::kString) {
      batch_bytes_ += static_cast<int64_t>(strs_.back().size());
    } else if (++ss->slots[slot].batch_points % kSegmentPoints == 0) {
      batch_bytes_ -= kSegmentPoints * kRawPointBytes - chunk_bytes(f.type);
    }
  }
  if (ss->batch != batch_no_) {
    ss->batch = batch_no_;
    batch_.push_back(ss);
  }
  if (recs_.size() >= kRecordsPerJob) submit_records();
  shard->last_batch = batch_no_;
  pending_points_++;
  pending_values_ += static_cast<int64_t>(n);
  return Status();
}

}  // namespace tsd::storage
