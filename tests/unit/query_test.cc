#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/scanner.h"

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
