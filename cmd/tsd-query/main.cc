// tsd-query: for now only --dump (line protocol of what is stored); the
// InfluxQL engine comes with a later change. See storage/dump.h.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "core/version.h"
#include "core/time.h"
#include "storage/paths.h"
#include "storage/dump.h"

int main(int argc, char** argv) {
  CLI::App app{"Query a tsd data directory. Built so far: --dump, line protocol of everything "
               "stored.",
               "tsd-query"};
  std::string data = tsd::storage::default_data_dir();
  tsd::storage::DumpOptions opts;
  std::string start, end;
  bool dump = false;
  app.add_option("--data", data, tsd::storage::kDataDirHelp);
  app.add_option("--db", opts.db, "database (default: all)");
  app.add_option("--rp", opts.rp, "retention policy (default: all)");
  app.add_option("--start", start, "earliest time (RFC 3339, epoch ns or 1600000000s, now()-1h)");
  app.add_option("--end", end, "latest time, inclusive");
  app.add_flag("--dump", dump, "print everything stored as line protocol");
  app.set_version_flag("--version", std::string("tsd-query ") + tsd::kVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!dump) {
    std::fprintf(stderr,
                 "tsd-query: InfluxQL queries are not built yet; only --dump works so far\n");
    return 2;
  }
  if (data.empty()) {
    std::fprintf(stderr, "tsd-query: %s\n", tsd::storage::kNoDataDir);
    return 2;
  }
  int64_t now = tsd::now_ns();
  for (auto [text, out] : {std::pair{&start, &opts.start}, std::pair{&end, &opts.end}}) {
    if (text->empty()) continue;
    auto t = tsd::parse_time(*text, now);
    if (!t.ok()) {
      std::fprintf(stderr, "tsd-query: %s\n", t.status().message().c_str());
      return 2;
    }
    *out = *t;
  }
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
