// The pure parts of the remote client (remote_http.h).
#include "client/remote_http.h"

#include <zlib.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "core/curl.h"
#include "core/strings.h"
#include "core/time.h"
#include "query/parser.h"

namespace tsd::client::http {

std::string base_url(std::string_view url) {
  std::string u(trim(url));
  if (u.find("://") == std::string::npos) u = "http://" + u;
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

bool gzip(std::string_view in, std::string* out) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return false;
  }
  out->resize(deflateBound(&z, in.size()) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out->data());
  z.avail_out = static_cast<uInt>(out->size());
  const int rc = deflate(&z, Z_FINISH);
  out->resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END;
}

std::string url_host(std::string_view base) {
  size_t at = base.find("://");
  std::string_view rest = at == std::string_view::npos ? base : base.substr(at + 3);
  rest = rest.substr(0, rest.find('/'));
  if (size_t a = rest.rfind('@'); a != std::string_view::npos) rest = rest.substr(a + 1);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string make_url(std::string_view base, std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& params) {
  std::string u(base);
  u += path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    u += sep;
    u += k;
    u += '=';
    u += url_encode(v);
    sep = '&';
  }
  return u;
}

bool read_only(std::string_view statements) {
  query::Parser p(trim(statements));
  auto st = p.parse_query();
  if (!st.ok() || st->empty()) return false;
  using K = query::Statement::Kind;
  for (const auto& s : *st) {
    if (s.kind == K::kSelect) {
      if (s.select == nullptr || s.select->target != nullptr) return false;
    } else if (s.kind == K::kExplain) {
      if (s.select != nullptr && s.select->target != nullptr) return false;
    } else if (s.kind < K::kShowDatabases || s.kind > K::kShowSubscriptions) {
      return false;
    }
  }
  return true;
}

int64_t retry_after_ns(std::string_view value, int64_t now_ns) {
  std::string v(trim(value));
  if (v.empty()) return -1;
  if (v.find_first_not_of("0123456789") == std::string::npos) {
    if (v.size() > 9) return -1;
    return std::stoll(v) * kSecond;
  }
  auto curl = load_curl();
  if (!curl.ok()) return -1;
  time_t t = (*curl)->getdate(v.c_str(), nullptr);
  if (t < 0) return -1;
  int64_t d = static_cast<int64_t>(t) * kSecond - now_ns;
  return d < 0 ? 0 : d;
}

void merge_chunk(query::Results&& chunk, bool keep_chunks, query::Results* out) {
  if (!chunk.error.empty()) out->error = chunk.error;
  for (auto& r : chunk.results) {
    if (keep_chunks || out->results.empty() ||
        out->results.back().statement_id != r.statement_id) {
      out->results.push_back(std::move(r));
      continue;
    }
    query::StatementResult& cr = out->results.back();
    if (!r.error.empty()) {
      cr = std::move(r);
      continue;
    }
    size_t merged = 0;
    if (!cr.series.empty()) {
      query::Series& last = cr.series.back();
      for (auto& s : r.series) {
        if (s.name != last.name || s.tags != last.tags) break;
        for (auto& row : s.values) last.values.push_back(std::move(row));
        merged++;
      }
    }
    for (size_t i = merged; i < r.series.size(); i++) cr.series.push_back(std::move(r.series[i]));
    for (auto& m : r.messages) cr.messages.push_back(std::move(m));
    cr.partial = r.partial;
  }
}

std::string write_precision(int64_t unit) {
  if (unit == kMicrosecond) return "u";
  if (unit == kMillisecond) return "ms";
  if (unit == kSecond) return "s";
  if (unit == kMinute) return "m";
  if (unit == kHour) return "h";
  return "n";
}

std::string error_text(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j.at("error").is_string()) {
    return j.at("error").get<std::string>();
  }
  std::string b(trim(body));
  return b;
}

}  // namespace tsd::client::http
