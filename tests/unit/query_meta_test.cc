// The statements other than SELECT: parsing (errors as influxd 1.6.7
// words them) and running them over a data directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <charconv>
#include <filesystem>
#include <string>
#include <vector>

#include "core/password.h"
#include "lineproto/lineproto.h"
#include "query/engine.h"
#include "query/parser.h"
#include "storage/writer.h"

namespace tsd::query {
namespace {

std::string meta_error(std::string_view text) {
  Parser p(text);
  auto q = p.parse_query();
  return q.ok() ? "ok" : q.status().message();
}

// One statement of `text`, parsed (a failure when it does not parse).
Statement one(std::string_view text) {
  Parser p(text);
  auto q = p.parse_query();
  if (!q.ok() || q->size() != 1) {
    ADD_FAILURE() << text << ": " << (q.ok() ? "not one statement" : q.status().message());
    Statement none;
    none.meta = std::make_unique<MetaStatement>();
    return none;
  }
  return std::move(q->front());
}

// influxd 1.6.7's answers (without its "error parsing query: "); "ok"
// where it parsed the statement.
TEST(MetaParser, ErrorsAsInfluxDB) {
  struct Case {
    const char* query;
    const char* want;
  } cases[] = {
      {"SHOW",
       "found EOF, expected CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, MEASUREMENTS, QUERIES, RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS at line 1, char 6"},
      {"SHOW FOO",
       "found FOO, expected CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, MEASUREMENTS, QUERIES, RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS at line 1, char 6"},
      {"SHOW CONTINUOUS",
       "found EOF, expected QUERIES at line 1, char 17"},
      {"SHOW FIELD",
       "found EOF, expected KEY, KEYS at line 1, char 12"},
      {"SHOW GRANTS",
       "found EOF, expected FOR at line 1, char 13"},
      {"SHOW GRANTS FOR",
       "found EOF, expected identifier at line 1, char 17"},
      {"SHOW MEASUREMENT",
       "found EOF, expected EXACT, CARDINALITY at line 1, char 18"},
      {"SHOW MEASUREMENT EXACT",
       "found EOF, expected CARDINALITY at line 1, char 24"},
      {"SHOW RETENTION",
       "found EOF, expected POLICIES at line 1, char 16"},
      {"SHOW SHARD",
       "found EOF, expected GROUPS at line 1, char 12"},
      {"SHOW TAG",
       "found EOF, expected KEY, KEYS, VALUES at line 1, char 10"},
      {"SHOW TAG KEY",
       "found EOF, expected EXACT, CARDINALITY at line 1, char 14"},
      {"SHOW TAG KEY EXACT",
       "found EOF, expected CARDINALITY at line 1, char 20"},
      {"SHOW FIELD KEY x",
       "found x, expected EXACT, CARDINALITY at line 1, char 16"},
      {"CREATE",
       "found EOF, expected CONTINUOUS, DATABASE, USER, RETENTION, SUBSCRIPTION at line 1, char 8"},
      {"CREATE CONTINUOUS",
       "found EOF, expected QUERY at line 1, char 19"},
      {"CREATE RETENTION",
       "found EOF, expected POLICY at line 1, char 18"},
      {"DROP",
       "found EOF, expected CONTINUOUS, DATABASE, MEASUREMENT, RETENTION, SERIES, SHARD, SUBSCRIPTION, USER at line 1, char 6"},
      {"DROP CONTINUOUS",
       "found EOF, expected QUERY at line 1, char 17"},
      {"DROP RETENTION",
       "found EOF, expected POLICY at line 1, char 16"},
      {"ALTER",
       "found EOF, expected RETENTION at line 1, char 7"},
      {"ALTER RETENTION",
       "found EOF, expected POLICY at line 1, char 17"},
      {"SET",
       "found EOF, expected PASSWORD at line 1, char 5"},
      {"SET PASSWORD",
       "found EOF, expected FOR at line 1, char 14"},
      {"KILL",
       "found EOF, expected QUERY at line 1, char 6"},
      {"SHOW MEASUREMENTS ON",
       "found EOF, expected identifier at line 1, char 22"},
      {"SHOW MEASUREMENTS WITH",
       "found EOF, expected MEASUREMENT at line 1, char 24"},
      {"SHOW MEASUREMENTS WITH MEASUREMENT",
       "found EOF, expected =, =~ at line 1, char 36"},
      {"SHOW MEASUREMENTS WITH MEASUREMENT != x",
       "found !=, expected =, =~ at line 1, char 36"},
      {"SHOW MEASUREMENTS WITH MEASUREMENT =~ x",
       "ok"},
      {"SHOW MEASUREMENTS LIMIT x",
       "found x, expected integer at line 1, char 25"},
      {"SHOW MEASUREMENTS x",
       "found x, expected ; at line 1, char 19"},
      {"SHOW SERIES FROM",
       "found EOF, expected identifier at line 1, char 18"},
      {"SHOW SERIES ON db FROM a.b.c.d",
       "too many segments in \"a\".\"b\".\"c\".d at line 1, char 1"},
      {"SHOW SERIES WHERE",
       "found EOF, expected identifier, string, number, bool at line 1, char 19"},
      {"SHOW TAG VALUES",
       "found EOF, expected WITH at line 1, char 17"},
      {"SHOW TAG VALUES FROM m",
       "found EOF, expected WITH at line 1, char 24"},
      {"SHOW TAG VALUES WITH",
       "found EOF, expected KEY at line 1, char 22"},
      {"SHOW TAG VALUES WITH KEY",
       "found EOF, expected IN, =, =~ at line 1, char 26"},
      {"SHOW TAG VALUES WITH KEY IN",
       "found EOF, expected ( at line 1, char 29"},
      {"SHOW TAG VALUES WITH KEY IN (",
       "found EOF, expected identifier at line 1, char 30"},
      {"SHOW TAG VALUES WITH KEY IN (a",
       "found EOF, expected ) at line 1, char 32"},
      {"SHOW TAG VALUES WITH KEY IN (a,)",
       "found ), expected identifier at line 1, char 32"},
      {"SHOW TAG VALUES WITH KEY = 'a'",
       "found a, expected identifier at line 1, char 27"},
      {"SHOW TAG VALUES WITH KEY =~ a",
       "found a, expected regex at line 1, char 29"},
      {"SHOW TAG VALUES WITH KEY < a",
       "found <, expected IN, =, =~ at line 1, char 26"},
      {"SHOW TAG VALUES EXACT",
       "found EOF, expected CARDINALITY at line 1, char 23"},
      {"SHOW TAG VALUES EXACT CARDINALITY",
       "found EOF, expected WITH at line 1, char 35"},
      {"SHOW TAG VALUES CARDINALITY WITH KEY = a GROUP",
       "found EOF, expected BY at line 1, char 48"},
      {"SHOW FIELD KEYS WHERE a = 1",
       "found WHERE, expected ; at line 1, char 17"},
      {"SHOW FIELD KEYS ORDER BY x",
       "only ORDER BY time supported at this time"},
      {"SHOW FIELD KEYS ORDER BY time desc LIMIT 1 OFFSET 2",
       "ok"},
      {"SHOW RETENTION POLICIES ON",
       "found EOF, expected identifier at line 1, char 28"},
      {"SHOW RETENTION POLICIES x",
       "found x, expected ; at line 1, char 25"},
      {"SHOW SERIES EXACT",
       "ok"},
      {"SHOW SERIES EXACT x",
       "found x, expected ; at line 1, char 19"},
      {"SHOW SERIES CARDINALITY GROUP BY",
       "found EOF, expected identifier, string, number, bool at line 1, char 34"},
      {"SHOW STATS FOR",
       "found EOF, expected string at line 1, char 16"},
      {"SHOW STATS FOR x",
       "found x, expected string at line 1, char 16"},
      {"SHOW DIAGNOSTICS FOR 'a'",
       "ok"},
      {"SHOW SHARDS x",
       "found x, expected ; at line 1, char 13"},
      {"CREATE DATABASE",
       "found EOF, expected identifier at line 1, char 17"},
      {"CREATE DATABASE x WITH",
       "found EOF, expected DURATION, NAME, REPLICATION, SHARD at line 1, char 24"},
      {"CREATE DATABASE x WITH FOO",
       "found FOO, expected DURATION, NAME, REPLICATION, SHARD at line 1, char 24"},
      {"CREATE DATABASE x WITH DURATION",
       "found EOF, expected duration at line 1, char 33"},
      {"CREATE DATABASE x WITH DURATION 1x",
       "invalid duration at line 1, char 33"},
      {"CREATE DATABASE x WITH REPLICATION 0",
       "invalid value 0: must be 1 <= n <= 2147483647 at line 1, char 36"},
      {"CREATE DATABASE x WITH REPLICATION 99999999999",
       "invalid value 99999999999: must be 1 <= n <= 2147483647 at line 1, char 36"},
      {"CREATE DATABASE x WITH SHARD",
       "found EOF, expected DURATION at line 1, char 30"},
      {"CREATE DATABASE x WITH SHARD DURATION INF",
       "ok"},
      {"CREATE DATABASE x WITH NAME",
       "found EOF, expected identifier at line 1, char 29"},
      {"CREATE DATABASE x WITH NAME rp DURATION 1h",
       "found DURATION, expected ; at line 1, char 32"},
      {"CREATE DATABASE x WITH DURATION 1h NAME rp x",
       "found x, expected ; at line 1, char 44"},
      {"DROP DATABASE",
       "found EOF, expected identifier at line 1, char 15"},
      {"DROP DATABASE 'x'",
       "found x, expected identifier at line 1, char 14"},
      {"CREATE RETENTION POLICY",
       "found EOF, expected identifier at line 1, char 25"},
      {"CREATE RETENTION POLICY rp",
       "found EOF, expected ON at line 1, char 28"},
      {"CREATE RETENTION POLICY rp ON",
       "found EOF, expected identifier at line 1, char 31"},
      {"CREATE RETENTION POLICY rp ON db",
       "found EOF, expected DURATION at line 1, char 34"},
      {"CREATE RETENTION POLICY rp ON db DURATION",
       "found EOF, expected duration at line 1, char 43"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h",
       "found EOF, expected REPLICATION at line 1, char 45"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION",
       "found EOF, expected integer at line 1, char 58"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION 0",
       "invalid value 0: must be 1 <= n <= 2147483647 at line 1, char 58"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION 1 SHARD",
       "found EOF, expected DURATION at line 1, char 66"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION 1 SHARD DURATION INF",
       "invalid duration INF for shard duration at line 1, char 75"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION 1 SHARD DURATION 1y",
       "invalid duration at line 1, char 75"},
      {"CREATE RETENTION POLICY rp ON db DURATION 1h REPLICATION 1 DEFAULT x",
       "found x, expected ; at line 1, char 68"},
      {"ALTER RETENTION POLICY",
       "found EOF, expected identifier at line 1, char 24"},
      {"ALTER RETENTION POLICY rp",
       "found EOF, expected ON at line 1, char 27"},
      {"ALTER RETENTION POLICY rp ON db",
       "found EOF, expected DURATION, REPLICATION, SHARD, DEFAULT at line 1, char 33"},
      {"ALTER RETENTION POLICY rp ON db DEFAULT DEFAULT",
       "found duplicate DEFAULT option at line 1, char 41"},
      {"ALTER RETENTION POLICY rp ON db DURATION 1h DURATION 2h",
       "found duplicate DURATION option at line 1, char 45"},
      {"ALTER RETENTION POLICY rp ON db SHARD x",
       "found x, expected DURATION at line 1, char 39"},
      {"ALTER RETENTION POLICY rp ON db SHARD DURATION INF",
       "invalid duration INF for shard duration at line 1, char 48"},
      {"ALTER RETENTION POLICY rp ON db REPLICATION x",
       "found x, expected integer at line 1, char 45"},
      {"ALTER RETENTION POLICY rp ON db DEFAULT x",
       "found x, expected ; at line 1, char 41"},
      {"DROP RETENTION POLICY rp",
       "found EOF, expected ON at line 1, char 26"},
      {"DROP RETENTION POLICY rp ON",
       "found EOF, expected identifier at line 1, char 29"},
      {"DROP MEASUREMENT",
       "found EOF, expected identifier at line 1, char 18"},
      {"DROP MEASUREMENT /x/",
       "found /, expected identifier at line 1, char 18"},
      {"DROP SERIES",
       "found EOF, expected FROM, WHERE at line 1, char 13"},
      {"DROP SERIES x",
       "found x, expected FROM, WHERE at line 1, char 13"},
      {"DROP SERIES FROM db.rp.m",
       "retention policy not supported at line 1, char 1"},
      {"DROP SERIES FROM db..m",
       "database not supported at line 1, char 1"},
      {"DROP SERIES FROM rp.m",
       "retention policy not supported at line 1, char 1"},
      {"DROP SERIES FROM /x/ WHERE",
       "found EOF, expected identifier, string, number, bool at line 1, char 28"},
      {"DELETE",
       "found EOF, expected FROM, WHERE at line 1, char 8"},
      {"DELETE x",
       "found x, expected FROM, WHERE at line 1, char 8"},
      {"DELETE FROM db.rp.m",
       "retention policy not supported at line 1, char 1"},
      {"DELETE FROM rp./x/",
       "retention policy not supported at line 1, char 1"},
      {"DELETE WHERE",
       "found EOF, expected identifier, string, number, bool at line 1, char 14"},
      {"DROP SHARD",
       "found EOF, expected integer at line 1, char 12"},
      {"DROP SHARD x",
       "found x, expected integer at line 1, char 12"},
      {"DROP SHARD 99999999999999999999999",
       "strconv.ParseUint: parsing \"99999999999999999999999\": value out of range at line 1, char 12"},
      {"CREATE CONTINUOUS QUERY",
       "found EOF, expected identifier at line 1, char 25"},
      {"CREATE CONTINUOUS QUERY q",
       "found EOF, expected ON at line 1, char 27"},
      {"CREATE CONTINUOUS QUERY q ON",
       "found EOF, expected identifier at line 1, char 30"},
      {"CREATE CONTINUOUS QUERY q ON db",
       "found EOF, expected BEGIN at line 1, char 33"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN",
       "found EOF, expected SELECT at line 1, char 39"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT x FROM m END",
       "found FROM, expected INTO at line 1, char 48"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT x INTO y FROM m",
       "found EOF, expected END at line 1, char 62"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT x INTO y FROM m END x",
       "found x, expected ; at line 1, char 66"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT mean(x) INTO y FROM m GROUP BY host END",
       "found host, expected GROUP BY time(...) at line 1, char 77"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT mean(x) INTO y FROM m GROUP BY time(x) END",
       "found ), expected GROUP BY time(...), time dimension must have duration argument at line 1, char 83"},
      {"CREATE CONTINUOUS QUERY q ON db BEGIN SELECT mean(x) INTO y FROM m GROUP BY time() END",
       "found ), expected GROUP BY time(...), time dimension expected 1 or 2 arguments at line 1, char 82"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE BEGIN",
       "found BEGIN, expected EVERY, FOR at line 1, char 42"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE EVERY",
       "found EOF, expected duration at line 1, char 48"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE EVERY 1x BEGIN",
       "invalid duration at line 1, char 48"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE FOR 1h x",
       "found x, expected BEGIN at line 1, char 49"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE EVERY 1h FOR 30m BEGIN SELECT mean(x) INTO y FROM m GROUP BY time(1m) END",
       "FOR duration must be >= GROUP BY time duration: must be a minimum of 1h, got 30m"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE FOR 30m BEGIN SELECT mean(x) INTO y FROM m GROUP BY time(1h) END",
       "FOR duration must be >= GROUP BY time duration: must be a minimum of 1h, got 30m"},
      {"CREATE CONTINUOUS QUERY q ON db RESAMPLE EVERY 0s BEGIN SELECT mean(x) INTO y FROM m GROUP BY time(1h) END",
       "found BEGIN, expected EVERY, FOR at line 1, char 51"},
      {"DROP CONTINUOUS QUERY",
       "found EOF, expected identifier at line 1, char 23"},
      {"DROP CONTINUOUS QUERY q",
       "found EOF, expected ON at line 1, char 25"},
      {"DROP CONTINUOUS QUERY q ON",
       "found EOF, expected identifier at line 1, char 28"},
      {"EXPLAIN",
       "found EOF, expected SELECT at line 1, char 9"},
      {"EXPLAIN ANALYZE",
       "found EOF, expected SELECT at line 1, char 17"},
      {"EXPLAIN SHOW",
       "found SHOW, expected SELECT at line 1, char 9"},
      {"EXPLAIN ANALYZE SELECT",
       "found EOF, expected identifier, string, number, bool at line 1, char 24"},
      {"CREATE USER",
       "found EOF, expected identifier at line 1, char 13"},
      {"CREATE USER u",
       "found EOF, expected WITH at line 1, char 15"},
      {"CREATE USER u WITH",
       "found EOF, expected PASSWORD at line 1, char 20"},
      {"CREATE USER u WITH PASSWORD",
       "found EOF, expected string at line 1, char 29"},
      {"CREATE USER u WITH PASSWORD p",
       "found p, expected string at line 1, char 29"},
      {"CREATE USER u WITH PASSWORD 'p' WITH",
       "found EOF, expected ALL at line 1, char 38"},
      {"CREATE USER u WITH PASSWORD 'p' WITH ALL",
       "found EOF, expected PRIVILEGES at line 1, char 42"},
      {"CREATE USER u WITH PASSWORD 'p' x",
       "found x, expected ; at line 1, char 33"},
      {"DROP USER",
       "found EOF, expected identifier at line 1, char 11"},
      {"SET PASSWORD FOR",
       "found EOF, expected identifier at line 1, char 18"},
      {"SET PASSWORD FOR u",
       "found EOF, expected = at line 1, char 20"},
      {"SET PASSWORD FOR u =",
       "found EOF, expected string at line 1, char 21"},
      {"SET PASSWORD FOR u = p",
       "found p, expected string at line 1, char 22"},
      {"GRANT",
       "found EOF, expected READ, WRITE, ALL [PRIVILEGES] at line 1, char 7"},
      {"GRANT READ",
       "found EOF, expected ON at line 1, char 12"},
      {"GRANT READ TO u",
       "found TO, expected ON at line 1, char 12"},
      {"GRANT ALL",
       "found EOF, expected ON, TO at line 1, char 11"},
      {"GRANT ALL PRIVILEGES x",
       "found x, expected ON, TO at line 1, char 22"},
      {"GRANT READ ON",
       "found EOF, expected identifier at line 1, char 15"},
      {"GRANT READ ON db",
       "found EOF, expected TO at line 1, char 18"},
      {"GRANT READ ON db TO",
       "found EOF, expected identifier at line 1, char 21"},
      {"GRANT ALL TO",
       "found EOF, expected identifier at line 1, char 14"},
      {"REVOKE",
       "found EOF, expected READ, WRITE, ALL [PRIVILEGES] at line 1, char 8"},
      {"REVOKE WRITE FROM u",
       "found FROM, expected ON at line 1, char 14"},
      {"REVOKE ALL x",
       "found x, expected ON, FROM at line 1, char 12"},
      {"REVOKE ALL ON db",
       "found EOF, expected FROM at line 1, char 18"},
      {"REVOKE ALL ON db FROM",
       "found EOF, expected identifier at line 1, char 23"},
      {"KILL QUERY",
       "found EOF, expected integer at line 1, char 12"},
      {"KILL QUERY x",
       "found x, expected integer at line 1, char 12"},
      {"KILL QUERY -1",
       "found -, expected integer at line 1, char 12"},
      {"KILL QUERY 1 ON",
       "found EOF, expected identifier at line 1, char 17"},
      {"KILL QUERY 99999999999999999999999",
       "strconv.ParseUint: parsing \"99999999999999999999999\": value out of range at line 1, char 12"},
      {"CREATE SUBSCRIPTION",
       "found EOF, expected identifier at line 1, char 21"},
      {"CREATE SUBSCRIPTION s ON db",
       "found EOF, expected . at line 1, char 29"},
      {"CREATE SUBSCRIPTION s ON db.rp",
       "found EOF, expected DESTINATIONS at line 1, char 32"},
      {"CREATE SUBSCRIPTION s ON db.rp DESTINATIONS",
       "found EOF, expected ALL, ANY at line 1, char 45"},
      {"CREATE SUBSCRIPTION s ON db.rp DESTINATIONS ALL",
       "found EOF, expected string at line 1, char 49"},
      {"CREATE SUBSCRIPTION s ON db.rp DESTINATIONS ALL 'a',",
       "found EOF, expected string at line 1, char 53"},
      {"DROP SUBSCRIPTION s ON db",
       "found EOF, expected . at line 1, char 27"},
      {"SHOW MEASUREMENTS LIMIT -1",
       "found -, expected integer at line 1, char 25"},
      {"SHOW SERIES OFFSET 1 LIMIT 2",
       "found LIMIT, expected ; at line 1, char 22"},
      {"SHOW TAG KEYS SLIMIT 1 SOFFSET x",
       "found x, expected integer at line 1, char 32"},
      {"SHOW MEASUREMENT CARDINALITY GROUP BY x LIMIT 1 OFFSET 1 x",
       "found x, expected ; at line 1, char 58"},
  };
  for (const auto& c : cases) EXPECT_EQ(meta_error(c.query), c.want) << c.query;
}

TEST(MetaParser, Statements) {
  using K = Statement::Kind;
  Statement s = one("SHOW TAG VALUES ON db FROM cpu, /^m/ WITH KEY IN (host, \"dc\") WHERE a = 'b' "
                    "LIMIT 3 OFFSET 1");
  EXPECT_EQ(s.kind, K::kShowTagValues);
  EXPECT_EQ(s.meta->db, "db");
  ASSERT_EQ(s.meta->sources.size(), 2u);
  EXPECT_TRUE(s.meta->sources[1].is_regex);
  EXPECT_EQ(s.meta->key_op, Tok::kIn);
  EXPECT_EQ(s.meta->keys, (std::vector<std::string>{"host", "dc"}));
  EXPECT_TRUE(s.meta->condition);
  EXPECT_EQ(s.meta->limit, 3);
  EXPECT_EQ(s.meta->offset, 1);
  s = one("SHOW TAG VALUES WITH KEY !~ /x/");
  EXPECT_EQ(s.meta->key_op, Tok::kNeqRegex);
  EXPECT_EQ(s.meta->key_regex, "x");
  s = one("SHOW MEASUREMENTS WITH MEASUREMENT =~ /cpu.*/ LIMIT 2");
  ASSERT_EQ(s.meta->sources.size(), 1u);
  EXPECT_EQ(s.meta->sources[0].regex, "cpu.*");
  EXPECT_EQ(one("SHOW SERIES EXACT CARDINALITY ON x").kind, K::kShowSeriesCardinality);
  EXPECT_EQ(one("SHOW TAG VALUES EXACT CARDINALITY WITH KEY = k").kind,
            K::kShowTagValuesCardinality);
  EXPECT_EQ(one("SHOW FIELD KEY CARDINALITY").kind, K::kShowFieldKeyCardinality);
  s = one("CREATE DATABASE d WITH DURATION 3d REPLICATION 2 SHARD DURATION 1h NAME r");
  EXPECT_EQ(s.meta->duration, 3 * 86400 * 1000000000LL);
  EXPECT_EQ(s.meta->replication, 2);
  EXPECT_EQ(s.meta->shard_duration, 3600 * 1000000000LL);
  EXPECT_EQ(s.meta->rp_name, "r");
  s = one("CREATE RETENTION POLICY r ON d DURATION INF REPLICATION 1 DEFAULT");
  EXPECT_EQ(s.meta->duration, 0);
  EXPECT_EQ(s.meta->shard_duration, -1);
  EXPECT_TRUE(s.meta->make_default);
  s = one("ALTER RETENTION POLICY DEFAULT ON d SHARD DURATION 2h DEFAULT");
  EXPECT_EQ(s.meta->name, "default");
  EXPECT_EQ(s.meta->duration, -1);
  EXPECT_TRUE(s.meta->make_default);
  s = one("CREATE CONTINUOUS QUERY q ON d RESAMPLE EVERY 1m BEGIN SELECT mean(x) INTO y FROM m "
          "GROUP BY time(5m) END");
  EXPECT_EQ(s.kind, K::kCreateContinuousQuery);
  EXPECT_EQ(s.meta->resample_every, 60 * 1000000000LL);
  ASSERT_TRUE(s.select && s.select->target);
  EXPECT_EQ(s.select->target->name, "y");
  s = one("EXPLAIN ANALYZE SELECT x FROM m");
  EXPECT_TRUE(s.meta->analyze);
  EXPECT_TRUE(s.select);
  s = one("DELETE FROM m WHERE time < 10");
  EXPECT_EQ(s.kind, K::kDelete);
  EXPECT_EQ(s.meta->sources[0].name, "m");
  s = one("GRANT ALL PRIVILEGES TO bob");
  EXPECT_TRUE(s.meta->admin);
  EXPECT_EQ(s.meta->name, "bob");
  s = one("KILL QUERY 12 ON \"h1\"");
  EXPECT_EQ(s.meta->id, 12u);
  EXPECT_EQ(s.meta->module, "h1");
}

// A data directory of its own for a test, removed after.
class MetaExec : public ::testing::Test {
 protected:
  MetaExec() {
    char tmpl[] = "/tmp/tsd-meta-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~MetaExec() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Stores line protocol into db/rp (the database's default when empty).
  void write(const std::string& db, const std::string& rp, const std::string& lines) {
    storage::WriterOptions o;
    o.data_dir = dir_;
    o.db = db;
    o.rp = rp;
    auto w = storage::Writer::open(o);
    ASSERT_TRUE(w.ok()) << w.status().message();
    size_t at = 0;
    while (at < lines.size()) {
      size_t end = lines.find('\n', at);
      if (end == std::string::npos) end = lines.size();
      const std::string line = lines.substr(at, end - at);  // pl points into it
      lp::ParsedLine pl;
      ASSERT_TRUE(lp::parse_line(line, {}, &pl).ok());
      ASSERT_TRUE((*w)->add(pl, 0).ok());
      at = end + 1;
    }
    ASSERT_TRUE((*w)->close().ok());
  }

  // Runs `q` (with ?db=`db`) and answers each statement as influxd's JSON
  // body would show it, without statement_id, one per line.
  std::string run(const std::string& q, const std::string& db = "") {
    if (!store_) {
      auto s = storage::Store::open(dir_);
      if (!s.ok()) return "no store: " + s.status().message();
      store_ = std::move(*s);
    }
    Engine e(store_.get());
    ExecOptions o;
    o.db = db;
    Results rs = e.execute(q, o);
    if (!rs.error.empty()) return "{\"error\":" + json(rs.error) + "}";
    std::string out;
    for (const auto& r : rs.results) {
      if (!out.empty()) out += "\n";
      out += r.error.empty() ? series_json(r) : "{\"error\":" + json(r.error) + "}";
    }
    return out;
  }

  static std::string json(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
  }
  static std::string datum(const Datum& d) {
    switch (d.index()) {
      case 0: return "null";
      case 1: {  // the shortest text that reads back, as Go's JSON writes it
        char b[32];
        auto r = std::to_chars(b, b + sizeof b, std::get<double>(d));
        return std::string(b, r.ptr);
      }
      case 2: return std::to_string(std::get<int64_t>(d));
      case 4: return json(std::get<std::string>(d));
      case 5: return std::get<bool>(d) ? "true" : "false";
      default: return "?";
    }
  }
  static std::string series_json(const StatementResult& r) {
    if (r.series.empty()) return "{}";
    std::string out = "{\"series\":[";
    for (size_t k = 0; k < r.series.size(); k++) {
      const Series& s = r.series[k];
      out += k ? ",{" : "{";
      if (!s.name.empty()) out += "\"name\":" + json(s.name) + ",";
      out += "\"columns\":[";
      for (size_t c = 0; c < s.columns.size(); c++) out += (c ? "," : "") + json(s.columns[c]);
      out += "]";
      if (!s.values.empty()) {
        out += ",\"values\":[";
        for (size_t v = 0; v < s.values.size(); v++) {
          out += v ? ",[" : "[";
          for (size_t c = 0; c < s.values[v].size(); c++) {
            out += (c ? "," : "") + datum(s.values[v][c]);
          }
          out += "]";
        }
        out += "]";
      }
      out += "}";
    }
    return out + "]}";
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
};

// The data of the checks below, written to influxd 1.6.7 too: d1 with
// autogen and an RP short; the answers are influxd's.
constexpr const char* kCpuMemDisk =
    "cpu,host=a,dc=x usage=1,idle=2i 1000000000000\n"
    "cpu,host=b,dc=y usage=3,idle=4i 1000000000000\n"
    "cpu,host=c usage=5 2000000000000\n"
    "mem,host=a free=10i,ok=true,name=\"s\" 1000000000000\n"
    "disk,path=/,host=a used=1 3600000000000";

TEST_F(MetaExec, ShowTheIndexAsInfluxDB) {
  write("d1", "", kCpuMemDisk);
  EXPECT_EQ(run("CREATE RETENTION POLICY short ON d1 DURATION 2h REPLICATION 1"), "{}");
  write("d1", "short", "net,host=z,iface=eth0 rx=1 1000000000000\ncpu,host=zz usage=1 1000000000000");
  struct Case {
    const char* q;
    const char* want;
  } cases[] = {
      {"SHOW MEASUREMENTS", "{\"error\":\"database name required\"}"},
      {"SHOW MEASUREMENTS ON nodb", "{}"},
      {"SHOW MEASUREMENTS ON d1",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"],["disk"],["mem"],["net"]]}]})"},
      {"SHOW MEASUREMENTS ON d1 WITH MEASUREMENT =~ /m/",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["mem"]]}]})"},
      {"SHOW MEASUREMENTS ON d1 WITH MEASUREMENT = cpu",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]})"},
      {"SHOW MEASUREMENTS ON d1 LIMIT 2 OFFSET 1",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["disk"],["mem"]]}]})"},
      {"SHOW MEASUREMENTS ON d1 WITH MEASUREMENT = nope", "{}"},
      {"SHOW SERIES ON d1",
       R"({"series":[{"columns":["key"],"values":[["cpu,dc=x,host=a"],["cpu,dc=y,host=b"],["cpu,host=c"],["cpu,host=zz"],["disk,host=a,path=/"],["mem,host=a"],["net,host=z,iface=eth0"]]}]})"},
      {"SHOW SERIES ON d1 FROM cpu LIMIT 2",
       R"({"series":[{"columns":["key"],"values":[["cpu,dc=x,host=a"],["cpu,dc=y,host=b"]]}]})"},
      {"SHOW SERIES ON d1 FROM autogen.net",
       R"({"series":[{"columns":["key"],"values":[["net,host=z,iface=eth0"]]}]})"},
      {"SHOW SERIES ON d1 FROM /n|m/",
       R"({"series":[{"columns":["key"],"values":[["mem,host=a"],["net,host=z,iface=eth0"]]}]})"},
      {"SHOW SERIES ON nodb", "{\"error\":\"database not found: nodb\"}"},
      {"SHOW TAG KEYS ON nodb", "{\"error\":\"database not found: nodb\"}"},
      {"SHOW TAG KEYS ON d1 FROM cpu",
       R"({"series":[{"name":"cpu","columns":["tagKey"],"values":[["dc"],["host"]]}]})"},
      {"SHOW TAG KEYS ON d1 FROM disk, mem LIMIT 1 OFFSET 1",
       R"({"series":[{"name":"disk","columns":["tagKey"],"values":[["path"]]}]})"},
      {"SHOW TAG VALUES ON d1 FROM cpu WITH KEY IN (host, dc)",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["dc","x"],["dc","y"],["host","a"],["host","b"],["host","c"],["host","zz"]]}]})"},
      {"SHOW TAG VALUES ON d1 FROM disk, mem WITH KEY =~ /o/ LIMIT 1",
       R"({"series":[{"name":"disk","columns":["key","value"],"values":[["host","a"]]},{"name":"mem","columns":["key","value"],"values":[["host","a"]]}]})"},
      {"SHOW TAG VALUES ON d1 FROM cpu, disk WITH KEY != host",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["dc","x"],["dc","y"]]},{"name":"disk","columns":["key","value"],"values":[["path","/"]]}]})"},
      {"SHOW FIELD KEYS ON d1 FROM mem",
       R"({"series":[{"name":"mem","columns":["fieldKey","fieldType"],"values":[["free","integer"],["name","string"],["ok","boolean"]]}]})"},
      {"SHOW FIELD KEYS ON d1 FROM cpu, disk, mem LIMIT 1 OFFSET 1",
       R"({"series":[{"name":"cpu","columns":["fieldKey","fieldType"],"values":[["usage","float"]]},{"name":"mem","columns":["fieldKey","fieldType"],"values":[["name","string"]]}]})"},
      {"SHOW MEASUREMENT CARDINALITY ON d1",
       R"({"series":[{"columns":["cardinality estimation"],"values":[[4]]}]})"},
      {"SHOW SERIES CARDINALITY ON d1",
       R"({"series":[{"columns":["cardinality estimation"],"values":[[7]]}]})"},
      {"SHOW MEASUREMENT CARDINALITY ON nodb",
       R"({"series":[{"columns":["cardinality estimation"],"values":[[0]]}]})"},
      {"SHOW SERIES EXACT CARDINALITY ON d1 FROM disk, mem",
       R"({"series":[{"name":"disk","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW TAG KEY CARDINALITY ON d1 FROM disk, mem",
       R"({"series":[{"name":"disk","columns":["count"],"values":[[2]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW FIELD KEY EXACT CARDINALITY ON d1 FROM disk, mem",
       R"({"series":[{"name":"disk","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[3]]}]})"},
      {"SHOW TAG VALUES CARDINALITY ON d1 FROM disk, mem WITH KEY = host",
       R"({"series":[{"name":"disk","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(c.q), c.want) << c.q;
  EXPECT_EQ(run("SHOW TAG KEYS FROM mem", "d1"),
            R"({"series":[{"name":"mem","columns":["tagKey"],"values":[["host"]]}]})");
}

// The same statements, in order, as influxd 1.6.7 answered them.
TEST_F(MetaExec, DatabasesRetentionPoliciesAndCQsAsInfluxDB) {
  write("mydb", "", "cpu v=1 1000000000000");
  struct Case {
    const char* q;
    const char* want;
  } cases[] = {
      {"CREATE DATABASE other; CREATE DATABASE d1", "{}\n{}"},
      {"CREATE DATABASE \"\"", R"({"error":"invalid name"})"},
      // "" names no directory: DATA itself must survive.
      {"DROP DATABASE \"\"", "{}"},
      {"DROP RETENTION POLICY \"\" ON mydb", "{}"},
      {"SHOW DATABASES",
       R"({"series":[{"name":"databases","columns":["name"],"values":[["mydb"],["other"],["d1"]]}]})"},
      {"CREATE RETENTION POLICY short ON d1 DURATION 2h REPLICATION 1", "{}"},
      {"CREATE RETENTION POLICY r ON nodb DURATION 1h REPLICATION 1",
       R"({"error":"database not found: nodb"})"},
      {"CREATE RETENTION POLICY r ON d1 DURATION 30m REPLICATION 1",
       R"({"error":"retention policy duration must be at least 1h0m0s"})"},
      {"CREATE RETENTION POLICY r ON d1 DURATION 2h REPLICATION 1 SHARD DURATION 3h",
       R"({"error":"retention policy duration must be greater than the shard duration"})"},
      {"CREATE RETENTION POLICY r ON d1 DURATION 2h REPLICATION 1 SHARD DURATION 30m", "{}"},
      {"CREATE RETENTION POLICY short ON d1 DURATION 2h REPLICATION 1", "{}"},
      {"CREATE RETENTION POLICY short ON d1 DURATION 3h REPLICATION 1",
       R"({"error":"retention policy already exists"})"},
      {"CREATE RETENTION POLICY short ON d1 DURATION 2h REPLICATION 1 DEFAULT",
       R"({"error":"retention policy conflicts with an existing policy"})"},
      {"ALTER RETENTION POLICY nope ON d1 DEFAULT", R"({"error":"retention policy not found: nope"})"},
      {"ALTER RETENTION POLICY short ON nodb DEFAULT", R"({"error":"database not found: nodb"})"},
      {"ALTER RETENTION POLICY short ON d1 DURATION 30m",
       R"({"error":"retention policy duration must be at least 1h0m0s"})"},
      {"ALTER RETENTION POLICY short ON d1 SHARD DURATION 3h",
       R"({"error":"retention policy duration must be greater than the shard duration"})"},
      {"ALTER RETENTION POLICY short ON d1 DURATION 3h SHARD DURATION 30m", "{}"},
      {"SHOW RETENTION POLICIES ON d1",
       R"({"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","168h0m0s",1,true],["short","3h0m0s","1h0m0s",1,false],["r","2h0m0s","1h0m0s",1,false]]}]})"},
      {"SHOW RETENTION POLICIES", R"({"error":"database name required"})"},
      {"CREATE DATABASE d1", "{}"},
      {"CREATE DATABASE d1 WITH DURATION 1h",
       R"({"error":"retention policy conflicts with an existing policy"})"},
      {"CREATE DATABASE d2 WITH DURATION 30m",
       R"({"error":"retention policy duration must be at least 1h0m0s"})"},
      {"CREATE DATABASE d2 WITH DURATION 3d REPLICATION 2 SHARD DURATION 2h NAME r2", "{}"},
      {"SHOW RETENTION POLICIES ON d2",
       R"({"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["r2","72h0m0s","2h0m0s",2,true]]}]})"},
      {"CREATE DATABASE d4 WITH SHARD DURATION 30m; DROP RETENTION POLICY autogen ON d4", "{}\n{}"},
      {"SHOW RETENTION POLICIES ON d4",
       R"({"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"]}]})"},
      {"DROP DATABASE nodb; DROP RETENTION POLICY nope ON d1; DROP CONTINUOUS QUERY nope ON nodb",
       "{}\n{}\n{}"},
      {"CREATE CONTINUOUS QUERY cq2 ON mydb BEGIN SELECT count(v) INTO m2 FROM cpu GROUP BY "
       "time(5m) END",
       "{}"},
      {"CREATE CONTINUOUS QUERY cq2 ON mydb BEGIN SELECT count(v) INTO m2 FROM cpu GROUP BY "
       "time(6m) END",
       R"({"error":"continuous query already exists"})"},
      {"CREATE CONTINUOUS QUERY \"cq 1\" ON mydb RESAMPLE EVERY 2m FOR 1h BEGIN SELECT mean(value) "
       "AS m, max(\"x y\"), 2*sum(v)+1, /re\\/x/ INTO \"other\".\"autogen\".:MEASUREMENT FROM "
       "mydb.autogen.cpu, /^m/ WHERE host = 'a\\'b' and time > now() - 1h OR \"k\"=~/x/ GROUP BY "
       "time(1m, 30s), host, * fill(0) ORDER BY time desc limit 3 offset 2 slimit 4 soffset 5 "
       "tz('Asia/Seoul') END",
       "{}"},
      {"CREATE CONTINUOUS QUERY q ON mydb BEGIN SELECT count(v) INTO nodb..m2 FROM cpu GROUP BY "
       "time(5m) END",
       R"({"error":"database not found: nodb"})"},
      {"SHOW CONTINUOUS QUERIES",
       R"({"series":[{"name":"mydb","columns":["name","query"],"values":[["cq2","CREATE CONTINUOUS QUERY cq2 ON mydb BEGIN SELECT count(v) INTO mydb.autogen.m2 FROM mydb.autogen.cpu GROUP BY time(5m) END"],["cq 1","CREATE CONTINUOUS QUERY \"cq 1\" ON mydb RESAMPLE EVERY 2m FOR 1h BEGIN SELECT mean(value) AS m, max(\"x y\"), 2 * sum(v) + 1, /re\\/x/ INTO other.autogen.:MEASUREMENT FROM mydb.autogen.cpu, mydb.autogen./^m/ WHERE host = 'a\\'b' AND time > now() - 1h OR k =~ /x/ GROUP BY time(1m, 30s), host, * fill(0) ORDER BY time DESC LIMIT 3 OFFSET 2 SLIMIT 4 SOFFSET 5 TZ('Asia/Seoul') END"]]},{"name":"other","columns":["name","query"]},{"name":"d1","columns":["name","query"]},{"name":"d2","columns":["name","query"]},{"name":"d4","columns":["name","query"]}]})"},
      {"SHOW SHARD GROUPS",
       R"({"series":[{"name":"shard groups","columns":["id","database","retention_policy","start_time","end_time","expiry_time"],"values":[[1,"mydb","autogen","1969-12-29T00:00:00Z","1970-01-05T00:00:00Z","1970-01-05T00:00:00Z"]]}]})"},
      {"DROP DATABASE mydb; SHOW SHARDS",
       R"({}
{"series":[{"name":"other","columns":["id","database","retention_policy","shard_group","start_time","end_time","expiry_time","owners"]},{"name":"d1","columns":["id","database","retention_policy","shard_group","start_time","end_time","expiry_time","owners"]},{"name":"d2","columns":["id","database","retention_policy","shard_group","start_time","end_time","expiry_time","owners"]},{"name":"d4","columns":["id","database","retention_policy","shard_group","start_time","end_time","expiry_time","owners"]}]})"},
      {"EXPLAIN SELECT * FROM cpu", R"({"error":"database name required"})"},
      {"SHOW USERS", R"({"series":[{"columns":["user","admin"]}]})"},
      {"DROP USER nope", R"({"error":"user not found"})"},
      {"KILL QUERY 99", R"({"error":"no such query id: 99"})"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(c.q), c.want) << c.q;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/mydb"));
}

// A statement and influxd 1.6.7's answer (as MetaExec::run shows it).
struct QueryCase {
  const char* q;
  const char* want;
};

// WHERE on the SHOW statements of the index, as influxd 1.6.7 answered
// them (three readings: exec_show.cc). Two shard groups: 03-06 and 03-13.
TEST_F(MetaExec, ShowWhereAsInfluxDB) {
  write("w1", "",
        "cpu,host=a,region=east v=1,w=10i 1678060800000000000\n"
        "cpu,host=b,region=west v=3 1678665600000000000\n"
        "cpu,host=c v=4 1678665600000000000\n"
        "cpu v=5 1678665600000000000\n"
        "mem,host=a free=1i 1678060800000000000\n"
        "mem,dc=y,host=z free=2i 1678665600000000000\n"
        "disk,path=/ used=3 1678665600000000000");
  const QueryCase cases[] = {
      {"SHOW MEASUREMENTS WHERE host = 'a'",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"],["mem"]]}]})"},
      {"SHOW MEASUREMENTS WHERE host != 'a'",
       R"({})"},
      {"SHOW MEASUREMENTS WHERE host !~ /z/",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]})"},
      {"SHOW MEASUREMENTS WHERE host = 'a' OR path = '/'",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"],["disk"],["mem"]]}]})"},
      {"SHOW MEASUREMENTS WHERE host = 'a' AND region = 'east'",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]})"},
      {"SHOW MEASUREMENTS WHERE _name = 'cpu'",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]})"},
      {"SHOW MEASUREMENTS WHERE host = ''",
       R"({})"},
      {"SHOW MEASUREMENTS WHERE time > 0",
       R"({"error":"SHOW MEASUREMENTS doesn't support time in WHERE clause"})"},
      {"SHOW MEASUREMENTS WHERE v > 1",
       R"({"error":"invalid tag comparison operator"})"},
      {"SHOW MEASUREMENTS WHERE host = 1",
       R"({"error":"right side of '=' must be a tag value string"})"},
      {"SHOW MEASUREMENTS WHERE 'a' = host",
       R"({"error":"left side of '=' must be a tag key"})"},
      {"SHOW MEASUREMENTS WHERE true",
       R"({"error":"&influxql.BooleanLiteral{Val:true}"})"},
      {"SHOW SERIES WHERE host = 'a'",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=a,region=east"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE host != 'a'",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=b,region=west"],["cpu,host=c"],["disk,path=/"],["mem,dc=y,host=z"]]}]})"},
      {"SHOW SERIES WHERE host = ''",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["disk,path=/"]]}]})"},
      {"SHOW SERIES WHERE host !~ /a/",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=b,region=west"],["cpu,host=c"],["disk,path=/"],["mem,dc=y,host=z"]]}]})"},
      {"SHOW SERIES WHERE 'a' = host",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=a,region=east"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE host = region",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=a,region=east"],["cpu,host=b,region=west"]]}]})"},
      {"SHOW SERIES WHERE host != region",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=c"],["mem,dc=y,host=z"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE _name = 'cpu'",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=a,region=east"],["cpu,host=b,region=west"],["cpu,host=c"]]}]})"},
      {"SHOW SERIES WHERE v = '1'",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=a,region=east"],["cpu,host=b,region=west"],["cpu,host=c"]]}]})"},
      {"SHOW SERIES WHERE host = 1",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=a,region=east"],["cpu,host=b,region=west"],["cpu,host=c"],["disk,path=/"],["mem,dc=y,host=z"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE host = 'a' OR v = '1'",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=a,region=east"],["cpu,host=b,region=west"],["cpu,host=c"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE host = 'a' AND v = '1'",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=a,region=east"]]}]})"},
      {"SHOW SERIES WHERE v > 1",
       R"({"error":"invalid tag comparison operator"})"},
      {"SHOW SERIES WHERE host > 'a'",
       R"({"error":"invalid tag comparison operator"})"},
      {"SHOW SERIES FROM mem WHERE host =~ /a|z/ LIMIT 1",
       R"({"series":[{"columns":["key"],"values":[["mem,dc=y,host=z"]]}]})"},
      {"SHOW SERIES WHERE time > '2023-03-13T00:00:00Z'",
       R"({"series":[{"columns":["key"],"values":[["cpu"],["cpu,host=b,region=west"],["cpu,host=c"],["disk,path=/"],["mem,dc=y,host=z"]]}]})"},
      {"SHOW SERIES WHERE host = 'a' AND time < '2023-03-10T00:00:00Z'",
       R"({"series":[{"columns":["key"],"values":[["cpu,host=a,region=east"],["mem,host=a"]]}]})"},
      {"SHOW SERIES WHERE host = 'a' OR time > '2030-01-01T00:00:00Z'",
       R"({})"},
      {"SHOW SERIES WHERE v = '1' AND time > '2023-03-01T00:00:00Z'",
       R"({})"},
      {"SHOW TAG KEYS WHERE host = 'a'",
       R"({"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]},{"name":"mem","columns":["tagKey"],"values":[["host"]]}]})"},
      {"SHOW TAG KEYS WHERE region = 'east'",
       R"({"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]}]})"},
      {"SHOW TAG KEYS WHERE v = 1",
       R"({"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]},{"name":"disk","columns":["tagKey"],"values":[["path"]]},{"name":"mem","columns":["tagKey"],"values":[["dc"],["host"]]}]})"},
      {"SHOW TAG KEYS WHERE host > 'a'",
       R"({"error":"invalid tag comparison operator"})"},
      {"SHOW TAG KEYS WHERE time > '2023-03-13T00:00:00Z'",
       R"({"series":[{"name":"cpu","columns":["tagKey"],"values":[["host"],["region"]]},{"name":"disk","columns":["tagKey"],"values":[["path"]]},{"name":"mem","columns":["tagKey"],"values":[["dc"],["host"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host WHERE region = 'east'",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host WHERE host =~ /a|c/",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"],["host","c"]]},{"name":"mem","columns":["key","value"],"values":[["host","a"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host WHERE host != 'a'",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","b"],["host","c"]]},{"name":"mem","columns":["key","value"],"values":[["host","z"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host WHERE _name =~ /c/",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"],["host","b"],["host","c"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host WHERE time > '2023-03-13T00:00:00Z'",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"],["host","b"],["host","c"]]},{"name":"mem","columns":["key","value"],"values":[["host","a"],["host","z"]]}]})"},
      {"SHOW TAG VALUES WITH KEY IN (host, region) WHERE region =~ /./",
       R"({"series":[{"name":"cpu","columns":["key","value"],"values":[["host","a"],["host","b"],["region","east"],["region","west"]]}]})"},
      {"SHOW MEASUREMENT CARDINALITY WHERE host = 'a'",
       R"({"series":[{"columns":["count"],"values":[[2]]}]})"},
      {"SHOW MEASUREMENT EXACT CARDINALITY WHERE v = '1'",
       R"({})"},
      {"SHOW MEASUREMENT CARDINALITY FROM cpu",
       R"({"series":[{"columns":["count"],"values":[[1]]}]})"},
      {"SHOW SERIES CARDINALITY FROM cpu",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[4]]}]})"},
      {"SHOW SERIES CARDINALITY WHERE host = 'a'",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW SERIES EXACT CARDINALITY WHERE host != 'a'",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[3]]},{"name":"disk","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW SERIES EXACT CARDINALITY WHERE v > 1",
       R"({})"},
      {"SHOW SERIES CARDINALITY WHERE time > 0",
       R"({"error":"SHOW SERIES EXACT CARDINALITY doesn't support time in WHERE clause"})"},
      {"SHOW TAG KEY CARDINALITY WHERE region = 'east'",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[2]]}]})"},
      {"SHOW TAG KEY EXACT CARDINALITY WHERE time > 0",
       R"({"error":"SHOW TAG KEY EXACT CARDINALITY doesn't support time in WHERE clause"})"},
      {"SHOW TAG VALUES CARDINALITY WITH KEY = host WHERE host != 'b'",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[2]]},{"name":"mem","columns":["count"],"values":[[2]]}]})"},
      {"SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host WHERE time < '2023-03-13T00:00:00Z'",
       R"({"series":[{"name":"cpu","columns":["count"],"values":[[1]]},{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW TAG VALUES EXACT CARDINALITY WITH KEY = host WHERE time > 0",
       R"({})"},
      {"SHOW FIELD KEY CARDINALITY WHERE host = 'z'",
       R"({"series":[{"name":"mem","columns":["count"],"values":[[1]]}]})"},
      {"SHOW FIELD KEY CARDINALITY WHERE time > 0",
       R"({"error":"SHOW FIELD KEY CARDINALITY doesn't support time in WHERE clause"})"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(c.q, "w1"), c.want) << c.q;
}


// DROP SERIES, DELETE and DROP MEASUREMENT over two RPs (autogen and a
// 1-day one), in order, as influxd 1.6.7 answered them.
TEST_F(MetaExec, DropSeriesDeleteAndDropMeasurementAsInfluxDB) {
  write("adm", "",
        "m1,host=h1,dc=x v=1,n=1i 1678060800000000000\n"
        "m1,host=h1,dc=x v=2,n=2i 1678147200000000000\n"
        "m1,host=h2,dc=y v=3 1678060800000000000\n"
        "m1,host=h2,dc=y v=4 1678233600000000000\n"
        "m1,host=h3 v=5 1678147200000000000\n"
        "m2,host=h1 u=1 1678060800000000000");
  EXPECT_EQ(run("CREATE RETENTION POLICY two ON adm DURATION INF REPLICATION 1 SHARD DURATION 1d"),
            "{}");
  write("adm", "two",
        "m1,host=h1,dc=x v=11,n=1i 1678060800000000000\n"
        "m1,host=h1,dc=x v=12,n=2i 1678147200000000000\n"
        "m1,host=h2,dc=y v=13 1678060800000000000\n"
        "m1,host=h2,dc=y v=14 1678233600000000000\n"
        "m1,host=h3 v=15 1678147200000000000\n"
        "m2,host=h1 u=1 1678060800000000000");
  const QueryCase cases[] = {
      {"SHOW SERIES ON adm",
       R"({"series":[{"columns":["key"],"values":[["m1,dc=x,host=h1"],["m1,dc=y,host=h2"],["m1,host=h3"],["m2,host=h1"]]}]})"},
      {"DROP SERIES FROM m1 WHERE time > 0",
       R"({"error":"DROP SERIES doesn't support time in WHERE clause"})"},
      {"DROP SERIES FROM m1 WHERE host = 'h1'",
       R"({})"},
      {"SHOW SERIES",
       R"({"series":[{"columns":["key"],"values":[["m1,dc=y,host=h2"],["m1,host=h3"],["m2,host=h1"]]}]})"},
      {"SHOW TAG VALUES WITH KEY = host",
       R"({"series":[{"name":"m1","columns":["key","value"],"values":[["host","h2"],["host","h3"]]},{"name":"m2","columns":["key","value"],"values":[["host","h1"]]}]})"},
      {"DELETE FROM m1 WHERE time >= '2023-03-07T00:00:00Z' AND time < '2023-03-08T00:00:00Z'",
       R"({})"},
      {"SHOW SERIES",
       R"({"series":[{"columns":["key"],"values":[["m1,dc=y,host=h2"],["m2,host=h1"]]}]})"},
      {"DROP MEASUREMENT m2",
       R"({})"},
      {"SHOW MEASUREMENTS",
       R"({"series":[{"name":"measurements","columns":["name"],"values":[["m1"]]}]})"},
      {"SHOW FIELD KEYS",
       R"({"series":[{"name":"m1","columns":["fieldKey","fieldType"],"values":[["n","integer"],["v","float"]]}]})"},
      // influxd names whichever shard failed first (here its shard 3).
      {"DROP SERIES FROM m1 WHERE v = 1",
       R"({"error":"shard 1: fields not supported in WHERE clause during deletion"})"},
      {"DELETE FROM m1 WHERE time != 0", R"({"error":"invalid time comparison operator: !="})"},
      {"DROP MEASUREMENT nosuch", "{}"},
      // (influxd then still lists m1 in SHOW MEASUREMENTS, without series:
      // its in-memory index, emptied by shards in parallel; tsd does not.)
      {"DROP SERIES FROM m1", "{}"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(c.q, "adm"), c.want) << c.q;
  EXPECT_EQ(run("DELETE FROM m1", "nodb"), R"({"error":"database not found: nodb"})");
}

// GROUP BY time() at the ends of time, as influxd 1.6.7 answered: a lower
// bound of the earliest time, or one whose window would start before it
// (Go's int64 wraps there), is no lower bound (windows start at the first
// point), and the last window near the latest time ends the windows.
TEST_F(MetaExec, GroupByTimeAtTheEndsOfTimeAsInfluxDB) {
  write("p", "", "m,host=a i=1i 1000000000\nm,host=a i=2i 2000000000\nm,host=b i=3i 3000000000");
  const char* kSince = "SELECT count(i) FROM m WHERE time >= ";
  struct Case {
    std::string q, want;
  } cases[] = {
      {"-9223372036854775806 AND time < 10s GROUP BY time(1000w)",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,3]]}]})"},
      {"-9223372036854775806 AND time < 10s GROUP BY time(9223372036854775807ns)",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,3]]}]})"},
      {"-9223372036854775806 AND time < 10s GROUP BY time(1000w) ORDER BY time DESC LIMIT 20",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,3]]}]})"},
      {"-9223372036854775000 AND time < 5s GROUP BY time(1s)",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[1000000000,1],[2000000000,1],[3000000000,1],[4000000000,0]]}]})"},
      {"0 AND time <= 9223372036854775806 GROUP BY time(1000w) fill(none)",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,3]]}]})"},
      {"9223372036854775000 GROUP BY time(1000w)", "{}"},
      // LIMIT + OFFSET past INT64_MAX (it overflowed).
      {"0 AND time < 10s GROUP BY time(1s) ORDER BY time DESC LIMIT 9223372036854775807 OFFSET 5",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[4000000000,0],[3000000000,1],[2000000000,1],[1000000000,1],[0,0]]}]})"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(kSince + c.q, "p"), c.want) << c.q;
}

// derivative() of integers subtracts them as InfluxDB's int64 does,
// wrapping (influxd 1.6.7's answer), not as floats.
TEST_F(MetaExec, IntegerDerivativeWrapsAsInfluxDB) {
  write("p", "",
        "m,host=a i=9223372036854775807i 1000000000\n"
        "m,host=a i=-9223372036854775808i 2000000000\n"
        "m,host=b i=9223372036854775807i 3000000000");
  EXPECT_EQ(run("SELECT derivative(sum(i)) FROM m WHERE time >= 0 AND time < 10s GROUP BY time(1s)",
                "p"),
            R"({"series":[{"name":"m","columns":["time","derivative"],"values":[[2000000000,1],[3000000000,-1]]}]})");
}

}  // namespace
}  // namespace tsd::query

namespace tsd::query {
namespace {

// Users and grants, the answers influxd 1.6.7 gave to the same statements
// (t8002 runs them against influxd over HTTP too).
TEST_F(MetaExec, UsersAndGrantsAsInfluxDB) {
  ASSERT_TRUE(storage::Catalog::open(dir_, true).ok());
  EXPECT_EQ(run("SHOW USERS"), "{\"series\":[{\"columns\":[\"user\",\"admin\"]}]}");
  EXPECT_EQ(run("CREATE USER admin WITH PASSWORD 'secret' WITH ALL PRIVILEGES; "
                "CREATE USER bob WITH PASSWORD ''; CREATE DATABASE db1; CREATE DATABASE db2; "
                "CREATE DATABASE db3; GRANT READ ON db1 TO bob; GRANT WRITE ON db1 TO bob; "
                "GRANT READ ON db2 TO bob; REVOKE ALL ON db2 FROM bob; GRANT ALL ON db3 TO bob; "
                "REVOKE WRITE ON db3 FROM bob; REVOKE READ ON db1 FROM bob"),
            "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}");
  EXPECT_EQ(run("SHOW GRANTS FOR bob"),
            "{\"series\":[{\"columns\":[\"database\",\"privilege\"],\"values\":[[\"db1\",\"WRITE\"],"
            "[\"db2\",\"NO PRIVILEGES\"],[\"db3\",\"READ\"]]}]}");
  EXPECT_EQ(run("GRANT READ ON nodb TO bob"), "{\"error\":\"database not found: nodb\"}");
  EXPECT_EQ(run("GRANT READ ON nodb TO nouser"), "{\"error\":\"user not found\"}");
  EXPECT_EQ(run("SHOW GRANTS FOR nobody"), "{\"error\":\"user not found\"}");
  EXPECT_EQ(run("CREATE USER admin WITH PASSWORD 'x'"), "{\"error\":\"user already exists\"}");
  EXPECT_EQ(run("CREATE USER \"\" WITH PASSWORD 'x'"), "{\"error\":\"username required\"}");
  EXPECT_EQ(run("SET PASSWORD FOR nouser = 'p'"), "{\"error\":\"user not found\"}");
  EXPECT_EQ(run("GRANT ALL PRIVILEGES TO nouser"), "{\"error\":\"user not found\"}");
  EXPECT_EQ(run("GRANT ALL PRIVILEGES TO bob; SHOW USERS"),
            "{}\n{\"series\":[{\"columns\":[\"user\",\"admin\"],\"values\":[[\"admin\",true],"
            "[\"bob\",true]]}]}");
  // The last statement keeps its own error; one before the last answers
  // "not executed".
  EXPECT_EQ(run("REVOKE ALL PRIVILEGES FROM bob; DROP USER bob; DROP USER bob"),
            "{}\n{}\n{\"error\":\"user not found\"}");
  EXPECT_EQ(run("DROP USER nobody; SHOW USERS"), "{\"error\":\"not executed\"}");
  // A database dropped takes its grants with it.
  EXPECT_EQ(run("CREATE USER carol WITH PASSWORD 'c'; GRANT READ ON db2 TO carol; "
                "GRANT WRITE ON db3 TO carol; DROP DATABASE db2; SHOW GRANTS FOR carol"),
            "{}\n{}\n{}\n{}\n{\"series\":[{\"columns\":[\"database\",\"privilege\"],"
            "\"values\":[[\"db3\",\"WRITE\"]]}]}");
  // Passwords are stored as Argon2id hashes, never as given.
  auto u = store_->catalog().user("carol");
  ASSERT_TRUE(u.ok() && *u);
  EXPECT_TRUE((*u)->hash.starts_with("$argon2id$")) << (*u)->hash;
  EXPECT_EQ((*u)->hash.find("'c'"), std::string::npos);
  EXPECT_TRUE(verify_password((*u)->hash, "c"));
  EXPECT_FALSE(verify_password((*u)->hash, "C"));
  EXPECT_EQ(run("SET PASSWORD FOR carol = 'new'"), "{}");
  u = store_->catalog().user("carol");
  EXPECT_TRUE(verify_password((*u)->hash, "new"));
  EXPECT_FALSE(verify_password((*u)->hash, "c"));
}

// Authorization with authentication on: influxd 1.6.7's answers (t8002).
TEST_F(MetaExec, AuthorizationAsInfluxDB) {
  ASSERT_TRUE(storage::Catalog::open(dir_, true).ok());
  auto as = [&](const storage::User* user, const std::string& q, const std::string& db = "") {
    if (!store_) run("SHOW DATABASES");
    Engine e(store_.get());
    ExecOptions o;
    o.db = db;
    o.authorize = true;
    o.user = user;
    Results rs = e.execute(q, o);
    if (!rs.error.empty()) return rs.error;
    std::string out;
    for (const auto& r : rs.results) {
      out += (out.empty() ? "" : "\n") + (r.error.empty() ? series_json(r) : r.error);
    }
    return out;
  };
  const std::string first = "error authorizing query: create admin user first or disable authentication";
  EXPECT_EQ(as(nullptr, "SHOW DATABASES"), first);
  EXPECT_EQ(as(nullptr, "CREATE USER bob WITH PASSWORD 'pw'"), first);
  EXPECT_EQ(as(nullptr, "CREATE USER admin WITH PASSWORD 's' WITH ALL PRIVILEGES; "
                        "CREATE USER bob WITH PASSWORD 'pw'; CREATE DATABASE db1; "
                        "CREATE DATABASE db2; CREATE DATABASE db3; GRANT READ ON db1 TO bob; "
                        "GRANT WRITE ON db2 TO bob"),
            "{}\n{}\n{}\n{}\n{}\n{}\n{}");
  EXPECT_EQ(as(nullptr, "SHOW DATABASES"), "error authorizing query: no user provided");
  auto bob = store_->catalog().user("bob");
  ASSERT_TRUE(bob.ok() && *bob);
  const storage::User* b = &**bob;
  // Databases listed: those bob may read or write.
  EXPECT_EQ(as(b, "SHOW DATABASES"),
            "{\"series\":[{\"name\":\"databases\",\"columns\":[\"name\"],\"values\":[[\"db1\"],"
            "[\"db2\"]]}]}");
  EXPECT_EQ(as(b, "SHOW USERS"),
            "error authorizing query: bob not authorized to execute statement 'SHOW USERS', "
            "requires admin privilege");
  EXPECT_EQ(as(b, "SELECT * FROM cpu", "db1"), "{}");
  EXPECT_EQ(as(b, "select  *  from  cpu", "db2"),
            "error authorizing query: bob not authorized to execute statement 'SELECT * FROM cpu', "
            "requires READ on db2");
  EXPECT_EQ(as(b, "SELECT * FROM cpu"),
            "error authorizing query: bob not authorized to execute statement 'SELECT * FROM cpu', "
            "requires READ on ");
  EXPECT_EQ(as(b, "SELECT * FROM db2..cpu", "db1"),
            "error authorizing query: bob not authorized to execute statement "
            "'SELECT * FROM db2..cpu', requires READ on db2");
  EXPECT_EQ(as(b, "show measurements", "db2"),
            "error authorizing query: bob not authorized to execute statement 'SHOW MEASUREMENTS', "
            "requires READ on db2");
  EXPECT_EQ(as(b, "CREATE DATABASE x"),
            "error authorizing query: bob not authorized to execute statement 'CREATE DATABASE x', "
            "requires admin privilege");
  // Passwords are never quoted back.
  EXPECT_EQ(as(b, "SET PASSWORD FOR bob = 'new'"),
            "error authorizing query: bob not authorized to execute statement "
            "'SET PASSWORD FOR bob = [REDACTED]', requires admin privilege");
  EXPECT_EQ(as(b, "CREATE USER eve WITH PASSWORD 'x' WITH ALL PRIVILEGES"),
            "error authorizing query: bob not authorized to execute statement "
            "'CREATE USER eve WITH PASSWORD [REDACTED] WITH ALL PRIVILEGES', requires admin privilege");
  // INTO needs WRITE on the target; DROP SERIES and DELETE WRITE on ?db.
  EXPECT_EQ(as(b, "SELECT * INTO db2..x FROM cpu", "db1"),
            "{\"series\":[{\"name\":\"result\",\"columns\":[\"time\",\"written\"],\"values\":[[0,0]]}]}");
  EXPECT_EQ(as(b, "SELECT * INTO db3..x FROM cpu", "db1"),
            "error authorizing query: bob not authorized to execute statement "
            "'SELECT * INTO db3..x FROM cpu', requires WRITE on db3");
  EXPECT_EQ(as(b, "DROP SERIES FROM cpu", "db1"),
            "error authorizing query: bob not authorized to execute statement "
            "'DROP SERIES FROM cpu', requires WRITE on db1");
  EXPECT_EQ(as(b, "DELETE FROM cpu", "db2"), "{}");
  // One statement refused refuses the query: nothing of it runs.
  EXPECT_EQ(as(b, "DELETE FROM cpu; DROP DATABASE db2", "db2"),
            "error authorizing query: bob not authorized to execute statement "
            "'DROP DATABASE db2', requires admin privilege");
  EXPECT_NE(run("SHOW DATABASES").find("db2"), std::string::npos);
  // An admin may anything.
  auto admin = store_->catalog().user("admin");
  EXPECT_EQ(as(&**admin, "SHOW USERS"),
            "{\"series\":[{\"columns\":[\"user\",\"admin\"],\"values\":[[\"admin\",true],"
            "[\"bob\",false]]}]}");
}

// SELECT's corners where influxd 1.6.7's iterators decide (their answers,
// epoch=ns, over the same points): fill() before the arithmetic around
// it, a transformation's extra interval from the query's start, OFFSET
// without LIMIT on a raw query, LIMIT per column, distinct()'s order,
// SLIMIT over groups without the field, tags an outer query hands its
// subquery, fill(linear)'s truncation, top()/bottom() read with the
// limits on, elapsed() and top() in descending order.
TEST_F(MetaExec, SelectCornersAsInfluxDB) {
  write("ut", "",
      "m,host=a v=10i 0\n"
      "m,host=a v=12i 600000000000\n"
      "m,host=a v=11i 1200000000000\n"
      "m,host=a v=15i 1800000000000\n"
      "m,host=a v=18i 3600000000000\n"
      "m,host=a v=17i 4200000000000\n"
      "m,host=a v=21i 4800000000000\n"
      "m,host=a v=20i 5400000000000\n"
      "m,host=a v=19i 6000000000000\n"
      "m,host=a v=23i 6600000000000\n"
      "m,host=b v=5i 0\n"
      "m,host=b v=8i 1200000000000\n"
      "m,host=b v=6i 2400000000000\n"
      "m,host=b v=9i 3600000000000\n"
      "m,host=b v=8i 4800000000000\n"
      "m,host=b v=3i 6000000000000\n"
      "m,host=c w=1i 1800000000000\n");
  struct Case {
    const char* q;
    const char* want;
  } cases[] = {
      {"SELECT count(v) - 2 FROM m WHERE time >= 0 AND time < 2h GROUP BY time(30m), host fill(-1)",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,1],[1800000000000,-1],[3600000000000,1],[5400000000000,1]]},{"name":"m","columns":["time","count"],"values":[[0,0],[1800000000000,-1],[3600000000000,0],[5400000000000,-1]]}]})"},
      {"SELECT derivative(max(v)) FROM m WHERE time >= 15m AND time < 2h GROUP BY time(30m)",
       R"({"series":[{"name":"m","columns":["time","derivative"],"values":[[1800000000000,3],[3600000000000,6],[5400000000000,2]]}]})"},
      {"SELECT v FROM m WHERE time >= 0 AND time < 2h OFFSET 2",
       R"({"series":[{"name":"m","columns":["time","v"],"values":[[600000000000,12]]}]})"},
      {"SELECT max(v), derivative(mean(v)) FROM m WHERE time >= 0 AND time < 2h GROUP BY time(20m) LIMIT 2",
       R"({"series":[{"name":"m","columns":["time","max","derivative"],"values":[[0,12,null],[1200000000000,15,2.333333333333334],[2400000000000,null,-5.333333333333334]]}]})"},
      {"SELECT distinct(v) FROM m WHERE time >= 0 AND time < 2h GROUP BY time(1h)",
       R"({"series":[{"name":"m","columns":["time","distinct"],"values":[[0,5],[0,10],[0,12],[0,8],[0,11],[0,15],[0,6],[3600000000000,9],[3600000000000,18],[3600000000000,17],[3600000000000,8],[3600000000000,21],[3600000000000,20],[3600000000000,3],[3600000000000,19],[3600000000000,23]]}]})"},
      {"SELECT mean(v) FROM m WHERE time >= 0 AND time < 2h GROUP BY host SLIMIT 1 SOFFSET 2",
       R"({})"},
      {"SELECT count(u) FROM (SELECT max(v) AS u FROM m WHERE time >= 0 AND time < 2h GROUP BY time(30m)) WHERE time >= 0 AND time < 2h GROUP BY host",
       R"({"series":[{"name":"m","columns":["time","count"],"values":[[0,4]]},{"name":"m","columns":["time","count"],"values":[[0,4]]}]})"},
      {"SELECT first(v) FROM m WHERE host = 'b' AND time >= 0 AND time < 2h GROUP BY time(10m) fill(linear)",
       R"({"series":[{"name":"m","columns":["time","first"],"values":[[0,5],[600000000000,6],[1200000000000,8],[1800000000000,7],[2400000000000,6],[3000000000000,7],[3600000000000,9],[4200000000000,8],[4800000000000,8],[5400000000000,5],[6000000000000,3],[6600000000000,null]]}]})"},
      {"SELECT bottom(v, 1) FROM m WHERE time >= 0 AND time < 2h LIMIT 1",
       R"({"series":[{"name":"m","columns":["time","bottom"],"values":[[0,5]]}]})"},
      {"SELECT elapsed(v, 1m) FROM m WHERE host = 'a' AND time >= 0 AND time < 1h ORDER BY time DESC",
       R"({"series":[{"name":"m","columns":["time","elapsed"],"values":[[1200000000000,-10],[600000000000,-10],[0,-10]]}]})"},
      {"SELECT top(v, 2) FROM m WHERE time >= 0 AND time < 2h GROUP BY time(1h) ORDER BY time DESC",
       R"({"series":[{"name":"m","columns":["time","top"],"values":[[4800000000000,21],[6600000000000,23],[600000000000,12],[1800000000000,15]]}]})"},
      // A selector's auxiliary columns (arithmetic too) at the point it
      // chose, not at the window's start.
      {"SELECT min(v), v * 2, host FROM m WHERE time >= 0 AND time < 2h GROUP BY time(1h)",
       R"({"series":[{"name":"m","columns":["time","min","v","host"],"values":[[0,5,10,"b"],[3600000000000,3,6,"b"]]}]})"},
      // A raw transformation in descending order reads its input last first.
      {"SELECT difference(v) FROM m WHERE time >= 0 AND time < 2h ORDER BY time DESC",
       R"({"series":[{"name":"m","columns":["time","difference"],"values":[[6000000000000,-20],[5400000000000,17],[4800000000000,-12],[4200000000000,9],[3600000000000,-8],[2400000000000,-3],[1800000000000,9],[1200000000000,-7],[600000000000,4],[0,-7]]}]})"},
      // A subquery's rows of equal time in the order its own merge gave
      // them (here by host), the outer WHERE applied after.
      {"SELECT v FROM (SELECT v, host FROM m WHERE time >= 0 AND time < 2h) WHERE time >= 0 AND time < 2h AND v > 8",
       R"({"series":[{"name":"m","columns":["time","v"],"values":[[0,10],[600000000000,12],[1200000000000,11],[1800000000000,15],[3600000000000,18],[3600000000000,9],[4200000000000,17],[4800000000000,21],[5400000000000,20],[6000000000000,19],[6600000000000,23]]}]})"},
      {"SELECT w FROM (SELECT max(v) AS w FROM m WHERE time >= 0 AND time < 2h GROUP BY time(1h), host) WHERE time >= 0 AND time < 2h",
       R"({"series":[{"name":"m","columns":["time","w"],"values":[[0,15],[0,8],[3600000000000,23],[3600000000000,9]]}]})"},
      {"SELECT mean(v) & 1 FROM m",
       R"({"error":"type error: mean(v::integer) & 1: incompatible types: float and integer"})"},
  };
  for (const auto& c : cases) EXPECT_EQ(run(c.q, "ut"), c.want) << c.q;
}

// fill(N) of a selector of a string field is "" even where LIMIT left the
// group's column no point to take its type from (influxd's iterator is a
// string one all the same; its answer, epoch=ns).
TEST_F(MetaExec, FillOfAStringSelectorAsInfluxDB) {
  write("ut2", "",
        "m2,host=a s=\"x\" 0\n"
        "m2,host=a s=\"y\" 600000000000\n"
        "m2,host=b s=\"p\" 0\n"
        "m2,host=b s=\"q\" 600000000000\n"
        "m2,host=b s=\"r\" 1200000000000\n"
        "m2,host=b s=\"s\" 1800000000000\n"
        "m2,host=b s=\"t\" 2400000000000\n"
        "m2,host=b s=\"u\" 3000000000000\n");
  EXPECT_EQ(run("SELECT first(s) FROM m2 WHERE time >= 0 AND time < 1h GROUP BY time(10m), host fill(0) "
                "ORDER BY time DESC LIMIT 2 OFFSET 1",
                "ut2"),
            R"({"series":[{"name":"m2","columns":["time","first"],"values":[[2400000000000,"t"],[1800000000000,"s"]]},)"
            R"({"name":"m2","columns":["time","first"],"values":[[2400000000000,""],[1800000000000,""]]}]})");
}

}  // namespace
}  // namespace tsd::query
