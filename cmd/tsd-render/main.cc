// tsd-render: draws a query's results (lib/client) or results read from
// stdin (InfluxDB JSON, CSV or line protocol: render/input.h) as a
// terminal panel (lib/render); a dashboard file (render/dashboard.h), once
// or live; a snapshot again; the list of snapshots in a directory; --follow
// draws line protocol on stdin as it streams in (render/follow.h) on a live
// screen (render/screen.h); --output writes SVG or HTML instead.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <sstream>

#include "client/client.h"
#include "client/flags.h"
#include "core/file.h"
#include "core/time.h"
#include "core/version.h"
#include "render/dashboard.h"
#include "render/follow.h"
#include "render/input.h"
#include "render/render.h"
#include "render/screen.h"
#include "storage/paths.h"

namespace {

int fail(const std::string& m, int code) {
  std::fprintf(stderr, "tsd-render: %s\n", m.c_str());
  return code;
}

// Writes the view as the page --output names (.html, else .svg); the exit status.
int write_output(const tsd::render::View& v, const std::string& path) {
  const bool html = path.ends_with(".html");
  auto st = tsd::write_file(path, html ? tsd::render::view_html(v) : tsd::render::view_svg(v));
  return st.ok() ? 0 : fail(st.message(), 1);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Draw InfluxQL results and dashboards in the terminal: line charts, sparklines, stats, gauges, "
               "bars, tables, heatmaps (or SVG/HTML pages).",
               "tsd-render"};
  std::string data = tsd::storage::default_data_dir();
  std::string db, rp, execute, panel = "line", zone, thresholds, output;
  std::vector<std::string> args, vars;
  std::string open, snapshot, watch_every;
  tsd::render::RunOptions ro;
  int width = 0, height = 0;
  bool ascii = false, block = false, color = false, no_color = false, follow = false;
  std::string window = "5m", select;
  tsd::render::Options o;
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  tsd::client::ConnectFlags conn;
  tsd::client::add_remote_flags(&app, &conn);
  app.add_option("--db", db, "default database of the query (with a dashboard: instead of its own)");
  app.add_option("--rp", rp, "default retention policy of the query");
  app.add_option("-e,--execute", execute, "the query to draw (else results are read from stdin)");
  app.add_option("--panel", panel, "line, spark, stat, gauge, bargauge, bar, table or heatmap (default line)");
  app.add_option("--width", width, "columns (default: the terminal's, else 80)");
  app.add_option("--height", height, "rows (default: the terminal's, else 24; a dashboard: its grid's, or fitted into N)");
  app.add_flag("--ascii", ascii, "plain ASCII only");
  app.add_flag("--block", block, "block characters instead of braille dots");
  app.add_flag("--color", color, "colours even when stdout is not a terminal");
  app.add_flag("--no-color", no_color, "no colours");
  app.add_option("--title", o.title, "a title row; with a dashboard, the title of its snapshot");
  app.add_option("--unit", o.unit, "a unit after every value (B, %, s, ...)");
  app.add_option("--tz", zone, "time zone of the time labels (Asia/Seoul; default UTC)");
  app.add_option("--thresholds", thresholds, "stat, gauge, bargauge: Y,R values from which yellow and red");
  app.add_option("--min", o.min, "gauge, bargauge: the scale's low end");
  app.add_option("--max", o.max, "gauge, bargauge, bar: the scale's high end");
  app.add_option("dashboard", args, "a dashboard file (DASHBOARD.toml), or: snapshots [DIR]");
  app.add_option("--var", vars, "dashboard: a variable's value, name=value (again for several)");
  app.add_option("--from", ro.from, "dashboard: start of the time range (now-6h, RFC 3339, epoch ms)");
  app.add_option("--to", ro.to, "dashboard: end of the time range (default the file's, else now)");
  app.add_option("--snapshot", snapshot, "dashboard: also save it with its data to FILE.snap (--title: its title)");
  bool watching = false;
  app.add_option("--watch", watch_every,
                 "dashboard: redraw it in place every DURATION (default: the file's refresh, else 5s) until q or Ctrl-C")
      ->expected(0, 1);
  app.add_option("--open", open, "draw a snapshot file again, with no data directory");
  app.add_flag("--follow", follow, "draw line protocol on stdin as it streams in, until its end or q");
  app.add_option("--window", window, "--follow: the time kept before the newest point (default 5m)");
  app.add_option("--select", select, "--follow: only measurement.field globs (cpu.usage_*,mem.used), tag=glob narrows the one before");
  app.add_option("-o,--output", output,
                 "write the panel or dashboard to FILE.svg or FILE.html, a self-contained page, instead of stdout");
  app.set_version_flag("--version", std::string("tsd-render ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (tsd::Status c = tsd::client::finish_flags(&conn); !c.ok()) return fail(c.message(), 2);
  conn.options.data_dir = data;
  auto p = tsd::render::parse_panel(panel);
  if (!p.ok()) return fail(p.status().message(), 2);
  if (!output.empty() && !output.ends_with(".html") && !output.ends_with(".svg")) {
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

  // tsd-render snapshots [DIR]
  if (!args.empty() && args[0] == "snapshots") {
    if (args.size() > 2) return fail("snapshots takes one directory", 2);
    auto list = tsd::render::list_snapshots(args.size() == 2 ? args[1] : ".", o.zone,
                                            o.glyphs == tsd::render::Glyphs::kAscii);
    if (!list.ok()) return fail(list.status().message(), 1);
    std::fwrite(list->data(), 1, list->size(), stdout);
    return 0;
  }
  watching = app.count("--watch") > 0;
  // "--watch dash.toml": the flag took the file for its period.
  if (watching && args.empty() && !watch_every.empty() && !tsd::parse_duration(watch_every).ok()) {
    args.push_back(watch_every);
    watch_every.clear();
  }
  if (args.size() > 1) return fail("one dashboard file at a time (given: " + args[1] + ")", 2);

  // A dashboard (or a snapshot of one): drawn once.
  if (!args.empty() || !open.empty()) {
    if (!args.empty() && !open.empty()) return fail("--open draws a snapshot: give no dashboard file with it", 2);
    if (!execute.empty()) return fail("-e draws one query: give no dashboard file with it", 2);
    tsd::render::View v;
    std::vector<std::string> warnings;
    if (!open.empty()) {
      auto snap = tsd::render::load_snapshot(open);
      if (!snap.ok()) return fail(snap.status().message(), 1);
      v = std::move(*snap);
    } else {
      auto d = tsd::render::load_dashboard(args[0]);
      if (!d.ok()) return fail(d.status().message(), 1);
      for (const auto& kv : vars) {
        const size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) return fail("--var " + kv + ": expected name=value", 2);
        ro.vars.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      }
      for (const std::string* t : {&ro.from, &ro.to}) {
        if (t->empty()) continue;
        auto ok = tsd::render::parse_time_expr(*t, 0, o.zone, false);
        if (!ok.ok()) return fail((t == &ro.from ? "--from: " : "--to: ") + ok.status().message(), 2);
      }
      if (data.empty() && conn.options.remote.url.empty()) return fail(tsd::storage::kNoDataDir, 2);
      if (zone.empty() && !d->timezone.empty()) {
        if (auto dz = tsd::query::Zone::load(d->timezone); dz.ok()) o.zone = *dz;
      }
      if (!db.empty()) d->db = db;  // --db over the file's database
      ro.rp = rp;
      ro.width = o.width;
      auto client = tsd::client::open(conn.options);
      if (watching) {
        if (watch_every.empty()) watch_every = d->refresh.empty() ? "5s" : d->refresh;
        auto period = tsd::parse_duration(watch_every);
        if (!period.ok() || *period <= 0) return fail("--watch " + watch_every + ": not a duration such as 5s", 2);
        if (!snapshot.empty() || !output.empty()) return fail("--snapshot and --output save one drawing: give no --watch with them", 2);
        tsd::render::LiveScreen screen;
        if (screen.interactive() && !color && !no_color) o.color = std::getenv("NO_COLOR") == nullptr;
        bool warned = false;
        tsd::render::watch(screen, *period, [&](int w, int) {
          o.width = width > 0 ? width : w;
          o.height = height;  // the grid's (scrolled), unless --height says
          ro.width = o.width;
          std::vector<std::string> warn;
          tsd::render::View live = tsd::render::run_dashboard(*d, *client, ro, warned ? nullptr : &warn);
          warned = true;
          std::string head;
          for (const auto& x : warn) head += "tsd-render: " + x + "\n";
          return head + tsd::render::draw_view(live, o);
        });
        return 0;
      }
      v = tsd::render::run_dashboard(*d, *client, ro, &warnings);
      v.note = o.title;
    }
    for (const auto& w : warnings) std::fprintf(stderr, "tsd-render: %s\n", w.c_str());
    if (!snapshot.empty()) {
      auto st = tsd::write_file(snapshot, tsd::render::snapshot_json(v));
      if (!st.ok()) return fail(st.message(), 1);
    }
    if (!output.empty()) {
      if (int rc = write_output(v, output)) return rc;
    } else {
      o.height = height;  // the grid's height, unless --height says
      const std::string out = tsd::render::draw_view(v, o);
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    for (const auto& p : v.panels) {
      if (!p.error.empty()) return 1;
    }
    return 0;
  }

  if (follow) {
    if (!execute.empty()) return fail("--follow reads stdin: no -e", 2);
    if (isatty(0)) return fail("--follow: give line protocol on stdin (tsd-collect | tsd-render --follow)", 2);
    tsd::render::FollowOptions fo;
    auto w = tsd::parse_duration(window);
    if (!w.ok() || *w <= 0) return fail("--window: not a duration: \"" + window + "\"", 2);
    fo.window = *w;
    if (!select.empty()) {
      auto sel = tsd::render::parse_select(select);
      if (!sel.ok()) return fail(sel.status().message(), 2);
      fo.select = std::move(*sel);
    }
    tsd::render::Follow acc(fo);
    tsd::render::LiveScreen screen;
    // On the terminal the size follows it, unless the flags say.
    if (screen.interactive()) {
      o.width = width;
      o.height = height;
    }
    bool quit = false;
    std::string last = tsd::render::run_follow(screen, acc, *p, o, 0, &quit);
    if (quit) return 0;
    if (screen.interactive()) {
      int w = 0, h = 0;
      screen.size(&w, &h);
      if (o.width <= 0) o.width = w;
      if (o.height <= 0) o.height = std::max(5, h - 1);  // and a row for the prompt
      screen.restore();  // the last frame stays on the normal screen
      last = tsd::render::follow_frame(acc, *p, o);
    }
    std::fwrite(last.data(), 1, last.size(), stdout);
    return 0;
  }

  tsd::query::Results r;
  if (!execute.empty()) {
    if (data.empty() && conn.options.remote.url.empty()) return fail(tsd::storage::kNoDataDir, 2);
    auto client = tsd::client::open(conn.options);
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
    return write_output(v, output);
  }
  const std::string out = tsd::render::render(*p, r, o);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
