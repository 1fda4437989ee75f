// tsd-gen: a deterministic generator of TSBS-style "devops" cpu data, as
// InfluxDB line protocol on stdout. The bench, the demo and the CLI tests
// feed it to tsd-write and to InfluxDB.
//
//   tsd-gen --hosts 100 --hours 24 --interval 10s
//           --start 2016-01-01T00:00:00Z --seed 1 --variant int|float
//           [--host-offset K]    # hosts host_K ... host_{K+hosts-1}
//
// One line per host per interval, ordered by time then host:
//   cpu,hostname=host_0,region=..,datacenter=..,rack=..,os=..,arch=..,team=..,
//       service=..,service_version=..,service_environment=.. usage_user=58i,... <ns>
// Tags come from TSBS's value sets and are fixed per host by the seed. Each
// of the 10 usage_* fields is a random walk: it starts uniform in [0,100),
// moves by a normal(0,1) step each interval and is clamped to [0,100]. The
// int variant writes the walk truncated to an integer (`58i`); the float
// variant writes it at full precision, shortest round-trip (`81.64855628921474`),
// like Telegraf's cpu percentages.
//
// Deterministic across runs and machines: xoshiro256** seeded by splitmix64
// (one stream per host, so host_N's data does not depend on --hosts; see
// tool_rng.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/time.h"
#include "tool_out.h"
#include "tool_rng.h"

namespace {

using tsd_tools::Out;
using tsd_tools::Rng;
using tsd_tools::splitmix64;

// TSBS's devops value sets.
constexpr const char* kRegions[] = {"us-east-1",      "us-west-1",      "us-west-2",
                                    "eu-west-1",      "eu-central-1",   "ap-southeast-1",
                                    "ap-southeast-2", "ap-northeast-1", "sa-east-1"};
constexpr const char* kOses[] = {"Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"};
constexpr const char* kArches[] = {"x64", "x86"};
constexpr const char* kTeams[] = {"SF", "NYC", "LON", "CHI"};
constexpr const char* kEnvironments[] = {"production", "staging", "test"};
constexpr const char* kFields[] = {"usage_user",  "usage_system",     "usage_idle",  "usage_nice",
                                   "usage_iowait", "usage_irq",       "usage_softirq",
                                   "usage_steal", "usage_guest",      "usage_guest_nice"};
constexpr int kNumFields = 10;

template <size_t N>
const char* pick(Rng& rng, const char* const (&set)[N]) {
  return set[rng.below(N)];
}

struct Host {
  explicit Host(uint64_t seed) : rng(seed) {}
  Rng rng;
  std::string series;  // "cpu,hostname=...,service_environment=... "
  std::array<double, kNumFields> walk{};
};

Host make_host(uint64_t seed, int index) {
  uint64_t mix = seed ^ (0x51ed2701f3a5c7b9ULL * static_cast<uint64_t>(index + 1));
  Host h(splitmix64(mix));
  Rng& r = h.rng;
  const char* region = pick(r, kRegions);
  std::string s = "cpu,hostname=host_" + std::to_string(index);
  s += ",region=";
  s += region;
  s += ",datacenter=";
  s += region;
  s += static_cast<char>('a' + r.below(3));
  s += ",rack=" + std::to_string(r.below(100));
  s += ",os=";
  s += pick(r, kOses);
  s += ",arch=";
  s += pick(r, kArches);
  s += ",team=";
  s += pick(r, kTeams);
  s += ",service=" + std::to_string(r.below(20));
  s += ",service_version=" + std::to_string(r.below(2));
  s += ",service_environment=";
  s += pick(r, kEnvironments);
  s += ' ';
  h.series = std::move(s);
  for (double& v : h.walk) v = 100 * r.uniform();
  return h;
}

char* put(char* p, const char* s, size_t n) {
  std::memcpy(p, s, n);
  return p + n;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generates TSBS-style devops cpu data as line protocol on stdout."};
  int hosts = 100, host_offset = 0;
  double hours = 24;
  std::string interval_s = "10s", start_s = "2016-01-01T00:00:00Z", variant = "int";
  uint64_t seed = 1;
  app.add_option("--hosts", hosts, "number of hosts (series)")->check(CLI::Range(1, 10000000));
  app.add_option("--host-offset", host_offset, "number of the first host (host_K...)")
      ->check(CLI::Range(0, 1000000000));
  app.add_option("--hours", hours, "hours of data (fractions allowed)")->check(CLI::Range(0.0, 1e6));
  app.add_option("--interval", interval_s, "time between points (InfluxQL duration)");
  app.add_option("--start", start_s, "time of the first point (RFC 3339)");
  app.add_option("--seed", seed, "seed of the random walks and tags");
  app.add_option("--variant", variant, "int (truncated, `58i`) or float (full precision)")
      ->check(CLI::IsMember({"int", "float"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto interval = tsd::parse_duration(interval_s);
  if (!interval.ok() || *interval <= 0) {
    std::fprintf(stderr, "tsd-gen: bad --interval %s\n", interval_s.c_str());
    return 2;
  }
  auto start = tsd::parse_rfc3339(start_s);
  if (!start.ok()) {
    std::fprintf(stderr, "tsd-gen: bad --start: %s\n", start.status().to_string().c_str());
    return 2;
  }
  const bool as_int = variant == "int";
  const int64_t steps = static_cast<int64_t>(hours * static_cast<double>(tsd::kHour)) / *interval;

  std::vector<Host> fleet;
  fleet.reserve(static_cast<size_t>(hosts));
  for (int i = 0; i < hosts; ++i) fleet.push_back(make_host(seed, host_offset + i));
  std::array<std::string, kNumFields> keys;  // ",usage_system=" ...
  for (int f = 0; f < kNumFields; ++f) keys[f] = std::string(f ? "," : "") + kFields[f] + "=";

  Out out("tsd-gen");
  for (int64_t step = 0; step < steps; ++step) {
    char ts[24];
    char* ts_end = std::to_chars(ts, ts + sizeof ts, *start + step * *interval).ptr;
    for (Host& h : fleet) {
      char* p = out.reserve(h.series.size() + kNumFields * 48 + 32);
      p = put(p, h.series.data(), h.series.size());
      for (int f = 0; f < kNumFields; ++f) {
        p = put(p, keys[f].data(), keys[f].size());
        const double v = h.walk[f];
        if (as_int) {
          p = std::to_chars(p, p + 24, static_cast<int64_t>(v)).ptr;
          *p++ = 'i';
        } else {
          p = std::to_chars(p, p + 32, v).ptr;
        }
      }
      *p++ = ' ';
      p = put(p, ts, static_cast<size_t>(ts_end - ts));
      *p++ = '\n';
      out.commit(p);
      for (double& v : h.walk) v = std::clamp(v + h.rng.normal(), 0.0, 100.0);
    }
  }
  return 0;
}
