// influx-feed: posts line protocol to an InfluxDB 1.x /write, the way the
// bench feeds InfluxDB ("over HTTP in batches of 5000 with 2 workers").
//
//   influx-feed --url http://127.0.0.1:PORT --db NAME [--batch 5000]
//               [--workers 2] [--precision ns] [--rp RP] [FILE...]
//
// Reads the files named (stdin when none), cuts the input into batches of
// --batch lines, and has --workers threads POST them, each over its own
// keep-alive connection (libcurl). The database is created first with
// /query CREATE DATABASE. Every answer must be 204: any other is reported
// (status and body) and makes the exit status 1. At the end it prints on
// stdout "<lines> lines <seconds> s <lines/s> lines/s" (the clock runs from
// the first read to the last answer).
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "influx_client.h"

namespace {

using tsd_tools::Client;

// A bounded queue of batches; close() wakes the consumers for the end.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  void push(std::string batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < capacity_; });
    q_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  std::optional<std::string> pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return std::nullopt;
    std::string b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return b;
  }
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::string> q_;
  size_t capacity_;
  bool closed_ = false;
};

// Reads FILE (or stdin) and pushes batches of `batch_lines` lines; returns the
// number of lines, or -1 when a file cannot be read.
long long read_batches(const std::vector<std::string>& files, size_t batch_lines, BatchQueue& q) {
  long long lines = 0;
  std::string batch;
  size_t in_batch = 0;
  std::vector<char> buf(1 << 20);
  std::vector<std::string> inputs = files.empty() ? std::vector<std::string>{"-"} : files;
  for (const std::string& name : inputs) {
    FILE* f = name == "-" ? stdin : std::fopen(name.c_str(), "rb");
    if (!f) {
      std::fprintf(stderr, "influx-feed: %s: cannot open\n", name.c_str());
      return -1;
    }
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      size_t start = 0;
      for (size_t i = 0; i < n; ++i) {
        if (buf[i] != '\n') continue;
        ++in_batch;
        ++lines;
        if (in_batch == batch_lines) {
          batch.append(buf.data() + start, i + 1 - start);
          start = i + 1;
          q.push(std::move(batch));
          batch = std::string();
          in_batch = 0;
        }
      }
      batch.append(buf.data() + start, n - start);
    }
    if (f != stdin) std::fclose(f);
    if (!batch.empty() && batch.back() != '\n') {  // a last line without newline
      batch += '\n';
      ++in_batch;
      ++lines;
    }
  }
  if (!batch.empty()) q.push(std::move(batch));
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Posts line protocol to an InfluxDB 1.x /write in batches."};
  std::string url, db, rp, precision = "ns";
  size_t batch = 5000;
  int workers = 2;
  std::vector<std::string> files;
  app.add_option("--url", url, "server, e.g. http://127.0.0.1:8086")->required();
  app.add_option("--db", db, "database (created if missing)")->required();
  app.add_option("--rp", rp, "retention policy");
  app.add_option("--precision", precision, "timestamp precision of the input");
  app.add_option("--batch", batch, "lines per POST")->check(CLI::Range(1, 100000000));
  app.add_option("--workers", workers, "concurrent connections")->check(CLI::Range(1, 64));
  app.add_option("files", files, "input files (stdin when none)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);

  if (!tsd_tools::create_database(url, db, "influx-feed")) return 1;
  const std::string write_url = tsd_tools::write_url(url, db, precision, rp);
  BatchQueue queue(static_cast<size_t>(workers) * 2);
  std::atomic<long long> failures{0};
  std::mutex report_mu;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      Client c;
      while (auto b = queue.pop()) {
        long status = c.post(write_url, *b);
        if (status == 204) continue;
        if (failures++ < 10) {
          std::lock_guard lock(report_mu);
          std::fprintf(stderr, "influx-feed: /write: HTTP %ld: %.300s\n", status, c.body().c_str());
        }
      }
    });
  }
  long long lines = read_batches(files, batch, queue);
  queue.close();
  for (auto& t : pool) t.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  curl_global_cleanup();
  if (lines < 0) return 1;
  std::printf("%lld lines %.3f s %.0f lines/s\n", lines, secs, secs > 0 ? lines / secs : 0.0);
  if (failures > 0) {
    std::fprintf(stderr, "influx-feed: %lld of the batches failed\n", failures.load());
    return 1;
  }
  return 0;
}
