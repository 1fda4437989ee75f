// Result sets from text: format detection, line protocol and CSV (input.h;
// JSON is input_json.cc).
#include "render/input.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>

#include "core/time.h"
#include "lineproto/lineproto.h"

namespace tsd::render {
namespace {

std::string_view first_line(std::string_view text, size_t* line_no) {
  size_t pos = 0;
  *line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++*line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!lp::is_blank_or_comment(line)) return line;
    pos = end + 1;
  }
  return {};
}

// -- CSV (Go's encoding/csv, as the influx shell writes it) -----------------

// The records of `text`: fields split at commas, quoted fields with ""
// for a quote and newlines inside; an unterminated quote is an error.
Result<std::vector<std::vector<std::string>>> csv_records(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> rec;
  std::string field;
  size_t line = 1;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '"' && field.empty()) {
      const size_t start_line = line;
      for (i++;; i++) {
        if (i >= text.size()) return Status::invalid_argument("line " + std::to_string(start_line) + ": unterminated quoted field");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i++;
            continue;
          }
          i++;
          break;
        }
        if (text[i] == '\n') line++;
        field.push_back(text[i]);
      }
      continue;
    }
    const char c = text[i++];
    if (c == ',') {
      rec.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      rec.push_back(std::move(field));
      field.clear();
      if (!(rec.size() == 1 && rec[0].empty())) out.push_back(std::move(rec));
      rec.clear();
      line++;
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rec.empty()) {
    rec.push_back(std::move(field));
    out.push_back(std::move(rec));
  }
  return out;
}

bool is_header(const std::vector<std::string>& r) {
  if (r.empty()) return false;
  if (r[0] == "time") return true;
  return r[0] == "name" && (r.size() == 1 || r[1] == "tags" || r[1] == "time");
}

// A CSV cell as a datum: integer, float, boolean, null (empty) or string.
query::Datum csv_datum(const std::string& s) {
  if (s.empty()) return {};
  if (s == "true") return true;
  if (s == "false") return false;
  const char* b = s.c_str();
  char* end = nullptr;
  if (s.find_first_of(".eEnN") == std::string::npos) {
    errno = 0;
    long long v = std::strtoll(b, &end, 10);
    if (*end == '\0' && errno == 0) return static_cast<int64_t>(v);
  }
  double d = std::strtod(b, &end);
  if (*end == '\0' && end != b && s.find_first_of("0123456789") != std::string::npos) return d;
  return s;
}

Result<int64_t> time_of_text(const std::string& s) {
  const char* b = s.c_str();
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(b, &end, 10);
  if (!s.empty() && *end == '\0' && errno == 0) return guess_epoch_ns(v);
  return parse_rfc3339(s);
}

}  // namespace

int64_t guess_epoch_ns(int64_t t) {
  const int64_t a = t < 0 ? -t : t;
  if (a < 100'000'000'000LL) return t * kSecond;
  if (a < 100'000'000'000'000LL) return t * kMillisecond;
  if (a < 100'000'000'000'000'000LL) return t * kMicrosecond;
  return t;
}

Result<InputFormat> detect_format(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return Status::invalid_argument("no input");
  if (text[i] == '{') return InputFormat::kJson;
  size_t line_no = 0;
  std::string_view line = first_line(text, &line_no);
  if (line.empty()) return Status::invalid_argument("no input");
  lp::ParsedLine parsed;
  Status s = lp::parse_line(line, lp::ParseOptions{}, &parsed);
  if (s.ok()) return InputFormat::kLine;
  auto recs = csv_records(line);
  if (recs.ok() && !recs->empty() && is_header(recs->front())) return InputFormat::kCsv;
  return Status::invalid_argument("input is not InfluxDB JSON, CSV or line protocol (line " +
                                  std::to_string(line_no) + ": " + s.message() + ")");
}

Result<query::Results> parse_results(std::string_view text) {
  auto f = detect_format(text);
  if (!f.ok()) return f.status();
  switch (*f) {
    case InputFormat::kJson: return parse_json_results(text);
    case InputFormat::kCsv: return parse_csv_results(text);
    case InputFormat::kLine: return parse_line_results(text);
  }
  return Status::invalid_argument("unknown input format");
}

Result<query::Results> parse_csv_results(std::string_view text) {
  auto recs = csv_records(text);
  if (!recs.ok()) return recs.status();
  query::Results out;
  out.results.emplace_back();
  auto& series = out.results.back().series;
  std::vector<std::string> header;
  bool has_name = false, has_tags = false;
  size_t lead = 0;  // cells before the columns
  for (size_t n = 0; n < recs->size(); n++) {
    const auto& r = (*recs)[n];
    if (is_header(r)) {
      header = r;
      has_name = r[0] == "name";
      has_tags = has_name && r.size() > 1 && r[1] == "tags";
      lead = has_name + has_tags;
      continue;
    }
    if (header.empty()) return Status::invalid_argument("record 1: no CSV header (name,tags,time,...)");
    if (r.size() != header.size()) {
      return Status::invalid_argument("record " + std::to_string(n + 1) + ": " + std::to_string(r.size()) +
                                      " fields, the header has " + std::to_string(header.size()));
    }
    std::vector<std::pair<std::string, std::string>> tags;
    if (has_tags && !r[1].empty()) {
      size_t pos = 0;
      while (pos <= r[1].size()) {
        size_t end = std::min(r[1].find(',', pos), r[1].size());
        std::string kv = r[1].substr(pos, end - pos);
        size_t eq = kv.find('=');
        tags.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
        pos = end + 1;
      }
    }
    const std::string name = has_name ? r[0] : "";
    const std::vector<std::string> cols(header.begin() + static_cast<long>(lead), header.end());
    if (series.empty() || series.back().name != name || series.back().tags != tags ||
        series.back().columns != cols) {
      series.emplace_back();
      series.back().name = name;
      series.back().tags = tags;
      series.back().columns = cols;
      series.back().has_time = !cols.empty() && cols[0] == "time";
    }
    query::Row row;
    for (size_t j = lead; j < r.size(); j++) {
      if (j == lead && series.back().has_time) {
        auto t = time_of_text(r[j]);
        if (!t.ok()) return Status::invalid_argument("record " + std::to_string(n + 1) + ": " + t.status().message());
        row.emplace_back(*t);
      } else {
        row.push_back(csv_datum(r[j]));
      }
    }
    series.back().values.push_back(std::move(row));
  }
  if (header.empty()) return Status::invalid_argument("no CSV header");
  return out;
}

Result<query::Results> parse_line_results(std::string_view text) {
  query::Results out;
  out.results.emplace_back();
  auto& series = out.results.back().series;
  std::map<std::string, size_t> index;  // series key -> series
  Status bad;
  lp::Reader reader(lp::ParseOptions{});
  auto on_line = [&](lp::ParsedLine& l) {
    const Point p = lp::to_point(l);
    auto [it, fresh] = index.emplace(lp::series_key(l), series.size());
    if (fresh) {
      series.emplace_back();
      series.back().name = p.measurement;
      for (const auto& t : p.tags) series.back().tags.emplace_back(t.key, t.value);
      series.back().columns = {"time"};
      series.back().has_time = true;
    }
    query::Series& s = series[it->second];
    query::Row row(s.columns.size());
    row[0] = l.has_time ? l.time : static_cast<int64_t>(s.values.size());
    for (const auto& f : p.fields) {
      auto c = std::find(s.columns.begin(), s.columns.end(), f.key);
      size_t j = static_cast<size_t>(c - s.columns.begin());
      if (c == s.columns.end()) {
        s.columns.push_back(f.key);
        row.emplace_back();
      }
      std::visit([&](const auto& v) { row[j] = v; }, f.value);
    }
    s.values.push_back(std::move(row));
  };
  auto on_error = [&](int64_t line_no, const Status& s) {
    if (bad.ok()) bad = Status::invalid_argument("line " + std::to_string(line_no) + ": " + s.message());
  };
  reader.feed(text, on_line, on_error);
  reader.finish(on_line, on_error);
  if (!bad.ok()) return bad;
  for (auto& s : series) {
    for (auto& row : s.values) row.resize(s.columns.size());
    std::stable_sort(s.values.begin(), s.values.end(), [](const query::Row& a, const query::Row& b) {
      return std::get<int64_t>(a[0]) < std::get<int64_t>(b[0]);
    });
  }
  return out;
}

}  // namespace tsd::render
