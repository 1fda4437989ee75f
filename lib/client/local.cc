// The local client: the query engine over a data directory (client.h).
#include <sys/stat.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <utility>

#include "client/client.h"
#include "query/engine.h"
#include "core/strings.h"
#include "lineproto/lineproto.h"
#include "storage/retention.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "storage/writer.h"

namespace tsd::client {
namespace {

// Whether statements (upper-cased) mention any of `words` (a cheap look
// at the words: a false alarm costs only what the answer saves).
bool mentions(std::string_view up, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (up.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// Whether statements may write points or make a database: CREATE, INTO.
bool writes(std::string_view up) { return mentions(up, {"CREATE", "INTO"}); }

// Whether statements may change what a kept Writer relies on (databases,
// RPs, shard groups, stored points).
bool changes_catalog(std::string_view up) {
  return mentions(up, {"DROP", "DELETE", "ALTER", "CREATE"});
}

// Whether statements may write through the catalog's connection (DDL,
// users, DELETE): those that surely do not open it as a reader.
bool writes_catalog(std::string_view up) {
  return mentions(up,
                  {"CREATE", "DROP", "DELETE", "ALTER", "INTO", "GRANT", "REVOKE", "SET", "KILL"});
}

class LocalClient : public Client {
 public:
  LocalClient(std::string dir, const LocalOptions& o) : dir_(std::move(dir)), opts_(o) {}
  ~LocalClient() override { close_writers(); }

  query::Results query(std::string_view statements, const QueryOptions& o) override {
    query::Results out;
    // A directory without a catalog is made only for statements that
    // write (CREATE, SELECT ... INTO); a read of a missing directory says
    // it is missing instead of leaving one behind.
    const std::string up = ascii_upper(statements);
    Status s = open_store(writes(up), !writes_catalog(up));
    if (!s.ok()) {
      out.error = s.message();
      return out;
    }
    // Kept writers store what they hold and let go first: a DROP or DELETE
    // sees every point written before it, and no writer keeps a shard of
    // something dropped.
    if (changes_catalog(up)) close_writers();
    query::ExecOptions eo;
    eo.db = o.db;
    eo.rp = o.rp;
    eo.cancel = o.cancel;
    eo.chunked = o.chunked;
    eo.now = o.now;
    eo.authorize = o.authorize;
    eo.user = o.user;
    query::BoundParams params;
    if (!o.params.empty()) {
      auto p = query::parse_bound_params(o.params);
      if (!p.ok()) {
        out.error = "error parsing query parameters: " + p.status().message();
        return out;
      }
      params = std::move(*p);
      eo.params = &params;
    }
    return engine_->execute(statements, eo);
  }

  std::string location() const override { return dir_; }

  Status write(std::string_view lines, const WriteOptions& o) override {
    std::unique_lock<std::mutex> held;
    if (o.serialize) held = std::unique_lock<std::mutex>(*o.serialize);
    const std::string not_found = "database not found: \"" + o.db + "\"";
    if (o.db.empty()) return Status::invalid_argument("database is required");
    if (!open_store(false, true).ok()) return Status::not_found(not_found);
    auto& cat = store_->catalog();
    if (!cat.default_retention_policy(o.db).ok()) return Status::not_found(not_found);
    if (!o.rp.empty()) TSD_RETURN_IF_ERROR(cat.retention_policy(o.db, o.rp).status());
    // Every line is parsed before anything is written: one bad line
    // refuses the whole request, as InfluxDB does (unless the caller
    // checked them: `checked`, `parsed`). Then each is parsed again into
    // the same ParsedLine and handed to the writer (or the caller's parses
    // are): no copy of a point.
    lp::ParseOptions po;
    po.precision = o.precision;
    lp::ParsedLine pl;
    if (!o.checked && o.parsed == nullptr) {
      TSD_RETURN_IF_ERROR(lp::for_each_record(lines, [&](std::string_view line) {
        Status p = lp::parse_line(line, po, &pl);
        if (p.ok()) return p;
        return Status::invalid_argument("unable to parse '" + std::string(line) + "': " + p.message());
      }));
    }
    auto got = writer(o.db, o.rp);
    if (!got.ok()) return got.status();
    // Kept alive while its batch commits, even if another write replaces
    // it meanwhile.
    std::shared_ptr<storage::Writer> w = *got;
    // Every line is known to parse: the store pass leaves the tags of a
    // series text the writer has seen unparsed (as tsd-write does).
    po.defer_tags = true;
    const int64_t beyond_before = w->stats().points_beyond_retention;
    const int64_t now = tsd::now_ns();
    std::string first_conflict;
    int64_t dropped = 0;
    auto store = [&](const lp::ParsedLine& line) {
      Status a = w->add(line, now);
      if (a.code() == Status::Code::kConflict) {
        if (dropped++ == 0) first_conflict = a.message();
        return Status();
      }
      return a;
    };
    Status st;
    if (o.parsed != nullptr) {
      for (size_t k = 0; k < o.parsed_count && st.ok(); k++) st = store((*o.parsed)[k]);
    } else {
      st = lp::for_each_record(lines, [&](std::string_view line) {
        TSD_RETURN_IF_ERROR(lp::parse_line(line, po, &pl));
        return store(pl);
      });
    }
    const int64_t beyond = w->stats().points_beyond_retention - beyond_before;
    // Stored (committed) before the answer, as the live pipe stores a
    // second; the writer compacts as it goes, and on close. With
    // `serialize`, the next write buffers while this batch commits.
    if (st.ok()) st = w->flush_async();
    const int64_t ticket = w->flush_ticket();
    if (held) held.unlock();
    if (st.ok()) st = w->wait_flushed(ticket);
    if (!st.ok()) {
      if (o.serialize) held.lock();
      drop_writer(o.db, o.rp, w.get());
      return st;
    }
    for (const std::string& m : w->take_warnings()) {
      if (dropped++ == 0) first_conflict = m;
    }
    if (dropped > 0) {
      return Status::conflict("partial write: " + first_conflict +
                              " dropped=" + std::to_string(dropped));
    }
    // As influxd: said only when nothing else failed.
    if (beyond > 0) return Status::conflict(storage::beyond_retention_error(beyond));
    return Status();
  }

 private:
  // The Writer of (db, rp), kept between writes (opening one and closing
  // it, which compacts, per request is what a server cannot afford); a
  // new one when the catalog changed under it (another connection
  // committed: a dropped database, a new RP, another writer's shard group).
  Result<std::shared_ptr<storage::Writer>> writer(const std::string& db, const std::string& rp) {
    auto version = store_->catalog().data_version();
    if (!version.ok()) return version.status();
    const auto key = std::make_pair(db, rp);
    auto it = writers_.find(key);
    if (it != writers_.end() && it->second.version == *version) return it->second.w;
    drop_writer(db, rp);
    storage::WriterOptions wo;
    wo.data_dir = dir_;
    wo.db = db;
    wo.rp = rp;
    if (opts_.checkpoint_frames > 0) wo.checkpoint_frames = opts_.checkpoint_frames;
    auto w = storage::Writer::open(wo);
    if (!w.ok()) return w.status();
    // (Opening may itself write the catalog: look again.)
    auto after = store_->catalog().data_version();
    if (!after.ok()) return after.status();
    Kept& k = writers_[key];
    k.w = std::move(*w);
    k.version = *after;
    return k.w;
  }

  // Closes and forgets the writer of (db, rp) (only if it is still
  // `which`, when given).
  void drop_writer(const std::string& db, const std::string& rp,
                   const storage::Writer* which = nullptr) {
    auto it = writers_.find(std::make_pair(db, rp));
    if (it == writers_.end() || (which && it->second.w.get() != which)) return;
    (void)it->second.w->close();  // best effort: what it held was flushed
    writers_.erase(it);
  }

  void close_writers() {
    for (auto& [key, k] : writers_) (void)k.w->close();
    writers_.clear();
  }

  // The store, opened for reading only while nothing asked for more.
  Status open_store(bool create, bool reader) {
    if (store_ != nullptr && (reader || !store_reader_)) return Status();
    engine_.reset();
    store_.reset();
    auto s = storage::Store::open(dir_, create, reader);
    if (!s.ok()) return s.status();
    store_ = std::move(*s);
    store_reader_ = reader;
    engine_ = std::make_unique<query::Engine>(store_.get());
    return Status();
  }

  struct Kept {
    std::shared_ptr<storage::Writer> w;
    int64_t version = 0;  // the catalog's data_version when it was opened
  };

  std::string dir_;
  LocalOptions opts_;
  std::unique_ptr<storage::Store> store_;
  bool store_reader_ = false;
  std::unique_ptr<query::Engine> engine_;
  std::map<std::pair<std::string, std::string>, Kept> writers_;
};

}  // namespace

std::unique_ptr<Client> open_local(const std::string& data_dir, const LocalOptions& o) {
  return std::make_unique<LocalClient>(data_dir, o);
}

void apply_env(ConnectOptions* o) {
  auto env = [](const char* name, std::string* out) {
    const char* v = std::getenv(name);
    if (out->empty() && v != nullptr) *out = v;
  };
  env("TSD_URL", &o->remote.url);
  env("INFLUX_USERNAME", &o->remote.username);
  env("INFLUX_PASSWORD", &o->remote.password);
  env("INFLUX_TOKEN", &o->remote.token);
}

std::unique_ptr<Client> open(const ConnectOptions& o) {
  if (!o.remote.url.empty()) return open_remote(o.remote);
  if (o.one_query) {
    storage::Db::allow_read_only_index();
    storage::Shard::read_without_mapping();
  }
  return open_local(o.data_dir);
}

}  // namespace tsd::client
