#include "collect/stats.h"

#include <memory>

#include "collect/system.h"

namespace tsd::collect {

Stats& Stats::global() {
  static Stats* s = new Stats();  // never destroyed: threads may outlive main
  return *s;
}

InputStats* Stats::add_input(std::string name) {
  std::lock_guard<std::mutex> l(mu_);
  inputs_.emplace_back().name = std::move(name);
  return &inputs_.back();
}

OutputStats* Stats::add_output(std::string name) {
  std::lock_guard<std::mutex> l(mu_);
  outputs_.emplace_back().name = std::move(name);
  return &outputs_.back();
}

std::vector<Point> Stats::write_points() const {
  std::vector<Point> out;
  Point a;
  a.measurement = "internal_agent";
  a.add_field("gather_errors", gather_errors.load());
  a.add_field("metrics_dropped", metrics_dropped.load());
  a.add_field("metrics_gathered", metrics_gathered.load());
  a.add_field("metrics_written", metrics_written.load());
  out.push_back(std::move(a));
  std::lock_guard<std::mutex> l(mu_);
  for (const OutputStats& o : outputs_) {
    Point p;
    p.measurement = "internal_write";
    p.add_tag("output", o.name);
    p.add_field("buffer_limit", o.buffer_limit.load());
    p.add_field("buffer_size", o.buffer_size.load());
    p.add_field("errors", o.errors.load());
    p.add_field("metrics_added", o.metrics_added.load());
    p.add_field("metrics_dropped", o.metrics_dropped.load());
    p.add_field("metrics_filtered", int64_t{0});
    p.add_field("metrics_written", o.metrics_written.load());
    p.add_field("write_time_ns", o.write_time_ns.load());
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Point> Stats::points() const {
  std::vector<Point> out = write_points();
  std::lock_guard<std::mutex> l(mu_);
  for (const InputStats& i : inputs_) {
    Point p;
    p.measurement = "internal_gather";
    p.add_tag("input", i.name);
    p.add_field("errors", i.errors.load());
    p.add_field("gather_time_ns", i.gather_time_ns.load());
    p.add_field("metrics_gathered", i.metrics_gathered.load());
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

class InternalInput : public Input {
 public:
  Status gather(Accumulator& acc) override {
    for (Point& p : Stats::global().points()) acc.add(std::move(p));
    return Status();
  }
};

}  // namespace

void add_internal_input(std::vector<InputInfo>* out) {
  InputInfo i;
  i.name = "internal";
  i.description = "Collect statistics about itself";
  i.sample_config =
      "# Collect statistics about itself\n[[inputs.internal]]\n"
      "  ## tsd-collect reports internal_agent, internal_gather and internal_write;\n"
      "  ## Go memory statistics (collect_memstats) do not apply.\n"
      "  # collect_memstats = false\n";
  i.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    (void)o.has("collect_memstats");
    return std::unique_ptr<Input>(new InternalInput());
  };
  out->push_back(std::move(i));
}

}  // namespace tsd::collect
