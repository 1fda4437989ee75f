// parse_line: one line of line protocol into views (the write path's hot
// loop), with InfluxDB 1.6.7's rules for each part; values in value.cc.
#include <algorithm>
#include <array>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "lineproto/lineproto.h"
#include "lineproto/parse_internal.h"

namespace tsd::lp {
namespace {

using internal::error_at;

// Byte classes: which bytes end (or escape within) each part.
enum : uint8_t {
  kMeasStop = 1,  // ',' ' ' '\\'
  kTagStop = 2,   // ',' ' ' '=' '\\' (tags and field keys)
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  t['\\'] = kMeasStop | kTagStop;
  t[','] = kMeasStop | kTagStop;
  t[' '] = kMeasStop | kTagStop;
  t['='] = kTagStop;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

inline uint8_t cls(char c) { return kClass[static_cast<unsigned char>(c)]; }

// The first of ',', ' ', '\\' (and '=' when kEq) in [p, end), or end;
// 16 bytes at a time where SSE2 is there (the hot loop of the parser).
template <bool kEq>
inline const char* find_special(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i slash = _mm_set1_epi8('\\');
  const __m128i eq = _mm_set1_epi8('=');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, space)),
                             _mm_cmpeq_epi8(v, slash));
    if (kEq) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, eq));
    if (int bits = _mm_movemask_epi8(m)) return p + __builtin_ctz(static_cast<unsigned>(bits));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (cls(*p) & (kEq ? kTagStop : kMeasStop)) return p;
  }
  return end;
}

// The measurement and tags (InfluxDB's scanMeasurement/scanTags): a byte
// right after a backslash never ends the part, even a backslash, which
// then hides the byte after it too. Returns the first byte that ends the
// part (one of `mask`), or end.
template <bool kEq>
inline const char* scan_key_part(const char* p, const char* end) {
  for (;;) {
    p = find_special<kEq>(p, end);
    if (p == end || *p != '\\') return p;
    ++p;
    while (p < end && *p == '\\') ++p;
    if (p < end) ++p;
  }
}

// A field key (InfluxDB's scanFields): a backslash hides the next byte.
// Sets *escaped when the key holds a backslash.
inline const char* scan_field_key(const char* p, const char* end, bool* escaped) {
  for (;;) {
    p = find_special<true>(p, end);
    if (p == end || *p != '\\') return p;
    *escaped = true;
    p += (p + 1 < end) ? 2 : 1;
  }
}

// The first ' ' or '\\' in [p, end), or end.
inline const char* find_space_or_backslash(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i slash = _mm_set1_epi8('\\');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, slash));
    if (int bits = _mm_movemask_epi8(m)) return p + __builtin_ctz(static_cast<unsigned>(bits));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (*p == ' ' || *p == '\\') return p;
  }
  return end;
}

inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\0'; }

// A cheap 6-bit signature of a key, to skip most pairwise comparisons when
// looking for repeated keys.
inline uint64_t key_bit(std::string_view k) {
  auto at = [&](size_t i) { return static_cast<size_t>(static_cast<unsigned char>(k[i])); };
  return uint64_t{1} << ((k.size() * 7 + at(k.size() - 1) * 3 + at(0) + at(k.size() / 2) * 5) & 63);
}

// A field key's two bits in a 4096-bit filter (a line may have hundreds of
// fields: Telegraf's mysql input sends ~300), from its size and its first
// and last 8 bytes.
struct KeyFilter {
  uint64_t w[64] = {};
  static uint64_t hash(std::string_view k) {
    uint64_t a = 0, b = 0;
    const size_t n = k.size();
    if (n >= 8) {
      std::memcpy(&a, k.data(), 8);
      std::memcpy(&b, k.data() + n - 8, 8);
    } else {
      std::memcpy(&a, k.data(), n);
    }
    // Multiplications carry every input bit up: take the top bits.
    uint64_t h = (a * 0x9e3779b97f4a7c15ull ^ (b + n)) * 0xc2b2ae3d27d4eb4full;
    return h ^ (h >> 32) * 0xff51afd7ed558ccdull;
  }
  // Sets the key's bits; whether both were set already.
  bool add(std::string_view k) {
    const uint64_t h = hash(k);
    const unsigned i = h >> 52, j = (h >> 40) & 4095;
    const bool had = ((w[i >> 6] >> (i & 63)) & (w[j >> 6] >> (j & 63)) & 1) != 0;
    w[i >> 6] |= uint64_t{1} << (i & 63);
    w[j >> 6] |= uint64_t{1} << (j & 63);
    return had;
  }
};

Status check_tags(const char* line, ParsedLine* out) {
  uint64_t seen = 0;
  auto& tags = out->tags;
  for (size_t i = 0; i < tags.size(); ++i) {
    std::string_view k = tags[i].key;
    if (k == "time") {
      return error_at(line, k.data(), "tag key \"time\" is not allowed (InfluxDB drops such points)");
    }
    // Escaped tag keys are canonical (',', '=' and ' ' cannot appear
    // unescaped), so comparing them as written is exact.
    uint64_t bit = key_bit(k);
    if (seen & bit) {
      for (size_t j = 0; j < i; ++j) {
        if (tags[j].key == k) {
          return error_at(line, k.data(), "tag key \"" + std::string(k) + "\" given twice");
        }
      }
    }
    seen |= bit;
  }
  return Status();
}

// Whether field keys a and b are the same once unescaped; a_may_escape:
// whether a (an earlier key of the line) can hold a backslash at all.
bool same_field_key(const ParsedField& a, std::string_view b, bool b_escaped, bool a_may_escape) {
  if (!b_escaped && (!a_may_escape || a.key.find('\\') == std::string_view::npos)) {
    return a.key == b;
  }
  return unescape_field_key(a.key) == unescape_field_key(b);
}

}  // namespace

bool is_blank_or_comment(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && is_ws(line[i])) ++i;
  return i == line.size() || line[i] == '#';
}

namespace {

template <bool kDefer>
Status parse_impl(std::string_view line, const ParseOptions& opts, ParsedLine* out) {
  const char* const b = line.data();
  const char* const e = b + line.size();
  const char* p = b;
  out->tags.clear();
  out->fields.clear();
  out->time = 0;
  out->has_time = false;
  out->text = line;
  out->tags_deferred = false;

  while (p < e && is_ws(*p)) ++p;
  if (p == e || *p == ',') return error_at(b, p, "expected a measurement name");

  const char* const ms = p;
  if constexpr (kDefer) {
    // Without a backslash the series text ends at the first space (where
    // InfluxDB's record splitting starts the fields too).
    const char* q = find_space_or_backslash(p, e);
    if (q != e && *q == ' ' && static_cast<size_t>(q - ms) <= kMaxKeyLength) {
      out->measurement = std::string_view();
      out->raw_series = std::string_view(ms, q - ms);
      out->tags_deferred = true;
      out->options = opts;
      p = q;
      goto fields;
    }
  }
  // Measurement.
  p = scan_key_part<false>(p, e);
  out->measurement = std::string_view(ms, p - ms);
  if (p == e) return error_at(b, p, "expected a space and fields after the measurement");

  // Tags.
  if (*p == ',') {
    ++p;
    for (;;) {
      const char* ks = p;
      if (p == e || *p == ' ' || *p == ',' || *p == '=') return error_at(b, p, "expected a tag key");
      p = scan_key_part<true>(p, e);
      if (p == e || *p != '=') return error_at(b, p, "expected '=' and a value after the tag key");
      std::string_view key(ks, p - ks);
      const char* vs = ++p;
      if (p == e || *p == ',' || *p == ' ') return error_at(b, p, "expected a tag value");
      if (*p == '=') ++p;  // as InfluxDB: a leading '=' belongs to the value
      p = scan_key_part<true>(p, e);
      if (p == e) return error_at(b, p, "expected a space and fields after the tags");
      if (*p == '=') {
        return error_at(b, p, "expected ',' or a space after the tag value ('=' in a value is written \\=)");
      }
      out->tags.push_back({key, std::string_view(vs, p - vs)});
      if (*p == ' ') break;
      ++p;
    }
    TSD_RETURN_IF_ERROR(check_tags(b, out));
  }
  out->raw_series = std::string_view(ms, p - ms);
  if (out->raw_series.size() > kMaxKeyLength) {
    return error_at(b, ms, "series key longer than 65535 bytes");
  }

fields: __attribute__((unused));  // from the defer_tags shortcut
  // Fields.
  ++p;  // the space
  while (p < e && is_ws(*p)) ++p;
  Status err;
  KeyFilter seen;
  bool any_escaped = false;  // then signatures are not enough
  const char* fields_start = p;
  for (;;) {
    const char* ks = p;
    bool escaped = false;
    p = scan_field_key(p, e, &escaped);
    if (p == ks) {
      if (p == e && ks == fields_start) return error_at(b, p, "expected fields (key=value)");
      return error_at(b, p, "expected a field key");
    }
    if (p == e || *p != '=') return error_at(b, p, "expected '=' and a value after the field key");
    std::string_view key(ks, p - ks);
    if (escaped && key.back() == '\\') {
      return error_at(b, ks, "a field key cannot end in a backslash (InfluxDB misreads it)");
    }
    if (out->raw_series.size() + 4 + key.size() > kMaxKeyLength) {
      return error_at(b, ks, "series key and field key longer than 65535 bytes");
    }
    ++p;
    ParsedField& f = out->fields.emplace_back();
    f.key = key;
    if (!internal::parse_number_fast(&p, e, &f) && !internal::parse_value(b, &p, e, opts, &f, &err)) {
      return err;
    }
    if (p < e && *p != ',' && *p != ' ') {
      return error_at(b, p, "expected ',' or a space after the field value");
    }
    if (key == "time") {
      out->fields.pop_back();  // InfluxDB drops a field named time
    } else {
      if (seen.add(key) || escaped || any_escaped) {
        auto& fs = out->fields;
        for (size_t j = 0; j + 1 < fs.size(); ++j) {
          if (same_field_key(fs[j], key, escaped, any_escaped)) {
            if (fs[j].type != f.type) {  // InfluxDB: a field type conflict
              return error_at(b, ks, "field \"" + std::string(key) + "\" given twice with different types (" +
                                         std::string(field_type_name(fs[j].type)) + ", then " +
                                         std::string(field_type_name(f.type)) + ")");
            }
            fs.erase(fs.begin() + j);  // the last value wins
            break;
          }
        }
      }
      any_escaped = any_escaped || escaped;
    }
    if (p == e || *p == ' ') break;
    ++p;  // ','
  }
  if (out->fields.empty()) {
    return error_at(b, fields_start, "field key \"time\" is not allowed and the point has no other field");
  }

  // Timestamp.
  if (p == e) return Status();
  ++p;  // the space
  while (p < e && is_ws(*p)) ++p;
  if (p == e) return Status();
  const char* ts = p;
  // The usual case: digits to the end of the line, in range (one pass,
  // eight digits at a time); anything else goes to parse_time.
  uint64_t v = 0;
  const char* q = internal::read_digits(p, e - p > 19 ? p + 19 : e, &v);
  int64_t scaled;
  if (q == e && q != ts && v <= uint64_t{INT64_MAX} &&
      !__builtin_mul_overflow(static_cast<int64_t>(v), precision_ns(opts.precision), &scaled) &&
      scaled <= kMaxTime) {
    out->time = scaled;
    out->has_time = true;
    return Status();
  }
  while (p < e && *p != ' ') ++p;
  if (!internal::parse_time(b, ts, p, opts.precision, &out->time, &err)) return err;
  out->has_time = true;
  while (p < e && *p == ' ') ++p;
  if (p != e) return error_at(b, p, "expected the end of the line after the timestamp");
  return Status();
}

}  // namespace

Status parse_line(std::string_view line, const ParseOptions& opts, ParsedLine* out) {
  if (!opts.defer_tags) return parse_impl<false>(line, opts, out);
  Status s = parse_impl<true>(line, opts, out);
  if (s.ok() || !out->tags_deferred) return s;
  return parse_impl<false>(line, opts, out);  // the error of the whole line
}

Status complete_line(ParsedLine* line) {
  ParseOptions opts = line->options;
  opts.defer_tags = false;
  std::string_view text = line->text;
  return parse_impl<false>(text, opts, line);
}

Status CheckedSeries::check(ParsedLine* line) {
  if (!line->tags_deferred || texts_.find(line->raw_series) != texts_.end()) return Status();
  TSD_RETURN_IF_ERROR(complete_line(line));
  if (texts_.size() >= 100000) texts_.clear();
  texts_.emplace(line->raw_series);
  return Status();
}

std::string series_key(const ParsedLine& line) {
  std::string out;
  out.reserve(line.raw_series.size());
  out.append(line.measurement);
  const auto& tags = line.tags;
  // Indices sorted by unescaped key; a small array and no allocation for
  // the usual tag counts.
  std::array<uint16_t, 64> small;
  std::vector<uint16_t> big;
  uint16_t* idx = small.data();
  if (tags.size() > small.size()) {
    big.resize(tags.size());
    idx = big.data();
  }
  bool escaped = false;
  for (size_t i = 0; i < tags.size(); ++i) {
    idx[i] = static_cast<uint16_t>(i);
    escaped = escaped || tags[i].key.find('\\') != std::string_view::npos;
  }
  if (!escaped) {
    std::sort(idx, idx + tags.size(),
              [&](uint16_t a, uint16_t b) { return tags[a].key < tags[b].key; });
  } else {
    std::vector<std::string> keys;
    keys.reserve(tags.size());
    for (const auto& t : tags) keys.push_back(unescape_tag(t.key));
    std::sort(idx, idx + tags.size(), [&](uint16_t a, uint16_t b) { return keys[a] < keys[b]; });
  }
  for (size_t i = 0; i < tags.size(); ++i) {
    const ParsedTag& t = tags[idx[i]];
    out.push_back(',');
    out.append(t.key);
    out.push_back('=');
    out.append(t.value);
  }
  return out;
}

}  // namespace tsd::lp
