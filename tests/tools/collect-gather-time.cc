// collect-gather-time: how long one gather of each system input takes.
// Creates every default input (or those named), gathers twice to warm up
// (and to give rate inputs their first sample), then times N gathers in ten
// rounds and prints the best round's microseconds per gather, and the sum.
//   collect-gather-time [-n 200] [cpu mem ...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "collect/agent_internal.h"
#include "collect/config.h"
#include "collect/input.h"

int main(int argc, char** argv) {
  using namespace tsd::collect;
  int n = 200;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
      n = std::atoi(argv[++i]);
    } else {
      names.push_back(argv[i]);
    }
  }
  if (names.empty()) {
    for (const InputInfo& i : all_inputs()) {
      if (i.default_input) names.push_back(i.name);
    }
  }
  double total = 0;
  for (const std::string& name : names) {
    const InputInfo* info = find_input(name);
    if (!info) {
      std::fprintf(stderr, "collect-gather-time: unknown input %s\n", name.c_str());
      return 2;
    }
    auto in = info->create(*empty_options());
    if (!in.ok()) {
      std::fprintf(stderr, "collect-gather-time: %s: %s\n", name.c_str(), in.status().message().c_str());
      return 1;
    }
    for (int w = 0; w < 2; ++w) {
      VectorAccumulator acc;
      (void)(*in)->gather(acc);
    }
    // The best of ten rounds: the machine is shared, so the minimum is the
    // input's own cost and the rest is other processes' noise.
    double us = 1e18;
    int per_round = n / 10 > 0 ? n / 10 : 1;
    for (int round = 0; round < 10; ++round) {
      auto t0 = std::chrono::steady_clock::now();
      for (int k = 0; k < per_round; ++k) {
        VectorAccumulator acc;
        (void)(*in)->gather(acc);
      }
      double r = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / per_round;
      if (r < us) us = r;
    }
    total += us;
    std::printf("%-10s %8.1f us\n", name.c_str(), us);
  }
  std::printf("%-10s %8.1f us\n", "all", total);
  return 0;
}
