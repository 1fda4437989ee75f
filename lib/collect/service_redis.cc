// redis: INFO ALL over RESP (plain sockets) -> the redis measurements
// (parsed in service_redis_info.cc).
#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT
#include "core/time.h"

namespace tsd::collect {
namespace {

constexpr std::string_view kSample = R"(# Read metrics from one or many redis servers
[[inputs.redis]]
  ## specify servers via a url matching:
  ##  [protocol://][username:password]@address[:port]
  ##  e.g.
  ##    tcp://localhost:6379
  ##    tcp://username:password@192.168.99.100
  ##    unix:///var/run/redis.sock
  ##
  ## If no servers are specified, then localhost is used as the host.
  ## If no port is specified, 6379 is used
  servers = ["tcp://localhost:6379"]

  ## Specify username and password for ACL auth (Redis 6.0+). You can add this
  ## to the server URI above or specify it here. The values here take
  ## precedence.
  # username = ""
  # password = ""

  ## Timeout of each connection and reply (tsd's addition).
  # timeout = "5s"
)";

// One RESP request/reply: a bulk or simple string, or the server's error.
Result<std::string> resp_call(Conn& conn, const std::vector<std::string>& args) {
  std::string req = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) req += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  TSD_RETURN_IF_ERROR(conn.write_all(req));
  std::string buf;
  TSD_RETURN_IF_ERROR(conn.read_until("\r\n", &buf));
  size_t eol = buf.find("\r\n");
  std::string head = buf.substr(1, eol - 1);
  switch (buf[0]) {
    case '+':
    case ':':
      return head;
    case '-':
      return Status::io_error(conn.name() + ": " + head);
    case '$': {
      auto n = parse_int64(head);
      if (!n || *n < -1) return Status::corruption(conn.name() + ": bad RESP bulk length");
      if (*n == -1) return std::string();
      size_t want = eol + 2 + static_cast<size_t>(*n) + 2;
      while (buf.size() < want) {
        Result<bool> more = conn.read_some(&buf);
        if (!more.ok()) return more.status();
        if (!*more) return Status::io_error(conn.name() + ": connection closed mid-reply");
      }
      return buf.substr(eol + 2, static_cast<size_t>(*n));
    }
    default:
      return Status::corruption(conn.name() + ": unexpected RESP reply");
  }
}

struct Server {
  bool unix_socket = false;
  std::string address;  // host:port or a path
  HostPort hp;
  std::string user, password;
  std::vector<Tag> tags;
};

Result<Server> parse_server(std::string url, const std::string& user, const std::string& pass) {
  if (url.rfind("tcp://", 0) != 0 && url.rfind("unix://", 0) != 0) url = "tcp://" + url;
  Server s;
  s.unix_socket = url.rfind("unix://", 0) == 0;
  std::string_view rest = std::string_view(url).substr(s.unix_socket ? 7 : 6);
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    size_t colon = userinfo.find(':');
    s.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) s.password = std::string(userinfo.substr(colon + 1));
    rest.remove_prefix(at + 1);
  }
  if (!user.empty()) s.user = user;
  if (!pass.empty()) s.password = pass;
  if (s.unix_socket) {
    if (rest.empty()) return Status::invalid_argument("server \"" + url + "\": no socket path");
    s.address = std::string(rest);
    s.tags = {{"socket", s.address}};
  } else {
    rest = rest.substr(0, rest.find('/'));
    s.hp = split_host_port(rest, "6379");
    if (s.hp.host.empty()) s.hp.host = "localhost";
    s.address = std::string(rest);
    s.tags = {{"port", s.hp.port}, {"server", s.hp.host}};
  }
  return s;
}

class RedisInput : public Input {
 public:
  RedisInput(std::vector<Server> servers, int64_t timeout)
      : servers_(std::move(servers)), timeout_(timeout) {}

  Status gather(Accumulator& acc) override {
    return gather_each(servers_, [&](const auto& s) { return gather_one(s, acc); });
  }

 private:
  Status gather_one(const Server& s, Accumulator& acc) {
    Result<Conn> conn =
        s.unix_socket ? Conn::dial_unix(s.address, timeout_) : Conn::dial_tcp(s.hp, timeout_);
    if (!conn.ok()) return conn.status();
    if (!s.password.empty()) {
      std::vector<std::string> auth = {"AUTH"};
      if (!s.user.empty()) auth.push_back(s.user);
      auth.push_back(s.password);
      Result<std::string> ok = resp_call(*conn, auth);
      if (!ok.ok()) return ok.status();
    }
    Result<std::string> info = resp_call(*conn, {"INFO", "ALL"});
    if (!info.ok()) return info.status();
    parse_redis_info(*info, s.tags, now_ns() / 1000000000, acc);
    return Status();
  }

  std::vector<Server> servers_;
  int64_t timeout_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::vector<std::string> urls;
  TSD_ASSIGN_OPT(urls, opts.get_strings("servers", {"tcp://localhost:6379"}));
  std::string user;
  TSD_ASSIGN_OPT(user, opts.get_string("username", ""));
  std::string pass;
  TSD_ASSIGN_OPT(pass, opts.get_string("password", ""));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, service_timeout(opts));
  if (urls.empty()) urls.push_back("tcp://localhost:6379");
  std::vector<Server> servers;
  for (const auto& u : urls) {
    auto s = parse_server(u, user, pass);
    if (!s.ok()) return s.status();
    servers.push_back(std::move(*s));
  }
  return std::unique_ptr<Input>(new RedisInput(std::move(servers), timeout));
}

}  // namespace

InputInfo redis_input_info() {
  return {.name = "redis",
          .description = "Read metrics from one or many redis servers",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
