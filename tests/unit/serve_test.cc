// The pure parts of tsd-serve's HTTP API (serve/api.h): addresses, forms,
// error bodies, line checks, chunks and CSV as influxd 1.6 answers them
// (the expected texts were taken from a real influxd 1.6.7, t8001).
#include <gtest/gtest.h>

#include "core/strings.h"
#include "serve/api.h"

namespace tsd::serve {
namespace {

TEST(ServeApi, ParseBind) {
  auto b = parse_bind("127.0.0.1:8087");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->port, 8087);
  b = parse_bind(":9000");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->port, 9000);
  b = parse_bind("[::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 0);
  b = parse_bind("localhost");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 8086);
  EXPECT_FALSE(parse_bind("127.0.0.1:99999").ok());
  EXPECT_FALSE(parse_bind("127.0.0.1:x").ok());
  EXPECT_FALSE(parse_bind("[::1").ok());
}

TEST(ServeApi, Loopback) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.1.2.3"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("192.168.1.1"));
  EXPECT_FALSE(is_loopback("::"));
}

TEST(ServeApi, ErrorBodies) {
  EXPECT_EQ(error_json("database not found: \"x\""), "{\"error\":\"database not found: \\\"x\\\"\"}\n");
  EXPECT_EQ(error_json("a\nb"), "{\"error\":\"a\\nb\"}\n");
  EXPECT_EQ(error_csv("error parsing query: found EOF, expected FROM at line 1, char 9"),
            "error\n\"error parsing query: found EOF, expected FROM at line 1, char 9\"\n");
  EXPECT_EQ(error_csv("plain"), "error\nplain\n");
}

TEST(ServeApi, Form) {
  auto f = parse_form("q=SELECT+*+FROM+%22cpu%22&db=mon&db=other&empty=&flag");
  EXPECT_EQ(f["q"], "SELECT * FROM \"cpu\"");
  EXPECT_EQ(f["db"], "mon");  // the first value, as Go's FormValue
  EXPECT_EQ(f["empty"], "");
  EXPECT_EQ(f.count("flag"), 1u);
  EXPECT_EQ(url_decode("100%"), "100%");
  EXPECT_EQ(url_decode("%zz%41"), "%zzA");
}

TEST(ServeApi, CheckLines) {
  CheckedLines c = check_lines("m v=1 1\r\nm v=\n\n# comment\nm v=3 3", Precision::kNanosecond);
  EXPECT_EQ(c.good, "m v=1 1\nm v=3 3\n");
  EXPECT_EQ(c.good_count, 2u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_TRUE(c.errors[0].starts_with("unable to parse 'm v=': ")) << c.errors[0];
  c = check_lines("a\nb v=1\nc", Precision::kSecond);
  EXPECT_EQ(c.good_count, 1u);
  EXPECT_EQ(c.errors.size(), 2u);
  EXPECT_NE(c.error_text().find("'a': "), std::string::npos);
  EXPECT_NE(c.error_text().find("\nunable to parse 'c': "), std::string::npos);
  EXPECT_EQ(check_lines("", Precision::kNanosecond).good_count, 0u);
  // All good: the body is written as it is (no copy).
  c = check_lines("m v=1 1\n# c\nm v=2 2", Precision::kNanosecond);
  EXPECT_TRUE(c.all_good);
  EXPECT_EQ(c.good_count, 2u);
  EXPECT_EQ(c.good, "");
  // The parses kept for the writer: all good and few enough, else none.
  std::vector<lp::ParsedLine> keep;
  c = check_lines("m v=1 1\n# c\nm,t=a v=2 2", Precision::kSecond, &keep, 10);
  ASSERT_EQ(c.kept, 2u);
  EXPECT_EQ(keep[1].raw_series, "m,t=a");
  EXPECT_EQ(keep[1].time, 2'000'000'000);
  EXPECT_EQ(check_lines("m v=1 1\nbad\nm v=2 2", Precision::kSecond, &keep, 10).kept, 0u);
  EXPECT_EQ(check_lines("m v=1 1\nm v=2 2\nm v=3 3", Precision::kSecond, &keep, 2).kept, 0u);
  EXPECT_EQ(check_lines("m v=1 1", Precision::kSecond).kept, 0u);
  // Series texts are parsed whole once per thread, then only the fields:
  // a bad tag section is reported the first time and every time after,
  // with the whole parse's error, and a known series text still checks
  // its fields.
  std::string bad_tags = "m,t=a,u v=1 1";
  for (int round = 0; round < 2; round++) {
    c = check_lines("m,t=a v=1 1\n" + bad_tags + "\nm,t=a v= 2\nm,t=a v=3 3", Precision::kSecond, &keep, 10);
    EXPECT_EQ(c.good, "m,t=a v=1 1\nm,t=a v=3 3\n") << round;
    ASSERT_EQ(c.errors.size(), 2u) << round;
    lp::ParsedLine whole;
    Status s = lp::parse_line(bad_tags, {}, &whole);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(c.errors[0], "unable to parse '" + bad_tags + "': " + s.message()) << round;
    EXPECT_TRUE(c.errors[1].starts_with("unable to parse 'm,t=a v= 2': ")) << c.errors[1];
  }
  c = check_lines("m,t=a v=1 1\nm,t=a v=2 2", Precision::kSecond, &keep, 10);
  ASSERT_EQ(c.kept, 2u);
  EXPECT_EQ(keep[1].raw_series, "m,t=a");
  EXPECT_EQ(keep[1].time, 2'000'000'000);
}

TEST(ServeApi, Precisions) {
  EXPECT_EQ(write_precision(""), Precision::kNanosecond);
  EXPECT_EQ(write_precision("s"), Precision::kSecond);
  EXPECT_EQ(write_precision("u"), Precision::kMicrosecond);
  EXPECT_EQ(write_precision("bogus"), Precision::kNanosecond);
  EXPECT_EQ(*v2_write_precision("us"), Precision::kMicrosecond);
  EXPECT_EQ(*v2_write_precision(""), Precision::kNanosecond);
  EXPECT_FALSE(v2_write_precision("h").ok());
  std::string db, rp;
  split_bucket("mon/week", &db, &rp);
  EXPECT_EQ(db, "mon");
  EXPECT_EQ(rp, "week");
  split_bucket("mon", &db, &rp);
  EXPECT_EQ(db, "mon");
  EXPECT_EQ(rp, "");
}

query::Series series(std::string name, std::string host, int rows) {
  query::Series s;
  s.name = std::move(name);
  if (!host.empty()) s.tags = {{"host", host}};
  s.columns = {"time", "v"};
  s.has_time = true;
  for (int i = 0; i < rows; i++) s.values.push_back({int64_t{i}, double(i) + 0.5});
  return s;
}

TEST(ServeApi, ChunksAsInfluxdStreamsThem) {
  query::Results r;
  query::StatementResult st;
  st.series = {series("cpu", "a", 3), series("cpu", "b", 1)};
  r.results.push_back(st);
  query::StatementResult show;
  show.statement_id = 1;
  query::Series dbs;
  dbs.name = "databases";
  dbs.columns = {"name"};
  dbs.values = {{std::string("a")}, {std::string("b")}};
  show.series.push_back(dbs);
  r.results.push_back(show);
  query::StatementResult empty;
  empty.statement_id = 2;
  r.results.push_back(empty);

  auto chunks = chunk_results(r, 2);
  ASSERT_EQ(chunks.size(), 5u);
  // cpu,host=a: 2 rows (partial series, partial result), 1 row (result partial).
  EXPECT_EQ(chunks[0].results[0].series[0].values.size(), 2u);
  EXPECT_TRUE(chunks[0].results[0].series[0].partial);
  EXPECT_TRUE(chunks[0].results[0].partial);
  EXPECT_EQ(chunks[1].results[0].series[0].values.size(), 1u);
  EXPECT_FALSE(chunks[1].results[0].series[0].partial);
  EXPECT_TRUE(chunks[1].results[0].partial);
  // cpu,host=b: the statement's last chunk.
  EXPECT_FALSE(chunks[2].results[0].series[0].partial);
  EXPECT_FALSE(chunks[2].results[0].partial);
  // SHOW: one piece whatever the chunk size.
  EXPECT_EQ(chunks[3].results[0].statement_id, 1);
  EXPECT_EQ(chunks[3].results[0].series[0].values.size(), 2u);
  EXPECT_FALSE(chunks[3].results[0].partial);
  EXPECT_EQ(chunks[4].results[0].statement_id, 2);
  EXPECT_TRUE(chunks[4].results[0].series.empty());
  // A request's error is the one chunk.
  query::Results bad;
  bad.error = "error parsing query: x";
  auto b = chunk_results(bad, 10);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].error, bad.error);
}

TEST(ServeApi, CsvAsInfluxd) {
  query::Results r;
  query::StatementResult st;
  st.series = {series("cpu", "a b", 2)};
  st.series[0].values[1][1] = 1e-7;
  r.results.push_back(st);
  query::StatementResult failed;
  failed.statement_id = 1;
  failed.error = "boom";
  r.results.push_back(failed);
  query::StatementResult show;
  show.statement_id = 2;
  query::Series dbs;
  dbs.name = "databases";
  dbs.columns = {"name"};
  dbs.values = {{std::string("x,y")}, {std::string("plain")}};
  show.series.push_back(dbs);
  r.results.push_back(show);
  std::string out;
  int state = -1;
  format_csv_http(r, "", &state, &out);
  EXPECT_EQ(out,
            "name,tags,time,v\n"
            "cpu,host=a\\ b,0,0.5\n"
            "cpu,host=a\\ b,1,0.0000001\n"
            "\n"
            "name,tags,name\n"
            "databases,,\"x,y\"\n"
            "databases,,plain\n");
  EXPECT_EQ(state, 2);
  query::Results t;
  query::StatementResult ts;
  ts.series = {series("m", "", 1)};
  ts.series[0].values[0][0] = int64_t{1700000000123456789};
  t.results.push_back(ts);
  out.clear();
  state = -1;
  format_csv_http(t, "ms", &state, &out);
  EXPECT_EQ(out, "name,tags,time,v\nm,,1700000000123,0.5\n");
}

TEST(ServeApi, StatementsThatWriteOnGet) {
  EXPECT_TRUE(writes_on_get("CREATE DATABASE x"));
  EXPECT_TRUE(writes_on_get("drop measurement m"));
  EXPECT_TRUE(writes_on_get("SET PASSWORD FOR u = 'p'"));
  EXPECT_FALSE(writes_on_get("SELECT * FROM createx"));
  EXPECT_FALSE(writes_on_get("SHOW DATABASES"));
  EXPECT_FALSE(writes_on_get("DELETE FROM m"));
  EXPECT_FALSE(writes_on_get("CREATEX"));
  EXPECT_EQ(read_only_warning("CREATE DATABASE e"),
            "deprecated use of 'CREATE DATABASE e' in a read only context, please use a POST "
            "request instead");
  auto s = split_statements(" SELECT ';' FROM \"a;b\"; -- c;d\n SHOW DATABASES ;; ");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], "SELECT ';' FROM \"a;b\"");
  EXPECT_EQ(s[1], "SHOW DATABASES");
}

TEST(ServeApi, CredentialsAsInfluxd) {
  auto c = parse_credentials("admin", "secret", "Basic Ym9iOnB3");  // the parameters win
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "admin");
  EXPECT_EQ(c->password, "secret");
  c = parse_credentials("admin", "", "Basic Ym9iOnB3");  // bob:pw
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "bob");
  EXPECT_EQ(c->password, "pw");
  c = parse_credentials("", "", "Basic Ym9iOg==");  // "bob:", an empty password
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->password, "");
  c = parse_credentials("", "", "Token bob:p:w");  // InfluxDB 1.8's Token user:password
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user, "bob");
  EXPECT_EQ(c->password, "p:w");
  for (const char* bad : {"", "Basic !!!", "Basic Ym9i", "Token garbage", "Digest x"}) {
    c = parse_credentials("", "", bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.status().message(), "unable to parse authentication credentials") << bad;
  }
  EXPECT_EQ(parse_credentials("", "", "Bearer x.y.z").status().message(), "bearer auth disabld");
}

TEST(ServeApi, RequestId) {
  std::string a = request_id(), b = request_id();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '4');
}

}  // namespace
}  // namespace tsd::serve
