// Expressions folded, printed and typed as influxql does (select_check_expr.h).
#include "query/select_check_expr.h"

#include <cmath>
#include <cstdio>

#include "core/time.h"
#include "query/condition.h"
#include "query/eval.h"
#include "query/result.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

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

std::string float_string(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace

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
    default: return clone(e);
  }
}


}  // namespace tsd::query
