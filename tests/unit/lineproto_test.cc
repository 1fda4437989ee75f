#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "lineproto/lineproto.h"
#include "lineproto/parse_internal.h"

namespace tsd::lp {
namespace {

// A small deterministic random source (xorshift64).
struct XorShift {
  uint64_t x;
  uint64_t operator()() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
};

// Parses one line and returns the owning point (tags sorted), failing the
// test on a parse error.
Point parse_ok(std::string_view line, ParseOptions opts = {}) {
  ParsedLine pl;
  Status s = parse_line(line, opts, &pl);
  EXPECT_TRUE(s.ok()) << line << " -> " << s.message();
  return to_point(pl);
}

// The error message for a bad line ("" when it parses).
std::string parse_err(std::string_view line, ParseOptions opts = {}) {
  ParsedLine pl;
  Status s = parse_line(line, opts, &pl);
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  return s.message();
}

std::string fmt(const Point& p) {
  std::string s;
  format_point(p, &s);
  return s;
}

// --- escapes in each position ------------------------------------------

TEST(LineProtoEscape, Measurement) {
  EXPECT_EQ(parse_ok("a\\ b v=1").measurement, "a b");
  EXPECT_EQ(parse_ok("a\\,b v=1").measurement, "a,b");
  EXPECT_EQ(parse_ok("a=b v=1").measurement, "a=b");        // '=' literal
  EXPECT_EQ(parse_ok("a\\=b v=1").measurement, "a\\=b");    // not an escape here
  EXPECT_EQ(parse_ok("a\\\"b v=1").measurement, "a\\\"b");
  EXPECT_EQ(parse_ok("a\\b v=1").measurement, "a\\b");      // backslash before other: literal
  EXPECT_EQ(parse_ok("a\"b v=1").measurement, "a\"b");
  EXPECT_EQ(parse_ok("\\ m v=1").measurement, " m");
  EXPECT_EQ(parse_ok("m\\  v=1").measurement, "m ");
  // A byte right after a backslash never ends the measurement, even when
  // the backslash is itself escaped (InfluxDB's rule).
  EXPECT_EQ(parse_ok("a\\\\,b v=1").measurement, "a\\,b");
  EXPECT_EQ(parse_ok("a\\\\b v=1").measurement, "a\\\\b");
}

TEST(LineProtoEscape, TagKeysAndValues) {
  Point p = parse_ok("m,t\\ k=a\\,b\\=c,x\\=y=\\ v v=1");
  ASSERT_EQ(p.tags.size(), 2u);
  EXPECT_EQ(p.tags[0].key, "t k");
  EXPECT_EQ(p.tags[0].value, "a,b=c");
  EXPECT_EQ(p.tags[1].key, "x=y");
  EXPECT_EQ(p.tags[1].value, " v");
  Point q = parse_ok("m,t\\\"k=a\\\"b,u=c\\d,w=\"x\" v=1");
  EXPECT_EQ(q.tags[0].key, "t\\\"k");  // \" is not an escape in tags
  EXPECT_EQ(q.tags[0].value, "a\\\"b");
  EXPECT_EQ(q.tags[1].value, "c\\d");
  EXPECT_EQ(q.tags[2].value, "\"x\"");
  // A leading '=' belongs to the value (InfluxDB accepts t==a).
  EXPECT_EQ(parse_ok("m,t==a v=1").tags[0].value, "=a");
  EXPECT_EQ(parse_ok("m,t== v=1").tags[0].value, "=");
}

TEST(LineProtoEscape, FieldKeys) {
  Point p = parse_ok("m f\\=k=1,f\\,k=2,f\\ k=3,f\\\"k=4,f\\\\k=5,\"q\"=6");
  ASSERT_EQ(p.fields.size(), 6u);
  EXPECT_EQ(p.fields[0].key, "f=k");
  EXPECT_EQ(p.fields[1].key, "f,k");
  EXPECT_EQ(p.fields[2].key, "f k");
  EXPECT_EQ(p.fields[3].key, "f\"k");    // InfluxDB unescapes \" in field keys
  EXPECT_EQ(p.fields[4].key, "f\\\\k");  // \\ stays two backslashes
  EXPECT_EQ(p.fields[5].key, "\"q\"");
}

TEST(LineProtoEscape, StringValues) {
  Point p = parse_ok(R"(m a="x\"y",b="x\\y",c="x\y",d="",e="a,b c=d",f="\\",g="x\\\\")");
  EXPECT_EQ(std::get<std::string>(p.fields[0].value), "x\"y");
  EXPECT_EQ(std::get<std::string>(p.fields[1].value), "x\\y");
  EXPECT_EQ(std::get<std::string>(p.fields[2].value), "x\\y");
  EXPECT_EQ(std::get<std::string>(p.fields[3].value), "");
  EXPECT_EQ(std::get<std::string>(p.fields[4].value), "a,b c=d");
  EXPECT_EQ(std::get<std::string>(p.fields[5].value), "\\");
  EXPECT_EQ(std::get<std::string>(p.fields[6].value), "x\\\\");
  EXPECT_EQ(std::get<std::string>(parse_ok("m s=\"a\nb\" 1").fields[0].value), "a\nb");
}

TEST(LineProtoEscape, EscapeUnescapeInverse) {
  for (std::string s : {"plain", "a b", "a,b", "a=b", "a\"b", "a\\b", "\\,", "x\\\\,y", ", =\"\\"}) {
    std::string m, t, v;
    append_escaped_measurement(s, &m);
    append_escaped_tag(s, &t);
    append_escaped_string(s, &v);
    EXPECT_EQ(unescape_measurement(m), s) << m;
    EXPECT_EQ(unescape_tag(t), s) << t;
    EXPECT_EQ(unescape_string(v), s) << v;
  }
}

// --- types and spellings -------------------------------------------------

TEST(LineProtoTypes, Floats) {
  auto f = [](std::string_view v) {
    Point p = parse_ok("m v=" + std::string(v));
    EXPECT_EQ(value_type(p.fields[0].value), FieldType::kFloat) << v;
    return std::get<double>(p.fields[0].value);
  };
  EXPECT_EQ(f("1"), 1.0);
  EXPECT_EQ(f("1.5"), 1.5);
  EXPECT_EQ(f("-1.5e-3"), -1.5e-3);
  EXPECT_EQ(f("1e3"), 1000.0);
  EXPECT_EQ(f("1E+3"), 1000.0);
  EXPECT_EQ(f(".5"), 0.5);
  EXPECT_EQ(f("-.5"), -0.5);
  EXPECT_EQ(f("5."), 5.0);
  EXPECT_EQ(f("1.e5"), 1e5);
  EXPECT_EQ(f("00012"), 12.0);
  EXPECT_EQ(f("1.7976931348623157e308"), std::numeric_limits<double>::max());
  EXPECT_EQ(f("5e-324"), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(f("2.2250738585072014e-308"), std::numeric_limits<double>::min());
  EXPECT_EQ(f("81.64855628921474"), 81.64855628921474);
  double z = f("-0");
  EXPECT_EQ(z, 0.0);
  EXPECT_TRUE(std::signbit(z));
  EXPECT_EQ(f("1e-400"), 0.0);  // underflow rounds to zero, as Go
  EXPECT_TRUE(std::signbit(f("-1e-400")));
}

TEST(LineProtoTypes, BadFloats) {
  for (std::string v : {"+1", "1e400", "-1e400", "1.7976931348623159e308", "NaN", "nan", "-NaN",
                        "Inf", "-Inf", "inf", "infinity", "1.5.5", "-", ".", "-.", "1e", "1e+",
                        "e5", "-e5", ".e5", "1-2", "0x10", "1_000", "1,5x", "--1", "1e5e5"}) {
    EXPECT_NE(parse_err("m v=" + v + " 1"), "") << v;
  }
  EXPECT_EQ(parse_err("m v=1e400"), "column 5: float out of range: \"1e400\"");
  EXPECT_EQ(parse_err("m v=1.5.5"),
            "column 5: expected a number (like 1, -1.5, 2e-3 or 3i), found \"1.5.5\"");
}

TEST(LineProtoTypes, Integers) {
  auto i = [](std::string_view v) {
    Point p = parse_ok("m v=" + std::string(v));
    EXPECT_EQ(value_type(p.fields[0].value), FieldType::kInteger) << v;
    return std::get<int64_t>(p.fields[0].value);
  };
  EXPECT_EQ(i("3i"), 3);
  EXPECT_EQ(i("-3i"), -3);
  EXPECT_EQ(i("0i"), 0);
  EXPECT_EQ(i("-0i"), 0);
  EXPECT_EQ(i("00012i"), 12);
  EXPECT_EQ(i("999999999999999999i"), 999999999999999999);
  EXPECT_EQ(i("9223372036854775807i"), INT64_MAX);
  EXPECT_EQ(i("-9223372036854775808i"), INT64_MIN);
  EXPECT_EQ(parse_err("m v=9223372036854775808i"),
            "column 5: integer out of range (int64): \"9223372036854775808i\"");
  for (std::string v : {"-9223372036854775809i", "99999999999999999999i", "1.5i", "1e3i", "-i",
                        "1ii", "1i2", "1I", "i"}) {
    EXPECT_NE(parse_err("m v=" + v), "") << v;
  }
}

TEST(LineProtoTypes, Unsigned) {
  Point p = parse_ok("m v=3u,w=18446744073709551615u,x=0u");
  EXPECT_EQ(std::get<uint64_t>(p.fields[0].value), 3u);
  EXPECT_EQ(std::get<uint64_t>(p.fields[1].value), UINT64_MAX);
  EXPECT_EQ(std::get<uint64_t>(p.fields[2].value), 0u);
  EXPECT_NE(parse_err("m v=18446744073709551616u"), "");
  EXPECT_NE(parse_err("m v=-1u"), "");
  EXPECT_NE(parse_err("m v=1.5u"), "");
  ParseOptions strict;
  strict.allow_unsigned = false;
  EXPECT_EQ(parse_err("m v=3u", strict), "column 5: unsigned integers (like 3u) are not accepted here");
}

TEST(LineProtoTypes, Booleans) {
  Point p = parse_ok("m a=t,b=T,c=true,d=True,e=TRUE,f=f,g=F,h=false,i=False,j=FALSE");
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(std::get<bool>(p.fields[k].value), k < 5) << k;
  }
  for (std::string v : {"tRUE", "tru", "truee", "yes", "FaLsE", "falsE", "TRue", "x", "t1"}) {
    EXPECT_EQ(parse_err("m v=" + v),
              "column 5: expected a field value (float, 1i, \"string\" or true/false), found \"" + v + "\"")
        << v;
  }
}

TEST(LineProtoTypes, Strings) {
  EXPECT_EQ(parse_err("m v=\"abc"), "column 5: expected a closing '\"' for the string that starts here");
  EXPECT_NE(parse_err("m v=\"abc\\\""), "");
  EXPECT_EQ(parse_err("m v=\"abc\"x 1"), "column 10: expected ',' or a space after the field value");
  std::string big(100000, 'x');
  EXPECT_EQ(std::get<std::string>(parse_ok("m v=\"" + big + "\"").fields[0].value), big);
}

// --- structure ----------------------------------------------------------

TEST(LineProtoStructure, Timestamps) {
  EXPECT_FALSE(parse_ok("m v=1").has_time);
  EXPECT_FALSE(parse_ok("m v=1 ").has_time);
  EXPECT_FALSE(parse_ok("m v=1 \t").has_time);
  EXPECT_EQ(parse_ok("m v=1 1").time, 1);
  EXPECT_EQ(parse_ok("m v=1 -1").time, -1);
  EXPECT_EQ(parse_ok("m v=1 01").time, 1);
  EXPECT_EQ(parse_ok("m v=1 1 ").time, 1);
  EXPECT_EQ(parse_ok("m v=1  \t1").time, 1);
  EXPECT_EQ(parse_ok("m v=1 9223372036854775806").time, kMaxTime);
  EXPECT_EQ(parse_ok("m v=1 -9223372036854775806").time, kMinTime);
  for (std::string t : {"9223372036854775807", "-9223372036854775807", "-9223372036854775808",
                        "99999999999999999999"}) {
    EXPECT_EQ(parse_err("m v=1 " + t), "column 7: timestamp out of range: \"" + t + "\" ns") << t;
  }
  EXPECT_EQ(parse_err("m v=1 1\t"), "column 7: expected an integer timestamp, found \"1\\t\"");
  for (std::string t : {"+1", "1.5", "1e3", "-", "1a", "0x1", "1-2"}) {
    EXPECT_EQ(parse_err("m v=1 " + t), "column 7: expected an integer timestamp, found \"" + t + "\"")
        << t;
  }
  EXPECT_EQ(parse_err("m v=1 1 2"), "column 9: expected the end of the line after the timestamp");
}

TEST(LineProtoStructure, Precisions) {
  struct Case {
    Precision p;
    int64_t mult;
  };
  for (Case c : {Case{Precision::kNanosecond, 1}, Case{Precision::kMicrosecond, 1000},
                 Case{Precision::kMillisecond, 1000000}, Case{Precision::kSecond, kSecond},
                 Case{Precision::kMinute, kMinute}, Case{Precision::kHour, kHour}}) {
    ParseOptions o;
    o.precision = c.p;
    EXPECT_EQ(parse_ok("m v=1 3", o).time, 3 * c.mult);
    EXPECT_EQ(parse_ok("m v=1 -3", o).time, -3 * c.mult);
    Point p = parse_ok("m v=1 1451606", o);
    std::string s;
    format_point(p, c.p, &s);
    EXPECT_EQ(s, "m v=1 1451606\n");
  }
  ParseOptions h;
  h.precision = Precision::kHour;
  EXPECT_EQ(parse_err("m v=1 2562048", h), "column 7: timestamp out of range: \"2562048\" h");
  EXPECT_EQ(parse_ok("m v=1 2562047", h).time, 2562047 * kHour);
}

TEST(LineProtoStructure, TimeKeys) {
  Point p = parse_ok("m time=1,v=2,time=3i 5");
  ASSERT_EQ(p.fields.size(), 1u);
  EXPECT_EQ(p.fields[0].key, "v");
  EXPECT_EQ(parse_err("m time=1 1"),
            "column 3: field key \"time\" is not allowed and the point has no other field");
  EXPECT_EQ(parse_err("m,time=a v=1 1"),
            "column 3: tag key \"time\" is not allowed (InfluxDB drops such points)");
  EXPECT_NE(parse_err("m time=abc,v=1"), "");  // still a value
  EXPECT_EQ(parse_ok("time v=1").measurement, "time");
  EXPECT_EQ(parse_ok("m,Time=a TIME=1").tags[0].key, "Time");
}

TEST(LineProtoStructure, Duplicates) {
  Point p = parse_ok("m v=\"a\",w=2i,v=\"b\",x=\"s\",v=\"last\"");
  ASSERT_EQ(p.fields.size(), 3u);
  EXPECT_EQ(p.fields[0].key, "w");
  EXPECT_EQ(p.fields[1].key, "x");
  EXPECT_EQ(p.fields[2].key, "v");
  EXPECT_EQ(std::get<std::string>(p.fields[2].value), "last");
  // A repeated key with another type is InfluxDB's field type conflict.
  EXPECT_EQ(parse_err("m v=1,w=2i,v=3i"),
            "column 12: field \"v\" given twice with different types (float, then integer)");
  // Same key through different escapes.
  Point q = parse_ok("m f\\\"k=1,f\"k=2");
  ASSERT_EQ(q.fields.size(), 1u);
  EXPECT_EQ(std::get<double>(q.fields[0].value), 2.0);
  EXPECT_EQ(parse_err("m,t=a,t=b v=1 1"), "column 7: tag key \"t\" given twice");
  EXPECT_EQ(parse_err("m,b=1,a=2,c=3,a=4 v=1"), "column 15: tag key \"a\" given twice");
  // Many keys (exercise the signature collisions).
  std::string line = "m ";
  for (int i = 0; i < 200; ++i) line += "f" + std::to_string(i) + "=" + std::to_string(i) + "i,";
  line += "f7=-1i";
  Point r = parse_ok(line);
  ASSERT_EQ(r.fields.size(), 200u);
  EXPECT_EQ(r.fields.back().key, "f7");
  EXPECT_EQ(std::get<int64_t>(r.fields.back().value), -1);
}

TEST(LineProtoStructure, Whitespace) {
  EXPECT_EQ(parse_ok(" m v=1 1").measurement, "m");
  EXPECT_EQ(parse_ok("\tm v=1 1").measurement, "m");
  EXPECT_EQ(fmt(parse_ok("m  v=1 1")), "m v=1 1\n");
  EXPECT_EQ(fmt(parse_ok("m \tv=1 1")), "m v=1 1\n");
  EXPECT_EQ(fmt(parse_ok("m,t=a  v=1 1")), "m,t=a v=1 1\n");
  // A tab is not a separator.
  EXPECT_EQ(parse_err("m\tv=1 1"), "column 8: expected '=' and a value after the field key");
  EXPECT_EQ(parse_err("m v=1\t1"), "column 5: expected a number (like 1, -1.5, 2e-3 or 3i), found \"1\\t1\"");
  EXPECT_TRUE(is_blank_or_comment(""));
  EXPECT_TRUE(is_blank_or_comment("  \t "));
  EXPECT_TRUE(is_blank_or_comment("# c"));
  EXPECT_TRUE(is_blank_or_comment("  # c"));
  EXPECT_FALSE(is_blank_or_comment("m v=1"));
  EXPECT_NE(parse_err("m v=1 1 # c"), "");
}

TEST(LineProtoStructure, Malformed) {
  struct Case {
    const char* line;
    const char* err;
  };
  const Case cases[] = {
      {"", "column 1: expected a measurement name"},
      {",t=a v=1", "column 1: expected a measurement name"},
      {"cpu", "column 4: expected a space and fields after the measurement"},
      {"cpu ", "column 5: expected fields (key=value)"},
      {"cpu,", "column 5: expected a tag key"},
      {"cpu, v=1", "column 5: expected a tag key"},
      {"cpu,=a v=1", "column 5: expected a tag key"},
      {"cpu,t=a,=b v=1", "column 9: expected a tag key"},
      {"cpu,t=a, v=1", "column 9: expected a tag key"},
      {"cpu,t v=1", "column 6: expected '=' and a value after the tag key"},
      {"cpu,t,u=1 v=1", "column 6: expected '=' and a value after the tag key"},
      {"cpu,t= v=1", "column 7: expected a tag value"},
      {"cpu,t=,u=1 v=1", "column 7: expected a tag value"},
      {"cpu,t=a", "column 8: expected a space and fields after the tags"},
      {"cpu,t=a=b v=1", "column 8: expected ',' or a space after the tag value ('=' in a value is written \\=)"},
      {"cpu,t=a\\\\ v=1 1", "column 12: expected ',' or a space after the tag value ('=' in a value is written \\=)"},
      {"cpu =1", "column 5: expected a field key"},
      {"cpu v=1,=2", "column 9: expected a field key"},
      {"cpu v=1,,w=2", "column 9: expected a field key"},
      {"cpu v", "column 6: expected '=' and a value after the field key"},
      {"cpu v=1,w", "column 10: expected '=' and a value after the field key"},
      {"cpu v=1,w 2", "column 10: expected '=' and a value after the field key"},
      {"cpu v=", "column 7: expected a field value (float, 1i, \"string\" or true/false)"},
      {"cpu v= 1", "column 7: expected a field value (float, 1i, \"string\" or true/false)"},
      {"cpu v=,w=1", "column 7: expected a field value (float, 1i, \"string\" or true/false)"},
      {"cpu v=1,", "column 9: expected a field key"},
      {"cpu v=1, 1", "column 9: expected a field key"},
      {"cpu a\\\\=1", "column 5: a field key cannot end in a backslash (InfluxDB misreads it)"},
      {"cpu,hostname=h usage=12x", "column 22: expected a number (like 1, -1.5, 2e-3 or 3i), found \"12x\""},
      {"cpu,hostname=h usage_user=58i,usage_system=abc",
       "column 44: expected a field value (float, 1i, \"string\" or true/false), found \"abc\""},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_err(c.line), c.err) << c.line;
}

TEST(LineProtoStructure, KeyLength) {
  std::string m(65535, 'm');
  EXPECT_EQ(parse_err(m + " v=1"), "column 65537: series key and field key longer than 65535 bytes");
  EXPECT_EQ(parse_err(m + "x v=1"), "column 1: series key longer than 65535 bytes");
  std::string ok(65531 - 1, 'm');  // + 4 + "v" = 65535
  EXPECT_EQ(parse_err(ok + " v=1"), "");
}

TEST(LineProtoStructure, Utf8) {
  Point p = parse_ok("aztalk,chnl_name=아이유\\ 생중계\\ 채널 connection_cnt=213444i,heart_cnt=123i");
  EXPECT_EQ(p.measurement, "aztalk");
  EXPECT_EQ(p.tags[0].value, "아이유 생중계 채널");
  EXPECT_EQ(std::get<int64_t>(p.fields[0].value), 213444);
  Point q = parse_ok("温度,城市=北京 值=21.5,说明=\"晴 天\" 1");
  EXPECT_EQ(q.measurement, "温度");
  EXPECT_EQ(q.tags[0].key, "城市");
  EXPECT_EQ(q.fields[1].key, "说明");
  EXPECT_EQ(fmt(q), "温度,城市=北京 值=21.5,说明=\"晴 天\" 1\n");
}

// --- series keys, round trips ----------------------------------------------

TEST(LineProtoSeriesKey, Canonical) {
  ParsedLine a, b;
  ASSERT_TRUE(parse_line("cpu,z=1,a=2,m=3 v=1", {}, &a).ok());
  ASSERT_TRUE(parse_line("cpu,a=2,m=3,z=1 w=1i 5", {}, &b).ok());
  EXPECT_EQ(series_key(a), "cpu,a=2,m=3,z=1");
  EXPECT_EQ(series_key(a), series_key(b));
  EXPECT_EQ(a.raw_series, "cpu,z=1,a=2,m=3");
  ParsedLine c;
  ASSERT_TRUE(parse_line("c\\ pu v=1", {}, &c).ok());
  EXPECT_EQ(series_key(c), "c\\ pu");
  // Sorted by the unescaped key: " " < "!" < "a".
  ASSERT_TRUE(parse_line("m,a=1,!=2,\\ =3 v=1", {}, &c).ok());
  EXPECT_EQ(series_key(c), "m,\\ =3,!=2,a=1");
}

TEST(LineProtoRoundTrip, FormatParse) {
  const char* lines[] = {
      "cpu,host=a,region=x v=1.5,i=-3i,u=7u,s=\"a \\\"q\\\" \\\\ b\",b=true 1451606400000000000",
      "m\\ x\\,y,t\\ k\\=\\,=v\\ a\\=l\\,ue f\\ k\\=\\,=1",
      "m v=1.7976931348623157e+308,w=5e-324,x=-0,y=0.1,z=1e+21,a=123456789012345680000",
      "m v=9223372036854775807i,w=-9223372036854775808i,u=18446744073709551615u",
      "aztalk,chnl_name=아이유\\ 생중계\\ 채널 connection_cnt=213444i,heart_cnt=123i",
      "m s=\"line1\nline2\" -1",
      "m,t=a\\\nb v=1 1",
  };
  for (const char* l : lines) {
    Point p = parse_ok(l);
    std::string once = fmt(p);
    std::string_view body(once);
    body.remove_suffix(1);
    Point q = parse_ok(body);
    EXPECT_EQ(p, q) << l << "\n" << once;
    EXPECT_EQ(fmt(q), once);
  }
}

TEST(LineProtoRoundTrip, FloatsBitExact) {
  XorShift next{0x9E3779B97F4A7C15ull};
  for (int i = 0; i < 20000; ++i) {
    uint64_t x = next();
    double d;
    std::memcpy(&d, &x, sizeof d);
    if (!std::isfinite(d)) continue;
    Point p;
    p.measurement = "m";
    p.add_field("v", d);
    std::string s = fmt(p);
    s.pop_back();
    Point q = parse_ok(s);
    uint64_t back;
    std::memcpy(&back, &std::get<double>(q.fields[0].value), sizeof back);
    ASSERT_EQ(back, x) << s;
  }
}

TEST(LineProtoFormat, SkipsEmptyTagsAndSorts) {
  Point p;
  p.measurement = "m";
  p.add_tag("b", "2").add_tag("a", "").add_tag("c", "x y");
  p.sort_tags();
  p.add_field("v", int64_t{1});
  EXPECT_EQ(fmt(p), "m,b=2,c=x\\ y v=1i\n");
}

// --- Reader ----------------------------------------------------------------

struct Collected {
  std::vector<std::string> points;  // formatted
  std::vector<std::string> errors;  // "line N: message"
};

Collected read_all(const std::vector<std::string>& chunks, ParseOptions opts = {}) {
  Collected c;
  Reader r(opts);
  auto on_line = [&](const ParsedLine& l) { c.points.push_back(fmt(to_point(l))); };
  auto on_error = [&](int64_t n, const Status& s) {
    c.errors.push_back("line " + std::to_string(n) + ": " + s.message());
  };
  for (const auto& ch : chunks) r.feed(ch, on_line, on_error);
  r.finish(on_line, on_error);
  return c;
}

TEST(LineProtoReader, LinesCommentsErrors) {
  std::string in =
      "# a comment\n"
      "\n"
      "m v=1 1\n"
      "   \t\n"
      "m v=x 2\n"
      "  # indented comment\n"
      "m v=3 3\r\n"
      "m v=4 4";
  Collected c = read_all({in});
  EXPECT_EQ(c.points, (std::vector<std::string>{"m v=1 1\n", "m v=3 3\n", "m v=4 4\n"}));
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0],
            "line 5: column 5: expected a field value (float, 1i, \"string\" or true/false), found \"x\"");
  // Every split of the input into two chunks gives the same result.
  for (size_t i = 0; i <= in.size(); ++i) {
    Collected d = read_all({in.substr(0, i), in.substr(i)});
    EXPECT_EQ(d.points, c.points) << i;
    EXPECT_EQ(d.errors, c.errors) << i;
  }
}

// on_text: directives in comments, one line each; a raw section's lines
// unparsed; other comments skipped as ever.
TEST(LineProtoReader, DirectivesAndRawLines) {
  const std::string in =
      "# DDL\n"
      "CREATE DATABASE \"a\"\n"
      "\n"
      "# DML\n"
      "# X:\"q\n"
      "m v=1 1\n"
      "# note \"open\r\n"
      "m v=2 2\n";
  auto run = [&](size_t split) {
    std::vector<std::string> got;
    Reader r{ParseOptions{}};
    bool raw = false;
    auto on_line = [&](ParsedLine& l) { got.push_back("line " + std::to_string(r.record_line()) + " " + std::string(l.text)); };
    auto on_error = [&](int64_t n, const Status& s) { got.push_back("error " + std::to_string(n) + " " + s.message()); };
    auto on_text = [&](int64_t n, std::string_view t) {
      if (t == "# DDL" || t == "# DML") {
        raw = t == "# DDL";
        r.set_raw(raw);
      } else if (!raw && !t.starts_with("# X:")) {
        return false;
      }
      got.push_back("text " + std::to_string(n) + " " + std::string(t));
      return true;
    };
    r.feed(std::string_view(in).substr(0, split), on_line, on_error, on_text);
    r.feed(std::string_view(in).substr(split), on_line, on_error, on_text);
    r.finish(on_line, on_error, on_text);
    return got;
  };
  const std::vector<std::string> want = {
      "text 1 # DDL", "text 2 CREATE DATABASE \"a\"", "text 4 # DML", "text 5 # X:\"q",
      "line 6 m v=1 1", "line 8 m v=2 2"};
  for (size_t i = 0; i <= in.size(); ++i) EXPECT_EQ(run(i), want) << i;
}

TEST(LineProtoReader, RecordsWithNewlines) {
  std::string in =
      "m s=\"a\nb\" 1\n"         // lines 1-2
      "m\\\nx v=1 2\n"           // lines 3-4: escaped newline in the measurement
      "m,t=a\\\nb v=1 3\n"       // lines 5-6
      "m v=1 4\n"                // line 7
      "m v=\"open 5\n"           // line 8: unterminated: swallows the rest
      "m v=2 6\n";
  Collected c = read_all({in});
  ASSERT_EQ(c.points.size(), 4u);
  EXPECT_EQ(c.points[0], "m s=\"a\nb\" 1\n");
  EXPECT_EQ(c.points[1], "m\\\nx v=1 2\n");
  EXPECT_EQ(c.points[2], "m,t=a\\\nb v=1 3\n");
  EXPECT_EQ(c.points[3], "m v=1 4\n");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0], "line 8: column 5: expected a closing '\"' for the string that starts here");
  for (size_t i = 0; i <= in.size(); ++i) {
    for (size_t j = i; j <= in.size(); j += 7) {
      Collected d = read_all({in.substr(0, i), in.substr(i, j - i), in.substr(j)});
      EXPECT_EQ(d.points, c.points) << i << " " << j;
      EXPECT_EQ(d.errors, c.errors) << i << " " << j;
    }
  }
  // A comment whose text opens a quote swallows what follows, as InfluxDB.
  Collected e = read_all({"# x y=\"z\nm v=1 1\nm v=2 2\n"});
  EXPECT_EQ(e.points, (std::vector<std::string>{}));
  EXPECT_EQ(e.errors, (std::vector<std::string>{}));
  Collected g = read_all({"# x y=\"z\nm v=1 1\"\nm v=2 2\n"});
  EXPECT_EQ(g.points, (std::vector<std::string>{"m v=2 2\n"}));
  // A bad line whose quote does not open a string ends at its newline.
  Collected f = read_all({"m v=1 \"\nm v=2 2\n"});
  EXPECT_EQ(f.points, (std::vector<std::string>{}));
  EXPECT_EQ(f.errors.size(), 1u);
}

TEST(LineProtoReader, RecordEnd) {
  EXPECT_EQ(record_end("m v=1\nx", 0), 5u);
  EXPECT_EQ(record_end("m v=\"a\nb\"\nx", 0), 9u);
  EXPECT_EQ(record_end("m\\\nv=1\nx", 0), 6u);
  EXPECT_EQ(record_end("m \"v\"=1\nx", 0), 7u);  // a quote in a key is not a string
  EXPECT_EQ(record_end("m,t=\"a v=1\nx", 0), 10u);
  EXPECT_EQ(record_end("m v=\"a", 0), std::string_view::npos);
  // The quick path (no quote or backslash before the newline), from
  // inside a buffer, at its end, and without a newline.
  EXPECT_EQ(record_end("m v=1\nm v=2\n", 6), 11u);
  EXPECT_EQ(record_end("m v=1\nm v=2", 6), std::string_view::npos);
  EXPECT_EQ(record_end("m v=1\n", 6), std::string_view::npos);
  EXPECT_EQ(record_end("\n", 0), 0u);
  // A quote or backslash after the newline does not matter to it.
  EXPECT_EQ(record_end("m v=1\nm v=\"a\nb\"\n", 0), 5u);
  EXPECT_EQ(record_end("m v=1\nm v=\"a\nb\"\n", 6), 15u);
}

TEST(LineProtoReader, NoAllocationPerLine) {
  // The ParsedLine keeps its capacity: parsing the same shape again does
  // not grow it.
  ParsedLine pl;
  std::string line =
      "cpu,hostname=host_0,region=eu-west-1,datacenter=eu-west-1a usage_user=58i,usage_system=2i "
      "1451606400000000000";
  ASSERT_TRUE(parse_line(line, {}, &pl).ok());
  auto cap_t = pl.tags.capacity();
  auto cap_f = pl.fields.capacity();
  const void* data_f = pl.fields.data();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(parse_line(line, {}, &pl).ok());
  EXPECT_EQ(pl.tags.capacity(), cap_t);
  EXPECT_EQ(pl.fields.capacity(), cap_f);
  EXPECT_EQ(pl.fields.data(), data_f);
}

}  // namespace
}  // namespace tsd::lp

namespace tsd::lp {
namespace {

// Mutated corpus-like lines: never a crash; what parses formats to a line
// that parses to the same point (format(parse(x)) round-trips).
TEST(LineProtoRoundTrip, MutationsNeverCrashAndRoundTrip) {
  const std::string seeds[] = {
      "cpu,host=a\\ b,region=eu\\,w v=1.5,i=-3i,u=7u,s=\"a \\\"q\\\" \\\\ b\",b=true 1451606400000000000",
      "m\\ x,t\\=k=v\\=a f\\ k=1e-3,g=\"x\ny\" -5",
      "aztalk,chnl_name=아이유\\ 생중계\\ 채널 connection_cnt=213444i,heart_cnt=123i",
      "m,t==a,u=\\ x v=.5,w=5.,x=-0,y=TRUE,z=F 0",
  };
  const char alphabet[] = ",= \\\"\n\tie.-+0123456789tfTFaxu#";
  XorShift next{12345};
  ParsedLine pl;
  int parsed = 0;
  for (int round = 0; round < 30000; ++round) {
    std::string s = seeds[next() % 4];
    int edits = 1 + next() % 4;
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t at = next() % s.size();
      switch (next() % 3) {
        case 0: s[at] = alphabet[next() % (sizeof alphabet - 1)]; break;
        case 1: s.erase(at, 1 + next() % 3); break;
        default: s.insert(at, 1, alphabet[next() % (sizeof alphabet - 1)]); break;
      }
    }
    if (!parse_line(s, {}, &pl).ok()) continue;
    ++parsed;
    Point p = to_point(pl);
    std::string out;
    format_point(p, &out);
    out.pop_back();
    ParsedLine again;
    Status st = parse_line(out, {}, &again);
    // Unrepresentable values (a key ending in a backslash, a raw newline
    // in a tag) are the documented exceptions.
    bool representable = true;
    for (const auto& t : p.tags) {
      representable = representable && t.key.back() != '\\' && t.value.back() != '\\';
    }
    if (!representable) continue;
    ASSERT_TRUE(st.ok()) << s << "\n -> " << out << "\n -> " << st.message();
    ASSERT_EQ(to_point(again), p) << s << "\n -> " << out;
  }
  EXPECT_GT(parsed, 1000);
}

}  // namespace
}  // namespace tsd::lp

namespace tsd::lp {
namespace {

constexpr double kPow10Test[] = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e9, 1e15};

// The parser's fast path for short decimals agrees bit for bit with strtod
// (correctly rounded) on numbers of every length and scale.
TEST(LineProtoTypes, FloatFastPathMatchesStrtod) {
  XorShift next{987654321};
  ParsedLine pl;
  char buf[64];
  for (int i = 0; i < 600000; ++i) {
    double v = static_cast<double>(next() >> 11) * 0x1p-53 * kPow10Test[next() % 12];
    int digits = 1 + static_cast<int>(next() % 19);
    switch (next() % 3) {
      case 0:
        std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(next() % 20), v);
        break;
      case 1:
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        break;
      default:  // the shortest form, as Go and Telegraf write floats
        *std::to_chars(buf, buf + sizeof buf - 1, v).ptr = '\0';
    }
    if (std::strchr(buf, 'e')) continue;
    std::string line = std::string("m v=") + (next() % 2 ? "-" : "") + buf;
    ASSERT_TRUE(parse_line(line, {}, &pl).ok()) << line;
    double want = std::strtod(line.c_str() + 4, nullptr);
    uint64_t a, b;
    std::memcpy(&a, &pl.fields[0].f, 8);
    std::memcpy(&b, &want, 8);
    ASSERT_EQ(a, b) << line;
  }
}

// Decimals of 16-17 digits above 2^53 whose quotient of doubles lands a
// neighbour away from the nearest double (about one in eleven of the
// devops float set) stay on the fast path, exact.
TEST(LineProtoTypes, FloatFastPathProvesNeighbours) {
  for (const char* text : {"96.01567397998305", "3.6449330563212756", "20.783463170331018",
                           "15.989264836970985", "94.21970350132241", "1.2619140492468595"}) {
    std::string in = std::string(text) + ",";
    const char* p = in.data();
    ParsedField f;
    ASSERT_TRUE(internal::parse_number_fast(&p, in.data() + in.size(), &f)) << text;
    EXPECT_EQ(p, in.data() + in.size() - 1);
    double want = 0;
    std::from_chars(text, text + std::strlen(text), want);
    EXPECT_EQ(std::memcmp(&f.f, &want, 8), 0) << text;
  }
}

}  // namespace
}  // namespace tsd::lp

namespace tsd::lp {
namespace {

// An unterminated string longer than Reader::kMaxRecord is reported at its
// first line and reading goes on with the next line (memory stays bounded).
TEST(LineProtoReader, UnterminatedStringIsBounded) {
  std::string body;
  body.reserve(Reader::kMaxRecord + (1 << 20));
  body += "m v=\"open 1\n";
  std::string filler = "f v=1 2 " + std::string(4000, ' ') + "\n";
  while (body.size() <= Reader::kMaxRecord + 4096) body += filler;
  body += "m v=2 3\n";
  Reader r(ParseOptions{});
  int64_t good = 0;
  std::vector<int64_t> bad;
  auto on_line = [&](const ParsedLine&) { ++good; };
  auto on_error = [&](int64_t n, const Status&) { bad.push_back(n); };
  for (size_t pos = 0; pos < body.size(); pos += 1 << 20) {
    r.feed(std::string_view(body).substr(pos, 1 << 20), on_line, on_error);
  }
  r.finish(on_line, on_error);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], 1);
  EXPECT_EQ(good, r.line_number() - 1);
}

}  // namespace
}  // namespace tsd::lp

namespace tsd::lp {
namespace {

// defer_tags: the series text is found but its tags are parsed (and
// checked) only by complete_line, which gives parse_line's own result.
TEST(LineProtoDefer, DefersAndCompletes) {
  ParseOptions d;
  d.defer_tags = true;
  ParsedLine a;
  ASSERT_TRUE(parse_line("cpu,host=a,dc=x v=1i,w=2.5 10", d, &a).ok());
  EXPECT_TRUE(a.tags_deferred);
  EXPECT_EQ(a.raw_series, "cpu,host=a,dc=x");
  EXPECT_TRUE(a.tags.empty());
  ASSERT_EQ(a.fields.size(), 2u);
  EXPECT_EQ(a.fields[1].f, 2.5);
  EXPECT_EQ(a.time, 10);
  ASSERT_TRUE(complete_line(&a).ok());
  EXPECT_FALSE(a.tags_deferred);
  EXPECT_EQ(a.measurement, "cpu");
  ASSERT_EQ(a.tags.size(), 2u);
  EXPECT_EQ(a.tags[1].key, "dc");
  EXPECT_EQ(a.fields.size(), 2u);
}

TEST(LineProtoDefer, BadSeriesIsFoundByCompleteLine) {
  ParseOptions d;
  d.defer_tags = true;
  for (std::string_view line : {"m,time=1 f=1i 1", "m,a=b,a=c f=1i", "m,a=b=c f=1i", "m,a f=1i",
                                "m, f=1i", "m,=a f=1i"}) {
    ParsedLine full;
    Status want = parse_line(line, {}, &full);
    ASSERT_FALSE(want.ok()) << line;
    ParsedLine a;
    ASSERT_TRUE(parse_line(line, d, &a).ok()) << line;
    ASSERT_TRUE(a.tags_deferred) << line;
    EXPECT_EQ(complete_line(&a).message(), want.message()) << line;
  }
}

TEST(LineProtoDefer, SameErrorsAndNoDeferralWithABackslash) {
  ParseOptions d;
  d.defer_tags = true;
  for (std::string_view line : {"m,time=1 f=x", "m,a=b f=1i 1 2", "m,a=b", "m,a\\ b=c f=1i 1",
                                "m\\\\\\\\ x=a=\"b,time=1 f=1i 1", "m v=1"}) {
    ParsedLine full, a;
    Status want = parse_line(line, {}, &full);
    Status got = parse_line(line, d, &a);
    EXPECT_EQ(got.ok(), want.ok()) << line;
    EXPECT_EQ(got.message(), want.message()) << line;
    if (got.ok() && std::string_view(line).find('\\') != std::string_view::npos) {
      EXPECT_FALSE(a.tags_deferred) << line;
      EXPECT_EQ(a.tags.size(), full.tags.size()) << line;
    }
  }
}

// "key=" at the very end of the text: the value is missing, and nothing
// past the text is read (a heap buffer of exactly the line, for ASan:
// the fuzzer found the one-byte over-read).
TEST(LineProtocolParse, EmptyValueAtTheEndOfTheBuffer) {
  const std::string_view line = "m f=";
  std::unique_ptr<char[]> buf(new char[line.size()]);
  std::memcpy(buf.get(), line.data(), line.size());
  ParsedLine pl;
  Status s = parse_line(std::string_view(buf.get(), line.size()), {}, &pl);
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace tsd::lp
