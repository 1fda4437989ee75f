// The remote client: InfluxDB 1.x's HTTP API with libcurl (client.h).
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "client/client.h"
#include "client/remote_http.h"
#include "core/strings.h"
#include "core/curl.h"
#include "core/time.h"
#include "query/cancel.h"
#include "query/parse_json.h"

namespace tsd::client {
namespace {

constexpr int64_t kConnectTimeout = 10 * kSecond;
constexpr int64_t kWriteRetryWindow = 60 * kSecond;
constexpr size_t kGzipAbove = 64 << 10;

// One HTTP exchange's outcome.
struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string retry_after;
  std::string failure;  // code != OK: why, in words
};

// InfluxDB's JSON writes a whole float without a decimal point (2.0 as
// 2): in a column that holds floats, its integers are such floats.
void unify_numbers(query::Series* s) {
  const size_t first = s->has_time ? 1 : 0;
  if (s->values.empty()) return;
  const size_t ncol = s->columns.size();
  for (size_t c = first; c < ncol; c++) {
    bool has_float = false, has_int = false;
    for (const auto& row : s->values) {
      if (c >= row.size()) continue;
      has_float |= std::holds_alternative<double>(row[c]);
      has_int |= std::holds_alternative<int64_t>(row[c]);
    }
    if (!has_float || !has_int) continue;
    for (auto& row : s->values) {
      if (c < row.size() && std::holds_alternative<int64_t>(row[c])) {
        row[c] = static_cast<double>(std::get<int64_t>(row[c]));
      }
    }
  }
}

class RemoteClient : public Client {
 public:
  explicit RemoteClient(const RemoteOptions& o)
      : o_(o), base_(http::base_url(o.url)), loopback_(is_loopback(http::url_host(base_))) {
    auto c = load_curl();
    if (c.ok()) {
      api_ = *c;
      curl_ = api_->easy_init();
    } else {
      load_error_ = c.status().message();
    }
  }
  ~RemoteClient() override {
    if (curl_ != nullptr) api_->easy_cleanup(curl_);
  }

  std::string location() const override { return base_; }
  std::unique_ptr<Client> another() const override { return std::make_unique<RemoteClient>(o_); }

  query::Results query(std::string_view statements, const QueryOptions& o) override {
    query::Results out;
    const bool get = http::read_only(statements);
    std::vector<std::pair<std::string, std::string>> params = {
        {"db", o.db}, {"rp", o.rp}, {"epoch", "ns"}, {"chunked", "true"}};
    if (!o.params.empty()) params.emplace_back("params", o.params);
    std::string body;
    if (get) {
      params.emplace_back("q", std::string(statements));
    } else {
      body = "q=" + http::url_encode(statements);
    }
    Stream st;
    st.keep_chunks = o.chunked;
    st.out = &out;
    Reply r = exchange(get ? "GET" : "POST", http::make_url(base_, "/query", params), body,
                       "Content-Type: application/x-www-form-urlencoded", o.cancel, &st);
    if (r.code == CURLE_ABORTED_BY_CALLBACK) {
      out.error = query::kInterrupted;
      return out;
    }
    if (r.code != CURLE_OK) {
      out.error = r.failure;
      return out;
    }
    st.finish();
    for (auto& res : out.results) {
      for (auto& series : res.series) unify_numbers(&series);
    }
    if (!st.bad.empty()) {
      out.error = base_ + "/query: HTTP " + std::to_string(r.status) + ": " + st.bad;
    } else if (r.status != 200 && out.error.empty() && out.results.empty()) {
      out.error = base_ + "/query: HTTP " + std::to_string(r.status);
    }
    return out;
  }

  Status write(std::string_view lines, const WriteOptions& o) override {
    if (o.db.empty()) return Status::invalid_argument("database is required");
    const std::string url = http::make_url(
        base_, "/write",
        {{"db", o.db}, {"rp", o.rp}, {"precision", http::write_precision(precision_ns(o.precision))}});
    std::string zipped;
    // gzip saves a network's time, not the loopback's: there it only
    // costs both sides CPU.
    const bool zip = !loopback_ && lines.size() > kGzipAbove && http::gzip(lines, &zipped);
    const std::string_view body = zip ? std::string_view(zipped) : lines;
    const int64_t window = o_.timeout > 0 ? o_.timeout : kWriteRetryWindow;
    const int64_t give_up = now_ns() + window;
    int64_t backoff = 100 * kMillisecond;
    int attempts = 0;
    for (;;) {
      attempts++;
      Reply r = exchange("POST", url, body,
                         zip ? "Content-Encoding: gzip" : "Content-Type: text/plain; charset=utf-8",
                         nullptr, nullptr);
      std::string why;
      int64_t wait = backoff;
      if (r.code != CURLE_OK) {
        why = r.failure;
      } else if (r.status / 100 == 2) {
        return Status();
      } else if (r.status >= 500 || r.status == 429) {
        why = base_ + "/write: HTTP " + std::to_string(r.status);
        const std::string text = http::error_text(r.body);
        if (!text.empty()) why += ": " + text;
        const int64_t ra = http::retry_after_ns(r.retry_after, now_ns());
        if (ra >= 0) wait = ra;
      } else {
        const std::string text = http::error_text(r.body);
        if (r.status == 404) return Status::not_found(text);
        if (text.rfind("partial write", 0) == 0) return Status::conflict(text);
        if (r.status == 400) return Status::invalid_argument(text);
        return Status::io_error(base_ + "/write: HTTP " + std::to_string(r.status) + ": " + text);
      }
      const int64_t now = now_ns();
      if (now + wait > give_up) {
        return Status::io_error(why + " (gave up after " + std::to_string(attempts) +
                                " attempts in " + format_duration_s(window - (give_up - now)) + ")");
      }
      std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
      backoff = std::min<int64_t>(backoff * 2, 5 * kSecond);
    }
  }

  Status ping(std::string* version) override {
    Reply r = exchange("GET", base_ + "/ping", "", "", nullptr, nullptr, version);
    if (r.code != CURLE_OK) return Status::io_error(r.failure);
    if (r.status / 100 != 2) {
      std::string text = http::error_text(r.body);
      return Status::io_error(base_ + "/ping: HTTP " + std::to_string(r.status) +
                              (text.empty() ? "" : ": " + text));
    }
    return Status();
  }

 private:
  static std::string format_duration_s(int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ns) / kSecond);
    return buf;
  }

  // A /query answer read as it comes: one JSON document per line.
  struct Stream {
    bool keep_chunks = false;
    query::Results* out = nullptr;
    std::string pending;
    std::string bad;  // a line that is not a /query document

    void feed(const char* data, size_t n) {
      pending.append(data, n);
      size_t start = 0;
      for (;;) {
        size_t nl = pending.find('\n', start);
        if (nl == std::string::npos) break;
        line(std::string_view(pending).substr(start, nl - start));
        start = nl + 1;
      }
      pending.erase(0, start);
    }
    void finish() {
      if (pending.find_first_not_of(" \t\r\n") != std::string::npos) line(pending);
      pending.clear();
    }
    void line(std::string_view l) {
      if (l.find_first_not_of(" \t\r") == std::string_view::npos || !bad.empty()) return;
      query::Results chunk;
      Status s = query::add_json_document(l, query::JsonOptions{}, &chunk);
      if (!s.ok()) {
        bad = std::string(l.substr(0, 200));
        return;
      }
      http::merge_chunk(std::move(chunk), keep_chunks, out);
    }
  };

  struct Call {
    Reply* reply;
    Stream* stream;
    const std::atomic<bool>* cancel;
    std::string* version;
  };

  static size_t on_body(char* data, size_t size, size_t n, void* p) {
    auto* c = static_cast<Call*>(p);
    if (c->stream != nullptr) {
      c->stream->feed(data, size * n);
    } else if (c->reply->body.size() < (1 << 20)) {
      c->reply->body.append(data, size * n);
    }
    return size * n;
  }

  static size_t on_header(char* data, size_t size, size_t n, void* p) {
    auto* c = static_cast<Call*>(p);
    std::string_view h(data, size * n);
    auto value = [&](std::string_view name) -> std::string_view {
      if (h.size() <= name.size() || strncasecmp(h.data(), name.data(), name.size()) != 0) {
        return {};
      }
      std::string_view v = h.substr(name.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
      return v;
    };
    if (auto v = value("retry-after:"); !v.empty()) c->reply->retry_after = v;
    if (auto v = value("x-influxdb-version:"); !v.empty() && c->version != nullptr) {
      *c->version = v;
    }
    return size * n;
  }

  static int on_progress(void* p, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* c = static_cast<Call*>(p);
    return c->cancel != nullptr && c->cancel->load() ? 1 : 0;
  }

  Reply exchange(const char* method, const std::string& url, std::string_view body,
                 const char* header, const std::atomic<bool>* cancel, Stream* stream,
                 std::string* version = nullptr) {
    Reply r;
    if (curl_ == nullptr) {
      r.code = CURLE_FAILED_INIT;
      r.failure = "cannot reach " + base_ + "/: " +
                  (load_error_.empty() ? std::string("curl_easy_init failed") : load_error_);
      return r;
    }
    CURL* c = curl_;
    api_->easy_reset(c);
    Call call{&r, stream, cancel, version};
    char errbuf[CURL_ERROR_SIZE] = {};
    api_->easy_setopt(c, CURLOPT_URL, url.c_str());
    api_->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    api_->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    api_->easy_setopt(c, CURLOPT_USERAGENT, "tsd");
    api_->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    api_->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>((o_.timeout > 0 ? o_.timeout : kConnectTimeout) / kMillisecond));
    if (o_.timeout > 0) api_->easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout / kMillisecond));
    if (o_.insecure) {
      api_->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      api_->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!o_.username.empty() || !o_.password.empty()) {
      api_->easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      api_->easy_setopt(c, CURLOPT_USERNAME, o_.username.c_str());
      api_->easy_setopt(c, CURLOPT_PASSWORD, o_.password.c_str());
    }
    curl_slist* headers = api_->slist_append(nullptr, "Expect:");
    std::string token;
    if (!o_.token.empty()) {
      token = "Authorization: Token " + o_.token;
      headers = api_->slist_append(headers, token.c_str());
    }
    if (header != nullptr && *header != '\0') headers = api_->slist_append(headers, header);
    api_->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (std::strcmp(method, "POST") == 0) {
      api_->easy_setopt(c, CURLOPT_POST, 1L);
      api_->easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
      api_->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else {
      api_->easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    api_->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    api_->easy_setopt(c, CURLOPT_WRITEDATA, &call);
    api_->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    api_->easy_setopt(c, CURLOPT_HEADERDATA, &call);
    api_->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    api_->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    api_->easy_setopt(c, CURLOPT_XFERINFODATA, &call);
    r.code = api_->easy_perform(c);
    api_->slist_free_all(headers);
    api_->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    if (r.code != CURLE_OK && r.code != CURLE_ABORTED_BY_CALLBACK) {
      long os_errno = 0;
      api_->easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
      std::string why;
      if (r.code == CURLE_OPERATION_TIMEDOUT) {
        why = "timed out";
      } else if (os_errno != 0 && (r.code == CURLE_COULDNT_CONNECT || r.code == CURLE_RECV_ERROR ||
                                   r.code == CURLE_SEND_ERROR)) {
        why = std::strerror(static_cast<int>(os_errno));
      } else {
        why = errbuf[0] != '\0' ? errbuf : api_->easy_strerror(r.code);
      }
      r.failure = "cannot reach " + base_ + "/: " + why;
    }
    return r;
  }

  RemoteOptions o_;
  std::string base_;
  bool loopback_ = false;  // the server is on this machine
  const Curl* api_ = nullptr;
  std::string load_error_;
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<Client> open_remote(const RemoteOptions& o) {
  return std::make_unique<RemoteClient>(o);
}

}  // namespace tsd::client
