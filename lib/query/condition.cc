// WHERE conditions (condition.h).
#include "query/condition.h"

#include <algorithm>

namespace tsd::query {
namespace {

using K = Expr::Kind;

std::string go_type(const Expr& e) {
  switch (e.kind) {
    case K::kVarRef: return "*influxql.VarRef";
    case K::kCall: return "*influxql.Call";
    case K::kBinary: return "*influxql.BinaryExpr";
    case K::kParen: return "*influxql.ParenExpr";
    case K::kNumber: return "*influxql.NumberLiteral";
    case K::kInteger: return "*influxql.IntegerLiteral";
    case K::kUnsigned: return "*influxql.UnsignedLiteral";
    case K::kString: return "*influxql.StringLiteral";
    case K::kBoolean: return "*influxql.BooleanLiteral";
    case K::kDuration: return "*influxql.DurationLiteral";
    case K::kRegex: return "*influxql.RegexLiteral";
    case K::kWildcard: return "*influxql.Wildcard";
    case K::kDistinct: return "*influxql.Distinct";
  }
  return "?";
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 'YYYY-MM-DD...' strings (influxql's date and date-time patterns).
bool is_time_string(std::string_view s) {
  return s.size() >= 10 && all_digits(s.substr(0, 4)) && s[4] == '-' &&
         all_digits(s.substr(5, 2)) && s[7] == '-' && all_digits(s.substr(8, 2)) &&
         (s.size() == 10 || s.size() > 11 || s.size() == 11);
}

Result<int64_t> parse_time_string(const std::string& s, const Zone& zone) {
  // RFC 3339 with its own offset is absolute; the lax forms are local times.
  bool has_offset = s.size() > 19 && (s.back() == 'Z' || s.find('+', 19) != std::string::npos ||
                                      s.find('-', 19) != std::string::npos);
  auto t = parse_rfc3339(s);
  if (!t.ok()) return Status::invalid_argument("invalid timestamp string");
  if (has_offset || zone.is_utc()) return *t;
  return zone.to_utc(*t);
}

struct TimeVal {
  enum { kTime, kNum } kind;
  int64_t v;
};

Result<TimeVal> reduce_time(const Expr& e, int64_t now, const Zone& zone) {
  switch (e.kind) {
    case K::kParen: return reduce_time(*e.args[0], now, zone);
    case K::kCall:
      if (e.name == "now" && e.args.empty()) return TimeVal{TimeVal::kTime, now};
      break;
    case K::kInteger: return TimeVal{TimeVal::kNum, e.integer};
    case K::kDuration: return TimeVal{TimeVal::kNum, e.integer};
    case K::kNumber: return TimeVal{TimeVal::kNum, static_cast<int64_t>(e.number)};
    case K::kString:
      if (is_time_string(e.name)) {
        auto t = parse_time_string(e.name, zone);
        if (!t.ok()) return t.status();
        return TimeVal{TimeVal::kTime, *t};
      }
      break;
    case K::kBinary:
      if (e.op == Tok::kAdd || e.op == Tok::kSub) {
        auto l = reduce_time(*e.args[0], now, zone);
        auto r = reduce_time(*e.args[1], now, zone);
        if (l.ok() && r.ok()) {
          int64_t v = e.op == Tok::kAdd ? l->v + r->v : l->v - r->v;
          auto kind = (l->kind == TimeVal::kTime || r->kind == TimeVal::kTime) ? TimeVal::kTime
                                                                             : TimeVal::kNum;
          return TimeVal{kind, v};
        }
      }
      break;
    default:
      break;
  }
  return Status::invalid_argument("invalid operation: time and " + go_type(e) +
                                  " are not compatible");
}

Tok flip(Tok op) {
  switch (op) {
    case Tok::kGt: return Tok::kLt;
    case Tok::kLt: return Tok::kGt;
    case Tok::kGte: return Tok::kLte;
    case Tok::kLte: return Tok::kGte;
    default: return op;
  }
}

const char* op_text(Tok op) {
  switch (op) {
    case Tok::kNeq: return "!=";
    case Tok::kEqRegex: return "=~";
    case Tok::kNeqRegex: return "!~";
    case Tok::kAdd: return "+";
    case Tok::kSub: return "-";
    case Tok::kMul: return "*";
    case Tok::kDiv: return "/";
    default: return "?";
  }
}

Status narrow(Tok op, const Expr& rhs, int64_t now, const Zone& zone, TimeRange* tr) {
  auto v = time_value(rhs, now, zone);
  if (!v.ok()) return v.status();
  int64_t t = *v;
  auto set_min = [&](int64_t m) {
    if (!tr->has_min || m > tr->min) tr->min = m;
    tr->has_min = true;
  };
  auto set_max = [&](int64_t m) {
    if (!tr->has_max || m < tr->max) tr->max = m;
    tr->has_max = true;
  };
  switch (op) {
    case Tok::kGt: set_min(t + 1); break;
    case Tok::kGte: set_min(t); break;
    case Tok::kLt: set_max(t - 1); break;
    case Tok::kLte: set_max(t); break;
    case Tok::kEq: set_min(t); set_max(t); break;
    default:
      return Status::invalid_argument(std::string("invalid time comparison operator: ") +
                                      op_text(op));
  }
  return Status();
}

Status walk(const Expr& e, int64_t now, const Zone& zone, TimeRange* tr) {
  if (e.kind == K::kParen) return walk(*e.args[0], now, zone, tr);
  if (e.kind != K::kBinary) return Status();
  if (e.op == Tok::kAnd || e.op == Tok::kOr) {
    TSD_RETURN_IF_ERROR(walk(*e.args[0], now, zone, tr));
    return walk(*e.args[1], now, zone, tr);
  }
  if (is_time_ref(*e.args[0])) return narrow(e.op, *e.args[1], now, zone, tr);
  if (is_time_ref(*e.args[1])) return narrow(flip(e.op), *e.args[0], now, zone, tr);
  return Status();
}

bool refers_to_field(const Expr& e, const TagScope& scope) {
  if (e.kind == K::kVarRef) {
    if (e.type == DataType::kTag) return false;
    if (e.type != DataType::kUnknown) return true;
    return scope.is_field && scope.is_field(e.name);
  }
  for (const auto& a : e.args) {
    if (refers_to_field(*a, scope)) return true;
  }
  return false;
}

// Whether the series index answers a comparison: a reference with a
// string, a regex or another reference.
bool index_answers(const Expr& e) {
  const auto operand = [](const Expr& x) {
    return x.kind == K::kString || x.kind == K::kRegex || x.kind == K::kVarRef;
  };
  const Expr& l = *e.args[0];
  const Expr& r = *e.args[1];
  return (l.kind == K::kVarRef && operand(r)) || (r.kind == K::kVarRef && operand(l));
}

class TagValuer : public Valuer {
 public:
  explicit TagValuer(const TagScope& s) : s_(s) {}
  Datum value(const Expr& ref) override { return std::string(s_.tag(ref.name)); }

 private:
  const TagScope& s_;
};

}  // namespace

Result<int64_t> time_value(const Expr& e, int64_t now, const Zone& zone) {
  auto v = reduce_time(e, now, zone);
  if (!v.ok()) return v.status();
  return v->v;
}

bool has_time_condition(const Expr* e) {
  if (e == nullptr) return false;
  if (e->kind == K::kParen) return has_time_condition(e->args[0].get());
  if (e->kind != K::kBinary) return false;
  if (e->op == Tok::kAnd || e->op == Tok::kOr) {
    return has_time_condition(e->args[0].get()) || has_time_condition(e->args[1].get());
  }
  return is_time_ref(*e->args[0]) || is_time_ref(*e->args[1]);
}

Status time_range(const Expr* cond, int64_t now, const Zone& zone, TimeRange* out) {
  *out = TimeRange();
  if (cond == nullptr) return Status();
  return walk(*cond, now, zone, out);
}

Truth eval_on_tags(const Expr& e, const TagScope& scope, Regexes& re) {
  if (e.kind == K::kParen) return eval_on_tags(*e.args[0], scope, re);
  if (e.kind == K::kBinary && (e.op == Tok::kAnd || e.op == Tok::kOr)) {
    Truth l = eval_on_tags(*e.args[0], scope, re);
    if (e.op == Tok::kAnd && l == Truth::kFalse) return l;
    if (e.op == Tok::kOr && l == Truth::kTrue) return l;
    Truth r = eval_on_tags(*e.args[1], scope, re);
    if (e.op == Tok::kAnd) {
      if (r == Truth::kFalse) return r;
      return l == Truth::kTrue && r == Truth::kTrue ? Truth::kTrue : Truth::kUnknown;
    }
    if (r == Truth::kTrue) return r;
    return l == Truth::kFalse && r == Truth::kFalse ? Truth::kFalse : Truth::kUnknown;
  }
  if (e.kind == K::kBinary && (is_time_ref(*e.args[0]) || is_time_ref(*e.args[1])))
    return Truth::kTrue;
  if (e.kind == K::kBoolean) return e.boolean ? Truth::kTrue : Truth::kFalse;
  if (refers_to_field(e, scope)) return Truth::kUnknown;
  if (scope.index_reading && e.kind == K::kBinary && !index_answers(e)) return Truth::kUnknown;
  if (scope.index_reading && e.kind == K::kBinary && e.args[0]->kind == K::kVarRef &&
      e.args[1]->kind == K::kVarRef) {
    // The index reads `a = b` as "has both tags", anything else as "has
    // a, not b".
    const bool a = !scope.tag(e.args[0]->name).empty(), b = !scope.tag(e.args[1]->name).empty();
    return (e.op == Tok::kEq ? a && b : a && !b) ? Truth::kTrue : Truth::kFalse;
  }
  TagValuer v(scope);
  return eval_bool(e, v, re, EvalOptions{false}) ? Truth::kTrue : Truth::kFalse;
}

bool tags_match(const Expr* cond, const std::vector<Tag>& tags, Regexes& re) {
  if (cond == nullptr) return true;
  TagScope scope;
  scope.tag = [&](std::string_view key) -> std::string_view {
    auto it = std::lower_bound(tags.begin(), tags.end(), key,
                               [](const Tag& t, std::string_view k) { return t.key < k; });
    return it != tags.end() && it->key == key ? std::string_view(it->value)
                                                : std::string_view();
  };
  return eval_on_tags(*cond, scope, re) == Truth::kTrue;
}

}  // namespace tsd::query
