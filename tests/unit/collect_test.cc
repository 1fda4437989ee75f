// tsd-collect: the system inputs over /proc fixtures captured from a real
// machine (tests/unit/data/proc-vm), the config reader, and the agent's
// point finishing.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <utmp.h>

#include <filesystem>
#include <fstream>
#include <cmath>
#include <map>

#include "collect/agent_internal.h"
#include "collect/config.h"
#include "collect/input.h"
#include "collect/sample_config.h"

namespace tsd::collect {
namespace {

namespace fs = std::filesystem;

// make unit runs from the source tree; TSD_SOURCE_DIR says where it is otherwise.
std::string source_dir() {
  const char* d = getenv("TSD_SOURCE_DIR");
  return d ? d : ".";
}
const std::string kFixture = fs::absolute(source_dir() + "/tests/unit/data/proc-vm").string();

// Points HOST_PROC / HOST_SYS at a root for the life of the object.
class HostRoot {
 public:
  explicit HostRoot(const std::string& root) {
    setenv("HOST_PROC", (root + "/proc").c_str(), 1);
    setenv("HOST_SYS", (root + "/sys").c_str(), 1);
    setenv("HOST_VAR", (root + "/var").c_str(), 1);
    setenv("HOST_RUN", (root + "/run").c_str(), 1);
  }
  ~HostRoot() {
    unsetenv("HOST_PROC");
    unsetenv("HOST_SYS");
    unsetenv("HOST_VAR");
    unsetenv("HOST_RUN");
  }
};

// A copy of the fixture that a test may change.
class TempRoot {
 public:
  TempRoot() {
    char tmpl[] = "/tmp/tsd-collect-test.XXXXXX";
    path_ = mkdtemp(tmpl);
    fs::copy(kFixture, path_, fs::copy_options::recursive);
  }
  ~TempRoot() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  // Rewrites a file in place (same inode: open descriptors see the change).
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(path_ + "/" + rel, std::ios::trunc) << text;
  }
  std::string read(const std::string& rel) {
    std::ifstream in(path_ + "/" + rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string path_;
};

std::unique_ptr<Input> make(const std::string& name, const std::string& toml = "") {
  const InputInfo* info = find_input(name);
  EXPECT_NE(info, nullptr) << name;
  std::shared_ptr<Options> opts = empty_options();
  if (!toml.empty()) {
    auto c = parse_config("[[inputs." + name + "]]\n" + toml, "test.conf");
    EXPECT_TRUE(c.ok()) << c.status().message();
    opts = c->inputs.at(0).options;
  }
  auto r = info->create(*opts);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return std::move(*r);
}

std::vector<Point> gather(Input& in) {
  VectorAccumulator acc;
  Status s = in.gather(acc);
  EXPECT_TRUE(s.ok()) << s.message();
  return std::move(acc.points);
}

const Point* find_point(const std::vector<Point>& pts, const std::string& m,
                        const std::string& tag_key = "", const std::string& tag_value = "",
                        const std::string& field = "") {
  for (const Point& p : pts) {
    if (p.measurement != m) continue;
    bool tag_ok = tag_key.empty();
    for (const Tag& t : p.tags) tag_ok = tag_ok || (t.key == tag_key && t.value == tag_value);
    bool field_ok = field.empty();
    for (const Field& f : p.fields) field_ok = field_ok || f.key == field;
    if (tag_ok && field_ok) return &p;
  }
  return nullptr;
}

const Value& field(const Point* p, const std::string& key) {
  static const Value missing = std::string("<missing>");
  if (!p) return missing;
  for (const Field& f : p->fields) {
    if (f.key == key) return f.value;
  }
  return missing;
}

double f64(const Point* p, const std::string& key) {
  const Value& v = field(p, key);
  EXPECT_EQ(value_type(v), FieldType::kFloat) << key;
  return value_type(v) == FieldType::kFloat ? std::get<double>(v) : -1;
}

int64_t i64(const Point* p, const std::string& key) {
  const Value& v = field(p, key);
  EXPECT_EQ(value_type(v), FieldType::kInteger) << key;
  return value_type(v) == FieldType::kInteger ? std::get<int64_t>(v) : -1;
}

TEST(CollectCpu, UsageFromTwoCapturedSamples) {
  TempRoot root;
  HostRoot env(root.path());
  auto cpu = make("cpu");
  EXPECT_TRUE(gather(*cpu).empty());  // one sample: no rates yet
  root.write("proc/stat", root.read("proc/stat.2"));
  auto pts = gather(*cpu);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].tags[0].value, "cpu0");  // per-cpu first, then the total
  EXPECT_EQ(pts[2].tags[0].value, "cpu-total");
  // cpu-total: user +177 ticks, system +23, nothing else: 200 ticks.
  const Point* t = &pts[2];
  EXPECT_NEAR(f64(t, "usage_user"), 88.5, 1e-9);
  EXPECT_NEAR(f64(t, "usage_system"), 11.5, 1e-9);
  EXPECT_NEAR(f64(t, "usage_idle"), 0, 1e-9);
  // cpu1: user +82, system +17 of 99 ticks.
  EXPECT_NEAR(f64(&pts[1], "usage_user"), 100.0 * 82 / 99, 1e-9);
  EXPECT_NEAR(f64(&pts[1], "usage_system"), 100.0 * 17 / 99, 1e-9);
  EXPECT_NEAR(f64(&pts[0], "usage_user"), 94.0, 1e-9);
  EXPECT_EQ(pts[0].fields.size(), 10u);  // usage_user .. usage_guest_nice
}

TEST(CollectCpu, GuestIsTakenOutOfUserAndTimesAreSeconds) {
  TempRoot root;
  HostRoot env(root.path());
  root.write("proc/stat", "cpu  100 10 50 1000 20 5 5 2 30 4\ncpu0 100 10 50 1000 20 5 5 2 30 4\n");
  auto cpu = make("cpu", "percpu = false\ncollect_cpu_time = true\nreport_active = true\n");
  auto first = gather(*cpu);
  ASSERT_EQ(first.size(), 1u);  // time_* only
  EXPECT_NEAR(f64(&first[0], "time_user"), 0.70, 1e-12);  // (100 - 30 guest) / 100
  EXPECT_NEAR(f64(&first[0], "time_nice"), 0.06, 1e-12);
  EXPECT_NEAR(f64(&first[0], "time_idle"), 10.0, 1e-12);
  EXPECT_NEAR(f64(&first[0], "time_active"), 1.92 - 0.0, 1e-9);  // total 11.92 - idle 10
  root.write("proc/stat", "cpu  200 20 70 1100 30 6 7 3 50 6\ncpu0 200 20 70 1100 30 6 7 3 50 6\n");
  auto pts = gather(*cpu);
  const Point* u = find_point(pts, "cpu", "cpu", "cpu-total", "usage_user");
  ASSERT_NE(u, nullptr);
  // Deltas: user 100 (guest 20), nice 10 (guest_nice 2), system 20, idle 100,
  // iowait 10, irq 1, softirq 2, steal 1: total 244 ticks.
  EXPECT_NEAR(f64(u, "usage_user"), 100.0 * 80 / 244, 1e-9);
  EXPECT_NEAR(f64(u, "usage_nice"), 100.0 * 8 / 244, 1e-9);
  EXPECT_NEAR(f64(u, "usage_idle"), 100.0 * 100 / 244, 1e-9);
  EXPECT_NEAR(f64(u, "usage_guest"), 100.0 * 20 / 244, 1e-9);
  EXPECT_NEAR(f64(u, "usage_guest_nice"), 100.0 * 2 / 244, 1e-9);
  EXPECT_NEAR(f64(u, "usage_active"), 100.0 * 144 / 244, 1e-9);
}

TEST(CollectMem, CapturedMeminfo) {
  HostRoot env(kFixture);
  auto pts = gather(*make("mem"));
  ASSERT_EQ(pts.size(), 1u);
  const Point* m = &pts[0];
  EXPECT_EQ(m->measurement, "mem");
  EXPECT_EQ(i64(m, "total"), 25276502016);
  EXPECT_EQ(i64(m, "free"), 21001211904);
  EXPECT_EQ(i64(m, "buffered"), 8425472);
  EXPECT_EQ(i64(m, "cached"), 2114035712);  // Cached + SReclaimable
  EXPECT_EQ(i64(m, "used"), 2152828928);    // total - free - buffers - cached
  EXPECT_EQ(i64(m, "available"), 22830592000);
  EXPECT_EQ(i64(m, "dirty"), 378540 * 1024LL);
  EXPECT_EQ(i64(m, "shared"), 8872 * 1024LL);
  EXPECT_EQ(i64(m, "huge_page_size"), 2097152);
  EXPECT_EQ(i64(m, "huge_pages_total"), 0);
  EXPECT_DOUBLE_EQ(f64(m, "used_percent"), 100.0 * 2152828928 / 25276502016);
  EXPECT_DOUBLE_EQ(f64(m, "available_percent"), 100.0 * 22830592000 / 25276502016);
  EXPECT_EQ(m->fields.size(), 34u);
}

TEST(CollectSwap, NoSwapAndSomeSwap) {
  TempRoot root;
  HostRoot env(root.path());
  auto pts = gather(*make("swap"));
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(i64(&pts[0], "total"), 0);
  EXPECT_EQ(f64(&pts[0], "used_percent"), 0.0);
  root.write("proc/meminfo", "MemTotal: 1000 kB\nSwapTotal: 4000 kB\nSwapFree: 3000 kB\n");
  root.write("proc/vmstat", "pswpin 10\npswpout 3\n");
  pts = gather(*make("swap"));
  EXPECT_EQ(i64(&pts[0], "used"), 1024000);
  EXPECT_EQ(i64(&pts[0], "free"), 3072000);
  EXPECT_DOUBLE_EQ(f64(&pts[0], "used_percent"), 25.0);
  EXPECT_EQ(i64(&pts[1], "in"), 40960);
  EXPECT_EQ(i64(&pts[1], "out"), 12288);
}

TEST(CollectDiskio, CapturedDiskstats) {
  HostRoot env(kFixture);
  auto pts = gather(*make("diskio"));
  const Point* vda = find_point(pts, "diskio", "name", "vda");
  ASSERT_NE(vda, nullptr);
  EXPECT_EQ(vda->tags.size(), 2u);  // name, serial=unknown (no udev data)
  EXPECT_EQ(vda->tags[1].value, "unknown");
  EXPECT_EQ(i64(vda, "reads"), 40342);
  EXPECT_EQ(i64(vda, "merged_reads"), 8949);
  EXPECT_EQ(i64(vda, "read_bytes"), 1871553536);
  EXPECT_EQ(i64(vda, "read_time"), 24910);
  EXPECT_EQ(i64(vda, "writes"), 111814);
  EXPECT_EQ(i64(vda, "merged_writes"), 18329);
  EXPECT_EQ(i64(vda, "write_bytes"), 23240167424);
  EXPECT_EQ(i64(vda, "write_time"), 275123);
  EXPECT_EQ(i64(vda, "iops_in_progress"), 0);
  EXPECT_EQ(i64(vda, "io_time"), 27736);
  EXPECT_EQ(i64(vda, "weighted_io_time"), 307039);
  auto only = gather(*make("diskio", "devices = [\"vd*\"]\nskip_serial_number = true\n"));
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].tags.size(), 1u);
}

TEST(CollectDisk, MountsFilteredByTypeAndMode) {
  HostRoot env(kFixture);
  auto pts = gather(*make("disk"));
  // proc, sysfs, cgroup have no blocks; tmpfs and devtmpfs are ignored.
  ASSERT_EQ(pts.size(), 2u);
  const Point* root = find_point(pts, "disk", "path", "/");
  const Point* tmp = find_point(pts, "disk", "path", "/tmp");
  ASSERT_NE(root, nullptr);
  ASSERT_NE(tmp, nullptr);
  std::map<std::string, std::string> tags;
  for (const Tag& t : root->tags) tags[t.key] = t.value;
  EXPECT_EQ(tags["device"], "vda");
  EXPECT_EQ(tags["fstype"], "ext4");
  EXPECT_EQ(tags["mode"], "rw");
  for (const Tag& t : tmp->tags) {
    if (t.key == "mode") {
      EXPECT_EQ(t.value, "ro");
    }
  }
  int64_t total = i64(root, "total"), used = i64(root, "used"), free = i64(root, "free");
  EXPECT_GT(total, 0);
  EXPECT_LE(used + free, total);
  EXPECT_NEAR(f64(root, "used_percent"), 100.0 * used / (used + free), 1e-9);
  EXPECT_EQ(i64(root, "inodes_used"), i64(root, "inodes_total") - i64(root, "inodes_free"));
  auto only = gather(*make("disk", "mount_points = [\"/\"]\n"));
  EXPECT_EQ(only.size(), 1u);
}

TEST(CollectNet, UpInterfacesAndProtocolStats) {
  HostRoot env(kFixture);
  auto pts = gather(*make("net"));
  // lo is loopback, ifb0/ifb1 are down: only eth0, and interface=all.
  ASSERT_EQ(pts.size(), 2u);
  const Point* eth0 = find_point(pts, "net", "interface", "eth0");
  ASSERT_NE(eth0, nullptr);
  EXPECT_EQ(i64(eth0, "bytes_recv"), 26720779);
  EXPECT_EQ(i64(eth0, "packets_recv"), 731);
  EXPECT_EQ(i64(eth0, "bytes_sent"), 32989);
  EXPECT_EQ(i64(eth0, "packets_sent"), 393);
  EXPECT_EQ(i64(eth0, "err_in"), 0);
  EXPECT_EQ(i64(eth0, "drop_out"), 0);
  const Point* all = find_point(pts, "net", "interface", "all");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(i64(all, "ip_defaultttl"), 64);
  EXPECT_EQ(i64(all, "tcp_maxconn"), -1);
  EXPECT_EQ(i64(all, "icmpmsg_intype3"), 1);
  auto lo = gather(*make("net", "interfaces = [\"lo\"]\nignore_protocol_stats = true\n"));
  ASSERT_EQ(lo.size(), 1u);
  EXPECT_EQ(i64(&lo[0], "bytes_recv"), 809074185);
}

TEST(CollectNetstat, TcpStatesAndUdp) {
  HostRoot env(kFixture);
  auto pts = gather(*make("netstat"));
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(i64(&pts[0], "tcp_time_wait"), 25);
  EXPECT_EQ(i64(&pts[0], "tcp_listen"), 3);
  EXPECT_EQ(i64(&pts[0], "tcp_established"), 0);
  EXPECT_EQ(i64(&pts[0], "udp_socket"), 0);
  EXPECT_EQ(pts[0].fields.size(), 13u);
}

TEST(CollectKernel, CapturedStat) {
  HostRoot env(kFixture);
  auto pts = gather(*make("kernel"));
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(i64(&pts[0], "interrupts"), 807959);
  EXPECT_EQ(i64(&pts[0], "context_switches"), 2982256);
  EXPECT_EQ(i64(&pts[0], "boot_time"), 1795615879);
  EXPECT_EQ(i64(&pts[0], "processes_forked"), 38266);
  EXPECT_EQ(i64(&pts[0], "entropy_avail"), 256);
  EXPECT_EQ(pts[0].fields.size(), 5u);  // no "page" line in this kernel's /proc/stat
}

TEST(CollectSystem, LoadCpusUptime) {
  HostRoot env(kFixture);
  auto pts = gather(*make("system"));
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_DOUBLE_EQ(f64(&pts[0], "load1"), 8.30);
  EXPECT_DOUBLE_EQ(f64(&pts[0], "load5"), 5.88);
  EXPECT_DOUBLE_EQ(f64(&pts[0], "load15"), 2.80);
  EXPECT_EQ(i64(&pts[0], "n_cpus"), 2);
  EXPECT_EQ(i64(&pts[1], "uptime"), 1302);
  EXPECT_EQ(std::get<std::string>(field(&pts[2], "uptime_format")), " 0:21");
}

TEST(CollectSystem, UsersFromUtmpAndLongUptime) {
  TempRoot root;
  HostRoot env(root.path());
  fs::create_directories(root.path() + "/var/run");
  std::string utmp;
  for (short type : {BOOT_TIME, USER_PROCESS, LOGIN_PROCESS, USER_PROCESS}) {
    struct utmp u {};
    u.ut_type = type;
    utmp.append(reinterpret_cast<const char*>(&u), sizeof u);
  }
  root.write("var/run/utmp", utmp);
  root.write("proc/uptime", "266475.12 100.0\n");  // 3 days, 2:01:15
  auto pts = gather(*make("system"));
  EXPECT_EQ(i64(&pts[0], "n_users"), 2);
  EXPECT_EQ(std::get<std::string>(field(&pts[2], "uptime_format")), "3 days,  2:01");
}

TEST(CollectProcesses, StatesOfCapturedProcesses) {
  HostRoot env(kFixture);
  auto pts = gather(*make("processes"));
  ASSERT_EQ(pts.size(), 1u);
  const Point* p = &pts[0];
  EXPECT_EQ(i64(p, "total"), 10);
  EXPECT_EQ(i64(p, "sleeping"), 3);
  EXPECT_EQ(i64(p, "idle"), 5);
  EXPECT_EQ(i64(p, "zombies"), 1);
  EXPECT_EQ(i64(p, "stopped"), 1);
  EXPECT_EQ(i64(p, "running"), 0);
  EXPECT_EQ(i64(p, "total_threads"), 24);
}

TEST(CollectProcstat, FindsThisTestByPattern) {
  auto in = make("procstat", "exe = \"^unit_tests$\"\npid_tag = true\n");
  auto first = gather(*in);
  // This process is skipped (a collector does not watch itself), so look for none.
  const Point* lookup = find_point(first, "procstat_lookup");
  ASSERT_NE(lookup, nullptr);
  EXPECT_EQ(i64(lookup, "result_code"), 0);
  auto bad = find_input("procstat")->create(*empty_options());
  EXPECT_FALSE(bad.ok());
  auto c = parse_config("[[inputs.procstat]]\n  exe = \"(\"\n", "t.conf");
  ASSERT_TRUE(c.ok());
  auto re = find_input("procstat")->create(*c->inputs[0].options);
  ASSERT_FALSE(re.ok());
  EXPECT_NE(re.status().message().find("bad regular expression \"(\""), std::string::npos);
}

TEST(CollectConfig, AgentTagsInputsOutputs) {
  auto c = parse_config(R"(
[global_tags]
  dc = "eu-1"
[agent]
  interval = "10s"
  round_interval = false
  metric_buffer_limit = 500
  omit_hostname = true
[[inputs.cpu]]
  percpu = false
  [inputs.cpu.tags]
    team = "dba"
[[inputs.mem]]
[[outputs.file]]
  files = ["stdout"]
[[processors.rename]]
)", "t.conf");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->agent.interval, 10 * kSecond);
  EXPECT_FALSE(c->agent.round_interval);
  EXPECT_EQ(c->agent.metric_buffer_limit, 500);
  EXPECT_TRUE(c->agent.omit_hostname);
  ASSERT_EQ(c->global_tags.size(), 1u);
  ASSERT_EQ(c->inputs.size(), 2u);
  EXPECT_EQ(c->inputs[0].tags, (std::vector<Tag>{{"team", "dba"}}));
  EXPECT_EQ(c->inputs[0].where, "t.conf:9");
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_NE(c->warnings[0].find("[processors]"), std::string::npos);
  auto percpu = c->inputs[0].options->get_bool("percpu", true);
  ASSERT_TRUE(percpu.ok());
  EXPECT_FALSE(*percpu);
  EXPECT_TRUE(c->inputs[0].options->unused_keys().empty());
}

TEST(CollectConfig, ErrorsNameTheLine) {
  auto syntax = parse_config("[agent]\n  interval = \"1s\"\n  round_interval = yes\n", "bad.conf");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("bad.conf:3:", 0), 0u) << syntax.status().message();
  auto type = parse_config("[agent]\n\n  metric_batch_size = \"many\"\n", "t.conf");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().message(),
            "t.conf:3: agent: option \"metric_batch_size\": expected an integer, got a string");
  auto c = parse_config("[[inputs.cpu]]\n  percpu = 1\n  bogus = 2\n", "t.conf");
  ASSERT_TRUE(c.ok());
  auto r = c->inputs[0].options->get_bool("percpu", true);
  EXPECT_EQ(r.status().message(), "t.conf:2: inputs.cpu: option \"percpu\": expected a boolean, got an integer");
  EXPECT_EQ(c->inputs[0].options->unused_keys(), (std::vector<std::string>{"bogus"}));
  auto dur = parse_config("[agent]\n  interval = \"10 parsecs\"\n", "t.conf");
  ASSERT_FALSE(dur.ok());
  EXPECT_EQ(dur.status().message().rfind("t.conf:2: agent: option \"interval\"", 0), 0u);
  auto secs = parse_config("[agent]\n  interval = 9223372036854775807\n", "t.conf");
  ASSERT_FALSE(secs.ok());  // integer seconds beyond int64 nanoseconds
  EXPECT_EQ(secs.status().message(), "t.conf:2: agent: option \"interval\": duration out of range: "
                                     "9223372036854775807 s");
}

TEST(CollectAgent, FinishAddsHostGlobalTagsAndRoundsTime) {
  Finisher f("db1", {{"dc", "eu"}, {"host", "ignored-later"}}, kSecond, false);
  RunningInput in;
  in.name = "cpu";
  in.tags = {{"team", "dba"}};
  in.name_prefix = "sys_";
  std::vector<Point> pts(1);
  pts[0].measurement = "cpu";
  pts[0].add_tag("cpu", "cpu0").add_field("usage_idle", 99.5).add_field("n", int64_t{3});
  std::vector<std::string> lines;
  f.finish(&in, &pts, 1600000000600000000, &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "sys_cpu,cpu=cpu0,dc=eu,host=ignored-later,team=dba usage_idle=99.5,n=3i 1600000001000000000\n");
  Finisher test("h", {}, kSecond, true);
  std::vector<Point> q(1);
  q[0].measurement = "m";
  q[0].add_field("b", std::string("x \"y\"")).add_field("a", true).add_field("nan", std::nan(""));
  lines.clear();
  test.finish(nullptr, &q, 1600000000400000000, &lines);
  EXPECT_EQ(lines[0], "> m,host=h a=true,b=\"x \\\"y\\\"\" 1600000000000000000\n");
}

TEST(CollectAgent, BufferDropsTheOldest) {
  OutputStats stats;
  MetricBuffer b(3, &stats);
  EXPECT_EQ(b.push({"a\n", "b\n"}), 0u);
  EXPECT_EQ(b.push({"c\n", "d\n", "e\n"}), 2u);
  std::string out;
  EXPECT_EQ(b.take(10, &out), 3u);
  EXPECT_EQ(out, "c\nd\ne\n");
  EXPECT_EQ(stats.metrics_dropped.load(), 2);
  EXPECT_EQ(stats.metrics_added.load(), 5);
}

TEST(CollectRegistry, ListUsageSample) {
  EXPECT_NE(find_input("cpu"), nullptr);
  EXPECT_NE(input_list().find("  procstat"), std::string::npos);
  EXPECT_FALSE(input_usage("nope").ok());
  auto s = sample_config({"cpu", "mem"});
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->find("[[inputs.cpu]]"), std::string::npos);
  EXPECT_EQ(s->find("[[inputs.disk]]"), std::string::npos);
  // The sample parses as our own config.
  auto c = parse_config(*s, "sample");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->inputs.size(), 2u);
  for (const InputInfo& i : all_inputs()) {
    auto one = parse_config(i.sample_config, i.name);
    EXPECT_TRUE(one.ok()) << i.name << ": " << one.status().message();
  }
}

}  // namespace
}  // namespace tsd::collect
