// tsd-query: InfluxQL over a data directory (lib/client), results as the
// influx shell's table, CSV, InfluxDB's /query JSON or line protocol;
// without -e/-f, the shell (lib/shell) on a terminal or over a script on
// stdin; --dump prints everything stored as `influx_inspect export` does
// (storage/dump.h, its DDL from query::render_ddl).
#include <malloc.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "client/client.h"
#include "client/flags.h"
#include "core/file.h"
#include "core/heap.h"
#include "core/program.h"
#include "core/time.h"
#include "core/version.h"
#include "query/format.h"
#include "query/render.h"
#include "shell/shell.h"
#include "storage/dump.h"
#include "storage/paths.h"

namespace {

// The settings of a shell that goes on in tsd-query-shared (shell.h's
// Settings::relaunch).
constexpr const char* kResumeEnv = "TSD_SHELL_RESUME";

int usage_error(const std::string& m) {
  std::fprintf(stderr, "tsd-query: %s\n", m.c_str());
  return 2;
}

int run_dump(const std::string& data, tsd::storage::DumpOptions opts, const std::string& start,
             const std::string& end) {
  int64_t now = tsd::now_ns();
  for (auto [text, out] : {std::pair{&start, &opts.start}, std::pair{&end, &opts.end}}) {
    if (text->empty()) continue;
    auto t = tsd::parse_time(*text, now);
    if (!t.ok()) return usage_error(t.status().message());
    *out = *t;
  }
  opts.ddl = tsd::query::render_ddl;
  auto store = tsd::storage::Store::open(data);
  if (!store.ok()) {
    std::fprintf(stderr, "tsd-query: %s\n", store.status().message().c_str());
    return 1;
  }
  tsd::Status s = tsd::storage::dump(store->get(), opts, stdout);
  if (!s.ok()) {
    std::fprintf(stderr, "tsd-query: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tsd::map_code_at_once();
  CLI::App app{"Run InfluxQL statements over a tsd data directory and print the results.",
               "tsd-query"};
  std::string data = tsd::storage::default_data_dir();
  tsd::storage::DumpOptions dump_opts;
  std::string start, end, execute, file, format = "column", precision;
  bool dump = false, pretty = false, shell = false;
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  tsd::client::ConnectFlags conn;
  tsd::client::add_remote_flags(&app, &conn);
  app.add_option("--db", dump_opts.db, "default database of the statements (--dump: only this one)");
  app.add_option("--rp", dump_opts.rp,
                 "default retention policy (--dump: only this one); auto: the coarsest that holds "
                 "the time range finely enough (see RETENTION)");
  app.add_option("-e,--execute", execute, "statements to run, separated by ';'");
  app.add_option("-f,--file", file, "read the statements from FILE");
  app.add_option("--format", format, "column (the influx shell's table), csv, json (InfluxDB's /query body) or line (line protocol)");
  app.add_option("--precision", precision,
                 "times as RFC 3339 (rfc3339, the default) or integers in ns, u, ms, s, m or h");
  app.add_flag("--pretty", pretty, "indent JSON");
  app.add_flag("--shell", shell,
               "the interactive shell even when stdin is not a terminal (the default on one)");
  app.add_flag("--dump", dump, "print everything stored as influx_inspect export does: DDL, then line protocol "
               "with CONTEXT lines (with --db, --rp, --start, --end)");
  app.add_option("--start", start, "--dump: earliest time (RFC 3339, epoch ns or 1600000000s, now()-1h)");
  app.add_option("--end", end, "--dump: latest time, inclusive");
  app.set_version_flag("--version", std::string("tsd-query ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (tsd::Status c = tsd::client::finish_flags(&conn); !c.ok()) return usage_error(c.message());
  conn.options.data_dir = data;
  const bool remote = !conn.options.remote.url.empty();
  if (data.empty() && !remote) return usage_error(tsd::storage::kNoDataDir);
  if (dump) {
    if (remote) return usage_error("--dump reads a data directory, not --url");
    return run_dump(data, dump_opts, start, end);
  }
  // Linked statically for its start, tsd-query cannot load libcurl: --url
  // and a script on stdin (whose `connect` may reach a server) run in its
  // twin (core/program.h); the interactive shell goes there when it
  // connects (Settings::relaunch), with its settings and history.
  const bool have_e = app.count("--execute") > 0, have_f = app.count("--file") > 0;
  const bool interactive = !have_e && !have_f && (shell || isatty(0));
  const bool linked_static = tsd::linked_statically();
  auto relaunch = [argv](const std::string& resume) {
    if (!resume.empty()) setenv(kResumeEnv, resume.c_str(), 1);
    return tsd::exec_shared_twin("tsd-query", argv);
  };
  if (linked_static && (remote || (!have_e && !have_f && !interactive))) {
    tsd::Status s = relaunch("");
    std::fprintf(stderr, "tsd-query: %s\n", s.message().c_str());
    return 1;
  }
  // A shell gone on from the static tsd-query (read once: not for the
  // programs it starts, such as the pager).
  std::string resume;
  if (const char* r = std::getenv(kResumeEnv); r != nullptr) {
    resume = r;
    unsetenv(kResumeEnv);
  }

  tsd::query::FormatOptions fo;
  auto f = tsd::query::parse_format(format);
  if (!f.ok()) return usage_error(f.status().message());
  fo.format = *f;
  if (!precision.empty() && precision != "rfc3339") {
    tsd::Status p = tsd::query::check_precision(precision);
    if (!p.ok()) return usage_error(p.message());
    fo.precision = precision;
  }
  fo.pretty = pretty;

  // Decoded columns come and go group by group, rows pile up.
  tsd::keep_heap_for_large_answers(64 << 20);

  // -e '' is a query too (an empty one, which influxd refuses).
  if (have_e && have_f) return usage_error("give statements with -e or -f, not both");
  if (!have_e && !have_f) {
    // The shell: on a terminal (or --shell) interactive, else the lines of
    // stdin as a script. Times print as the influx shell's (ns) unless
    // --precision says otherwise.
    auto client = tsd::client::open(conn.options);
    tsd::shell::Settings ss;
    ss.location = client->location();
    ss.connect = conn.options;
    ss.db = dump_opts.db;
    ss.rp = dump_opts.rp;
    ss.format = fo.format;
    if (!precision.empty()) ss.precision = fo.precision;
    ss.pretty = pretty;
    if (linked_static) ss.relaunch = relaunch;
    tsd::shell::Shell sh(client.get(), ss);
    if (interactive) return tsd::shell::run_terminal(sh, tsd::shell::default_history_file(), resume);
    return tsd::shell::run_script(sh, stdin, stdout);
  }
  std::string text;
  if (have_e) {
    text = execute;
  } else {
    auto f = tsd::read_file(file);
    if (!f.ok()) return usage_error("cannot read " + f.status().message());
    text = std::move(*f);
  }
  // One call answers every statement.
  conn.options.one_query = true;
  auto client = tsd::client::open(conn.options);
  tsd::client::QueryOptions qo;
  qo.db = dump_opts.db;
  qo.rp = dump_opts.rp;
  tsd::query::Results r = client->query(text, qo);
  std::string out, err;
  // A large answer goes out as it is written, not held whole.
  fo.stream = stdout;
  tsd::query::format_results(r, fo, &out, &err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (fo.format == tsd::query::Format::kJson) {
    // The errors are in the document; say them on stderr too.
    if (!r.error.empty()) err += "ERR: " + r.error + "\n";
    for (const auto& s : r.results) {
      if (!s.error.empty()) err += "ERR: " + s.error + "\n";
    }
  }
  std::fwrite(err.data(), 1, err.size(), stderr);
  // Every statement has answered and committed what it wrote (query()
  // keeps no writer open): leave without closing the data directory's
  // files one by one. A close is a tenth of a light query's time, and what
  // it would tidy (the WAL's shared index), the next opener rebuilds.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(r.failed() ? 1 : 0);
}
