// zookeeper: the `mntr` four-letter command -> measurement zookeeper.
#include <cctype>

#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT

namespace tsd::collect {
namespace {

constexpr std::string_view kSample = R"(# Reads 'mntr' stats from one or many zookeeper servers
[[inputs.zookeeper]]
  ## An array of address to gather stats about. Specify an ip or hostname
  ## with port. ie localhost:2181, 10.0.0.1:2181, etc.

  ## If no servers are specified, then localhost is used as the host.
  ## If no port is specified, 2181 is used
  servers = [":2181"]

  ## Timeout for metric collections from all servers.  Minimum timeout is "1s".
  # timeout = "5s"

  ## Float Parsing - the initial implementation forced any value unable to be
  ## parsed as an int to be a string. Setting this to "float" will attempt to
  ## parse float values as floats and not strings. This would break existing
  ## metrics and may cause issues if a value switches between a float and int.
  # parse_floats = "string"
)";

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class ZookeeperInput : public Input {
 public:
  ZookeeperInput(std::vector<std::string> servers, int64_t timeout, bool floats)
      : servers_(std::move(servers)), timeout_(timeout), floats_(floats) {}

  Status gather(Accumulator& acc) override {
    return gather_each(servers_, [&](const auto& s) { return gather_one(s, acc); });
  }

 private:
  Status gather_one(const std::string& address, Accumulator& acc) {
    HostPort hp = split_host_port(address, "2181");
    Result<Conn> conn = Conn::dial_tcp(hp, timeout_);
    if (!conn.ok()) return conn.status();
    TSD_RETURN_IF_ERROR(conn->write_all("mntr\n"));
    std::string reply;
    TSD_RETURN_IF_ERROR(conn->read_to_eof(&reply));
    std::string state;
    std::vector<Field> fields;
    TSD_RETURN_IF_ERROR(parse_zookeeper_mntr(reply, &state, &fields).with_context(conn->name()));
    if (floats_) {
      for (auto& f : fields) {
        if (auto* s = std::get_if<std::string>(&f.value)) {
          if (auto d = parse_float64(*s)) f.value = *d;
        }
      }
    }
    add_point(acc, "zookeeper", {{"port", hp.port}, {"server", hp.host}, {"state", state}},
              std::move(fields));
    return Status();
  }

  std::vector<std::string> servers_;
  int64_t timeout_;
  bool floats_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::vector<std::string> servers;
  TSD_ASSIGN_OPT(servers, opts.get_strings("servers", {":2181"}));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, service_timeout(opts));
  std::string floats;
  TSD_ASSIGN_OPT(floats, opts.get_string("parse_floats", "string"));
  if (floats != "string" && floats != "float") {
    return Status::invalid_argument("parse_floats: \"" + floats +
                                    "\" is neither \"string\" nor \"float\"");
  }
  if (servers.empty()) servers.push_back(":2181");
  return std::unique_ptr<Input>(new ZookeeperInput(std::move(servers), timeout, floats == "float"));
}

}  // namespace

Status parse_zookeeper_mntr(std::string_view reply, std::string* state,
                            std::vector<Field>* fields) {
  while (!reply.empty()) {
    std::string_view line = next_line(&reply);
    if (line.empty()) continue;
    // zk_<word> <spaces> <[\w.-]+> (the rest of the line is ignored)
    size_t i = 3;
    while (i < line.size() && is_word(line[i])) ++i;
    size_t key_end = i;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t v = i;
    while (i < line.size() && (is_word(line[i]) || line[i] == '.' || line[i] == '-')) ++i;
    if (line.substr(0, 3) != "zk_" || key_end == 3 || v == key_end || i == v) {
      return Status::corruption("unexpected line in mntr response: \"" + std::string(line) + "\"");
    }
    std::string key(line.substr(3, key_end - 3));
    std::string_view value = line.substr(v, i - v);
    if (key == "server_state") {
      *state = std::string(value);
    } else if (auto n = parse_int64(value)) {
      fields->push_back({std::move(key), *n});
    } else {
      fields->push_back({std::move(key), std::string(value)});
    }
  }
  return Status();
}

InputInfo zookeeper_input_info() {
  return {.name = "zookeeper",
          .description = "Reads 'mntr' stats from one or many zookeeper servers",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
