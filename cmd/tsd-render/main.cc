// tsd-render: draws a query's results (lib/client) or results read from
// stdin (InfluxDB JSON, CSV or line protocol: render/input.h) as a
// terminal panel (lib/render), or as an SVG or HTML page (--output).
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <sstream>

#include "client/client.h"
#include "core/version.h"
#include "render/dashboard.h"
#include "render/input.h"
#include "render/render.h"
#include "storage/paths.h"

namespace {

int fail(const std::string& m, int code) {
  std::fprintf(stderr, "tsd-render: %s\n", m.c_str());
  return code;
}

// Writes `text` to the file at `path`; false (errno set) when it cannot.
bool write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return (std::fclose(f) == 0) && ok;
}

bool ends_with(const std::string& s, std::string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Draw InfluxQL results in the terminal: line charts, sparklines, stats, gauges, bars, tables.",
               "tsd-render"};
  std::string data = tsd::storage::default_data_dir();
  std::string db, rp, execute, panel = "line", zone, thresholds, output;
  int width = 0, height = 0;
  bool ascii = false, block = false, color = false, no_color = false;
  tsd::render::Options o;
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  app.add_option("--db", db, "default database of the query");
  app.add_option("--rp", rp, "default retention policy of the query");
  app.add_option("-e,--execute", execute, "the query to draw (else results are read from stdin)");
  app.add_option("--panel", panel, "line, spark, stat, gauge, bargauge, bar or table (default line)");
  app.add_option("--width", width, "columns (default: the terminal's, else 80)");
  app.add_option("--height", height, "rows (default: the terminal's, else 24)");
  app.add_flag("--ascii", ascii, "plain ASCII only");
  app.add_flag("--block", block, "block characters instead of braille dots");
  app.add_flag("--color", color, "colours even when stdout is not a terminal");
  app.add_flag("--no-color", no_color, "no colours");
  app.add_option("--title", o.title, "a title row");
  app.add_option("--unit", o.unit, "a unit after every value (B, %, s, ...)");
  app.add_option("--tz", zone, "time zone of the time labels (Asia/Seoul; default UTC)");
  app.add_option("--thresholds", thresholds, "stat, gauge, bargauge: Y,R values from which yellow and red");
  app.add_option("--min", o.min, "gauge, bargauge: the scale's low end");
  app.add_option("--max", o.max, "gauge, bargauge, bar: the scale's high end");
  app.add_option("-o,--output", output,
                 "write the panel to FILE.svg or FILE.html, a self-contained page, instead of stdout");
  app.set_version_flag("--version", std::string("tsd-render ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto p = tsd::render::parse_panel(panel);
  if (!p.ok()) return fail(p.status().message(), 2);
  const bool html = ends_with(output, ".html");
  if (!output.empty() && !html && !ends_with(output, ".svg")) {
    return fail("--output: \"" + output + "\" ends in neither .svg nor .html", 2);
  }
  auto z = tsd::query::Zone::load(zone);
  if (!z.ok()) return fail(z.status().message(), 2);
  o.zone = *z;
  if (!thresholds.empty()) {
    std::stringstream ss(thresholds);
    for (std::string item; std::getline(ss, item, ',');) {
      char* end = nullptr;
      double v = std::strtod(item.c_str(), &end);
      if (item.empty() || *end != '\0') return fail("--thresholds: not a number: \"" + item + "\"", 2);
      o.thresholds.push_back(v);
    }
  }

  // The size and colours of the terminal on stdout, unless the flags say.
  winsize ws{};
  const bool tty = isatty(1) != 0;
  const bool have_size = tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0;
  o.width = width > 0 ? width : have_size ? ws.ws_col : 80;
  o.height = height > 0 ? height : have_size ? ws.ws_row : 24;
  o.color = !no_color && (color || (tty && std::getenv("NO_COLOR") == nullptr));
  o.glyphs = ascii ? tsd::render::Glyphs::kAscii : block ? tsd::render::Glyphs::kBlock : tsd::render::Glyphs::kBraille;

  tsd::query::Results r;
  if (!execute.empty()) {
    if (data.empty()) return fail(tsd::storage::kNoDataDir, 2);
    auto client = tsd::client::open_local(data);
    tsd::client::QueryOptions qo;
    qo.db = db;
    qo.rp = rp;
    r = client->query(execute, qo);
  } else {
    if (isatty(0)) return fail("give a query with -e, or results on stdin", 2);
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    auto parsed = tsd::render::parse_results(text);
    if (!parsed.ok()) return fail("stdin: " + parsed.status().message(), 1);
    r = std::move(*parsed);
  }
  if (r.failed()) {
    std::string err = r.error;
    for (const auto& s : r.results) {
      if (err.empty()) err = s.error;
    }
    return fail(err, 1);
  }
  if (!output.empty()) {
    // One panel, the whole width, --height rows of the page's grid.
    tsd::render::View v;
    v.zone = zone;
    tsd::render::PanelView& pv = v.panels.emplace_back();
    pv.spec.title = o.title;
    pv.spec.type = panel;
    pv.spec.unit = o.unit;
    pv.spec.thresholds = o.thresholds;
    pv.spec.min = o.min;
    pv.spec.max = o.max;
    pv.spec.x = pv.spec.y = 0;
    pv.spec.w = 24;
    pv.spec.h = height > 0 ? height : 24;
    pv.results = std::move(r);
    if (!write_file(output, html ? tsd::render::view_html(v) : tsd::render::view_svg(v))) {
      return fail(output + ": " + std::strerror(errno), 1);
    }
    return 0;
  }
  const std::string out = tsd::render::render(*p, r, o);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
