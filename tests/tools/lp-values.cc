// lp-values: line protocol in, one line per stored value out, in a canonical
// spelling, so that shell tests can compare what went in with what a dump
// gives back using `sort` and `comm`:
//
//   cpu,host=a,region=x usage_user=1.5,usage_idle=3i 10
//   ->  cpu,host=a,region=x usage_idle=3i 10
//       cpu,host=a,region=x usage_user=1.5 10
//
// Canonical: tags sorted by key (escapes kept as written); floats parsed and
// printed shortest round-trip (so "1e3", "1000" and "1000.0" agree, and equal
// text means equal bits); integers "<n>i", unsigned "<n>u"; booleans "true" /
// "false"; strings as written. Comments and blank lines are skipped. It is a
// test oracle written apart from lib/lineproto on purpose: it trusts its
// input (a line it cannot split is reported on stderr and makes the exit
// status 1) and does no further validation. Reads the files named, or stdin.
// --short: the series as a 64-bit hash (16 hex digits, FNV-1a of the
// canonical series), for shorter lines that sort faster in big comparisons.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Splits s at unescaped occurrences of `sep` (outside double quotes when
// `quotes`), stopping at the first unescaped space (outside quotes); returns
// the position after the parsed part.
size_t split(std::string_view s, size_t pos, char sep, bool quotes,
             std::vector<std::string_view>* parts) {
  parts->clear();
  size_t start = pos;
  bool in_quotes = false;
  for (; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c == '\\' && pos + 1 < s.size()) {
      ++pos;
      continue;
    }
    if (quotes && c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == sep) {
      parts->push_back(s.substr(start, pos - start));
      start = pos + 1;
    } else if (c == ' ') {
      break;
    }
  }
  parts->push_back(s.substr(start, pos - start));
  return pos;
}

// The canonical spelling of a field value, or "" when it is not one.
std::string canonical_value(std::string_view v) {
  if (v.empty()) return "";
  if (v.front() == '"') return std::string(v);
  char last = v.back();
  if (last == 'i' || last == 'u') {
    std::string_view digits = v.substr(0, v.size() - 1);
    if (last == 'i') {
      long long n;
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return "";
      return std::to_string(n) + 'i';
    }
    unsigned long long n;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return "";
    return std::to_string(n) + 'u';
  }
  for (std::string_view t : {"t", "T", "true", "True", "TRUE"})
    if (v == t) return "true";
  for (std::string_view f : {"f", "F", "false", "False", "FALSE"})
    if (v == f) return "false";
  std::string_view num = v;
  if (num.front() == '+') num.remove_prefix(1);
  double d;
  auto r = std::from_chars(num.data(), num.data() + num.size(), d);
  if (r.ec != std::errc() || r.ptr != num.data() + num.size()) return "";
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

bool g_short = false;

std::string fnv1a_hex(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Writes the values of one line; false when it cannot be split.
bool emit(std::string_view line, std::string* out) {
  std::vector<std::string_view> series, fields;
  size_t pos = split(line, 0, ',', false, &series);
  if (pos >= line.size() || series[0].empty()) return false;
  // Tags: sort "key=value" by key (the '=' sorts before any key character
  // that matters here; compare keys alone to be exact).
  std::sort(series.begin() + 1, series.end(), [](std::string_view a, std::string_view b) {
    return a.substr(0, a.find('=')) < b.substr(0, b.find('='));
  });
  std::string key(series[0]);
  for (size_t i = 1; i < series.size(); ++i) {
    key += ',';
    key += series[i];
  }
  if (g_short) key = fnv1a_hex(key);
  pos = split(line, pos + 1, ',', true, &fields);
  std::string_view ts = pos < line.size() ? line.substr(pos + 1) : std::string_view();
  while (!ts.empty() && (ts.back() == ' ' || ts.back() == '\r')) ts.remove_suffix(1);
  for (std::string_view f : fields) {
    size_t eq = std::string_view::npos;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] == '\\') ++i;
      else if (f[i] == '=') { eq = i; break; }
    }
    if (eq == std::string_view::npos || eq == 0) return false;
    std::string value = canonical_value(f.substr(eq + 1));
    if (value.empty()) return false;
    *out += key;
    *out += ' ';
    out->append(f.substr(0, eq + 1));
    *out += value;
    if (!ts.empty()) {
      *out += ' ';
      out->append(ts);
    }
    *out += '\n';
  }
  return true;
}

bool run(std::istream& in, const char* name) {
  bool ok = true;
  std::string line, out;
  long long n = 0;
  while (std::getline(in, line)) {
    ++n;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    if (!emit(line, &out)) {
      std::fprintf(stderr, "lp-values: %s: line %lld: cannot split: %.200s\n", name, n, line.c_str());
      ok = false;
    }
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  bool ok = true;
  int first = 1;
  if (argc > 1 && std::strcmp(argv[1], "--short") == 0) {
    g_short = true;
    first = 2;
  }
  if (argc <= first) return run(std::cin, "stdin") ? 0 : 1;
  for (int i = first; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "lp-values: %s: cannot open\n", argv[i]);
      return 1;
    }
    ok = run(f, argv[i]) && ok;
  }
  return ok ? 0 : 1;
}
