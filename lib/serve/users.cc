// The catalog's users for tsd-serve's authentication (server.h).
#include <mutex>

#include "serve/server.h"

namespace tsd::serve {
namespace {

class CatalogUsers : public Users {
 public:
  explicit CatalogUsers(std::string dir) : dir_(std::move(dir)) {}

  Result<bool> admin_exists() override {
    std::lock_guard<std::mutex> l(mu_);
    TSD_RETURN_IF_ERROR(open());
    return catalog_->admin_exists();
  }
  Result<std::optional<storage::User>> find(const std::string& name) override {
    std::lock_guard<std::mutex> l(mu_);
    TSD_RETURN_IF_ERROR(open());
    return catalog_->user(name);
  }
  Result<bool> database_exists(const std::string& db) override {
    std::lock_guard<std::mutex> l(mu_);
    TSD_RETURN_IF_ERROR(open());
    auto rp = catalog_->default_retention_policy(db);
    if (rp.ok()) return true;
    if (rp.status().code() == Status::Code::kNotFound) return false;
    return rp.status();
  }

 private:
  Status open() {
    if (catalog_) return Status();
    auto c = storage::Catalog::open(dir_, true);
    if (!c.ok()) return c.status();
    catalog_ = std::move(*c);
    return Status();
  }

  std::string dir_;
  std::mutex mu_;
  std::unique_ptr<storage::Catalog> catalog_;
};

}  // namespace

std::unique_ptr<Users> catalog_users(std::string data_dir) {
  return std::make_unique<CatalogUsers>(std::move(data_dir));
}

}  // namespace tsd::serve
