// tsd-serve: InfluxDB 1.x's HTTP API over a data directory (lib/serve);
// see man/tsd-serve.1.
#include <signal.h>

#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "client/client.h"
#include "core/strings.h"
#include "core/version.h"
#include "serve/api.h"
#include "serve/server.h"
#include "storage/paths.h"
#include "storage/store.h"

namespace {

int usage_error(const std::string& m) {
  std::fprintf(stderr, "tsd-serve: %s\n", m.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Request bodies and their parses are megabytes each, one after the
  // other: keep freed memory for the next request instead of mapping and
  // faulting it in again (glibc maps anything over 128 KiB at first, and
  // unmaps it on free). A quarter less CPU per /write.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  CLI::App app{"Serve InfluxDB 1.x's HTTP API (/ping, /health, /query, /write, /api/v2/write) "
               "over a tsd data directory, for Telegraf, Grafana, the influx shell and client "
               "libraries.",
               "tsd-serve"};
  std::string data = tsd::storage::default_data_dir();
  std::string bind = "127.0.0.1:8086";
  tsd::serve::ServerOptions opts;
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  app.add_option("--bind", bind,
                 "address and port to listen on (HOST:PORT, :PORT; port 0: any free port, "
                 "printed on stdout); an address other than loopback needs --auth")
      ->capture_default_str();
  app.add_flag("--auth", opts.auth,
               "require users' credentials (u/p parameters, Basic or Token user:password) once "
               "an admin user exists, and authorize statements and writes by their privileges");
  app.add_option("--max-body", opts.max_body,
                 "largest request body in bytes, after gzip decoding (413 beyond)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--read-timeout", opts.read_timeout_s,
                 "seconds a client may take to send each part of a request")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--write-timeout", opts.write_timeout_s,
                 "seconds a client may take to read each part of an answer")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", opts.threads, "requests served at once (the others wait their turn)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--connections", opts.connections,
                 "connections open at once, each on a thread of its own (the others wait)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  app.set_version_flag("--version", std::string("tsd-serve ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (data.empty()) return usage_error(tsd::storage::kNoDataDir);
  auto addr = tsd::serve::parse_bind(bind);
  if (!addr.ok()) return usage_error("--bind: " + addr.status().message());
  const bool loopback = tsd::is_loopback(addr->host);
  if (!loopback && !opts.auth) {
    return usage_error("--bind " + bind +
                       ": an address other than loopback (127.0.0.1, ::1, localhost) needs "
                       "--auth: the API would be open to anyone");
  }
  opts.host = addr->host;
  opts.port = addr->port;

  // The directory and its catalog, so that the first SHOW DATABASES
  // answers an empty list rather than "no data directory".
  auto store = tsd::storage::Store::open(data, true);
  if (!store.ok()) {
    std::fprintf(stderr, "tsd-serve: %s\n", store.status().message().c_str());
    return 1;
  }
  store->reset();
  auto users = tsd::serve::catalog_users(data);
  if (opts.auth && !loopback) {
    // Until an admin exists, anyone may create one over the API (as
    // influxd): not from the network.
    auto admin = users->admin_exists();
    if (!admin.ok() || !*admin) {
      std::fprintf(stderr,
                   "tsd-serve: --auth on %s: %s; create one first: tsd-query --data %s -e "
                   "\"CREATE USER admin WITH PASSWORD '...' WITH ALL PRIVILEGES\"\n",
                   bind.c_str(),
                   admin.ok() ? "no admin user yet" : admin.status().message().c_str(),
                   data.c_str());
      return 1;
    }
  }

  // SIGINT/SIGTERM stop the server from a thread of its own; requests
  // under way finish.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Its writers let a shard's WAL reach 8 MB (client::LocalOptions).
  auto local = [data] { return tsd::client::open_local(data, {.checkpoint_frames = 4096}); };
  tsd::serve::Server server(opts, local, std::move(users));
  tsd::Status s = server.bind();
  if (!s.ok()) {
    std::fprintf(stderr, "tsd-serve: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("tsd-serve: listening on http://%s:%d\n",
              opts.host.find(':') != std::string::npos ? ("[" + opts.host + "]").c_str()
                                                       : opts.host.c_str(),
              server.port());
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  s = server.run();
  if (!s.ok()) std::fprintf(stderr, "tsd-serve: %s\n", s.message().c_str());
  // Wake the waiter if the server ended on its own.
  kill(getpid(), SIGTERM);
  waiter.join();
  return s.ok() ? 0 : 1;
}
