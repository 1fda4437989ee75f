// The compile-time checks of a SELECT, after InfluxDB 1.6's query/compile.go
// (select_check.h). The statement-wide part: WHERE, GROUP BY, the fields
// together, subqueries. Each field's calls are select_check_fields.cc's.
#include "query/select_check.h"

#include "core/strings.h"
#include "core/time.h"
#include "query/eval.h"
#include "query/select_check_internal.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

// t - t.Truncate(d) as Go computes it: multiples of d counted from Go's
// zero time (January 1 of year 1), not from the Unix epoch.
int64_t truncate_offset(int64_t t, int64_t d) {
  if (d <= 0) return 0;
  constexpr __int128 kZeroToUnix = static_cast<__int128>(62135596800) * 1000000000;
  __int128 m = (static_cast<__int128>(t) + kZeroToUnix) % d;
  if (m < 0) m += d;
  return static_cast<int64_t>(m);
}

// The operator with its operands swapped (0 < time is time > 0).
Tok mirror(Tok op) {
  static constexpr Tok kFrom[] = {Tok::kGt, Tok::kLt, Tok::kGte, Tok::kLte};
  static constexpr Tok kTo[] = {Tok::kLt, Tok::kGt, Tok::kLte, Tok::kGte};
  for (int i = 0; i < 4; i++) {
    if (op == kFrom[i]) return kTo[i];
  }
  return op;
}

Zone zone_of(const SelectStatement& st) {
  auto z = Zone::load(st.tz);
  return z.ok() ? *z : Zone();
}

}  // namespace

Compilation::Compilation(const SelectStatement& st, int64_t now)
    : st_(st), now_(now), x_(now, zone_of(st)) {
  info_.ascending = !(st.order_by && st.descending);
}

// influxql's ConditionExpr: the condition without its time comparisons
// (null when nothing is left), each time comparison checked.
Result<ExprPtr> Compilation::condition(const Expr& e) {
  switch (e.kind) {
    case K::kBinary: {
      const Expr& lhs = *e.args[0];
      const Expr& rhs = *e.args[1];
      if (e.op == Tok::kAnd || e.op == Tok::kOr) {
        auto l = condition(lhs);
        if (!l.ok()) return l.status();
        auto r = condition(rhs);
        if (!r.ok()) return r.status();
        if (!*r) return l;
        if (!*l) return r;
        return x_.binary(e.op, std::move(*l), std::move(*r));
      }
      if (is_time_ref(lhs)) {
        TSD_RETURN_IF_ERROR(time_comparison(e.op, rhs));
        return ExprPtr();
      }
      if (is_time_ref(rhs)) {
        TSD_RETURN_IF_ERROR(time_comparison(mirror(e.op), lhs));
        return ExprPtr();
      }
      return x_.reduce(e, Fold::kNow);
    }
    case K::kParen: {
      auto in = condition(*e.args[0]);
      if (!in.ok() || !*in) return in;
      if ((*in)->kind != K::kBinary) return in;
      auto p = std::make_unique<Expr>(K::kParen);
      p->args.push_back(std::move(*in));
      return ExprPtr(std::move(p));
    }
    case K::kBoolean: return clone(e);
    default: return Status::invalid_argument("invalid condition expression: " + x_.str(e));
  }
}

// time <op> rhs (influxql's getTimeRange).
Status Compilation::time_comparison(Tok op, const Expr& rhs) {
  // A string as written is read as a time when it looks like one; a string
  // that reduces from an expression is not.
  Lit k = Lit::kNone;
  ExprPtr v;
  if (rhs.kind == K::kString) {
    auto t = time_value(rhs, now_, x_.zone());
    if (!t.ok() && t.status().message() == "invalid timestamp string") return t.status();
    if (t.ok()) k = Lit::kTime;
  }
  if (k == Lit::kNone) {
    v = x_.reduce(rhs, Fold::kNow);
    k = x_.lit(*v);
  }
  if (k != Lit::kTime && k != Lit::kDuration && k != Lit::kNumber && k != Lit::kInteger) {
    return Status::invalid_argument("invalid operation: time and " + x_.go_type(*v) +
                                    " are not compatible");
  }
  switch (op) {
    case Tok::kGt:
    case Tok::kGte:
    case Tok::kLt:
    case Tok::kLte:
    case Tok::kEq: return Status();
    default:
      return Status::invalid_argument("invalid time comparison operator: " +
                                      std::string(tok_name(op)));
  }
}

// compile.go's validateCondition: only math functions, with their counts.
Status Compilation::validate_condition(const Expr& e) {
  if (e.kind == K::kBinary) {
    TSD_RETURN_IF_ERROR(validate_condition(*e.args[0]));
    return validate_condition(*e.args[1]);
  }
  if (e.kind != K::kCall) return Status();
  if (!is_math_function(e.name)) {
    return Status::invalid_argument("invalid function call in condition: " + x_.str(e));
  }
  // As compile.go counts them here: log takes one.
  const size_t want = (e.name == "atan2" || e.name == "pow") ? 2 : 1;
  if (e.args.size() != want) {
    return Status::invalid_argument("invalid number of arguments for " + e.name + ", expected " +
                                    std::to_string(want) + ", got " +
                                    std::to_string(e.args.size()));
  }
  for (const auto& a : e.args) TSD_RETURN_IF_ERROR(validate_condition(*a));
  return Status();
}

// compileDimensions: tags, * and regexes, and one time(interval[, offset]).
Status Compilation::dimensions() {
  for (const auto& d : st_.dimensions) {
    ExprPtr e = x_.reduce(*d, Fold::kPlain);
    const Lit k = x_.lit(*e);
    switch (k == Lit::kNone || k == Lit::kRegex ? e->kind : K::kNumber) {
      case K::kVarRef:
        if (ascii_lower(e->name) == "time") {
          return Status::invalid_argument("time() is a function and expects at least one argument");
        }
        break;
      case K::kCall: TSD_RETURN_IF_ERROR(time_dimension(*e)); break;
      case K::kWildcard:
      case K::kRegex: break;
      default: return Status::invalid_argument("only time and tag dimensions allowed");
    }
    dims_.push_back(std::move(e));
  }
  return Status();
}

Status Compilation::time_dimension(Expr& call) {
  auto bad = [](const char* m) { return Status::invalid_argument(m); };
  if (call.name != "time") return bad("only time() calls allowed in dimensions");
  if (call.args.empty() || call.args.size() > 2) {
    return bad("time dimension expected 1 or 2 arguments");
  }
  if (x_.lit(*call.args[0]) != Lit::kDuration) {
    return bad("time dimension must have duration argument");
  }
  if (info_.interval != 0) return bad("multiple time dimensions not allowed");
  const int64_t interval = call.args[0]->integer;
  info_.interval = interval;
  if (call.args.size() == 1) return Status();
  const Expr& o = *call.args[1];
  switch (x_.lit(o)) {
    case Lit::kDuration:
      // Go divides by the interval: time(0s, 1s) panics in influxd.
      if (interval == 0) return bad("runtime error: integer divide by zero");
      info_.offset = o.integer % interval;
      return Status();
    case Lit::kTime: info_.offset = truncate_offset(o.integer, interval); return Status();
    case Lit::kString: {
      auto t = time_value(o, now_, x_.zone());
      if (!t.ok()) {
        if (t.status().message() == "invalid timestamp string") return t.status();
        return bad("time dimension offset must be duration or now()");
      }
      info_.offset = truncate_offset(*t, interval);
      // Compiles, but query.Prepare refuses it later (GroupByOffset).
      string_offset_ = x_.str(o);
      return Status();
    }
    default: break;
  }
  if (o.kind != K::kCall) return bad("time dimension offset must be duration or now()");
  if (o.name != "now") return bad("time dimension offset function must be now()");
  if (!o.args.empty()) return bad("time dimension offset now() function requires no arguments");
  info_.offset = truncate_offset(now_, interval);
  return Status();
}

// compile.go's preprocess: WHERE, then GROUP BY.
Status Compilation::preprocess() {
  if (st_.condition) {
    auto cond = condition(*st_.condition);
    if (!cond.ok()) return cond.status();
    if (*cond && (*cond)->kind == K::kParen) *cond = std::move((*cond)->args[0]);
    if (*cond) TSD_RETURN_IF_ERROR(validate_condition(**cond));
  }
  TSD_RETURN_IF_ERROR(dimensions());
  fill_ = st_.fill;
  return Status();
}

Status Compilation::compile() {
  for (const auto& f : st_.fields) {
    // SELECT time (any alias) is the time column: no field.
    if (f.expr->kind == K::kVarRef && f.expr->name == "time") {
      if (!f.alias.empty()) info_.time_alias = f.alias;
      continue;
    }
    ExprPtr e = x_.reduce(*f.expr, Fold::kMath);
    fields_++;
    FieldCompiler fc(this);
    TSD_RETURN_IF_ERROR(fc.expr(*e));
    reduced_.push_back(std::move(e));
  }
  TSD_RETURN_IF_ERROR(validate_fields());
  for (const auto& src : st_.sources) {
    if (src.subquery) TSD_RETURN_IF_ERROR(subquery(*src.subquery));
  }
  return Status();
}

// compile.go's validateFields: the fields together.
Status Compilation::validate_fields() {
  auto bad = [](std::string m) { return Status::invalid_argument(std::move(m)); };
  if (fields_ == 0) return bad("at least 1 non-time field must be queried");
  if (info_.function_calls > 1 && !info_.top_bottom.empty()) {
    return bad("selector function " + info_.top_bottom +
               "() cannot be combined with other functions");
  }
  if (info_.function_calls == 0) {
    if (fill_ == Fill::kNone) return bad("fill(none) must be used with a function");
    if (fill_ == Fill::kLinear) return bad("fill(linear) must be used with a function");
    if (info_.interval != 0 && !inherited_interval_) {
      return bad("GROUP BY requires at least one aggregate function");
    }
  }
  if (info_.has_distinct && (info_.function_calls != 1 || info_.has_auxiliary_fields)) {
    return bad(
        "aggregate function distinct() cannot be combined with other "
        "functions or fields");
  }
  if (info_.has_auxiliary_fields) {
    if (!info_.only_selectors)
      return bad("mixing aggregate and non-aggregate queries is not supported");
    if (info_.function_calls > 1) {
      return bad(
          "mixing multiple selector functions with tags or fields is "
          "not supported");
    }
  }
  return Status();
}

// A subquery compiles as a statement of its own that inherits the
// interval and the direction of this one.
Status Compilation::subquery(const SelectStatement& sub) {
  auto c = std::make_unique<Compilation>(sub, now_);
  TSD_RETURN_IF_ERROR(c->preprocess());
  if (sub.order_by && c->info_.ascending != info_.ascending) {
    return Status::invalid_argument(
        "subqueries must be ordered in the same direction as the query itself");
  }
  c->info_.ascending = info_.ascending;
  // A null fill becomes none: a subquery with time() and no call says
  // fill(none).
  if (c->info_.interval != 0 && c->fill_ == Fill::kNull) c->fill_ = Fill::kNone;
  if (info_.interval != 0 && c->info_.interval == 0) {
    c->info_.interval = info_.interval;
    c->info_.offset = info_.offset;
    c->inherited_interval_ = true;
  }
  TSD_RETURN_IF_ERROR(c->compile());
  subs_.push_back(std::move(c));
  return Status();
}

// What query.Prepare refuses before reading: an offset given as a time string.
Status Compilation::prepare() const {
  if (!string_offset_.empty()) {
    return Status::invalid_argument("invalid time dimension offset: " + string_offset_);
  }
  for (const auto& s : subs_) TSD_RETURN_IF_ERROR(s->prepare());
  return Status();
}

Result<SelectInfo> analyze_select(const SelectStatement& st, int64_t now) {
  Compilation c(st, now);
  TSD_RETURN_IF_ERROR(c.preprocess());
  TSD_RETURN_IF_ERROR(c.compile());
  TSD_RETURN_IF_ERROR(c.prepare());
  SelectInfo info = c.info();
  (void)time_range(st.condition.get(), now, zone_of(st), &info.time_range);
  if (info.interval != 0 && !info.time_range.has_max) info.time_range.max = now;
  return info;
}

Status check_select(const SelectStatement& st) { return analyze_select(st, now_ns()).status(); }

}  // namespace tsd::query
