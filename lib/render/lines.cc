// The lines a panel draws: each numeric column of each series (internal.h).
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

// A datum as a number: floats, integers, unsigned and booleans (0/1);
// NaN for nulls and strings.
double number_of(const query::Datum& d) {
  switch (d.index()) {
    case 1: return std::get<double>(d);
    case 2: return static_cast<double>(std::get<int64_t>(d));
    case 3: return static_cast<double>(std::get<uint64_t>(d));
    case 5: return std::get<bool>(d) ? 1 : 0;
    default: return NAN;
  }
}

std::string label_of(const query::Series& s, const std::string& column) {
  std::string label = s.name.empty() ? column : s.name + "." + column;
  for (const auto& [k, v] : s.tags) label += " " + k + "=" + v;
  return label;
}

}  // namespace

std::vector<Line> extract_lines(const query::Results& r) {
  std::vector<Line> out;
  for (const auto& st : r.results) {
    for (const auto& s : st.series) {
      const size_t first = s.has_time ? 1 : 0;
      // A column is numeric when one of its values is a number.
      std::vector<size_t> cols;
      for (size_t j = first; j < s.columns.size(); j++) {
        for (const auto& row : s.values) {
          if (j < row.size() && !std::isnan(number_of(row[j]))) {
            cols.push_back(j);
            break;
          }
        }
      }
      for (size_t j : cols) {
        Line l;
        l.label = label_of(s, s.columns[j]);
        l.has_time = s.has_time;
        l.t.reserve(s.values.size());
        l.v.reserve(s.values.size());
        for (size_t i = 0; i < s.values.size(); i++) {
          const auto& row = s.values[i];
          int64_t t = static_cast<int64_t>(i);
          if (s.has_time && !row.empty() && row[0].index() == 2) t = std::get<int64_t>(row[0]);
          l.t.push_back(t);
          l.v.push_back(j < row.size() ? number_of(row[j]) : NAN);
        }
        out.push_back(std::move(l));
      }
    }
  }
  return out;
}

Stats stats_of(const Line& l) {
  Stats st;
  double sum = 0;
  for (double v : l.v) {
    if (std::isnan(v)) continue;
    if (st.count == 0 || v < st.min) st.min = v;
    if (st.count == 0 || v > st.max) st.max = v;
    sum += v;
    st.last = v;
    st.count++;
  }
  if (st.count > 0) st.mean = sum / static_cast<double>(st.count);
  return st;
}

Extent extent_of(const std::vector<Line>& lines) {
  Extent e;
  for (const Line& l : lines) {
    for (size_t i = 0; i < l.v.size(); i++) {
      if (!std::isfinite(l.v[i])) continue;
      if (!e.any || l.t[i] < e.t0) e.t0 = l.t[i];
      if (!e.any || l.t[i] > e.t1) e.t1 = l.t[i];
      if (!e.any || l.v[i] < e.lo) e.lo = l.v[i];
      if (!e.any || l.v[i] > e.hi) e.hi = l.v[i];
      e.any = true;
    }
    e.timed = e.timed || l.has_time;
  }
  return e;
}

Extent chart_extent(const std::vector<Line>& lines, const Options& o) {
  Extent e = extent_of(lines);
  if (e.any && e.timed && o.from < o.to) {
    e.t0 = o.from;
    e.t1 = o.to;
  }
  return e;
}

void time_steps(const Line& l, std::vector<int64_t>* d) {
  int64_t prev = 0;
  bool have = false;
  for (size_t i = 0; i < l.v.size(); i++) {
    if (std::isnan(l.v[i])) continue;
    if (have && l.t[i] > prev) d->push_back(l.t[i] - prev);
    prev = l.t[i];
    have = true;
  }
}

int64_t gap_limit(const Line& l) {
  std::vector<int64_t> d;
  time_steps(l, &d);
  if (d.size() < 2) return 0;
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return 2 * d[d.size() / 2];
}

std::vector<Column> reduce_columns(const Line& l, int64_t t0, int64_t t1, int n) {
  n = std::max(n, 1);
  std::vector<Column> cols(static_cast<size_t>(n));
  const int64_t limit = gap_limit(l);
  bool broken = false, have = false;
  int64_t prev_t = 0;
  for (size_t i = 0; i < l.v.size(); i++) {
    const double v = l.v[i];
    if (std::isnan(v) || std::isinf(v)) {
      broken = true;
      continue;
    }
    if (l.t[i] < t0 || l.t[i] > t1) continue;
    if (have && limit > 0 && l.t[i] - prev_t > limit) broken = true;
    const int x = t1 == t0 ? n / 2
                           : static_cast<int>(std::lround(static_cast<double>(l.t[i] - t0) /
                                                          static_cast<double>(t1 - t0) * (n - 1)));
    Column& c = cols[static_cast<size_t>(std::clamp(x, 0, n - 1))];
    if (!c.used()) {
      c = {v, v, v, v, broken || !have};
    } else {
      c.lo = std::min(c.lo, v);
      c.hi = std::max(c.hi, v);
      c.last = v;
    }
    broken = false;
    have = true;
    prev_t = l.t[i];
  }
  return cols;
}

std::string first_error(const query::Results& r) {
  if (!r.error.empty()) return r.error;
  for (const auto& st : r.results) {
    if (!st.error.empty()) return st.error;
  }
  return "";
}

}  // namespace tsd::render
