// The local client: the query engine over a data directory (client.h).
#include <sys/stat.h>

#include "client/client.h"
#include "query/engine.h"
#include "storage/store.h"

namespace tsd::client {
namespace {

class LocalClient : public Client {
 public:
  explicit LocalClient(std::string dir) : dir_(std::move(dir)) {}

  query::Results query(std::string_view statements, const QueryOptions& o) override {
    query::Results out;
    if (store_ == nullptr) {
      // A directory without a catalog gets one: an empty catalog answers
      // as an empty server does ("database not found: x").
      auto s = storage::Store::open(dir_, true);
      if (!s.ok()) {
        out.error = s.status().message();
        return out;
      }
      store_ = std::move(*s);
      engine_ = std::make_unique<query::Engine>(store_.get());
    }
    query::ExecOptions eo;
    eo.db = o.db;
    eo.rp = o.rp;
    return engine_->execute(statements, eo);
  }

 private:
  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<query::Engine> engine_;
};

}  // namespace

std::unique_ptr<Client> open_local(const std::string& data_dir) {
  return std::make_unique<LocalClient>(data_dir);
}

}  // namespace tsd::client
