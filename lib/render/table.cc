// The table (render.h): each series as aligned columns under its name and
// tags; numbers and times right-aligned, strings left; rows cut to the
// width, and to the height with a last row saying how many were left out.
// Series that differ only in their tag values (GROUP BY host) make one
// table with a column per tag key first, as Grafana's table shows them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

// A float with up to six significant digits, without trailing zeros.
std::string number_text(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  const double a = std::fabs(v);
  if (a != 0 && (a < 1e-4 || a >= 1e15)) return fmt::format("{:.6g}", v);
  if (v == std::floor(v)) return fmt::format("{:.0f}", v);
  const int decimals = std::max(0, 5 - static_cast<int>(std::floor(std::log10(a))));
  std::string s = fmt::format("{:.{}f}", v, decimals);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

TableCell table_cell(const query::Datum& d, bool is_time, const Options& o) {
  if (is_time && d.index() == 2) return {format_local_time(std::get<int64_t>(d), o.zone), true};
  switch (d.index()) {
    case 1:  // (NaN, stddev() of one point, is null: an empty cell)
      if (std::isnan(std::get<double>(d))) return {"", false};
      return {number_text(std::get<double>(d)) + o.unit, true};
    case 2: return {std::to_string(std::get<int64_t>(d)) + o.unit, true};
    case 3: return {std::to_string(std::get<uint64_t>(d)) + o.unit, true};
    case 4: return {std::get<std::string>(d), false};
    case 5: return {std::get<bool>(d) ? "true" : "false", false};
    default: return {"", false};
  }
}

namespace {

// `time_col`: the column of times (npos: none).
void series_rows(const query::Series& s, size_t time_col, const Options& o, std::vector<std::string>* out) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  std::string head = s.name;
  for (const auto& [k, v] : s.tags) head += (head.empty() ? "" : " ") + k + "=" + v;
  if (!head.empty()) out->push_back(o.color ? "\x1b[1m" + head + "\x1b[0m" : head);
  std::vector<std::vector<TableCell>> rows;
  std::vector<int> w(s.columns.size(), 0);
  std::vector<bool> right(s.columns.size(), false);
  for (const auto& row : s.values) {
    rows.emplace_back();
    for (size_t j = 0; j < s.columns.size(); j++) {
      rows.back().push_back(j < row.size() ? table_cell(row[j], j == time_col, o) : TableCell{});
      w[j] = std::max(w[j], display_width(rows.back().back().text));
      right[j] = right[j] || rows.back().back().right;
    }
  }
  std::string header, rule;
  for (size_t j = 0; j < s.columns.size(); j++) {
    w[j] = std::max(w[j], display_width(s.columns[j]));
    const std::string sep = j == 0 ? "" : "  ";
    header += sep + (right[j] ? pad_left(s.columns[j], w[j], ascii) : pad_right(s.columns[j], w[j], ascii));
    rule += sep;
    for (int k = 0; k < w[j]; k++) rule += ascii ? "-" : "─";
  }
  out->push_back(header);
  out->push_back(rule);
  for (const auto& row : rows) {
    std::string line;
    for (size_t j = 0; j < row.size(); j++) {
      line += (j == 0 ? "" : "  ") + (row[j].right ? pad_left(row[j].text, w[j], ascii)
                                                     : pad_right(row[j].text, w[j], ascii));
    }
    out->push_back(line);
  }
}

}  // namespace

std::string render_table(const query::Results& r, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  std::vector<std::string> lines;
  std::vector<const query::Series*> all;
  for (const auto& st : r.results) {
    for (const auto& s : st.series) all.push_back(&s);
  }
  auto same_shape = [&](const query::Series* s) {
    const query::Series& a = *all[0];
    if (s->name != a.name || s->columns != a.columns || s->has_time != a.has_time) return false;
    if (s->tags.size() != a.tags.size() || a.tags.empty()) return false;
    for (size_t k = 0; k < a.tags.size(); k++) {
      if (s->tags[k].first != a.tags[k].first) return false;
    }
    return true;
  };
  if (all.size() > 1 && std::all_of(all.begin(), all.end(), same_shape)) {
    query::Series m;
    m.name = all[0]->name;
    for (const auto& [k, v] : all[0]->tags) m.columns.push_back(k);
    const size_t keys = m.columns.size();
    m.columns.insert(m.columns.end(), all[0]->columns.begin(), all[0]->columns.end());
    for (const query::Series* s : all) {
      for (const auto& row : s->values) {
        query::Row out;
        for (const auto& [k, v] : s->tags) out.emplace_back(v);
        out.insert(out.end(), row.begin(), row.end());
        m.values.push_back(std::move(out));
      }
    }
    series_rows(m, all[0]->has_time ? keys : std::string::npos, o, &lines);
  } else {
    for (const query::Series* s : all) {
      if (!lines.empty()) lines.emplace_back();
      series_rows(*s, s->has_time ? 0 : std::string::npos, o, &lines);
    }
  }
  if (lines.empty()) return message_panel("no rows", o);
  const size_t room = static_cast<size_t>(std::max(2, o.height - (o.title.empty() ? 0 : 1)));
  std::string out = title_row(o);
  for (size_t i = 0; i < lines.size(); i++) {
    if (i + 1 == room && i + 1 < lines.size()) {
      out += fit("+ " + std::to_string(lines.size() - i) + " more rows", o.width, ascii) + "\n";
      break;
    }
    std::string l = lines[i];
    // Cut to the width (a bold name keeps its codes: it is short).
    if (l.find('\x1b') == std::string::npos) l = fit(l, o.width, ascii);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  }
  return out;
}

}  // namespace tsd::render
