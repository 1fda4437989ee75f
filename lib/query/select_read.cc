// What a SELECT reads: measurements, series, columns (select.h).
#include <algorithm>

#include "query/select.h"

namespace tsd::query {

const Tag* SeriesRef::find(std::string_view k) const {
  auto it = std::lower_bound(tags.begin(), tags.end(), k,
                             [](const Tag& t, std::string_view key) { return t.key < key; });
  return it != tags.end() && it->key == k ? &*it : nullptr;
}

std::optional<TagHint> tag_hint(const Expr* e) {
  while (e != nullptr && e->kind == Expr::Kind::kParen) e = e->args[0].get();
  if (e == nullptr || e->kind != Expr::Kind::kBinary) return std::nullopt;
  if (e->op == Tok::kAnd) {
    auto l = tag_hint(e->args[0].get());
    return l ? l : tag_hint(e->args[1].get());
  }
  const Expr& a = *e->args[0];
  const Expr& b = *e->args[1];
  if (a.kind != Expr::Kind::kVarRef || is_time_ref(a) ||
      (a.type != DataType::kUnknown && a.type != DataType::kTag))
    return std::nullopt;
  if (e->op == Tok::kEq && b.kind == Expr::Kind::kString && !b.name.empty())
    return TagHint{a.name, b.name, nullptr};
  if (e->op == Tok::kEqRegex && b.kind == Expr::Kind::kRegex) return TagHint{a.name, "", &b};
  return std::nullopt;
}

namespace {

// The series of `name` in one shard that a hint allows, through the index.
Result<std::vector<storage::SeriesInfo>> hinted_series(storage::Shard* shard,
                                                       const std::string& name,
                                                       const TagHint& h, Regexes& re) {
  if (h.regex == nullptr) return shard->series_with_tag(name, h.key, h.value);
  auto r = re.get(*h.regex);
  if (!r.ok()) return r.status();
  auto values = shard->tag_values(name, h.key);
  if (!values.ok()) return values.status();
  std::vector<storage::SeriesInfo> out;
  for (const auto& v : *values) {
    if (!RE2::PartialMatch(v, **r)) continue;
    auto some = shard->series_with_tag(name, h.key, v);
    if (!some.ok()) return some.status();
    for (auto& s : *some) out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const storage::SeriesInfo& a, const storage::SeriesInfo& b) { return a.key < b.key; });
  return out;
}

}  // namespace

const Tag* SeriesRef::find_visible(std::string_view k) const {
  if (visible && !visible->count(std::string(k))) return nullptr;
  return find(k);
}

Status read_measurements(const std::vector<storage::OpenShard>& shards,
                         const std::vector<Source>& sources, Regexes& re, const Canceller& stop,
                         std::vector<MeasurementData>* out, const std::optional<TagHint>& hint) {
  // The measurement names first: literal ones, and every shard's that a
  // regex matches.
  std::set<std::string> names;
  for (const auto& src : sources) {
    if (!src.is_regex) {
      names.insert(src.name);
      continue;
    }
    Expr rx(Expr::Kind::kRegex);
    rx.name = src.regex;
    auto r = re.get(rx);
    if (!r.ok()) return r.status();
    for (const auto& sh : shards) {
      auto ms = sh.shard->measurements();
      if (!ms.ok()) return ms.status();
      for (auto& m : *ms) {
        if (RE2::PartialMatch(m, **r)) names.insert(m);
      }
    }
  }
  for (const auto& name : names) {
    MeasurementData md;
    md.name = name;
    std::map<std::string, size_t> by_key;
    for (const auto& sh : shards) {
      TSD_RETURN_IF_ERROR(stop.check());
      auto fields = sh.shard->fields(name);
      if (!fields.ok()) return fields.status();
      auto& ids = md.field_ids[sh.shard];
      auto& types = md.field_types[sh.shard];
      for (const auto& f : *fields) {
        md.schema.fields.emplace(f.name, f.type);
        ids[f.name] = f.id;
        types[f.name] = f.type;
      }
      // A hint on a tag (not a field of this measurement): the index.
      bool use_hint = hint && !ids.count(hint->key);
      if (use_hint && hint->regex != nullptr) {
        // A regex that matches "" also takes the series without the tag.
        auto r = re.get(*hint->regex);
        use_hint = r.ok() && !RE2::PartialMatch("", **r);
      }
      auto series = use_hint ? hinted_series(sh.shard, name, *hint, re) : sh.shard->series(name);
      if (!series.ok()) return series.status();
      if (use_hint) {
        auto keys = sh.shard->tag_keys(name);
        if (!keys.ok()) return keys.status();
        md.schema.tags.insert(keys->begin(), keys->end());
      }
      for (size_t k = 0; k < series->size(); k++) {
        if (stop.at(k)) return Canceller::interrupted();
        auto& s = (*series)[k];
        auto [it, fresh] = by_key.emplace(s.key, md.series.size());
        if (fresh) {
          for (const auto& t : s.tags) md.schema.tags.insert(t.key);
          md.series.push_back({s.key, std::move(s.tags), {}});
        }
        md.series[it->second].ids.push_back({sh.shard, s.id});
      }
    }
    if (md.series.empty()) continue;
    std::sort(md.series.begin(), md.series.end(),
              [](const SeriesRef& a, const SeriesRef& b) { return a.key < b.key; });
    out->push_back(std::move(md));
  }
  return Status();
}

Status subquery_measurements(std::vector<Series> results, const std::vector<std::string>& dims,
                             bool all_dims, const Canceller& stop,
                             std::vector<MeasurementData>* out, bool raw_rows,
                             const std::map<std::string, FieldType>* types) {
  std::map<std::string, MeasurementData> by_name;
  auto visible = std::make_shared<std::set<std::string>>(dims.begin(), dims.end());
  for (Series& r : results) {
    MeasurementData& m = by_name[r.name];
    m.name = r.name;
    SeriesRef ref;
    ref.key = r.name;
    if (!all_dims) ref.visible = visible;
    for (auto& [k, v] : r.tags) {
      ref.key += "," + k + "=" + v;
      ref.tags.push_back({k, v});
      if (all_dims || visible->count(k)) m.schema.tags.insert(k);
    }
    ref.data = std::make_shared<std::map<std::string, storage::Column>>();
    for (size_t c = 1; c < r.columns.size(); c++) {
      storage::Column col;
      bool typed = false;
      for (size_t k = 0; k < r.values.size(); k++) {
        if (stop.at(k)) return Canceller::interrupted();
        const Row& row = r.values[k];
        const Datum& d = row[c];
        if (is_null(d)) continue;
        auto t = static_cast<FieldType>(d.index() - 1);
        if (!typed) {
          col.type = t;
          typed = true;
        }
        if (t != col.type) continue;
        int64_t time = std::get<int64_t>(row[0]);
        switch (d.index()) {
          case 1: col.push(time, std::get<double>(d)); break;
          case 2: col.push(time, std::get<int64_t>(d)); break;
          case 3: col.push(time, std::get<uint64_t>(d)); break;
          case 4: col.push(time, std::get<std::string>(d)); break;
          case 5: col.push(time, std::get<bool>(d)); break;
        }
      }
      if (!typed) {
        if (types != nullptr) {
          if (auto it = types->find(r.columns[c]); it != types->end()) m.schema.fields.emplace(r.columns[c], it->second);
        }
        continue;
      }
      m.schema.fields.emplace(r.columns[c], col.type);
      (*ref.data)[r.columns[c]] = std::move(col);
    }
    if (raw_rows) {
      storage::Column rows;
      rows.type = FieldType::kInteger;
      for (const Row& row : r.values) rows.push(std::get<int64_t>(row[0]), int64_t{0});
      (*ref.data)[kSubqueryRows] = std::move(rows);
    }
    m.series.push_back(std::move(ref));
  }
  for (auto& [name, m] : by_name) {
    std::sort(m.series.begin(), m.series.end(),
              [](const SeriesRef& a, const SeriesRef& b) { return a.key < b.key; });
    out->push_back(std::move(m));
  }
  return Status();
}

namespace {

void to_float(storage::Column* c) {
  if (c->type == FieldType::kFloat) return;
  c->f.resize(c->size());
  for (size_t k = 0; k < c->size(); k++) {
    c->f[k] = c->type == FieldType::kInteger ? static_cast<double>(c->i[k])
                                             : static_cast<double>(c->u[k]);
  }
  c->i.clear();
  c->u.clear();
  c->type = FieldType::kFloat;
}

}  // namespace

Result<ColumnSpan> column_span(storage::Shard* shard, int64_t series, int64_t field, int64_t min,
                               int64_t max) {
  ColumnSpan span;
  auto hs = shard->blocks(series, field, min, max);
  if (!hs.ok()) return hs.status();
  span.blocks = std::move(*hs);
  auto head = shard->head(series);
  if (!head.ok()) return head.status();
  auto it = (*head)->find(field);
  if (it != (*head)->end()) {
    const auto& t = it->second.times;
    auto lo = std::lower_bound(t.begin(), t.end(), min);
    span.head_count = std::upper_bound(lo, t.end(), max) - lo;
    if (span.head_count > 0) span.head_first = *lo;
  }
  return span;
}

namespace {

// The part of [min, max] that holds the first or last point of a column
// in a shard: blocks overlapping the range each hold a point at their min
// (max) time, so the last point is at or after the greatest min time of
// them (the first at or before the least max time). Head rows are newer
// than every block. False when the shard has nothing in range.
bool edge_range(const ColumnSpan& span, Edge edge, int64_t* min, int64_t* max) {
  if (span.blocks.empty()) return span.head_count > 0;
  if (edge == Edge::kLast) {
    if (span.head_count > 0) return true;  // the head's last point is the last
    for (const auto& h : span.blocks) *min = std::max(*min, h.min_time);
  } else {
    for (const auto& h : span.blocks) *max = std::min(*max, h.max_time);
  }
  return true;
}

// The first or last point of a column in one shard from one segment of
// one block, when a block alone holds it: no head point in range, and the
// block with the least min (greatest max) time inside [min, max] overlaps
// no other. False when that does not hold (the caller reads more).
Result<bool> read_edge_point(storage::Shard* shard, const ColumnSpan& span, Edge edge,
                             int64_t min, int64_t max, storage::Column* out) {
  const auto& hs = span.blocks;
  if (hs.empty() || span.head_count > 0) return false;
  size_t c = 0;
  for (size_t i = 1; i < hs.size(); i++) {
    bool better = edge == Edge::kLast ? hs[i].max_time > hs[c].max_time
                                      : hs[i].min_time < hs[c].min_time;
    if (better) c = i;
  }
  const storage::BlockHeader& b = hs[c];
  if (b.min_time < min || b.max_time > max) return false;
  for (size_t i = 0; i < hs.size(); i++) {
    if (i != c && hs[i].max_time >= b.min_time && hs[i].min_time <= b.max_time) return false;
  }
  // Its point: the header's time, and of the values only what leads to it.
  TSD_RETURN_IF_ERROR(shard->with_blob(b, [&](std::string_view blob) {
    const bool last = edge == Edge::kLast;
    return storage::decode_block_edge_point(blob, last, last ? b.max_time : b.min_time, out);
  }));
  return !out->empty();
}

}  // namespace

Status read_column(const MeasurementData& m, const SeriesRef& s, const std::string& field,
                   int64_t min, int64_t max, const Canceller& stop, storage::Column* out,
                   Edge edge) {
  out->clear();
  if (s.data) {
    auto it = s.data->find(field);
    if (it == s.data->end()) return Status();
    const storage::Column& c = it->second;
    out->type = c.type;
    for (size_t k = 0; k < c.size(); k++) {
      if (stop.at(k)) return Canceller::interrupted();
      if (c.times[k] >= min && c.times[k] <= max) out->push_from(c, k);
    }
    // A subquery's rows may repeat a time (several series merged): keep them in order.
    return Status();
  }
  auto t = m.schema.fields.find(field);
  if (t == m.schema.fields.end()) return Status();
  out->type = t->second;
  storage::Column run;
  for (size_t n = 0; n < s.ids.size(); n++) {
    // Shards in time order; for the last point from the newest back.
    const auto& [shard, id] = s.ids[edge == Edge::kLast ? s.ids.size() - 1 - n : n];
    const int64_t fid = m.field_id(shard, field);
    if (fid == 0) continue;
    int64_t lo = min, hi = max;
    if (edge != Edge::kAll) {
      auto span = column_span(shard, id, fid, min, max);
      if (!span.ok()) return span.status();
      auto done = read_edge_point(shard, *span, edge, min, max, &run);
      if (!done.ok()) return done.status();
      if (*done) {
        if (run.type != out->type) continue;
        std::swap(*out, run);
        break;
      }
      if (!edge_range(*span, edge, &lo, &hi)) continue;
    }
    auto cur = storage::ColumnCursor::open(shard, id, fid, lo, hi);
    if (!cur.ok()) return cur.status();
    while (true) {
      TSD_RETURN_IF_ERROR(stop.check());  // a block at a time
      auto more = cur->next(&run);
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (run.type != out->type) {
        // A shard where the field has another type: numbers mix as
        // floats (InfluxDB's JSON prints 7.0 and 7 alike); others are
        // left out.
        if (!is_numeric(run.type) || !is_numeric(out->type)) continue;
        to_float(out);
        to_float(&run);
      }
      if (out->empty()) {
        std::swap(*out, run);
        continue;
      }
      out->append(run);
    }
    if (edge != Edge::kAll && !out->empty()) break;  // the edge's shard
  }
  return Status();
}

}  // namespace tsd::query

namespace tsd::query {

Result<int64_t> count_points(const MeasurementData& m, const SeriesRef& s,
                             const std::string& field, int64_t min, int64_t max,
                             const Canceller& stop) {
  if (s.data) {
    storage::Column c;
    TSD_RETURN_IF_ERROR(read_column(m, s, field, min, max, stop, &c));
    return static_cast<int64_t>(c.size());
  }
  int64_t n = 0;
  for (const auto& [shard, id] : s.ids) {
    const int64_t fid = m.field_id(shard, field);
    if (fid == 0) continue;
    // As read_column: a shard where the field has a type that does not mix
    // with the measurement's is left out.
    FieldType want = m.schema.fields.at(field), have = m.field_types.at(shard).at(field);
    if (have != want && !(is_numeric(have) && is_numeric(want))) continue;
    auto span = column_span(shard, id, fid, min, max);
    if (!span.ok()) return span.status();
    const auto& hs = span->blocks;
    // Blocks are by min time: they overlap when one starts before the
    // previous ends; the head must start after every block.
    bool simple = true;
    int64_t last_max = INT64_MIN;
    for (const auto& h : hs) {
      if (h.min_time <= last_max) simple = false;
      last_max = std::max(last_max, h.max_time);
    }
    if (span->head_count > 0 && !hs.empty() && span->head_first <= last_max) simple = false;
    if (!simple) {
      storage::Column c;
      auto cur = storage::ColumnCursor::open(shard, id, fid, min, max);
      if (!cur.ok()) return cur.status();
      while (true) {
        TSD_RETURN_IF_ERROR(stop.check());
        auto more = cur->next(&c);
        if (!more.ok()) return more.status();
        if (!*more) break;
        n += static_cast<int64_t>(c.size());
      }
      continue;
    }
    n += span->head_count;
    for (const auto& h : hs) {
      if (h.min_time >= min && h.max_time <= max) {
        n += h.count;
        continue;
      }
      TSD_RETURN_IF_ERROR(stop.check());
      storage::Column c;
      TSD_RETURN_IF_ERROR(shard->read_blocks({h}, min, max, &c));
      n += static_cast<int64_t>(c.size());
    }
  }
  return n;
}

Status count_column(const MeasurementData& m, const SeriesRef& s, const std::string& field,
                    int64_t min, int64_t max, ReadStats* stats) {
  for (const auto& [shard, id] : s.ids) {
    const int64_t fid = m.field_id(shard, field);
    if (fid == 0) continue;
    stats->shards.insert(shard->name());
    auto span = column_span(shard, id, fid, min, max);
    if (!span.ok()) return span.status();
    for (const auto& h : span->blocks) {
      stats->blocks++;
      stats->block_bytes += h.bytes;
    }
    stats->head_values += span->head_count;
  }
  return Status();
}

}  // namespace tsd::query
