// procstat: per-process CPU, memory, I/O and file descriptors for the
// processes chosen by pid_file, exe, pattern or user (the native finder:
// /proc itself, no pgrep), and procstat_lookup with what the search found.
#include <dirent.h>
#include <pwd.h>
#include <regex.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "collect/procfs.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

constexpr double kClockTicks = 100.0;

struct ProcstatConfig {
  std::string pid_file, exe, pattern, user, prefix, process_name;
  bool pid_tag = false;
};

class ProcstatInput : public Input {
 public:
  // Takes ownership of `re` (compiled when exe or pattern is set).
  ProcstatInput(ProcstatConfig cfg, regex_t re, bool has_re)
      : cfg_(std::move(cfg)), re_(re), has_re_(has_re), proc_(host_proc()),
        page_size_(::sysconf(_SC_PAGESIZE)) {}
  ~ProcstatInput() override {
    if (has_re_) ::regfree(&re_);
  }
  ProcstatInput(const ProcstatInput&) = delete;
  ProcstatInput& operator=(const ProcstatInput&) = delete;

  Status gather(Accumulator& acc) override {
    std::vector<Tag> lookup_tags;
    std::vector<int> pids;
    Status found = find_pids(&pids, &lookup_tags);
    int64_t now = now_ns();
    int64_t running = 0;
    std::map<int, double> seen;
    for (int pid : pids) {
      if (gather_pid(pid, now, lookup_tags, &seen, acc)) ++running;
    }
    last_cpu_ = std::move(seen);
    last_time_ = now;
    std::vector<Tag> t = lookup_tags;
    t.push_back({"pid_finder", "native"});
    acc.add("procstat_lookup", std::move(t),
            {{"pid_count", static_cast<int64_t>(pids.size())},
             {"running", running},
             {"result_code", int64_t{found.ok() ? 0 : 1}}});
    return found;
  }

 private:
  Status find_pids(std::vector<int>* pids, std::vector<Tag>* tags) {
    if (!cfg_.pid_file.empty()) {
      tags->push_back({"pidfile", cfg_.pid_file});
      if (!read_whole_file(cfg_.pid_file, &buf_).ok()) {
        return Status::io_error("procstat: cannot read pid file " + cfg_.pid_file);
      }
      std::string_view s(buf_);
      int64_t pid;
      if (!parse_i64(next_word(&s), &pid)) return Status::invalid_argument("procstat: no pid in " + cfg_.pid_file);
      pids->push_back(static_cast<int>(pid));
      return Status();
    }
    uid_t uid = 0;
    if (!cfg_.exe.empty()) tags->push_back({"exe", cfg_.exe});
    else if (!cfg_.pattern.empty()) tags->push_back({"pattern", cfg_.pattern});
    else if (!cfg_.user.empty()) {
      tags->push_back({"user", cfg_.user});
      struct passwd* pw = ::getpwnam(cfg_.user.c_str());
      if (!pw) return Status::not_found("procstat: no user " + cfg_.user);
      uid = pw->pw_uid;
    } else {
      return Status::invalid_argument("procstat: set one of pid_file, exe, pattern, user");
    }
    DIR* d = ::opendir(proc_.c_str());
    if (!d) return Status::io_error("open " + proc_ + ": " + std::strerror(errno));
    int self = ::getpid();
    std::string path;
    while (struct dirent* e = ::readdir(d)) {
      int64_t pid;
      if (!parse_i64(e->d_name, &pid) || pid == self) continue;
      std::string base = proc_ + "/" + e->d_name;
      bool match = false;
      if (!cfg_.exe.empty()) {
        match = read_whole_file(base + "/comm", &buf_).ok() && matches(trim_nl(buf_));
      } else if (!cfg_.pattern.empty()) {
        if (read_whole_file(base + "/cmdline", &buf_).ok() && !buf_.empty()) {
          for (char& ch : buf_) if (ch == '\0') ch = ' ';
          match = matches(trim_nl(buf_));
        }
      } else {
        if (read_whole_file(base + "/status", &buf_).ok()) {
          for_each_key_value(buf_, [&](std::string_view k, std::string_view v) {
            int64_t u;
            if (k == "Uid" && parse_i64(v, &u) && u == static_cast<int64_t>(uid)) match = true;
          });
        }
      }
      if (match) pids->push_back(static_cast<int>(pid));
    }
    ::closedir(d);
    return Status();
  }

  bool matches(const std::string& s) const { return ::regexec(&re_, s.c_str(), 0, nullptr, 0) == 0; }

  static std::string trim_nl(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }

  // Adds the procstat point of one process; false when it has gone.
  bool gather_pid(int pid, int64_t now, const std::vector<Tag>& base_tags,
                  std::map<int, double>* seen, Accumulator& acc) {
    std::string dir = proc_ + "/" + std::to_string(pid);
    if (!read_whole_file(dir + "/stat", &buf_).ok()) return false;
    std::string_view s(buf_);
    size_t open = s.find('('), close = s.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close + 2 > s.size()) return false;
    std::string comm(s.substr(open + 1, close - open - 1));
    std::string_view rest = s.substr(close + 2);
    std::string_view w[42];
    size_t n = split_words(rest, w, 42);
    if (n < 22) return false;
    // Fields after the name, from 0: state(0) ... utime(11) stime(12)
    // priority(15) nice(16) num_threads(17) starttime(19) vsize(20) rss(21)
    // delayacct_blkio_ticks(39).
    uint64_t utime = 0, stime = 0, start = 0, blkio = 0;
    int64_t nice = 0, threads = 0;
    parse_u64(w[11], &utime);
    parse_u64(w[12], &stime);
    parse_i64(w[16], &nice);
    parse_i64(w[17], &threads);
    parse_u64(w[19], &start);
    if (n > 39) parse_u64(w[39], &blkio);
    double user = utime / kClockTicks, system = stime / kClockTicks, iowait = blkio / kClockTicks;

    std::vector<Tag> tags = base_tags;
    tags.push_back({"process_name", cfg_.process_name.empty() ? comm : cfg_.process_name});
    std::vector<Field> f;
    const std::string& p = cfg_.prefix;
    auto key = [&](const char* k) { return p.empty() ? std::string(k) : p + "_" + k; };
    if (cfg_.pid_tag) tags.push_back({"pid", std::to_string(pid)});
    else f.push_back({"pid", int64_t{pid}});
    f.push_back({key("num_threads"), threads});
    f.push_back({key("cpu_time_user"), user});
    f.push_back({key("cpu_time_system"), system});
    f.push_back({key("cpu_time_iowait"), iowait});
    double cpu_total = user + system + iowait;
    (*seen)[pid] = cpu_total;
    auto prev = last_cpu_.find(pid);
    if (prev != last_cpu_.end() && now > last_time_) {
      double wall = static_cast<double>(now - last_time_) / 1e9;
      f.push_back({key("cpu_usage"), 100 * (cpu_total - prev->second) / wall});
    }
    f.push_back({key("nice_priority"), nice});
    f.push_back({key("created_at"), static_cast<int64_t>(boot_time_ns() + start * (1000000000 / 100))});
    if (read_whole_file(dir + "/statm", &buf_).ok()) {
      std::string_view sm(buf_);
      uint64_t vms = 0, rss = 0;
      parse_u64(next_word(&sm), &vms);
      parse_u64(next_word(&sm), &rss);
      f.push_back({key("memory_rss"), clamp_i64(rss * page_size_)});
      f.push_back({key("memory_vms"), clamp_i64(vms * page_size_)});
    }
    if (read_whole_file(dir + "/status", &buf_).ok()) {
      int64_t data = 0, stack = 0, locked = 0, swap = 0, vol = 0, invol = 0;
      for_each_key_value(buf_, [&](std::string_view k, std::string_view v) {
        int64_t x;
        if (!parse_i64(v, &x)) return;
        if (k == "VmData") data = x * 1024;
        else if (k == "VmStk") stack = x * 1024;
        else if (k == "VmLck") locked = x * 1024;
        else if (k == "VmSwap") swap = x * 1024;
        else if (k == "voluntary_ctxt_switches") vol = x;
        else if (k == "nonvoluntary_ctxt_switches") invol = x;
      });
      f.push_back({key("memory_data"), data});
      f.push_back({key("memory_stack"), stack});
      f.push_back({key("memory_locked"), locked});
      f.push_back({key("memory_swap"), swap});
      f.push_back({key("voluntary_context_switches"), vol});
      f.push_back({key("involuntary_context_switches"), invol});
    }
    if (read_whole_file(dir + "/io", &buf_).ok()) {  // needs the same user or root
      int64_t rc = 0, wc = 0, rb = 0, wb = 0;
      for_each_key_value(buf_, [&](std::string_view k, std::string_view v) {
        int64_t x;
        if (!parse_i64(v, &x)) return;
        if (k == "syscr") rc = x;
        else if (k == "syscw") wc = x;
        else if (k == "read_bytes") rb = x;
        else if (k == "write_bytes") wb = x;
      });
      f.push_back({key("read_count"), rc});
      f.push_back({key("write_count"), wc});
      f.push_back({key("read_bytes"), rb});
      f.push_back({key("write_bytes"), wb});
    }
    if (DIR* fd = ::opendir((dir + "/fd").c_str())) {
      int64_t fds = 0;
      while (struct dirent* e = ::readdir(fd)) {
        if (e->d_name[0] != '.') ++fds;
      }
      ::closedir(fd);
      f.push_back({key("num_fds"), fds});
    }
    acc.add("procstat", std::move(tags), std::move(f));
    return true;
  }

  int64_t boot_time_ns() {
    if (boot_ns_ == 0 && read_whole_file(proc_ + "/stat", &buf2_).ok()) {
      TextCursor c(buf2_);
      std::string_view line;
      while (c.next_line(&line)) {
        if (line.rfind("btime ", 0) == 0) {
          int64_t b;
          std::string_view v = line.substr(6);
          if (parse_i64(next_word(&v), &b)) boot_ns_ = b * 1000000000;
        }
      }
    }
    return boot_ns_;
  }

  ProcstatConfig cfg_;
  regex_t re_;
  bool has_re_;
  std::string proc_;
  long page_size_;
  std::string buf_, buf2_;
  std::map<int, double> last_cpu_;  // pid -> cpu seconds at the last gather
  int64_t last_time_ = 0;
  int64_t boot_ns_ = 0;
};

constexpr const char* kSample = R"(# Monitor process cpu and memory usage
[[inputs.procstat]]
  ## PID file to monitor process
  pid_file = "/var/run/nginx.pid"
  ## executable name (ie, pgrep <exe>)
  # exe = "nginx"
  ## pattern as argument for pgrep (ie, pgrep -f <pattern>)
  # pattern = "nginx"
  ## user as argument for pgrep (ie, pgrep -u <user>)
  # user = "nginx"

  ## override for process_name
  ## This is optional; default is sourced from /proc/<pid>/status
  # process_name = "bar"

  ## Field name prefix
  # prefix = ""

  ## Add the PID as a tag instead of as a field.  When collecting multiple
  ## processes with otherwise matching tags this setting should be enabled to
  ## ensure each process has a unique identity.
  ##
  ## Enabling this option may result in a large number of series, especially
  ## when processes have a short lifetime.
  # pid_tag = false
)";

}  // namespace

void add_procstat_input(std::vector<InputInfo>* out) {
  InputInfo i;
  i.name = "procstat";
  i.description = "Monitor process cpu and memory usage";
  i.sample_config = kSample;
  i.needs_two_samples = true;
  i.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    ProcstatConfig c;
    TSD_ASSIGN_OPT(c.pid_file, o.get_string("pid_file", ""));
    TSD_ASSIGN_OPT(c.exe, o.get_string("exe", ""));
    TSD_ASSIGN_OPT(c.pattern, o.get_string("pattern", ""));
    TSD_ASSIGN_OPT(c.user, o.get_string("user", ""));
    TSD_ASSIGN_OPT(c.prefix, o.get_string("prefix", ""));
    TSD_ASSIGN_OPT(c.process_name, o.get_string("process_name", ""));
    TSD_ASSIGN_OPT(c.pid_tag, o.get_bool("pid_tag", false));
    if (o.has("pid_finder")) (void)o.get_string("pid_finder", "native");
    if (c.pid_file.empty() && c.exe.empty() && c.pattern.empty() && c.user.empty()) {
      return Status::invalid_argument("procstat: set one of pid_file, exe, pattern, user");
    }
    // pgrep's extended regular expressions, matched anywhere in the name or command line.
    regex_t re{};
    const std::string expr = !c.exe.empty() ? c.exe : c.pattern;
    if (!expr.empty()) {
      int rc = ::regcomp(&re, expr.c_str(), REG_EXTENDED | REG_NOSUB);
      if (rc != 0) {
        char msg[200];
        ::regerror(rc, &re, msg, sizeof msg);
        return Status::invalid_argument("procstat: bad regular expression \"" + expr + "\": " + msg);
      }
    }
    return std::unique_ptr<Input>(new ProcstatInput(std::move(c), re, !expr.empty()));
  };
  out->push_back(std::move(i));
}

}  // namespace tsd::collect
