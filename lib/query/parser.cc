// The InfluxQL parser, expressions (parser.h).
#include "query/parser.h"

#include "query/eval.h"

#include <charconv>

#include "query/render.h"

namespace tsd::query {
namespace {

constexpr int64_t kMicro = 1000, kMilli = 1000000, kSec = 1000000000;

// Whether all of `text` reads as a number of type T (in range).
template <class T>
bool read_all(std::string_view text, T* v) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *v);
  return ec == std::errc() && p == text.data() + text.size();
}

// ::field and ::tag, on references and wildcards alike.
bool field_or_tag(Tok t, DataType* type) {
  if (t == Tok::kField) *type = DataType::kAnyField;
  if (t == Tok::kTag) *type = DataType::kTag;
  return t == Tok::kField || t == Tok::kTag;
}

}  // namespace

Status parse_error(std::string_view found, const std::vector<std::string>& expected, Pos pos) {
  std::string m = "found ";
  m += found;
  m += ", expected ";
  for (size_t k = 0; k < expected.size(); k++) {
    if (k) m += ", ";
    m += expected[k];
  }
  m += " at line " + std::to_string(pos.line + 1) + ", char " + std::to_string(pos.ch + 1);
  return Status::invalid_argument(std::move(m));
}

Status parse_error(std::string_view message, Pos pos) {
  return Status::invalid_argument(std::string(message) + " at line " +
                                  std::to_string(pos.line + 1) + ", char " +
                                  std::to_string(pos.ch + 1));
}

Result<int64_t> parse_duration(std::string_view text) {
  // Code points, as InfluxDB reads it (µ is one).
  std::u32string a;
  for (size_t k = 0; k < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[k]);
    if (c == 0xC2 && k + 1 < text.size() && static_cast<unsigned char>(text[k + 1]) == 0xB5) {
      a += U'µ';
      k += 2;
    } else {
      a += c < 0x80 ? char32_t(c) : char32_t(0xFFFD);
      k++;
    }
  }
  const Status invalid = Status::invalid_argument("invalid duration");
  if (text.size() < 2) return invalid;
  size_t i = 0;
  bool negative = false;
  if (a[0] == '-') {
    negative = true;
    i++;
  }
  // Sums wrap as Go's time.Duration does; InfluxDB then calls a negative
  // sum (without a minus sign) an overflow.
  uint64_t d = 0;
  int64_t measure = 0;
  std::string unit;
  while (i < a.size()) {
    size_t start = i;
    while (i < a.size() && a[i] >= '0' && a[i] <= '9') i++;
    if (i >= a.size() || i == start) return invalid;
    std::string digits(a.begin() + static_cast<long>(start), a.begin() + static_cast<long>(i));
    if (!read_all(digits, &measure)) return invalid;
    uint64_t n = static_cast<uint64_t>(measure);
    uint64_t mul = 0;
    unit.assign(1, static_cast<char>(a[i] < 0x80 ? a[i] : '?'));
    switch (a[i]) {
      case 'n':
        if (i + 1 < a.size() && a[i + 1] == 's') {
          unit = "ns";
          d += n;
          i += 2;
          continue;
        }
        return invalid;
      case 'u':
      case U'µ':
        if (a[i] == U'µ') unit = "µ";
        mul = kMicro;
        break;
      case 'm':
        if (i + 1 < a.size() && a[i + 1] == 's') {
          unit = "ms";
          d += n * kMilli;
          i += 2;
          continue;
        }
        mul = 60 * kSec;
        break;
      case 's': mul = kSec; break;
      case 'h': mul = 3600 * kSec; break;
      case 'd': mul = 86400 * kSec; break;
      case 'w': mul = 7 * 86400 * kSec; break;
      default: return invalid;
    }
    d += n * mul;
    i++;
  }
  int64_t v = static_cast<int64_t>(d);
  if (v < 0 && !negative) {
    return Status::invalid_argument("overflowed duration " + std::to_string(measure) + unit +
                                    ": choose a smaller duration or INF");
  }
  return negative ? static_cast<int64_t>(0 - d) : v;
}

Token Parser::scan() {
  if (n_ > 0) {
    n_--;
    return buf_[(i_ + 3 - n_) % 3];
  }
  i_ = (i_ + 1) % 3;
  buf_[i_] = s_.scan();
  return buf_[i_];
}

Token Parser::scan_ignore_ws() {
  while (true) {
    Token t = scan();
    if (t.tok != Tok::kWs && t.tok != Tok::kComment) return t;
  }
}

Result<std::string> Parser::parse_ident() {
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kIdent) return parse_error(tok_str(t), {"identifier"}, t.pos);
  return std::move(t.lit);
}

Result<std::vector<std::string>> Parser::parse_segmented_idents() {
  auto first = parse_ident();
  if (!first.ok()) return first.status();
  std::vector<std::string> ids{std::move(*first)};
  while (true) {
    if (scan().tok != Tok::kDot) {
      unscan();
      break;
    }
    char32_t ch = peek_rune();
    if (ch == '/' || ch == ':') break;  // a regex, or what the caller reads
    if (ch == '.') {
      ids.emplace_back();
      continue;
    }
    auto next = parse_ident();
    if (!next.ok()) return next.status();
    ids.push_back(std::move(*next));
  }
  if (ids.size() > 3) return parse_error("too many segments in " + quote_ident(ids), Pos{});
  return ids;
}

Result<ExprPtr> Parser::parse_var_ref() {
  auto segs = parse_segmented_idents();
  if (!segs.ok()) return segs.status();
  auto ref = std::make_unique<Expr>(Expr::Kind::kVarRef);
  for (size_t k = 0; k < segs->size(); k++) {
    if (k) ref->name += '.';
    ref->name += (*segs)[k];
  }
  if (scan().tok != Tok::kDoubleColon) {
    unscan();
    return ref;
  }
  Token t = scan();
  if (field_or_tag(t.tok, &ref->type)) {
    return ref;
  } else if (t.tok == Tok::kIdent) {
    std::string low;
    for (char c : t.lit) low += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (low == "float") {
      ref->type = DataType::kFloat;
    } else if (low == "integer") {
      ref->type = DataType::kInteger;
    } else if (low == "unsigned") {
      ref->type = DataType::kUnsigned;
    } else if (low == "string") {
      ref->type = DataType::kString;
    } else if (low == "boolean") {
      ref->type = DataType::kBoolean;
    } else {
      return parse_error(tok_str(t), {"float", "integer", "unsigned", "string", "boolean",
                                      "field", "tag"},
                         t.pos);
    }
  } else {
    // InfluxDB's list here lacks "unsigned".
    return parse_error(tok_str(t), {"float", "integer", "string", "boolean", "field", "tag"},
                       t.pos);
  }
  return ref;
}

Result<ExprPtr> Parser::parse_expr() {
  auto first = parse_unary();
  if (!first.ok()) return first.status();
  ExprPtr root = std::move(*first);
  while (true) {
    Token op = scan_ignore_ws();
    if (precedence(op.tok) == 0) {
      unscan();
      return root;
    }
    ExprPtr rhs;
    if (op.tok == Tok::kEqRegex || op.tok == Tok::kNeqRegex) {
      auto re = parse_regex();
      if (!re.ok()) return re.status();
      if (!*re) {
        Token t = scan_ignore_ws();
        return parse_error(tok_str(t), {"regex"}, t.pos);
      }
      rhs = std::move(*re);
    } else {
      auto u = parse_unary();
      if (!u.ok()) return u.status();
      rhs = std::move(*u);
    }
    // Down the right edge while the operators there bind tighter than
    // this one; the new node takes the place found.
    ExprPtr* slot = &root;
    while ((*slot)->kind == Expr::Kind::kBinary &&
           precedence((*slot)->op) < precedence(op.tok)) {
      slot = &(*slot)->args[1];
    }
    auto bin = std::make_unique<Expr>(Expr::Kind::kBinary);
    bin->op = op.tok;
    bin->args.push_back(std::move(*slot));
    bin->args.push_back(std::move(rhs));
    *slot = std::move(bin);
  }
}

Status Parser::enter() {
  // A count, and the stack's own depth as a safety net (frames differ by
  // build: an ASan build's are ten times larger).
  char here;
  const auto addr = reinterpret_cast<uintptr_t>(&here);
  if (depth_ == 0) stack_top_ = addr;
  ++depth_;
  const bool deep_stack = stack_top_ > addr && stack_top_ - addr > kMaxStackBytes;
  if (depth_ <= kMaxDepth && !deep_stack) return Status();
  Token t = scan_ignore_ws();
  return parse_error("expression nested too deeply", t.pos);
}

// Each kind of operand parses in a function of its own: a recursion level
// then holds only the frames of the path it takes (under ASan a frame
// keeps a slot for every local of every case: 7.5 KB for all of them).
Result<ExprPtr> Parser::parse_unary() {
  Leave leave(&depth_);
  TSD_RETURN_IF_ERROR(enter());
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kLParen) return parse_paren();
  return parse_operand(std::move(t));
}

Result<ExprPtr> Parser::parse_paren() {
  auto inner = parse_expr();
  if (!inner.ok()) return inner.status();
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kRParen) return parse_error(tok_str(t), {")"}, t.pos);
  auto paren = std::make_unique<Expr>(Expr::Kind::kParen);
  paren->args.push_back(std::move(*inner));
  return paren;
}

Result<ExprPtr> Parser::parse_operand(Token t) {
  switch (t.tok) {
    case Tok::kIdent:
      if (scan().tok == Tok::kLParen) return parse_call(std::move(t.lit));
      unscan();
      unscan();
      return parse_var_ref();
    case Tok::kDistinct: return parse_distinct();
    case Tok::kMul: return parse_wildcard();
    case Tok::kAdd:
    case Tok::kSub: return parse_signed(t.tok == Tok::kSub);
    case Tok::kBoundParam: {
      // $name, from /query's params= (influxd 1.6: a literal of its type).
      if (t.lit == "$") return Status::invalid_argument("empty bound parameter");
      const std::string_view key = std::string_view(t.lit).substr(1);
      auto it = params_ ? params_->find(key) : BoundParams::const_iterator();
      if (!params_ || it == params_->end()) {
        return Status::invalid_argument("missing parameter: " + std::string(key));
      }
      ExprPtr e;
      if (const double* d = std::get_if<double>(&it->second)) {
        e = std::make_unique<Expr>(Expr::Kind::kNumber);
        e->number = *d;
      } else if (const int64_t* i = std::get_if<int64_t>(&it->second)) {
        e = std::make_unique<Expr>(Expr::Kind::kInteger);
        e->integer = *i;
      } else if (const std::string* str = std::get_if<std::string>(&it->second)) {
        e = std::make_unique<Expr>(Expr::Kind::kString);
        e->name = *str;
      } else if (const bool* b = std::get_if<bool>(&it->second)) {
        e = std::make_unique<Expr>(Expr::Kind::kBoolean);
        e->boolean = *b;
      } else {  // influxd's words
        return Status::invalid_argument("missing parameter: unable to bind parameter with type " +
                                        std::get<Unbindable>(it->second).go_type);
      }
      return e;
    }
    case Tok::kString:
    case Tok::kNumber:
    case Tok::kInteger:
    case Tok::kTrue:
    case Tok::kFalse:
    case Tok::kDuration: return parse_literal(t);
    default:
      return parse_error(tok_str(t), {"identifier", "string", "number", "bool"}, t.pos);
  }
}

Result<ExprPtr> Parser::parse_distinct() {
  Token t0 = scan();
  if (t0.tok == Tok::kLParen) return parse_call("distinct");
  if (t0.tok == Tok::kWs) {
    Token t1 = scan_ignore_ws();
    if (t1.tok != Tok::kIdent) return parse_error(tok_str(t1), {"identifier"}, t1.pos);
    auto d = std::make_unique<Expr>(Expr::Kind::kDistinct);
    d->name = std::move(t1.lit);
    return d;
  }
  return parse_error(tok_str(t0), {"(", "identifier"}, t0.pos);
}

Result<ExprPtr> Parser::parse_wildcard() {
  auto w = std::make_unique<Expr>(Expr::Kind::kWildcard);
  if (scan().tok != Tok::kDoubleColon) {
    unscan();
    return w;
  }
  Token t1 = scan();
  if (!field_or_tag(t1.tok, &w->type)) return parse_error(tok_str(t1), {"field", "tag"}, t1.pos);
  return w;
}

Result<ExprPtr> Parser::parse_literal(Token& t) {
  auto lit = [](Expr::Kind k) { return std::make_unique<Expr>(k); };
  switch (t.tok) {
    case Tok::kString: {
      auto s = lit(Expr::Kind::kString);
      s->name = std::move(t.lit);
      return s;
    }
    case Tok::kNumber: {
      auto n = lit(Expr::Kind::kNumber);
      // Out of range too (Go's ParseFloat fails there).
      if (!read_all(t.lit, &n->number)) return parse_error("unable to parse number", t.pos);
      return n;
    }
    case Tok::kInteger: {
      auto n = lit(Expr::Kind::kInteger);
      if (read_all(t.lit, &n->integer)) return n;
      // Too large for int64: an unsigned literal if it fits there.
      n->kind = Expr::Kind::kUnsigned;
      if (read_all(t.lit, &n->uinteger)) return n;
      return parse_error("unable to parse integer", t.pos);
    }
    case Tok::kDuration: {
      auto d = parse_duration(t.lit);
      if (!d.ok()) return d.status();  // InfluxDB gives no position here
      auto n = lit(Expr::Kind::kDuration);
      n->integer = *d;
      return n;
    }
    default: {
      auto b = lit(Expr::Kind::kBoolean);
      b->boolean = t.tok == Tok::kTrue;
      return b;
    }
  }
}

Result<ExprPtr> Parser::parse_signed(bool neg) {
  Token t0 = scan_ignore_ws();
  switch (t0.tok) {
    case Tok::kNumber:
    case Tok::kInteger:
    case Tok::kDuration:
    case Tok::kLParen:
    case Tok::kIdent: break;
    default: return parse_error(tok_str(t0), {"identifier", "number", "duration", "("}, t0.pos);
  }
  unscan();
  auto u = parse_unary();
  if (!u.ok()) return u.status();
  ExprPtr e = std::move(*u);
  switch (e->kind) {
    case Expr::Kind::kNumber:
      if (neg) e->number = -e->number;
      return e;
    case Expr::Kind::kInteger:
    case Expr::Kind::kDuration:
      if (neg) e->integer = static_cast<int64_t>(0 - static_cast<uint64_t>(e->integer));
      return e;
    case Expr::Kind::kUnsigned:
      if (!neg) return e;
      // -9223372036854775808 reads as 9223372036854775808 negated.
      if (e->uinteger == uint64_t{1} << 63) {
        e->kind = Expr::Kind::kInteger;
        e->integer = INT64_MIN;
        return e;
      }
      return Status::invalid_argument("constant -" + std::to_string(e->uinteger) +
                                      " underflows int64");
    default: {  // a reference, call or parenthesis: -1 * it (+1 * it)
      auto bin = std::make_unique<Expr>(Expr::Kind::kBinary);
      bin->op = Tok::kMul;
      auto one = std::make_unique<Expr>(Expr::Kind::kInteger);
      one->integer = neg ? -1 : 1;
      bin->args.push_back(std::move(one));
      bin->args.push_back(std::move(e));
      return bin;
    }
  }
}

Result<ExprPtr> Parser::parse_regex() {
  // As InfluxDB: whitespace is skipped through the token buffer, so a
  // token given back (the ',' after "FROM a") keeps the regex after it
  // from being read as a.<regex>.
  if (peek_rune() == ' ' || peek_rune() == '\t' || peek_rune() == '\n') {
    if (scan().tok != Tok::kWs) unscan();
  }
  if (peek_rune() != '/') return ExprPtr();
  Token t = s_.scan_regex();
  if (t.tok == Tok::kBadRegex) return parse_error("bad regex: " + t.lit, t.pos);
  auto re = std::make_unique<Expr>(Expr::Kind::kRegex);
  re->name = std::move(t.lit);
  // InfluxDB compiles regexes as it parses them: a bad one is a parse
  // error in Go's words.
  std::string err = regex_syntax_error(Regexes::pattern(*re));
  if (!err.empty()) return parse_error(err, t.pos);
  return re;
}

Result<ExprPtr> Parser::parse_call(std::string name) {
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  auto call = std::make_unique<Expr>(Expr::Kind::kCall);
  call->name = std::move(name);
  auto re = parse_regex();
  if (!re.ok()) return re.status();
  if (*re) {
    call->args.push_back(std::move(*re));
  } else {
    if (scan().tok == Tok::kRParen) return call;
    unscan();
    auto arg = parse_expr();
    if (!arg.ok()) return arg.status();
    call->args.push_back(std::move(*arg));
  }
  while (true) {
    if (scan_ignore_ws().tok != Tok::kComma) {
      unscan();
      break;
    }
    auto r = parse_regex();
    if (!r.ok()) return r.status();
    if (*r) {
      call->args.push_back(std::move(*r));
      continue;
    }
    auto arg = parse_expr();
    if (!arg.ok()) return arg.status();
    call->args.push_back(std::move(*arg));
  }
  Token t = scan();
  if (t.tok != Tok::kRParen) return parse_error(tok_str(t), {")"}, t.pos);
  return call;
}

}  // namespace tsd::query
