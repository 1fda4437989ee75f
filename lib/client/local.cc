// The local client: the query engine over a data directory (client.h).
#include <sys/stat.h>

#include <cstdlib>

#include "client/client.h"
#include "query/engine.h"
#include "core/strings.h"
#include "lineproto/lineproto.h"
#include "storage/retention.h"
#include "storage/store.h"
#include "storage/writer.h"

namespace tsd::client {
namespace {

// Whether statements may write: CREATE or INTO (a cheap look at the words).
bool writes(std::string_view text) {
  const std::string up = ascii_upper(text);
  return up.find("CREATE") != std::string::npos || up.find("INTO") != std::string::npos;
}

class LocalClient : public Client {
 public:
  explicit LocalClient(std::string dir) : dir_(std::move(dir)) {}

  query::Results query(std::string_view statements, const QueryOptions& o) override {
    query::Results out;
    // A directory without a catalog is made only for statements that
    // write (CREATE, SELECT ... INTO); a read of a missing directory says
    // it is missing instead of leaving one behind.
    Status s = open_store(writes(statements));
    if (!s.ok()) {
      out.error = s.message();
      return out;
    }
    query::ExecOptions eo;
    eo.db = o.db;
    eo.rp = o.rp;
    eo.cancel = o.cancel;
    eo.chunked = o.chunked;
    eo.now = o.now;
    return engine_->execute(statements, eo);
  }

  std::string location() const override { return dir_; }

  Status write(std::string_view lines, const WriteOptions& o) override {
    const std::string not_found = "database not found: \"" + o.db + "\"";
    if (o.db.empty()) return Status::invalid_argument("database is required");
    if (!open_store(false).ok()) return Status::not_found(not_found);
    auto& cat = store_->catalog();
    if (!cat.default_retention_policy(o.db).ok()) return Status::not_found(not_found);
    if (!o.rp.empty()) TSD_RETURN_IF_ERROR(cat.retention_policy(o.db, o.rp).status());
    // Every line is parsed before anything is written: one bad line
    // refuses the whole request, as InfluxDB does.
    std::vector<Point> points;
    lp::ParseOptions po;
    po.precision = o.precision;
    lp::ParsedLine pl;
    for (size_t at = 0; at < lines.size();) {
      size_t end = lp::record_end(lines, at);
      if (end == std::string_view::npos) end = lines.size();
      std::string_view line = lp::detail::strip_cr(lines.substr(at, end - at));
      at = end + 1;
      if (lp::is_blank_or_comment(line)) continue;
      Status p = lp::parse_line(line, po, &pl);
      if (!p.ok()) {
        return Status::invalid_argument("unable to parse '" + std::string(line) + "': " +
                                        p.message());
      }
      points.push_back(lp::to_point(pl));
    }
    storage::WriterOptions wo;
    wo.data_dir = dir_;
    wo.db = o.db;
    wo.rp = o.rp;
    auto w = storage::Writer::open(wo);
    if (!w.ok()) return w.status();
    const int64_t now = tsd::now_ns();
    std::string first_conflict;
    int64_t dropped = 0;
    for (const Point& p : points) {
      Status a = (*w)->add(p, now);
      if (a.code() == Status::Code::kConflict) {
        if (dropped++ == 0) first_conflict = a.message();
        continue;
      }
      TSD_RETURN_IF_ERROR(a);
    }
    TSD_RETURN_IF_ERROR((*w)->close());
    for (const std::string& m : (*w)->take_warnings()) {
      if (dropped++ == 0) first_conflict = m;
    }
    if (dropped > 0) {
      return Status::conflict("partial write: " + first_conflict +
                              " dropped=" + std::to_string(dropped));
    }
    // As influxd: said only when nothing else failed.
    const int64_t beyond = (*w)->stats().points_beyond_retention;
    if (beyond > 0) return Status::conflict(storage::beyond_retention_error(beyond));
    return Status();
  }

 private:
  Status open_store(bool create) {
    if (store_ != nullptr) return Status();
    auto s = storage::Store::open(dir_, create);
    if (!s.ok()) return s.status();
    store_ = std::move(*s);
    engine_ = std::make_unique<query::Engine>(store_.get());
    return Status();
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<query::Engine> engine_;
};

}  // namespace

std::unique_ptr<Client> open_local(const std::string& data_dir) {
  return std::make_unique<LocalClient>(data_dir);
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
  return open_local(o.data_dir);
}

}  // namespace tsd::client
