// The csv and column formats: what the influx 1.6.7 shell prints. The shell
// makes lines of tab-separated cells from each result (shell_lines below),
// then column format aligns them with Go's text/tabwriter and csv format
// splits them at the tabs into records of Go's encoding/csv. Both steps are
// rebuilt here, so a tab or newline inside a value has the effect it has
// there.
#include <algorithm>
#include <cmath>
#include <vector>

#include "query/format.h"

namespace tsd::query {
namespace {

// A cell as the shell prints it: the JSON's number text, a string as it
// decodes it (invalid UTF-8 made U+FFFD), nothing for null.
std::string cell_text(const Series& s, const Row& row, size_t j, int64_t unit) {
  const Datum& d = row[j];
  if (j == 0 && s.has_time && d.index() == 2) return format_time(std::get<int64_t>(d), unit, s.zone);
  if (d.index() == 4) return sanitize_utf8(std::get<std::string>(d));
  std::string out;
  // (NaN and infinities are null in the JSON the shell reads: nothing.)
  if (d.index() == 1 && !std::isfinite(std::get<double>(d))) return out;
  if (!is_null(d)) append_json_value(d, &out);
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); i++) {
    if (i > 0) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

bool same_header(const Series& a, const Series& b) {
  return a.name == b.name && a.tags == b.tags && a.columns == b.columns;
}

// One series' lines: for column format the name and tags lines and the
// dashes under the header; for csv "name" and "tags" lead the header and
// every row. No header when `suppress`.
void series_lines(const Series& s, Format f, bool suppress, int64_t unit,
                  std::vector<std::string>* lines) {
  const bool csv = f == Format::kCsv;
  const std::string name = sanitize_utf8(s.name);
  std::vector<std::string> tags;  // "k=v", sorted as strings (as the shell does)
  for (const auto& [k, v] : s.tags) tags.push_back(sanitize_utf8(k) + "=" + sanitize_utf8(v));
  std::sort(tags.begin(), tags.end());
  std::vector<std::string> lead;  // csv: the cells before the columns
  if (csv && !name.empty()) lead.push_back(name);
  if (csv && !tags.empty()) lead.push_back(join(tags, ","));
  if (!suppress) {
    if (!csv && !name.empty()) lines->push_back("name: " + name);
    if (!csv && !tags.empty()) lines->push_back("tags: " + join(tags, ", "));
    std::vector<std::string> header;
    if (csv && !name.empty()) header.push_back("name");
    if (csv && !tags.empty()) header.push_back("tags");
    for (const auto& c : s.columns) header.push_back(sanitize_utf8(c));
    lines->push_back(join(header, "\t"));
    if (!csv) {
      for (auto& h : header) h.assign(h.size(), '-');
      lines->push_back(join(header, "\t"));
    }
  }
  for (const Row& row : s.values) {
    std::vector<std::string> cells = lead;
    for (size_t j = 0; j < row.size(); j++) cells.push_back(cell_text(s, row, j, unit));
    lines->push_back(join(cells, "\t"));
  }
}

// The shell's lines for all results. It reads influxd's chunked answers,
// where each series is a result of its own and a statement without series
// one empty result; a result whose first series repeats the last header
// shown prints without it, and in column format a blank line goes before
// every result but the first that shows a header or is empty.
std::vector<std::string> shell_lines(const Results& r, Format f, int64_t unit) {
  std::vector<std::string> lines;
  const Series* shown = nullptr;  // the last series whose header was printed
  size_t chunk = 0;
  for (const StatementResult& st : r.results) {
    if (f == Format::kColumn) {
      for (const Message& m : st.messages) lines.push_back(sanitize_utf8(m.level + ": " + m.text + "."));
    }
    const size_t n = std::max<size_t>(st.series.size(), 1);
    for (size_t i = 0; i < n; i++, chunk++) {
      const Series* s = i < st.series.size() ? &st.series[i] : nullptr;
      const bool suppress = s != nullptr && shown != nullptr && same_header(*shown, *s);
      if (s != nullptr && !suppress) shown = s;
      if (f == Format::kColumn && !suppress && chunk > 0) lines.emplace_back();
      if (s != nullptr) series_lines(*s, f, suppress, unit, &lines);
    }
  }
  return lines;
}

// -- Go's text/tabwriter, as the shell sets it up: minwidth 0, padding 1,
// padchar ' ', no flags. Cells end at '\t' or '\v', lines at '\n'; '\f'
// ends a line too and flushes (no column continues across it). A column
// block is a run of lines that have a tab-terminated cell in that column
// (inside the block of the column before); each cell of it is padded to
// the block's widest cell plus one, widths counted in runes. The last cell
// of a line is never padded.
class TabWriter {
 public:
  explicit TabWriter(std::string* out) : out_(out) {}

  void write(std::string_view text) {
    lines_.assign(1, {});
    size_t start = 0;
    for (size_t i = 0; i < text.size(); i++) {
      const char c = text[i];
      if (c != '\t' && c != '\v' && c != '\n' && c != '\f') continue;
      lines_.back().push_back(text.substr(start, i - start));
      start = i + 1;
      if (c == '\n' || c == '\f') lines_.emplace_back();
      if (c == '\f') flush(lines_.size() - 1);
    }
    lines_.back().push_back(text.substr(start));
    flush(lines_.size());
  }

  // Width in runes (one per UTF-8 sequence or stray byte).
  static size_t runes(std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); n++) i += std::max<size_t>(utf8_sequence_length(s.substr(i)), 1);
    return n;
  }

 private:
  using Line = std::vector<std::string_view>;

  // Writes the first n lines, each but the last line held with a newline.
  void flush(size_t n) {
    widths_.clear();
    format(0, n);
    lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(n));
  }

  void format(size_t line0, size_t line1) {
    const size_t column = widths_.size();
    for (size_t t = line0; t < line1; t++) {
      if (column + 1 >= lines_[t].size()) continue;
      write_lines(line0, t);
      line0 = t;
      size_t width = 0;
      for (; t < line1 && column + 1 < lines_[t].size(); t++) {
        width = std::max(width, runes(lines_[t][column]) + 1);
      }
      widths_.push_back(width);
      format(line0, t);
      widths_.pop_back();
      line0 = t;
    }
    write_lines(line0, line1);
  }

  void write_lines(size_t line0, size_t line1) {
    for (size_t i = line0; i < line1; i++) {
      const Line& line = lines_[i];
      for (size_t j = 0; j < line.size(); j++) {
        out_->append(line[j]);
        if (j < widths_.size()) out_->append(widths_[j] - runes(line[j]), ' ');
      }
      if (i + 1 < lines_.size()) out_->push_back('\n');
    }
  }

  std::string* out_;
  std::vector<Line> lines_;
  std::vector<size_t> widths_;
};

// Go's unicode.IsSpace for the first rune of s.
bool starts_with_space(std::string_view s) {
  static constexpr std::string_view kSpaces[] = {
      "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9",
      "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  if (s.empty()) return false;
  if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')) return true;
  const auto b2 = s.size() >= 3 ? static_cast<unsigned char>(s[2]) : 0;
  if (s.starts_with("\xE2\x80") && b2 >= 0x80 && b2 <= 0x8A) {
    return true;  // U+2000..U+200A
  }
  return std::any_of(std::begin(kSpaces), std::end(kSpaces),
                     [&](std::string_view sp) { return s.starts_with(sp); });
}

// One record of Go's encoding/csv (comma ',', "\n" line ends): a field is
// quoted when it holds , " \r or \n, starts with a space, or is "\.";
// quotes inside are doubled.
void append_csv_record(std::string_view line, std::string* out) {
  size_t start = 0;
  for (bool first = true;; first = false) {
    size_t end = line.find('\t', start);
    std::string_view field = line.substr(start, end == std::string_view::npos ? end : end - start);
    if (!first) out->push_back(',');
    const bool quote = !field.empty() && (field == "\\." || starts_with_space(field) ||
                                          field.find_first_of(",\"\r\n") != std::string_view::npos);
    if (!quote) {
      out->append(field);
    } else {
      out->push_back('"');
      for (char c : field) {
        if (c == '"') out->push_back('"');
        out->push_back(c);
      }
      out->push_back('"');
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out->push_back('\n');
}

// Expanded display: per series its name and tags lines, then per row a
// rule "-[ RECORD n ]-" as wide as the widest line and "column | value"
// lines with the column names padded to the widest.
void format_expanded(const Results& r, int64_t unit, std::string* out) {
  bool first = true;
  for (const StatementResult& st : r.results) {
    for (const Message& m : st.messages) out->append(sanitize_utf8(m.level + ": " + m.text + ".\n"));
    for (const Series& s : st.series) {
      if (!first) out->push_back('\n');
      first = false;
      if (!s.name.empty()) out->append("name: " + sanitize_utf8(s.name) + "\n");
      if (!s.tags.empty()) {
        std::vector<std::string> tags;
        for (const auto& [k, v] : s.tags) tags.push_back(sanitize_utf8(k) + "=" + sanitize_utf8(v));
        std::sort(tags.begin(), tags.end());
        out->append("tags: " + join(tags, ", ") + "\n");
      }
      size_t key_width = 0;
      for (const auto& c : s.columns) key_width = std::max(key_width, TabWriter::runes(c));
      for (size_t i = 0; i < s.values.size(); i++) {
        std::vector<std::string> cells;
        size_t width = 0;
        for (size_t j = 0; j < s.values[i].size() && j < s.columns.size(); j++) {
          cells.push_back(cell_text(s, s.values[i], j, unit));
          width = std::max(width, key_width + 3 + TabWriter::runes(cells.back()));
        }
        std::string rule = "-[ RECORD " + std::to_string(i + 1) + " ]";
        if (rule.size() < width) rule.append(width - rule.size(), '-');
        out->append(rule + "\n");
        for (size_t j = 0; j < cells.size(); j++) {
          out->append(sanitize_utf8(s.columns[j]));
          out->append(key_width - TabWriter::runes(s.columns[j]), ' ');
          out->append(" | " + cells[j] + "\n");
        }
      }
    }
  }
}

}  // namespace

void format_column(const Results& r, const FormatOptions& o, std::string* out) {
  if (o.expanded) {
    format_expanded(r, precision_unit(o.precision), out);
    return;
  }
  std::vector<std::string> lines = shell_lines(r, Format::kColumn, precision_unit(o.precision));
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) {
    text.append(l);
    text.push_back('\n');
  }
  TabWriter(out).write(text);
}

void format_csv(const Results& r, const FormatOptions& o, std::string* out) {
  for (const auto& l : shell_lines(r, Format::kCsv, precision_unit(o.precision))) {
    append_csv_record(l, out);
  }
}

}  // namespace tsd::query
