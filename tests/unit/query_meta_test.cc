// The statements other than SELECT: parsing (errors as influxd 1.6.7
// words them) and running them over a data directory.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/parser.h"

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

}  // namespace
}  // namespace tsd::query
