// The pure parts of the HTTP API (api.h).
#include "serve/api.h"

#include <charconv>
#include <cstdio>
#include <random>

#include <sodium.h>

#include "core/strings.h"
#include "lineproto/lineproto.h"
#include "query/format.h"

namespace tsd::serve {

Result<BindAddress> parse_bind(std::string_view text) {
  BindAddress b;
  std::string_view host = text, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status::invalid_argument("bad address \"" + std::string(text) + "\"");
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Status::invalid_argument("bad address \"" + std::string(text) + "\"");
      }
      port = rest.substr(1);
    }
  } else if (size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  b.host = host.empty() ? "127.0.0.1" : std::string(host);
  if (!port.empty() || text.find(':') != std::string_view::npos) {
    int p = -1;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535) {
      return Status::invalid_argument("bad port \"" + std::string(port) + "\" in \"" +
                                      std::string(text) + "\"");
    }
    b.port = p;
  }
  return b;
}

std::string error_json(std::string_view message) {
  std::string out = "{\"error\":";
  query::append_json_string(message, &out);
  out += "}\n";
  return out;
}

namespace {

// A field as Go's encoding/csv writes it: quoted when it holds a comma, a
// quote, \r or \n, or starts with a space or tab; quotes doubled.
void append_csv_field(std::string_view f, std::string* out) {
  bool quote = f.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!f.empty() && (f.front() == ' ' || f.front() == '\t'));
  if (!quote) {
    out->append(f);
    return;
  }
  out->push_back('"');
  for (char c : f) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void append_csv_row(const std::vector<std::string>& cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); i++) {
    if (i > 0) out->push_back(',');
    append_csv_field(cells[i], out);
  }
  out->push_back('\n');
}

// A tag key or value escaped as in a series key (commas, spaces, '=').
void append_escaped(std::string_view s, std::string* out) {
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '=') out->push_back('\\');
    out->push_back(c);
  }
}

std::string csv_cell(const query::Datum& d, bool is_time, int64_t unit) {
  switch (d.index()) {
    case 1: {
      char buf[400];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::get<double>(d),
                                     std::chars_format::fixed);
      return ec == std::errc() ? std::string(buf, end) : std::string();
    }
    case 2: {
      int64_t v = std::get<int64_t>(d);
      return std::to_string(is_time ? v / unit : v);
    }
    case 3: return std::to_string(std::get<uint64_t>(d));
    case 4: return std::get<std::string>(d);
    case 5: return std::get<bool>(d) ? "true" : "false";
    default: return {};
  }
}

}  // namespace

std::string error_csv(std::string_view message) {
  std::string out = "error\n";
  append_csv_field(message, &out);
  out.push_back('\n');
  return out;
}

std::string url_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() + 0 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  size_t at = 0;
  while (at <= body.size()) {
    size_t amp = body.find('&', at);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(at, amp - at);
    at = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

std::string CheckedLines::error_text() const {
  std::string out;
  for (size_t i = 0; i < errors.size(); i++) {
    if (i > 0) out.push_back('\n');
    out += errors[i];
  }
  return out;
}

CheckedLines check_lines(std::string_view body, Precision precision,
                         std::vector<lp::ParsedLine>* keep, size_t keep_max) {
  CheckedLines c;
  lp::ParseOptions po;
  po.precision = precision;
  po.defer_tags = true;
  thread_local lp::CheckedSeries checked;
  lp::ParsedLine scratch;
  size_t n = 0;  // parses kept in *keep
  std::vector<std::string_view> good;
  (void)lp::for_each_record(body, [&](std::string_view line) {
    const bool keeping = keep != nullptr && c.all_good && n < keep_max;
    if (keeping && keep->size() <= n) keep->emplace_back();
    lp::ParsedLine& pl = keeping ? (*keep)[n] : scratch;
    Status s = lp::parse_line(line, po, &pl);
    if (s.ok()) s = checked.check(&pl);  // a new series text: parsed whole once
    if (s.ok()) {
      good.push_back(line);
      if (keeping) n++;
    } else {
      c.all_good = false;
      c.errors.push_back("unable to parse '" + std::string(line) + "': " + s.message());
    }
    return Status();
  });
  c.good_count = good.size();
  c.kept = c.all_good && n == good.size() ? n : 0;
  if (!c.all_good) {
    for (std::string_view line : good) {
      c.good.append(line);
      c.good.push_back('\n');
    }
  }
  return c;
}

Precision write_precision(std::string_view word) {
  auto p = parse_precision(word);
  return p.ok() ? *p : Precision::kNanosecond;
}

Result<Precision> v2_write_precision(std::string_view word) {
  if (word.empty() || word == "ns") return Precision::kNanosecond;
  if (word == "us") return Precision::kMicrosecond;
  if (word == "ms") return Precision::kMillisecond;
  if (word == "s") return Precision::kSecond;
  return Status::invalid_argument("invalid precision; valid precision units are ns, us, ms, and s");
}

void split_bucket(std::string_view bucket, std::string* db, std::string* rp) {
  size_t slash = bucket.find('/');
  *db = std::string(bucket.substr(0, slash));
  *rp = slash == std::string_view::npos ? std::string() : std::string(bucket.substr(slash + 1));
}

std::vector<query::Results> chunk_results(const query::Results& r, size_t chunk_size) {
  std::vector<query::Results> out;
  if (chunk_size == 0) chunk_size = 1;
  if (!r.error.empty()) {
    out.push_back(r);
    return out;
  }
  for (const query::StatementResult& st : r.results) {
    // Only SELECT streams its series (with a time column); SHOW and the
    // other statements answer in one piece.
    if (st.series.empty() || !st.series[0].has_time) {
      query::Results one;
      one.results.push_back(st);
      out.push_back(std::move(one));
      continue;
    }
    const size_t first = out.size();
    for (size_t si = 0; si < st.series.size(); si++) {
      const query::Series& s = st.series[si];
      size_t at = 0;
      do {
        size_t n = std::min(chunk_size, s.values.size() - at);
        query::Results one;
        query::StatementResult piece;
        piece.statement_id = st.statement_id;
        if (out.size() == first) piece.messages = st.messages;
        query::Series ps;
        ps.name = s.name;
        ps.tags = s.tags;
        ps.columns = s.columns;
        ps.has_time = s.has_time;
        ps.zone = s.zone;
        ps.values.assign(s.values.begin() + static_cast<ptrdiff_t>(at),
                         s.values.begin() + static_cast<ptrdiff_t>(at + n));
        at += n;
        ps.partial = at < s.values.size() || s.partial;
        piece.series.push_back(std::move(ps));
        piece.partial = true;
        one.results.push_back(std::move(piece));
        out.push_back(std::move(one));
      } while (at < s.values.size());
    }
    out.back().results[0].partial = st.partial;
  }
  return out;
}

void format_csv_http(const query::Results& r, std::string_view epoch, int* state,
                     std::string* out) {
  if (!r.error.empty()) {
    *out += error_csv(r.error);
    return;
  }
  int64_t unit = epoch.empty() ? 1 : query::precision_unit(epoch);
  if (unit <= 0) unit = 1;
  std::vector<std::string> cells;
  auto header = [&](const query::Series& s) {
    cells.assign({"name", "tags"});
    cells.insert(cells.end(), s.columns.begin(), s.columns.end());
    append_csv_row(cells, out);
  };
  for (const query::StatementResult& st : r.results) {
    if (st.series.empty()) continue;
    if (st.statement_id != *state) {
      if (*state >= 0) out->push_back('\n');
      *state = st.statement_id;
      header(st.series[0]);
    }
    for (size_t i = 0; i < st.series.size(); i++) {
      const query::Series& s = st.series[i];
      if (i > 0 && st.series[i - 1].columns != s.columns) {
        out->push_back('\n');
        header(s);
      }
      std::string tags;
      for (const auto& [k, v] : s.tags) {
        if (!tags.empty()) tags.push_back(',');
        append_escaped(k, &tags);
        tags.push_back('=');
        append_escaped(v, &tags);
      }
      for (const query::Row& row : s.values) {
        cells.assign({s.name, tags});
        for (size_t c = 0; c < row.size(); c++) {
          cells.push_back(csv_cell(row[c], c == 0 && s.has_time, unit));
        }
        append_csv_row(cells, out);
      }
    }
  }
}

bool writes_on_get(std::string_view statement) {
  std::string up = ascii_upper(statement.substr(0, 16));
  for (std::string_view w : {"CREATE", "DROP", "ALTER", "GRANT", "REVOKE", "SET"}) {
    if (up.starts_with(w) && (up.size() == w.size() || !std::isalnum(static_cast<unsigned char>(up[w.size()])))) {
      return true;
    }
  }
  return false;
}

std::string read_only_warning(std::string_view statement) {
  return "deprecated use of '" + std::string(statement) +
         "' in a read only context, please use a POST request instead";
}

std::vector<std::string> split_statements(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    size_t b = cur.find_first_not_of(" \t\r\n");
    size_t e = cur.find_last_not_of(" \t\r\n");
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      // A quoted string or identifier, with backslash escapes.
      size_t j = i + 1;
      while (j < text.size() && text[j] != c) j += text[j] == '\\' ? 2 : 1;
      j = std::min(j, text.size() - 1);
      cur.append(text.substr(i, j - i + 1));
      i = j;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      size_t nl = text.find('\n', i);
      if (nl == std::string_view::npos) nl = text.size();
      i = nl;
      cur.push_back(' ');
    } else if (c == ';') {
      flush();
    } else {
      cur.push_back(c);
    }
  }
  flush();
  return out;
}

Result<Credentials> parse_credentials(std::string_view u, std::string_view p,
                                      std::string_view authorization) {
  if (!u.empty() && !p.empty()) return Credentials{std::string(u), std::string(p)};
  const Status unparsable = Status::invalid_argument("unable to parse authentication credentials");
  auto split = [&](std::string_view text) -> Result<Credentials> {
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos) return unparsable;
    return Credentials{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  };
  if (authorization.starts_with("Basic ")) {
    const std::string_view b64 = trim(authorization.substr(6));
    std::string plain(b64.size(), '\0');
    size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(plain.data()), plain.size(), b64.data(),
                          b64.size(), nullptr, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
      return unparsable;
    }
    plain.resize(n);
    return split(plain);
  }
  if (authorization.starts_with("Token ")) return split(trim(authorization.substr(6)));
  if (authorization.starts_with("Bearer ")) {
    return Status::invalid_argument("bearer auth disabld");
  }
  return unparsable;
}

std::string request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & ~0xF000ULL) | 0x4000ULL;                          // version 4
  b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace tsd::serve
