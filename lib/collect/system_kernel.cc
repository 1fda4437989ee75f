// kernel (/proc/stat counters, entropy), system (load, users, cpus,
// uptime) and processes (states of /proc/*/stat), as Telegraf names them.
#include <dirent.h>
#include <utmp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "collect/procfs.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

class KernelInput : public Input {
 public:
  KernelInput()
      : stat_(host_proc() + "/stat"), entropy_(host_proc() + "/sys/kernel/random/entropy_avail") {}

  Status gather(Accumulator& acc) override {
    auto text = stat_.read();
    if (!text.ok()) return text.status();
    int64_t intr = 0, ctxt = 0, forked = 0, btime = 0, pin = 0, pout = 0;
    bool page = false;
    TextCursor c(*text);
    std::string_view line;
    while (c.next_line(&line)) {
      std::string_view rest = line;
      std::string_view key = next_word(&rest);
      std::string_view v1 = next_word(&rest);
      if (key == "intr") parse_i64(v1, &intr);
      else if (key == "ctxt") parse_i64(v1, &ctxt);
      else if (key == "processes") parse_i64(v1, &forked);
      else if (key == "btime") parse_i64(v1, &btime);
      else if (key == "page") page = parse_i64(v1, &pin) && parse_i64(next_word(&rest), &pout);
    }
    auto e = entropy_.read();
    if (!e.ok()) return e.status();
    std::string_view ev = *e;
    int64_t entropy = 0;
    if (!parse_i64(next_word(&ev), &entropy)) return Status::corruption(entropy_.path() + ": not a number");
    std::vector<Field> f = {{"interrupts", intr},
                            {"context_switches", ctxt},
                            {"processes_forked", forked},
                            {"boot_time", btime}};
    if (page) {
      f.push_back({"disk_pages_in", pin});
      f.push_back({"disk_pages_out", pout});
    }
    f.push_back({"entropy_avail", entropy});
    acc.add("kernel", {}, std::move(f));
    return Status();
  }

 private:
  ProcFile stat_;
  ProcFile entropy_;
};

// Telegraf's uptime_format: "5 days, 12:34" or " 1:02".
std::string format_uptime(int64_t uptime) {
  char buf[64];
  std::string out;
  int64_t days = uptime / (60 * 60 * 24);
  if (days != 0) {
    std::snprintf(buf, sizeof buf, "%lld day%s, ", static_cast<long long>(days), days > 1 ? "s" : "");
    out += buf;
  }
  int64_t minutes = uptime / 60;
  int64_t hours = (minutes / 60) % 24;
  minutes %= 60;
  std::snprintf(buf, sizeof buf, "%2lld:%02lld", static_cast<long long>(hours),
                static_cast<long long>(minutes));
  out += buf;
  return out;
}

class SystemInput : public Input {
 public:
  SystemInput()
      : loadavg_(host_proc() + "/loadavg"),
        uptime_(host_proc() + "/uptime"),
        stat_(host_proc() + "/stat"),
        utmp_(host_var() + "/run/utmp") {}

  Status gather(Accumulator& acc) override {
    auto l = loadavg_.read();
    if (!l.ok()) return l.status();
    std::string_view w[3];
    double load[3];
    if (split_words(*l, w, 3) != 3 || !parse_f64(w[0], &load[0]) || !parse_f64(w[1], &load[1]) ||
        !parse_f64(w[2], &load[2])) {
      return Status::corruption(loadavg_.path() + ": bad load averages");
    }
    // n_cpus: the online CPUs, one "cpuN" line each in /proc/stat.
    auto s = stat_.read();
    if (!s.ok()) return s.status();
    int64_t ncpus = 0;
    TextCursor c(*s);
    std::string_view line;
    while (c.next_line(&line) && line.substr(0, 3) == "cpu") {
      if (line.size() > 3 && line[3] != ' ') ++ncpus;
    }
    std::vector<Field> f = {{"load1", load[0]}, {"load5", load[1]}, {"load15", load[2]},
                            {"n_cpus", ncpus}};
    // n_users: USER_PROCESS records of utmp (none when there is no utmp).
    if (read_whole_file(utmp_, &buf_).ok()) {
      int64_t users = 0;
      for (size_t off = 0; off + sizeof(struct utmp) <= buf_.size(); off += sizeof(struct utmp)) {
        struct utmp u;
        std::memcpy(&u, buf_.data() + off, sizeof u);
        if (u.ut_type == USER_PROCESS) ++users;
      }
      f.push_back({"n_users", users});
    }
    acc.add("system", {}, std::move(f));
    auto u = uptime_.read();
    if (!u.ok()) return u.status();
    std::string_view uv = *u;
    std::string_view first = next_word(&uv);
    int64_t up = 0;
    if (!parse_i64(first.substr(0, first.find('.')), &up)) {
      return Status::corruption(uptime_.path() + ": bad uptime");
    }
    acc.add("system", {}, {{"uptime", up}});
    acc.add("system", {}, {{"uptime_format", format_uptime(up)}});
    return Status();
  }

 private:
  ProcFile loadavg_, uptime_, stat_;
  std::string utmp_;
  std::string buf_;
};

class ProcessesInput : public Input {
 public:
  ProcessesInput() : proc_(host_proc()) {}

  Status gather(Accumulator& acc) override {
    DIR* d = ::opendir(proc_.c_str());
    if (!d) return Status::io_error("open " + proc_ + ": " + std::strerror(errno));
    int64_t running = 0, sleeping = 0, blocked = 0, zombies = 0, dead = 0, stopped = 0,
            paging = 0, idle = 0, parked = 0, unknown = 0, total = 0, threads = 0;
    char rel[300];
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      std::snprintf(rel, sizeof rel, "%s/stat", e->d_name);
      if (!read_file_at(::dirfd(d), rel, &buf_).ok()) continue;  // the process has gone
      std::string_view s(buf_);
      size_t paren = s.rfind(')');
      if (paren == std::string_view::npos || paren + 2 >= s.size()) continue;
      s.remove_prefix(paren + 2);
      std::string_view w[18];
      if (split_words(s, w, 18) < 18) continue;
      switch (w[0][0]) {
        case 'R': ++running; break;
        case 'S': ++sleeping; break;
        case 'D': ++blocked; break;
        case 'Z': ++zombies; break;
        case 'X': ++dead; break;
        case 'T': case 't': ++stopped; break;
        case 'W': ++paging; break;
        case 'I': ++idle; break;
        case 'P': ++parked; break;
        default: ++unknown; break;
      }
      ++total;
      int64_t n = 0;
      if (parse_i64(w[17], &n)) threads += n;
    }
    ::closedir(d);
    std::vector<Field> f = {{"blocked", blocked}, {"zombies", zombies},   {"stopped", stopped},
                            {"running", running}, {"sleeping", sleeping}, {"total", total},
                            {"unknown", unknown}, {"dead", dead},         {"paging", paging},
                            {"total_threads", threads}, {"idle", idle}};
    if (parked > 0) f.push_back({"parked", parked});
    acc.add("processes", {}, std::move(f));
    return Status();
  }

 private:
  std::string proc_;
  std::string buf_;
};

}  // namespace

void add_kernel_inputs(std::vector<InputInfo>* out) {
  out->push_back(simple_input<KernelInput>(
      "kernel", "Get kernel statistics from /proc/stat",
      "# Get kernel statistics from /proc/stat\n[[inputs.kernel]]\n  # no configuration\n"));
  out->push_back(simple_input<SystemInput>(
      "system", "Read metrics about system load & uptime",
      "# Read metrics about system load & uptime\n[[inputs.system]]\n  # no configuration\n"));
  out->push_back(simple_input<ProcessesInput>(
      "processes", "Get the number of processes and group them by status",
      "# Get the number of processes and group them by status\n[[inputs.processes]]\n"
      "  # no configuration\n"));
}

}  // namespace tsd::collect
