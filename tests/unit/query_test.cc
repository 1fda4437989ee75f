#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "query/column_filter.h"
#include "query/condition.h"
#include "query/eval.h"
#include "query/merge.h"
#include "query/parser.h"
#include "query/render.h"
#include "query/scanner.h"
#include "query/zone.h"

namespace tsd::query {
namespace {

// Every token of `text` up to EOF (included), as "NAME:lit@line.char".
std::vector<std::string> tokens(std::string_view text) {
  Scanner s(text);
  std::vector<std::string> out;
  for (int k = 0; k < 100; k++) {
    Token t = s.scan();
    std::string name(tok_name(t.tok));
    if (name.empty()) name = "#" + std::to_string(static_cast<int>(t.tok));
    out.push_back(name + ":" + t.lit + "@" + std::to_string(t.pos.line) + "." +
                  std::to_string(t.pos.ch));
    if (t.tok == Tok::kEof) break;
  }
  return out;
}

using V = std::vector<std::string>;

// Positions follow InfluxDB 1.6's reader (influxql v1.0), checked against
// influxd's messages: a token that reads to the end of the input takes one
// end-of-input with it, so the EOF after it sits one place further on; a
// quoted string sits at the rune before its opening quote
// ("SELECT x FROM 'abc'": "found abc, expected identifier at line 1,
// char 14").
TEST(Scanner, IdentifiersKeywordsAndQuotes) {
  EXPECT_EQ(tokens(""), V{"EOF:@0.0"});
  EXPECT_EQ(tokens("foo _x9"), (V{"IDENT:foo@0.0", "WS: @0.3", "IDENT:_x9@0.4", "EOF:@0.8"}));
  EXPECT_EQ(tokens("SeLeCt and TRUE false"),
            (V{"SELECT:@0.0", "WS: @0.6", "AND:@0.7", "WS: @0.10", "TRUE:@0.11", "WS: @0.15",
               "FALSE:@0.16", "EOF:@0.22"}));
  EXPECT_EQ(tokens("\"foo bar\""), (V{"IDENT:foo bar@0.0", "EOF:@0.9"}));
  EXPECT_EQ(tokens(R"("a\"b\\c\nd")"), (V{"IDENT:a\"b\\c\nd@0.0", "EOF:@0.12"}));
  // Bare characters right before a quoted part are dropped, as InfluxDB does.
  EXPECT_EQ(tokens("ab\"cd\"e"), (V{"IDENT:cd@0.0", "IDENT:e@0.6", "EOF:@0.8"}));
  EXPECT_EQ(tokens("\"select\""), (V{"IDENT:select@0.0", "EOF:@0.8"}));
  EXPECT_EQ(tokens("\"foo"), (V{"BADSTRING:foo@0.0", "EOF:@0.5"}));
  EXPECT_EQ(tokens(R"("fo\xo")")[0], "BADESCAPE:\\x@0.4");
  EXPECT_EQ(lookup_keyword("subscriptions"), Tok::kSubscriptions);
  EXPECT_EQ(lookup_keyword("subscriptionsx"), Tok::kIdent);
  EXPECT_EQ(lookup_keyword("Measurement"), Tok::kMeasurement);
  EXPECT_TRUE(is_keyword(Tok::kWrite));
  EXPECT_FALSE(is_keyword(Tok::kAnd));
}

TEST(Scanner, Strings) {
  EXPECT_EQ(tokens("'it''s'"), (V{"STRING:it@0.0", "STRING:s@0.3", "EOF:@0.7"}));
  EXPECT_EQ(tokens(R"('a\'b\nc')"), (V{"STRING:a'b\nc@0.0", "EOF:@0.9"}));
  EXPECT_EQ(tokens("'abc"), (V{"BADSTRING:abc@0.0", "EOF:@0.5"}));
  EXPECT_EQ(tokens("'ab\ncd'")[0], "BADSTRING:ab@0.0");
  EXPECT_EQ(tokens(R"('a\qb')")[0], "BADESCAPE:\\q@0.3");
  // Positions count code points, not bytes.
  EXPECT_EQ(tokens("'아이유' x"), (V{"STRING:아이유@0.0", "WS: @0.5", "IDENT:x@0.6", "EOF:@0.8"}));
}

TEST(Scanner, NumbersAndDurations) {
  EXPECT_EQ(tokens("100"), (V{"#7:100@0.0", "EOF:@0.3"}));  // INTEGER has no name
  EXPECT_EQ(tokens("100.25 .5"), (V{"NUMBER:100.25@0.0", "WS: @0.6", "NUMBER:.5@0.7", "EOF:@0.9"}));
  // "10." is the number 10 (the dot is taken).
  EXPECT_EQ(tokens("10."), (V{"NUMBER:10@0.0", "EOF:@0.3"}));
  EXPECT_EQ(tokens("10s 1h30m 5µs 7xyz"),
            (V{"DURATIONVAL:10s@0.0", "WS: @0.3", "DURATIONVAL:1h30m@0.4", "WS: @0.9",
               "DURATIONVAL:5µs@0.10", "WS: @0.13", "DURATIONVAL:7xyz@0.14", "EOF:@0.18"}));
  EXPECT_EQ(tokens("1.5h"), (V{"NUMBER:1.5@0.0", "IDENT:h@0.3", "EOF:@0.5"}));
  EXPECT_EQ(tokens(". .x"), (V{".:@0.0", "WS: @0.1", ".:@0.2", "IDENT:x@0.3", "EOF:@0.5"}));
}

TEST(Scanner, OperatorsPunctuationAndComments) {
  EXPECT_EQ(tokens("+-*/%&|^"), (V{"+:@0.0", "-:@0.1", "*:@0.2", "/:@0.3", "%:@0.4", "&:@0.5",
                                   "|:@0.6", "^:@0.7", "EOF:@0.8"}));
  EXPECT_EQ(tokens("= != =~ !~ <> < <= > >="),
            (V{"=:@0.0", "WS: @0.1", "!=:@0.2", "WS: @0.4", "=~:@0.5", "WS: @0.7", "!~:@0.8",
               "WS: @0.10", "!=:@0.11", "WS: @0.13", "<:@0.14", "WS: @0.15", "<=:@0.16",
               "WS: @0.18", ">:@0.19", "WS: @0.20", ">=:@0.21", "EOF:@0.23"}));
  EXPECT_EQ(tokens("(a,b);x::y:z"),
            (V{"(:@0.0", "IDENT:a@0.1", ",:@0.2", "IDENT:b@0.3", "):@0.4", ";:@0.5", "IDENT:x@0.6",
               ":::@0.7", "IDENT:y@0.9", "::@0.10", "IDENT:z@0.11", "EOF:@0.13"}));
  EXPECT_EQ(tokens("!"), (V{"ILLEGAL:!@0.0", "EOF:@0.1"}));
  EXPECT_EQ(tokens("#@"), (V{"ILLEGAL:#@0.0", "ILLEGAL:@@0.1", "EOF:@0.2"}));
  EXPECT_EQ(tokens("-- note\nSELECT"), (V{"#3:@0.0", "SELECT:@1.0", "EOF:@1.7"}));
  EXPECT_EQ(tokens("/* a\n ** b */x"), (V{"#3:@0.0", "IDENT:x@1.8", "EOF:@1.10"}));
  EXPECT_EQ(tokens("/* a *"), (V{"ILLEGAL:@0.0", "EOF:@0.7"}));
  EXPECT_EQ(tokens("$host $\"a b\" $"),
            (V{"#5:$host@0.0", "WS: @0.5", "#5:$a b@0.6", "WS: @0.12", "#5:$@0.13", "EOF:@0.15"}));
}

TEST(Scanner, LinesEndsAndBadBytes) {
  EXPECT_EQ(tokens("a\r\nb\rc"),
            (V{"IDENT:a@0.0", "WS:\n@0.1", "IDENT:b@1.0", "WS:\n@1.1", "IDENT:c@2.0", "EOF:@2.2"}));
  // A NUL byte ends the token being read; positions stop counting there.
  EXPECT_EQ(tokens(std::string_view("a\0b", 3)), (V{"IDENT:a@0.0", "IDENT:b@0.2", "EOF:@0.2"}));
  // A byte that starts no code point reads as U+FFFD.
  EXPECT_EQ(tokens("\xff"), (V{"ILLEGAL:\xEF\xBF\xBD@0.0", "EOF:@0.1"}));
  EXPECT_EQ(tokens("'\xc3('"), (V{"STRING:\xEF\xBF\xBD(@0.0", "EOF:@0.4"}));
}

TEST(Scanner, RegexesWhenTheParserAsks) {
  Scanner s(R"(=~ /cpu\/[0-9]+\d/ x)");
  EXPECT_EQ(s.scan().tok, Tok::kEqRegex);
  s.skip_whitespace();
  EXPECT_EQ(s.peek(), U'/');
  Token r = s.scan_regex();
  EXPECT_EQ(r.tok, Tok::kRegex);
  EXPECT_EQ(r.lit, R"(cpu/[0-9]+\d)");
  // Placed at the rune before its '/', as InfluxDB's messages place it.
  EXPECT_EQ(r.pos, (Pos{0, 2}));
  EXPECT_EQ(s.scan().tok, Tok::kWs);
  EXPECT_EQ(s.scan().lit, "x");
  Scanner open("/abc");
  EXPECT_EQ(open.scan_regex().tok, Tok::kBadRegex);
  Scanner nl("/a\nb/");
  EXPECT_EQ(nl.scan_regex().tok, Tok::kBadRegex);
  Scanner none("abc");
  EXPECT_EQ(none.scan_regex().tok, Tok::kBadRegex);
}

TEST(Scanner, NamesAndPrecedence) {
  EXPECT_EQ(tok_str(Token{Tok::kSelect, {}, ""}), "SELECT");
  EXPECT_EQ(tok_str(Token{Tok::kIdent, {}, "cpu"}), "cpu");
  EXPECT_EQ(tok_name(Tok::kDurationKw), "DURATION");
  EXPECT_EQ(tok_name(Tok::kDuration), "DURATIONVAL");
  EXPECT_EQ(precedence(Tok::kOr), 1);
  EXPECT_EQ(precedence(Tok::kAnd), 2);
  EXPECT_EQ(precedence(Tok::kEqRegex), 3);
  EXPECT_EQ(precedence(Tok::kBitXor), 4);
  EXPECT_EQ(precedence(Tok::kMod), 5);
  EXPECT_EQ(precedence(Tok::kComma), 0);
}

TEST(Scanner, GarbageNeverCrashes) {
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (int round = 0; round < 3000; round++) {
    std::string text(static_cast<size_t>(round % 64), '\0');
    for (char& c : text) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      c = static_cast<char>(x % 7 == 0 ? "'\"\\/*-$"[x % 7] : static_cast<char>(x >> 8));
    }
    Scanner s(text);
    int n = 0;
    while (s.scan().tok != Tok::kEof && n < 1000) n++;
    EXPECT_LT(n, 1000);
    Scanner r(text);
    (void)r.scan_regex();
  }
}

}  // namespace
}  // namespace tsd::query

// -- parser: expressions -------------------------------------------------------

namespace tsd::query {
namespace {

// The tree in prefix form: (op lhs rhs), f(args), literals as written.
std::string show(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kVarRef: {
      static const char* kTypes[] = {"", "::float", "::integer", "::unsigned", "::string",
                                     "::boolean", "::tag", "::field"};
      return e.name + kTypes[static_cast<int>(e.type)];
    }
    case Expr::Kind::kCall: {
      std::string s = e.name + "(";
      for (size_t k = 0; k < e.args.size(); k++) s += (k ? ", " : "") + show(*e.args[k]);
      return s + ")";
    }
    case Expr::Kind::kBinary:
      return "(" + std::string(tok_name(e.op)) + " " + show(*e.args[0]) + " " +
             show(*e.args[1]) + ")";
    case Expr::Kind::kParen: return "[" + show(*e.args[0]) + "]";
    case Expr::Kind::kNumber: return "n" + std::to_string(e.number);
    case Expr::Kind::kInteger: return std::to_string(e.integer);
    case Expr::Kind::kUnsigned: return std::to_string(e.uinteger) + "u";
    case Expr::Kind::kString: return "'" + e.name + "'";
    case Expr::Kind::kBoolean: return e.boolean ? "true" : "false";
    case Expr::Kind::kDuration: return "d" + std::to_string(e.integer);
    case Expr::Kind::kRegex: return "/" + e.name + "/";
    case Expr::Kind::kWildcard:
      return e.type == DataType::kTag ? "*::tag" : e.type == DataType::kAnyField ? "*::field" : "*";
    case Expr::Kind::kDistinct: return "distinct " + e.name;
  }
  return "?";
}

std::string parsed(std::string_view text) {
  Parser p(text);
  auto e = p.parse_expr();
  if (!e.ok()) return "error: " + e.status().message();
  return show(**e);
}

TEST(Parser, PrecedenceAndAssociativity) {
  EXPECT_EQ(parsed("a + b * c - d"), "(- (+ a (* b c)) d)");
  EXPECT_EQ(parsed("a = 1 OR b = 2 AND c =~ /x\\/y/"),
            "(OR (= a 1) (AND (= b 2) (=~ c /x/y/)))");
  EXPECT_EQ(parsed("(a OR b) AND c"), "(AND [(OR a b)] c)");
  EXPECT_EQ(parsed("a & b | c ^ d % e"), "(^ (| (& a b) c) (% d e))");
  EXPECT_EQ(parsed("x / 2 / 4"), "(/ (/ x 2) 4)");
  EXPECT_EQ(parsed("time > now() - 1h"), "(> time (- now() d3600000000000))");
}

TEST(Parser, LiteralsReferencesAndCalls) {
  EXPECT_EQ(parsed("'it\\'s'"), "'it's'");
  EXPECT_EQ(parsed("TRUE"), "true");
  EXPECT_EQ(parsed("1.5"), "n1.500000");
  EXPECT_EQ(parsed("-1.5"), "n-1.500000");
  EXPECT_EQ(parsed("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(parsed("9223372036854775808"), "9223372036854775808u");
  EXPECT_EQ(parsed("-5m"), "d-300000000000");
  EXPECT_EQ(parsed("1h30m"), "d5400000000000");
  EXPECT_EQ(parsed("-x"), "(* -1 x)");
  EXPECT_EQ(parsed("+ (a)"), "(* 1 [a])");
  EXPECT_EQ(parsed("\"db\".\"rp\".m::tag"), "db.rp.m::tag");
  EXPECT_EQ(parsed("usage_user::Integer"), "usage_user::integer");
  EXPECT_EQ(parsed("a..b"), "a..b");
  EXPECT_EQ(parsed("*::field"), "*::field");
  EXPECT_EQ(parsed("MEAN(usage_user)"), "mean(usage_user)");
  EXPECT_EQ(parsed("derivative(mean(x), 1s)"), "derivative(mean(x), d1000000000)");
  EXPECT_EQ(parsed("count(distinct(host))"), "count(distinct(host))");
  EXPECT_EQ(parsed("distinct host"), "distinct host");
  EXPECT_EQ(parsed("top(x, host, 3)"), "top(x, host, 3)");
  EXPECT_EQ(parsed("now()"), "now()");
  EXPECT_EQ(parsed("f(/a.*/, /b/)"), "f(/a.*/, /b/)");
}

TEST(Parser, DurationsAsInfluxDB) {
  EXPECT_EQ(*parse_duration("10ns"), 10);
  EXPECT_EQ(*parse_duration("3u"), 3000);
  EXPECT_EQ(*parse_duration("3µ"), 3000);
  EXPECT_EQ(*parse_duration("2ms"), 2000000);
  EXPECT_EQ(*parse_duration("1d"), 86400000000000);
  EXPECT_EQ(*parse_duration("2w"), 1209600000000000);
  EXPECT_EQ(*parse_duration("-1h"), -3600000000000);
  for (const char* bad : {"", "s", "10", "10n", "10x", "h10", "10s5", "--1s"}) {
    EXPECT_EQ(parse_duration(bad).status().message(), "invalid duration") << bad;
  }
  EXPECT_EQ(parse_duration("99999999999999999999h").status().message(), "invalid duration");
  EXPECT_EQ(parse_duration("3000000h").status().message(),
            "overflowed duration 3000000h: choose a smaller duration or INF");
}

// InfluxDB 1.6.7's answers to SELECT x FROM m WHERE <expr>, with 22 taken
// off each position (the length of "SELECT x FROM m WHERE ").
TEST(Parser, ErrorsAsInfluxDB) {
  struct Case {
    const char* expr;
    const char* want;
  } cases[] = {
      {"a = 1 +", "found EOF, expected identifier, string, number, bool at line 1, char 8"},
      {"a = (1", "found EOF, expected ) at line 1, char 7"},
      {"a ==", "found =, expected identifier, string, number, bool at line 1, char 4"},
      {"a = 'x", "found x, expected identifier, string, number, bool at line 1, char 4"},
      {"a =~ 'x'", "found x, expected regex at line 1, char 5"},
      {"a =~ /x", "bad regex:  at line 1, char 5"},
      {"a::bogus = 1",
       "found bogus, expected float, integer, unsigned, string, boolean, field, tag at line 1, "
       "char 4"},
      {"a::1 = 1", "found 1, expected float, integer, string, boolean, field, tag at line 1, char 4"},
      {"a.b.c.d = 1", "too many segments in \"a\".\"b\".\"c\".d at line 1, char 1"},
      {"a = -'x'", "found x, expected identifier, number, duration, ( at line 1, char 5"},
      // influxd trims the query's spaces first: "a = - " answers as "a = -".
      {"a = -", "found EOF, expected identifier, number, duration, ( at line 1, char 6"},
      {"a = 10x", "invalid duration"},
      {"a = 99999999999999999999", "unable to parse integer at line 1, char 5"},
      {"a = -9223372036854775809", "constant -9223372036854775809 underflows int64"},
      {"a = distinct", "found EOF, expected (, identifier at line 1, char 14"},
      {"a = distinct(x", "found EOF, expected ) at line 1, char 16"},
      {"f(x, y", "found EOF, expected ) at line 1, char 8"},
      {"f(x y)", "found y, expected ) at line 1, char 5"},
      {"*::foo = 1", "found foo, expected field, tag at line 1, char 4"},
      {"a = 1 AND", "found EOF, expected identifier, string, number, bool at line 1, char 11"},
      {"a = @", "found @, expected identifier, string, number, bool at line 1, char 5"},
      {"a = $x", "missing parameter: x"},
  };
  for (const auto& c : cases) EXPECT_EQ(parsed(c.expr), std::string("error: ") + c.want) << c.expr;
}

TEST(Parser, DeepNestingAndGarbageAreErrorsNotCrashes) {
  // Deep parentheses recurse, up to a bound: a megabyte of them is an
  // error, not a stack overflow.
  std::string deep(1000, '(');
  deep += "1";
  deep += std::string(1000, ')');
  EXPECT_EQ(parsed(deep).rfind("error", 0), std::string::npos);
  // A thousand nested calls: parsed, or (where frames are large, as under
  // ASan) the nesting error; never a crash.
  std::string calls;
  for (int k = 0; k < 1000; k++) calls += "f(";
  calls += "x" + std::string(1000, ')');
  std::string got = parsed(calls);
  EXPECT_TRUE(got.rfind("error", 0) == std::string::npos ||
              got.rfind("error: expression nested", 0) == 0)
      << got.substr(0, 100);
  EXPECT_EQ(parsed(std::string(1 << 20, '(')).rfind("error: expression nested too deeply", 0), 0u);
  std::string signs;
  for (int k = 0; k < 300000; k++) signs += "-(";
  EXPECT_EQ(parsed(signs).rfind("error: expression nested", 0), 0u);
  std::string nested = "SELECT x FROM ";
  for (int k = 0; k < 70000; k++) nested += "(SELECT x FROM ";
  Parser subs(nested);
  auto q = subs.parse_query();
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message().rfind("expression nested too deeply", 0), 0u);
  uint64_t x = 0x2545f4914f6cdd1dull;
  for (int round = 0; round < 3000; round++) {
    std::string text(static_cast<size_t>(round % 48), ' ');
    for (char& c : text) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      static const char kAlpha[] = "ab1.()'\"/=~!<>+-*,:$ \nANDORdistinct";
      c = kAlpha[x % (sizeof kAlpha - 1)];
    }
    (void)parsed(text);
  }
}

}  // namespace
}  // namespace tsd::query

// -- parser: queries and SELECT ---------------------------------------------

namespace tsd::query {
namespace {

std::string query_error(std::string_view text) {
  Parser p(text);
  auto q = p.parse_query();
  return q.ok() ? "ok" : q.status().message();
}

const SelectStatement& only_select(const Result<std::vector<Statement>>& q) {
  static const SelectStatement kNone;
  if (!q.ok() || q->size() != 1) {
    ADD_FAILURE() << (q.ok() ? "not one statement" : q.status().to_string());
    return kNone;
  }
  return *q->front().select;
}

TEST(Parser, SelectClauses) {
  Parser p(
      "SELECT mean(\"usage_user\") AS u, max(x::float), /^disk/ INTO \"db\".\"rp\".:MEASUREMENT "
      "FROM \"telegraf\"..cpu, rp./^mem/, (SELECT * FROM m) WHERE host =~ /db-1/ AND "
      "time > now() - 1h GROUP BY time(1m, 30s), host, /dc/ fill(-1) ORDER BY time DESC "
      "LIMIT 5 OFFSET 2 SLIMIT 3 SOFFSET 1 tz('Asia/Seoul')");
  auto q = p.parse_query();
  const SelectStatement& s = only_select(q);
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_EQ(show(*s.fields[0].expr), "mean(usage_user)");
  EXPECT_EQ(show(*s.fields[1].expr), "max(x::float)");
  EXPECT_EQ(s.fields[0].alias, "u");
  EXPECT_EQ(s.fields[2].expr->kind, Expr::Kind::kRegex);
  ASSERT_TRUE(s.target);
  EXPECT_EQ(s.target->db, "db");
  EXPECT_EQ(s.target->rp, "rp");
  EXPECT_TRUE(s.target->back_reference);
  ASSERT_EQ(s.sources.size(), 3u);
  EXPECT_EQ(s.sources[0].db, "telegraf");
  EXPECT_EQ(s.sources[0].rp, "");
  EXPECT_EQ(s.sources[0].name, "cpu");
  EXPECT_TRUE(s.sources[1].is_regex);
  EXPECT_EQ(s.sources[1].rp, "rp");
  EXPECT_EQ(s.sources[1].regex, "^mem");
  ASSERT_TRUE(s.sources[2].subquery);
  EXPECT_EQ(s.sources[2].subquery->fields[0].expr->kind, Expr::Kind::kWildcard);
  EXPECT_EQ(show(*s.condition),
            "(AND (=~ host /db-1/) (> time (- now() d3600000000000)))");
  ASSERT_EQ(s.dimensions.size(), 3u);
  EXPECT_EQ(show(*s.dimensions[0]), "time(d60000000000, d30000000000)");
  EXPECT_EQ(s.fill, Fill::kNumber);
  EXPECT_EQ(s.fill_value->integer, -1);
  EXPECT_TRUE(s.order_by && s.descending);
  EXPECT_EQ(s.limit, 5);
  EXPECT_EQ(s.offset, 2);
  EXPECT_EQ(s.slimit, 3);
  EXPECT_EQ(s.soffset, 1);
  EXPECT_EQ(s.tz, "Asia/Seoul");
  EXPECT_FALSE(s.is_raw);
  Parser two("SELECT a FROM m;; SELECT b FROM n;");
  auto q2 = two.parse_query();
  ASSERT_TRUE(q2.ok()) << q2.status().to_string();
  EXPECT_EQ(q2->size(), 2u);
  EXPECT_TRUE((*q2)[1].select->is_raw);
  Parser fills("SELECT a FROM m GROUP BY time(1m) fill(previous)");
  EXPECT_EQ(only_select(fills.parse_query()).fill, Fill::kPrevious);
}

// influxd 1.6.7's answers (without its "error parsing query: ").
TEST(Parser, StatementErrorsAsInfluxDB) {
  struct Case {
    const char* query;
    const char* want;
  } cases[] = {
      {"FOO",
       "found FOO, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, "
       "SET, KILL at line 1, char 1"},
      {"SELECT", "found EOF, expected identifier, string, number, bool at line 1, char 8"},
      {"SELECT x", "found EOF, expected FROM at line 1, char 10"},
      {"SELECT x FROM", "found EOF, expected identifier at line 1, char 15"},
      {"SELECT x FROM m GROUP", "found EOF, expected BY at line 1, char 23"},
      {"SELECT x FROM m LIMIT -1", "found -, expected integer at line 1, char 23"},
      {"SELECT a=1 FROM m",
       "invalid operator = in SELECT clause at line 1, char 8; operator is intended for WHERE "
       "clause"},
      {"SELECT x FROM m ORDER BY y", "only ORDER BY time supported at this time"},
      {"SELECT x FROM m ORDER BY", "found EOF, expected identifier, ASC, DESC at line 1, char 26"},
      {"SELECT x FROM m fill(1,2)",
       "fill requires an argument, e.g.: 0, null, none, previous, linear"},
      {"SELECT x FROM m fill(x)", "expected number argument in fill()"},
      {"SELECT x FROM m fill", "fill must be a function call"},
      {"SELECT x FROM m tz('Nowhere/X')", "unable to find time zone Nowhere/X"},
      {"SELECT x FROM m tz(1)", "expected string argument in tz()"},
      {"SELECT x INTO FROM m", "found FROM, expected identifier at line 1, char 15"},
      {"SELECT x FROM (SHOW x)", "found SHOW, expected SELECT at line 1, char 16"},
      {"SELECT x FROM (SELECT y FROM m", "found EOF, expected ) at line 1, char 32"},
      {"SELECT x FROM m SLIMIT a", "found a, expected integer at line 1, char 24"},
      {"SELECT x AS FROM m", "found FROM, expected identifier at line 1, char 13"},
      {"SELECT x FROM a.b.c.d", "too many segments in \"a\".\"b\".\"c\".d at line 1, char 1"},
      {"SELECT x FROM m WHERE",
       "found EOF, expected identifier, string, number, bool at line 1, char 23"},
      {"SELECT x FROM m; FOO",
       "found FOO, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, "
       "SET, KILL at line 1, char 18"},
      {"SELECT x FROM m SELECT", "found SELECT, expected ; at line 1, char 17"},
      {"SELECT x INTO a:b FROM m", "found :, expected FROM at line 1, char 16"},
      {"SELECT x INTO a.:MEASUREMENT FROM m", "ok"},
  };
  for (const auto& c : cases) EXPECT_EQ(query_error(c.query), c.want) << c.query;
}

// -- merge order, conditions, evaluation ---------------------------------------

// Five series with a point at the same time: influxd 1.6.7 answered their
// raw rows in the order 0, 4, 1, 3, 2 (its merge heap), then in time order.
TEST(Merge, EqualTimesComeOutInGoHeapOrder) {
  std::vector<std::vector<int64_t>> t(5, std::vector<int64_t>{10, 20});
  std::vector<const std::vector<int64_t>*> tp;
  for (const auto& v : t) tp.push_back(&v);
  auto order = heap_merge_order(tp, false);
  ASSERT_EQ(order.size(), 10u);
  std::vector<int32_t> first;
  for (size_t i = 0; i < 5; i++) {
    EXPECT_EQ(order[i].second, 0u);
    first.push_back(order[i].first);
  }
  EXPECT_EQ(first, (std::vector<int32_t>{0, 4, 1, 3, 2}));
  for (size_t i = 5; i < 10; i++) EXPECT_EQ(order[i].second, 1u);
}

// first()/last() without GROUP BY time: influxd's engine lets two points of
// a shard's merge through (the heap's first two), and FirstReduce keeps the
// greater value of the two when their times are equal. Twelve series with
// a point at the same time: it answered max(series 0, series 11), e.g. 1
// for values 1, 1, 3, 0, 3, 1, 3, 3, 1, 1, 3, 0 (not 3).
TEST(Merge, FirstTwoPointsOfTheHeap) {
  EXPECT_EQ(heap_first_two(std::vector<int64_t>(12, 5), false), std::make_pair(0, 11));
  EXPECT_EQ(heap_first_two(std::vector<int64_t>(2, 5), false), std::make_pair(0, 1));
  EXPECT_EQ(heap_first_two(std::vector<int64_t>(3, 5), true), std::make_pair(0, 2));
  // The second at another time is not a tie.
  EXPECT_EQ(heap_first_two({7, 5, 9}, false), std::make_pair(1, -1));
  EXPECT_EQ(heap_first_two({7, 5, 9}, true), std::make_pair(2, -1));
  EXPECT_EQ(heap_first_two({7, 5, 5, 9}, false), std::make_pair(1, 2));
  EXPECT_EQ(heap_first_two({}, false), std::make_pair(-1, -1));
  // Equal times ordered by a tie-breaker (the auxiliary strings): its least first.
  const TieLess by_index_desc = [](int32_t a, size_t, int32_t b, size_t) { return a > b; };
  EXPECT_EQ(heap_first_two(std::vector<int64_t>(4, 5), false, &by_index_desc), std::make_pair(3, 2));
}

// The order in which partial means of five series reach the reducer:
// influxd's rounding of hourly means matched these orders (window 1: 0, 1,
// 4, 3, 2; window 5: 0, 1, 3, 2, 4) and no plain one.
TEST(Merge, PartialsComeInParallelMergeOrder) {
  std::vector<std::vector<std::vector<int64_t>>> w(1, std::vector<std::vector<int64_t>>(5));
  for (auto& s : w[0]) {
    for (int64_t k = 0; k < 24; k++) s.push_back(k);
  }
  auto order = parallel_merge_order(w);
  ASSERT_EQ(order.size(), 120u);
  std::map<int64_t, std::vector<int32_t>> by_window;
  for (auto [win, s] : order) by_window[win].push_back(s);
  EXPECT_EQ(by_window[1], (std::vector<int32_t>{0, 1, 4, 3, 2}));
  EXPECT_EQ(by_window[5], (std::vector<int32_t>{0, 1, 3, 2, 4}));
  for (const auto& [win, s] : by_window) EXPECT_EQ(s.size(), 5u) << win;
}

// The runs split the series of the shard's index, not only those with
// points in range: of t2001's cpu series (7 in the shard, 4 with points on
// 2023-03-06) influxd's runs are {0, 1, 2} and {3, 4, 5, 6}, so the sums of
// series 2, 3, 5, 6 in the second 6-hour window meet as 2, 6, 5, 3
// (977.51, influxd's sum; the order 2, 3, 5, 6 of a split over the four
// gives 977.5099999999999).
TEST(Merge, RunsSplitTheSeriesOfTheIndex) {
  std::vector<std::vector<std::vector<int64_t>>> w(1, std::vector<std::vector<int64_t>>(7));
  for (int s : {2, 3, 5, 6}) w[0][static_cast<size_t>(s)] = {0, 1, 2, 3};
  Presence present(1, std::vector<bool>(7, true));
  std::map<int64_t, std::vector<int32_t>> with, without;
  for (auto [win, s] : parallel_merge_order(w, Canceller(), 2, &present)) with[win].push_back(s);
  for (auto [win, s] : parallel_merge_order(w)) without[win].push_back(s);
  EXPECT_EQ(with[1], (std::vector<int32_t>{2, 6, 5, 3}));
  EXPECT_EQ(without[1], (std::vector<int32_t>{2, 3, 5, 6}));
}

// In descending order influxd reverses the tag set's series and merges the
// windows last first: the partials of five series reach the reducer as
// the ascending merge takes series 4, 3, 2, 1, 0 (not the ascending order
// reversed). Hourly means and sums in descending order over the t2001 data
// matched in 58 of 60 random queries this way, 35 of 60 the other.
TEST(Merge, PartialsInDescendingOrder) {
  std::vector<std::vector<std::vector<int64_t>>> w(1, std::vector<std::vector<int64_t>>(5));
  for (auto& s : w[0]) {
    for (int64_t k = 0; k < 24; k++) s.push_back(k);
  }
  auto asc = parallel_merge_order(w);
  auto desc = parallel_merge_order_desc(w);
  ASSERT_EQ(desc.size(), asc.size());
  std::map<int64_t, std::vector<int32_t>> by_asc, by_desc;
  for (auto [win, s] : asc) by_asc[win].push_back(s);
  for (auto [win, s] : desc) by_desc[win].push_back(s);
  EXPECT_EQ(desc.front().first, 23);  // last window first
  EXPECT_EQ(desc.back().first, 0);
  // Window 22 is the second the descending merge reads, as window 1 is
  // the ascending one's: the same heap positions, series reversed.
  std::vector<int32_t> mirrored;
  for (int32_t s : by_asc[1]) mirrored.push_back(4 - s);
  EXPECT_EQ(by_desc[22], mirrored);
  EXPECT_EQ(by_desc[22], (std::vector<int32_t>{4, 3, 0, 1, 2}));
}

ExprPtr where(const std::string& cond) {
  Parser p(cond);
  auto e = p.parse_expr();
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(*e) : nullptr;
}

TEST(Condition, TimeRangesIntersectUnderAndAndOr) {
  const int64_t now = 1700000000LL * 1000000000;
  TimeRange tr;
  auto e = where("time >= '2023-03-03T00:00:00Z' AND time < '2023-03-04T00:00:00Z' AND host = 'a'");
  ASSERT_TRUE(time_range(e.get(), now, Zone(), &tr).ok());
  EXPECT_EQ(tr.min, 1677801600LL * 1000000000);
  EXPECT_EQ(tr.max, 1677888000LL * 1000000000 - 1);
  e = where("time > now() - 1h");
  ASSERT_TRUE(time_range(e.get(), now, Zone(), &tr).ok());
  EXPECT_EQ(tr.min, now - 3600LL * 1000000000 + 1);
  EXPECT_FALSE(tr.has_max);
  e = where("time = 1600000000s OR v > 1");
  ASSERT_TRUE(time_range(e.get(), now, Zone(), &tr).ok());
  EXPECT_EQ(tr.min, 1600000000LL * 1000000000);
  EXPECT_EQ(tr.max, tr.min);
  // A date string in the statement's zone.
  auto seoul = Zone::load("Asia/Seoul");
  ASSERT_TRUE(seoul.ok());
  e = where("time >= '2023-03-03 09:00:00'");
  ASSERT_TRUE(time_range(e.get(), now, *seoul, &tr).ok());
  EXPECT_EQ(tr.min, 1677801600LL * 1000000000);
  e = where("time > host");
  Status s = time_range(e.get(), now, Zone(), &tr);
  EXPECT_EQ(s.message(), "invalid operation: time and *influxql.VarRef are not compatible");
  e = where("time != 5");
  EXPECT_EQ(time_range(e.get(), now, Zone(), &tr).message(),
            "invalid time comparison operator: !=");
}

TEST(Condition, TagsDecideOrLeaveItToTheRows) {
  Regexes re;
  std::vector<Tag> tags{{"host", "server01"}, {"region", "eu"}};
  EXPECT_TRUE(tags_match(where("host = 'server01'").get(), tags, re));
  EXPECT_TRUE(tags_match(where("host =~ /^server/ AND region != 'us'").get(), tags, re));
  EXPECT_FALSE(tags_match(where("host !~ /01$/").get(), tags, re));
  EXPECT_TRUE(tags_match(where("missing = ''").get(), tags, re));
  EXPECT_TRUE(tags_match(where("(host = 'x' OR region = 'eu') AND time > 0").get(), tags, re));
  TagScope scope;
  scope.tag = [](std::string_view k) { return k == "host" ? std::string_view("a") : std::string_view(); };
  scope.is_field = [](std::string_view n) { return n == "v"; };
  EXPECT_EQ(eval_on_tags(*where("host = 'a' AND v > 1"), scope, re), Truth::kUnknown);
  EXPECT_EQ(eval_on_tags(*where("host = 'b' AND v > 1"), scope, re), Truth::kFalse);
  EXPECT_EQ(eval_on_tags(*where("host = 'a' OR v > 1"), scope, re), Truth::kTrue);
}

TEST(Eval, MixedTypesAsInfluxDB) {
  EvalOptions fields;  // SELECT fields: integer division is float division
  EvalOptions conds{false};
  EXPECT_EQ(binary_op(Tok::kDiv, int64_t(5), int64_t(2), fields), Datum(2.5));
  EXPECT_EQ(binary_op(Tok::kDiv, int64_t(5), int64_t(2), conds), Datum(int64_t(2)));
  EXPECT_EQ(binary_op(Tok::kDiv, 1.0, 0.0, fields), Datum(0.0));
  EXPECT_EQ(binary_op(Tok::kMod, int64_t(7), int64_t(0), conds), Datum(int64_t(0)));
  EXPECT_EQ(binary_op(Tok::kAdd, int64_t(INT64_MAX), int64_t(1), conds), Datum(int64_t(INT64_MIN)));
  EXPECT_EQ(binary_op(Tok::kLt, int64_t(-1), uint64_t(0), conds), Datum(true));
  EXPECT_EQ(binary_op(Tok::kAdd, std::string("a"), 1.0, conds), Datum());
  EXPECT_EQ(binary_op(Tok::kEq, std::string("a"), 1.0, conds), Datum(false));
  EXPECT_EQ(binary_op(Tok::kAnd, Datum(), true, conds), Datum(false));  // null beside a boolean is false
  Datum a[2] = {int64_t(-5), Datum()};
  EXPECT_EQ(math_call("abs", a, 1), Datum(int64_t(-5)));  // InfluxDB 1.6 passes integers through
  Datum b[2] = {2.0, 10.0};
  EXPECT_EQ(math_call("pow", b, 2), Datum(1024.0));
  EXPECT_EQ(regex_syntax_error("[a-"), "error parsing regexp: missing closing ]: `[a-`");
  EXPECT_EQ(regex_syntax_error("a+"), "");
}

}  // namespace
}  // namespace tsd::query

namespace tsd::query {
namespace {

// Each statement's text as written (what authorization messages quote),
// across lines, "\r\n", comments and multi-byte characters.
TEST(Parser, StatementTexts) {
  Parser p("SHOW DATABASES;\r\n  SELECT \"é\" FROM m -- a comment\n; DROP SERIES\nFROM \"ü\"  ");
  auto st = p.parse_query();
  ASSERT_TRUE(st.ok()) << st.status().message();
  ASSERT_EQ(st->size(), 3u);
  EXPECT_EQ((*st)[0].text, "SHOW DATABASES");
  EXPECT_EQ((*st)[1].text, "SELECT \"é\" FROM m -- a comment");
  EXPECT_EQ((*st)[2].text, "DROP SERIES\nFROM \"ü\"");
  // As messages quote them: comments out, keywords in capitals, blanks
  // one space (SELECT as rendered from the tree).
  EXPECT_EQ(render_statement((*st)[2]), "DROP SERIES FROM \"ü\"");
  Parser q2("drop  series /* all */ from cpu -- of cpu\n where \"--x\" = 'a--b'");
  auto two = q2.parse_query();
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(render_statement((*two)[0]), "DROP SERIES FROM cpu WHERE \"--x\" = 'a--b'");
}

// /query's params=: JSON values bound to $name as influxd 1.6 binds them
// (t8001 compares the answers with influxd's).
TEST(BoundParams, BoundAsInfluxdBindsThem) {
  auto p = parse_bound_params(R"({"s":"a","i":3,"f":1.5,"b":true,"n":null,"big":18446744073709551615})");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(std::get<std::string>(p->at("s")), "a");
  EXPECT_EQ(std::get<int64_t>(p->at("i")), 3);
  EXPECT_EQ(std::get<double>(p->at("f")), 1.5);
  EXPECT_TRUE(std::get<bool>(p->at("b")));
  EXPECT_EQ(std::get<Unbindable>(p->at("n")).go_type, "<nil>");
  EXPECT_TRUE(std::holds_alternative<double>(p->at("big")));
  EXPECT_EQ(parse_bound_params("[1]").status().message(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}");
  EXPECT_FALSE(parse_bound_params("{").ok());

  Parser parser("SELECT v FROM m WHERE host = $s AND v > $i AND ok = $b LIMIT $i");
  parser.set_params(&*p);
  auto st = parser.parse_statement();
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->select->limit, 3);
  const Expr& where = *st->select->condition;  // ((host = 'a' AND v > 3) AND ok = true)
  EXPECT_EQ(where.args[0]->args[0]->args[1]->kind, Expr::Kind::kString);
  EXPECT_EQ(where.args[0]->args[1]->args[1]->kind, Expr::Kind::kInteger);
  EXPECT_EQ(where.args[1]->args[1]->kind, Expr::Kind::kBoolean);
  for (const auto& [q, err] : std::vector<std::pair<std::string, std::string>>{
           {"SELECT v FROM m WHERE x = $none", "missing parameter: none"},
           {"SELECT v FROM m WHERE x = $n", "missing parameter: unable to bind parameter with type <nil>"},
           {"SELECT v FROM m WHERE x = $", "empty bound parameter"}}) {
    Parser bad(q);
    bad.set_params(&*p);
    EXPECT_EQ(bad.parse_statement().status().message(), err) << q;
  }
}

}  // namespace
}  // namespace tsd::query

// Time zones: read from the TZif files, they must agree with glibc (which
// reads the same files) at every instant, past the files' last transitions
// too, where the footer's POSIX rule takes over.
namespace tsd::query {
namespace {

constexpr int64_t kSec = 1000000000;

// 2016-03-13 and 2016-11-06: New York's clocks go forward and back at 02:00.
int64_t local(int y, int mo, int d, int h, int mi) {
  struct tm tm {};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi;
  return int64_t(timegm(&tm)) * kSec;
}

TEST(Zone, AgreesWithGlibcInEveryZone) {
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  int zones = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator("/usr/share/zoneinfo")) {
    std::string name = e.path().string().substr(std::strlen("/usr/share/zoneinfo/"));
    if (!e.is_regular_file() || name.find('.') != std::string::npos ||
        name.rfind("posix/", 0) == 0 || name.rfind("right/", 0) == 0)
      continue;
    auto z = Zone::load(name);
    if (!z.ok()) continue;  // zone.tab and the like
    zones++;
    setenv("TZ", (":" + name).c_str(), 1);
    tzset();
    // 1901 to 2100, every 29 days and 1 h 7 s: every season of every year.
    for (int64_t s = -2145916800LL; s < 4102444800LL; s += 29 * 86400 + 3607) {
      time_t t = s;
      struct tm tm;
      localtime_r(&t, &tm);
      ASSERT_EQ(z->offset_at(s * kSec + 5), int64_t(tm.tm_gmtoff) * kSec) << name << " at " << s;
    }
  }
  if (old_tz) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  EXPECT_GT(zones, 300);
}

TEST(Zone, WallClockTimesInGapsAndOverlaps) {
  auto ny = Zone::load("America/New_York");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(ny->to_utc(local(2016, 1, 5, 12, 0)), local(2016, 1, 5, 17, 0));
  EXPECT_EQ(ny->to_utc(local(2016, 7, 5, 12, 0) + 7), local(2016, 7, 5, 16, 0) + 7);
  // 02:30 does not exist on 2016-03-13: the moment the gap ends, 03:00 EDT.
  EXPECT_EQ(ny->to_utc(local(2016, 3, 13, 2, 30)), local(2016, 3, 13, 7, 0));
  // 01:30 happens twice on 2016-11-06: the earlier, still EDT.
  EXPECT_EQ(ny->to_utc(local(2016, 11, 6, 1, 30)), local(2016, 11, 6, 5, 30));
  // Past the file's transitions (2037), the footer's rule: DST in July 2050.
  EXPECT_EQ(ny->offset_at(local(2050, 7, 1, 12, 0)), -4 * 3600 * kSec);
  EXPECT_EQ(ny->offset_at(local(2050, 12, 1, 12, 0)), -5 * 3600 * kSec);
  // The southern hemisphere: DST over the new year.
  auto syd = Zone::load("Australia/Sydney");
  ASSERT_TRUE(syd.ok());
  EXPECT_EQ(syd->offset_at(local(2060, 1, 1, 0, 0)), 11 * 3600 * kSec);
  EXPECT_EQ(syd->offset_at(local(2060, 6, 1, 0, 0)), 10 * 3600 * kSec);
  auto seoul = Zone::load("Asia/Seoul");
  ASSERT_TRUE(seoul.ok());
  EXPECT_EQ(seoul->to_utc(local(2023, 3, 3, 9, 0)), local(2023, 3, 3, 0, 0));
  EXPECT_TRUE(Zone::load("UTC")->is_utc());
  EXPECT_TRUE(Zone::load("")->is_utc());
}

TEST(Zone, UnknownNamesAndPathsAreNotZones) {
  for (const char* name : {"Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime",
                           "America/../America/New_York", "zone.tab", "America", "a b"}) {
    auto z = Zone::load(name);
    ASSERT_FALSE(z.ok()) << name;
    EXPECT_EQ(z.status().message(), std::string("unable to find time zone ") + name);
  }
}

}  // namespace
}  // namespace tsd::query

// Field conditions compiled for columns answer as eval() does row by row,
// and only the shapes they know compile.
namespace tsd::query {
namespace {

class ColumnsValuer : public Valuer {
 public:
  ColumnsValuer(const std::vector<std::string>& names, const std::vector<storage::Column>& cols)
      : names_(names), cols_(cols) {}
  size_t row = 0;
  Datum value(const Expr& ref) override {
    for (size_t i = 0; i < names_.size(); i++) {
      if (names_[i] != ref.name) continue;
      const storage::Column& c = cols_[i];
      return c.type == FieldType::kFloat ? Datum(c.f[row]) : Datum(c.i[row]);
    }
    return std::monostate{};
  }

 private:
  const std::vector<std::string>& names_;
  const std::vector<storage::Column>& cols_;
};

TEST(ColumnFilter, AnswersAsEvalDoes) {
  std::vector<std::string> names{"f", "i"};  // sorted, as the engine's refs
  std::vector<storage::Column> cols(2);
  cols[0].type = FieldType::kFloat;
  cols[1].type = FieldType::kInteger;
  for (int k = 0; k < 200; k++) {
    cols[0].times.push_back(k);
    cols[0].f.push_back((k * 37 % 101) - 50.5 + (k % 7 == 0 ? 0.5 : 0));
    cols[1].times.push_back(k);
    cols[1].i.push_back((k * 53 % 97) - 48);
  }
  auto index = [&](const std::string& n) {
    for (size_t i = 0; i < names.size(); i++)
      if (names[i] == n) return static_cast<int>(i);
    return -1;
  };
  for (const char* cond :
       {"f > 10", "f >= 0 AND i < 3", "(f = 0 OR i = 0) AND time > 5", "i != -3", "i <= 2.5",
        "f < -10.5 OR i >= 40", "time < 100 AND i = 7", "f != 3", "i > 1.0e1"}) {
    auto e = where(cond);
    ColumnFilter cf;
    ASSERT_TRUE(compile_column_filter(*e, index, cols, &cf)) << cond;
    std::vector<uint8_t> pass;
    apply_column_filter(cf, cols, 200, &pass);
    ColumnsValuer v(names, cols);
    Regexes re;
    int passed = 0;
    for (size_t k = 0; k < 200; k++) {
      v.row = k;
      EXPECT_EQ(pass[k] != 0, eval_bool(*e, v, re, EvalOptions{false})) << cond << " row " << k;
      passed += pass[k];
    }
    EXPECT_GT(passed, 0) << cond;
  }
  // Left to eval(): casts to another type, tags and unknown names,
  // fields on the right, strings, regexes, arithmetic, booleans.
  for (const char* cond : {"f::integer > 1", "host = 'a'", "nope > 1", "1 < f", "f > 'x'",
                           "f =~ /1/", "f + 1 > 2", "f > 1 AND host = 'a'", "true"}) {
    auto e = where(cond);
    ColumnFilter cf;
    EXPECT_FALSE(compile_column_filter(*e, index, cols, &cf)) << cond;
  }
}

}  // namespace
}  // namespace tsd::query
