// lib/client: the one interface through which programs reach data
// (DESIGN.md): run InfluxQL statements and get result sets. The local
// implementation runs the query engine over a data directory; the remote
// one (InfluxDB's HTTP API) comes with --url and fits the same interface,
// so callers do not change.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "lineproto/lineproto.h"
#include "query/result.h"

namespace tsd::storage {
struct User;
}

namespace tsd::client {

struct QueryOptions {
  std::string db;   // the default database (?db=)
  std::string rp;   // the default retention policy (?rp=)
  // Set from another thread or a signal handler to stop the query under
  // way (the shell's Ctrl-C); may be null.
  const std::atomic<bool>* cancel = nullptr;
  bool chunked = false;  // answers as influxd's chunked=true (query::ExecOptions)
  int64_t now = 0;       // now() in ns (0: the clock); local only (tsd-cq --now)
  // Local only (tsd-serve --auth): the statements are authorized for
  // `user` (null: none) before any runs (query::ExecOptions).
  bool authorize = false;
  const storage::User* user = nullptr;
  // /query's params=: a JSON object of the values of $name in the
  // statements (empty: none).
  std::string params;
};

struct WriteOptions {
  std::string db;  // required
  std::string rp;  // empty: the database's default
  Precision precision = Precision::kNanosecond;  // of the lines' timestamps
  // The caller has checked that every line parses (tsd-serve's /write
  // does, outside its lock, to answer partial writes as influxd): the
  // local client then parses each line once, to store it.
  bool checked = false;
  // Local only (tsd-serve: one client, one writer per database, for
  // every connection): when given, the client holds this lock while it
  // reads the catalog and buffers the lines, and lets it go while their
  // batch commits, so that the next write buffers meanwhile (group
  // commit); it returns once its lines are stored. Without it a client
  // belongs to one thread at a time.
  std::mutex* serialize = nullptr;
  // Local only: the lines already parsed (views into the text given),
  // `parsed_count` of them: stored as they are, the text not read again.
  const std::vector<lp::ParsedLine>* parsed = nullptr;
  size_t parsed_count = 0;
};

class Client {
 public:
  virtual ~Client() = default;
  // Runs `statements` (separated by ';'); every failure is in the result
  // sets (a parse error as Results::error, a statement's as its error).
  virtual query::Results query(std::string_view statements, const QueryOptions& o) = 0;
  // Writes line protocol (lines separated by newlines) as InfluxDB's
  // /write takes it: the database and RP must exist; the error is the
  // one InfluxDB answers ("database not found: \"db\"", "unable to parse
  // '<line>': <reason>" when a line is bad (nothing is written), "partial
  // write: <first conflict> dropped=N" when some points were refused,
  // else "partial write: points beyond retention policy dropped=N" when
  // some were older than the RP keeps; the others are stored).
  virtual Status write(std::string_view lines, const WriteOptions& o) = 0;
  // Whether the server answers (/ping); its version in *version. Local:
  // always OK, version empty.
  virtual Status ping(std::string* version) {
    if (version != nullptr) version->clear();
    return Status();
  }
  // Where the data is: the data directory, or the server's URL.
  virtual std::string location() const { return {}; }
  // Another client to the same place, for another thread to use while
  // this one is in use (tsd-write --url's batches in flight): the remote
  // client's own connection. Null when there is none (local).
  virtual std::unique_ptr<Client> another() const { return nullptr; }
};

// Runs one statement of the "# DDL" section of an `influx_inspect export`
// file (tsd-write; storage/ingest.h): CREATE DATABASE or CREATE RETENTION
// POLICY and nothing else (anything else is invalid_argument, so a data
// file cannot drop what is there); its error as the server words it
// ("retention policy already exists" for one with other settings).
Status run_ddl(Client* client, std::string_view statement);

// How a local client's writers keep their shards' WAL.
struct LocalOptions {
  // Frames (2 KiB pages) in a shard's WAL before a commit asks for a
  // checkpoint; 0: storage's default (~2 MB, a small data directory for a
  // live pipe). A server commits every request before answering it and
  // copies the WAL on that path: tsd-serve lets it reach 8 MB (InfluxDB's
  // WAL segments are 10 MB), 10 % more HTTP writes a second.
  int checkpoint_frames = 0;
};

// A client over the data directory `data_dir`. The directory need not
// exist yet: statements that write (CREATE DATABASE, SELECT ... INTO) make
// it; others answer that it does not exist.
std::unique_ptr<Client> open_local(const std::string& data_dir, const LocalOptions& o = {});

// A server speaking InfluxDB 1.x's HTTP API (remote.cc).
struct RemoteOptions {
  std::string url;  // http[s]://host[:port][/path]; "host:port" means http://
  std::string username, password;  // HTTP basic authentication (InfluxDB's u/p)
  std::string token;               // sent as "Authorization: Token <token>"
  // 0: connecting may take 10 s, a query as long as it runs, a write's
  // retries 60 s. Else the bound of each of them (ns).
  int64_t timeout = 0;
  bool insecure = false;  // TLS without verifying the server's certificate
};

// Queries go as GET /query for SELECT (without INTO) and SHOW, else POST,
// with epoch=ns and chunked=true, the chunks merged into the Results as
// the local engine returns them (QueryOptions::chunked: kept as they
// come, the influx shell's way). Writes go as POST /write (gzip when
// large, unless the server is on the loopback) and are retried with backoff on connection errors, 5xx and 429
// (Retry-After honoured) until the timeout; an unreachable server is an
// error naming the URL ("cannot reach http://127.0.0.1:9/: Connection
// refused").
std::unique_ptr<Client> open_remote(const RemoteOptions& o);

// What every program is given to reach data: a data directory, or a
// server (remote.url not empty).
struct ConnectOptions {
  std::string data_dir;
  RemoteOptions remote;
  // The process asks one query() and writes nothing else: the local
  // client opens the files of statements that do not write read-only
  // (storage::Db::allow_read_only_index), which costs a short query less,
  // and reads shard pages without mapping them
  // (storage::Shard::read_without_mapping).
  bool one_query = false;
};

// Fills what flags left empty from the environment: TSD_URL,
// INFLUX_USERNAME, INFLUX_PASSWORD, INFLUX_TOKEN.
void apply_env(ConnectOptions* o);

// The remote client when o.remote.url is set, else the local one.
std::unique_ptr<Client> open(const ConnectOptions& o);

}  // namespace tsd::client
