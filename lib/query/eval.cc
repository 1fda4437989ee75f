// Expression evaluation (eval.h).
#include "query/eval.h"
#include "query/math_go.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tsd::query {
namespace {

bool is_comparison(Tok op) {
  return op == Tok::kEq || op == Tok::kNeq || op == Tok::kLt || op == Tok::kLte ||
         op == Tok::kGt || op == Tok::kGte;
}

template <class T>
Datum compare(Tok op, T l, T r) {
  switch (op) {
    case Tok::kEq: return l == r;
    case Tok::kNeq: return l != r;
    case Tok::kLt: return l < r;
    case Tok::kLte: return l <= r;
    case Tok::kGt: return l > r;
    case Tok::kGte: return l >= r;
    default: return std::monostate{};
  }
}

Datum float_op(Tok op, double l, double r) {
  if (is_comparison(op)) return compare(op, l, r);
  switch (op) {
    case Tok::kAdd: return l + r;
    case Tok::kSub: return l - r;
    case Tok::kMul: return l * r;
    case Tok::kDiv: return r == 0 ? 0.0 : l / r;
    case Tok::kMod: return std::fmod(l, r);
    default: return std::monostate{};
  }
}

// Integer arithmetic wraps as Go's does.
template <class T>
Datum int_op(Tok op, T l, T r, bool float_div) {
  using U = std::make_unsigned_t<T>;
  if (is_comparison(op)) return compare(op, l, r);
  switch (op) {
    case Tok::kAdd: return static_cast<T>(static_cast<U>(l) + static_cast<U>(r));
    case Tok::kSub: return static_cast<T>(static_cast<U>(l) - static_cast<U>(r));
    case Tok::kMul: return static_cast<T>(static_cast<U>(l) * static_cast<U>(r));
    case Tok::kDiv:
      if (float_div) return r == 0 ? 0.0 : static_cast<double>(l) / static_cast<double>(r);
      if (r == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (l == INT64_MIN && r == -1) return l;
      }
      return T(l / r);
    case Tok::kMod:
      if (r == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (r == -1) return T(0);
      }
      return T(l % r);
    case Tok::kBitAnd: return T(l & r);
    case Tok::kBitOr: return T(l | r);
    case Tok::kBitXor: return T(l ^ r);
    default: return std::monostate{};
  }
}

// int64 beside uint64, as influxql orders them (a negative int is below any uint).
Datum int_uint_op(Tok op, int64_t l, uint64_t r, bool swapped) {
  if (is_comparison(op) && l < 0) {
    // l < r always (swapped: r > l).
    bool lt = true;
    switch (op) {
      case Tok::kEq: return false;
      case Tok::kNeq: return true;
      case Tok::kLt: case Tok::kLte: return swapped ? !lt : lt;
      default: return swapped ? lt : !lt;
    }
  }
  uint64_t a = static_cast<uint64_t>(l);
  return swapped ? int_op<uint64_t>(op, r, a, false) : int_op<uint64_t>(op, a, r, false);
}

}  // namespace

bool as_double(const Datum& d, double* out) {
  switch (d.index()) {
    case 1: *out = std::get<double>(d); return true;
    case 2: *out = static_cast<double>(std::get<int64_t>(d)); return true;
    case 3: *out = static_cast<double>(std::get<uint64_t>(d)); return true;
    default: return false;
  }
}

std::string Regexes::pattern(const Expr& e) {
  std::string out;
  const std::string& s = e.name;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '/') continue;
    out += s[i];
  }
  return out;
}

std::string regex_syntax_error(const std::string& pattern) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(pattern, o);
  if (re.ok()) return "";
  const char* what = "regexp/syntax: internal error";
  switch (re.error_code()) {
    case RE2::ErrorBadEscape: what = "invalid escape sequence"; break;
    case RE2::ErrorBadCharClass: what = "invalid character class"; break;
    case RE2::ErrorBadCharRange: what = "invalid character class range"; break;
    case RE2::ErrorMissingBracket: what = "missing closing ]"; break;
    case RE2::ErrorMissingParen: what = "missing closing )"; break;
    case RE2::ErrorTrailingBackslash: what = "trailing backslash at end of expression"; break;
    case RE2::ErrorRepeatArgument: what = "missing argument to repetition operator"; break;
    case RE2::ErrorRepeatSize: what = "invalid repeat count"; break;
    case RE2::ErrorRepeatOp: what = "invalid nested repetition operator"; break;
    case RE2::ErrorBadPerlOp: what = "invalid or unsupported Perl syntax"; break;
    case RE2::ErrorBadUTF8: what = "invalid UTF-8"; break;
    case RE2::ErrorBadNamedCapture: what = "invalid named capture"; break;
    case RE2::ErrorPatternTooLarge: what = "expression too large"; break;
    default: break;
  }
  return std::string("error parsing regexp: ") + what + ": `" + re.error_arg() + "`";
}

Result<const RE2*> Regexes::get(const Expr& e) {
  auto it = re_.find(&e);
  if (it == re_.end()) {
    RE2::Options o;
    o.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern(e), o);
    if (!re->ok()) {
      return Status::invalid_argument("invalid regular expression /" + e.name +
                                      "/: " + re->error());
    }
    it = re_.emplace(&e, std::move(re)).first;
  }
  return it->second.get();
}

Status Regexes::compile_all(const Expr& e) {
  if (e.kind == Expr::Kind::kRegex) {
    auto r = get(e);
    if (!r.ok()) return r.status();
  }
  for (const auto& a : e.args) TSD_RETURN_IF_ERROR(compile_all(*a));
  return Status();
}

bool is_time_ref(const Expr& e) {
  if (e.kind != Expr::Kind::kVarRef || e.name.size() != 4) return false;
  for (int i = 0; i < 4; i++) {
    if ((e.name[i] | 0x20) != "time"[i]) return false;
  }
  return true;
}

Datum binary_op(Tok op, const Datum& l0, const Datum& r0, const EvalOptions& o) {
  Datum l = l0, r = r0;
  // A null beside a boolean counts as false.
  if (is_null(l) && r.index() == 5) l = false;
  if (is_null(r) && l.index() == 5) r = false;
  switch (l.index()) {
    case 5: {  // bool
      if (r.index() != 5) {
        // influxql: `ok && (lhs op rhs)` where rhs is no boolean.
        if (op == Tok::kAnd || op == Tok::kOr || op == Tok::kBitAnd || op == Tok::kBitOr ||
            op == Tok::kBitXor)
          return false;
        break;
      }
      bool a = std::get<bool>(l), b = std::get<bool>(r);
      switch (op) {
        case Tok::kAnd: case Tok::kBitAnd: return a && b;
        case Tok::kOr: case Tok::kBitOr: return a || b;
        case Tok::kBitXor: return a != b;
        case Tok::kEq: return a == b;
        case Tok::kNeq: return a != b;
        default: break;
      }
      break;
    }
    case 1: {  // float
      double b;
      if (!as_double(r, &b)) break;
      return float_op(op, std::get<double>(l), b);
    }
    case 2: {  // int
      int64_t a = std::get<int64_t>(l);
      if (r.index() == 1) return float_op(op, static_cast<double>(a), std::get<double>(r));
      if (r.index() == 2) return int_op<int64_t>(op, a, std::get<int64_t>(r), o.integer_float_division);
      if (r.index() == 3) return int_uint_op(op, a, std::get<uint64_t>(r), false);
      break;
    }
    case 3: {  // unsigned
      uint64_t a = std::get<uint64_t>(l);
      if (r.index() == 1) return float_op(op, static_cast<double>(a), std::get<double>(r));
      if (r.index() == 2) return int_uint_op(op, std::get<int64_t>(r), a, true);
      if (r.index() == 3) return int_op<uint64_t>(op, a, std::get<uint64_t>(r), false);
      break;
    }
    case 4: {  // string
      if (r.index() != 4) break;
      if (op == Tok::kEq) return std::get<std::string>(l) == std::get<std::string>(r);
      if (op == Tok::kNeq) return std::get<std::string>(l) != std::get<std::string>(r);
      break;
    }
    default:
      break;
  }
  if (is_comparison(op)) return false;
  return std::monostate{};
}

bool is_math_function(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "abs", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "exp", "log",
      "ln", "log2", "log10", "sqrt", "pow", "floor", "ceil", "round"};
  for (auto k : kNames) {
    if (k == n) return true;
  }
  return false;
}

Datum math_call(std::string_view n, const Datum* args, size_t count) {
  double a = 0, b = 0;
  if (count == 1) {
    const Datum& x = args[0];
    if (n == "abs" || n == "floor" || n == "ceil" || n == "round") {
      // Integers pass through unchanged (abs too, as InfluxDB 1.6 does).
      if (x.index() == 2 || x.index() == 3) return x;
      if (x.index() != 1) return std::monostate{};
      double v = std::get<double>(x);
      if (n == "abs") return std::fabs(v);
      if (n == "floor") return std::floor(v);
      if (n == "ceil") return std::ceil(v);
      return std::round(v);
    }
    if (!as_double(x, &a)) return std::monostate{};
    if (n == "sin") return go_sin(a);
    if (n == "cos") return go_cos(a);
    if (n == "tan") return go_tan(a);
    if (n == "asin") return go_asin(a);
    if (n == "acos") return go_acos(a);
    if (n == "atan") return go_atan(a);
    if (n == "exp") return go_exp(a);
    if (n == "ln") return go_log(a);
    if (n == "log2") return go_log2(a);
    if (n == "log10") return go_log10(a);
    if (n == "sqrt") return std::sqrt(a);
    return std::monostate{};
  }
  if (count == 2) {
    if (!as_double(args[0], &a) || !as_double(args[1], &b)) return std::monostate{};
    if (n == "atan2") return go_atan2(a, b);
    if (n == "log") return go_log(a) / go_log(b);
    if (n == "pow") return go_pow(a, b);
  }
  return std::monostate{};
}

Datum eval(const Expr& e, Valuer& v, Regexes& re, const EvalOptions& o) {
  using K = Expr::Kind;
  switch (e.kind) {
    case K::kVarRef: return v.value(e);
    case K::kNumber: return e.number;
    case K::kInteger: return e.integer;
    case K::kUnsigned: return e.uinteger;
    case K::kString: return e.name;
    case K::kBoolean: return e.boolean;
    case K::kDuration: return e.integer;
    case K::kParen: return eval(*e.args[0], v, re, o);
    case K::kCall: {
      if (!is_math_function(e.name) || e.args.size() > 2) return std::monostate{};
      Datum args[2];
      for (size_t i = 0; i < e.args.size(); i++) args[i] = eval(*e.args[i], v, re, o);
      return math_call(e.name, args, e.args.size());
    }
    case K::kBinary: {
      const Expr& lhs = *e.args[0];
      const Expr& rhs = *e.args[1];
      if ((is_time_ref(lhs) || is_time_ref(rhs)) &&
          (e.op == Tok::kEq || e.op == Tok::kNeq || e.op == Tok::kLt || e.op == Tok::kLte ||
           e.op == Tok::kGt || e.op == Tok::kGte))
        return true;
      if (e.op == Tok::kEqRegex || e.op == Tok::kNeqRegex) {
        Datum l = eval(lhs, v, re, o);
        if (rhs.kind != K::kRegex || l.index() != 4) return false;
        auto r = re.get(rhs);
        if (!r.ok()) return false;
        bool m = RE2::PartialMatch(std::get<std::string>(l), **r);
        return e.op == Tok::kEqRegex ? m : !m;
      }
      if (e.op == Tok::kAnd || e.op == Tok::kOr) {
        // Both sides are evaluated (no short cut) as influxql does; the
        // result is the same.
        Datum l = eval(lhs, v, re, o);
        Datum r = eval(rhs, v, re, o);
        return binary_op(e.op, l, r, o);
      }
      return binary_op(e.op, eval(lhs, v, re, o), eval(rhs, v, re, o), o);
    }
    default:
      return std::monostate{};
  }
}

bool eval_bool(const Expr& e, Valuer& v, Regexes& re, const EvalOptions& o) {
  Datum d = eval(e, v, re, o);
  return d.index() == 5 && std::get<bool>(d);
}

}  // namespace tsd::query
