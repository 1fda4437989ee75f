// The compilation of one SELECT statement (select_check.h), split over
// select_check.cc (the statement: WHERE, GROUP BY, the fields together,
// subqueries) and select_check_fields.cc (each field and its calls); the
// expressions' folding and printing are select_check_expr.cc's and
// select_check_fold.cc's.
// Private to those files; the names follow InfluxDB's query/compile.go.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "query/select_check.h"
#include "query/select_check_expr.h"

namespace tsd::query {

// compile.go's compiledStatement.
class Compilation {
 public:
  Compilation(const SelectStatement& st, int64_t now);
  Status preprocess();  // WHERE, then GROUP BY
  Status compile();     // the fields, then the subqueries
  Status prepare() const;
  const SelectInfo& info() const { return info_; }

 private:
  friend class FieldCompiler;
  Result<ExprPtr> condition(const Expr& e);
  Status time_comparison(Tok op, const Expr& rhs);
  Status validate_condition(const Expr& e);
  Status dimensions();
  Status time_dimension(Expr& call);
  Status validate_fields();
  Status subquery(const SelectStatement& sub);

  const SelectStatement& st_;
  int64_t now_;
  CheckExprs x_;
  SelectInfo info_;
  Fill fill_ = Fill::kNull;
  bool inherited_interval_ = false;
  int fields_ = 0;
  std::string string_offset_;  // GROUP BY time(i, '<time>'), which Prepare refuses
  std::vector<ExprPtr> dims_, reduced_;
  std::vector<std::unique_ptr<Compilation>> subs_;
};

// compile.go's compiledField: one field's expression and calls.
class FieldCompiler {
 public:
  explicit FieldCompiler(Compilation* g) : g_(g), x_(g->x_), info_(g->info_) {}
  Status expr(const Expr& e);

 private:
  Status nested(const Expr& e);
  Status symbol(const std::string& name, const Expr& arg);
  Status function(const Expr& call);
  Status math(const Expr& call);
  Status percentile(const Expr& call);
  Status sample(const Expr& call);
  Status distinct(size_t nargs, const Expr* arg0, bool nested);
  Status top_bottom(const Expr& call);
  Status derivative(const Expr& call);
  Status difference(const Expr& call);
  Status moving_average(const Expr& call);
  Status period_and_hold(const Expr& call, const std::string& name);
  Status exponential(const Expr& call);
  Status kaufmans(const Expr& call);
  Status chande(const Expr& call);
  Status integral(const Expr& call);
  Status holt_winters(const Expr& call);
  // The first argument of a transformation: a call (needs GROUP BY time())
  // or a field (refuses it unless the interval is inherited).
  Status transform_arg(const std::string& name, const Expr& arg0, bool nested_call);

  Compilation* g_;
  CheckExprs& x_;
  SelectInfo& info_;
  bool allow_wildcard_ = true;
};

}  // namespace tsd::query
