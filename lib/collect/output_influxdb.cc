// [[outputs.influxdb]]: HTTP POST /write to InfluxDB 1.x with libcurl,
// loaded with dlopen on first use so that collectors without this output
// never map libcurl and its TLS libraries.
#include <mutex>

#include "collect/output.h"
#include "collect/system.h"
#include "core/curl.h"

namespace tsd::collect {
namespace {

using tsd::Curl;
using tsd::load_curl;

size_t append_body(char* p, size_t size, size_t n, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->size() < 4096) s->append(p, size * n);
  return size * n;
}

struct InfluxConfig {
  std::vector<std::string> urls;
  std::string database, retention_policy, username, password, user_agent;
  int64_t timeout_ns = 5 * kSecond;
  bool skip_database_creation = false;
};

class InfluxDbOutput : public Output {
 public:
  InfluxDbOutput(const Curl* curl, InfluxConfig c) : curl_(curl), c_(std::move(c)) {
    name_ = "influxdb";
    target_ = c_.urls.front();
  }
  ~InfluxDbOutput() override {
    if (h_) curl_->easy_cleanup(h_);
  }
  const std::string& name() const override { return name_; }
  const std::string& target() const override { return target_; }

  Status connect() override {
    if (c_.skip_database_creation) return Status();
    std::string q = "CREATE DATABASE \"" + c_.database + "\"";
    Status last;
    for (const std::string& url : c_.urls) {
      last = post(url + "/query?q=" + escape(q), "");
      if (last.ok()) return last;
    }
    return last;
  }

  Status write(std::string_view data, size_t* written, const std::atomic<bool>&) override {
    *written = 0;
    std::string query = "/write?db=" + escape(c_.database);
    if (!c_.retention_policy.empty()) query += "&rp=" + escape(c_.retention_policy);
    Status last;
    // Try each URL in turn, as Telegraf fails over between them.
    for (size_t i = 0; i < c_.urls.size(); ++i) {
      const std::string& url = c_.urls[(next_ + i) % c_.urls.size()];
      last = post(url + query, data);
      if (last.ok()) {
        *written = data.size();
        return last;
      }
      if (last.code() == Status::Code::kInvalidArgument) return last;  // rejected: no retry
    }
    next_ = (next_ + 1) % c_.urls.size();
    return last;
  }

 private:
  std::string escape(const std::string& s) {
    if (!handle()) return s;
    char* e = curl_->easy_escape(h_, s.data(), static_cast<int>(s.size()));
    std::string out = e ? e : s;
    if (e) curl_->free_fn(e);
    return out;
  }

  CURL* handle() {
    if (!h_) h_ = curl_->easy_init();
    return h_;
  }

  Status post(const std::string& url, std::string_view body) {
    CURL* h = handle();
    if (!h) return Status::io_error("influxdb: curl_easy_init failed");
    std::string response;
    auto& C = *curl_;
    // curl_easy_reset is not needed: every option we set is set each time.
    C.easy_setopt(h, CURLOPT_URL, url.c_str());
    C.easy_setopt(h, CURLOPT_POST, 1L);
    C.easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    C.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    C.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(c_.timeout_ns / kMillisecond));
    C.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(c_.timeout_ns / kMillisecond));
    C.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    C.easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
    C.easy_setopt(h, CURLOPT_WRITEDATA, &response);
    C.easy_setopt(h, CURLOPT_USERAGENT, c_.user_agent.c_str());
    if (!c_.username.empty()) {
      C.easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      C.easy_setopt(h, CURLOPT_USERNAME, c_.username.c_str());
      C.easy_setopt(h, CURLOPT_PASSWORD, c_.password.c_str());
    }
    CURLcode rc = C.easy_perform(h);
    if (rc != CURLE_OK) return Status::io_error("influxdb " + url_base(url) + ": " + C.easy_strerror(rc));
    long code = 0;
    C.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 200 && code < 300) return Status();
    while (!response.empty() && (response.back() == '\n' || response.back() == '\r')) response.pop_back();
    std::string msg = "influxdb " + url_base(url) + ": HTTP " + std::to_string(code) + ": " + response;
    // 4xx (bad data, no database, unauthorized) will not heal by retrying the
    // same batch; 5xx and 429 may.
    if (code >= 400 && code < 500 && code != 429 && code != 408) return Status::invalid_argument(msg);
    return Status::io_error(msg);
  }

  static std::string url_base(const std::string& url) { return url.substr(0, url.find('?')); }

  const Curl* curl_;
  InfluxConfig c_;
  std::string name_, target_;
  CURL* h_ = nullptr;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<Output>> create_influxdb_output(const PluginConfig& cfg) {
  InfluxConfig c;
  const Options& o = *cfg.options;
  TSD_ASSIGN_OPT(c.urls, o.get_strings("urls", {"http://127.0.0.1:8086"}));
  if (o.has("url")) {  // Telegraf's older spelling
    std::string u;
    TSD_ASSIGN_OPT(u, o.get_string("url", ""));
    if (!u.empty()) c.urls = {u};
  }
  TSD_ASSIGN_OPT(c.database, o.get_string("database", "telegraf"));
  TSD_ASSIGN_OPT(c.retention_policy, o.get_string("retention_policy", ""));
  TSD_ASSIGN_OPT(c.username, o.get_string("username", ""));
  TSD_ASSIGN_OPT(c.password, o.get_string("password", ""));
  TSD_ASSIGN_OPT(c.user_agent, o.get_string("user_agent", "tsd-collect"));
  TSD_ASSIGN_OPT(c.timeout_ns, o.get_duration("timeout", 5 * kSecond));
  TSD_ASSIGN_OPT(c.skip_database_creation, o.get_bool("skip_database_creation", false));
  std::string format;
  TSD_ASSIGN_OPT(format, o.get_string("content_encoding", "identity"));
  if (format != "identity") {
    return Status::not_supported(cfg.where + ": outputs.influxdb: content_encoding \"" + format +
                                 "\" is not supported");
  }
  if (c.urls.empty()) return Status::invalid_argument(cfg.where + ": outputs.influxdb: urls is empty");
  for (auto& u : c.urls) {
    while (!u.empty() && u.back() == '/') u.pop_back();
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) {
      return Status::invalid_argument(cfg.where + ": outputs.influxdb: unsupported URL \"" + u +
                                      "\" (http:// or https://)");
    }
  }
  auto curl = load_curl();
  if (!curl.ok()) return curl.status().with_context(cfg.where + ": outputs.influxdb");
  return std::unique_ptr<Output>(new InfluxDbOutput(*curl, std::move(c)));
}

}  // namespace tsd::collect
