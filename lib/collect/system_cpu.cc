// cpu: per-CPU and total usage percentages from two /proc/stat samples,
// with Telegraf's names: usage_* (float percent), time_* (float seconds).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "collect/procfs.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

constexpr double kClockTicks = 100.0;  // USER_HZ, as gopsutil assumes

// One cpu line of /proc/stat in seconds (ticks / USER_HZ, as gopsutil).
struct CpuTimes {
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
         steal = 0, guest = 0, guest_nice = 0;
  // Telegraf's totalCPUTime: guest time is already inside user and nice.
  double total() const { return user + system + nice + iowait + irq + softirq + steal + idle; }
  double active() const { return total() - idle; }
};

class CpuInput : public Input {
 public:
  CpuInput(bool percpu, bool totalcpu, bool cpu_time, bool active)
      : stat_(host_proc() + "/stat"),
        percpu_(percpu),
        totalcpu_(totalcpu),
        collect_cpu_time_(cpu_time),
        report_active_(active) {}

  Status gather(Accumulator& acc) override {
    auto text = stat_.read();
    if (!text.ok()) return text.status();
    TextCursor c(*text);
    std::string_view line;
    std::vector<Sample> current;
    current.reserve(last_.size() + 1);
    std::string_view w[11];
    while (c.next_line(&line)) {
      if (line.substr(0, 3) != "cpu") break;  // the cpu lines come first
      size_t k = split_words(line, w, 11);
      if (k < 5) return Status::corruption(stat_.path() + ": short cpu line");
      bool total = w[0] == "cpu";
      if ((total && !totalcpu_) || (!total && !percpu_)) continue;
      double v[10] = {0};
      for (size_t i = 1; i < k; ++i) {
        uint64_t t;
        if (!parse_u64(w[i], &t)) return Status::corruption(stat_.path() + ": bad number in " + std::string(w[0]));
        v[i - 1] = static_cast<double>(t) / kClockTicks;
      }
      Sample s;
      s.name = total ? "cpu-total" : std::string(w[0]);
      s.t = CpuTimes{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
      current.push_back(std::move(s));
    }
    // gopsutil lists the per-cpu lines, then the total.
    if (totalcpu_ && !current.empty() && current.front().name == "cpu-total") {
      std::rotate(current.begin(), current.begin() + 1, current.end());
    }
    Status st;
    for (const Sample& s : current) {
      if (collect_cpu_time_) emit_times(s, acc);
      const Sample* prev = find_last(s.name);
      if (!prev) continue;
      double total_delta = s.t.total() - prev->t.total();
      if (total_delta < 0) {
        st = Status::corruption("current total CPU time is less than previous total CPU time");
        break;
      }
      if (total_delta == 0) continue;
      emit_usage(s.name, s.t, prev->t, total_delta, acc);
    }
    last_ = std::move(current);
    return st;
  }

 private:
  struct Sample {
    std::string name;
    CpuTimes t;
  };

  const Sample* find_last(const std::string& name) const {
    for (const Sample& s : last_) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  void emit_times(const Sample& s, Accumulator& acc) const {
    const CpuTimes& t = s.t;
    std::vector<Field> f = {
        {"time_user", t.user - t.guest},   {"time_system", t.system},
        {"time_idle", t.idle},             {"time_nice", t.nice - t.guest_nice},
        {"time_iowait", t.iowait},         {"time_irq", t.irq},
        {"time_softirq", t.softirq},       {"time_steal", t.steal},
        {"time_guest", t.guest},           {"time_guest_nice", t.guest_nice},
    };
    if (report_active_) f.push_back({"time_active", t.active()});
    acc.add("cpu", {{"cpu", s.name}}, std::move(f));
  }

  void emit_usage(const std::string& name, const CpuTimes& t, const CpuTimes& p, double total,
                  Accumulator& acc) const {
    std::vector<Field> f = {
        {"usage_user", 100 * (t.user - p.user - (t.guest - p.guest)) / total},
        {"usage_system", 100 * (t.system - p.system) / total},
        {"usage_idle", 100 * (t.idle - p.idle) / total},
        {"usage_nice", 100 * (t.nice - p.nice - (t.guest_nice - p.guest_nice)) / total},
        {"usage_iowait", 100 * (t.iowait - p.iowait) / total},
        {"usage_irq", 100 * (t.irq - p.irq) / total},
        {"usage_softirq", 100 * (t.softirq - p.softirq) / total},
        {"usage_steal", 100 * (t.steal - p.steal) / total},
        {"usage_guest", 100 * (t.guest - p.guest) / total},
        {"usage_guest_nice", 100 * (t.guest_nice - p.guest_nice) / total},
    };
    if (report_active_) f.push_back({"usage_active", 100 * (t.active() - p.active()) / total});
    acc.add("cpu", {{"cpu", name}}, std::move(f));
  }

  ProcFile stat_;
  bool percpu_, totalcpu_, collect_cpu_time_, report_active_;
  std::vector<Sample> last_;
};

constexpr const char* kSample = R"(# Read metrics about cpu usage
[[inputs.cpu]]
  ## Whether to report per-cpu stats or not
  percpu = true
  ## Whether to report total system cpu stats or not
  totalcpu = true
  ## If true, collect raw CPU time metrics
  collect_cpu_time = false
  ## If true, compute and report the sum of all non-idle CPU states
  report_active = false
)";

}  // namespace

void add_cpu_input(std::vector<InputInfo>* out) {
  InputInfo i;
  i.name = "cpu";
  i.description = "Read metrics about cpu usage";
  i.sample_config = kSample;
  i.default_input = true;
  i.needs_two_samples = true;
  i.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    bool percpu, totalcpu, cpu_time, active;
    TSD_ASSIGN_OPT(percpu, o.get_bool("percpu", true));
    TSD_ASSIGN_OPT(totalcpu, o.get_bool("totalcpu", true));
    TSD_ASSIGN_OPT(cpu_time, o.get_bool("collect_cpu_time", false));
    TSD_ASSIGN_OPT(active, o.get_bool("report_active", false));
    return std::unique_ptr<Input>(new CpuInput(percpu, totalcpu, cpu_time, active));
  };
  out->push_back(std::move(i));
}

}  // namespace tsd::collect
