// tsd-rp: retention policies of a data directory. create, alter, drop and
// list run InfluxQL statements through lib/client (so the checks and
// messages are the engine's, which are influxd's); enforce deletes the
// shard groups that have expired (storage/retention.h) and shards lists
// them (storage/shard_usage.h). See man/tsd-rp.1.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "client/client.h"
#include "client/flags.h"
#include "core/time.h"
#include "core/version.h"
#include "query/format.h"
#include "query/render.h"
#include "storage/catalog.h"
#include "storage/paths.h"
#include "storage/retention.h"
#include "storage/shard_usage.h"

namespace {

int usage_error(const std::string& m) {
  std::fprintf(stderr, "tsd-rp: %s\n", m.c_str());
  return 2;
}

int fail(const std::string& m) {
  std::fprintf(stderr, "tsd-rp: %s\n", m.c_str());
  return 1;
}

// An option's duration as an InfluxQL literal ("INF" for infinite), or
// empty with *error set when the text is not a duration.
std::string duration_literal(const char* option, const std::string& text, std::string* error) {
  auto d = tsd::parse_duration(text);
  if (!d.ok() || *d < 0) {
    *error = std::string(option) + ": bad duration \"" + text + "\"";
    return {};
  }
  return *d == 0 ? "INF" : tsd::query::render_duration(*d);
}

// Prints results in the format asked; 1 when a statement failed.
int print(const tsd::query::Results& r, tsd::query::Format format) {
  tsd::query::FormatOptions fo;
  fo.format = format;
  std::string out, err;
  tsd::query::format_results(r, fo, &out, &err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return r.failed() ? fail(r.first_error()) : 0;
}

// Runs one statement that answers nothing (CREATE, ALTER, DROP).
int run_statement(const tsd::client::ConnectOptions& conn, const std::string& statement) {
  auto client = tsd::client::open(conn);
  tsd::query::Results r = client->query(statement, {});
  return r.failed() ? fail(r.first_error()) : 0;
}

std::string ident(const std::string& name) { return tsd::query::quote_ident({name}); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Create, change, list and enforce the retention policies of a tsd data directory.",
               "tsd-rp"};
  std::string data = tsd::storage::default_data_dir();
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  tsd::client::ConnectFlags conn;
  tsd::client::add_remote_flags(&app, &conn);
  app.set_version_flag("--version", std::string("tsd-rp ") + tsd::kVersion);
  app.require_subcommand(1);
  app.fallthrough();

  std::string name, db, duration, shard_duration, format = "column", now_text;
  bool make_default = false, dry_run = false;
  auto* create = app.add_subcommand("create", "create a retention policy (CREATE RETENTION POLICY)");
  create->add_option("NAME", name, "the policy's name")->required();
  create->add_option("--db", db, "its database")->required();
  create->add_option("--duration", duration, "how long it keeps data: 30d, 1h30m, INF; at least 1h")
      ->required();
  create->add_option("--shard-duration", shard_duration,
                     "the time each shard group covers (default: by duration, as InfluxDB)");
  create->add_flag("--default", make_default, "make it the database's default policy");

  auto* alter = app.add_subcommand("alter", "change a retention policy (ALTER RETENTION POLICY)");
  alter->add_option("NAME", name, "the policy's name")->required();
  alter->add_option("--db", db, "its database")->required();
  alter->add_option("--duration", duration, "how long it keeps data: 30d, 1h30m, INF; at least 1h");
  alter->add_option("--shard-duration", shard_duration, "the time each new shard group covers");
  alter->add_flag("--default", make_default, "make it the database's default policy");

  auto* drop = app.add_subcommand("drop", "drop a retention policy and its data (DROP RETENTION POLICY)");
  drop->add_option("NAME", name, "the policy's name")->required();
  drop->add_option("--db", db, "its database")->required();

  auto* list = app.add_subcommand("list", "list a database's policies (SHOW RETENTION POLICIES)");
  list->add_option("--db", db, "the database")->required();
  list->add_option("--format", format, "column (the influx shell's table), csv or json")
      ->capture_default_str();

  auto* enforce = app.add_subcommand(
      "enforce", "delete the shard groups whose end is older than now minus their policy's duration");
  enforce->add_option("--now", now_text,
                      "run as if the clock said TIME (RFC 3339, epoch ns or 1600000000s, now()-1h)");
  enforce->add_flag("--dry-run", dry_run, "print what would be deleted, delete nothing");

  auto* shards = app.add_subcommand("shards", "list shard groups: time range, expiry, size, values");
  shards->add_option("--db", db, "only this database's");
  shards->add_option("--format", format, "column (the influx shell's table), csv or json")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (tsd::Status c = tsd::client::finish_flags(&conn); !c.ok()) return usage_error(c.message());
  conn.options.data_dir = data;
  const bool remote = !conn.options.remote.url.empty();
  if (data.empty() && !remote) return usage_error(tsd::storage::kNoDataDir);
  if (remote && (enforce->parsed() || shards->parsed())) {
    return usage_error("enforce and shards read a data directory, not --url");
  }
  auto f = tsd::query::parse_format(format);
  if (!f.ok() || *f == tsd::query::Format::kLine) {
    return usage_error("--format: \"" + format + "\" is not column, csv or json");
  }

  std::string error;
  if (create->parsed() || alter->parsed()) {
    std::string settings;
    if (!duration.empty()) {
      settings += " DURATION " + duration_literal("--duration", duration, &error);
    }
    if (create->parsed()) settings += " REPLICATION 1";
    if (!shard_duration.empty()) {
      settings += " SHARD DURATION " + duration_literal("--shard-duration", shard_duration, &error);
    }
    if (make_default) settings += " DEFAULT";
    if (!error.empty()) return usage_error(error);
    if (settings.empty()) return usage_error("alter: give --duration, --shard-duration or --default");
    return run_statement(conn.options, std::string(create->parsed() ? "CREATE" : "ALTER") +
                                   " RETENTION POLICY " + ident(name) + " ON " + ident(db) +
                                   settings);
  }
  if (drop->parsed()) {
    return run_statement(conn.options, "DROP RETENTION POLICY " + ident(name) + " ON " + ident(db));
  }
  if (list->parsed()) {
    auto client = tsd::client::open(conn.options);
    return print(client->query("SHOW RETENTION POLICIES ON " + ident(db), {}), *f);
  }

  int64_t now = tsd::now_ns();
  if (!now_text.empty()) {
    auto t = tsd::parse_time(now_text, now);
    if (!t.ok()) return usage_error("--now: " + t.status().message());
    now = *t;
  }
  auto cat = tsd::storage::Catalog::open(data, false);
  if (!cat.ok()) return fail(cat.status().message());
  if (enforce->parsed()) {
    tsd::Status s = tsd::storage::enforce_retention(
        **cat, now, dry_run, [](const tsd::storage::ShardGroup& g) {
          std::printf("%s\t%s\t%lld\t%s\t%s\n", g.db.c_str(), g.rp.c_str(),
                      static_cast<long long>(g.id), tsd::format_rfc3339(g.start).c_str(),
                      tsd::format_rfc3339(g.end).c_str());
          std::fflush(stdout);
        });
    if (!s.ok()) return fail(s.message());
    return 0;
  }
  // shards
  auto usage = tsd::storage::shard_group_usage(**cat, db);
  if (!usage.ok()) return fail(usage.status().message());
  tsd::query::Series s;
  s.name = "shards";
  s.columns = {"database", "retention_policy", "id",    "start_time",
               "end_time", "expiry_time",      "bytes", "values"};
  for (const auto& u : *usage) {
    tsd::query::Row row;
    row.emplace_back(u.group.db);
    row.emplace_back(u.group.rp);
    row.emplace_back(u.group.id);
    row.emplace_back(tsd::format_rfc3339(u.group.start));
    row.emplace_back(tsd::format_rfc3339(u.group.end));
    row.emplace_back(tsd::format_rfc3339(u.expiry));
    row.emplace_back(u.bytes);
    row.emplace_back(u.values);
    s.values.push_back(std::move(row));
  }
  tsd::query::Results r;
  r.results.emplace_back();
  r.results[0].series.push_back(std::move(s));
  return print(r, *f);
}
