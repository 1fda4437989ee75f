// tsd-cq: continuous queries from cron (lib/cq): add, list, drop, run.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "client/client.h"
#include "core/time.h"
#include "core/version.h"
#include "cq/cq.h"
#include "query/format.h"
#include "query/render.h"
#include "storage/paths.h"
#include "storage/store.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

int usage_error(const std::string& m) {
  std::fprintf(stderr, "tsd-cq: %s\n", m.c_str());
  return 2;
}

int fail(const std::string& m) {
  std::fprintf(stderr, "tsd-cq: %s\n", m.c_str());
  return 1;
}

// Runs one statement; its error on stderr.
int statement(tsd::client::Client* c, const std::string& text, int64_t now) {
  tsd::client::QueryOptions o;
  o.now = now;
  tsd::query::Results r = c->query(text, o);
  return r.failed() ? fail(r.first_error()) : 0;
}

int list(const std::string& data, tsd::query::Format format) {
  auto store = tsd::storage::Store::open(data);
  if (!store.ok()) return fail(store.status().message());
  auto& cat = (*store)->catalog();
  auto cqs = cat.continuous_queries();
  if (!cqs.ok()) return fail(cqs.status().message());
  tsd::query::Results r;
  r.results.emplace_back();
  tsd::query::Series s;
  s.name = "continuous_queries";
  s.columns = {"db", "name", "last_run", "query"};
  for (const auto& c : *cqs) {
    auto wm = cat.cq_watermark(c.db, c.name);
    tsd::query::Datum last;
    if (wm.ok() && *wm) last = tsd::query::format_time(**wm, 0);
    s.values.push_back({c.db, c.name, last, c.query});
  }
  if (!s.values.empty()) r.results[0].series.push_back(std::move(s));
  tsd::query::FormatOptions fo;
  fo.format = format;
  std::string out, err;
  tsd::query::format_results(r, fo, &out, &err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Continuous queries from cron: add, list, drop and run them over a tsd data directory.",
               "tsd-cq"};
  app.require_subcommand(1);
  std::string data = tsd::storage::default_data_dir();
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  app.set_version_flag("--version", std::string("tsd-cq ") + tsd::kVersion);

  std::string now_text, since_text, until_text, every_text = "1s", add_text, drop_name, drop_db,
                                                 list_format = "column";
  bool dry_run = false, loop = false, recompute_late = false;
  std::vector<std::string> names;

  auto* add = app.add_subcommand("add", "create a continuous query (CREATE CONTINUOUS QUERY ...)");
  add->add_option("STATEMENT", add_text, "the CREATE CONTINUOUS QUERY statement")->required();
  add->add_option("--now", now_text, "its creation time: its windows start there (default: the clock)");

  auto* lst = app.add_subcommand("list", "list the continuous queries with their last run");
  lst->add_option("--format", list_format, "column, csv, json or line");

  auto* drop = app.add_subcommand("drop", "drop a continuous query");
  drop->add_option("NAME", drop_name, "the continuous query")->required();
  drop->add_option("--db", drop_db, "its database")->required();

  auto* run = app.add_subcommand("run", "run every continuous query that is due (for cron)");
  run->add_option("--now", now_text, "run as if the clock said TIME (RFC 3339, epoch with unit, now()-1h)");
  run->add_option("--since", since_text, "recompute the windows from TIME on (the watermark is left alone)");
  run->add_option("--until", until_text, "with --since: up to TIME (default: the last complete window)");
  run->add_flag("--dry-run", dry_run, "print the windows and SELECT ... INTO statements, run nothing");
  run->add_flag("--recompute-late", recompute_late,
                "also compute again the windows that points were stored into since the last run with it");
  run->add_flag("--loop", loop, "keep running, every --every, until SIGTERM or SIGINT");
  run->add_option("--every", every_text, "with --loop: the time between runs")->capture_default_str();
  run->add_option("NAME", names, "only these continuous queries");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (data.empty()) return usage_error(tsd::storage::kNoDataDir);

  const int64_t clock = tsd::now_ns();
  int64_t now = clock;
  if (!now_text.empty()) {
    auto t = tsd::parse_time(now_text, clock);
    if (!t.ok()) return usage_error("--now: " + t.status().message());
    now = *t;
  }
  auto client = tsd::client::open_local(data);

  if (*add) return statement(client.get(), add_text, now_text.empty() ? 0 : now);
  if (*drop) {
    return statement(client.get(), "DROP CONTINUOUS QUERY " + tsd::query::quote_ident({drop_name}) + " ON " +
                                         tsd::query::quote_ident({drop_db}), 0);
  }
  if (*lst) {
    auto f = tsd::query::parse_format(list_format);
    if (!f.ok()) return usage_error(f.status().message());
    return list(data, *f);
  }

  tsd::cq::RunOptions o;
  o.data_dir = data;
  o.now = now;
  o.names = names;
  o.dry_run = dry_run;
  o.recompute_late = recompute_late;
  if (!since_text.empty()) {
    auto t = tsd::parse_time(since_text, now);
    if (!t.ok()) return usage_error("--since: " + t.status().message());
    o.since = *t;
  }
  if (!until_text.empty()) {
    if (since_text.empty()) return usage_error("--until needs --since");
    auto t = tsd::parse_time(until_text, now);
    if (!t.ok()) return usage_error("--until: " + t.status().message());
    o.until = *t;
  }
  int64_t every = 0;
  if (loop) {
    if (!now_text.empty() || !since_text.empty()) return usage_error("--loop runs on the clock: no --now or --since");
    auto d = tsd::parse_duration(every_text);
    if (!d.ok() || *d <= 0) return usage_error("--every: bad duration \"" + every_text + "\"");
    every = *d;
    struct sigaction sa = {};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
  }
  int status = 0;
  do {
    if (loop) o.now = tsd::now_ns();
    tsd::cq::RunReport report;
    tsd::Status s = tsd::cq::run(client.get(), o, &report);
    if (!s.ok()) {
      fail(s.message());
      if (!loop) return 1;
    }
    if (report.failed > 0) status = 1;
    // Sleep to the next run in short steps, so that a signal ends it soon.
    for (int64_t slept = 0; loop && !g_stop && slept < every; slept += 50 * tsd::kMillisecond) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<int64_t>(every - slept, 50 * tsd::kMillisecond)));
    }
  } while (loop && !g_stop);
  return status;
}
