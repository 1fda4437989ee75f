// The pure parts of tsd-serve's InfluxDB 1.x HTTP API (server.h does the
// sockets): the words and shapes influxd 1.6 answers with, request bodies
// and answers as text. No I/O; everything here is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "lineproto/lineproto.h"
#include "query/result.h"

namespace tsd::serve {

// What the X-Influxdb-Version header says: the API version answered.
inline constexpr const char* kInfluxVersion = "1.6.7";

// "HOST:PORT", ":PORT" (127.0.0.1) or "HOST" (port 8086); IPv6 as
// "[::1]:PORT". invalid_argument on a bad port.
struct BindAddress {
  std::string host;
  int port = 8086;
};
Result<BindAddress> parse_bind(std::string_view text);


// {"error":"<message>"} and a newline, as influxd's httpError writes it.
std::string error_json(std::string_view message);
// influxd's CSV error (Accept: application/csv): "error\n<message>\n",
// quoted as Go's encoding/csv quotes.
std::string error_csv(std::string_view message);

// An application/x-www-form-urlencoded body (or a URL's query) as its
// name -> value pairs, decoded (%XX, '+' as space); a later value of a
// name does not replace the first (Go's FormValue takes the first).
std::map<std::string, std::string> parse_form(std::string_view body);
// The text decoded from %XX escapes and '+'; a bad escape stays as it is.
std::string url_decode(std::string_view s);

// The lines of a /write body checked one by one, as influxd 1.6 parses a
// body: the good lines (as they were) and an "unable to parse '<line>':
// <reason>" for each bad one. The good ones are written, and the bad ones
// make the answer a 400 ("partial write: <errors joined by newlines>
// dropped=0" when some were good, the errors alone when none was).
struct CheckedLines {
  std::string good;  // the good lines, each ending in '\n' (empty when all are)
  bool all_good = true;  // no bad line: the body itself is what to write
  size_t good_count = 0;
  size_t kept = 0;  // parses left in check_lines' `keep` (0: none)
  std::vector<std::string> errors;
  std::string error_text() const;  // the errors joined by '\n'
};
// With `keep`: the good lines' parses too, in order, when all lines are
// good and there are at most `keep_max` (`kept` says how many; 0 when
// not); its ParsedLines are reused from call to call (their vectors keep
// capacity).
CheckedLines check_lines(std::string_view body, Precision precision,
                         std::vector<lp::ParsedLine>* keep = nullptr, size_t keep_max = 0);

// The ?precision= of /write: "" or n/ns, u/us/µ, ms, s, m, h (influxd 1.6
// takes an unknown word as nanoseconds, and so do we).
Precision write_precision(std::string_view word);
// /api/v2/write's ?precision=: ns (the default), us, ms, s; anything else
// is invalid_argument (InfluxDB 2's "invalid precision").
Result<Precision> v2_write_precision(std::string_view word);
// /api/v2/write's ?bucket=: "db" or "db/rp".
void split_bucket(std::string_view bucket, std::string* db, std::string* rp);

// A chunked=true answer as influxd streams it: one Results per chunk, each
// with one statement result holding at most one piece of a series of at
// most `chunk_size` rows; a series cut into pieces has "partial":true on
// every piece but its last, and every chunk of a statement but its last is
// "partial":true. A statement without series, failed, or whose series
// have no time column (SHOW and the like) is one chunk.
std::vector<query::Results> chunk_results(const query::Results& r, size_t chunk_size);

// The body influxd 1.6 answers /query with under Accept: application/csv
// (text/csv): "name,tags,<columns>" headers, per statement and whenever
// the columns change, a blank line between them; tags as "k=v,k2=v2"
// (escaped as line protocol keys); times as integers (ns, or the `epoch`
// unit); floats in plain decimal notation; failed statements left out.
// `state` carries the statement whose header was written last across the
// chunks of one answer (start at -1).
void format_csv_http(const query::Results& r, std::string_view epoch, int* state,
                     std::string* out);

// Whether a statement's first words are one that influxd 1.6 runs on a GET
// only with a warning (it writes): CREATE, DROP, ALTER, GRANT, REVOKE, SET
// PASSWORD. SELECT, SHOW, DELETE, EXPLAIN, KILL are not.
bool writes_on_get(std::string_view statement);
// The warning message influxd adds to such a statement's result on a GET.
std::string read_only_warning(std::string_view statement);
// The statements of a query text split at ';' outside quotes and comments,
// trimmed, empty ones left out (what the warning quotes).
std::vector<std::string> split_statements(std::string_view text);

// A request's credentials, as influxd 1.x finds them (its
// parseCredentials): the u and p query parameters when both are given,
// else the Authorization header: "Basic <base64 user:password>", or
// "Token user:password" (InfluxDB 1.8's, what --token sends). A bearer
// token is refused ("bearer auth disabld", influxd 1.6's words without a
// shared secret), anything else is "unable to parse authentication
// credentials" (the 401's message).
struct Credentials {
  std::string user, password;
};
Result<Credentials> parse_credentials(std::string_view u, std::string_view p,
                                      std::string_view authorization);

// A random version-4 UUID as text (the Request-Id header).
std::string request_id();

}  // namespace tsd::serve
