#include "storage/block.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <numeric>

#include "encoding/encoding.h"
#include "encoding/varint.h"

namespace tsd::storage {
namespace {

// Room for n values of T in a buffer kept from call to call (a query
// decodes segment after segment) and never zero-filled; `Slot` tells
// buffers in use at once apart.
template <class T, int Slot>
T* reused_room(size_t n) {
  thread_local std::unique_ptr<T[]> buf;
  thread_local size_t cap = 0;
  if (cap < n) {
    cap = std::max(n, 2 * cap);
    buf.reset(new T[cap]);
  }
  return buf.get();
}

// Whether a block's version and type bytes are ours and a segment may follow.
bool header_ok(std::string_view blob) {
  return blob.size() >= 3 && static_cast<uint8_t>(blob[0]) == kBlockVersion &&
         static_cast<uint8_t>(blob[1]) <= static_cast<uint8_t>(FieldType::kBoolean);
}

// For a block a partial decode found damaged: what the full decode says
// is wrong (where), or a plain corruption.
Status why_damaged(std::string_view blob) {
  Column all;
  TSD_RETURN_IF_ERROR(decode_block(blob, &all));
  return Status::corruption("damaged block");
}

Status corrupt(std::string_view what, size_t at) {
  return Status::corruption("damaged block: " + std::string(what) + ": at byte " +
                            std::to_string(at));
}

template <class T>
void keep(std::vector<T>* v, size_t from, size_t to) {
  if (v->empty()) return;
  v->erase(v->begin() + to, v->end());
  v->erase(v->begin(), v->begin() + from);
}

template <class T>
void gather(std::vector<T>* v, const std::vector<uint32_t>& idx) {
  if (v->empty()) return;
  std::vector<T> out;
  out.reserve(idx.size());
  for (uint32_t k : idx) out.push_back(std::move((*v)[k]));
  *v = std::move(out);
}

}  // namespace

void Column::clear() {
  times.clear();
  f.clear();
  i.clear();
  u.clear();
  b.clear();
  s.clear();
}

void Column::reserve(size_t n) {
  times.reserve(n);
  switch (type) {
    case FieldType::kFloat: f.reserve(n); break;
    case FieldType::kInteger: i.reserve(n); break;
    case FieldType::kUnsigned: u.reserve(n); break;
    case FieldType::kBoolean: b.reserve(n); break;
    case FieldType::kString: s.reserve(n); break;
  }
}

void Column::push_from(const Column& o, size_t k) {
  times.push_back(o.times[k]);
  switch (type) {
    case FieldType::kFloat: f.push_back(o.f[k]); break;
    case FieldType::kInteger: i.push_back(o.i[k]); break;
    case FieldType::kUnsigned: u.push_back(o.u[k]); break;
    case FieldType::kString: s.push_back(o.s[k]); break;
    case FieldType::kBoolean: b.push_back(o.b[k]); break;
  }
}

void Column::append(const Column& o) { append_range(o, 0, o.size()); }

void Column::append_range(const Column& o, size_t from, size_t to) {
  auto add = [from, to](auto& v, const auto& ov) {
    v.insert(v.end(), ov.begin() + static_cast<std::ptrdiff_t>(from),
             ov.begin() + static_cast<std::ptrdiff_t>(to));
  };
  add(times, o.times);
  switch (type) {
    case FieldType::kFloat: add(f, o.f); break;
    case FieldType::kInteger: add(i, o.i); break;
    case FieldType::kUnsigned: add(u, o.u); break;
    case FieldType::kString: add(s, o.s); break;
    case FieldType::kBoolean: add(b, o.b); break;
  }
}

Value Column::value(size_t k) const {
  switch (type) {
    case FieldType::kFloat: return f[k];
    case FieldType::kInteger: return i[k];
    case FieldType::kUnsigned: return u[k];
    case FieldType::kString: return s[k];
    case FieldType::kBoolean: return b[k] != 0;
  }
  return 0.0;
}

void Column::push(int64_t t, const Value& v) {
  if (value_type(v) != type) return;
  times.push_back(t);
  switch (type) {
    case FieldType::kFloat: f.push_back(std::get<double>(v)); break;
    case FieldType::kInteger: i.push_back(std::get<int64_t>(v)); break;
    case FieldType::kUnsigned: u.push_back(std::get<uint64_t>(v)); break;
    case FieldType::kString: s.push_back(std::get<std::string>(v)); break;
    case FieldType::kBoolean: b.push_back(std::get<bool>(v) ? 1 : 0); break;
  }
}

void Column::keep_range(size_t from, size_t to) {
  keep(&times, from, to);
  keep(&f, from, to);
  keep(&i, from, to);
  keep(&u, from, to);
  keep(&b, from, to);
  keep(&s, from, to);
}

void begin_block(FieldType type, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kBlockVersion));
  out->push_back(static_cast<char>(type));
}

void append_segment(const Column& c, size_t begin, size_t end, std::string* out) {
  std::string tmp;
  enc::encode_timestamps(std::span<const int64_t>(c.times.data() + begin, end - begin), &tmp);
  enc::put_uvarint(out, tmp.size());
  out->append(tmp);
  tmp.clear();
  switch (c.type) {
    case FieldType::kFloat:
      enc::encode_floats(std::span<const double>(c.f.data() + begin, end - begin), &tmp);
      break;
    case FieldType::kInteger:
      enc::encode_integers(std::span<const int64_t>(c.i.data() + begin, end - begin), &tmp);
      break;
    case FieldType::kUnsigned:
      enc::encode_unsigned(std::span<const uint64_t>(c.u.data() + begin, end - begin), &tmp);
      break;
    case FieldType::kBoolean:
      enc::encode_booleans(std::span<const uint8_t>(c.b.data() + begin, end - begin), &tmp);
      break;
    case FieldType::kString: {
      std::vector<std::string_view> views(c.s.begin() + begin, c.s.begin() + end);
      enc::encode_strings(views, &tmp);
      break;
    }
  }
  enc::put_uvarint(out, tmp.size());
  out->append(tmp);
}

void encode_blocks(const Column& c, size_t max_points, int64_t field,
                   std::vector<EncodedBlock>* out) {
  for (size_t from = 0; from < c.size(); from += max_points) {
    size_t to = std::min(c.size(), from + max_points);
    EncodedBlock& b = out->emplace_back();
    b.field = field;
    b.min_time = c.times[from];
    b.max_time = c.times[to - 1];
    b.count = static_cast<int64_t>(to - from);
    begin_block(c.type, &b.blob);
    for (size_t s = from; s < to; s += kMaxSegmentPoints) {
      append_segment(c, s, std::min(to, s + kMaxSegmentPoints), &b.blob);
    }
  }
}

Status append_block_segments(std::string_view other, std::string* out) {
  if (other.size() < 2 || out->size() < 2 || other[0] != (*out)[0] || other[1] != (*out)[1]) {
    return corrupt("blocks of different versions or types", 0);
  }
  out->append(other.substr(2));
  return Status();
}

// Appends the first `want` values of one segment to the column of out's
// type (the numeric types decode only those; booleans and strings decode
// all and keep those); *have gets the column's size after.
static Status decode_values(std::string_view in, Column* out, size_t* have, size_t want = SIZE_MAX) {
  Status s;
  auto keep = [&](auto& v, size_t old) {
    if (s.ok() && v.size() - old > want) v.resize(old + want);
    *have = v.size();
  };
  switch (out->type) {
    case FieldType::kFloat: s = enc::decode_floats(in, &out->f, want); *have = out->f.size(); break;
    case FieldType::kInteger: s = enc::decode_integers(in, &out->i, want); *have = out->i.size(); break;
    case FieldType::kUnsigned: s = enc::decode_unsigned(in, &out->u, want); *have = out->u.size(); break;
    case FieldType::kBoolean: {
      size_t old = out->b.size();
      s = enc::decode_booleans(in, &out->b);
      keep(out->b, old);
      break;
    }
    case FieldType::kString: {
      size_t old = out->s.size();
      s = enc::decode_strings(in, &out->s);
      keep(out->s, old);
      break;
    }
  }
  return s;
}

namespace {

// A segment's times: decoded (ts), or a regular interval (t0 + i * dt,
// enc::timestamps_progression: ascending, no overflow up to n).
struct SegmentTimes {
  const int64_t* ts = nullptr;
  int64_t t0 = 0, dt = 1;

  int64_t at(size_t i) const { return ts ? ts[i] : t0 + static_cast<int64_t>(i) * dt; }
  // How many of the first `lim` are below x.
  size_t below(int64_t x, size_t lim) const {
    if (ts) return static_cast<size_t>(std::lower_bound(ts, ts + lim, x) - ts);
    if (x <= t0) return 0;
    const uint64_t d = static_cast<uint64_t>(x) - static_cast<uint64_t>(t0);
    const uint64_t k = d / static_cast<uint64_t>(dt) + (d % static_cast<uint64_t>(dt) != 0);
    return k < lim ? static_cast<size_t>(k) : lim;
  }
  // How many of the first `lim` are at or below x.
  size_t upto(int64_t x, size_t lim) const {
    if (ts) return static_cast<size_t>(std::upper_bound(ts, ts + lim, x) - ts);
    if (x < t0) return 0;
    const uint64_t k = (static_cast<uint64_t>(x) - static_cast<uint64_t>(t0)) / static_cast<uint64_t>(dt);
    return k < lim ? static_cast<size_t>(k) + 1 : lim;
  }
  void append(std::vector<int64_t>* out, size_t from, size_t to) const {
    if (ts) {
      out->insert(out->end(), ts + from, ts + to);
      return;
    }
    const size_t old = out->size();
    out->resize(old + (to - from));
    int64_t* o = out->data() + old;
    for (size_t i = from; i < to; i++) *o++ = at(i);
  }
};

}  // namespace

Status decode_block_range(std::string_view blob, int64_t start, int64_t end, Column* out,
                          int64_t* total, int64_t* first, int64_t* last) {
  if (!header_ok(blob)) return why_damaged(blob);
  out->clear();
  out->type = static_cast<FieldType>(blob[1]);
  *total = 0;
  thread_local Column scratch;  // booleans and strings before the range
  size_t pos = 2;
  bool any = false;
  while (pos < blob.size()) {
    size_t seg_at = pos;
    uint64_t n = 0;
    if (!enc::get_uvarint(blob, &pos, &n) || n > blob.size() - pos)
      return corrupt("timestamp length past the end", seg_at);
    // Timestamps at a regular interval are computed, not decoded (a query
    // of an hour of a day's segment would decode the day); others go into
    // a buffer kept from call to call, then only those in range into the
    // answer: no zero fill, no copy of the rest.
    const std::string_view tblob = blob.substr(pos, n);
    SegmentTimes st;
    size_t nt = 0;
    if (!enc::timestamps_progression(tblob, &nt, &st.t0, &st.dt)) {
      auto tn = enc::encoded_count(tblob);
      Status s;
      if (tn.ok()) {
        int64_t* room = reused_room<int64_t, 0>(*tn);
        s = enc::decode_timestamps(tblob, room, SIZE_MAX, &nt);
        st.ts = room;
      } else {
        std::vector<int64_t> v;  // says what is wrong as the full decode does
        s = enc::decode_timestamps(tblob, &v);
        if (s.ok()) s = tn.status();
      }
      if (!s.ok()) return s.with_context("damaged block: timestamps at byte " + std::to_string(pos));
    }
    pos += n;
    size_t vals_at = pos;
    if (!enc::get_uvarint(blob, &pos, &n) || n > blob.size() - pos)
      return corrupt("value length past the end", vals_at);
    if (nt > 0) {
      if (!any) *first = st.at(0);
      *last = st.at(nt - 1);
      any = true;
      *total += static_cast<int64_t>(nt);
      if (st.at(nt - 1) >= start && st.at(0) <= end) {
        // A segment with points in range: its values too, up to the last
        // point in range (the codecs are sequential: the values before
        // the first are decoded on the way, into a buffer of their own,
        // so that the answer's column holds, and first touches, only the
        // range).
        Status s;
        const std::string_view vals = blob.substr(pos, n);
        auto count = enc::encoded_count(vals);
        if (count.ok() && *count != nt) {
          return corrupt("segment has a different number of timestamps and values", seg_at);
        }
        const size_t want = st.upto(end, nt);
        const size_t from = st.below(start, want);
        st.append(&out->times, from, want);
        size_t have = 0;
        auto range = [&](auto& v, auto decode) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          T* room = reused_room<T, 1>(want);
          s = decode(vals, room, want, &have);
          if (s.ok() && have == want) v.insert(v.end(), room + from, room + want);
        };
        switch (out->type) {
          case FieldType::kFloat:
            range(out->f, [](auto... a) { return enc::decode_floats(a...); });
            break;
          case FieldType::kInteger:
            range(out->i, [](auto... a) { return enc::decode_integers(a...); });
            break;
          case FieldType::kUnsigned:
            range(out->u, [](auto... a) { return enc::decode_unsigned(a...); });
            break;
          case FieldType::kBoolean:
          case FieldType::kString:
            scratch.clear();
            scratch.type = out->type;
            s = decode_values(vals, &scratch, &have, want);
            if (!s.ok() || have != want) break;
            if (out->type == FieldType::kBoolean) {
              out->b.insert(out->b.end(), scratch.b.begin() + static_cast<ptrdiff_t>(from), scratch.b.end());
            } else {
              std::move(scratch.s.begin() + static_cast<ptrdiff_t>(from), scratch.s.end(), std::back_inserter(out->s));
            }
            break;
        }
        if (!s.ok()) return s.with_context("damaged block: values at byte " + std::to_string(pos));
        if (have != want) {
          return corrupt("segment has a different number of timestamps and values", seg_at);
        }
      }
    }
    pos += n;
  }
  auto a = std::lower_bound(out->times.begin(), out->times.end(), start) - out->times.begin();
  auto b = std::upper_bound(out->times.begin(), out->times.end(), end) - out->times.begin();
  if (a != 0 || static_cast<size_t>(b) != out->size()) {
    out->keep_range(static_cast<size_t>(a), static_cast<size_t>(b));
  }
  return Status();
}

namespace {

// The bounds of a block's first (or last) segment; false when the lengths
// do not add up (damaged).
bool edge_segment(std::string_view blob, bool last, size_t* from, size_t* to) {
  size_t pos = 2;
  *from = *to = 2;
  while (pos < blob.size()) {
    size_t at = pos;
    for (int part = 0; part < 2; part++) {
      uint64_t n = 0;
      if (!enc::get_uvarint(blob, &pos, &n) || n > blob.size() - pos) return false;
      pos += n;
    }
    *from = at;
    *to = pos;
    if (!last) break;
  }
  return true;
}

}  // namespace

Status decode_block_edge_point(std::string_view blob, bool last, int64_t time, Column* out) {
  size_t from, to;
  if (!header_ok(blob) || !edge_segment(blob, last, &from, &to)) return why_damaged(blob);
  out->clear();
  out->type = static_cast<FieldType>(blob[1]);
  // Past the segment's timestamps to its values.
  size_t pos = from;
  uint64_t n = 0;
  enc::get_uvarint(blob, &pos, &n);
  pos += n;
  const size_t vals_at = pos;
  enc::get_uvarint(blob, &pos, &n);
  thread_local Column seg;
  seg.clear();
  seg.type = out->type;
  size_t have = 0;
  Status s = decode_values(blob.substr(pos, n), &seg, &have, last ? SIZE_MAX : 1);
  if (!s.ok()) return s.with_context("damaged block: values at byte " + std::to_string(vals_at));
  if (have == 0) return Status();
  seg.times.assign(have, time);
  out->push_from(seg, last ? have - 1 : 0);
  return Status();
}

Status decode_block(std::string_view blob, Column* out, bool ordered) {
  if (blob.size() < 2) return corrupt("too short", blob.size());
  if (static_cast<uint8_t>(blob[0]) != kBlockVersion) return corrupt("unknown version", 0);
  uint8_t type = static_cast<uint8_t>(blob[1]);
  if (type > static_cast<uint8_t>(FieldType::kBoolean)) return corrupt("unknown field type", 1);
  out->type = static_cast<FieldType>(type);
  size_t pos = 2;
  size_t first = out->times.size();
  if (blob.size() == 2) return corrupt("no segment", 2);
  while (pos < blob.size()) {
    size_t seg_at = pos;
    uint64_t n = 0;
    if (!enc::get_uvarint(blob, &pos, &n) || n > blob.size() - pos) {
      return corrupt("timestamp length past the end", seg_at);
    }
    size_t before = out->times.size();
    Status s = enc::decode_timestamps(blob.substr(pos, n), &out->times);
    if (!ordered) first = before;
    if (!s.ok()) return s.with_context("damaged block: timestamps at byte " + std::to_string(pos));
    pos += n;
    size_t vals_at = pos;
    if (!enc::get_uvarint(blob, &pos, &n) || n > blob.size() - pos) {
      return corrupt("value length past the end", vals_at);
    }
    std::string_view in = blob.substr(pos, n);
    size_t have = 0;
    s = decode_values(in, out, &have);
    if (!s.ok()) return s.with_context("damaged block: values at byte " + std::to_string(pos));
    if (have != out->times.size()) {
      return corrupt("segment has " + std::to_string(out->times.size() - before) +
                         " timestamps but a different number of values",
                     seg_at);
    }
    pos += n;
    if (!ordered) {
      for (size_t k = first + 1; k < out->times.size(); k++) {
        if (out->times[k] <= out->times[k - 1]) return corrupt("times not ascending", seg_at);
      }
    }
  }
  for (size_t k = first + 1; ordered && k < out->times.size(); k++) {
    if (out->times[k] <= out->times[k - 1]) return corrupt("times not ascending", 0);
  }
  return Status();
}

void sort_dedup(Column* c) {
  size_t n = c->times.size();
  bool strict = true;
  for (size_t k = 1; k < n && strict; k++) strict = c->times[k] > c->times[k - 1];
  if (strict) return;
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  auto earlier = [&](uint32_t a, uint32_t b) { return c->times[a] < c->times[b]; };
  // The points usually come as a few runs in order (the requests or
  // batches buffered together, each in order): those merged pairwise,
  // stably, in O(n log runs); else a stable sort.
  std::vector<size_t> runs{0};
  for (size_t k = 1; k < n && runs.size() <= 64; k++) {
    if (c->times[k] < c->times[k - 1]) runs.push_back(k);
  }
  if (runs.size() <= 64) {
    runs.push_back(n);
    while (runs.size() > 2) {
      std::vector<size_t> merged{0};
      for (size_t r = 0; r + 1 < runs.size(); r += 2) {
        const size_t end = r + 2 < runs.size() ? runs[r + 2] : runs[r + 1];
        if (r + 2 < runs.size()) {
          std::inplace_merge(idx.begin() + static_cast<std::ptrdiff_t>(runs[r]),
                             idx.begin() + static_cast<std::ptrdiff_t>(runs[r + 1]),
                             idx.begin() + static_cast<std::ptrdiff_t>(end), earlier);
        }
        merged.push_back(end);
      }
      runs = std::move(merged);
    }
  } else {
    std::stable_sort(idx.begin(), idx.end(), earlier);
  }
  // Of a run of equal times keep the last (the latest write).
  std::vector<uint32_t> kept;
  kept.reserve(n);
  for (size_t k = 0; k < n; k++) {
    if (k + 1 < n && c->times[idx[k + 1]] == c->times[idx[k]]) continue;
    kept.push_back(idx[k]);
  }
  gather(&c->times, kept);
  gather(&c->f, kept);
  gather(&c->i, kept);
  gather(&c->u, kept);
  gather(&c->b, kept);
  gather(&c->s, kept);
}

}  // namespace tsd::storage
