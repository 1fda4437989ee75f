// Literal operations folded as influxql's Reduce folds them
// (reduceBinaryExpr and its reduceBinaryExpr*LHS), for CheckExprs
// (select_check_expr.h): 1 + 2 is 3, 2s * 2 is 4s, '2020-01-01' + 1h a
// time, 'a' + 'b' is 'ab', 1 + 'a' stays an operation.
#include <cmath>
#include <optional>

#include "query/select_check_expr.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

// A literal's value, whatever its kind (time and duration in i).
struct Val {
  explicit Val(Lit kind = Lit::kNone, double num = 0, int64_t i64 = 0, uint64_t u64 = 0,
               bool flag = false)
      : k(kind), n(num), i(i64), u(u64), b(flag) {}
  Lit k;
  double n;
  int64_t i;
  uint64_t u;
  bool b;
  std::string s;
};

Val number(double v) { return Val(Lit::kNumber, v); }
Val integer(int64_t v) { return Val(Lit::kInteger, 0, v); }
Val duration(int64_t v) { return Val(Lit::kDuration, 0, v); }
Val time_val(int64_t v) { return Val(Lit::kTime, 0, v); }
Val unsigned_val(uint64_t v) { return Val(Lit::kUnsigned, 0, 0, v); }
Val boolean(bool v) { return Val(Lit::kBoolean, 0, 0, 0, v); }

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
          Val v(Lit::kString);
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

}  // namespace

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
