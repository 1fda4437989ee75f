// The pure parts of the remote client (remote.cc), apart for tests:
// URLs, InfluxDB's choice of GET or POST, Retry-After, merging chunks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "query/result.h"

namespace tsd::client::http {

// "host:port" or a URL made a base without a trailing '/':
// "localhost:8086" -> "http://localhost:8086".
std::string base_url(std::string_view url);
// gzip of `in` (zlib, its fastest level: line protocol still shrinks
// several times); false when zlib fails (then it is sent as it is).
bool gzip(std::string_view in, std::string* out);
// The host of a base URL ("http://[::1]:8086" -> "::1").
std::string url_host(std::string_view base);

// Percent-encodes a query-string value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view s);

// base + path + "?k=v&..." (values encoded, empty ones left out).
std::string make_url(std::string_view base, std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& params);

// InfluxDB's rule: GET /query when every statement only reads (SELECT
// without INTO, SHOW, EXPLAIN), else POST. Text that does not parse
// goes as POST (the server words the error).
bool read_only(std::string_view statements);

// A Retry-After value as a delay in ns: delay-seconds or an HTTP date
// (against `now_ns`); -1 when absent or unreadable.
int64_t retry_after_ns(std::string_view value, int64_t now_ns);

// Adds one chunk's results to *out. keep_chunks: as they come (the
// influx shell's view); else merged as influxd merges them without
// chunked=true: a chunk of the same statement continues the last
// series when it is the same series (name and tags), its error replaces
// the statement's result.
void merge_chunk(query::Results&& chunk, bool keep_chunks, query::Results* out);

// The /write precision parameter of a precision name (n, u, ms, s, m, h).
std::string write_precision(int64_t unit_ns);

// A server's error body ({"error":"..."}) as text; the body itself when
// it is not that.
std::string error_text(std::string_view body);

}  // namespace tsd::client::http
