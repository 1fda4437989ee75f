#include "storage/store.h"

#include "storage/paths.h"

namespace tsd::storage {

Result<std::unique_ptr<Store>> Store::open(const std::string& data_dir, bool create,
                                           bool reader) {
  auto cat = Catalog::open(data_dir, create, reader);
  if (!cat.ok()) return cat.status();
  std::unique_ptr<Store> s(new Store());
  s->catalog_ = std::move(*cat);
  s->reader_ = reader;
  s->catalog_->keep_wal_on_close();
  return s;
}

Result<std::vector<OpenShard>> Store::shards(const std::string& db, const std::string& rp,
                                             int64_t start, int64_t end) {
  auto policy = catalog_->retention_policy(db, rp);
  if (!policy.ok()) return policy.status();
  auto groups = catalog_->shard_groups(db, rp, start, end);
  if (!groups.ok()) return groups.status();
  std::vector<OpenShard> out;
  for (const auto& g : *groups) {
    auto it = open_.find(g.id);
    if (it == open_.end()) {
      auto sh = Shard::open(catalog_->shard_path(g), shard_display_name(g.db, g.rp, g.id), false,
                          /*reader=*/true, reader_);
      if (!sh.ok()) {
        if (sh.status().code() == Status::Code::kNotFound) continue;
        return sh.status();
      }
      (*sh)->set_interrupt(interrupt_);
      it = open_.emplace(g.id, Opened{g, std::move(*sh)}).first;
    }
    out.push_back({g, it->second.shard.get()});
  }
  return out;
}

Result<std::vector<OpenShard>> Store::database_shards(const std::string& db) {
  auto rps = catalog_->retention_policies(db);
  if (!rps.ok()) return rps.status();
  std::vector<OpenShard> out;
  for (const auto& rp : *rps) {
    auto part = shards(db, rp.name, INT64_MIN, INT64_MAX);
    if (!part.ok()) return part.status();
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

void Store::set_interrupt(const std::atomic<bool>* flag) {
  interrupt_ = flag;
  for (auto& [id, o] : open_) o.shard->set_interrupt(flag);
}

void Store::close_shards(const std::string& db, const std::string& rp, int64_t group) {
  std::erase_if(open_, [&](const auto& kv) {
    const ShardGroup& g = kv.second.group;
    return (db.empty() || g.db == db) && (rp.empty() || g.rp == rp) && (group == 0 || g.id == group);
  });
}

}  // namespace tsd::storage
