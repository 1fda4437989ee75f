// codec-measure: how well lib/encoding compresses a data set, beside the
// empirical entropy of its deltas and Gorilla XOR, so that codec choices are
// measured, not guessed.
//
//   tsd-gen --variant int | codec-measure [--block N]
//   codec-measure --walk int|float [--series 1000] [--points 8640] [--block N]
//
// Reads line protocol on stdin (simple parsing: no escaped spaces or commas,
// no spaces in strings), groups values per (series, field), cuts each into
// blocks of N points (default 8640), encodes timestamps and values, and
// prints per column kind: values, bytes/value of the values, of the
// timestamps, in all (block headers of the codecs included; storage's own
// overhead is not), the encode and decode speeds, and the entropies:
//   integers: order-0 entropy of the deltas, and of a delta given the previous one;
//   floats:   H(bit length of the zigzagged delta of the IEEE bit patterns) +
//             the mean bits below the leading one (what an ideal "bit length +
//             raw bits" coder pays), and the bytes Gorilla XOR needs.
// It also counts the representation each block got (the codecs' modes).
// --walk generates the TSBS-style walk (clamped [0,100], normal(0,1) steps)
// without a generator.
#include <CLI/CLI.hpp>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "encoding/encoding.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Column {
  char kind = 0;  // 'i', 'u', 'f', 'b', 's'
  std::vector<int64_t> times;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<uint8_t> bools;
  std::vector<std::string> strings;
};

bool parse_line(std::string_view line, std::unordered_map<std::string, Column>* cols) {
  if (line.empty() || line[0] == '#') return true;
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return false;
  std::string_view series = line.substr(0, sp1);
  std::string_view fields = line.substr(sp1 + 1, sp2 - sp1 - 1);
  int64_t t = std::stoll(std::string(line.substr(sp2 + 1)));
  std::string key(series);
  key += ' ';
  size_t klen = key.size();
  while (!fields.empty()) {
    size_t comma = fields.find(',');
    std::string_view kv = fields.substr(0, comma);
    fields = comma == std::string_view::npos ? std::string_view() : fields.substr(comma + 1);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view v = kv.substr(eq + 1);
    key.resize(klen);
    key += kv.substr(0, eq);
    Column& c = (*cols)[key];
    c.times.push_back(t);
    if (v.back() == 'i' || v.back() == 'u') {
      c.kind = v.back();
      c.ints.push_back(v.back() == 'i' ? std::stoll(std::string(v)) : static_cast<int64_t>(std::stoull(std::string(v))));
    } else if (v[0] == '"') {
      c.kind = 's';
      c.strings.emplace_back(v.substr(1, v.size() - 2));
    } else if (v[0] == 't' || v[0] == 'T' || v[0] == 'f' || v[0] == 'F') {
      c.kind = 'b';
      c.bools.push_back(v[0] == 't' || v[0] == 'T');
    } else {
      c.kind = 'f';
      c.floats.push_back(std::strtod(std::string(v).c_str(), nullptr));
    }
  }
  return true;
}

void generate(const std::string& variant, size_t series, size_t points, std::unordered_map<std::string, Column>* cols) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> step(0, 1);
  std::uniform_real_distribution<double> start(0, 100);
  for (size_t s = 0; s < series; ++s) {
    Column& c = (*cols)["walk " + std::to_string(s)];
    c.kind = variant == "int" ? 'i' : 'f';
    double x = start(rng);
    for (size_t i = 0; i < points; ++i) {
      x = std::clamp(x + step(rng), 0.0, 100.0);
      c.times.push_back(1451606400000000000 + static_cast<int64_t>(i) * 10000000000);
      if (c.kind == 'i') c.ints.push_back(static_cast<int64_t>(x));
      else c.floats.push_back(x);
    }
  }
}

// The representation an encoding uses, read from its mode bytes
// (formats in lib/encoding/*.cc): "ENTROPY", "DECIMAL e=2 PACKED", ...
std::string mode_name(const std::string& enc, char kind) {
  size_t i = 1;
  while (i < enc.size() && (static_cast<uint8_t>(enc[i]) & 0x80)) ++i;
  if (++i >= enc.size()) return "EMPTY";
  std::string name;
  if (kind == 'b') return enc[i] ? "RUNS" : "BITS";
  if (kind == 's') return enc[i] ? "LZ4" : "RAW";
  if (kind == 'f') {
    if (enc[i] == 1) {
      name = "DECIMAL e=" + std::to_string(enc[i + 1]) + " ";
      // skip e, the exception count and the exceptions
      size_t j = i + 2;
      uint64_t nexc = 0;
      for (int sh = 0; j < enc.size(); sh += 7) {
        nexc |= static_cast<uint64_t>(enc[j] & 0x7f) << sh;
        if (!(enc[j++] & 0x80)) break;
      }
      name += "exc=" + std::to_string(nexc) + " ";
      return name;  // the body's mode sits after the exceptions
    }
    name = "BITS ";
    ++i;
  }
  static const char* kModes[] = {"CONST", "RUNS", "PACKED", "ENTROPY"};
  uint8_t m = static_cast<uint8_t>(enc[i]);
  if (m >> 2) name += "x10^" + std::to_string(m >> 2) + " ";
  return name + kModes[m & 3];
}

struct Tally {
  std::map<std::string, size_t> modes, time_modes;
  size_t values = 0, blocks = 0, value_bytes = 0, time_bytes = 0;
  double enc_s = 0, dec_s = 0;
  std::map<int64_t, uint64_t> deltas;                      // integers: delta -> count
  std::map<std::pair<int64_t, int64_t>, uint64_t> pairs;   // (previous delta, delta) -> count
  std::vector<uint64_t> lengths = std::vector<uint64_t>(65);  // floats: bit length -> count
  double payload_bits = 0, xor_bits = 0;
};

double entropy_bits(const std::map<int64_t, uint64_t>& h) {
  double n = 0, e = 0;
  for (auto& [k, c] : h) n += c;
  for (auto& [k, c] : h) e -= c * std::log2(c / n);
  return e;
}

// Bits Gorilla XOR spends on v (Pelkonen et al. 2015, as in InfluxDB/Prometheus).
double gorilla_bits(const double* v, size_t n) {
  double bits = 64;
  int lead = -1, trail = 0;
  for (size_t i = 1; i < n; ++i) {
    uint64_t x = std::bit_cast<uint64_t>(v[i]) ^ std::bit_cast<uint64_t>(v[i - 1]);
    if (!x) {
      bits += 1;
      continue;
    }
    int l = std::min(std::countl_zero(x), 31), t = std::countr_zero(x);
    if (lead >= 0 && l >= lead && t >= trail) {
      bits += 2 + (64 - lead - trail);
    } else {
      bits += 2 + 5 + 6 + (64 - l - t);
      lead = l;
      trail = t;
    }
  }
  return bits;
}

void measure_block(const Column& c, size_t from, size_t to, Tally* t) {
  std::string ts, vs;
  std::span<const int64_t> times(c.times.data() + from, to - from);
  tsd::enc::encode_timestamps(times, &ts);
  std::vector<int64_t> ti;
  bool ok = tsd::enc::decode_timestamps(ts, &ti).ok() && std::equal(ti.begin(), ti.end(), times.begin());
  double enc = 0, dec = 0;
  auto timed = [&](auto encode, auto decode) {
    auto a = Clock::now();
    encode();
    auto b = Clock::now();
    ok = ok && decode();
    auto d = Clock::now();
    enc = std::chrono::duration<double>(b - a).count();
    dec = std::chrono::duration<double>(d - b).count();
  };
  if (c.kind == 'i' || c.kind == 'u') {
    std::span<const int64_t> v(c.ints.data() + from, to - from);
    std::vector<int64_t> out;
    timed([&] { tsd::enc::encode_integers(v, &vs); },
          [&] { return tsd::enc::decode_integers(vs, &out).ok() && std::equal(out.begin(), out.end(), v.begin()); });
    int64_t prev = 0;
    for (size_t i = 1; i < v.size(); ++i) {
      int64_t d = static_cast<int64_t>(static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(v[i - 1]));
      ++t->deltas[d];
      if (i > 1) ++t->pairs[{prev, d}];
      prev = d;
    }
  } else if (c.kind == 'f') {
    std::span<const double> v(c.floats.data() + from, to - from);
    std::vector<double> out;
    timed([&] { tsd::enc::encode_floats(v, &vs); },
          [&] {
            return tsd::enc::decode_floats(vs, &out).ok() &&
                   std::memcmp(out.data(), v.data(), v.size() * 8) == 0;
          });
    for (size_t i = 1; i < v.size(); ++i) {
      uint64_t d = std::bit_cast<uint64_t>(v[i]) - std::bit_cast<uint64_t>(v[i - 1]);
      uint64_t z = (d << 1) ^ static_cast<uint64_t>(static_cast<int64_t>(d) >> 63);
      int len = 64 - std::countl_zero(z);
      ++t->lengths[len];
      t->payload_bits += len ? len - 1 : 0;
    }
    t->xor_bits += gorilla_bits(v.data(), v.size());
  } else if (c.kind == 'b') {
    std::span<const uint8_t> v(c.bools.data() + from, to - from);
    std::vector<uint8_t> out;
    timed([&] { tsd::enc::encode_booleans(v, &vs); },
          [&] { return tsd::enc::decode_booleans(vs, &out).ok() && std::equal(out.begin(), out.end(), v.begin()); });
  } else {
    std::vector<std::string_view> v(c.strings.begin() + from, c.strings.begin() + to);
    std::vector<std::string> out;
    timed([&] { tsd::enc::encode_strings(v, &vs); },
          [&] { return tsd::enc::decode_strings(vs, &out).ok() && std::equal(out.begin(), out.end(), v.begin()); });
  }
  if (!ok) {
    std::fprintf(stderr, "codec-measure: round trip failed\n");
    std::exit(1);
  }
  t->values += to - from;
  t->blocks += 1;
  ++t->modes[mode_name(vs, c.kind)];
  ++t->time_modes[mode_name(ts, 'i')];
  t->value_bytes += vs.size();
  t->time_bytes += ts.size();
  t->enc_s += enc;
  t->dec_s += dec;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"codec-measure: bytes per value of lib/encoding beside the entropy"};
  size_t block = 8640, series = 1000, points = 8640;
  std::string walk;
  app.add_option("--block", block, "points per block")->check(CLI::Range(1, 1 << 22));
  app.add_option("--walk", walk, "generate a walk instead of reading stdin: int or float")
      ->check(CLI::IsMember({"int", "float"}));
  app.add_option("--series", series, "walks to generate");
  app.add_option("--points", points, "points per generated walk");
  CLI11_PARSE(app, argc, argv);

  std::unordered_map<std::string, Column> cols;
  if (!walk.empty()) {
    generate(walk, series, points, &cols);
  } else {
    std::string line;
    size_t n = 0;
    while (std::getline(std::cin, line)) {
      ++n;
      if (!parse_line(line, &cols)) {
        std::fprintf(stderr, "codec-measure: line %zu: cannot parse\n", n);
        return 1;
      }
    }
  }
  std::map<char, Tally> tallies;
  for (auto& [key, c] : cols) {
    for (size_t from = 0; from < c.times.size(); from += block)
      measure_block(c, from, std::min(c.times.size(), from + block), &tallies[c.kind]);
  }
  std::printf("%-6s %10s %7s %9s %9s %9s %10s %10s  %s\n", "kind", "values", "blocks", "B/value", "ts B/val",
              "all B/val", "enc M/s", "dec M/s", "entropy (bytes/value)");
  for (auto& [kind, t] : tallies) {
    double n = static_cast<double>(t.values);
    std::string ent;
    if (kind == 'i' || kind == 'u') {
      std::map<int64_t, std::map<int64_t, uint64_t>> cond;
      for (auto& [pd, c] : t.pairs) cond[pd.first][pd.second] = c;
      double h1 = 0, pairs = 0;
      for (auto& [p, h] : cond) h1 += entropy_bits(h);
      for (auto& [pd, c] : t.pairs) pairs += c;
      ent = "H(delta) " + std::to_string(entropy_bits(t.deltas) / n / 8) + "  H(delta|prev) " +
            std::to_string(h1 / pairs / 8);
    } else if (kind == 'f') {
      std::map<int64_t, uint64_t> h;
      for (int l = 0; l <= 64; ++l)
        if (t.lengths[l]) h[l] = t.lengths[l];
      ent = "H(len)+payload " + std::to_string((entropy_bits(h) + t.payload_bits) / n / 8) + "  Gorilla XOR " +
            std::to_string(t.xor_bits / n / 8);
    }
    std::printf("%-6c %10zu %7zu %9.4f %9.4f %9.4f %10.1f %10.1f  %s\n", kind, t.values, t.blocks, t.value_bytes / n,
                t.time_bytes / n, (t.value_bytes + t.time_bytes) / n, n / t.enc_s / 1e6, n / t.dec_s / 1e6,
                ent.c_str());
    std::printf("       value blocks:");
    for (auto& [m, c] : t.modes) std::printf(" %s %zu;", m.c_str(), c);
    std::printf("\n       time blocks: ");
    for (auto& [m, c] : t.time_modes) std::printf(" %s %zu;", m.c_str(), c);
    std::printf("\n");
  }
  return 0;
}
