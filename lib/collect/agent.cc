#include "collect/agent.h"

#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "collect/agent_internal.h"
#include "collect/system.h"
#include "lineproto/lineproto.h"

namespace tsd::collect {

// -- MetricBuffer --------------------------------------------------------------

size_t MetricBuffer::push(const std::vector<std::string>& lines) {
  size_t dropped = 0;
  {
    std::lock_guard<std::mutex> l(mu);
    for (const std::string& s : lines) {
      if (lines_.size() >= limit_) {
        lines_.pop_front();
        ++dropped;
      }
      lines_.push_back(s);
    }
    stats_->buffer_size = static_cast<int64_t>(lines_.size());
  }
  stats_->metrics_added += static_cast<int64_t>(lines.size());
  if (dropped) {
    stats_->metrics_dropped += static_cast<int64_t>(dropped);
    Stats::global().metrics_dropped += static_cast<int64_t>(dropped);
  }
  cv.notify_one();
  return dropped;
}

size_t MetricBuffer::take(size_t n, std::string* out) {
  std::lock_guard<std::mutex> l(mu);
  size_t k = 0;
  while (k < n && !lines_.empty()) {
    out->append(lines_.front());
    lines_.pop_front();
    ++k;
  }
  stats_->buffer_size = static_cast<int64_t>(lines_.size());
  return k;
}

size_t MetricBuffer::size() {
  std::lock_guard<std::mutex> l(mu);
  return lines_.size();
}

// -- Finisher ------------------------------------------------------------------

void Finisher::finish(const RunningInput* in, std::vector<Point>* points, int64_t now,
                      std::vector<std::string>* lines) const {
  // Telegraf rounds the gather time to the precision (half away from zero).
  int64_t t = precision_ > 1 ? (now + precision_ / 2) / precision_ * precision_ : now;
  std::string line;
  for (Point& p : *points) {
    if (in) {
      if (!in->name_override.empty()) p.measurement = in->name_override;
      p.measurement = in->name_prefix + p.measurement + in->name_suffix;
    }
    // Tags the point has win over input tags, which win over global tags and host.
    std::vector<Tag> tags;
    tags.reserve(p.tags.size() + global_.size() + 1 + (in ? in->tags.size() : 0));
    if (!host_.empty()) tags.push_back({"host", host_});
    tags.insert(tags.end(), global_.begin(), global_.end());
    if (in) tags.insert(tags.end(), in->tags.begin(), in->tags.end());
    tags.insert(tags.end(), std::make_move_iterator(p.tags.begin()), std::make_move_iterator(p.tags.end()));
    p.tags = std::move(tags);
    p.sort_tags();
    if (!p.has_time) {
      p.time = t;
      p.has_time = true;
    }
    // Line protocol has no NaN or infinity: such fields are left out, as Telegraf does.
    std::erase_if(p.fields, [](const Field& fl) {
      return value_type(fl.value) == FieldType::kFloat && !std::isfinite(std::get<double>(fl.value));
    });
    if (p.fields.empty()) continue;
    line.clear();
    if (test_) {
      std::stable_sort(p.fields.begin(), p.fields.end(),
                       [](const Field& a, const Field& b) { return a.key < b.key; });
      line = "> ";
    }
    lp::format_point(p, &line);
    lines->push_back(line);
  }
}

// -- gathering -------------------------------------------------------------------

void gather_input(RunningInput* in, const Finisher& f, const LogFn& log,
                  std::vector<std::string>* lines) {
  VectorAccumulator acc;
  int64_t start = now_ns();
  Status s = in->input->gather(acc);
  int64_t end = now_ns();
  in->stats->gather_time_ns = end - start;
  if (!s.ok()) {
    in->stats->errors++;
    Stats::global().gather_errors++;
    if (in->failures++ == 0) log("input " + in->name + ": " + s.message());
  } else if (in->failures > 0) {
    log("input " + in->name + ": recovered after " + std::to_string(in->failures) +
        " failed gather" + (in->failures > 1 ? "s" : ""));
    in->failures = 0;
  }
  size_t before = lines->size();
  f.finish(in, &acc.points, start, lines);
  int64_t n = static_cast<int64_t>(lines->size() - before);
  in->stats->metrics_gathered += n;
  Stats::global().metrics_gathered += n;
}

namespace {

std::string local_hostname() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

// Telegraf's default precision: the interval's own unit.
int64_t default_precision(int64_t interval) {
  if (interval >= kSecond) return kSecond;
  if (interval >= kMillisecond) return kMillisecond;
  if (interval >= kMicrosecond) return kMicrosecond;
  return 1;
}

// The agent's settings of one [[inputs.NAME]] table.
Status read_input_settings(const PluginConfig& pc, const AgentConfig& agent, RunningInput* in) {
  const Options& o = *pc.options;
  TSD_ASSIGN_OPT(in->interval, o.get_duration("interval", agent.interval));
  TSD_ASSIGN_OPT(in->name_override, o.get_string("name_override", ""));
  TSD_ASSIGN_OPT(in->name_prefix, o.get_string("name_prefix", ""));
  TSD_ASSIGN_OPT(in->name_suffix, o.get_string("name_suffix", ""));
  std::string alias;
  TSD_ASSIGN_OPT(alias, o.get_string("alias", ""));
  if (in->interval <= 0) return Status::invalid_argument(pc.where + ": inputs." + pc.name + ": interval must be positive");
  return Status();
}

Status build_inputs(const AgentSetup& setup, AgentParts* parts) {
  std::vector<PluginConfig> chosen;
  if (!setup.config.inputs.empty()) {
    for (const PluginConfig& pc : setup.config.inputs) {
      const auto& f = setup.input_filter;
      if (f.empty() || std::find(f.begin(), f.end(), pc.name) != f.end()) chosen.push_back(pc);
    }
  } else {
    std::vector<std::string> names = setup.input_filter;
    if (names.empty()) {
      for (const InputInfo& i : all_inputs()) {
        if (i.default_input) names.push_back(i.name);
      }
    }
    for (const std::string& n : names) chosen.push_back({n, "command line", empty_options(), {}});
  }
  if (chosen.empty()) return Status::invalid_argument("no inputs to run");
  for (const PluginConfig& pc : chosen) {
    const InputInfo* info = find_input(pc.name);
    if (!info) {
      return Status::invalid_argument(pc.where + ": unknown input \"" + pc.name +
                                      "\" (tsd-collect --input-list shows them)");
    }
    auto in = std::make_unique<RunningInput>();
    in->name = pc.name;
    in->info = info;
    TSD_RETURN_IF_ERROR(read_input_settings(pc, parts->agent, in.get()));
    auto created = info->create(*pc.options);
    if (!created.ok()) {
      // An option's error already names its own file and line (config.cc).
      const std::string file = pc.where.substr(0, pc.where.rfind(':') + 1);
      if (!file.empty() && created.status().message().starts_with(file)) return created.status();
      return created.status().with_context(pc.where + ": inputs." + pc.name);
    }
    in->input = std::move(*created);
    in->tags = pc.tags;
    for (const std::string& k : pc.options->unused_keys()) {
      parts->log("warning: " + pc.where + ": inputs." + pc.name + ": unknown option \"" + k + "\"");
    }
    in->stats = Stats::global().add_input(pc.name);
    parts->inputs.push_back(std::move(in));
  }
  return Status();
}

Status build_outputs(const AgentSetup& setup, AgentParts* parts) {
  std::vector<std::unique_ptr<Output>> outs;
  if (setup.test || setup.config.outputs.empty()) {
    outs.push_back(make_stdout_output());
  } else {
    for (const PluginConfig& pc : setup.config.outputs) {
      auto r = create_outputs(pc);
      if (!r.ok()) return r.status();
      for (const std::string& k : pc.options->unused_keys()) {
        parts->log("warning: " + pc.where + ": outputs." + pc.name + ": unknown option \"" + k + "\"");
      }
      for (auto& o : *r) outs.push_back(std::move(o));
    }
  }
  for (auto& o : outs) {
    auto ro = std::make_unique<RunningOutput>();
    ro->stats = Stats::global().add_output(o->name());
    ro->buffer = std::make_unique<MetricBuffer>(static_cast<size_t>(parts->agent.metric_buffer_limit), ro->stats);
    ro->output = std::move(o);
    parts->outputs.push_back(std::move(ro));
  }
  return Status();
}

// --once / --test: gathers every input on its own thread (twice, a window
// apart, for inputs that report rates), waits for them up to a timeout,
// then writes everything and returns.
Status run_once(AgentParts* parts, const AgentSetup& setup) {
  auto& inputs = parts->inputs;
  struct Slot {
    std::vector<std::string> lines;
    bool done = false;
  };
  auto slots = std::make_shared<std::vector<Slot>>(inputs.size());
  auto mu = std::make_shared<std::mutex>();
  auto cv = std::make_shared<std::condition_variable>();
  const Finisher* fin = parts->finisher.get();
  LogFn log = parts->log;
  int64_t window = setup.once_window;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RunningInput* in = inputs[i].get();
    threads.emplace_back([=] {
      std::vector<std::string> lines;
      if (in->info->needs_two_samples) {
        VectorAccumulator first;
        (void)in->input->gather(first);
        std::this_thread::sleep_for(std::chrono::nanoseconds(window));
      }
      gather_input(in, *fin, log, &lines);
      std::lock_guard<std::mutex> l(*mu);
      (*slots)[i].lines = std::move(lines);
      (*slots)[i].done = true;
      cv->notify_all();
    });
  }
  int64_t timeout = std::max<int64_t>(parts->agent.interval, 5 * kSecond) + window;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeout);
  std::vector<std::string> lines;
  {
    std::unique_lock<std::mutex> l(*mu);
    cv->wait_until(l, deadline, [&] {
      return std::all_of(slots->begin(), slots->end(), [](const Slot& s) { return s.done; });
    });
    for (size_t i = 0; i < inputs.size(); ++i) {
      Slot& s = (*slots)[i];
      if (!s.done) {
        log("input " + inputs[i]->name + ": gather did not finish within " + format_duration(timeout));
        continue;
      }
      lines.insert(lines.end(), s.lines.begin(), s.lines.end());
    }
  }
  for (size_t i = 0; i < threads.size(); ++i) {
    if ((*slots)[i].done) {
      threads[i].join();
    } else {
      threads[i].detach();
      // The thread still uses its input and the finisher: leak them.
      (void)inputs[i].release();
      (void)parts->finisher.release();
    }
  }
  std::string data;
  for (const std::string& l : lines) data += l;
  // Like telegraf --once/--test: the metrics are written, and a failed
  // input makes the run fail (each was reported when it failed).
  Status result;
  int64_t failed = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!(*slots)[i].done || (inputs[i] && inputs[i]->failures > 0)) ++failed;
  }
  if (failed > 0) {
    result = Status::io_error(std::to_string(failed) + " input" + (failed > 1 ? "s" : "") + " failed");
  }
  std::atomic<bool> abort{false};
  for (auto& ro : parts->outputs) {
    if (!setup.test) {
      Status c = ro->output->connect();
      if (!c.ok()) log("warning: output " + ro->output->name() + ": " + c.message());
    }
    size_t written = 0;
    Status s = ro->output->write(data, &written, abort);
    if (s.ok()) {
      ro->stats->metrics_written += static_cast<int64_t>(lines.size());
    } else if (!ro->output->closed()) {
      log("output " + ro->output->name() + ": " + s.message());
      result = s;
    }
  }
  return result;
}

}  // namespace

Status run_agent(AgentSetup setup) {
  AgentParts parts;
  parts.log = setup.log ? setup.log : [](const std::string& m) {
    std::fprintf(stderr, "tsd-collect: %s\n", m.c_str());
  };
  for (const std::string& w : setup.config.warnings) parts.log("warning: " + w);
  parts.agent = setup.config.agent;
  if (setup.interval) {
    parts.agent.interval = *setup.interval;
    parts.agent.flush_interval = *setup.interval;
  }
  if (parts.agent.interval <= 0) return Status::invalid_argument("interval must be positive");
  // One malloc arena: the input threads allocate little, and every arena
  // costs resident memory.
  ::mallopt(M_ARENA_MAX, 1);
  std::string host;
  bool omit = setup.omit_hostname || parts.agent.omit_hostname;
  if (!omit) {
    host = setup.hostname ? *setup.hostname : parts.agent.hostname;
    if (host.empty()) host = local_hostname();
  }
  int64_t precision = parts.agent.precision ? parts.agent.precision : default_precision(parts.agent.interval);
  parts.finisher = std::make_unique<Finisher>(host, setup.config.global_tags, precision, setup.test);
  TSD_RETURN_IF_ERROR(build_inputs(setup, &parts));
  TSD_RETURN_IF_ERROR(build_outputs(setup, &parts));
  if (setup.once || setup.test) {
    // A reader that leaves early (| head) ends the write quietly.
    ::signal(SIGPIPE, SIG_IGN);
    return run_once(&parts, setup);
  }
  return run_loop(&parts);
}

}  // namespace tsd::collect
