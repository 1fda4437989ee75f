// The queries this process is running, for SHOW QUERIES and KILL QUERY
// (influxd's query manager): each Engine::execute() is listed while it
// runs, under an id that counts up from 1, with its text, its database and
// the time it began; KILL QUERY sets its flag, which its statements' loops
// see as the request's own cancel flag (cancel.h) and stop at.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tsd::query {

class RunningQueries {
 public:
  struct Query {
    uint64_t id = 0;
    std::string text;
    std::string db;
    int64_t started = 0;  // ns since the epoch
    std::atomic<bool> killed{false};
  };

  // Lists a query for as long as the Listing lives.
  class Listing {
   public:
    Listing(RunningQueries* owner, std::shared_ptr<Query> q) : owner_(owner), q_(std::move(q)) {}
    ~Listing();
    Listing(const Listing&) = delete;
    Listing& operator=(const Listing&) = delete;
    const std::atomic<bool>* killed() const { return &q_->killed; }

   private:
    RunningQueries* owner_;
    std::shared_ptr<Query> q_;
  };

  static RunningQueries& instance();

  std::unique_ptr<Listing> add(std::string_view text, std::string_view db, int64_t now);
  // The queries running, by id: (id, text, db, started).
  struct Row {
    uint64_t id;
    std::string text;
    std::string db;
    int64_t started;
  };
  std::vector<Row> list() const;
  // Sets the query's flag; false when no query has the id.
  bool kill(uint64_t id);

 private:
  void remove(uint64_t id);
  struct State;
  std::shared_ptr<State> state_;
  RunningQueries();
};

// A duration as influxd's SHOW QUERIES writes it: cut to whole seconds,
// milliseconds or microseconds (the largest unit it reaches), then in Go's
// time.Duration form ("18µs", "250ms", "1m5s").
std::string query_duration(int64_t ns);

}  // namespace tsd::query
