// collect-input: creates one input from key=value options, gathers once
// and prints its points as line protocol (a test and debugging driver).
//
//   collect-input NAME [key=value ...]
//
// A key given more than once makes a list (servers=a servers=b); a list
// key given once is a list of one. Durations as "5s"; booleans true/false.
// Exit 0 when the gather succeeded, 1 when it failed (the message on
// stderr; points gathered before the failure are still printed), 2 on
// usage errors.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "collect/input.h"
#include "collect/service_inputs.h"
#include "core/time.h"
#include "lineproto/lineproto.h"

namespace {

using namespace tsd;
using namespace tsd::collect;

class KvOptions : public Options {
 public:
  std::map<std::string, std::vector<std::string>, std::less<>> kv;
  mutable std::set<std::string, std::less<>> used;

  bool has(std::string_view key) const override { return kv.count(key) > 0; }
  const std::vector<std::string>* find(std::string_view key) const {
    used.emplace(key);
    auto it = kv.find(key);
    return it == kv.end() ? nullptr : &it->second;
  }
  Result<std::string> get_string(std::string_view key, std::string_view def) const override {
    auto* v = find(key);
    return v ? v->back() : std::string(def);
  }
  Result<std::vector<std::string>> get_strings(std::string_view key,
                                               std::vector<std::string> def) const override {
    auto* v = find(key);
    return v ? *v : def;
  }
  Result<int64_t> get_int(std::string_view key, int64_t def) const override {
    auto* v = find(key);
    if (!v) return def;
    try {
      return static_cast<int64_t>(std::stoll(v->back()));
    } catch (...) {
      return Status::invalid_argument(std::string(key) + ": not an integer");
    }
  }
  Result<bool> get_bool(std::string_view key, bool def) const override {
    auto* v = find(key);
    if (!v) return def;
    if (v->back() == "true") return true;
    if (v->back() == "false") return false;
    return Status::invalid_argument(std::string(key) + ": not a boolean");
  }
  Result<int64_t> get_duration(std::string_view key, int64_t def_ns) const override {
    auto* v = find(key);
    if (!v) return def_ns;
    auto d = parse_duration(v->back());
    if (!d.ok()) return d.status().with_context(key);
    return d;
  }
  std::vector<std::string> unused_keys() const override {
    std::vector<std::string> out;
    for (const auto& [k, v] : kv) {
      if (!used.count(k)) out.push_back(k);
    }
    return out;
  }
};

class PrintAccumulator : public Accumulator {
 public:
  using Accumulator::add;
  void add(Point p) override {
    if (!p.has_time) {
      p.time = now_;
      p.has_time = true;
    }
    std::string line;
    lp::format_point(p, &line);
    fputs(line.c_str(), stdout);
  }
  int64_t now_ = now_ns();
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: collect-input NAME [key=value ...]\n");
    return 2;
  }
  std::vector<InputInfo> inputs;
  add_service_inputs(&inputs);
  const InputInfo* info = nullptr;
  for (const auto& i : inputs) {
    if (i.name == argv[1]) info = &i;
  }
  if (info == nullptr) {
    fprintf(stderr, "collect-input: unknown input \"%s\"\n", argv[1]);
    return 2;
  }
  KvOptions opts;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos) {
      fprintf(stderr, "collect-input: \"%s\" is not key=value\n", a.c_str());
      return 2;
    }
    opts.kv[a.substr(0, eq)].push_back(a.substr(eq + 1));
  }
  auto input = info->create(opts);
  if (!input.ok()) {
    fprintf(stderr, "collect-input: %s: %s\n", argv[1], input.status().to_string().c_str());
    return 2;
  }
  for (const auto& k : opts.unused_keys()) {
    fprintf(stderr, "collect-input: warning: %s: unknown option \"%s\"\n", argv[1], k.c_str());
  }
  PrintAccumulator acc;
  Status st = (*input)->gather(acc);
  fflush(stdout);
  if (!st.ok()) {
    fprintf(stderr, "collect-input: %s: %s\n", argv[1], st.to_string().c_str());
    return 1;
  }
  return 0;
}
