// lib/shell: completion over a fixed catalog, and the shell's commands
// over a data directory (their words are the influx shell's; t2101
// compares whole sessions with it).
#include <gtest/gtest.h>

#include <filesystem>

#include "client/client.h"
#include "shell/complete.h"
#include "shell/shell.h"

namespace tsd::shell {
namespace {

class FakeNames : public Names {
 public:
  std::vector<std::string> databases() override { return {"mon", "other db"}; }
  std::vector<std::string> measurements(const std::string& db) override {
    if (db != "mon") return {};
    return {"cpu", "cpu load", "mem", "select"};
  }
  std::vector<std::string> field_keys(const std::string& db, const std::string& m) override {
    asked_fields = m;
    if (db != "mon") return {};
    if (m == "mem") return {"used", "free"};
    return {"usage_user", "usage_system", "usage idle"};
  }
  std::vector<std::string> tag_keys(const std::string& db, const std::string& m) override {
    if (db != "mon") return {};
    return m == "mem" ? std::vector<std::string>{"host"} : std::vector<std::string>{"host", "region"};
  }
  std::vector<std::string> tag_values(const std::string&, const std::string& m,
                                      const std::string& key) override {
    asked_values = m + "/" + key;
    if (key == "host") return {"server01", "server02", "o'brien"};
    return {"eu-west", "us-east"};
  }
  std::string asked_fields, asked_values;
};

// The line after accepting the only candidate (or the common prefix).
std::string accept(const std::string& line, const std::string& db = "mon") {
  FakeNames n;
  Completion c = complete(line, line.size(), db, n);
  if (c.candidates.empty()) return line + "<none>";
  std::string ins = c.candidates.size() == 1 ? c.candidates[0] + c.suffix : common_prefix(c.candidates);
  return line.substr(0, c.start) + ins;
}

std::vector<std::string> candidates(const std::string& line, size_t cursor = std::string::npos) {
  FakeNames n;
  return complete(line, cursor == std::string::npos ? line.size() : cursor, "mon", n).candidates;
}

TEST(ShellComplete, KeywordsInTheCaseTyped) {
  EXPECT_EQ(accept("SEL"), "SELECT ");
  EXPECT_EQ(accept("sel"), "select ");
  EXPECT_EQ(accept("SHOW MEAS"), "SHOW MEASUREMENT");  // MEASUREMENT and MEASUREMENTS
  EXPECT_EQ(accept("show ret"), "show retention policies ");
  EXPECT_EQ(accept("us"), "use ");
  EXPECT_EQ(accept("SELECT * FROM cpu WH"), "SELECT * FROM cpu WHERE ");
}

TEST(ShellComplete, MeasurementsAfterFromQuotedWhenNeeded) {
  EXPECT_EQ(accept("SELECT * FROM m"), "SELECT * FROM mem ");
  EXPECT_EQ(candidates("SELECT * FROM cp"), (std::vector<std::string>{"\"cpu load\"", "cpu"}));
  EXPECT_EQ(accept("SELECT * FROM \"cpu l"), "SELECT * FROM \"cpu load\" ");
  EXPECT_EQ(accept("SELECT * FROM sel"), "SELECT * FROM \"select\" ");  // a keyword
  EXPECT_EQ(accept("SELECT * FROM cpu, me"), "SELECT * FROM cpu, mem ");
  EXPECT_EQ(accept("SHOW TAG KEYS FROM m"), "SHOW TAG KEYS FROM mem ");
  EXPECT_EQ(accept("SELECT * FROM m", ""), "SELECT * FROM m<none>");  // no database
}

TEST(ShellComplete, FieldAndTagKeysOfTheMeasurementNamed) {
  FakeNames n;
  // The FROM after the cursor names the measurement.
  std::string line = "SELECT us FROM mem";
  Completion c = complete(line, 9, "mon", n);
  EXPECT_EQ(n.asked_fields, "mem");
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"used"}));
  EXPECT_EQ(c.start, 7u);
  EXPECT_EQ(accept("SELECT usage_u"), "SELECT usage_user ");
  EXPECT_EQ(accept("SELECT mean(usage_s"), "SELECT mean(usage_system ");
  EXPECT_EQ(accept("SELECT \"usage i"), "SELECT \"usage idle\" ");
  EXPECT_EQ(accept("SELECT deriv"), "SELECT derivative(");
  EXPECT_EQ(accept("SELECT * FROM cpu WHERE reg"), "SELECT * FROM cpu WHERE region ");
  EXPECT_EQ(accept("SELECT * FROM cpu WHERE host = 'a' AND reg"), "SELECT * FROM cpu WHERE host = 'a' AND region ");
  EXPECT_EQ(accept("SELECT mean(x) FROM cpu GROUP BY ho"), "SELECT mean(x) FROM cpu GROUP BY host ");
}

TEST(ShellComplete, TagValuesInsideQuotes) {
  FakeNames n;
  std::string line = "SELECT * FROM cpu WHERE host = 'serv";
  Completion c = complete(line, line.size(), "mon", n);
  EXPECT_EQ(n.asked_values, "cpu/host");
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"server01", "server02"}));
  EXPECT_EQ(line.substr(0, c.start), "SELECT * FROM cpu WHERE host = '");
  EXPECT_EQ(accept("SELECT * FROM cpu WHERE host = 'server01"), "SELECT * FROM cpu WHERE host = 'server01'");
  EXPECT_EQ(accept("SELECT * FROM cpu WHERE host != 'o"), "SELECT * FROM cpu WHERE host != 'o\\'brien'");
  EXPECT_EQ(accept("SELECT * FROM cpu WHERE region <> '"), "SELECT * FROM cpu WHERE region <> '");
  EXPECT_EQ(candidates("SELECT * FROM cpu WHERE region <> '").size(), 2u);
}

TEST(ShellComplete, DatabasesTagKeysAndShellWords) {
  EXPECT_EQ(accept("use o"), "use \"other db\" ");
  EXPECT_EQ(accept("SHOW MEASUREMENTS ON m"), "SHOW MEASUREMENTS ON mon ");
  EXPECT_EQ(accept("SHOW TAG VALUES FROM cpu WITH KEY = re"), "SHOW TAG VALUES FROM cpu WITH KEY = region ");
  EXPECT_EQ(accept("SHOW TAG VALUES FROM cpu WITH KEY IN (host, re"),
            "SHOW TAG VALUES FROM cpu WITH KEY IN (host, region ");
  EXPECT_EQ(accept("format c"), "format c");  // column and csv
  EXPECT_EQ(candidates("format c"), (std::vector<std::string>{"column", "csv"}));
  EXPECT_EQ(accept("precision rfc"), "precision rfc3339 ");
  // The statement under the cursor, after a ';'.
  EXPECT_EQ(accept("SHOW DATABASES; SELECT * FROM m"), "SHOW DATABASES; SELECT * FROM mem ");
  EXPECT_TRUE(candidates("SELECT * FROM cpu WHERE host = 'x' zzzz").empty());
}

// -- Commands over a data directory ----------------------------------------

class ShellCommands : public ::testing::Test {
 protected:
  ShellCommands() {
    char tmpl[] = "/tmp/tsd-shell-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    client_ = client::open_local(dir_);
    Settings s;
    s.location = dir_;
    shell_ = std::make_unique<Shell>(client_.get(), s);
  }
  ~ShellCommands() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string run(const std::string& line, Shell::Outcome want = Shell::Outcome::kOk) {
    std::string out;
    EXPECT_EQ(shell_->run(line, &out), want) << line << "\n" << out;
    return out;
  }

  std::string dir_;
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<Shell> shell_;
};

TEST_F(ShellCommands, UseInsertSelectInEachFormat) {
  run("CREATE DATABASE mon");
  EXPECT_EQ(run("use nope"),
            "ERR: Database nope doesn't exist. Run SHOW DATABASES for a list of existing databases.\n"
            "DB does not exist!\n");
  EXPECT_EQ(run("use mon"), "Using database mon\n");
  EXPECT_EQ(run("insert cpu,host=a v=1.5 10"), "");
  EXPECT_EQ(run("INSERT cpu,host=b v=2 20"), "");
  EXPECT_EQ(run("SELECT v FROM cpu"), "name: cpu\ntime v\n---- -\n10   1.5\n20   2\n");
  run("format csv");
  EXPECT_EQ(run("SELECT v FROM cpu"), "name,time,v\ncpu,10,1.5\ncpu,20,2\n");
  run("format json");
  EXPECT_EQ(run("SELECT v FROM cpu WHERE host = 'b'"),
            "{\"results\":[{\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"v\"],\"values\":[[20,2]]}]}]}\n");
  run("format line");
  EXPECT_EQ(run("SELECT v FROM cpu WHERE host = 'b'"), "cpu v=2 20\n");
  run("format column");
  run("precision rfc3339");
  EXPECT_EQ(run("SELECT v FROM cpu WHERE host = 'b'"),
            "name: cpu\ntime                          v\n----                          -\n"
            "1970-01-01T00:00:00.00000002Z 2\n");
  EXPECT_EQ(run("precision x"), "Unknown precision \"x\". Please use rfc3339, h, m, s, ms, u or ns.\n");
  run("expanded on");
  EXPECT_EQ(run("SELECT v FROM cpu WHERE host = 'a'"),
            "name: cpu\n-[ RECORD 1 ]-----------------------\ntime | 1970-01-01T00:00:00.00000001Z\n"
            "v    | 1.5\n");
}

// A static tsd-query's shell hands connect to tsd-query-shared
// (Settings::relaunch): what it hands over comes back as it was.
TEST_F(ShellCommands, ConnectRelaunchesWithTheSettingsKept) {
  run("CREATE DATABASE \"odd\tdb\"");
  run("use \"odd\tdb\"");
  run("format csv");
  run("precision s");
  run("pretty");
  run("timing on");
  run("expanded on");
  run("chunk size 7");
  run("auth me pa\\ss");
  std::string handed;
  Settings s = shell_->settings();
  s.relaunch = [&](const std::string& resume) {
    handed = resume;
    return Status::io_error("cannot run /x/tsd-query-shared: No such file or directory");
  };
  Shell staticky(client_.get(), s);
  std::string out;
  EXPECT_EQ(staticky.run("connect 127.0.0.1:9", &out), Shell::Outcome::kFailed);
  EXPECT_EQ(out, "ERR: cannot run /x/tsd-query-shared: No such file or directory\n");
  ASSERT_FALSE(handed.empty());

  Settings fresh;
  fresh.location = dir_;
  Shell other(client_.get(), fresh);
  EXPECT_EQ(other.restore(handed), "connect 127.0.0.1:9");
  const Settings& r = other.settings();
  EXPECT_EQ(r.db, "odd\tdb");
  EXPECT_EQ(r.format, query::Format::kCsv);
  EXPECT_EQ(r.precision, "s");
  EXPECT_TRUE(r.pretty);
  EXPECT_TRUE(r.timing);
  EXPECT_TRUE(r.expanded);
  EXPECT_EQ(r.chunk_size, 7);
  EXPECT_EQ(r.connect.remote.username, "me");
  EXPECT_EQ(r.connect.remote.password, "pa\\ss");
  EXPECT_EQ(other.restore("junk without a tab\nformat\tnope\n"), "");
  EXPECT_EQ(other.settings().format, query::Format::kCsv);
}

TEST_F(ShellCommands, ErrorsAsTheInfluxShell) {
  run("CREATE DATABASE mon");
  EXPECT_EQ(run("SELECT * FROM cpu", Shell::Outcome::kFailed),
            "ERR: database name required\n"
            "Warning: It is possible this error is due to not setting a database.\n"
            "Please set a database with the command \"use <database>\".\n");
  run("use mon");
  EXPECT_EQ(run("insert cpu v=", Shell::Outcome::kFailed).substr(0, 41),
            "ERR: {\"error\":\"unable to parse 'cpu v=': ");
  EXPECT_EQ(run("insert into nope cpu v=1", Shell::Outcome::kFailed),
            "ERR: {\"error\":\"retention policy not found: nope\"}\n\n");
  EXPECT_EQ(run("SELECT fooo(v) FROM cpu; SELECT v FROM cpu", Shell::Outcome::kFailed),
            "\nERR: undefined function fooo()\n");
  shell_->decorate_errors = true;
  EXPECT_EQ(run("SELECT * FORM cpu", Shell::Outcome::kFailed),
            "ERR: error parsing query: found FORM, expected FROM at line 1, char 10\n"
            "  SELECT * FORM cpu\n"
            "           ^\n");
  EXPECT_EQ(run("exit", Shell::Outcome::kExit), "");
  EXPECT_EQ(run("   ", Shell::Outcome::kBlank), "");
}

TEST_F(ShellCommands, ACancelledStatementSaysSo) {
  run("CREATE DATABASE mon");
  run("use mon");
  run("insert tick v=1 1");
  std::atomic<bool> cancel{true};
  std::string out;
  EXPECT_EQ(shell_->run("SELECT count(v) FROM tick WHERE time >= 0 AND time < 1s GROUP BY time(1u)", &out,
                        &cancel),
            Shell::Outcome::kFailed);
  EXPECT_EQ(out.substr(0, 200), "ERR: aborted by user\n");
}

}  // namespace
}  // namespace tsd::shell
