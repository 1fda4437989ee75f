// Result formatters (query/format.h). The expected bytes are what Debian's
// InfluxDB 1.6.7 answered for the same data: influxd's /query for json
// (curl, with epoch= and pretty=true where a test says so) and the influx
// 1.6.7 shell's -format csv / -format column output (its -precision as the
// test's precision; its "ERR:" line, which it prints on stdout, is our
// *err). The data was written as this line protocol:
//   cpu,host=a value=1.5,n=3i,s="hi",b=true 1577836800000000000
//   cpu,host=a value=0.1 1577836800100000000
//   cpu,host=b value=1e21 1577836800123456789  (then 1e-7, 123456789.0,
//     -0.0, 2, 1e20, 0.000001, 1.7976931348623157e308, 5e-324 a second apart)
//   ints big=9223372036854775807i,small=-9223372036854775808i 1000000000
//   str s="quote\" back\\ nl\nx <a>&b é 日本 \u2028" 1000000001  (\n, \u literal)
//   str s="tab<TAB>x" 1000000002
//   esc s="<control bytes, U+2028/9 and invalid UTF-8, see esc_series>" 1, 2
//   neg v=1 -1500000000 / neg v=2 -1
//   multi,host=a,a-b=x,region=eu\ west v=1,w="x" 1000 / multi,host=b,a-b=y,region=us v=2 2000
//   sp s=" lead",t="\\.",u="a,b",v="",w="tr " 5
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "lineproto/lineproto.h"
#include "query/format.h"

namespace tsd::query {
namespace {

constexpr int64_t kT0 = 1577836800000000000;  // 2020-01-01T00:00:00Z
const Datum kNull;

Series series(std::string name, std::vector<std::pair<std::string, std::string>> tags,
              std::vector<std::string> columns, std::vector<Row> values, bool has_time = true) {
  Series s;
  s.name = std::move(name);
  s.tags = std::move(tags);
  s.columns = std::move(columns);
  s.values = std::move(values);
  s.has_time = has_time;
  return s;
}

StatementResult stmt(int id, std::vector<Series> series = {}, std::string error = "") {
  StatementResult st;
  st.statement_id = id;
  st.series = std::move(series);
  st.error = std::move(error);
  return st;
}

Results results(std::vector<StatementResult> sts) {
  Results r;
  r.results = std::move(sts);
  return r;
}

Results request_error(std::string error) {
  Results r;
  r.error = std::move(error);
  return r;
}

// The format's output; *err (if given) gets what goes to stderr, which
// must otherwise be empty.
std::string fmt(const Results& r, Format f, std::string precision = "", bool pretty = false,
                std::string* err = nullptr) {
  std::string out, e;
  format_results(r, FormatOptions{f, std::move(precision), pretty}, &out, &e);
  if (err != nullptr) {
    *err = e;
  } else {
    EXPECT_EQ(e, "");
  }
  return out;
}

// SELECT * FROM cpu
Series cpu_all() {
  std::vector<Row> rows = {{kT0, true, std::string("a"), int64_t{3}, std::string("hi"), 1.5},
                           {kT0 + 100000000, kNull, std::string("a"), kNull, kNull, 0.1}};
  const double more[] = {1e21, 1e-7, 123456789.0, -0.0, 2, 1e20, 0.000001, 1.7976931348623157e308,
                         5e-324};
  int64_t t = kT0 + 123456789;
  for (double v : more) {
    rows.push_back({t, kNull, std::string("b"), kNull, kNull, v});
    t = t - t % 1000000000 + 1000000000;
  }
  return series("cpu", {}, {"time", "b", "host", "n", "s", "value"}, std::move(rows));
}

// SELECT value FROM cpu GROUP BY host LIMIT n (n = 1 or 2)
std::vector<Series> cpu_by_host(int n) {
  std::vector<Row> a = {{kT0, 1.5}, {kT0 + 100000000, 0.1}};
  std::vector<Row> b = {{kT0 + 123456789, 1e21}, {kT0 + 1000000000, 1e-7}};
  a.resize(n);
  b.resize(n);
  return {series("cpu", {{"host", "a"}}, {"time", "value"}, a),
          series("cpu", {{"host", "b"}}, {"time", "value"}, b)};
}

// SELECT value, nothere FROM cpu LIMIT 2
Series value_nothere() {
  Series s = cpu_all();
  s.columns = {"time", "value", "nothere"};
  s.values.resize(2);
  for (Row& row : s.values) row = {row[0], row[5], kNull};
  return s;
}

Series databases() { return series("databases", {}, {"name"}, {{std::string("x")}}, false); }

Series str_series() {
  return series("str", {}, {"time", "s"},
                {{int64_t{1000000001},
                  std::string("quote\" back\\ nl\\nx <a>&b \xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \\u2028")},
                 {int64_t{1000000002}, std::string("tab\tx")}});
}

Series ints_series() {
  return series("ints", {}, {"time", "big", "small"},
                {{int64_t{1000000000}, std::numeric_limits<int64_t>::max(),
                  std::numeric_limits<int64_t>::min()}});
}

Series neg_series() {
  return series("neg", {}, {"time", "v"}, {{int64_t{-1500000000}, 1.0}, {int64_t{-1}, 2.0}});
}

Series esc_series() {
  return series(
      "esc", {}, {"time", "s"},
      {{int64_t{1}, std::string("nl\nx cr\rx bs\bx ff\fx c1\001x del\177x ls\xE2\x80\xA8x "
                                "ps\xE2\x80\xA9x bad\xFFx trunc\xE2\x80 end")},
       {int64_t{2}, std::string("4byte \xF0\x9F\x98\x80 surr \xED\xA0\x80 over \xC0\xAF")}});
}

// SELECT * FROM multi GROUP BY *
std::vector<Series> multi_by_all() {
  return {series("multi", {{"a-b", "x"}, {"host", "a"}, {"region", "eu west"}},
                 {"time", "v", "w"}, {{int64_t{1000}, 1.0, std::string("x")}}),
          series("multi", {{"a-b", "y"}, {"host", "b"}, {"region", "us"}}, {"time", "v", "w"},
                 {{int64_t{2000}, 2.0, kNull}})};
}

Series sp_series() {
  return series("sp", {}, {"time", "s", "t", "u", "v", "w"},
                {{int64_t{5}, std::string(" lead"), std::string("\\."), std::string("a,b"),
                  std::string(""), std::string("tr ")}});
}

Series show_series() {
  std::vector<Row> keys;
  for (const char* k : {"cpu,host=a", "cpu,host=b", "esc", "ints",
                        "multi,a-b=x,host=a,region=eu\\ west", "multi,a-b=y,host=b,region=us",
                        "neg", "sp", "str"}) {
    keys.push_back({std::string(k)});
  }
  return series("", {}, {"key"}, std::move(keys), false);
}

// SHOW TAG KEYS
std::vector<Series> tag_keys() {
  return {series("cpu", {}, {"tagKey"}, {{std::string("host")}}, false),
          series("multi", {}, {"tagKey"},
                 {{std::string("a-b")}, {std::string("host")}, {std::string("region")}}, false)};
}

StatementResult create_database_get() {
  StatementResult st = stmt(0);
  st.messages.push_back({"warning",
                         "deprecated use of 'CREATE DATABASE x' in a read only context, please "
                         "use a POST request instead"});
  return st;
}

// SELECT value FROM cpu GROUP BY host LIMIT 2; SELECT value FROM cpu GROUP
// BY host LIMIT 1; SHOW DATABASES; SELECT * FROM nothing; SHOW TAG KEYS;
// SELECT * FROM neg
Results six_statements() {
  return results({stmt(0, cpu_by_host(2)), stmt(1, cpu_by_host(1)), stmt(2, {databases()}),
                  stmt(3), stmt(4, tag_keys()), stmt(5, {neg_series()})});
}

// SELECT * FROM str; SELECT * FROM esc; SELECT * FROM sp; SELECT * FROM multi GROUP BY *
Results string_statements() {
  return results({stmt(0, {str_series()}), stmt(1, {esc_series()}), stmt(2, {sp_series()}),
                  stmt(3, multi_by_all())});
}

// -- json: influxd's /query ----------------------------------------------------

TEST(FormatJson, SelectStarFloatsBooleansNulls) {
  EXPECT_EQ(fmt(results({stmt(0, {cpu_all()})}), Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"b\",\"host\",\"n\",\"s\",\"value\"],\"values\":[[\"2020-01-01T00:00:00Z\",true,\"a\",3,\"hi\",1.5],[\"2020-01-01T00:00:00.1Z\",null,\"a\",null,null,0.1],[\"2020-01-01T00:00:00.123456789Z\",null,\"b\",null,null,1e+21],[\"2020-01-01T00:00:01Z\",null,\"b\",null,null,1e-7],[\"2020-01-01T00:00:02Z\",null,\"b\",null,null,123456789],[\"2020-01-01T00:00:03Z\",null,\"b\",null,null,-0],[\"2020-01-01T00:00:04Z\",null,\"b\",null,null,2],[\"2020-01-01T00:00:05Z\",null,\"b\",null,null,100000000000000000000],[\"2020-01-01T00:00:06Z\",null,\"b\",null,null,0.000001],[\"2020-01-01T00:00:07Z\",null,\"b\",null,null,1.7976931348623157e+308],[\"2020-01-01T00:00:08Z\",null,\"b\",null,null,5e-324]]}]}]}\n");
}

TEST(FormatJson, StringsIntegersNegativeTimes) {
  EXPECT_EQ(fmt(results({stmt(0, {str_series()}), stmt(1, {ints_series()}),
                         stmt(2, {neg_series()})}),
                Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"str\",\"columns\":[\"time\",\"s\"],\"values\":[[\"1970-01-01T00:00:01.000000001Z\",\"quote\\\" back\\\\ nl\\\\nx \\u003ca\\u003e\\u0026b é 日本 \\\\u2028\"],[\"1970-01-01T00:00:01.000000002Z\",\"tab\\tx\"]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"ints\",\"columns\":[\"time\",\"big\",\"small\"],\"values\":[[\"1970-01-01T00:00:01Z\",9223372036854775807,-9223372036854775808]]}]},{\"statement_id\":2,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[\"1969-12-31T23:59:58.5Z\",1],[\"1969-12-31T23:59:59.999999999Z\",2]]}]}]}\n");
}

TEST(FormatJson, ControlBytesLineSeparatorsInvalidUtf8) {
  EXPECT_EQ(fmt(results({stmt(0, {esc_series()})}), Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"esc\",\"columns\":[\"time\",\"s\"],\"values\":[[\"1970-01-01T00:00:00.000000001Z\",\"nl\\nx cr\\rx bs\\u0008x ff\\u000cx c1\\u0001x del\177x ls\\u2028x ps\\u2029x bad\\ufffdx trunc\\ufffd\\ufffd end\"],[\"1970-01-01T00:00:00.000000002Z\",\"4byte 😀 surr \\ufffd\\ufffd\\ufffd over \\ufffd\\ufffd\"]]}]}]}\n");
}

TEST(FormatJson, ErrorsAndEmptyStatements) {
  EXPECT_EQ(fmt(results({stmt(0, {}, "database not found: nodb")}), Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"error\":\"database not found: nodb\"}]}\n");
  EXPECT_EQ(fmt(request_error("error parsing query: found EOF, expected identifier at line 1, "
                              "char 15"),
                Format::kJson),
            "{\"error\":\"error parsing query: found EOF, expected identifier at line 1, char 15\"}\n");
  EXPECT_EQ(fmt(results({stmt(0)}), Format::kJson),
            "{\"results\":[{\"statement_id\":0}]}\n");
  EXPECT_EQ(fmt(Results(), Format::kJson), "{}\n");
}

TEST(FormatJson, MessagesShowSeriesTags) {
  EXPECT_EQ(fmt(results({create_database_get(), stmt(1, {databases()})}), Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"messages\":[{\"level\":\"warning\",\"text\":\"deprecated use of 'CREATE DATABASE x' in a read only context, please use a POST request instead\"}]},{\"statement_id\":1,\"series\":[{\"name\":\"databases\",\"columns\":[\"name\"],\"values\":[[\"x\"]]}]}]}\n");
  EXPECT_EQ(fmt(results({stmt(0, {show_series()}), stmt(1, multi_by_all()), stmt(2, {sp_series()})}),
                Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"columns\":[\"key\"],\"values\":[[\"cpu,host=a\"],[\"cpu,host=b\"],[\"esc\"],[\"ints\"],[\"multi,a-b=x,host=a,region=eu\\\\ west\"],[\"multi,a-b=y,host=b,region=us\"],[\"neg\"],[\"sp\"],[\"str\"]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"multi\",\"tags\":{\"a-b\":\"x\",\"host\":\"a\",\"region\":\"eu west\"},\"columns\":[\"time\",\"v\",\"w\"],\"values\":[[\"1970-01-01T00:00:00.000001Z\",1,\"x\"]]},{\"name\":\"multi\",\"tags\":{\"a-b\":\"y\",\"host\":\"b\",\"region\":\"us\"},\"columns\":[\"time\",\"v\",\"w\"],\"values\":[[\"1970-01-01T00:00:00.000002Z\",2,null]]}]},{\"statement_id\":2,\"series\":[{\"name\":\"sp\",\"columns\":[\"time\",\"s\",\"t\",\"u\",\"v\",\"w\"],\"values\":[[\"1970-01-01T00:00:00.000000005Z\",\" lead\",\"\\\\.\",\"a,b\",\"\",\"tr \"]]}]}]}\n");
}

TEST(FormatJson, Pretty) {
  EXPECT_EQ(fmt(results({stmt(0, cpu_by_host(1)), stmt(1, {databases()})}), Format::kJson, "", true),
            "{\n"
            "    \"results\": [\n"
            "        {\n"
            "            \"statement_id\": 0,\n"
            "            \"series\": [\n"
            "                {\n"
            "                    \"name\": \"cpu\",\n"
            "                    \"tags\": {\n"
            "                        \"host\": \"a\"\n"
            "                    },\n"
            "                    \"columns\": [\n"
            "                        \"time\",\n"
            "                        \"value\"\n"
            "                    ],\n"
            "                    \"values\": [\n"
            "                        [\n"
            "                            \"2020-01-01T00:00:00Z\",\n"
            "                            1.5\n"
            "                        ]\n"
            "                    ]\n"
            "                },\n"
            "                {\n"
            "                    \"name\": \"cpu\",\n"
            "                    \"tags\": {\n"
            "                        \"host\": \"b\"\n"
            "                    },\n"
            "                    \"columns\": [\n"
            "                        \"time\",\n"
            "                        \"value\"\n"
            "                    ],\n"
            "                    \"values\": [\n"
            "                        [\n"
            "                            \"2020-01-01T00:00:00.123456789Z\",\n"
            "                            1e+21\n"
            "                        ]\n"
            "                    ]\n"
            "                }\n"
            "            ]\n"
            "        },\n"
            "        {\n"
            "            \"statement_id\": 1,\n"
            "            \"series\": [\n"
            "                {\n"
            "                    \"name\": \"databases\",\n"
            "                    \"columns\": [\n"
            "                        \"name\"\n"
            "                    ],\n"
            "                    \"values\": [\n"
            "                        [\n"
            "                            \"x\"\n"
            "                        ]\n"
            "                    ]\n"
            "                }\n"
            "            ]\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(fmt(request_error("error parsing query: found EOF, expected identifier at line 1, "
                              "char 15"),
                Format::kJson, "", true),
            "{\n"
            "    \"error\": \"error parsing query: found EOF, expected identifier at line 1, char 15\"\n"
            "}\n");
  EXPECT_EQ(fmt(results({stmt(0, {}, "not executed")}), Format::kJson, "", true),
            "{\n"
            "    \"results\": [\n"
            "        {\n"
            "            \"statement_id\": 0,\n"
            "            \"error\": \"not executed\"\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(fmt(results({create_database_get()}), Format::kJson, "", true),
            "{\n"
            "    \"results\": [\n"
            "        {\n"
            "            \"statement_id\": 0,\n"
            "            \"messages\": [\n"
            "                {\n"
            "                    \"level\": \"warning\",\n"
            "                    \"text\": \"deprecated use of 'CREATE DATABASE x' in a read only context, please use a POST request instead\"\n"
            "                }\n"
            "            ]\n"
            "        }\n"
            "    ]\n"
            "}\n");
  EXPECT_EQ(fmt(Results(), Format::kJson, "", true), "{}\n");
}

// epoch=u|ms|s|m|h: integer division, toward zero for negative times.
TEST(FormatJson, EpochPrecisions) {
  Series cpu3 = cpu_all();
  cpu3.columns = {"time", "value"};
  cpu3.values.resize(3);
  for (Row& row : cpu3.values) row = {row[0], row[5]};
  Results r = results({stmt(0, {neg_series()}), stmt(1, {cpu3})});
  EXPECT_EQ(fmt(r, Format::kJson, "u"),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[-1500000,1],[0,2]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"value\"],\"values\":[[1577836800000000,1.5],[1577836800100000,0.1],[1577836800123456,1e+21]]}]}]}\n");
  EXPECT_EQ(fmt(r, Format::kJson, "us"), fmt(r, Format::kJson, "u"));  // influxd: ns
  EXPECT_EQ(fmt(r, Format::kJson, "ms"),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[-1500,1],[0,2]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"value\"],\"values\":[[1577836800000,1.5],[1577836800100,0.1],[1577836800123,1e+21]]}]}]}\n");
  EXPECT_EQ(fmt(r, Format::kJson, "s"),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[-1,1],[0,2]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"value\"],\"values\":[[1577836800,1.5],[1577836800,0.1],[1577836800,1e+21]]}]}]}\n");
  EXPECT_EQ(fmt(r, Format::kJson, "m"),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[0,1],[0,2]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"value\"],\"values\":[[26297280,1.5],[26297280,0.1],[26297280,1e+21]]}]}]}\n");
  EXPECT_EQ(fmt(r, Format::kJson, "h"),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"neg\",\"columns\":[\"time\",\"v\"],\"values\":[[0,1],[0,2]]}]},{\"statement_id\":1,\"series\":[{\"name\":\"cpu\",\"columns\":[\"time\",\"value\"],\"values\":[[438288,1.5],[438288,0.1],[438288,1e+21]]}]}]}\n");
  EXPECT_EQ(fmt(r, Format::kJson, "rfc3339"), fmt(r, Format::kJson, ""));
  EXPECT_NE(fmt(r, Format::kJson, "ns").find("[-1500000000,1],[-1,2]"), std::string::npos);
}

TEST(FormatJson, Floats) {
  auto f = [](double v) {
    std::string s;
    append_json_float(v, &s);
    return s;
  };
  EXPECT_EQ(f(0), "0");
  EXPECT_EQ(f(-0.0), "-0");
  EXPECT_EQ(f(2), "2");
  EXPECT_EQ(f(0.1), "0.1");
  EXPECT_EQ(f(123456789.0), "123456789");
  EXPECT_EQ(f(1e20), "100000000000000000000");
  EXPECT_EQ(f(1e21), "1e+21");
  EXPECT_EQ(f(-1.5e300), "-1.5e+300");
  EXPECT_EQ(f(0.000001), "0.000001");
  EXPECT_EQ(f(1e-7), "1e-7");
  EXPECT_EQ(f(1.5e-10), "1.5e-10");
  EXPECT_EQ(f(5e-324), "5e-324");
  EXPECT_EQ(f(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(f(5.764607523034235e17), "576460752303423500");
  EXPECT_EQ(f(-0.000123), "-0.000123");
  EXPECT_EQ(f(1.5e-6), "0.0000015");
  EXPECT_EQ(f(123.456), "123.456");
  EXPECT_EQ(f(-999999999999999900000.0), "-999999999999999900000");
  EXPECT_EQ(f(std::nan("")), "null");
  EXPECT_EQ(f(-std::numeric_limits<double>::infinity()), "null");
}

// A row is written at once into a buffer on the stack when it fits (and
// its time is not in a zone), else value by value: the same text.
TEST(FormatJson, LongRowsAndEscapesAsShortOnes) {
  const std::string tricky = "a\"b\\c\n<&>\x01\xff\xe2\x80\xa8 \xc3\xa9";
  std::string long_text;
  for (int i = 0; i < 700; i++) long_text += tricky;
  auto json = [](const std::string& v) {
    std::string s;
    append_json_string(v, &s);
    return s;
  };
  EXPECT_EQ(json(tricky), "\"a\\\"b\\\\c\\n\\u003c\\u0026\\u003e\\u0001\\ufffd\\u2028 \xc3\xa9\"");
  for (const std::string& v : {tricky, long_text}) {
    Results r = results({stmt(0, {series("m", {}, {"time", "s", "i", "f"},
                                         {{int64_t{0}, v, int64_t{-7}, 0.5}, {int64_t{1}, Datum(), uint64_t{9}, true}})})});
    EXPECT_EQ(fmt(r, Format::kJson),
              "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"time\",\"s\",\"i\",\"f\"],"
              "\"values\":[[\"1970-01-01T00:00:00Z\"," + json(v) + ",-7,0.5],[\"1970-01-01T00:00:00.000000001Z\",null,9,true]]}]}]}\n");
  }
}

TEST(FormatJson, PartialKeys) {
  Results r = results({stmt(0, {databases()})});
  r.results[0].partial = true;
  r.results[0].series[0].partial = true;
  EXPECT_EQ(fmt(r, Format::kJson),
            "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"databases\",\"columns\":"
            "[\"name\"],\"values\":[[\"x\"]],\"partial\":true}],\"partial\":true}]}\n");
}

// -- csv: influx -format csv ---------------------------------------------------

TEST(FormatCsv, SelectStar) {
  Results r = results({stmt(0, {cpu_all()})});
  EXPECT_EQ(fmt(r, Format::kCsv, "ns"),
            "name,time,b,host,n,s,value\n"
            "cpu,1577836800000000000,true,a,3,hi,1.5\n"
            "cpu,1577836800100000000,,a,,,0.1\n"
            "cpu,1577836800123456789,,b,,,1e+21\n"
            "cpu,1577836801000000000,,b,,,1e-7\n"
            "cpu,1577836802000000000,,b,,,123456789\n"
            "cpu,1577836803000000000,,b,,,-0\n"
            "cpu,1577836804000000000,,b,,,2\n"
            "cpu,1577836805000000000,,b,,,100000000000000000000\n"
            "cpu,1577836806000000000,,b,,,0.000001\n"
            "cpu,1577836807000000000,,b,,,1.7976931348623157e+308\n"
            "cpu,1577836808000000000,,b,,,5e-324\n");
  EXPECT_EQ(fmt(r, Format::kCsv),
            "name,time,b,host,n,s,value\n"
            "cpu,2020-01-01T00:00:00Z,true,a,3,hi,1.5\n"
            "cpu,2020-01-01T00:00:00.1Z,,a,,,0.1\n"
            "cpu,2020-01-01T00:00:00.123456789Z,,b,,,1e+21\n"
            "cpu,2020-01-01T00:00:01Z,,b,,,1e-7\n"
            "cpu,2020-01-01T00:00:02Z,,b,,,123456789\n"
            "cpu,2020-01-01T00:00:03Z,,b,,,-0\n"
            "cpu,2020-01-01T00:00:04Z,,b,,,2\n"
            "cpu,2020-01-01T00:00:05Z,,b,,,100000000000000000000\n"
            "cpu,2020-01-01T00:00:06Z,,b,,,0.000001\n"
            "cpu,2020-01-01T00:00:07Z,,b,,,1.7976931348623157e+308\n"
            "cpu,2020-01-01T00:00:08Z,,b,,,5e-324\n");
}

TEST(FormatCsv, SeveralStatementsAndSeries) {
  EXPECT_EQ(fmt(six_statements(), Format::kCsv, "ns"),
            "name,tags,time,value\n"
            "cpu,host=a,1577836800000000000,1.5\n"
            "cpu,host=a,1577836800100000000,0.1\n"
            "name,tags,time,value\n"
            "cpu,host=b,1577836800123456789,1e+21\n"
            "cpu,host=b,1577836801000000000,1e-7\n"
            "name,tags,time,value\n"
            "cpu,host=a,1577836800000000000,1.5\n"
            "name,tags,time,value\n"
            "cpu,host=b,1577836800123456789,1e+21\n"
            "name,name\n"
            "databases,x\n"
            "name,tagKey\n"
            "cpu,host\n"
            "name,tagKey\n"
            "multi,a-b\n"
            "multi,host\n"
            "multi,region\n"
            "name,time,v\n"
            "neg,-1500000000,1\n"
            "neg,-1,2\n");
}

TEST(FormatCsv, StringsTagsQuoting) {
  EXPECT_EQ(fmt(string_statements(), Format::kCsv, "ns"),
            "name,time,s\n"
            "str,1000000001,\"quote\"\" back\\ nl\\nx <a>&b é 日本 \\u2028\"\n"
            "str,1000000002,tab,x\n"
            "name,time,s\n"
            "esc,1,\"nl\n"
            "x cr\rx bs\010x ff\014x c1\001x del\177x ls\342\200\250x ps\342\200\251x bad�x trunc�� end\"\n"
            "esc,2,4byte 😀 surr ��� over ��\n"
            "name,time,s,t,u,v,w\n"
            "sp,5,\" lead\",\"\\.\",\"a,b\",,tr \n"
            "name,tags,time,v,w\n"
            "multi,\"a-b=x,host=a,region=eu west\",1000,1,x\n"
            "name,tags,time,v,w\n"
            "multi,\"a-b=y,host=b,region=us\",2000,2,\n");
}

TEST(FormatCsv, RepeatedHeadersEmptyStatementsErrors) {
  EXPECT_EQ(fmt(results({stmt(0, {databases()}), stmt(1, {databases()}), stmt(2, {show_series()})}),
                Format::kCsv),
            "name,name\n"
            "databases,x\n"
            "databases,x\n"
            "key\n"
            "\"cpu,host=a\"\n"
            "\"cpu,host=b\"\n"
            "esc\n"
            "ints\n"
            "\"multi,a-b=x,host=a,region=eu\\ west\"\n"
            "\"multi,a-b=y,host=b,region=us\"\n"
            "neg\n"
            "sp\n"
            "str\n");
  EXPECT_EQ(fmt(results({stmt(0), stmt(1, {databases()})}), Format::kCsv),
            "name,name\n"
            "databases,x\n");
  EXPECT_EQ(fmt(results({stmt(0)}), Format::kCsv), "");
  std::string err;
  EXPECT_EQ(fmt(results({stmt(0, {databases()}), stmt(1, {}, "database not found: nope")}),
                Format::kCsv, "", false, &err),
            "name,name\n"
            "databases,x\n");
  EXPECT_EQ(err, "ERR: database not found: nope\n");
}

TEST(FormatCsv, PrecisionAndNulls) {
  EXPECT_EQ(fmt(results({stmt(0, {neg_series()}), stmt(1, {ints_series()})}), Format::kCsv, "ms"),
            "name,time,v\n"
            "neg,-1500,1\n"
            "neg,0,2\n"
            "name,time,big,small\n"
            "ints,1000,9223372036854775807,-9223372036854775808\n");
  EXPECT_EQ(fmt(results({stmt(0, {value_nothere()})}), Format::kCsv),
            "name,time,value,nothere\n"
            "cpu,2020-01-01T00:00:00Z,1.5,\n"
            "cpu,2020-01-01T00:00:00.1Z,0.1,\n");
}

// -- column: influx -format column ----------------------------------------------

TEST(FormatColumn, SelectStar) {
  Results r = results({stmt(0, {cpu_all()})});
  EXPECT_EQ(fmt(r, Format::kColumn, "ns"),
            "name: cpu\n"
            "time                b    host n s  value\n"
            "----                -    ---- - -  -----\n"
            "1577836800000000000 true a    3 hi 1.5\n"
            "1577836800100000000      a         0.1\n"
            "1577836800123456789      b         1e+21\n"
            "1577836801000000000      b         1e-7\n"
            "1577836802000000000      b         123456789\n"
            "1577836803000000000      b         -0\n"
            "1577836804000000000      b         2\n"
            "1577836805000000000      b         100000000000000000000\n"
            "1577836806000000000      b         0.000001\n"
            "1577836807000000000      b         1.7976931348623157e+308\n"
            "1577836808000000000      b         5e-324\n");
  EXPECT_EQ(fmt(r, Format::kColumn),
            "name: cpu\n"
            "time                           b    host n s  value\n"
            "----                           -    ---- - -  -----\n"
            "2020-01-01T00:00:00Z           true a    3 hi 1.5\n"
            "2020-01-01T00:00:00.1Z              a         0.1\n"
            "2020-01-01T00:00:00.123456789Z      b         1e+21\n"
            "2020-01-01T00:00:01Z                b         1e-7\n"
            "2020-01-01T00:00:02Z                b         123456789\n"
            "2020-01-01T00:00:03Z                b         -0\n"
            "2020-01-01T00:00:04Z                b         2\n"
            "2020-01-01T00:00:05Z                b         100000000000000000000\n"
            "2020-01-01T00:00:06Z                b         0.000001\n"
            "2020-01-01T00:00:07Z                b         1.7976931348623157e+308\n"
            "2020-01-01T00:00:08Z                b         5e-324\n");
}

TEST(FormatColumn, SeveralStatementsAndSeries) {
  EXPECT_EQ(fmt(six_statements(), Format::kColumn, "ns"),
            "name: cpu\n"
            "tags: host=a\n"
            "time                value\n"
            "----                -----\n"
            "1577836800000000000 1.5\n"
            "1577836800100000000 0.1\n"
            "\n"
            "name: cpu\n"
            "tags: host=b\n"
            "time                value\n"
            "----                -----\n"
            "1577836800123456789 1e+21\n"
            "1577836801000000000 1e-7\n"
            "\n"
            "name: cpu\n"
            "tags: host=a\n"
            "time                value\n"
            "----                -----\n"
            "1577836800000000000 1.5\n"
            "\n"
            "name: cpu\n"
            "tags: host=b\n"
            "time                value\n"
            "----                -----\n"
            "1577836800123456789 1e+21\n"
            "\n"
            "name: databases\n"
            "name\n"
            "----\n"
            "x\n"
            "\n"
            "\n"
            "name: cpu\n"
            "tagKey\n"
            "------\n"
            "host\n"
            "\n"
            "name: multi\n"
            "tagKey\n"
            "------\n"
            "a-b\n"
            "host\n"
            "region\n"
            "\n"
            "name: neg\n"
            "time        v\n"
            "----        -\n"
            "-1500000000 1\n"
            "-1          2\n");
}

// A tab in a value starts a column, a newline or form feed a line (the
// form feed also ends the alignment), as Go's tabwriter does.
TEST(FormatColumn, StringsTagsTabsNewlines) {
  EXPECT_EQ(fmt(string_statements(), Format::kColumn, "ns"),
            "name: str\n"
            "time       s\n"
            "----       -\n"
            "1000000001 quote\" back\\ nl\\nx <a>&b é 日本 \\u2028\n"
            "1000000002 tab x\n"
            "\n"
            "name: esc\n"
            "time s\n"
            "---- -\n"
            "1    nl\n"
            "x cr\rx bs\010x ff\n"
            "x c1\001x del\177x ls\342\200\250x ps\342\200\251x bad�x trunc�� end\n"
            "2 4byte 😀 surr ��� over ��\n"
            "\n"
            "name: sp\n"
            "time s     t  u   v w\n"
            "---- -     -  -   - -\n"
            "5     lead \\. a,b   tr \n"
            "\n"
            "name: multi\n"
            "tags: a-b=x, host=a, region=eu west\n"
            "time v w\n"
            "---- - -\n"
            "1000 1 x\n"
            "\n"
            "name: multi\n"
            "tags: a-b=y, host=b, region=us\n"
            "time v w\n"
            "---- - -\n"
            "2000 2 \n");
}

TEST(FormatColumn, RepeatedHeadersEmptyStatementsErrors) {
  EXPECT_EQ(fmt(results({stmt(0, {databases()}), stmt(1, {databases()}), stmt(2, {show_series()})}),
                Format::kColumn),
            "name: databases\n"
            "name\n"
            "----\n"
            "x\n"
            "x\n"
            "\n"
            "key\n"
            "---\n"
            "cpu,host=a\n"
            "cpu,host=b\n"
            "esc\n"
            "ints\n"
            "multi,a-b=x,host=a,region=eu\\ west\n"
            "multi,a-b=y,host=b,region=us\n"
            "neg\n"
            "sp\n"
            "str\n");
  EXPECT_EQ(fmt(results({stmt(0), stmt(1, {databases()})}), Format::kColumn),
            "\n"
            "name: databases\n"
            "name\n"
            "----\n"
            "x\n");
  EXPECT_EQ(fmt(results({stmt(0)}), Format::kColumn), "");
  EXPECT_EQ(fmt(results({stmt(0), stmt(1)}), Format::kColumn), "\n");
  std::string err;
  EXPECT_EQ(fmt(results({stmt(0, {databases()}), stmt(1, {}, "database not found: nope")}),
                Format::kColumn, "", false, &err),
            "name: databases\n"
            "name\n"
            "----\n"
            "x\n"
            "\n");
  EXPECT_EQ(err, "ERR: database not found: nope\n");
  EXPECT_EQ(fmt(request_error("error parsing query: found EOF"), Format::kColumn, "", false, &err),
            "");
  EXPECT_EQ(err, "ERR: error parsing query: found EOF\n");
}

TEST(FormatColumn, PrecisionAndNulls) {
  EXPECT_EQ(fmt(results({stmt(0, {neg_series()}), stmt(1, {ints_series()})}), Format::kColumn,
                "ms"),
            "name: neg\n"
            "time  v\n"
            "----  -\n"
            "-1500 1\n"
            "0     2\n"
            "\n"
            "name: ints\n"
            "time big                 small\n"
            "---- ---                 -----\n"
            "1000 9223372036854775807 -9223372036854775808\n");
  EXPECT_EQ(fmt(results({stmt(0, {value_nothere()})}), Format::kColumn),
            "name: cpu\n"
            "time                   value nothere\n"
            "----                   ----- -------\n"
            "2020-01-01T00:00:00Z   1.5   \n"
            "2020-01-01T00:00:00.1Z 0.1   \n");
}

// Not checked against the shell (its POST never gets a message).
TEST(FormatColumn, Messages) {
  EXPECT_EQ(fmt(results({create_database_get(), stmt(1, {databases()})}), Format::kColumn),
            "warning: deprecated use of 'CREATE DATABASE x' in a read only context, please use a "
            "POST request instead.\n"
            "\n"
            "name: databases\n"
            "name\n"
            "----\n"
            "x\n");
  EXPECT_EQ(fmt(results({create_database_get()}), Format::kCsv), "");
}

// -- line: line protocol for tsd-write ------------------------------------------

TEST(FormatLine, SelectStarGroupBy) {
  EXPECT_EQ(fmt(results({stmt(0, {cpu_all()})}), Format::kLine),
            "cpu b=true,host=\"a\",n=3i,s=\"hi\",value=1.5 1577836800000000000\n"
            "cpu host=\"a\",value=0.1 1577836800100000000\n"
            "cpu host=\"b\",value=1e+21 1577836800123456789\n"
            "cpu host=\"b\",value=1e-07 1577836801000000000\n"
            "cpu host=\"b\",value=123456789 1577836802000000000\n"
            "cpu host=\"b\",value=-0 1577836803000000000\n"
            "cpu host=\"b\",value=2 1577836804000000000\n"
            "cpu host=\"b\",value=1e+20 1577836805000000000\n"
            "cpu host=\"b\",value=1e-06 1577836806000000000\n"
            "cpu host=\"b\",value=1.7976931348623157e+308 1577836807000000000\n"
            "cpu host=\"b\",value=5e-324 1577836808000000000\n");
  EXPECT_EQ(fmt(results({stmt(0, multi_by_all()), stmt(1, {sp_series()})}), Format::kLine, "ms"),
            "multi,a-b=x,host=a,region=eu\\ west v=1,w=\"x\" 0\n"
            "multi,a-b=y,host=b,region=us v=2 0\n"
            "sp s=\" lead\",t=\"\\\\.\",u=\"a,b\",v=\"\",w=\"tr \" 0\n");
  EXPECT_EQ(fmt(results({stmt(0, {neg_series()})}), Format::kLine, "s"),
            "neg v=1 -1\nneg v=2 0\n");
}

TEST(FormatLine, TypesEscapesNullRowsNaN) {
  Series s = series("m e,a", {{"k,1", "v=1"}, {"empty", ""}}, {"time", "f", "i", "u", "s", "b"},
                    {{int64_t{7}, 0.5, int64_t{-3}, uint64_t{18446744073709551615u},
                      std::string("say \"hi\"\\\nbye"), false},
                     {int64_t{8}, kNull, kNull, kNull, kNull, kNull},
                     {int64_t{9}, std::nan(""), kNull, kNull, kNull, true},
                     {int64_t{10}, std::numeric_limits<double>::infinity(), kNull, kNull, kNull,
                      kNull}});
  EXPECT_EQ(fmt(results({stmt(0, {s})}), Format::kLine),
            "m\\ e\\,a,k\\,1=v\\=1 f=0.5,i=-3i,u=18446744073709551615u,s=\"say \\\"hi\\\"\\\\\nbye\","
            "b=false 7\n"
            "m\\ e\\,a,k\\,1=v\\=1 b=true 9\n");
  // What it writes reads back as the same points.
  std::string out = fmt(results({stmt(0, {s})}), Format::kLine);
  lp::Reader reader(lp::ParseOptions{});
  std::vector<Point> points;
  reader.feed(out, [&](lp::ParsedLine& l) { points.push_back(lp::to_point(l)); },
              [&](int64_t, const Status& st) { ADD_FAILURE() << st.message(); });
  reader.finish([&](lp::ParsedLine& l) { points.push_back(lp::to_point(l)); },
                [&](int64_t, const Status& st) { ADD_FAILURE() << st.message(); });
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].measurement, "m e,a");
  EXPECT_EQ(points[0].tags, (std::vector<Tag>{{"k,1", "v=1"}}));
  EXPECT_EQ(points[0].fields[3].value, Value(std::string("say \"hi\"\\\nbye")));
  EXPECT_EQ(points[0].time, 7);
}

// SHOW results: no time column, so no timestamp; a nameless series is "result".
TEST(FormatLine, ShowResultsMessagesErrors) {
  std::string err;
  EXPECT_EQ(fmt(results({create_database_get(), stmt(1, {databases()}), stmt(2, tag_keys()),
                         stmt(3, {}, "database not found: nope")}),
                Format::kLine, "", false, &err),
            "databases name=\"x\"\n"
            "cpu tagKey=\"host\"\n"
            "multi tagKey=\"a-b\"\n"
            "multi tagKey=\"host\"\n"
            "multi tagKey=\"region\"\n");
  EXPECT_EQ(err,
            "warning: deprecated use of 'CREATE DATABASE x' in a read only context, please use a "
            "POST request instead\n"
            "ERR: database not found: nope\n");
  Series keys = show_series();
  keys.values.resize(2);
  EXPECT_EQ(fmt(results({stmt(0, {keys})}), Format::kLine),
            "result key=\"cpu,host=a\"\nresult key=\"cpu,host=b\"\n");
}

// -- options ------------------------------------------------------------------

TEST(FormatOptions, Parse) {
  for (Format f : {Format::kColumn, Format::kCsv, Format::kJson, Format::kLine}) {
    auto p = parse_format(format_name(f));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, f);
  }
  EXPECT_EQ(parse_format("table").status().message(),
            "unknown format \"table\": expected column, csv, json or line");
  for (const char* p : {"", "rfc3339", "ns", "n", "u", "us", "\xC2\xB5", "ms", "s", "m", "h"}) {
    EXPECT_TRUE(check_precision(p).ok()) << p;
  }
  EXPECT_EQ(check_precision("d").message(),
            "unknown precision \"d\": expected rfc3339, ns, us, ms, s, m or h");
  EXPECT_EQ(precision_unit(""), 0);
  EXPECT_EQ(precision_unit("rfc3339"), 0);
  EXPECT_EQ(precision_unit("\xC2\xB5"), 1000);
  EXPECT_EQ(precision_unit("h"), 3600000000000);
  EXPECT_EQ(precision_unit("bogus"), 1);
}

TEST(FormatUtf8, SanitizeAsGo) {
  EXPECT_EQ(sanitize_utf8("ok \xC3\xA9 \xF0\x9F\x98\x80"), "ok \xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("\xE2\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");         // truncated
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80").size(), 9u);                      // surrogate
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80").size(), 12u);                 // > U+10FFFF
  EXPECT_EQ(sanitize_utf8("\xEF\xBF\xBD"), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace tsd::query
