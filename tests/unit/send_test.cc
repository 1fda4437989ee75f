// tsd-write --url's batches (client/send.h) over a server in memory that
// answers two writes at once: what is reported (bad lines, refusals at the
// input's lines, in the input's order, exact counts), the database made
// when missing, DDL and CONTEXT lines after the batches before them, and
// a batch not delivered stopping the run.
#include <gtest/gtest.h>
#include <re2/re2.h>
#include <stdio.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/send.h"

namespace tsd {
namespace {

// The server: its databases and the lines stored; "tc v=<float>" conflicts
// with tc's integer v (influxd's partial write); a line holding "down" is
// a batch it never answers (the client's retries spent). With hold_first,
// the first write that stores waits until another has stored: two writes
// at once, the second answered first.
struct Server {
  std::mutex mu;
  std::condition_variable cv;
  bool hold_first = false;
  std::set<std::string> dbs;
  std::vector<std::string> stored;  // "db line"
  int writing = 0, most_writing = 0, storing = 0, stored_writes = 0;
  std::set<std::string> writing_to;  // the databases of the writes under way
  int overtaken = 0;  // a DDL statement, or another database's write, while a write was under way
  std::vector<std::string> statements;
};

class FakeClient : public client::Client {
 public:
  explicit FakeClient(Server* s) : s_(s) {}

  query::Results query(std::string_view statements, const client::QueryOptions&) override {
    std::lock_guard l(s_->mu);
    // (The database a batch found missing is made by its sender, with the
    // name quoted, perhaps as another batch goes.)
    if (s_->writing > 0 && !statements.starts_with("CREATE DATABASE \"")) s_->overtaken++;
    s_->statements.emplace_back(statements);
    std::string name;
    if (RE2::FullMatch(statements, "CREATE DATABASE \"?([a-z]+)\"?.*", &name)) s_->dbs.insert(name);
    query::Results r;
    r.results.emplace_back();
    return r;
  }

  Status write(std::string_view lines, const client::WriteOptions& o) override {
    std::unique_lock l(s_->mu);
    if (!s_->writing_to.empty() && !s_->writing_to.contains(o.db)) s_->overtaken++;
    s_->writing++;
    s_->most_writing = std::max(s_->most_writing, s_->writing);
    s_->writing_to.insert(o.db);
    Status st = store(l, lines, o.db);
    if (--s_->writing == 0) s_->writing_to.clear();
    return st;
  }

  std::unique_ptr<client::Client> another() const override { return std::make_unique<FakeClient>(s_); }

 private:
  Status store(std::unique_lock<std::mutex>& l, std::string_view lines, const std::string& db) {
    if (!s_->dbs.contains(db)) return Status::not_found("database not found: \"" + db + "\"");
    if (lines.find("down") != std::string_view::npos) return Status::io_error("cannot reach fake/: gone");
    if (++s_->storing == 1 && s_->hold_first) {
      s_->cv.wait_for(l, std::chrono::seconds(5), [&] { return s_->stored_writes > 0; });
    }
    int dropped = 0;
    size_t at = 0;
    while (at < lines.size()) {
      size_t nl = lines.find('\n', at);
      if (nl == std::string_view::npos) nl = lines.size();
      std::string_view line = lines.substr(at, nl - at);
      at = nl + 1;
      if (line.starts_with("tc v=") && line.find("i ") == std::string_view::npos) {
        dropped++;
      } else {
        s_->stored.push_back(db + " " + std::string(line));
      }
    }
    s_->stored_writes++;
    s_->cv.notify_all();
    if (dropped == 0) return Status();
    return Status::conflict(
        "partial write: field type conflict: input field \"v\" on measurement \"tc\" is type float, "
        "already exists as type integer dropped=" +
        std::to_string(dropped));
  }

  Server* s_;
};

class SendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tsd-send-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // Sends `files`; stderr's text in *err.
  Status send(const std::vector<std::string>& files, client::SendOptions o, client::SendReport* rep,
              std::string* err) {
    o.files = files;
    o.flush_interval = 0;
    o.prefix = "";
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* f = open_memstream(&buf, &len);
    FakeClient c(&server_);
    Status s = client::send(&c, o, &stop_, f, rep);
    std::fclose(f);
    err->assign(buf, len);
    free(buf);
    return s;
  }

  // The input lines the messages of `err` name, in their order.
  static std::vector<int> lines_named(const std::string& err) {
    std::vector<int> out;
    re2::StringPiece rest(err);
    int line = 0;
    while (RE2::FindAndConsume(&rest, ": line ([0-9]+): ", &line)) out.push_back(line);
    return out;
  }

  std::string dir_;
  Server server_;
  volatile std::sig_atomic_t stop_ = 0;
};

TEST_F(SendTest, RefusalsAtTheInputLinesInTheInputsOrderTwoBatchesAtOnce) {
  std::string text;
  for (int i = 1; i <= 20; i++) {
    if (i == 4 || i == 15) {
      text += "not line protocol\n";
    } else if (i == 2 || i == 12 || i == 13) {
      text += "tc v=1.5 " + std::to_string(i) + "\n";
    } else {
      text += "tc v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
    }
  }
  const std::string path = file("a.lp", text);
  server_.hold_first = true;  // lines 1-3 answered after lines 5-7
  client::SendOptions o;
  o.db = "t";  // missing: made, and the batch sent again
  o.batch_lines = 3;
  client::SendReport rep;
  std::string err;
  Status s = send({path}, o, &rep, &err);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(server_.most_writing, 2);
  EXPECT_EQ(lines_named(err), (std::vector<int>{2, 4, 12, 13, 15})) << err;
  EXPECT_NE(err.find(path + ": line 2: field type conflict: input field \"v\" on measurement \"tc\" is type "
                            "float, already exists as type integer\n"),
            std::string::npos)
      << err;
  EXPECT_EQ(rep.points, 15);
  EXPECT_EQ(rep.lines_rejected, 5);
  EXPECT_EQ(server_.stored.size(), 15u);
  EXPECT_TRUE(err.ends_with("15 points written, 5 lines rejected\n")) << err;
  ASSERT_FALSE(server_.statements.empty());
  EXPECT_EQ(server_.statements[0], "CREATE DATABASE \"t\"");
}

TEST_F(SendTest, DdlAndContextLinesWaitForTheBatchesBefore) {
  std::string text = "# DDL\nCREATE DATABASE a\n# DML\n# CONTEXT-DATABASE: a\n";
  for (int i = 1; i <= 10; i++) text += "m v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
  text += "# DDL\nCREATE DATABASE b\n# DML\n# CONTEXT-DATABASE: b\n";
  for (int i = 1; i <= 10; i++) text += "m v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
  text += "# CONTEXT-DATABASE: c\n";  // made when first written
  for (int i = 1; i <= 7; i++) text += "m v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
  server_.hold_first = true;
  client::SendOptions o;
  o.batch_lines = 2;
  client::SendReport rep;
  std::string err;
  Status s = send({file("x.lp", text)}, o, &rep, &err);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(server_.overtaken, 0);
  EXPECT_EQ(server_.most_writing, 2);
  EXPECT_EQ(rep.points, 27);
  EXPECT_EQ(rep.lines_rejected, 0);
  ASSERT_EQ(server_.stored.size(), 27u);
  EXPECT_EQ(server_.stored.front().substr(0, 2), "a ");
  EXPECT_EQ(server_.stored[10].substr(0, 2), "b ");
  EXPECT_EQ(server_.stored.back().substr(0, 2), "c ");
  EXPECT_EQ(err, "27 points written, 0 lines rejected\n");
}

TEST_F(SendTest, ABatchNotDeliveredStopsTheRunAndNothingIsCountedThatWasNotStored) {
  std::string text;
  for (int i = 1; i <= 30; i++) {
    text += i == 8 ? "down v=1i 8\n" : "m v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
  }
  server_.dbs.insert("t");
  client::SendOptions o;
  o.db = "t";
  o.batch_lines = 3;
  client::SendReport rep;
  std::string err;
  const std::string path = file("f.lp", text);
  Status s = send({path, path}, o, &rep, &err);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "cannot reach fake/: gone; lines 7-9 of " + path + " not written");
  EXPECT_EQ(rep.points, static_cast<int64_t>(server_.stored.size()));
  EXPECT_GE(rep.points, 6);
  EXPECT_LE(rep.points, 27);  // the batches at most two ahead, not the second file
  EXPECT_TRUE(err.ends_with(std::to_string(rep.points) + " points written, 0 lines rejected\n")) << err;
}

TEST_F(SendTest, OneAtATimeWhenAsked) {
  std::string text;
  for (int i = 1; i <= 9; i++) text += "m v=" + std::to_string(i) + "i " + std::to_string(i) + "\n";
  server_.dbs.insert("t");
  client::SendOptions o;
  o.db = "t";
  o.batch_lines = 2;
  o.in_flight = 1;
  client::SendReport rep;
  std::string err;
  ASSERT_TRUE(send({file("o.lp", text)}, o, &rep, &err).ok());
  EXPECT_EQ(server_.most_writing, 1);
  EXPECT_EQ(rep.points, 9);
  EXPECT_EQ(err, "9 points written, 0 lines rejected\n");
}

}  // namespace
}  // namespace tsd
