// Snapshots (dashboard.h): a View saved as JSON with the data it drew, so
// that it draws again offline, with no data directory. Each panel's
// results are kept as InfluxDB's /query JSON with nanosecond epochs, the
// form input_json.cc reads back.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/file.h"
#include "query/format.h"
#include "render/dashboard.h"
#include "render/input.h"
#include "render/internal.h"

namespace tsd::render {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;
constexpr const char* kMagic = "tsd-snapshot";

json number_or_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

std::string snapshot_json(const View& v) {
  json panels = json::array();
  for (const PanelView& p : v.panels) {
    std::string results;
    query::FormatOptions fo;
    fo.format = query::Format::kJson;
    fo.precision = "ns";
    query::format_json(p.results, fo, &results);
    const PanelSpec& s = p.spec;
    panels.push_back({{"title", s.title},
                      {"type", s.type},
                      {"queries", s.queries},
                      {"database", s.db},
                      {"rp", s.rp},
                      {"unit", s.unit},
                      {"alias", s.alias},
                      {"thresholds", s.thresholds},
                      {"min", number_or_null(s.min)},
                      {"max", number_or_null(s.max)},
                      {"x", s.x},
                      {"y", s.y},
                      {"w", s.w},
                      {"h", s.h},
                      {"error", p.error},
                      {"results", json::parse(results, nullptr, false)}});
  }
  json vars = json::array();
  for (const auto& [name, value] : v.variables) vars.push_back({name, value});
  json doc = {{"format", kMagic}, {"version", kVersion}, {"title", v.title},
              {"note", v.note},   {"source", v.source},  {"from_raw", v.from_raw},
              {"to_raw", v.to_raw}, {"from", v.from},    {"to", v.to},
              {"taken", v.taken}, {"zone", v.zone},      {"variables", vars},
              {"panels", panels}};
  return doc.dump(1) + "\n";
}

Result<View> parse_snapshot(std::string_view text, const std::string& source) {
  auto bad = [&](const std::string& why) { return Status::invalid_argument(source + ": " + why); };
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a snapshot (not a JSON object)");
  if (doc.value("format", "") != kMagic) return bad("not a snapshot (no \"format\": \"tsd-snapshot\")");
  if (doc.value("version", 0) > kVersion) {
    return bad("a snapshot of version " + std::to_string(doc.value("version", 0)) +
               ", newer than this tsd-render reads (" + std::to_string(kVersion) + ")");
  }
  try {
    View v;
    v.title = doc.value("title", "");
    v.note = doc.value("note", "");
    v.source = doc.value("source", "");
    v.from_raw = doc.value("from_raw", "");
    v.to_raw = doc.value("to_raw", "");
    v.from = doc.value("from", int64_t{0});
    v.to = doc.value("to", int64_t{0});
    v.taken = doc.value("taken", int64_t{0});
    v.zone = doc.value("zone", "");
    for (const auto& pair : doc.value("variables", json::array())) {
      v.variables.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    }
    const json& panels = doc.at("panels");
    for (size_t i = 0; i < panels.size(); i++) {
      const json& p = panels[i];
      PanelView pv;
      PanelSpec& s = pv.spec;
      s.title = p.value("title", "");
      s.type = p.value("type", "line");
      s.queries = p.value("queries", std::vector<std::string>{});
      s.db = p.value("database", "");
      s.rp = p.value("rp", "");
      s.unit = p.value("unit", "");
      s.alias = p.value("alias", "");
      s.thresholds = p.value("thresholds", std::vector<double>{});
      s.min = p.contains("min") && p["min"].is_number() ? p["min"].get<double>() : NAN;
      s.max = p.contains("max") && p["max"].is_number() ? p["max"].get<double>() : NAN;
      s.x = p.value("x", -1);
      s.y = p.value("y", -1);
      s.w = std::clamp(p.value("w", 24), 1, 24);
      s.h = std::clamp(p.value("h", 9), 3, 200);
      if (s.x > 23 || s.x + s.w > 24) s.x = -1;
      pv.error = p.value("error", "");
      if (p.contains("results") && pv.error.empty()) {
        auto r = parse_json_results(p["results"].dump());
        if (!r.ok()) return bad("panel " + std::to_string(i + 1) + ": " + r.status().message());
        pv.results = std::move(*r);
      }
      v.panels.push_back(std::move(pv));
    }
    return v;
  } catch (const json::exception& e) {
    return bad(std::string("a damaged snapshot: ") + e.what());
  }
}

Result<View> load_snapshot(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_snapshot(*text, path);
}

Result<std::string> list_snapshots(const std::string& dir, const query::Zone& zone, bool ascii) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return Status::not_found(dir + ": " + ec.message());
  struct Entry {
    int64_t taken;
    std::vector<std::string> cells;
  };
  std::vector<Entry> entries;
  for (const auto& e : it) {
    if (e.path().extension() != ".snap" || !e.is_regular_file(ec)) continue;
    const std::string name = e.path().filename().string();
    auto v = load_snapshot(e.path().string());
    if (!v.ok()) {
      entries.push_back({INT64_MAX, {name, "(does not read: " + v.status().message() + ")", "", "", ""}});
      continue;
    }
    std::string title = v->note.empty()    ? v->title
                        : v->title.empty() ? v->note
                                           : v->note + " (" + v->title + ")";
    entries.push_back({v->taken,
                       {name, title, format_local_second(v->from, zone) + " .. " + format_local_second(v->to, zone),
                        std::to_string(v->panels.size()), format_local_second(v->taken, zone)}});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.taken < b.taken; });
  std::vector<std::vector<std::string>> rows = {{"FILE", "TITLE", "TIME RANGE", "PANELS", "TAKEN"}};
  for (auto& e : entries) rows.push_back(std::move(e.cells));
  // Aligned columns, two spaces apart; the last one as long as it is.
  // (A file that does not read says why across the columns: it sets no width.)
  std::vector<int> width(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (size_t j = 0; j < r.size() && (j == 0 || !r[2].empty()); j++) {
      width[j] = std::max(width[j], display_width(r[j]));
    }
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t j = 0; j < r.size(); j++) {
      line += (j ? "  " : "") + (r[2].empty() && j > 0 ? r[j] : pad_right(r[j], width[j], ascii));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace tsd::render
