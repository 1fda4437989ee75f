// Cancellation of running statements (ExecOptions::cancel): a statement
// under way stops soon after the flag is set and fails with kInterrupted;
// a flag set before execute() stops the first statement; a flag never set
// changes nothing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lineproto/lineproto.h"
#include "query/engine.h"
#include "query/running.h"
#include "storage/writer.h"

namespace tsd::query {
namespace {

using clk = std::chrono::steady_clock;

// Writes `n` lines made by line(i) into db "db" of data directory `dir`.
template <class Line>
void write_lines(const std::string& dir, size_t n, Line line) {
  storage::WriterOptions o;
  o.data_dir = dir;
  o.db = "db";
  auto w = storage::Writer::open(o);
  ASSERT_TRUE(w.ok()) << w.status().message();
  std::string text;
  for (size_t i = 0; i < n; i++) {
    text = line(i);
    lp::ParsedLine pl;
    ASSERT_TRUE(lp::parse_line(text, {}, &pl).ok()) << text;
    ASSERT_TRUE((*w)->add(pl, 0).ok());
    if ((*w)->should_flush()) {
      ASSERT_TRUE((*w)->flush_async().ok());
    }
  }
  ASSERT_TRUE((*w)->close().ok());
}

// m: 4 series of 500,000 points 2 ms apart over [0, 1000s); many: 20,000
// series of 50 points 100 ms apart (0s .. 4.9s).
constexpr int64_t kPerSeries = 500000;
constexpr int kManySeries = 20000;
constexpr int kManyPoints = 50;

void write_big(const std::string& dir) {
  write_lines(dir, 4 * kPerSeries, [](size_t i) {
    const size_t t = i / 4, h = i % 4;
    return "m,host=h" + std::to_string(h) + " v=" + std::to_string(t % 97) + "i " +
           std::to_string(static_cast<int64_t>(t) * 2000000);
  });
}

void write_many(const std::string& dir) {
  write_lines(dir, kManySeries * kManyPoints, [](size_t i) {
    const size_t s = i % kManySeries, k = i / kManySeries;
    return "many,host=h" + std::to_string(s) + ",dc=d" + std::to_string(s % 10) + " v=" +
           std::to_string(k) + ".5 " + std::to_string(k * 100000000);
  });
}

// The options of a request on db "db", with `flag` as its cancel flag.
ExecOptions options(const std::atomic<bool>* flag = nullptr) {
  ExecOptions o;
  o.db = "db";
  o.cancel = flag;
  return o;
}

struct Timed {
  Results results;
  double total_ms = 0;
  double after_flag_ms = -1;  // from the flag to execute()'s return; -1: not set
};

// Runs `q`, setting the flag `delay` after the start (when it still runs).
Timed run_cancelled(Engine& e, const std::string& q, std::chrono::milliseconds delay) {
  std::atomic<bool> flag{false};
  const ExecOptions o = options(&flag);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  clk::time_point set_at{};
  const auto t0 = clk::now();
  std::thread canceller([&] {
    std::unique_lock<std::mutex> l(mu);
    if (cv.wait_for(l, delay, [&] { return done; })) return;
    set_at = clk::now();
    flag.store(true);
  });
  Timed r;
  r.results = e.execute(q, o);
  const auto t1 = clk::now();
  {
    std::lock_guard<std::mutex> l(mu);
    done = true;
  }
  cv.notify_all();
  canceller.join();
  auto ms = [](clk::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  r.total_ms = ms(t1 - t0);
  if (set_at != clk::time_point{}) r.after_flag_ms = ms(t1 - set_at);
  return r;
}

int64_t count_of(Engine& e, const std::string& q) {
  Results r = e.execute(q, options());
  if (r.failed() || r.results.empty() || r.results[0].series.empty()) return -1;
  const auto& d = r.results[0].series[0].values[0][1];
  return d.index() == 2 ? std::get<int64_t>(d) : -1;
}

class QueryCancel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/tsd-cancel-test.XXXXXX";
    dir_ = new std::string(mkdtemp(tmpl));
    write_big(*dir_);
    write_many(*dir_);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(*dir_, ec);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    auto s = storage::Store::open(*dir_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }

  // The flag set 30 ms in: `q` fails with kInterrupted, within 2 s of it
  // (generous: the figures printed are what to look at).
  void expect_interrupted(const std::string& q) {
    Engine e(store_.get());
    Timed r = run_cancelled(e, q, std::chrono::milliseconds(30));
    std::printf("  cancel: %.1f ms after the flag (%.1f ms in all): %s\n", r.after_flag_ms,
                r.total_ms, q.c_str());
    ASSERT_GE(r.after_flag_ms, 0) << "finished before the flag was set: " << q;
    ASSERT_EQ(r.results.results.size(), 1u) << q;
    EXPECT_EQ(r.results.results[0].error, kInterrupted) << q;
    EXPECT_TRUE(r.results.results[0].series.empty()) << q;
    EXPECT_LT(r.after_flag_ms, 2000) << q;
  }

  static std::string* dir_;
  std::unique_ptr<storage::Store> store_;
};

std::string* QueryCancel::dir_ = nullptr;

TEST_F(QueryCancel, RawSelect) { expect_interrupted("SELECT v FROM m"); }

TEST_F(QueryCancel, RawSelectWithTags) { expect_interrupted("SELECT v, host FROM m"); }

TEST_F(QueryCancel, MillionWindows) {
  // 1,000,000 windows, each filled: materialised before the rows are made.
  expect_interrupted(
      "SELECT count(v) FROM m WHERE time >= 0 AND time < 1000s GROUP BY time(1ms) fill(0)");
  expect_interrupted(
      "SELECT mean(v) FROM m WHERE time >= 0 AND time < 1000s GROUP BY time(1ms), host "
      "fill(linear)");
}

TEST_F(QueryCancel, ManySeries) {
  expect_interrupted("SELECT mean(v) FROM many GROUP BY host");
  expect_interrupted("SELECT max(v), min(v) FROM many GROUP BY *");
}

TEST_F(QueryCancel, Subquery) {
  expect_interrupted(
      "SELECT max(v) FROM (SELECT mean(v) AS v FROM m WHERE time >= 0 AND time < 1000s "
      "GROUP BY time(1ms))");
}

TEST_F(QueryCancel, Transformation) { expect_interrupted("SELECT derivative(v) FROM m"); }

TEST_F(QueryCancel, Into) { expect_interrupted("SELECT v INTO copy FROM m"); }

// SHOW QUERIES from another request lists a query while it runs (its id,
// text, database, duration, "running"); KILL QUERY stops it as its cancel
// flag would; an id no query has is an error.
TEST_F(QueryCancel, ShowAndKillQuery) {
  Engine e(store_.get());
  const std::string slow = "SELECT mean(v) FROM m WHERE time >= 0 AND time < 1000s GROUP BY time(1ms), host";
  Results slow_result;
  std::thread runner([&] { slow_result = e.execute(slow, options()); });
  int64_t qid = -1;
  for (int i = 0; i < 400 && qid < 0; i++) {
    Results shown = e.execute("SHOW QUERIES", options());
    ASSERT_EQ(shown.results.size(), 1u);
    ASSERT_EQ(shown.results[0].series.size(), 1u);
    const Series& s = shown.results[0].series[0];
    EXPECT_EQ(s.columns, (std::vector<std::string>{"qid", "query", "database", "duration", "status"}));
    for (const Row& row : s.values) {
      if (std::get<std::string>(row[1]) != slow) continue;
      qid = std::get<int64_t>(row[0]);
      EXPECT_EQ(std::get<std::string>(row[2]), "db");
      EXPECT_EQ(std::get<std::string>(row[4]), "running");
    }
    if (qid < 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(qid, 0) << "the slow query was never listed";
  Results killed = e.execute("KILL QUERY " + std::to_string(qid), options());
  ASSERT_EQ(killed.results.size(), 1u);
  EXPECT_EQ(killed.results[0].error, "");
  runner.join();
  ASSERT_EQ(slow_result.results.size(), 1u);
  EXPECT_EQ(slow_result.results[0].error, kInterrupted);
  // Gone once it ended; an unknown id fails.
  Results again = e.execute("KILL QUERY " + std::to_string(qid), options());
  ASSERT_EQ(again.results.size(), 1u);
  EXPECT_EQ(again.results[0].error, "no such query id: " + std::to_string(qid));
  Results shown = e.execute("SHOW QUERIES", options());
  for (const Row& row : shown.results[0].series[0].values) EXPECT_NE(std::get<std::string>(row[1]), slow);
}

TEST(QueryDuration, AsInfluxDB) {
  EXPECT_EQ(query_duration(0), "0s");
  EXPECT_EQ(query_duration(900), "900ns");
  EXPECT_EQ(query_duration(18234), "18µs");
  EXPECT_EQ(query_duration(250123456), "250ms");
  EXPECT_EQ(query_duration(65900000000), "1m5s");
  EXPECT_EQ(query_duration(3725000000000), "1h2m5s");
}

TEST_F(QueryCancel, FlagSetBeforeExecute) {
  Engine e(store_.get());
  std::atomic<bool> flag{true};
  const ExecOptions o = options(&flag);
  Results one = e.execute("SELECT count(v) FROM m", o);
  ASSERT_EQ(one.results.size(), 1u);
  EXPECT_EQ(one.results[0].error, kInterrupted);
  // Of several statements, the first fails and the rest are answered as
  // after any failed statement (engine.cc: influxd 1.6's "not executed").
  const std::string three = "SELECT count(v) FROM m; SHOW DATABASES; SELECT v FROM m LIMIT 1";
  Results several = e.execute(three, o);
  Results failing = e.execute(
      "SELECT count(v) FROM nodb..m; SHOW DATABASES; SELECT v FROM m LIMIT 1", options());
  ASSERT_EQ(several.results.size(), failing.results.size());
  ASSERT_FALSE(several.results.empty());
  for (size_t k = 0; k < several.results.size(); k++) {
    EXPECT_EQ(several.results[k].statement_id, failing.results[k].statement_id);
    EXPECT_EQ(several.results[k].error, failing.results[k].error);
    EXPECT_TRUE(several.results[k].series.empty());
  }
  EXPECT_EQ(several.results[0].error, "not executed");
  // Nothing of a statement that writes.
  Results into = e.execute("SELECT v INTO copied FROM m", o);
  EXPECT_EQ(into.results[0].error, kInterrupted);
  EXPECT_EQ(count_of(e, "SELECT count(v) FROM copied"), -1);
}

TEST_F(QueryCancel, FlagNeverSet) {
  Engine e(store_.get());
  std::atomic<bool> flag{false};
  const ExecOptions with = options(&flag), without = options();
  const char* queries[] = {
      "SELECT count(v) FROM m",
      "SELECT count(v) FROM m WHERE time >= 0 AND time < 1s GROUP BY time(1ms) fill(0)",
      "SELECT v, host FROM m WHERE time < 10ms ORDER BY time DESC",
      "SELECT mean(v) FROM many WHERE host =~ /^h1[0-9]$/ GROUP BY host",
      "SELECT max(v) FROM (SELECT mean(v) AS v FROM m WHERE time >= 0 AND time < 1s "
      "GROUP BY time(10ms))",
      "SHOW TAG VALUES FROM many WITH KEY = dc; SHOW SERIES FROM many WHERE host = 'h7'",
  };
  for (const char* q : queries) {
    Results a = e.execute(q, with);
    Results b = e.execute(q, without);
    ASSERT_FALSE(a.failed()) << q;
    ASSERT_EQ(a.results.size(), b.results.size()) << q;
    for (size_t k = 0; k < a.results.size(); k++) {
      ASSERT_FALSE(a.results[k].series.empty()) << q;
      ASSERT_EQ(a.results[k].series.size(), b.results[k].series.size()) << q;
      for (size_t s = 0; s < a.results[k].series.size(); s++) {
        EXPECT_EQ(a.results[k].series[s].values, b.results[k].series[s].values) << q;
      }
    }
  }
  EXPECT_EQ(count_of(e, "SELECT count(v) FROM m"), 4 * kPerSeries);
  const Results w = e.execute(
      "SELECT count(v) FROM m WHERE time >= 0 AND time < 1s GROUP BY time(1ms) fill(0)", with);
  ASSERT_EQ(w.results[0].series.size(), 1u);
  EXPECT_EQ(w.results[0].series[0].values.size(), 1000u);
  EXPECT_EQ(w.results[0].series[0].values[1][1], Datum(int64_t(0)));  // 2 ms apart
  EXPECT_EQ(w.results[0].series[0].values[2][1], Datum(int64_t(4)));
}

// DELETE and DROP SERIES of many series: stopped part way, the shard's
// transaction is rolled back (all the data is in one shard).
TEST(QueryCancelWrites, DeleteAndDropSeries) {
  char tmpl[] = "/tmp/tsd-cancel-test.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  write_many(dir);
  {
    auto s = storage::Store::open(dir);
    ASSERT_TRUE(s.ok());
    Engine e(s->get());
    for (const char* q : {"DELETE FROM many WHERE time < 3s", "DROP SERIES FROM many"}) {
      Timed r = run_cancelled(e, q, std::chrono::milliseconds(30));
      std::printf("  cancel: %.1f ms after the flag (%.1f ms in all): %s\n", r.after_flag_ms,
                  r.total_ms, q);
      ASSERT_GE(r.after_flag_ms, 0) << "finished before the flag was set: " << q;
      ASSERT_EQ(r.results.results.size(), 1u);
      EXPECT_EQ(r.results.results[0].error, kInterrupted) << q;
      EXPECT_LT(r.after_flag_ms, 2000) << q;
      EXPECT_EQ(count_of(e, "SELECT count(v) FROM many"), kManySeries * kManyPoints) << q;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace tsd::query
