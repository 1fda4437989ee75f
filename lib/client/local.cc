// The local client: the query engine over a data directory (client.h).
#include <sys/stat.h>

#include "client/client.h"
#include "query/engine.h"
#include "storage/store.h"

namespace tsd::client {
namespace {

// Whether statements may write: CREATE or INTO (a cheap look at the words).
bool writes(std::string_view text) {
  std::string up(text);
  for (char& c : up) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return up.find("CREATE") != std::string::npos || up.find("INTO") != std::string::npos;
}

class LocalClient : public Client {
 public:
  explicit LocalClient(std::string dir) : dir_(std::move(dir)) {}

  query::Results query(std::string_view statements, const QueryOptions& o) override {
    query::Results out;
    if (store_ == nullptr) {
      // A directory without a catalog is made only for statements that
      // write (CREATE, SELECT ... INTO); a read of a missing directory
      // says it is missing instead of leaving one behind.
      auto s = storage::Store::open(dir_, writes(statements));
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
    eo.cancel = o.cancel;
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
