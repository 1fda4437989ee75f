// tsd-write: line protocol from stdin or files into a data directory.
// The work is storage::ingest(); see man/tsd-write.1. The statements of
// an export's "# DDL" section go through lib/client (client::run_ddl).
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "client/client.h"
#include "client/flags.h"
#include "client/send.h"
#include "core/heap.h"
#include "core/version.h"
#include "core/time.h"
#include "storage/paths.h"
#include "storage/ingest.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_signal(int) { g_stop = 1; }

int usage_error(const std::string& m) {
  std::fprintf(stderr, "tsd-write: %s\n", m.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write InfluxDB line protocol from FILEs (or standard input) into a tsd data "
               "directory. An influx_inspect export (or tsd-query --dump) goes where its "
               "\"# CONTEXT-DATABASE:\" and \"# CONTEXT-RETENTION-POLICY:\" lines say, after "
               "its \"# DDL\" section's CREATE statements.",
               "tsd-write"};
  tsd::storage::IngestOptions opts;
  std::string data = tsd::storage::default_data_dir();
  std::string precision = "ns";
  std::string flush_interval = "1s";
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  tsd::client::ConnectFlags conn;
  tsd::client::add_remote_flags(&app, &conn);
  app.add_option("--db", opts.writer.db,
                 "database of the lines before any \"# CONTEXT-DATABASE:\" line (created when "
                 "missing)");
  app.add_option("--rp", opts.writer.rp,
                 "retention policy of the lines before any \"# CONTEXT-RETENTION-POLICY:\" line "
                 "(default: the database's default)");
  app.add_option("--precision", precision, "timestamp precision: ns, us, ms, s, m or h")
      ->capture_default_str();
  app.add_option("--batch-size", opts.writer.batch_size,
                 "flush after this many points (--url: lines per request, default 5000)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--flush-interval", flush_interval,
                 "flush buffered points at least this often (0: only at batch size;"
                 " regular files: 0)")
      ->capture_default_str();
  app.add_option("FILE", opts.files, "line protocol files (default: standard input)");
  app.set_version_flag("--version", std::string("tsd-write ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (tsd::Status c = tsd::client::finish_flags(&conn); !c.ok()) return usage_error(c.message());
  const bool remote = !conn.options.remote.url.empty();
  if (data.empty() && !remote) return usage_error(tsd::storage::kNoDataDir);
  opts.writer.data_dir = data;
  auto p = tsd::parse_precision(precision);
  if (!p.ok()) return usage_error("--precision: " + p.status().message());
  opts.precision = *p;
  if (flush_interval == "0") {
    opts.flush_interval = 0;
  } else {
    auto d = tsd::parse_duration(flush_interval);
    if (!d.ok() || *d <= 0) {
      return usage_error("--flush-interval: bad duration \"" + flush_interval + "\"");
    }
    opts.flush_interval = *d;
  }
  opts.progress = isatty(2);
  struct sigaction sa = {};
  sa.sa_handler = on_signal;  // no SA_RESTART: a blocked read returns
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  if (remote) {
    // The server stores the lines: they go through lib/client in batches.
    tsd::client::SendOptions so;
    so.db = opts.writer.db;
    so.rp = opts.writer.rp;
    so.precision = opts.precision;
    so.files = opts.files;
    so.flush_interval = opts.flush_interval;
    if (app.count("--batch-size") > 0) so.batch_lines = opts.writer.batch_size;
    auto client = tsd::client::open(conn.options);
    tsd::client::SendReport rep;
    tsd::Status s = tsd::client::send(client.get(), so, &g_stop, stderr, &rep);
    if (!s.ok()) {
      std::fprintf(stderr, "tsd-write: %s\n", s.message().c_str());
      return 1;
    }
    return rep.lines_rejected > 0 || rep.points_beyond_retention > 0 ? 1 : 0;
  }
  std::unique_ptr<tsd::client::Client> client;
  opts.run_ddl = [&](std::string_view statement) {
    if (!client) client = tsd::client::open_local(data);
    return tsd::client::run_ddl(client.get(), statement);
  };

  // Buffers of a few MB come and go with every batch: keep them in the heap
  // rather than mapping and faulting them in again each time (a tenth of a
  // bulk load's time went to page faults and their zeroing; a live pipe of
  // 200 servers x 300 fields a second took 1,400 faults a second, a third
  // of its CPU, when buffers over 128 KiB were still mapped one by one). A
  // bulk load (files only) goes further: two heaps for all its threads,
  // backed by huge pages (51,000 page faults for 100 hosts x 24 h, then
  // 7,000; one heap made the threads that promote head rows at the end wait
  // for its lock: 1,000 hosts x 4 h closed in 0.6 s, with two in 0.45 s);
  // a live pipe keeps small pages and its small RSS.
  bool bulk = true;
  for (const std::string& f : opts.files.empty() ? std::vector<std::string>{"-"} : opts.files) {
    struct stat st;
    bulk = bulk && (f == "-" ? fstat(0, &st) : stat(f.c_str(), &st)) == 0 && S_ISREG(st.st_mode);
  }
  // A bulk load is cut into batches by size alone: the same batches, blocks
  // and bytes however fast the machine runs.
  if (bulk && app.count("--flush-interval") == 0) opts.flush_interval = 0;
  if (bulk) {
    mallopt(M_ARENA_MAX, 2);
    tsd::keep_heap_for_large_answers(256 << 20);
  } else {
    tsd::keep_heap_for_large_answers(0);
  }

  tsd::storage::IngestReport report;
  tsd::Status s = tsd::storage::ingest(opts, &g_stop, stderr, &report);
  if (!s.ok()) {
    std::fprintf(stderr, "tsd-write: %s\n", s.message().c_str());
    return s.code() == tsd::Status::Code::kInvalidArgument ? 2 : 1;
  }
  return report.lines_rejected > 0 || report.points_beyond_retention > 0 ? 1 : 0;
}
