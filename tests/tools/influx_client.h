// An InfluxDB 1.x HTTP client for the feeders (influx-feed, fleet-feed):
// one keep-alive connection (libcurl), POST /write and /query. The program
// calls curl_global_init first.
#pragma once

#include <curl/curl.h>

#include <cstdio>
#include <string>

namespace tsd_tools {

inline size_t collect_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One keep-alive connection to the server.
class Client {
 public:
  Client() : curl_(curl_easy_init()) {
    headers_ = curl_slist_append(nullptr, "Content-Type: text/plain; charset=utf-8");
    headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  }
  ~Client() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POSTs body to url; returns the HTTP status (0 when the request failed,
  // with curl's message in body_). body() is the answer without its final newline.
  long post(const std::string& url, const std::string& body) {
    body_.clear();
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      body_ = curl_easy_strerror(rc);
      return 0;
    }
    while (!body_.empty() && body_.back() == '\n') body_.pop_back();
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }
  const std::string& body() const { return body_; }

 private:
  CURL* curl_;
  curl_slist* headers_;
  std::string body_;
};

inline std::string url_escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string r(e);
  curl_free(e);
  return r;
}

// Creates database db on the server at url (/query CREATE DATABASE); on a
// failure says "<prog>: CREATE DATABASE ..." on stderr and returns false.
inline bool create_database(const std::string& url, const std::string& db, const char* prog) {
  Client c;
  long status = c.post(url + "/query?q=" + url_escape("CREATE DATABASE \"" + db + "\""), "");
  if (status == 200) return true;
  std::fprintf(stderr, "%s: CREATE DATABASE %s: HTTP %ld: %s\n", prog, db.c_str(), status,
               c.body().c_str());
  return false;
}

// The /write URL of database db, for lines with timestamps in `precision`.
inline std::string write_url(const std::string& url, const std::string& db,
                             const std::string& precision, const std::string& rp = "") {
  std::string u = url + "/write?db=" + url_escape(db) + "&precision=" + url_escape(precision);
  if (!rp.empty()) u += "&rp=" + url_escape(rp);
  return u;
}

}  // namespace tsd_tools
