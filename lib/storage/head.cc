// Head rows: encoding one flush of a series, decoding chains (head.h).
#include "storage/head.h"

#include <algorithm>
#include <bit>
#include <unordered_map>

#include "encoding/varint.h"

namespace tsd::storage {
namespace {

enum Mode : uint8_t { kAbsent = 0, kAll = 1, kSame = 2, kSome = 3 };

using enc::unzigzag;
using enc::zigzag;

// The bits of point k of a numeric column (integers, unsigned, floats, booleans).
uint64_t bits_at(const Column& c, size_t k) {
  switch (c.type) {
    case FieldType::kFloat: return std::bit_cast<uint64_t>(c.f[k]);
    case FieldType::kInteger: return static_cast<uint64_t>(c.i[k]);
    case FieldType::kUnsigned: return c.u[k];
    case FieldType::kBoolean: return c.b[k];
    case FieldType::kString: break;
  }
  return 0;
}

void push_bits(Column* c, int64_t t, uint64_t v) {
  c->times.push_back(t);
  switch (c->type) {
    case FieldType::kFloat: c->f.push_back(std::bit_cast<double>(v)); break;
    case FieldType::kInteger: c->i.push_back(static_cast<int64_t>(v)); break;
    case FieldType::kUnsigned: c->u.push_back(v); break;
    case FieldType::kBoolean: c->b.push_back(static_cast<uint8_t>(v != 0)); break;
    case FieldType::kString: break;
  }
}

void put_value(FieldType type, uint64_t v, uint64_t last, std::string* out) {
  switch (type) {
    case FieldType::kFloat: enc::put_uvarint(out, v ^ last); break;
    case FieldType::kInteger:
    case FieldType::kUnsigned:
      enc::put_uvarint(out, zigzag(static_cast<int64_t>(v - last)));
      break;
    case FieldType::kBoolean: out->push_back(static_cast<char>(v != 0)); break;
    case FieldType::kString: break;
  }
}

// A bounds-checked cursor over one row.
class In {
 public:
  explicit In(std::string_view s) : s_(s) {}
  size_t at() const { return pos_; }
  bool u8(uint8_t* v) {
    if (pos_ >= s_.size()) return false;
    *v = static_cast<uint8_t>(s_[pos_++]);
    return true;
  }
  bool uvarint(uint64_t* v) { return enc::get_uvarint(s_, &pos_, v); }
  bool bytes(size_t n, std::string_view* v) {
    if (n > s_.size() - pos_) return false;
    *v = s_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

void encode_head_row(HeadChain* chain, const std::vector<HeadField>& add,
                     const std::vector<const Column*>& cols, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kHeadVersion));
  enc::put_uvarint(out, static_cast<uint64_t>(chain->base));
  enc::put_uvarint(out, add.size());
  for (const HeadField& f : add) {
    enc::put_uvarint(out, static_cast<uint64_t>(f.id));
    out->push_back(static_cast<char>(f.type));
    chain->fields.push_back(f);
    chain->last.push_back(0);
  }
  const size_t nf = chain->fields.size();

  // The row's times: those of the first column, or the union when the
  // columns differ (fields missing from some lines, out-of-order input).
  const Column* first = nullptr;
  bool same = true;
  for (size_t k = 0; k < cols.size() && k < nf; k++) {
    const Column* c = cols[k];
    if (!c || c->empty()) continue;
    if (!first) {
      first = c;
    } else if (same && c->times != first->times) {
      same = false;
    }
  }
  std::vector<int64_t> merged;
  if (!same) {
    for (size_t k = 0; k < cols.size() && k < nf; k++) {
      if (cols[k]) merged.insert(merged.end(), cols[k]->times.begin(), cols[k]->times.end());
    }
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  }
  const std::vector<int64_t>& times = !first ? merged : same ? first->times : merged;
  const size_t nt = times.size();
  enc::put_uvarint(out, nt);
  for (size_t k = 0; k < nt; k++) {
    int64_t prev = k == 0 ? chain->last_time : times[k - 1];
    if (k == 0) {
      enc::put_uvarint(
          out, zigzag(static_cast<int64_t>(static_cast<uint64_t>(times[0]) -
                                           static_cast<uint64_t>(prev))));
    } else {
      enc::put_uvarint(out, static_cast<uint64_t>(times[k]) - static_cast<uint64_t>(prev));
    }
  }
  if (nt > 0) chain->last_time = times.back();

  // Modes first (2 bits a field), then the values.
  size_t modes_at = out->size();
  out->append((nf * 2 + 7) / 8, '\0');
  for (size_t k = 0; k < nf; k++) {
    const Column* c = k < cols.size() ? cols[k] : nullptr;
    if (!c || c->empty()) continue;
    const FieldType type = chain->fields[k].type;
    uint8_t mode = c->size() == nt ? kAll : kSome;
    if (mode == kAll && type != FieldType::kString) {
      bool unchanged = true;
      for (size_t j = 0; j < c->size() && unchanged; j++) {
        unchanged = bits_at(*c, j) == chain->last[k];
      }
      if (unchanged) mode = kSame;
    }
    char& m = (*out)[modes_at + k / 4];
    m = static_cast<char>(m | (mode << (2 * (k % 4))));
    if (mode == kSame) continue;
    if (mode == kSome) {
      size_t bm = out->size();
      out->append((nt + 7) / 8, '\0');
      size_t j = 0;
      for (size_t t = 0; t < nt && j < c->size(); t++) {
        if (times[t] == c->times[j]) {
          (*out)[bm + t / 8] = static_cast<char>((*out)[bm + t / 8] | (1 << (t % 8)));
          j++;
        }
      }
    }
    if (type == FieldType::kString) {
      for (const std::string& s : c->s) {
        enc::put_uvarint(out, s.size());
        out->append(s);
      }
      continue;
    }
    uint64_t last = chain->last[k];
    for (size_t j = 0; j < c->size(); j++) {
      uint64_t v = bits_at(*c, j);
      put_value(type, v, last, out);
      last = v;
    }
    chain->last[k] = last;
  }
}

Status HeadDecoder::add(const std::vector<HeadRowRef>& rows) {
  std::map<int64_t, Column>* out = &cols_;
  auto& chains = chains_;
  std::vector<int64_t>& times = times_;
  for (const HeadRowRef& row : rows) {
    In in(row.data);
    auto bad = [&](std::string_view why) {
      return Status::corruption("damaged head row " + std::to_string(row.id) + ": " +
                                std::string(why) + ": at byte " + std::to_string(in.at()));
    };
    uint8_t version = 0;
    if (!in.u8(&version) || version != kHeadVersion) return bad("unknown version");
    uint64_t base = 0, n_new = 0, nt = 0;
    if (!in.uvarint(&base)) return bad("truncated");
    State st;
    if (base != 0) {
      auto it = chains.find(static_cast<int64_t>(base));
      if (it == chains.end()) return bad("base row " + std::to_string(base) + " missing");
      st = std::move(it->second);
      chains.erase(it);
    }
    if (!in.uvarint(&n_new) || n_new > row.data.size()) return bad("truncated field list");
    for (uint64_t k = 0; k < n_new; k++) {
      uint64_t id = 0;
      uint8_t type = 0;
      if (!in.uvarint(&id) || !in.u8(&type)) return bad("truncated field list");
      if (type > static_cast<uint8_t>(FieldType::kBoolean) || id == 0) return bad("bad field");
      st.fields.push_back({static_cast<int64_t>(id), static_cast<FieldType>(type)});
      st.last.push_back(0);
    }
    if (!in.uvarint(&nt) || nt > row.data.size() * 8) return bad("truncated times");
    times.resize(nt);
    for (uint64_t k = 0; k < nt; k++) {
      uint64_t d = 0;
      if (!in.uvarint(&d)) return bad("truncated times");
      if (k == 0) {
        times[0] = static_cast<int64_t>(static_cast<uint64_t>(st.last_time) +
                                        static_cast<uint64_t>(unzigzag(d)));
      } else {
        if (d == 0) return bad("times not ascending");
        times[k] = static_cast<int64_t>(static_cast<uint64_t>(times[k - 1]) + d);
        if (times[k] <= times[k - 1]) return bad("times not ascending");
      }
    }
    if (nt > 0) st.last_time = times.back();
    const size_t nf = st.fields.size();
    std::string_view modes;
    if (!in.bytes((nf * 2 + 7) / 8, &modes)) return bad("truncated modes");
    for (size_t k = 0; k < nf; k++) {
      uint8_t mode = (static_cast<uint8_t>(modes[k / 4]) >> (2 * (k % 4))) & 3;
      if (mode == kAbsent) continue;
      const HeadField& f = st.fields[k];
      Column& c = (*out)[f.id];
      if (c.empty()) c.type = f.type;
      if (c.type != f.type) return bad("field " + std::to_string(f.id) + " changes type");
      std::string_view bitmap;
      if (mode == kSome && !in.bytes((nt + 7) / 8, &bitmap)) return bad("truncated bitmap");
      uint64_t last = st.last[k];
      for (size_t t = 0; t < nt; t++) {
        if (mode == kSome && !((static_cast<uint8_t>(bitmap[t / 8]) >> (t % 8)) & 1)) continue;
        if (mode == kSame) {
          if (f.type == FieldType::kString) return bad("string field without values");
          push_bits(&c, times[t], last);
          continue;
        }
        if (f.type == FieldType::kString) {
          uint64_t n = 0;
          std::string_view s;
          if (!in.uvarint(&n) || !in.bytes(n, &s)) return bad("truncated string");
          c.times.push_back(times[t]);
          c.s.emplace_back(s);
          continue;
        }
        uint64_t v = 0;
        if (f.type == FieldType::kBoolean) {
          uint8_t b = 0;
          if (!in.u8(&b)) return bad("truncated value");
          v = b;
        } else {
          uint64_t d = 0;
          if (!in.uvarint(&d)) return bad("truncated value");
          v = f.type == FieldType::kFloat ? last ^ d
                                          : last + static_cast<uint64_t>(unzigzag(d));
        }
        push_bits(&c, times[t], v);
        last = v;
      }
      st.last[k] = last;
    }
    if (!in.done()) return bad("trailing bytes");
    chains.emplace(row.id, std::move(st));
  }
  for (auto& [id, c] : *out) sort_dedup(&c);
  return Status();
}

Status decode_head_rows(const std::vector<HeadRowRef>& rows, std::map<int64_t, Column>* out) {
  HeadDecoder d;
  TSD_RETURN_IF_ERROR(d.add(rows));
  *out = std::move(d.columns());
  return Status();
}

}  // namespace tsd::storage
