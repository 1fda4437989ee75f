// Expressions folded, printed and typed as influxql does (select_check_expr.h).
#include "query/select_check_expr.h"

#include <cmath>
#include <cstdio>
#include <optional>

#include "core/time.h"
#include "query/condition.h"
#include "query/eval.h"
#include "query/result.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

// A literal's value, whatever its kind (time and duration in i).
struct Val {
  Lit k = Lit::kNone;
  double n = 0;
  int64_t i = 0;
  uint64_t u = 0;
  bool b = false;
  std::string s;
};

Val number(double v) { return Val{Lit::kNumber, v}; }
Val integer(int64_t v) { return Val{Lit::kInteger, 0, v}; }
Val unsigned_val(uint64_t v) { return Val{Lit::kUnsigned, 0, 0, v}; }
Val duration(int64_t v) { return Val{Lit::kDuration, 0, v}; }
Val time_val(int64_t v) { return Val{Lit::kTime, 0, v}; }
Val boolean(bool v) { return Val{Lit::kBoolean, 0, 0, 0, v}; }

// Go's wrapping arithmetic on int64.
int64_t wrap_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t wrap_sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t wrap_mul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
int64_t go_div(int64_t a, int64_t b) { return (b == -1) ? wrap_sub(0, a) : a / b; }
int64_t go_mod(int64_t a, int64_t b) { return (b == -1) ? 0 : a % b; }
// Go's conversion of a float to an int64 (out of range: the minimum, as amd64
// does).
int64_t go_int(double v) {
  if (!(v > -9.3e18 && v < 9.3e18)) return INT64_MIN;
  return static_cast<int64_t>(v);
}

// A comparison of two ordered values, when op is one.
template <class T>
std::optional<Val> compare(Tok op, const T& a, const T& b) {
  switch (op) {
    case Tok::kEq: return boolean(a == b);
    case Tok::kNeq: return boolean(a != b);
    case Tok::kGt: return boolean(a > b);
    case Tok::kGte: return boolean(a >= b);
    case Tok::kLt: return boolean(a < b);
    case Tok::kLte: return boolean(a <= b);
    default: return std::nullopt;
  }
}

bool ident_needs_quotes(const std::string& s) {
  if (lookup_keyword(s) != Tok::kIdent) return true;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && (i == 0 || c < '0' || c > '9')) return true;
  }
  return false;
}

// Replaces \n, \ and `quote` by their escapes (influxql's QuoteString and
// QuoteIdent).
std::string escape(const std::string& s, char quote) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == quote) out += '\\';
    out += c;
  }
  return out;
}

std::string quote_ident(const std::string& s) {
  if (!s.empty() && !ident_needs_quotes(s)) return s;
  return "\"" + escape(s, '"') + "\"";
}

std::string data_type_name(DataType t) {
  switch (t) {
    case DataType::kFloat: return "float";
    case DataType::kInteger: return "integer";
    case DataType::kUnsigned: return "unsigned";
    case DataType::kString: return "string";
    case DataType::kBoolean: return "boolean";
    case DataType::kTag: return "tag";
    case DataType::kAnyField: return "field";
    case DataType::kUnknown: break;
  }
  return "unknown";
}

std::string float_string(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace

std::string influxql_duration(int64_t d) {
  constexpr int64_t kSec = 1000000000, kMin = 60 * kSec, kHour = 60 * kMin, kDay = 24 * kHour;
  struct Unit {
    int64_t ns;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{7 * kDay, "w"}, {kDay, "d"}, {kHour, "h"},
                                    {kMin, "m"},     {kSec, "s"}, {1000000, "ms"}};
  if (d == 0) return "0s";
  for (const Unit& u : kUnits) {
    if (d % u.ns == 0) return std::to_string(d / u.ns) + u.name;
  }
  return std::to_string(d / 1000) + "u";
}

std::string expr_string(const Expr& e) { return CheckExprs(0, Zone()).str(e); }

ExprPtr clone_expr(const Expr& e) {
  auto c = std::make_unique<Expr>(e.kind);
  c->name = e.name;
  c->type = e.type;
  c->op = e.op;
  c->number = e.number;
  c->integer = e.integer;
  c->uinteger = e.uinteger;
  c->boolean = e.boolean;
  for (const auto& a : e.args) c->args.push_back(clone_expr(*a));
  return c;
}

Lit CheckExprs::lit(const Expr& e) const {
  if (e.op == kReduced && e.kind == K::kDuration) return Lit::kTime;
  if (e.op == kReduced && e.kind == K::kBoolean) return Lit::kNil;
  switch (e.kind) {
    case K::kNumber: return Lit::kNumber;
    case K::kInteger: return Lit::kInteger;
    case K::kUnsigned: return Lit::kUnsigned;
    case K::kString: return Lit::kString;
    case K::kBoolean: return Lit::kBoolean;
    case K::kDuration: return Lit::kDuration;
    case K::kRegex: return Lit::kRegex;
    default: return Lit::kNone;
  }
}

std::string CheckExprs::go_type(const Expr& e) const {
  switch (lit(e)) {
    case Lit::kTime: return "*influxql.TimeLiteral";
    case Lit::kNil: return "*influxql.NilLiteral";
    default: break;
  }
  // By Expr::Kind, in its order.
  static constexpr const char* kNames[] = {"VarRef",          "Call",          "BinaryExpr",
                                           "ParenExpr",       "NumberLiteral", "IntegerLiteral",
                                           "UnsignedLiteral", "StringLiteral", "BooleanLiteral",
                                           "DurationLiteral", "RegexLiteral",  "Wildcard",
                                           "Distinct"};
  return std::string("*influxql.") + kNames[static_cast<int>(e.kind)];
}

std::string CheckExprs::str(const Expr& e) const {
  switch (lit(e)) {
    case Lit::kTime: return "'" + format_rfc3339(e.integer) + "'";
    case Lit::kNil: return "nil";
    default: break;
  }
  switch (e.kind) {
    case K::kVarRef: {
      std::string s = quote_ident(e.name);
      if (e.type != DataType::kUnknown) s += "::" + data_type_name(e.type);
      return s;
    }
    case K::kCall: {
      std::string s = e.name + "(";
      for (size_t i = 0; i < e.args.size(); i++) {
        if (i > 0) s += ", ";
        s += str(*e.args[i]);
      }
      return s + ")";
    }
    case K::kBinary:
      return str(*e.args[0]) + " " + std::string(tok_name(e.op)) + " " + str(*e.args[1]);
    case K::kParen: return "(" + str(*e.args[0]) + ")";
    case K::kNumber: return float_string(e.number);
    case K::kInteger: return std::to_string(e.integer);
    case K::kUnsigned: return std::to_string(e.uinteger);
    case K::kString: return "'" + escape(e.name, '\'') + "'";
    case K::kBoolean: return e.boolean ? "true" : "false";
    case K::kDuration: return influxql_duration(e.integer);
    case K::kRegex: {
      std::string s = "/";
      for (char c : e.name) {
        if (c == '/') s += '\\';
        s += c;
      }
      return s + "/";
    }
    case K::kWildcard:
      if (e.type == DataType::kAnyField) return "*::field";
      if (e.type == DataType::kTag) return "*::tag";
      return "*";
    case K::kDistinct: return "DISTINCT " + e.name;
  }
  return "";
}

bool CheckExprs::to_time(const Expr& s, int64_t* out) const {
  if (lit(s) != Lit::kString) return false;
  auto t = time_value(s, now_, zone_);
  if (!t.ok()) return false;
  *out = *t;
  return true;
}

namespace {

// The folding of `l op r` when both are literals (influxql's
// reduceBinaryExpr*LHS): nullopt when it stays an operation.
class Folder {
 public:
  explicit Folder(const CheckExprs& x) : x_(x) {}

  std::optional<Val> fold(Tok op, const Val& l, const Val& r) {
    switch (l.k) {
      case Lit::kBoolean: return boolean_lhs(op, l.b, r);
      case Lit::kDuration: return duration_lhs(op, l.i, r);
      case Lit::kInteger: return integer_lhs(op, l.i, r);
      case Lit::kUnsigned: return unsigned_lhs(op, l.u, r);
      case Lit::kNil:
        if (op == Tok::kEq || op == Tok::kNeq) return boolean(false);
        return std::nullopt;
      case Lit::kNumber: return number_lhs(op, l.n, r);
      case Lit::kString: return string_lhs(op, l.s, r);
      case Lit::kTime: return time_lhs(op, l.i, r);
      default: return std::nullopt;
    }
  }

 private:
  bool to_time(const std::string& s, int64_t* out) {
    Expr e(Expr::Kind::kString);
    e.name = s;
    return x_.to_time(e, out);
  }

  std::optional<Val> boolean_lhs(Tok op, bool l, const Val& r) {
    if (r.k == Lit::kNil) return boolean(false);
    if (r.k != Lit::kBoolean) return std::nullopt;
    switch (op) {
      case Tok::kEq: return boolean(l == r.b);
      case Tok::kNeq:
      case Tok::kBitXor: return boolean(l != r.b);
      case Tok::kAnd:
      case Tok::kBitAnd: return boolean(l && r.b);
      case Tok::kOr:
      case Tok::kBitOr: return boolean(l || r.b);
      default: return std::nullopt;
    }
  }

  std::optional<Val> duration_lhs(Tok op, int64_t l, const Val& r) {
    switch (r.k) {
      case Lit::kDuration:
        if (op == Tok::kAdd) return duration(wrap_add(l, r.i));
        if (op == Tok::kSub) return duration(wrap_sub(l, r.i));
        return compare(op, l, r.i);
      case Lit::kNumber:
      case Lit::kInteger: {
        const bool zero = r.k == Lit::kNumber ? r.n == 0 : r.i == 0;
        const int64_t v = r.k == Lit::kNumber ? go_int(r.n) : r.i;
        if (op == Tok::kMul) return duration(wrap_mul(l, v));
        if (op == Tok::kDiv) {
          if (zero) return duration(0);
          if (v == 0) return std::nullopt;  // Go would divide by zero
          return duration(go_div(l, v));
        }
        return std::nullopt;
      }
      case Lit::kTime:
        if (op == Tok::kAdd) return time_val(wrap_add(r.i, l));
        return std::nullopt;
      case Lit::kString: {
        int64_t t;
        if (!to_time(r.s, &t)) return std::nullopt;
        return duration_lhs(op, l, time_val(t));
      }
      case Lit::kNil: return boolean(false);
      default: return std::nullopt;
    }
  }

  std::optional<Val> integer_lhs(Tok op, int64_t l, const Val& r) {
    switch (r.k) {
      case Lit::kNumber: return number_lhs(op, static_cast<double>(l), r);
      case Lit::kInteger:
        switch (op) {
          case Tok::kAdd: return integer(wrap_add(l, r.i));
          case Tok::kSub: return integer(wrap_sub(l, r.i));
          case Tok::kMul: return integer(wrap_mul(l, r.i));
          case Tok::kDiv:
            if (r.i == 0) return number(0);
            return number(static_cast<double>(l) / static_cast<double>(r.i));
          case Tok::kMod: return integer(r.i == 0 ? 0 : go_mod(l, r.i));
          case Tok::kBitAnd: return integer(l & r.i);
          case Tok::kBitOr: return integer(l | r.i);
          case Tok::kBitXor: return integer(l ^ r.i);
          default: return compare(op, l, r.i);
        }
      case Lit::kUnsigned:
        if (l < 0) {
          if (op == Tok::kLt || op == Tok::kLte) return boolean(true);
          if (op == Tok::kGt || op == Tok::kGte) return boolean(false);
        }
        return unsigned_lhs(op, static_cast<uint64_t>(l), r);
      case Lit::kDuration:
        if (op == Tok::kAdd) return time_val(wrap_add(l, r.i));
        if (op == Tok::kSub) return time_val(wrap_sub(l, r.i));
        return std::nullopt;
      case Lit::kTime:
      case Lit::kString:  // as a time, with the integer as a duration
        return duration_lhs(op, l, r);
      case Lit::kNil: return boolean(false);
      default: return std::nullopt;
    }
  }

  std::optional<Val> unsigned_lhs(Tok op, uint64_t l, const Val& r) {
    switch (r.k) {
      case Lit::kNumber: return number_lhs(op, static_cast<double>(l), r);
      case Lit::kInteger:
        if (r.i < 0) {
          if (op == Tok::kLt || op == Tok::kLte) return boolean(false);
          if (op == Tok::kGt || op == Tok::kGte) return boolean(true);
        }
        return unsigned_lhs(op, l, unsigned_val(static_cast<uint64_t>(r.i)));
      case Lit::kUnsigned:
        switch (op) {
          case Tok::kAdd: return unsigned_val(l + r.u);
          case Tok::kSub: return unsigned_val(l - r.u);
          case Tok::kMul: return unsigned_val(l * r.u);
          case Tok::kDiv: return unsigned_val(r.u == 0 ? 0 : l / r.u);
          case Tok::kMod: return unsigned_val(r.u == 0 ? 0 : l % r.u);
          default: return compare(op, l, r.u);
        }
      default: return std::nullopt;
    }
  }

  std::optional<Val> number_lhs(Tok op, double l, const Val& r) {
    double v;
    switch (r.k) {
      case Lit::kNumber: v = r.n; break;
      case Lit::kInteger: v = static_cast<double>(r.i); break;
      case Lit::kUnsigned: v = static_cast<double>(r.u); break;
      case Lit::kNil: return boolean(false);
      default: return std::nullopt;
    }
    switch (op) {
      case Tok::kAdd: return number(l + v);
      case Tok::kSub: return number(l - v);
      case Tok::kMul: return number(l * v);
      case Tok::kDiv: return number(v == 0 ? 0 : l / v);
      case Tok::kMod: return number(std::fmod(l, v));
      default: return compare(op, l, v);
    }
  }

  std::optional<Val> string_lhs(Tok op, const std::string& l, const Val& r) {
    int64_t t;
    switch (r.k) {
      case Lit::kString:
        if (op == Tok::kEq || op == Tok::kNeq) {
          int64_t a, b;
          if (to_time(l, &a) && to_time(r.s, &b)) return compare(op, a, b);
          return compare(op, l, r.s);
        }
        if (op == Tok::kAdd) {
          Val v;
          v.k = Lit::kString;
          v.s = l + r.s;
          return v;
        }
        if (!to_time(l, &t)) return std::nullopt;
        return time_lhs(op, t, r);
      case Lit::kDuration:
      case Lit::kTime:
      case Lit::kInteger:
        if (!to_time(l, &t)) return std::nullopt;
        return time_lhs(op, t, r);
      case Lit::kNil:
        if (op == Tok::kEq || op == Tok::kNeq) return boolean(false);
        return std::nullopt;
      default: return std::nullopt;
    }
  }

  std::optional<Val> time_lhs(Tok op, int64_t l, const Val& r) {
    switch (r.k) {
      case Lit::kDuration:
      case Lit::kInteger:
        if (op == Tok::kAdd) return time_val(wrap_add(l, r.i));
        if (op == Tok::kSub) return time_val(wrap_sub(l, r.i));
        return std::nullopt;
      case Lit::kTime:
        if (op == Tok::kSub) return duration(wrap_sub(l, r.i));
        return compare(op, l, r.i);
      case Lit::kString: {
        int64_t t;
        if (!to_time(r.s, &t)) return std::nullopt;
        return time_lhs(op, l, time_val(t));
      }
      case Lit::kNil: return boolean(false);
      default: return std::nullopt;
    }
  }

  const CheckExprs& x_;
};

// A literal's value as the math functions take it (a Go interface{}).
Datum datum(const Expr& e, Lit k) {
  switch (k) {
    case Lit::kNumber: return e.number;
    case Lit::kInteger: return e.integer;
    case Lit::kUnsigned: return e.uinteger;
    case Lit::kString: return e.name;
    case Lit::kBoolean: return e.boolean;
    default: return std::monostate{};
  }
}

bool math_folds(const std::string& name, size_t nargs) {
  if (nargs == 2) return name == "atan2" || name == "log" || name == "pow";
  return nargs == 1 && is_math_function(name) && name != "atan2" && name != "log" && name != "pow";
}

}  // namespace

ExprPtr CheckExprs::make(Lit kind) {
  static constexpr K kKinds[] = {K::kVarRef,  K::kNumber,   K::kInteger, K::kUnsigned, K::kString,
                                 K::kBoolean, K::kDuration, K::kRegex,   K::kDuration, K::kBoolean};
  auto e = std::make_unique<Expr>(kKinds[static_cast<int>(kind)]);
  if (kind == Lit::kTime || kind == Lit::kNil) e->op = kReduced;
  return e;
}

ExprPtr CheckExprs::time_lit(int64_t ns) {
  auto e = make(Lit::kTime);
  e->integer = ns;
  return e;
}

ExprPtr CheckExprs::reduce(const Expr& e, Fold f) {
  ExprPtr r = fold(e, f);
  if (r->kind == K::kParen) return std::move(r->args[0]);
  return r;
}

ExprPtr CheckExprs::fold(const Expr& e, Fold f) {
  switch (e.kind) {
    case K::kBinary: return binary(e.op, fold(*e.args[0], f), fold(*e.args[1], f));
    case K::kParen: {
      ExprPtr in = fold(*e.args[0], f);
      if (in->kind != K::kBinary || is_literal(*in)) return in;
      auto p = std::make_unique<Expr>(K::kParen);
      p->args.push_back(std::move(in));
      return p;
    }
    case K::kCall: {
      auto c = std::make_unique<Expr>(K::kCall);
      c->name = e.name;
      bool literals = true;
      for (const auto& a : e.args) {
        c->args.push_back(fold(*a, f));
        literals = literals && is_literal(*c->args.back());
      }
      if (!literals) return c;
      if (f == Fold::kNow && c->name == "now" && c->args.empty()) return time_lit(now_);
      if (f == Fold::kMath && math_folds(c->name, c->args.size())) {
        Datum args[2];
        for (size_t i = 0; i < c->args.size(); i++) args[i] = datum(*c->args[i], lit(*c->args[i]));
        Datum v = math_call(c->name, args, c->args.size());
        if (v.index() == 1) {
          auto n = make(Lit::kNumber);
          n->number = std::get<double>(v);
          return n;
        }
        if (v.index() == 2) {
          auto n = make(Lit::kInteger);
          n->integer = std::get<int64_t>(v);
          return n;
        }
        return make(Lit::kNil);  // influxql's asLiteral has no unsigned either
      }
      return c;
    }
    default: return clone_expr(e);
  }
}

ExprPtr CheckExprs::binary(Tok op, ExprPtr l, ExprPtr r) {
  auto is_bool = [&](const Expr& e, bool v) { return lit(e) == Lit::kBoolean && e.boolean == v; };
  if (op == Tok::kAnd) {
    if (is_bool(*l, false) || is_bool(*r, false)) {
      auto b = make(Lit::kBoolean);
      return b;
    }
    if (is_bool(*l, true)) return r;
    if (is_bool(*r, true)) return l;
  } else if (op == Tok::kOr) {
    if (is_bool(*l, true) || is_bool(*r, true)) {
      auto b = make(Lit::kBoolean);
      b->boolean = true;
      return b;
    }
    if (is_bool(*l, false)) return r;
    if (is_bool(*r, false)) return l;
  }
  auto val = [&](const Expr& e) {
    Val v;
    v.k = lit(e);
    v.n = e.number;
    v.i = e.integer;
    v.u = e.uinteger;
    v.b = e.boolean;
    v.s = e.name;
    return v;
  };
  std::optional<Val> v;
  if (is_literal(*l) && is_literal(*r)) v = Folder(*this).fold(op, val(*l), val(*r));
  if (!v) {
    auto b = std::make_unique<Expr>(K::kBinary);
    b->op = op;
    b->args.push_back(std::move(l));
    b->args.push_back(std::move(r));
    return b;
  }
  ExprPtr out = make(v->k);
  out->number = v->n;
  out->integer = v->i;
  out->uinteger = v->u;
  out->boolean = v->b;
  out->name = v->s;
  return out;
}

}  // namespace tsd::query
