// memcached: `stats` over TCP or a Unix socket -> measurement memcached.
#include <algorithm>
#include <map>

#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT

namespace tsd::collect {
namespace {

// The statistics Telegraf sends, in its order.
constexpr std::string_view kMemcachedFields[] = {"accepting_conns",
                                                 "auth_cmds",
                                                 "auth_errors",
                                                 "bytes",
                                                 "bytes_read",
                                                 "bytes_written",
                                                 "cas_badval",
                                                 "cas_hits",
                                                 "cas_misses",
                                                 "cmd_flush",
                                                 "cmd_get",
                                                 "cmd_set",
                                                 "cmd_touch",
                                                 "conn_yields",
                                                 "connection_structures",
                                                 "curr_connections",
                                                 "curr_items",
                                                 "decr_hits",
                                                 "decr_misses",
                                                 "delete_hits",
                                                 "delete_misses",
                                                 "evicted_active",
                                                 "evicted_unfetched",
                                                 "evictions",
                                                 "expired_unfetched",
                                                 "get_expired",
                                                 "get_flushed",
                                                 "get_hits",
                                                 "get_misses",
                                                 "hash_bytes",
                                                 "hash_is_expanding",
                                                 "hash_power_level",
                                                 "incr_hits",
                                                 "incr_misses",
                                                 "limit_maxbytes",
                                                 "listen_disabled_num",
                                                 "max_connections",
                                                 "reclaimed",
                                                 "rejected_connections",
                                                 "store_no_memory",
                                                 "store_too_large",
                                                 "threads",
                                                 "total_connections",
                                                 "total_items",
                                                 "touch_hits",
                                                 "touch_misses",
                                                 "uptime"};

constexpr std::string_view kSample = R"(# Read metrics from one or many memcached servers.
[[inputs.memcached]]
  ## An array of address to gather stats about. Specify an ip on hostname
  ## with optional port. ie localhost, 10.0.0.1:11211, etc.
  servers = ["localhost:11211"]
  # unix_sockets = ["/var/run/memcached.sock"]
  ## Timeout of each connection and reply (tsd's addition).
  # timeout = "5s"
)";

class MemcachedInput : public Input {
 public:
  MemcachedInput(std::vector<std::string> servers, std::vector<std::string> sockets,
                 int64_t timeout)
      : servers_(std::move(servers)), sockets_(std::move(sockets)), timeout_(timeout) {}

  Status gather(Accumulator& acc) override {
    Status errors = gather_each(servers_, [&](const std::string& s) {
      std::string tag = s.find(':') == std::string::npos ? s + ":11211" : s;
      return gather_one(Conn::dial_tcp(split_host_port(s, "11211"), timeout_), tag, acc);
    });
    add_error(&errors, gather_each(sockets_, [&](const std::string& s) {
      return gather_one(Conn::dial_unix(s, timeout_), s, acc);
    }));
    return errors;
  }

 private:
  static Status gather_one(Result<Conn> conn, const std::string& tag, Accumulator& acc) {
    if (!conn.ok()) return conn.status();
    TSD_RETURN_IF_ERROR(conn->write_all("stats\r\n"));
    std::string reply;
    TSD_RETURN_IF_ERROR(conn->read_until("END\r\n", &reply));
    std::vector<Field> fields;
    TSD_RETURN_IF_ERROR(parse_memcached_stats(reply, &fields).with_context(conn->name()));
    add_point(acc, "memcached", {{"server", tag}}, std::move(fields));
    return Status();
  }

  std::vector<std::string> servers_;
  std::vector<std::string> sockets_;
  int64_t timeout_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::vector<std::string> servers;
  TSD_ASSIGN_OPT(servers, opts.get_strings("servers", {}));
  std::vector<std::string> sockets;
  TSD_ASSIGN_OPT(sockets, opts.get_strings("unix_sockets", {}));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, service_timeout(opts));
  if (servers.empty() && sockets.empty()) servers.push_back("localhost:11211");
  return std::unique_ptr<Input>(
      new MemcachedInput(std::move(servers), std::move(sockets), timeout));
}

}  // namespace

Status parse_memcached_stats(std::string_view reply, std::vector<Field>* fields) {
  std::map<std::string_view, std::string_view> values;
  bool ended = false;
  while (!reply.empty()) {
    std::string_view line = next_line(&reply);
    if (line == "END") {
      ended = true;
      break;
    }
    // "STAT name value" (the value may hold spaces)
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.substr(0, sp1) != "STAT") {
      return Status::corruption("unexpected line in stats response: \"" + std::string(line) + "\"");
    }
    values[line.substr(sp1 + 1, sp2 - sp1 - 1)] = line.substr(sp2 + 1);
  }
  if (!ended) return Status::corruption("stats response without END");
  for (std::string_view key : kMemcachedFields) {
    auto it = values.find(key);
    if (it == values.end()) continue;
    if (auto i = parse_int64(it->second)) {
      fields->push_back({std::string(key), *i});
    } else {
      fields->push_back({std::string(key), std::string(it->second)});
    }
  }
  return Status();
}

InputInfo memcached_input_info() {
  return {.name = "memcached",
          .description = "Read metrics from one or many memcached servers",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
