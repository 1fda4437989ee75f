// Each SELECT field and its calls, checked as InfluxDB 1.6's compiledField
// does (compileExpr, compileFunction and the compileXxx of query/compile.go).
#include <fmt/format.h>

#include "query/eval.h"
#include "query/select_check_internal.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

template <class... Args>
Status bad(fmt::format_string<Args...> f, Args&&... args) {
  return Status::invalid_argument(fmt::format(f, std::forward<Args>(args)...));
}

// "invalid number of arguments for NAME, expected at least MIN but no more than
// MAX, got N".
Status count_between(const Expr& call, const std::string& name, size_t min, size_t max) {
  const size_t n = call.args.size();
  if (n >= min && n <= max) return Status();
  return bad(
      "invalid number of arguments for {}, expected at least {} but no "
      "more than {}, got {}",
      name, min, max, n);
}

Status count_exactly(const Expr& call, const std::string& name, size_t want) {
  if (call.args.size() == want) return Status();
  return bad("invalid number of arguments for {}, expected {}, got {}", name, want,
             call.args.size());
}

}  // namespace

Status FieldCompiler::expr(const Expr& e) {
  if (x_.lit(e) == Lit::kTime || x_.lit(e) == Lit::kNil) {
    return bad("field must contain at least one variable");
  }
  switch (e.kind) {
    case K::kVarRef: info_.has_auxiliary_fields = true; return Status();
    case K::kWildcard:
      info_.has_auxiliary_fields = true;
      if (!allow_wildcard_) return bad("unable to use wildcard in a binary expression");
      return Status();
    case K::kRegex:
      if (!allow_wildcard_) return bad("unable to use regex in a binary expression");
      info_.has_auxiliary_fields = true;
      return Status();
    case K::kCall: break;
    case K::kDistinct: {
      info_.function_calls++;
      Expr ref(K::kVarRef);
      ref.name = e.name;
      return distinct(1, &ref, false);
    }
    case K::kBinary: {
      // Wildcards would make the field's expansion too hard (RewriteFields).
      allow_wildcard_ = false;
      const bool l = x_.is_literal(*e.args[0]), r = x_.is_literal(*e.args[1]);
      if (l && r) return bad("cannot perform a binary expression on two literals");
      if (l) return expr(*e.args[1]);
      if (r) return expr(*e.args[0]);
      TSD_RETURN_IF_ERROR(expr(*e.args[0]));
      return expr(*e.args[1]);
    }
    case K::kParen: return expr(*e.args[0]);
    default: return bad("field must contain at least one variable");
  }
  const std::string& n = e.name;
  if (is_math_function(n)) return math(e);
  info_.function_calls++;
  if (n == "percentile") return percentile(e);
  if (n == "sample") return sample(e);
  if (n == "distinct")
    return distinct(e.args.size(), e.args.empty() ? nullptr : e.args[0].get(), false);
  if (n == "top" || n == "bottom") return top_bottom(e);
  if (n == "derivative" || n == "non_negative_derivative" || n == "elapsed") return derivative(e);
  if (n == "difference" || n == "non_negative_difference" || n == "cumulative_sum") {
    return difference(e);
  }
  if (n == "moving_average") return moving_average(e);
  if (n == "exponential_moving_average" || n == "double_exponential_moving_average" ||
      n == "triple_exponential_moving_average" || n == "relative_strength_index" ||
      n == "triple_exponential_derivative") {
    return exponential(e);
  }
  if (n == "kaufmans_efficiency_ratio" || n == "kaufmans_adaptive_moving_average") {
    return kaufmans(e);
  }
  if (n == "chande_momentum_oscillator") return chande(e);
  if (n == "integral") return integral(e);
  if (n == "holt_winters" || n == "holt_winters_with_fit") return holt_winters(e);
  return function(e);
}

// compileNestedExpr: a distinct() inside another call does not count as
// the statement's distinct().
Status FieldCompiler::nested(const Expr& e) {
  if (e.kind == K::kCall && e.name == "distinct") {
    return distinct(e.args.size(), e.args.empty() ? nullptr : e.args[0].get(), true);
  }
  if (e.kind == K::kDistinct) {
    Expr ref(K::kVarRef);
    ref.name = e.name;
    return distinct(1, &ref, true);
  }
  return expr(e);
}

// compileSymbol: a call's field argument.
Status FieldCompiler::symbol(const std::string& name, const Expr& arg) {
  if (x_.lit(arg) == Lit::kNone && arg.kind == K::kVarRef) return Status();
  if (arg.kind == K::kWildcard) {
    if (!allow_wildcard_) return bad("unsupported expression with wildcard: {}()", name);
    info_.only_selectors = false;
    return Status();
  }
  if (arg.kind == K::kRegex) {
    if (!allow_wildcard_) return bad("unsupported expression with regex field: {}()", name);
    info_.only_selectors = false;
    return Status();
  }
  return bad("expected field argument in {}()", name);
}

Status FieldCompiler::function(const Expr& call) {
  const std::string& n = call.name;
  if (n == "count" || n == "sum" || n == "mean" || n == "median" || n == "mode" || n == "stddev" ||
      n == "spread") {
    info_.only_selectors = false;
  } else if (n != "max" && n != "min" && n != "first" && n != "last") {
    return bad("undefined function {}()", n);
  }
  TSD_RETURN_IF_ERROR(count_exactly(call, n, 1));
  const Expr& arg = *call.args[0];
  if (n == "count" && arg.kind == K::kCall && arg.name == "distinct") {
    return distinct(arg.args.size(), arg.args.empty() ? nullptr : arg.args[0].get(), true);
  }
  if (n == "count" && arg.kind == K::kDistinct) return nested(arg);
  return symbol(n, arg);
}

Status FieldCompiler::math(const Expr& call) {
  const size_t want = (call.name == "atan2" || call.name == "pow" || call.name == "log") ? 2 : 1;
  TSD_RETURN_IF_ERROR(count_exactly(call, call.name, want));
  for (const auto& a : call.args) {
    if (!x_.is_literal(*a)) TSD_RETURN_IF_ERROR(expr(*a));
  }
  return Status();
}

Status FieldCompiler::percentile(const Expr& call) {
  TSD_RETURN_IF_ERROR(count_exactly(call, "percentile", 2));
  const Lit k = x_.lit(*call.args[1]);
  if (k != Lit::kInteger && k != Lit::kNumber)
    return bad("expected float argument in percentile()");
  return symbol("percentile", *call.args[0]);
}

Status FieldCompiler::sample(const Expr& call) {
  TSD_RETURN_IF_ERROR(count_exactly(call, "sample", 2));
  const Expr& n = *call.args[1];
  if (x_.lit(n) != Lit::kInteger) return bad("expected integer argument in sample()");
  if (n.integer <= 0) return bad("sample window must be greater than 1, got {}", n.integer);
  return symbol("sample", *call.args[0]);
}

Status FieldCompiler::distinct(size_t nargs, const Expr* arg0, bool is_nested) {
  if (nargs == 0) return bad("distinct function requires at least one argument");
  if (nargs != 1) return bad("distinct function can only have one argument");
  if (arg0->kind != K::kVarRef) return bad("expected field argument in distinct()");
  if (!is_nested) info_.has_distinct = true;
  info_.only_selectors = false;
  return Status();
}

Status FieldCompiler::top_bottom(const Expr& call) {
  const std::string& n = call.name;
  if (!info_.top_bottom.empty()) {
    return bad("selector function {}() cannot be combined with other functions", info_.top_bottom);
  }
  if (call.args.size() < 2) {
    return bad("invalid number of arguments for {}, expected at least 2, got {}", n,
               call.args.size());
  }
  const Expr& last = *call.args.back();
  if (x_.lit(last) != Lit::kInteger) {
    return bad("expected integer as last argument in {}(), found {}", n, x_.str(last));
  }
  if (last.integer <= 0)
    return bad("limit ({}) in {} function must be at least 1", last.integer, n);
  const int64_t limit = g_->st_.limit;
  if (limit > 0 && last.integer > limit) {
    return bad(
        "limit ({}) in {} function can not be larger than the LIMIT "
        "({}) in the select "
        "statement",
        last.integer, n, limit);
  }
  if (call.args[0]->kind != K::kVarRef) {
    return bad("expected first argument to be a field in {}(), found {}", n, x_.str(*call.args[0]));
  }
  for (size_t i = 1; i + 1 < call.args.size(); i++) {
    const Expr& a = *call.args[i];
    if (a.kind != K::kVarRef || x_.lit(a) != Lit::kNone) {
      return bad("only fields or tags are allowed in {}(), found {}", n, x_.str(a));
    }
    // Each tag or field named becomes a column, unless writing INTO.
    if (!g_->st_.target) {
      g_->fields_++;
      info_.has_auxiliary_fields = true;
    }
  }
  info_.top_bottom = n;
  return Status();
}

Status FieldCompiler::transform_arg(const std::string& name, const Expr& arg0, bool nested_call) {
  if (arg0.kind == K::kCall) {
    if (info_.interval == 0) return bad("{} aggregate requires a GROUP BY interval", name);
    return nested_call ? nested(arg0) : expr(arg0);
  }
  if (info_.interval != 0 && !g_->inherited_interval_) {
    return bad("aggregate function required inside the call to {}", name);
  }
  return symbol(name, arg0);
}

// derivative, non_negative_derivative and elapsed: (x[, unit]).
Status FieldCompiler::derivative(const Expr& call) {
  const std::string& n = call.name;
  TSD_RETURN_IF_ERROR(count_between(call, n, 1, 2));
  if (call.args.size() == 2) {
    const Expr& unit = *call.args[1];
    if (x_.lit(unit) != Lit::kDuration) {
      return bad("second argument to {} must be a duration, got {}", n, x_.go_type(unit));
    }
    if (unit.integer <= 0) {
      return bad("duration argument must be positive, got {}", influxql_duration(unit.integer));
    }
  }
  info_.only_selectors = false;
  info_.extra_intervals = std::max<int64_t>(info_.extra_intervals, 1);
  return transform_arg(n, *call.args[0], true);
}

// difference, non_negative_difference and cumulative_sum: (x).
Status FieldCompiler::difference(const Expr& call) {
  TSD_RETURN_IF_ERROR(count_exactly(call, call.name, 1));
  info_.only_selectors = false;
  info_.extra_intervals = std::max<int64_t>(info_.extra_intervals, 1);
  return transform_arg(call.name, *call.args[0], true);
}

Status FieldCompiler::moving_average(const Expr& call) {
  TSD_RETURN_IF_ERROR(count_exactly(call, "moving_average", 2));
  const Expr& w = *call.args[1];
  if (x_.lit(w) != Lit::kInteger) {
    return bad("second argument for moving_average must be an integer, got {}", x_.go_type(w));
  }
  if (w.integer <= 1) return bad("moving_average window must be greater than 1, got {}", w.integer);
  info_.only_selectors = false;
  info_.extra_intervals = std::max(info_.extra_intervals, w.integer);
  return transform_arg("moving_average", *call.args[0], true);
}

// The period (an integer from 1) and the hold period (an integer from 0,
// or -1; from 1 for triple_exponential_derivative) of the technical-analysis
// functions.
Status FieldCompiler::period_and_hold(const Expr& call, const std::string& n) {
  const Expr& period = *call.args[1];
  if (x_.lit(period) != Lit::kInteger) return bad("{} period must be an integer", n);
  if (period.integer < 1) return bad("{} period must be greater than or equal to 1", n);
  if (call.args.size() < 3) return Status();
  const Expr& hold = *call.args[2];
  if (x_.lit(hold) != Lit::kInteger) return bad("{} hold period must be an integer", n);
  const int64_t h = hold.integer;
  if (n == "triple_exponential_derivative" && h < 1 && h != -1) {
    return bad("{} hold period must be greater than or equal to 1", n);
  }
  if (h < 0 && h != -1) return bad("{} hold period must be greater than or equal to 0", n);
  return Status();
}

// The technical-analysis family: (x, period[, hold[, warmup]]).
Status FieldCompiler::exponential(const Expr& call) {
  const std::string& n = call.name;
  TSD_RETURN_IF_ERROR(count_between(call, n, 2, 4));
  TSD_RETURN_IF_ERROR(period_and_hold(call, n));
  const int64_t period = call.args[1]->integer;
  if (call.args.size() >= 4) {
    const Expr& warmup = *call.args[3];
    if (x_.lit(warmup) != Lit::kString) return bad("{} warmup type must be a string", n);
    if (warmup.name != "exponential" && warmup.name != "simple") {
      return bad("{} warmup type must be one of: 'exponential' 'simple'", n);
    }
  }
  info_.only_selectors = false;
  info_.extra_intervals = std::max(info_.extra_intervals, period);
  return transform_arg(n, *call.args[0], false);
}

// kaufmans_efficiency_ratio and kaufmans_adaptive_moving_average: (x, period[,
// hold]).
Status FieldCompiler::kaufmans(const Expr& call) {
  const std::string& n = call.name;
  TSD_RETURN_IF_ERROR(count_between(call, n, 2, 3));
  TSD_RETURN_IF_ERROR(period_and_hold(call, n));
  const int64_t period = call.args[1]->integer;
  info_.only_selectors = false;
  info_.extra_intervals = std::max(info_.extra_intervals, period);
  return transform_arg(n, *call.args[0], false);
}

// chande_momentum_oscillator: (x, period[, hold[, warmup]]), warmup may be
// 'none'.
Status FieldCompiler::chande(const Expr& call) {
  const std::string n = "chande_momentum_oscillator";
  TSD_RETURN_IF_ERROR(count_between(call, n, 2, 4));
  TSD_RETURN_IF_ERROR(period_and_hold(call, n));
  const int64_t period = call.args[1]->integer;
  info_.only_selectors = false;
  info_.extra_intervals = std::max(info_.extra_intervals, period);
  if (call.args.size() >= 4) {
    const Expr& warmup = *call.args[3];
    if (x_.lit(warmup) != Lit::kString) return bad("{} warmup type must be a string", n);
    if (warmup.name != "none" && warmup.name != "exponential" && warmup.name != "simple") {
      return bad("{} warmup type must be one of: 'none' 'exponential' 'simple'", n);
    }
  }
  return transform_arg(n, *call.args[0], false);
}

Status FieldCompiler::integral(const Expr& call) {
  TSD_RETURN_IF_ERROR(count_between(call, "integral", 1, 2));
  if (call.args.size() == 2) {
    const Expr& unit = *call.args[1];
    if (x_.lit(unit) != Lit::kDuration) return bad("second argument must be a duration");
    if (unit.integer <= 0) {
      return bad("duration argument must be positive, got {}", influxql_duration(unit.integer));
    }
  }
  info_.only_selectors = false;
  return symbol("integral", *call.args[0]);
}

// holt_winters and holt_winters_with_fit: (aggregate, n, season).
Status FieldCompiler::holt_winters(const Expr& call) {
  const std::string& n = call.name;
  TSD_RETURN_IF_ERROR(count_exactly(call, n, 3));
  const Expr& points = *call.args[1];
  if (x_.lit(points) != Lit::kInteger)
    return bad("expected integer argument as second arg in {}", n);
  if (points.integer <= 0) {
    return bad("second arg to {} must be greater than 0, got {}", n, points.integer);
  }
  const Expr& season = *call.args[2];
  if (x_.lit(season) != Lit::kInteger)
    return bad("expected integer argument as third arg in {}", n);
  if (season.integer < 0)
    return bad("third arg to {} cannot be negative, got {}", n, season.integer);
  info_.only_selectors = false;
  const Expr& agg = *call.args[0];
  if (agg.kind != K::kCall) return bad("must use aggregate function with {}", n);
  if (info_.interval == 0) return bad("{} aggregate requires a GROUP BY interval", n);
  return nested(agg);
}

}  // namespace tsd::query
