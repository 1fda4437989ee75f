// Sparklines, and the spark panel: one row per line (render.h).
#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
constexpr char kAsciiBars[] = "_.-:=+*#";

}  // namespace

bool time_range(const std::vector<Line>& lines, int64_t* t0, int64_t* t1) {
  bool any = false;
  for (const Line& l : lines) {
    for (size_t i = 0; i < l.v.size(); i++) {
      if (std::isnan(l.v[i])) continue;
      if (!any || l.t[i] < *t0) *t0 = l.t[i];
      if (!any || l.t[i] > *t1) *t1 = l.t[i];
      any = true;
    }
  }
  return any;
}

std::string sparkline(const Line& l, int cols, int64_t t0, int64_t t1, bool ascii) {
  if (cols <= 0) return "";
  const Stats st = stats_of(l);
  std::vector<double> top(static_cast<size_t>(cols), NAN);
  std::vector<bool> broken_before(static_cast<size_t>(cols), false);
  const int64_t limit = gap_limit(l);
  bool broken = false, have = false;
  int64_t prev_t = 0;
  for (size_t i = 0; i < l.v.size(); i++) {
    const double v = l.v[i];
    if (std::isnan(v) || l.t[i] < t0 || l.t[i] > t1) {
      broken = broken || std::isnan(v);
      continue;
    }
    if (have && limit > 0 && l.t[i] - prev_t > limit) broken = true;
    const int x = t1 == t0 ? cols - 1
                           : static_cast<int>(std::lround(static_cast<double>(l.t[i] - t0) /
                                                          static_cast<double>(t1 - t0) * (cols - 1)));
    auto& c = top[static_cast<size_t>(x)];
    if (std::isnan(c)) broken_before[static_cast<size_t>(x)] = broken;
    c = std::isnan(c) ? v : std::max(c, v);
    broken = false;
    have = true;
    prev_t = l.t[i];
  }
  // Columns between two points of a line that does not break there
  // repeat the one before.
  for (int x = 1, last = -1; x < cols; x++) {
    if (!std::isnan(top[static_cast<size_t>(x - 1)])) last = x - 1;
    if (!std::isnan(top[static_cast<size_t>(x)]) || last < 0) continue;
    int next = x;
    while (next < cols && std::isnan(top[static_cast<size_t>(next)])) next++;
    if (next < cols && !broken_before[static_cast<size_t>(next)]) {
      for (int k = x; k < next; k++) top[static_cast<size_t>(k)] = top[static_cast<size_t>(last)];
    }
    x = next;
  }
  std::string out;
  for (double v : top) {
    if (std::isnan(v)) {
      out.push_back(' ');
      continue;
    }
    int level = st.max == st.min ? 3 : static_cast<int>(std::lround((v - st.min) / (st.max - st.min) * 7));
    level = std::clamp(level, 0, 7);
    if (ascii) {
      out.push_back(kAsciiBars[level]);
    } else {
      out += kBars[level];
    }
  }
  return out;
}

std::string render_spark(const query::Results& r, const Options& o) {
  const std::vector<Line> lines = extract_lines(r);
  int64_t t0 = 0, t1 = 0;
  if (!time_range(lines, &t0, &t1)) return message_panel("no numeric data to draw", o);
  if (o.from < o.to) {
    t0 = o.from;
    t1 = o.to;
  }
  const bool ascii = o.glyphs == Glyphs::kAscii;
  return row_panel(
      lines, o,
      [&](size_t i, double, int cols) {
        return paint(sparkline(lines[i], cols, t0, t1, ascii), series_color(i), o.color);
      },
      [](size_t, double) { return -1; });
}

}  // namespace tsd::render
