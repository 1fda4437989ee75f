#include "storage/dump.h"

#include <algorithm>

#include "lineproto/lineproto.h"

namespace tsd::storage {
namespace {

constexpr size_t kOutBuffer = 1 << 20;

class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) {}
  std::string* buf() { return &buf_; }
  Status maybe_flush(bool force = false) {
    if (buf_.empty() || (!force && buf_.size() < kOutBuffer)) return Status();
    size_t n = std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
    if (n == 0 || std::ferror(f_)) return Status::io_error("write: output error");
    return Status();
  }

 private:
  std::FILE* f_;
  std::string buf_;
};

struct FieldCursor {
  const FieldInfo* info;
  ColumnCursor cursor;
  Column run;
  size_t pos = 0;
  bool done = false;
};

Status dump_series(Shard* shard, const SeriesInfo& s, const std::vector<FieldInfo>& fields,
                   const DumpOptions& o, Out* out, DumpStats* stats) {
  std::vector<FieldCursor> cur;
  for (const auto& f : fields) {
    auto c = ColumnCursor::open(shard, s.id, f.id, o.start, o.end);
    if (!c.ok()) return c.status();
    cur.push_back({&f, std::move(*c), {}, 0, false});
  }
  Point p;
  p.measurement = s.measurement;
  p.tags = s.tags;
  p.has_time = true;
  while (true) {
    int64_t t = INT64_MAX;
    bool any = false;
    for (auto& c : cur) {
      if (c.done) continue;
      if (c.pos == c.run.size()) {
        auto more = c.cursor.next(&c.run);
        if (!more.ok()) return more.status();
        c.pos = 0;
        if (!*more) {
          c.done = true;
          continue;
        }
      }
      t = std::min(t, c.run.times[c.pos]);
      any = true;
    }
    if (!any) return Status();
    size_t k = 0;
    for (auto& c : cur) {
      if (c.done || c.run.times[c.pos] != t) continue;
      if (p.fields.size() <= k) p.fields.emplace_back();
      p.fields[k].key.assign(c.info->name);
      p.fields[k].value = c.run.value(c.pos);
      k++;
      c.pos++;
    }
    p.fields.resize(k);
    p.time = t;
    lp::format_point(p, out->buf());
    if (stats) stats->lines++;
    TSD_RETURN_IF_ERROR(out->maybe_flush());
  }
}

Status dump_rp(Store* store, const std::string& db, const std::string& rp, const DumpOptions& o,
               Out* out, DumpStats* stats) {
  auto shards = store->shards(db, rp, o.start, o.end);
  if (!shards.ok()) return shards.status();
  *out->buf() += "# CONTEXT-DATABASE:" + db + "\n# CONTEXT-RETENTION-POLICY:" + rp + "\n";
  for (const auto& os : *shards) {
    Shard* sh = os.shard;
    TSD_RETURN_IF_ERROR(sh->begin_read());
    struct End {
      Shard* sh;
      ~End() { sh->end_read(); }
    } end{sh};
    auto ms = sh->measurements();
    if (!ms.ok()) return ms.status();
    for (const auto& m : *ms) {
      auto fields = sh->fields(m);
      if (!fields.ok()) return fields.status();
      auto series = sh->series(m);
      if (!series.ok()) return series.status();
      for (const auto& s : *series) {
        TSD_RETURN_IF_ERROR(dump_series(sh, s, *fields, o, out, stats));
      }
    }
  }
  return out->maybe_flush();
}

}  // namespace

Status dump(Store* store, const DumpOptions& opts, std::FILE* f, DumpStats* stats) {
  Out out(f);
  std::vector<std::string> dbs;
  if (opts.db.empty()) {
    auto all = store->catalog().databases();
    if (!all.ok()) return all.status();
    dbs = std::move(*all);
  } else {
    dbs.push_back(opts.db);
  }
  // Every database's RPs first: the DDL comes before the data.
  struct Db {
    std::string name;
    std::vector<RetentionPolicy> rps;  // dumped
    std::vector<RetentionPolicy> ddl;  // the default RP first, then the others dumped
  };
  std::vector<Db> plan;
  for (const auto& db : dbs) {
    auto rps = store->catalog().retention_policies(db);
    if (!rps.ok()) return rps.status();
    Db d{db, {}, {}};
    for (const auto& rp : *rps) {
      const bool dumped = opts.rp.empty() || rp.name == opts.rp;
      if (dumped) d.rps.push_back(rp);
      if (rp.is_default) {
        d.ddl.insert(d.ddl.begin(), rp);
      } else if (dumped) {
        d.ddl.push_back(rp);
      }
    }
    if (!opts.rp.empty() && d.rps.empty()) {
      return Status::not_found("retention policy not found: " + opts.rp);
    }
    plan.push_back(std::move(d));
  }
  std::string* buf = out.buf();
  // In whole seconds, as influx_inspect writes them (Go's RFC3339).
  auto seconds = [](int64_t t) {
    std::string s = format_rfc3339(t);
    size_t dot = s.find('.');
    if (dot != std::string::npos) s.erase(dot, s.size() - 1 - dot);
    return s;
  };
  *buf += "# INFLUXDB EXPORT: " + seconds(opts.start) + " - " + seconds(opts.end) + "\n";
  if (opts.ddl) {
    *buf += "# DDL\n";
    for (const auto& d : plan) *buf += opts.ddl(d.name, d.ddl);
  }
  *buf += "# DML\n";
  Status s;
  for (const auto& d : plan) {
    for (const auto& rp : d.rps) {
      s = dump_rp(store, d.name, rp.name, opts, &out, stats);
      if (!s.ok()) break;
    }
    if (!s.ok()) break;
  }
  Status w = out.maybe_flush(true);
  std::fflush(f);
  if (!s.ok()) return s;
  return w;
}

}  // namespace tsd::storage
