#include "storage/checkpointer.h"

#include <sqlite3.h>

#include <algorithm>

namespace tsd::storage {

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::request(const std::string& path, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_) return;
  const bool waiting = std::any_of(queue_.begin(), queue_.end(), [&](const Task& t) {
    return t.kind == Kind::kCheckpoint && t.path == path;
  });
  if (waiting) return;
  queue_.push_back(Task{path, name, Kind::kCheckpoint, ++next_seq_});
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  cv_.notify_all();
}

void Checkpointer::forget(const std::string& path) { wait_for(path, Kind::kForget); }

void Checkpointer::settle(const std::string& path) { wait_for(path, Kind::kSettle); }

void Checkpointer::wait_for(const std::string& path, Kind kind) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!thread_.joinable()) return;  // never asked for anything
  // Waiting requests for the file are dropped; the one under way ends first.
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](const Task& t) {
                 return t.kind == Kind::kCheckpoint && t.path == path;
               }),
               queue_.end());
  const int64_t seq = ++next_seq_;
  queue_.push_back(Task{path, std::string(), kind, seq});
  cv_.notify_all();
  cv_.wait(lock, [&] { return done_seq_ >= seq || stop_; });
}

Status Checkpointer::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void Checkpointer::loop() {
  while (true) {
    Task t;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) break;
      t = std::move(queue_.front());
      queue_.pop_front();
    }
    Status s;
    switch (t.kind) {
      case Kind::kCheckpoint: s = checkpoint(t); break;
      case Kind::kSettle: break;
      case Kind::kForget: dbs_.erase(t.path); break;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_seq_ = std::max(done_seq_, t.seq);
      if (!s.ok() && error_.ok()) error_ = s;
    }
    cv_.notify_all();
  }
  dbs_.clear();
}

Status Checkpointer::checkpoint(const Task& t) {
  auto it = dbs_.find(t.path);
  if (it == dbs_.end()) {
    // Its own connection: it reads nothing, keeps no transaction open and
    // leaves the WAL to the writer when it closes.
    Db::Setup setup;
    setup.keep_wal = true;
    setup.always = "PRAGMA synchronous=NORMAL";
    auto db = Db::open(t.path, t.name, setup);
    // Gone meanwhile (its group dropped): nothing to copy.
    if (!db.ok()) return db.status().code() == Status::Code::kNotFound ? Status() : db.status();
    it = dbs_.emplace(t.path, std::move(*db)).first;
  }
  return it->second.checkpoint(SQLITE_CHECKPOINT_PASSIVE);
}

}  // namespace tsd::storage
