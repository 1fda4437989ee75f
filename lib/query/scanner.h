// The InfluxQL scanner: text to tokens, as InfluxDB 1.x's reads them.
//
// The first stage of lib/query (DESIGN.md, query path). It follows the
// scanner of InfluxDB 1.6/1.7 (influxql v1.0) so that the parser can word
// its errors as InfluxDB does ("found X, expected Y at line 1, char 8"):
//   - whitespace is space, tab and newline; "\r\n" and a lone "\r" read as
//     one newline; a NUL byte ends the token being read as the end of the
//     input does (and positions stop counting there);
//   - positions are 0-based lines and characters (code points, not bytes);
//     invalid UTF-8 reads as U+FFFD, one byte each; a token that reads to
//     the end takes an end-of-input with it (the EOF after it sits one
//     place further on), and a quoted string or a regex sits at the rune
//     before its opening quote or slash, as InfluxDB's messages place them;
//   - identifiers: [A-Za-z_][A-Za-z0-9_]*, or "double quoted" (escapes
//     \n \\ \" \'); bare characters right before a quoted part are
//     dropped (ab"cd" is the identifier cd, as in InfluxDB); keywords, AND,
//     OR, TRUE and FALSE are matched case-blind;
//   - 'single quoted' strings, same escapes; an unterminated one (or one
//     that meets a newline) is BADSTRING, an unknown escape BADESCAPE;
//   - numbers: digits with an optional .fraction are INTEGER or NUMBER;
//     digits followed by letters (or µ) and more letters/digits are a
//     DURATIONVAL ("10s", "1h30m", "5xyz" too: the parser checks units);
//   - $name is a BOUNDPARAM; -- comments run to the end of the line and
//     /* */ ones may span lines (unterminated: ILLEGAL);
//   - regexes are scanned only when the parser asks (scan_regex), between
//     slashes, \/ standing for a slash and other escapes passed through.
// Pure: a Scanner reads one string, owned by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tsd::query {

enum class Tok : uint8_t {
  kIllegal,
  kEof,
  kWs,
  kComment,
  // literals
  kIdent,
  kBoundParam,
  kNumber,
  kInteger,
  kDuration,
  kString,
  kBadString,
  kBadEscape,
  kTrue,
  kFalse,
  kRegex,
  kBadRegex,
  // operators
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kBitAnd,
  kBitOr,
  kBitXor,
  kAnd,
  kOr,
  kEq,
  kNeq,
  kEqRegex,
  kNeqRegex,
  kLt,
  kLte,
  kGt,
  kGte,
  // punctuation
  kLParen,
  kRParen,
  kComma,
  kColon,
  kDoubleColon,
  kSemicolon,
  kDot,
  // keywords
  kAll,
  kAlter,
  kAnalyze,
  kAny,
  kAs,
  kAsc,
  kBegin,
  kBy,
  kCardinality,
  kCreate,
  kContinuous,
  kDatabase,
  kDatabases,
  kDefault,
  kDelete,
  kDesc,
  kDestinations,
  kDiagnostics,
  kDistinct,
  kDrop,
  kDurationKw,
  kEnd,
  kEvery,
  kExact,
  kExplain,
  kField,
  kFor,
  kFrom,
  kGrant,
  kGrants,
  kGroup,
  kGroups,
  kIn,
  kInf,
  kInsert,
  kInto,
  kKey,
  kKeys,
  kKill,
  kLimit,
  kMeasurement,
  kMeasurements,
  kName,
  kOffset,
  kOn,
  kOrder,
  kPassword,
  kPolicy,
  kPolicies,
  kPrivileges,
  kQueries,
  kQuery,
  kRead,
  kReplication,
  kResample,
  kRetention,
  kRevoke,
  kSelect,
  kSeries,
  kSet,
  kShow,
  kShard,
  kShards,
  kSlimit,
  kSoffset,
  kStats,
  kSubscription,
  kSubscriptions,
  kTag,
  kTo,
  kUser,
  kUsers,
  kValues,
  kWhere,
  kWith,
  kWrite,
  kCount_  // not a token: the number of them
};

// InfluxDB's name of a token ("SELECT", "=~", "IDENT"); empty for the
// few it has none for (INTEGER, BOUNDPARAM, COMMENT, BADREGEX).
std::string_view tok_name(Tok t);
// The keyword (or AND, OR, TRUE, FALSE) spelled `word`, any case; kIdent
// when it is none.
Tok lookup_keyword(std::string_view word);
bool is_keyword(Tok t);
// Binary operator precedence (OR 1 ... * 5), 0 for others.
int precedence(Tok t);

struct Pos {
  int line = 0;  // 0-based
  int ch = 0;    // 0-based, in code points
  bool operator==(const Pos&) const = default;
};

struct Token {
  Tok tok = Tok::kEof;
  Pos pos;
  std::string lit;  // identifiers, strings, numbers, durations, regexes, bad input
};

// What InfluxDB's messages print for a token: its literal, else its name.
std::string tok_str(const Token& t);

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  Token scan();
  // Where the parser expects a regex: scans one starting at the next rune
  // (a '/'; else BADREGEX).
  Token scan_regex();
  // The next rune without taking it (0 at the end); skipping whitespace.
  char32_t peek();
  void skip_whitespace();

 private:
  struct Rune {
    char32_t ch;
    Pos pos;
  };
  Rune read();
  void unread() { unread_++; }
  Rune curr() const { return buf_[(at_ + 3 - unread_) % 3]; }
  Token scan_ident(bool lookup);
  Token scan_string();
  Token scan_number();
  void append(std::string* out, char32_t ch);

  std::string_view text_;
  size_t off_ = 0;  // next byte
  Pos pos_;         // of the next rune
  bool eof_seen_ = false;
  Rune buf_[3] = {};
  int at_ = 0;
  int unread_ = 0;
};

}  // namespace tsd::query
