// The InfluxQL scanner (scanner.h). Written from InfluxDB 1.x's behaviour:
// the same tokens, literals and positions for the same text.
#include "query/scanner.h"

#include <array>
#include <cctype>

namespace tsd::query {
namespace {

constexpr char32_t kEof = 0;
constexpr char32_t kMicro = 0xB5;  // µ, allowed in durations

constexpr std::array<std::string_view, static_cast<size_t>(Tok::kCount_)> kNames = {
    "ILLEGAL", "EOF", "WS", "",  // COMMENT has no name in InfluxDB
    "IDENT", "", "NUMBER", "", "DURATIONVAL", "STRING", "BADSTRING", "BADESCAPE", "TRUE",
    "FALSE", "REGEX", "",
    "+", "-", "*", "/", "%", "&", "|", "^", "AND", "OR", "=", "!=", "=~", "!~", "<", "<=", ">",
    ">=",
    "(", ")", ",", ":", "::", ";", ".",
    "ALL", "ALTER", "ANALYZE", "ANY", "AS", "ASC", "BEGIN", "BY", "CARDINALITY", "CREATE",
    "CONTINUOUS", "DATABASE", "DATABASES", "DEFAULT", "DELETE", "DESC", "DESTINATIONS",
    "DIAGNOSTICS", "DISTINCT", "DROP", "DURATION", "END", "EVERY", "EXACT", "EXPLAIN", "FIELD",
    "FOR", "FROM", "GRANT", "GRANTS", "GROUP", "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY",
    "KEYS", "KILL", "LIMIT", "MEASUREMENT", "MEASUREMENTS", "NAME", "OFFSET", "ON", "ORDER",
    "PASSWORD", "POLICY", "POLICIES", "PRIVILEGES", "QUERIES", "QUERY", "READ", "REPLICATION",
    "RESAMPLE", "RETENTION", "REVOKE", "SELECT", "SERIES", "SET", "SHOW", "SHARD", "SHARDS",
    "SLIMIT", "SOFFSET", "STATS", "SUBSCRIPTION", "SUBSCRIPTIONS", "TAG", "TO", "USER", "USERS",
    "VALUES", "WHERE", "WITH", "WRITE"};
static_assert(kNames.back() == "WRITE");

bool is_ws(char32_t c) { return c == ' ' || c == '\t' || c == '\n'; }
bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char32_t c) { return is_letter(c) || is_digit(c) || c == '_'; }

}  // namespace

std::string_view tok_name(Tok t) {
  size_t k = static_cast<size_t>(t);
  return k < kNames.size() ? kNames[k] : std::string_view();
}

bool is_keyword(Tok t) { return t >= Tok::kAll && t < Tok::kCount_; }

Tok lookup_keyword(std::string_view word) {
  if (word.empty() || word.size() > 13) return Tok::kIdent;  // SUBSCRIPTIONS is the longest
  char up[16];
  for (size_t k = 0; k < word.size(); k++) {
    up[k] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[k])));
  }
  std::string_view w(up, word.size());
  if (w == "AND") return Tok::kAnd;
  if (w == "OR") return Tok::kOr;
  if (w == "TRUE") return Tok::kTrue;
  if (w == "FALSE") return Tok::kFalse;
  for (size_t k = static_cast<size_t>(Tok::kAll); k < kNames.size(); k++) {
    if (kNames[k] == w) return static_cast<Tok>(k);
  }
  return Tok::kIdent;
}

int precedence(Tok t) {
  switch (t) {
    case Tok::kOr: return 1;
    case Tok::kAnd: return 2;
    case Tok::kEq:
    case Tok::kNeq:
    case Tok::kEqRegex:
    case Tok::kNeqRegex:
    case Tok::kLt:
    case Tok::kLte:
    case Tok::kGt:
    case Tok::kGte: return 3;
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kBitOr:
    case Tok::kBitXor: return 4;
    case Tok::kMul:
    case Tok::kDiv:
    case Tok::kMod:
    case Tok::kBitAnd: return 5;
    default: return 0;
  }
}

std::string tok_str(const Token& t) {
  return t.lit.empty() ? std::string(tok_name(t.tok)) : t.lit;
}

// One code point from the text (U+FFFD for a byte that starts none), a
// "\r\n" or lone "\r" as '\n'; then its position is recorded and the
// position moves on (the end of input counted once).
Scanner::Rune Scanner::read() {
  if (unread_ > 0) {
    unread_--;
    return curr();
  }
  char32_t ch = kEof;
  if (off_ < text_.size()) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(text_[off_ + k]); };
    unsigned char c = b(0);
    size_t left = text_.size() - off_;
    auto cont = [&](size_t k) { return k < left && (b(k) & 0xC0) == 0x80; };
    if (c < 0x80) {
      ch = c;
      off_ += 1;
    } else if (c >= 0xC2 && c < 0xE0 && cont(1)) {
      ch = (char32_t(c & 0x1F) << 6) | (b(1) & 0x3F);
      off_ += 2;
    } else if (c >= 0xE0 && c < 0xF0 && cont(1) && cont(2)) {
      ch = (char32_t(c & 0x0F) << 12) | (char32_t(b(1) & 0x3F) << 6) | (b(2) & 0x3F);
      if (ch < 0x800 || (ch >= 0xD800 && ch < 0xE000)) {
        ch = 0xFFFD;
        off_ += 1;
      } else {
        off_ += 3;
      }
    } else if (c >= 0xF0 && c < 0xF5 && cont(1) && cont(2) && cont(3)) {
      ch = (char32_t(c & 0x07) << 18) | (char32_t(b(1) & 0x3F) << 12) |
           (char32_t(b(2) & 0x3F) << 6) | (b(3) & 0x3F);
      if (ch < 0x10000 || ch > 0x10FFFF) {
        ch = 0xFFFD;
        off_ += 1;
      } else {
        off_ += 4;
      }
    } else {
      ch = 0xFFFD;
      off_ += 1;
    }
    if (ch == '\r') {
      if (off_ < text_.size() && text_[off_] == '\n') off_++;
      ch = '\n';
    }
  }
  at_ = (at_ + 1) % 3;
  buf_[at_] = {ch, pos_};
  if (ch == '\n') {
    pos_.line++;
    pos_.ch = 0;
  } else if (!eof_seen_) {
    pos_.ch++;
  }
  if (ch == kEof) eof_seen_ = true;
  return curr();
}

void Scanner::append(std::string* out, char32_t ch) {
  if (ch < 0x80) {
    out->push_back(static_cast<char>(ch));
  } else if (ch < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (ch >> 6)));
    out->push_back(static_cast<char>(0x80 | (ch & 0x3F)));
  } else if (ch < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (ch >> 12)));
    out->push_back(static_cast<char>(0x80 | ((ch >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (ch & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (ch >> 18)));
    out->push_back(static_cast<char>(0x80 | ((ch >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((ch >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (ch & 0x3F)));
  }
}

Token Scanner::scan() {
  Rune r0 = read();
  const char32_t ch0 = r0.ch;
  const Pos pos = r0.pos;
  auto tok = [&](Tok t, std::string lit = {}) { return Token{t, pos, std::move(lit)}; };
  // Whether the next rune is c (taken when it is, left when not).
  auto follows = [&](char32_t c) {
    if (read().ch == c) return true;
    unread();
    return false;
  };
  if (is_ws(ch0)) {
    std::string lit;
    append(&lit, ch0);
    while (true) {
      Rune r = read();
      if (r.ch == kEof) break;
      if (!is_ws(r.ch)) {
        unread();
        break;
      }
      append(&lit, r.ch);
    }
    return tok(Tok::kWs, std::move(lit));
  }
  if (is_letter(ch0) || ch0 == '_') {
    unread();
    return scan_ident(true);
  }
  if (is_digit(ch0)) return scan_number();
  switch (ch0) {
    case kEof: return tok(Tok::kEof);
    case '"': unread(); return scan_ident(true);
    case '\'': return scan_string();
    case '.': {
      char32_t ch1 = read().ch;
      unread();
      if (is_digit(ch1)) return scan_number();
      return tok(Tok::kDot);
    }
    case '$': {
      Token id = scan_ident(false);
      id.pos = pos;
      id.lit = "$" + id.lit;
      if (id.tok == Tok::kIdent) id.tok = Tok::kBoundParam;
      return id;
    }
    case '+': return tok(Tok::kAdd);
    case '-':
      if (follows('-')) {
        while (true) {
          char32_t c = read().ch;
          if (c == '\n' || c == kEof) break;
        }
        return tok(Tok::kComment);
      }
      return tok(Tok::kSub);
    case '*': return tok(Tok::kMul);
    case '/':
      if (follows('*')) {
        while (true) {  // to the closing "*/"
          char32_t c = read().ch;
          if (c == kEof) return tok(Tok::kIllegal);
          if (c != '*') continue;
          while ((c = read().ch) == '*') {
          }
          if (c == '/') return tok(Tok::kComment);
          if (c == kEof) return tok(Tok::kIllegal);
        }
      }
      return tok(Tok::kDiv);
    case '%': return tok(Tok::kMod);
    case '&': return tok(Tok::kBitAnd);
    case '|': return tok(Tok::kBitOr);
    case '^': return tok(Tok::kBitXor);
    case '=': return tok(follows('~') ? Tok::kEqRegex : Tok::kEq);
    case '!':
      if (follows('=')) return tok(Tok::kNeq);
      if (follows('~')) return tok(Tok::kNeqRegex);
      break;
    case '>': return tok(follows('=') ? Tok::kGte : Tok::kGt);
    case '<':
      if (follows('=')) return tok(Tok::kLte);
      return tok(follows('>') ? Tok::kNeq : Tok::kLt);
    case '(': return tok(Tok::kLParen);
    case ')': return tok(Tok::kRParen);
    case ',': return tok(Tok::kComma);
    case ';': return tok(Tok::kSemicolon);
    case ':': return tok(follows(':') ? Tok::kDoubleColon : Tok::kColon);
    default: break;
  }
  std::string lit;
  append(&lit, ch0);
  return tok(Tok::kIllegal, std::move(lit));
}

// A bare identifier or keyword, or a "quoted" identifier (whose text is
// the identifier, whatever bare characters came before it).
Token Scanner::scan_ident(bool lookup) {
  const Pos pos = read().pos;
  unread();
  std::string lit;
  while (true) {
    Rune r = read();
    if (r.ch == kEof) break;
    if (r.ch == '"') {
      Token s = scan_string();
      if (s.tok == Tok::kBadString || s.tok == Tok::kBadEscape) return s;
      return Token{Tok::kIdent, pos, std::move(s.lit)};
    }
    if (!is_ident_char(r.ch)) {
      unread();
      break;
    }
    append(&lit, r.ch);
  }
  if (lookup) {
    Tok t = lookup_keyword(lit);
    if (t != Tok::kIdent) return Token{t, pos, {}};
  }
  return Token{Tok::kIdent, pos, std::move(lit)};
}

// A quoted string; its opening quote (' or ") was just read.
Token Scanner::scan_string() {
  unread();
  const Pos pos = curr().pos;
  const char32_t ending = read().ch;
  std::string lit;
  while (true) {
    char32_t ch0 = read().ch;
    if (ch0 == ending) return Token{Tok::kString, pos, std::move(lit)};
    if (ch0 == kEof || ch0 == '\n') return Token{Tok::kBadString, pos, std::move(lit)};
    if (ch0 != '\\') {
      append(&lit, ch0);
      continue;
    }
    char32_t ch1 = read().ch;
    switch (ch1) {
      case 'n': lit.push_back('\n'); break;
      case '\\': lit.push_back('\\'); break;
      case '"': lit.push_back('"'); break;
      case '\'': lit.push_back('\''); break;
      default: {
        std::string bad = "\\";
        append(&bad, ch1);
        return Token{Tok::kBadEscape, curr().pos, std::move(bad)};
      }
    }
  }
}

// Digits, then a fraction (NUMBER) or letters making a duration, else an
// INTEGER; the first rune (a digit or '.') was just read.
Token Scanner::scan_number() {
  Rune first = curr();
  const Pos pos = first.pos;
  if (first.ch == '.') {
    char32_t ch1 = read().ch;
    unread();
    if (!is_digit(ch1)) return Token{Tok::kIllegal, pos, "."};
    unread();
  } else {
    unread();
  }
  std::string lit;
  auto digits = [&] {
    while (true) {
      char32_t c = read().ch;
      if (!is_digit(c)) {
        unread();
        return;
      }
      lit.push_back(static_cast<char>(c));
    }
  };
  digits();
  bool decimal = false;
  if (read().ch == '.') {
    decimal = true;
    char32_t ch1 = read().ch;
    if (is_digit(ch1)) {
      lit.push_back('.');
      lit.push_back(static_cast<char>(ch1));
      digits();
    } else {
      unread();
    }
  } else {
    unread();
  }
  if (decimal) return Token{Tok::kNumber, pos, std::move(lit)};
  char32_t c = read().ch;
  if (!is_letter(c) && c != kMicro) {
    unread();
    return Token{Tok::kInteger, pos, std::move(lit)};
  }
  append(&lit, c);
  while (true) {  // the unit's letters, then letters and digits
    c = read().ch;
    if (!is_letter(c) && c != kMicro && !is_digit(c)) {
      unread();
      break;
    }
    append(&lit, c);
  }
  return Token{Tok::kDuration, pos, std::move(lit)};
}

Token Scanner::scan_regex() {
  // InfluxDB places a regex at the rune before its '/' (the last one the
  // parser took or peeked past): its messages say so.
  const Pos pos = curr().pos;
  Rune r = read();
  if (r.ch != '/') return Token{Tok::kBadRegex, pos, {}};
  std::string lit;
  while (true) {
    char32_t ch0 = read().ch;
    if (ch0 == '/') return Token{Tok::kRegex, pos, std::move(lit)};
    if (ch0 == kEof || ch0 == '\n') return Token{Tok::kBadRegex, pos, {}};
    if (ch0 != '\\') {
      append(&lit, ch0);
      continue;
    }
    char32_t ch1 = read().ch;
    if (ch1 == kEof) return Token{Tok::kBadRegex, pos, {}};
    if (ch1 == '/') {
      lit.push_back('/');
    } else {  // other escapes pass through to the regex engine
      unread();
      lit.push_back('\\');
    }
  }
}

char32_t Scanner::peek() {
  char32_t c = read().ch;
  unread();
  return c;
}

void Scanner::skip_whitespace() {
  while (is_ws(peek())) read();
}

}  // namespace tsd::query
