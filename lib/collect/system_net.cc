// net (per interface from /proc/net/dev, and interface=all with the
// protocol counters of /proc/net/snmp) and netstat (TCP states and UDP
// sockets from /proc/net/{tcp,tcp6,udp,udp6}).
#include <fnmatch.h>

#include <netinet/in.h>

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "collect/procfs.h"
#include "collect/sockdiag.h"
#include "collect/system.h"

namespace tsd::collect {
namespace {

constexpr unsigned kIffUp = 0x1;
constexpr unsigned kIffLoopback = 0x8;

class NetInput : public Input {
 public:
  NetInput(std::vector<std::string> interfaces, bool ignore_protocol_stats)
      : dev_(host_proc() + "/net/dev"),
        snmp_(host_proc() + "/net/snmp"),
        sys_net_(host_sys() + "/class/net/"),
        interfaces_(std::move(interfaces)),
        ignore_protocol_stats_(ignore_protocol_stats) {}

  Status gather(Accumulator& acc) override {
    auto text = dev_.read();
    if (!text.ok()) return text.status();
    TextCursor c(*text);
    std::string_view line;
    while (c.next_line(&line)) {
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;  // the two header lines
      std::string_view name = line.substr(0, colon);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      std::string iface(name);
      if (!wanted(iface)) continue;
      std::string_view w[16];
      if (split_words(line.substr(colon + 1), w, 16) < 16) continue;
      uint64_t v[16];
      for (int i = 0; i < 16; ++i) {
        if (!parse_u64(w[i], &v[i])) return Status::corruption(dev_.path() + ": bad number for " + iface);
      }
      acc.add("net", {{"interface", iface}},
              {{"bytes_sent", clamp_i64(v[8])},
               {"bytes_recv", clamp_i64(v[0])},
               {"packets_sent", clamp_i64(v[9])},
               {"packets_recv", clamp_i64(v[1])},
               {"err_in", clamp_i64(v[2])},
               {"err_out", clamp_i64(v[10])},
               {"drop_in", clamp_i64(v[3])},
               {"drop_out", clamp_i64(v[11])}});
    }
    if (!ignore_protocol_stats_) return gather_protocols(acc);
    return Status();
  }

 private:
  // With no interfaces configured, Telegraf skips loopback and down interfaces.
  bool wanted(const std::string& iface) {
    if (!interfaces_.empty()) {
      for (const auto& g : interfaces_) {
        if (fnmatch(g.c_str(), iface.c_str(), 0) == 0) return true;
      }
      return false;
    }
    if (!read_whole_file(sys_net_ + iface + "/flags", &buf_).ok()) return false;
    std::string_view s(buf_);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    if (s.substr(0, 2) == "0x") s.remove_prefix(2);
    unsigned flags = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), flags, 16);
    if (r.ec != std::errc()) return false;
    return (flags & kIffUp) && !(flags & kIffLoopback);
  }

  // /proc/net/snmp: pairs of lines "Proto: names..." / "Proto: values...".
  Status gather_protocols(Accumulator& acc) {
    auto text = snmp_.read();
    if (!text.ok()) return text.status();
    std::vector<Field> fields;
    TextCursor c(*text);
    std::string_view names, values;
    while (c.next_line(&names) && c.next_line(&values)) {
      std::string_view proto = next_word(&names);
      std::string_view proto2 = next_word(&values);
      if (proto != proto2 || proto.empty() || proto.back() != ':') {
        return Status::corruption(snmp_.path() + ": unpaired lines");
      }
      proto.remove_suffix(1);
      std::string prefix;
      for (char ch : proto) prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      prefix += '_';
      for (;;) {
        std::string_view n = next_word(&names), v = next_word(&values);
        if (n.empty() || v.empty()) break;
        int64_t x;
        if (!parse_i64(v, &x)) continue;
        std::string key = prefix;
        for (char ch : n) key += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        fields.push_back({std::move(key), x});
      }
    }
    if (!fields.empty()) acc.add("net", {{"interface", "all"}}, std::move(fields));
    return Status();
  }

  ProcFile dev_;
  ProcFile snmp_;
  std::string sys_net_;
  std::vector<std::string> interfaces_;
  bool ignore_protocol_stats_;
  std::string buf_;
};

constexpr const char* kNetSample = R"(# Read metrics about network interface usage
[[inputs.net]]
  ## By default, telegraf gathers stats from any up interface (excluding loopback)
  ## Setting interfaces will tell it to gather these explicit interfaces,
  ## regardless of status.
  ##
  # interfaces = ["eth0"]
  ##
  ## On linux systems telegraf also collects protocol stats.
  ## Setting ignore_protocol_stats to true will skip reporting of protocol metrics.
  ##
  # ignore_protocol_stats = false
)";

// The TCP states of /proc/net/tcp ("st", hex 01..0B), in Telegraf's field order.
constexpr const char* kTcpStates[] = {
    "tcp_established", "tcp_syn_sent",   "tcp_syn_recv", "tcp_fin_wait1", "tcp_fin_wait2",
    "tcp_time_wait",   "tcp_close",      "tcp_close_wait", "tcp_last_ack", "tcp_listen",
    "tcp_closing",
};

class NetstatInput : public Input {
 public:
  NetstatInput()
      : use_netlink_(host_proc() == "/proc"),
        tcp_(host_proc() + "/net/tcp"),
        tcp6_(host_proc() + "/net/tcp6"),
        udp_(host_proc() + "/net/udp"),
        udp6_(host_proc() + "/net/udp6") {}

  Status gather(Accumulator& acc) override {
    int64_t states[11] = {0};
    int64_t udp = 0;
    if (!use_netlink_ || !count_netlink(states, &udp)) {
      TSD_RETURN_IF_ERROR(count_tcp(tcp_, states));
      TSD_RETURN_IF_ERROR(count_tcp(tcp6_, states));
      TSD_RETURN_IF_ERROR(count_lines(udp_, &udp));
      TSD_RETURN_IF_ERROR(count_lines(udp6_, &udp));
    }
    std::vector<Field> f;
    f.reserve(13);
    for (int i = 0; i < 11; ++i) f.push_back({kTcpStates[i], states[i]});
    f.push_back({"tcp_none", int64_t{0}});
    f.push_back({"udp_socket", udp});
    acc.add("netstat", {}, std::move(f));
    return Status();
  }

 private:
  // Through sock_diag; false (and no counts) when netlink is not available.
  bool count_netlink(int64_t* states, int64_t* udp) {
    int64_t tcp[12] = {0}, u[12] = {0};
    if (!diag_.count(IPPROTO_TCP, tcp).ok() || !diag_.count(IPPROTO_UDP, u).ok()) {
      use_netlink_ = false;
      return false;
    }
    for (int i = 1; i <= 11; ++i) {
      states[i - 1] += tcp[i];
      *udp += u[i];
    }
    return true;
  }

  // Calls fn(row) for each row of a /proc/net table after its header. A
  // missing file (no IPv6) has no rows.
  template <class Fn>
  static void for_each_row(ProcFile& file, Fn&& fn) {
    auto text = file.read();
    if (!text.ok()) return;
    TextCursor c(*text);
    std::string_view line;
    c.next_line(&line);  // header
    while (c.next_line(&line)) fn(line);
  }

  static Status count_tcp(ProcFile& file, int64_t* states) {
    for_each_row(file, [&](std::string_view line) {
      std::string_view w[4];
      if (split_words(line, w, 4) < 4) return;
      unsigned st = 0;
      auto r = std::from_chars(w[3].data(), w[3].data() + w[3].size(), st, 16);
      if (r.ec == std::errc() && st >= 1 && st <= 11) ++states[st - 1];
    });
    return Status();
  }

  static Status count_lines(ProcFile& file, int64_t* n) {
    for_each_row(file, [&](std::string_view line) {
      if (line.find(':') != std::string_view::npos) ++*n;
    });
    return Status();
  }

  bool use_netlink_;
  SockDiag diag_;
  ProcFile tcp_, tcp6_, udp_, udp6_;
};

}  // namespace

void add_net_inputs(std::vector<InputInfo>* out) {
  InputInfo net;
  net.name = "net";
  net.description = "Read metrics about network interface usage";
  net.sample_config = kNetSample;
  net.default_input = true;
  net.create = [](const Options& o) -> Result<std::unique_ptr<Input>> {
    std::vector<std::string> interfaces;
    bool ignore;
    TSD_ASSIGN_OPT(interfaces, o.get_strings("interfaces", {}));
    TSD_ASSIGN_OPT(ignore, o.get_bool("ignore_protocol_stats", false));
    return std::unique_ptr<Input>(new NetInput(std::move(interfaces), ignore));
  };
  out->push_back(std::move(net));

  out->push_back(simple_input<NetstatInput>(
      "netstat", "Read TCP metrics such as established, time wait and sockets counts",
      "# Read TCP metrics such as established, time wait and sockets counts.\n"
      "[[inputs.netstat]]\n  # no configuration\n"));
}

}  // namespace tsd::collect
