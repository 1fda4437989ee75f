// lib/client's pure parts of the remote client (remote_http.h), the
// /query JSON parser it reads answers with (query/parse_json.h), and the
// local client's partial writes.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <zlib.h>

#include <filesystem>

#include "client/client.h"
#include "client/remote_http.h"
#include "core/time.h"
#include "query/parse_json.h"

namespace tsd {
namespace {

using client::http::base_url;
using client::http::make_url;
using client::http::merge_chunk;
using client::http::read_only;
using client::http::retry_after_ns;

TEST(RemoteUrl, BaseAndParameters) {
  EXPECT_EQ(base_url("localhost:8086"), "http://localhost:8086");
  EXPECT_EQ(base_url("https://db.example.com:8086/"), "https://db.example.com:8086");
  EXPECT_EQ(base_url(" http://h/influx// "), "http://h/influx");
  EXPECT_EQ(make_url("http://h:1", "/query",
                     {{"db", "my db"}, {"rp", ""}, {"q", "SELECT \"v\" FROM m WHERE t='a&b'"}}),
            "http://h:1/query?db=my%20db&q=SELECT%20%22v%22%20FROM%20m%20WHERE%20t%3D%27a%26b%27");
  EXPECT_EQ(make_url("http://h", "/write", {{"db", "x"}, {"precision", "n"}}),
            "http://h/write?db=x&precision=n");
  EXPECT_EQ(client::http::url_encode("a-b_c.d~é"), "a-b_c.d~%C3%A9");
}

TEST(RemoteUrl, Host) {
  EXPECT_EQ(client::http::url_host("http://127.0.0.1:8086"), "127.0.0.1");
  EXPECT_EQ(client::http::url_host("https://user:pw@db.example:8086"), "db.example");
  EXPECT_EQ(client::http::url_host("http://[::1]:8086"), "::1");
  EXPECT_EQ(client::http::url_host("http://localhost"), "localhost");
}

// What a large write to a server off this machine sends: a gzip stream
// that inflates back to the lines.
TEST(RemoteWrite, GzipRoundTrip) {
  std::string lines;
  for (int i = 0; i < 5000; i++) lines += "cpu,host=h" + std::to_string(i % 100) + " v=" + std::to_string(i) + "\n";
  std::string zipped;
  ASSERT_TRUE(client::http::gzip(lines, &zipped));
  EXPECT_LT(zipped.size(), lines.size() / 4);
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string back(lines.size() + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(zipped.data());
  z.avail_in = static_cast<uInt>(zipped.size());
  z.next_out = reinterpret_cast<Bytef*>(back.data());
  z.avail_out = static_cast<uInt>(back.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  back.resize(z.total_out);
  inflateEnd(&z);
  EXPECT_EQ(back, lines);
}

TEST(RemoteMethod, GetOnlyForStatementsThatRead) {
  EXPECT_TRUE(read_only("SELECT v FROM m"));
  EXPECT_TRUE(read_only("show databases"));
  EXPECT_TRUE(read_only("SELECT v FROM m; SHOW MEASUREMENTS; SHOW TAG KEYS"));
  EXPECT_TRUE(read_only("EXPLAIN SELECT v FROM m"));
  EXPECT_FALSE(read_only("SELECT v INTO other FROM m"));
  EXPECT_FALSE(read_only("SELECT v FROM m; CREATE DATABASE x"));
  EXPECT_FALSE(read_only("CREATE DATABASE x"));
  EXPECT_FALSE(read_only("DROP MEASUREMENT m"));
  EXPECT_FALSE(read_only("DELETE FROM m"));
  EXPECT_FALSE(read_only("KILL QUERY 1"));
  EXPECT_FALSE(read_only("SELEC"));  // the server words the parse error
  EXPECT_FALSE(read_only(""));
}

TEST(RemoteRetryAfter, SecondsOrHttpDate) {
  EXPECT_EQ(retry_after_ns("3", 0), 3 * kSecond);
  EXPECT_EQ(retry_after_ns(" 0 ", 0), 0);
  EXPECT_EQ(retry_after_ns("", 0), -1);
  EXPECT_EQ(retry_after_ns("soon", 0), -1);
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
  EXPECT_EQ(retry_after_ns("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470 * kSecond), 10 * kSecond);
  EXPECT_EQ(retry_after_ns("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490 * kSecond), 0);
}

query::Results chunk(std::string_view doc) {
  query::Results r;
  EXPECT_TRUE(query::add_json_document(doc, query::JsonOptions{}, &r).ok()) << doc;
  return r;
}

TEST(RemoteChunks, MergedAsInfluxdMergesThem) {
  query::Results out;
  // A series split over two chunks, then another series, then a second
  // statement.
  merge_chunk(chunk(R"({"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","v"],"values":[[1,1],[2,2]],"partial":true}],"partial":true}]})"),
              false, &out);
  merge_chunk(chunk(R"({"results":[{"statement_id":0,"series":[{"name":"m","tags":{"h":"a"},"columns":["time","v"],"values":[[3,3.5]]},{"name":"m","tags":{"h":"b"},"columns":["time","v"],"values":[[1,9]]}]}]})"),
              false, &out);
  merge_chunk(chunk(R"({"results":[{"statement_id":1,"series":[{"name":"databases","columns":["name"],"values":[["d"]]}]}]})"),
              false, &out);
  ASSERT_EQ(out.results.size(), 2u);
  const auto& st = out.results[0];
  EXPECT_FALSE(st.partial);
  ASSERT_EQ(st.series.size(), 2u);
  ASSERT_EQ(st.series[0].values.size(), 3u);
  EXPECT_TRUE(st.series[0].partial);  // the first chunk's mark, as influxd keeps it
  EXPECT_EQ(std::get<int64_t>(st.series[0].values[1][0]), 2);
  EXPECT_EQ(std::get<double>(st.series[0].values[2][1]), 3.5);
  EXPECT_EQ(std::get<int64_t>(st.series[1].values[0][1]), 9);
  EXPECT_EQ(out.results[1].statement_id, 1);
}

TEST(RemoteChunks, AnErrorReplacesItsStatementUnlessKeptAsChunks) {
  const char* failed = R"({"results":[{"statement_id":0,"error":"boom"}]})";
  const char* not_executed = R"({"results":[{"statement_id":0,"error":"not executed"}]})";
  query::Results merged, kept;
  for (const char* d : {failed, not_executed}) {
    merge_chunk(chunk(d), false, &merged);
    merge_chunk(chunk(d), true, &kept);
  }
  ASSERT_EQ(merged.results.size(), 1u);
  EXPECT_EQ(merged.results[0].error, "not executed");
  ASSERT_EQ(kept.results.size(), 2u);
  EXPECT_EQ(kept.results[0].error, "boom");
  query::Results req;
  merge_chunk(chunk(R"({"error":"error parsing query: found EOF"})"), false, &req);
  EXPECT_EQ(req.error, "error parsing query: found EOF");
}

TEST(QueryJson, TypesExactTimesAsGiven) {
  auto r = query::parse_json_results(
      R"({"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","i","f","s","b","u"],"values":[[1700000000123456789,-5,2.5,"x",true,18446744073709551615]]}],"messages":[{"level":"warning","text":"w"}]}]})");
  ASSERT_TRUE(r.ok());
  const auto& row = r->results[0].series[0].values[0];
  EXPECT_EQ(std::get<int64_t>(row[0]), 1700000000123456789);
  EXPECT_EQ(std::get<int64_t>(row[1]), -5);
  EXPECT_EQ(std::get<double>(row[2]), 2.5);
  EXPECT_EQ(std::get<std::string>(row[3]), "x");
  EXPECT_EQ(std::get<bool>(row[4]), true);
  EXPECT_EQ(std::get<uint64_t>(row[5]), 18446744073709551615u);
  ASSERT_EQ(r->results[0].messages.size(), 1u);
  EXPECT_EQ(r->results[0].messages[0].text, "w");
  // Guessed units (tsd-render's reading): seconds become nanoseconds.
  query::JsonOptions o;
  o.epoch_ns = [](int64_t t) { return t * 1000; };
  auto g = query::parse_json_results(R"({"results":[{"series":[{"columns":["time"],"values":[[5]]}]}]})", o);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(std::get<int64_t>(g->results[0].series[0].values[0][0]), 5000);
  EXPECT_FALSE(query::parse_json_results("{\"nope\":1}").ok());
}

TEST(RemoteClient, RefusedConnectionNamesTheUrl) {
  client::RemoteOptions ro;
  ro.url = "127.0.0.1:9";
  auto c = client::open_remote(ro);
  EXPECT_EQ(c->location(), "http://127.0.0.1:9");
  query::Results r = c->query("SHOW DATABASES", {});
  EXPECT_EQ(r.error, "cannot reach http://127.0.0.1:9/: Connection refused");
}

TEST(ClientOpen, PicksRemoteWhenAUrlIsGiven) {
  client::ConnectOptions o;
  o.data_dir = "/nonexistent/tsd";
  EXPECT_EQ(client::open(o)->location(), "/nonexistent/tsd");
  o.remote.url = "http://example.invalid:8086/";
  EXPECT_EQ(client::open(o)->location(), "http://example.invalid:8086");
}

// tsd-serve's /write through the local client: a bad line refuses the
// request; lines the caller checked (`checked`) are parsed once, to store.
TEST(LocalClient, RefusesABadLineUnlessChecked) {
  char tmpl[] = "/tmp/tsd-client-test.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  auto c = client::open_local(dir);
  ASSERT_FALSE(c->query("CREATE DATABASE d", {}).failed());
  client::WriteOptions wo;
  wo.db = "d";
  Status s = c->write("m v=1 1\nm v=\n", wo);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(s.message().starts_with("unable to parse 'm v=': ")) << s.message();
  wo.checked = true;
  s = c->write("m v=1 1\r\n\n# comment\nm v=3 3", wo);
  ASSERT_TRUE(s.ok()) << s.message();
  client::QueryOptions qo;
  qo.db = "d";
  query::Results r = c->query("SELECT count(v) FROM m", qo);
  ASSERT_FALSE(r.failed());
  ASSERT_EQ(r.results[0].series.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(r.results[0].series[0].values[0][1]), 2);
  // Lines parsed by the caller are stored as they are.
  const std::string text = "m v=4 4\nm v=5 5";
  std::vector<lp::ParsedLine> parsed(2);
  ASSERT_TRUE(lp::parse_line("m v=4 4", {}, &parsed[0]).ok());
  ASSERT_TRUE(lp::parse_line("m v=5 5", {}, &parsed[1]).ok());
  wo.parsed = &parsed;
  wo.parsed_count = 1;  // only the first
  ASSERT_TRUE(c->write(text, wo).ok());
  r = c->query("SELECT count(v) FROM m", qo);
  EXPECT_EQ(std::get<int64_t>(r.results[0].series[0].values[0][1]), 3);
  c.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace tsd
