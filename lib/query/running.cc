// The queries this process is running (running.h).
#include "query/running.h"

#include <map>
#include <mutex>

namespace tsd::query {

struct RunningQueries::State {
  mutable std::mutex mu;
  uint64_t next = 1;
  std::map<uint64_t, std::shared_ptr<Query>> queries;
};

RunningQueries::RunningQueries() : state_(std::make_shared<State>()) {}

RunningQueries& RunningQueries::instance() {
  static RunningQueries* r = new RunningQueries();  // (never destroyed: threads may outlive exit)
  return *r;
}

RunningQueries::Listing::~Listing() { owner_->remove(q_->id); }

std::unique_ptr<RunningQueries::Listing> RunningQueries::add(std::string_view text,
                                                               std::string_view db, int64_t now) {
  auto q = std::make_shared<Query>();
  q->text = text;
  q->db = db;
  q->started = now;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    q->id = state_->next++;
    state_->queries[q->id] = q;
  }
  return std::make_unique<Listing>(this, std::move(q));
}

std::vector<RunningQueries::Row> RunningQueries::list() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  std::vector<Row> out;
  for (const auto& [id, q] : state_->queries) out.push_back({id, q->text, q->db, q->started});
  return out;
}

bool RunningQueries::kill(uint64_t id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->queries.find(id);
  if (it == state_->queries.end()) return false;
  it->second->killed.store(true, std::memory_order_relaxed);
  return true;
}

void RunningQueries::remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->queries.erase(id);
}

std::string query_duration(int64_t ns) {
  constexpr int64_t kUs = 1000, kMs = 1000 * kUs, kS = 1000 * kMs;
  if (ns < 0) ns = 0;
  if (ns >= kS) {
    ns -= ns % kS;
  } else if (ns >= kMs) {
    ns -= ns % kMs;
  } else if (ns >= kUs) {
    ns -= ns % kUs;
  }
  if (ns == 0) return "0s";
  if (ns < kUs) return std::to_string(ns) + "ns";
  if (ns < kMs) return std::to_string(ns / kUs) + "µs";
  if (ns < kS) return std::to_string(ns / kMs) + "ms";
  int64_t s = ns / kS;
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
    out += std::to_string(s / 60) + "m";
    s %= 60;
  } else if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  return out + std::to_string(s) + "s";
}

}  // namespace tsd::query
