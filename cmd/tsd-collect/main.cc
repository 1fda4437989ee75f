// tsd-collect: a Telegraf-compatible collector writing line protocol.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "collect/agent.h"
#include "collect/config.h"
#include "collect/sample_config.h"
#include "core/version.h"

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',' || c == ':') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

int fail(const tsd::Status& s, int code) {
  std::fprintf(stderr, "tsd-collect: %s\n", s.message().c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Collect system (and service) metrics as line protocol, like Telegraf.", "tsd-collect"};
  std::string interval, inputs, filter, config, hostname, usage;
  bool once = false, test = false, omit = false, sample = false, list = false;
  app.add_option("--interval", interval, "Gather interval (default 1s, or [agent] interval)");
  app.add_option("--inputs", inputs, "Inputs to run, comma-separated (cpu,mem,...)");
  app.add_option("--input-filter", filter, "Inputs to run or print, colon-separated (cpu:mem)");
  app.add_option("--config", config, "Configuration file (telegraf.conf subset)");
  app.add_flag("--once", once, "Gather once (two samples where rates need them), write, exit");
  app.add_flag("--test", test, "Gather once and print the metrics (\"> \" lines) on stdout");
  app.add_option("--hostname", hostname, "The host tag (default: the machine's name)");
  app.add_flag("--omit-hostname", omit, "Do not add the host tag");
  app.add_flag("--sample-config", sample, "Print a sample configuration (with --input-filter)");
  app.add_flag("--input-list", list, "List the available inputs");
  app.add_option("--usage", usage, "Print the sample configuration of one input");
  app.set_version_flag("--version", std::string("tsd-collect ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  std::vector<std::string> names = split_list(inputs);
  for (const auto& n : split_list(filter)) names.push_back(n);
  if (list) {
    std::fputs(tsd::collect::input_list().c_str(), stdout);
    return 0;
  }
  if (!usage.empty()) {
    auto u = tsd::collect::input_usage(usage);
    if (!u.ok()) return fail(u.status(), 1);
    std::fputs(u->c_str(), stdout);
    return 0;
  }
  if (sample) {
    auto s = tsd::collect::sample_config(names);
    if (!s.ok()) return fail(s.status(), 2);
    std::fputs(s->c_str(), stdout);
    return 0;
  }
  tsd::collect::AgentSetup setup;
  if (!config.empty()) {
    auto c = tsd::collect::load_config(config);
    if (!c.ok()) return fail(c.status(), 1);
    setup.config = std::move(*c);
  }
  if (!interval.empty()) {
    auto d = tsd::collect::parse_config_duration(interval);
    if (!d.ok() || *d <= 0) {
      std::fprintf(stderr, "tsd-collect: --interval: bad duration \"%s\"\n", interval.c_str());
      return 2;
    }
    setup.interval = *d;
  }
  setup.input_filter = names;
  if (!hostname.empty()) setup.hostname = hostname;
  setup.omit_hostname = omit;
  setup.once = once;
  setup.test = test;
  tsd::Status s = tsd::collect::run_agent(std::move(setup));
  if (!s.ok()) return fail(s, 1);
  return 0;
}
