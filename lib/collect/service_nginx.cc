// nginx: the stub_status page over plain HTTP -> measurement nginx.
#include <sstream>

#include "collect/service_inputs.h"
#include "collect/service_net.h"
#include "collect/system.h"  // TSD_ASSIGN_OPT

namespace tsd::collect {
namespace {

constexpr std::string_view kSample =
    R"(# Read Nginx's basic status information (ngx_http_stub_status_module)
[[inputs.nginx]]
  ## An array of Nginx stub_status URI to gather stats.
  urls = ["http://localhost/server_status"]

  ## HTTP response timeout (default: 5s)
  response_timeout = "5s"
)";

struct Url {
  std::string host;
  std::string port;
  std::string path;
};

Result<Url> parse_http_url(std::string_view u) {
  constexpr std::string_view kHttp = "http://";
  if (u.substr(0, kHttp.size()) != kHttp) {
    return Status::invalid_argument("url \"" + std::string(u) +
                                    "\": only http:// is supported (no TLS)");
  }
  u.remove_prefix(kHttp.size());
  size_t slash = u.find('/');
  std::string_view authority = u.substr(0, slash);
  Url url;
  url.path = slash == std::string_view::npos ? "/" : std::string(u.substr(slash));
  HostPort hp = split_host_port(authority, "80");
  url.host = hp.host;
  url.port = hp.port;
  if (url.host.empty())
    return Status::invalid_argument("url \"http://" + std::string(u) + "\": no host");
  return url;
}

class NginxInput : public Input {
 public:
  NginxInput(std::vector<std::string> urls, int64_t timeout)
      : urls_(std::move(urls)), timeout_(timeout) {}

  Status gather(Accumulator& acc) override {
    return gather_each(urls_,
                       [&](const std::string& u) { return gather_one(u, acc).with_context(u); });
  }

 private:
  Status gather_one(const std::string& u, Accumulator& acc) {
    Result<Url> url = parse_http_url(u);
    if (!url.ok()) return url.status();
    Result<Conn> conn = Conn::dial_tcp({url->host, url->port}, timeout_);
    if (!conn.ok()) return conn.status();
    // HTTP/1.0 keeps the reply simple: no chunked body, closed at the end.
    std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
    TSD_RETURN_IF_ERROR(conn->write_all("GET " + url->path + " HTTP/1.0\r\nHost: " + host + ":" +
                                        url->port + "\r\nUser-Agent: tsd-collect\r\n\r\n"));
    std::string reply;
    TSD_RETURN_IF_ERROR(conn->read_to_eof(&reply));
    size_t eol = reply.find("\r\n");
    std::string_view status_line = std::string_view(reply).substr(0, eol);
    size_t sp = status_line.find(' ');
    std::string_view code = sp == std::string_view::npos ? "" : status_line.substr(sp + 1, 3);
    if (code != "200") {
      return Status::io_error(
          "returned HTTP status " +
          std::string(sp == std::string_view::npos ? status_line : status_line.substr(sp + 1)));
    }
    size_t body = reply.find("\r\n\r\n");
    if (body == std::string::npos) return Status::corruption("HTTP reply without a body");
    std::vector<Field> fields;
    TSD_RETURN_IF_ERROR(parse_nginx_stub_status(std::string_view(reply).substr(body + 4), &fields));
    add_point(acc, "nginx", {{"port", url->port}, {"server", url->host}}, std::move(fields));
    return Status();
  }

  std::vector<std::string> urls_;
  int64_t timeout_;
};

Result<std::unique_ptr<Input>> create(const Options& opts) {
  std::vector<std::string> urls;
  TSD_ASSIGN_OPT(urls, opts.get_strings("urls", {"http://localhost/server_status"}));
  int64_t timeout;
  TSD_ASSIGN_OPT(timeout, opts.get_duration("response_timeout", int64_t{5} * 1000000000));
  // Telegraf raises anything under a second to its default of 5 s.
  if (timeout < 1000000000) timeout = int64_t{5} * 1000000000;
  for (const auto& u : urls) {
    auto parsed = parse_http_url(u);
    if (!parsed.ok()) return parsed.status().with_context("urls");
  }
  return std::unique_ptr<Input>(new NginxInput(std::move(urls), timeout));
}

}  // namespace

Status parse_nginx_stub_status(std::string_view body, std::vector<Field>* fields) {
  // Active connections: N
  // server accepts handled requests
  //  A H R
  // Reading: r Writing: w Waiting: i
  std::istringstream in{std::string(body)};
  std::string word, w1, w2, w3;
  int64_t active, accepts, handled, requests, reading, writing, waiting;
  auto bad = [] { return Status::corruption("stub_status: unexpected format"); };
  if (!(in >> word >> w1) || word != "Active" || w1 != "connections:" || !(in >> active)) {
    return bad();
  }
  if (!(in >> word >> w1 >> w2 >> w3) || word != "server" || w3 != "requests") return bad();
  if (!(in >> accepts >> handled >> requests)) return bad();
  if (!(in >> word >> reading >> w1 >> writing >> w2 >> waiting) || word != "Reading:" ||
      w1 != "Writing:" || w2 != "Waiting:") {
    return bad();
  }
  *fields = {{"active", active},     {"accepts", accepts}, {"handled", handled},
             {"requests", requests}, {"reading", reading}, {"writing", writing},
             {"waiting", waiting}};
  return Status();
}

InputInfo nginx_input_info() {
  return {.name = "nginx",
          .description = "Read Nginx's basic status information (ngx_http_stub_status_module)",
          .sample_config = std::string(kSample),
          .create = create};
}

}  // namespace tsd::collect
