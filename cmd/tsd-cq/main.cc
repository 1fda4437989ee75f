// tsd-cq: continuous queries from cron (lib/cq): add, list, drop, run.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <thread>

#include "client/client.h"
#include "client/flags.h"
#include "client/remote_http.h"
#include "core/time.h"
#include "core/version.h"
#include "cq/cq.h"
#include "query/format.h"
#include "query/parser.h"
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

// The CQs kept in the data directory's catalog: its own, or those kept
// for `server` (tsd-cq --url).
int list(const std::string& data, const std::string& server, tsd::query::Format format) {
  auto opened = tsd::storage::Catalog::open(data, !server.empty());
  if (!opened.ok()) return fail(opened.status().message());
  tsd::storage::Catalog& cat = **opened;
  auto cqs = server.empty() ? cat.continuous_queries() : cat.server_cqs(server);
  if (!cqs.ok()) return fail(cqs.status().message());
  tsd::query::Results r;
  r.results.emplace_back();
  tsd::query::Series s;
  s.name = "continuous_queries";
  s.columns = {"db", "name", "last_run", "query"};
  for (const auto& c : *cqs) {
    auto wm = server.empty() ? cat.cq_watermark(c.db, c.name)
                             : cat.server_cq_watermark(server, c.db, c.name);
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

// tsd-cq --url add: the CQ checked and kept for the server, its sources
// and INTO qualified with the server's default RPs (as influxd would
// store it); the server itself is not asked to run it.
int add_for_server(tsd::client::Client* c, const std::string& data, const std::string& server,
                   const std::string& text, int64_t created) {
  tsd::query::Parser parser(text);
  auto st = parser.parse_statement();
  if (!st.ok()) return fail("error parsing query: " + st.status().message());
  if (st->kind != tsd::query::Statement::Kind::kCreateContinuousQuery) {
    return fail("not a CREATE CONTINUOUS QUERY statement");
  }
  std::map<std::string, std::string> defaults;  // db -> its default RP on the server
  std::string error;
  const tsd::query::Qualify qualify = [&](std::string* db, std::string* rp) {
    if (db->empty()) *db = st->meta->db;
    if (!rp->empty()) return;
    auto it = defaults.find(*db);
    if (it == defaults.end()) {
      tsd::query::Results r =
          c->query("SHOW RETENTION POLICIES ON " + tsd::query::quote_ident({*db}), {});
      std::string def;
      if (r.failed()) {
        if (error.empty()) error = r.first_error();
      } else if (!r.results.empty()) {
        for (const auto& s : r.results[0].series) {
          for (const auto& row : s.values) {
            if (row.size() >= 5 && row[4].index() == 5 && std::get<bool>(row[4]) &&
                row[0].index() == 4) {
              def = std::get<std::string>(row[0]);
            }
          }
        }
      }
      it = defaults.emplace(*db, def).first;
    }
    *rp = it->second;
  };
  tsd::storage::ContinuousQuery cq{st->meta->db, st->meta->name,
                                   tsd::query::render_continuous_query(*st, qualify)};
  if (!error.empty()) return fail(error);
  if (auto q = tsd::cq::parse(cq); !q.ok()) return fail(q.status().message());
  auto cat = tsd::storage::Catalog::open(data, true);
  if (!cat.ok()) return fail(cat.status().message());
  tsd::Status s = (*cat)->add_server_cq(server, cq, created);
  return s.ok() ? 0 : fail(s.message());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Continuous queries from cron: add, list, drop and run them over a tsd data directory.",
               "tsd-cq"};
  app.require_subcommand(1);
  std::string data = tsd::storage::default_data_dir();
  app.add_option("--data", data,
                 std::string(tsd::storage::kDataDirHelp) +
                     "; with --url, where the server's CQs and their last runs are kept");
  tsd::client::ConnectFlags conn;
  tsd::client::add_remote_flags(&app, &conn);
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
  if (tsd::Status c = tsd::client::finish_flags(&conn); !c.ok()) return usage_error(c.message());
  if (data.empty()) return usage_error(tsd::storage::kNoDataDir);
  conn.options.data_dir = data;
  // --url: the CQs kept for that server (by its base URL) in the data
  // directory's catalog, their SELECT ... INTO run on the server.
  const std::string server =
      conn.options.remote.url.empty() ? "" : tsd::client::http::base_url(conn.options.remote.url);
  if (!server.empty() && recompute_late) {
    return usage_error("--recompute-late reads the data directory's shards, not --url");
  }

  const int64_t clock = tsd::now_ns();
  int64_t now = clock;
  if (!now_text.empty()) {
    auto t = tsd::parse_time(now_text, clock);
    if (!t.ok()) return usage_error("--now: " + t.status().message());
    now = *t;
  }
  auto client = tsd::client::open(conn.options);

  if (*add) {
    if (!server.empty()) return add_for_server(client.get(), data, server, add_text, now);
    return statement(client.get(), add_text, now_text.empty() ? 0 : now);
  }
  if (*drop) {
    if (!server.empty()) {
      auto cat = tsd::storage::Catalog::open(data, true);
      tsd::Status s = cat.ok() ? (*cat)->drop_server_cq(server, drop_db, drop_name) : cat.status();
      return s.ok() ? 0 : fail(s.message());
    }
    return statement(client.get(), "DROP CONTINUOUS QUERY " + tsd::query::quote_ident({drop_name}) + " ON " +
                                         tsd::query::quote_ident({drop_db}), 0);
  }
  if (*lst) {
    auto f = tsd::query::parse_format(list_format);
    if (!f.ok()) return usage_error(f.status().message());
    return list(data, server, *f);
  }

  tsd::cq::RunOptions o;
  o.data_dir = data;
  o.server = server;
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
