// Expressions as the SELECT checks (select_check.h) see them: folded as
// influxql's Reduce folds them, printed as its String() prints them, typed
// as Go's %T names them. Private to select_check*.cc.
#pragma once

#include <cstdint>
#include <string>

#include "query/ast.h"
#include "query/zone.h"

namespace tsd::query {

// influxql's literal kinds (its Literal interface; a regex is one), kNone
// for the rest. Reduce makes two the parser never does: time literals
// (kDuration nodes holding epoch nanoseconds) and nil (kBoolean nodes),
// both with kReduced as their op (a literal's op is otherwise kIllegal).
constexpr Tok kReduced = Tok::kEof;

enum class Lit : uint8_t {
  kNone,
  kNumber,
  kInteger,
  kUnsigned,
  kString,
  kBoolean,
  kDuration,
  kRegex,
  kTime,
  kNil,
};

// Which values Reduce may substitute: none (GROUP BY), now() (WHERE), or
// the math functions of literal arguments (SELECT fields: sqrt(4) is 2).
enum class Fold : uint8_t { kPlain, kNow, kMath };

class CheckExprs {
 public:
  CheckExprs(int64_t now, Zone zone) : now_(now), zone_(zone) {}

  // A folded copy of `e`, its outer parentheses removed (influxql.Reduce).
  ExprPtr reduce(const Expr& e, Fold fold);
  Lit lit(const Expr& e) const;
  bool is_literal(const Expr& e) const { return lit(e) != Lit::kNone; }
  // influxql's String() of `e`.
  std::string str(const Expr& e) const;
  // Go's %T of `e` ("*influxql.StringLiteral").
  std::string go_type(const Expr& e) const;
  // A time string ('2020-01-01T00:00:00Z') as epoch nanoseconds read in
  // the zone, as StringLiteral.ToTimeLiteral: false when it is none.
  bool to_time(const Expr& s, int64_t* out) const;
  const Zone& zone() const { return zone_; }
  // l op r, folded when both are literals that go together (influxql's
  // reduceBinaryExpr: the operands are reduced already).
  ExprPtr binary(Tok op, ExprPtr l, ExprPtr r);

 private:
  ExprPtr fold(const Expr& e, Fold f);
  ExprPtr make(Lit kind);
  ExprPtr time_lit(int64_t ns);

  int64_t now_;
  Zone zone_;
};


}  // namespace tsd::query
