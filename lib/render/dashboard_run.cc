// Running a dashboard (dashboard.h): template variables resolved as
// Grafana resolves them, macros and variables replaced in every query as
// its InfluxDB data source does, the queries run through lib/client.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/time.h"
#include "query/format.h"
#include "query/render.h"
#include "render/dashboard.h"
#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr std::string_view kAll = "All";

// Every regex metacharacter escaped, as Grafana escapes a multi-value
// variable's values before joining them with '|'.
std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

struct Resolved {
  const Variable* def = nullptr;
  std::vector<std::string> options;   // every value it may take
  std::vector<std::string> selected;  // the ones chosen
  bool all = false;
  std::string error;

  // The text that replaces $name in a query (Grafana's InfluxDB
  // formatting, or the :format given as ${name:format}).
  Result<std::string> text(std::string_view format) const {
    if (!error.empty()) return Status::invalid_argument(error);
    const std::vector<std::string>& v = all ? options : selected;
    auto join = [&](std::string_view sep, bool escape) {
      std::string out;
      for (size_t i = 0; i < v.size(); i++) {
        if (i) out += sep;
        out += escape ? regex_escape(v[i]) : v[i];
      }
      return out;
    };
    if (format == "raw") return all && !def->all_value.empty() ? def->all_value : join(",", false);
    if (format == "csv") return join(",", false);
    if (format == "pipe") return join("|", false);
    if (format == "regex") return v.size() == 1 ? regex_escape(v[0]) : "(" + join("|", true) + ")";
    if (!format.empty()) {
      return Status::invalid_argument("unknown format \":" + std::string(format) +
                                      "\" (raw, regex, csv, pipe)");
    }
    if (all && !def->all_value.empty()) return def->all_value;
    if (!def->multi && !def->include_all) return v.empty() ? std::string() : v[0];
    if (v.size() == 1) return regex_escape(v[0]);
    return "(" + join("|", true) + ")";
  }

  std::string shown() const {
    if (!error.empty()) return "?";
    if (all) return std::string(kAll);
    std::string out;
    for (size_t i = 0; i < selected.size(); i++) out += (i ? "," : "") + selected[i];
    return out;
  }
};

// What the dashboard's macros stand for in this run.
struct Macros {
  std::string time_filter;
  int64_t from = 0, to = 0;
  std::map<std::string, std::string, std::less<>> vars_text;  // resolved once per format
};

// Replaces $name, ${name}, ${name:format} and [[name]] in `q`. A name that
// is neither a macro nor a variable is an error, as is a variable that
// could not be resolved.
Result<std::string> interpolate(std::string_view q, const std::map<std::string, Resolved, std::less<>>& vars,
                                const Macros& m, int64_t interval) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  size_t i = 0;
  while (i < q.size()) {
    std::string_view name, format;
    size_t next;
    if (q[i] == '$' && i + 1 < q.size() && q[i + 1] == '{') {
      const size_t close = q.find('}', i + 2);
      if (close == std::string_view::npos) return Status::invalid_argument("unclosed ${ in the query");
      name = q.substr(i + 2, close - i - 2);
      if (size_t colon = name.find(':'); colon != std::string_view::npos) {
        format = name.substr(colon + 1);
        name = name.substr(0, colon);
      }
      next = close + 1;
    } else if (q[i] == '$' && i + 1 < q.size() && ident(q[i + 1])) {
      size_t j = i + 1;
      while (j < q.size() && ident(q[j])) j++;
      name = q.substr(i + 1, j - i - 1);
      next = j;
    } else if (q.substr(i, 2) == "[[" && q.find("]]", i + 2) != std::string_view::npos) {
      const size_t close = q.find("]]", i + 2);
      name = q.substr(i + 2, close - i - 2);
      next = close + 2;
      if (name.empty() || !std::all_of(name.begin(), name.end(), ident)) {
        out += q.substr(i, 2);
        i += 2;
        continue;
      }
    } else {
      out += q[i++];
      continue;
    }
    const int64_t range = m.to - m.from;
    if (name == "timeFilter" || name == "__timeFilter") {
      out += m.time_filter;
    } else if (name == "__interval" || name == "interval") {
      out += query::render_duration(interval);
    } else if (name == "__interval_ms") {
      out += std::to_string(interval / kMillisecond);
    } else if (name == "__from" || name == "__to") {
      out += std::to_string((name == "__from" ? m.from : m.to) / kMillisecond);
    } else if (name == "__range") {
      out += query::render_duration(range);
    } else if (name == "__range_s" || name == "__range_ms") {
      out += std::to_string(range / (name == "__range_s" ? kSecond : kMillisecond));
    } else if (auto it = vars.find(name); it != vars.end()) {
      auto t = it->second.text(format);
      if (!t.ok()) return Status::invalid_argument("variable $" + std::string(name) + ": " + t.status().message());
      out += *t;
    } else {
      std::string known;
      for (const auto& [n, v] : vars) known += (known.empty() ? "" : ", ") + n;
      return Status::invalid_argument("unknown variable $" + std::string(name) +
                                      (known.empty() ? " (the dashboard has no variables)"
                                                     : " (the dashboard has " + known + ")"));
    }
    i = next;
  }
  return out;
}

// The values a query variable offers: the "value" column of every series
// (SHOW TAG VALUES), else the first column that is not time; each once,
// in order.
std::vector<std::string> column_values(const query::Results& r) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& st : r.results) {
    for (const auto& s : st.series) {
      size_t col = s.has_time ? 1 : 0;
      for (size_t c = 0; c < s.columns.size(); c++) {
        if (s.columns[c] == "value") col = c;
      }
      for (const auto& row : s.values) {
        if (col >= row.size() || query::is_null(row[col])) continue;
        std::string v;
        if (row[col].index() == 4) {
          v = std::get<std::string>(row[col]);
        } else {
          query::append_json_value(row[col], &v);
        }
        if (seen.insert(v).second) out.push_back(std::move(v));
      }
    }
  }
  return out;
}

Resolved resolve(const Variable& v, const std::map<std::string, Resolved, std::less<>>& earlier,
                 const Macros& m, const std::vector<std::string>& chosen, client::Client& c,
                 const std::string& db, const RunOptions& o) {
  Resolved r;
  r.def = &v;
  if (!v.error.empty()) {
    r.error = v.error;
    return r;
  }
  if (!v.query.empty()) {
    auto q = interpolate(v.query, earlier, m, kSecond);
    if (!q.ok()) {
      r.error = q.status().message();
      return r;
    }
    client::QueryOptions qo;
    qo.db = v.db.empty() ? db : v.db;
    qo.cancel = o.cancel;
    qo.now = o.now;
    query::Results res = c.query(*q, qo);
    if (std::string e = res.first_error(); !e.empty()) {
      r.error = "its query failed: " + e;
      return r;
    }
    r.options = column_values(res);
  } else {
    r.options = v.options;
  }
  if (!v.regex.empty()) {
    // Grafana's regex: a value is kept when it matches; a capture group
    // keeps what it captured.
    RE2 re(v.regex, RE2::Quiet);
    if (!re.ok()) {
      r.error = "regex /" + v.regex + "/: " + re.error();
      return r;
    }
    std::vector<std::string> kept;
    for (const auto& s : r.options) {
      std::string group;
      if (re.NumberOfCapturingGroups() > 0 ? RE2::PartialMatch(s, re, &group) : RE2::PartialMatch(s, re)) {
        kept.push_back(re.NumberOfCapturingGroups() > 0 ? group : s);
      }
    }
    r.options = std::move(kept);
  }
  const std::vector<std::string>& want = chosen.empty() ? v.current : chosen;
  for (const auto& s : want) {
    if (s == kAll || s == "$__all") {
      r.all = true;
    } else {
      r.selected.push_back(s);
    }
  }
  if (r.all && !v.include_all && chosen.empty()) r.all = false;
  if (!r.all && r.selected.empty() && !r.options.empty()) {
    // Grafana's default: All when it is offered, else the first value.
    if (v.include_all) {
      r.all = true;
    } else {
      r.selected.push_back(r.options.front());
    }
  }
  if (!v.multi && r.selected.size() > 1) r.selected.resize(1);
  return r;
}

// Names the series' numeric columns by Grafana's alias pattern: each
// column's name becomes the pattern with $m, $col and $tag_<key> (or
// [[m]], [[col]], [[tag_<key>]]) replaced, and the series keeps no name
// and tags of its own, so that panels label it with the column alone.
void apply_alias(const std::string& pattern, query::Results* r) {
  auto expand = [&](const query::Series& s, const std::string& col) {
    std::string out;
    for (size_t i = 0; i < pattern.size();) {
      size_t len = 0;
      std::string name;
      if (pattern[i] == '$') {
        len = 1;
        while (i + len < pattern.size() &&
               (std::isalnum(static_cast<unsigned char>(pattern[i + len])) || pattern[i + len] == '_')) {
          len++;
        }
        name = pattern.substr(i + 1, len - 1);
      } else if (pattern.compare(i, 2, "[[") == 0 && pattern.find("]]", i) != std::string::npos) {
        len = pattern.find("]]", i) + 2 - i;
        name = pattern.substr(i + 2, len - 4);
      }
      std::string value;
      bool known = true;
      if (name == "m" || name == "measurement") {
        value = s.name;
      } else if (name == "col") {
        value = col;
      } else if (name.rfind("tag_", 0) == 0) {
        for (const auto& [k, v] : s.tags) {
          if (k == name.substr(4)) value = v;
        }
      } else {
        known = false;
      }
      if (len == 0 || !known) {
        out += pattern[i++];
        continue;
      }
      out += value;
      i += len;
    }
    return out;
  };
  for (auto& st : r->results) {
    for (auto& s : st.series) {
      for (size_t j = s.has_time ? 1 : 0; j < s.columns.size(); j++) s.columns[j] = expand(s, s.columns[j]);
      s.name.clear();
      s.tags.clear();
    }
  }
}

// How many points a panel `w` grid columns wide can show on a screen
// `width` columns wide: two a character cell (braille), less the box and
// the y axis labels.
int panel_points(const PanelSpec& p, int width) {
  const int cols = p.w * std::max(width, 20) / 24;
  return std::max(10, 2 * (cols - 9));
}

}  // namespace

View run_dashboard(const Dashboard& d, client::Client& c, const RunOptions& o,
                   std::vector<std::string>* warnings) {
  View v;
  v.title = d.title;
  v.source = d.source;
  v.zone = d.timezone;
  v.taken = o.now ? o.now : now_ns();
  v.from_raw = o.from.empty() ? d.from : o.from;
  v.to_raw = o.to.empty() ? d.to : o.to;
  auto zone = query::Zone::load(d.timezone);
  if (!zone.ok()) {
    if (warnings) warnings->push_back(d.source + ": timezone: " + zone.status().message());
    v.zone.clear();
    zone = query::Zone();
  }
  std::string range_error;
  auto from = parse_time_expr(v.from_raw, v.taken, *zone, false);
  auto to = parse_time_expr(v.to_raw, v.taken, *zone, true);
  if (!from.ok() || !to.ok()) {
    range_error = "the time range: " + (from.ok() ? to : from).status().message();
  } else if (*from >= *to) {
    range_error = "the time range: " + v.from_raw + " is not before " + v.to_raw;
  } else {
    v.from = *from;
    v.to = *to;
  }
  Macros m;
  m.from = v.from;
  m.to = v.to;
  m.time_filter = time_filter(v.from_raw, v.to_raw, v.from, v.to);

  // --var values by name; a name the dashboard does not have is a warning.
  std::map<std::string, std::vector<std::string>, std::less<>> chosen;
  for (const auto& [name, value] : o.vars) chosen[name].push_back(value);
  for (const auto& [name, values] : chosen) {
    const bool known = std::any_of(d.variables.begin(), d.variables.end(),
                                   [&](const Variable& x) { return x.name == name; });
    if (!known && warnings) {
      std::string names;
      for (const auto& x : d.variables) names += (names.empty() ? "" : ", ") + x.name;
      warnings->push_back("--var " + name + ": " + d.source + " has no variable \"" + name + "\"" +
                          (names.empty() ? "" : " (it has " + names + ")"));
    }
  }
  std::map<std::string, Resolved, std::less<>> vars;
  for (const auto& var : d.variables) {
    if (var.name.empty() || vars.count(var.name)) continue;  // its error is on the panels that use it
    auto it = chosen.find(var.name);
    Resolved r = range_error.empty()
                     ? resolve(var, vars, m, it == chosen.end() ? std::vector<std::string>{} : it->second, c, d.db, o)
                     : Resolved{&var, {}, {}, false, range_error};
    v.variables.emplace_back(var.name, r.shown());
    vars.emplace(var.name, std::move(r));
  }

  const std::string rp = o.rp.empty() ? d.rp : o.rp;
  for (const PanelSpec& spec : d.panels) {
    PanelView pv;
    pv.spec = spec;
    pv.error = spec.error.empty() ? range_error : spec.error;
    int64_t min_interval = kSecond;
    if (pv.error.empty()) {
      const std::string& text = spec.min_interval.empty() ? d.min_interval : spec.min_interval;
      auto mi = parse_duration(text);
      if (!mi.ok() || *mi <= 0) {
        pv.error = "min_interval \"" + text + "\": not a duration such as 10s";
      } else {
        min_interval = *mi;
      }
    }
    const int64_t interval = auto_interval(v.from, v.to, panel_points(spec, o.width), min_interval);
    for (std::string& q : pv.spec.queries) {
      if (!pv.error.empty()) break;
      auto text = interpolate(q, vars, m, interval);
      if (!text.ok()) {
        pv.error = text.status().message();
        break;
      }
      q = std::move(*text);
      client::QueryOptions qo;
      qo.db = spec.db.empty() ? d.db : spec.db;
      qo.rp = spec.rp.empty() ? rp : spec.rp;
      qo.cancel = o.cancel;
      qo.now = o.now;
      query::Results r = c.query(q, qo);
      if (std::string e = r.first_error(); !e.empty()) {
        pv.error = e;
        pv.results = query::Results();
        break;
      }
      for (auto& st : r.results) pv.results.results.push_back(std::move(st));
    }
    if (pv.error.empty() && !spec.alias.empty()) apply_alias(spec.alias, &pv.results);
    v.panels.push_back(std::move(pv));
  }
  return v;
}

}  // namespace tsd::render
