// The plan of a SELECT: its fields expanded and named (select.h).
#include <algorithm>

#include "query/select.h"
#include "query/eval.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

using K = Expr::Kind;

ExprPtr var_ref(const std::string& name, DataType type) {
  auto e = std::make_unique<Expr>(K::kVarRef);
  e->name = name;
  e->type = type;
  return e;
}

DataType data_type(FieldType t) {
  switch (t) {
    case FieldType::kFloat: return DataType::kFloat;
    case FieldType::kInteger: return DataType::kInteger;
    case FieldType::kUnsigned: return DataType::kUnsigned;
    case FieldType::kString: return DataType::kString;
    case FieldType::kBoolean: return DataType::kBoolean;
  }
  return DataType::kUnknown;
}

// Which field types a function takes when its argument is a wildcard.
bool takes(std::string_view fn, FieldType t) {
  if (fn == "count" || fn == "first" || fn == "last" || fn == "distinct" || fn == "mode" ||
      fn == "sample")
    return true;
  if ((fn == "max" || fn == "min") && t == FieldType::kBoolean) return true;
  return is_numeric(t);
}

// influxql's Field.Name(): the alias, a call's name, a reference's, or the
// names in a binary expression joined by '_'.
void binary_names(const Expr& e, std::vector<std::string>* out) {
  if (e.kind == K::kVarRef) {
    out->push_back(e.name);
    return;
  }
  if (e.kind == K::kCall) {
    out->push_back(e.name);
    return;
  }
  for (const auto& a : e.args) binary_names(*a, out);
}

std::string field_name(const Expr& e) {
  switch (e.kind) {
    case K::kCall: return e.name;
    case K::kVarRef: return e.name;
    case K::kParen: return field_name(*e.args[0]);
    case K::kBinary: {
      std::vector<std::string> names;
      binary_names(e, &names);
      std::string out;
      for (size_t i = 0; i < names.size(); i++) {
        if (i > 0) out += '_';
        out += names[i];
      }
      return out;
    }
    default:
      return "";
  }
}

bool has_aggregate_call(const Expr& e) {
  if (e.kind == K::kCall) {
    FnKind k = function_kind(e.name);
    if (k != FnKind::kMath && k != FnKind::kNone) return true;
  }
  for (const auto& a : e.args) {
    if (has_aggregate_call(*a)) return true;
  }
  return false;
}

void collect_calls(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == K::kCall && function_kind(e.name) != FnKind::kMath &&
      function_kind(e.name) != FnKind::kNone) {
    out->push_back(&e);
    return;
  }
  for (const auto& a : e.args) collect_calls(*a, out);
}

void collect_refs(const Expr& e, const Schema& s, std::set<std::string>* out) {
  if ((e.kind == K::kVarRef || e.kind == K::kDistinct) && e.type != DataType::kTag &&
      !is_time_ref(e) && s.fields.count(e.name))
    out->insert(e.name);
  for (const auto& a : e.args) collect_refs(*a, s, out);
}

struct Expanded {
  ExprPtr expr;
  std::string alias;
};

// Names of fields (and for raw wildcards tags) a wildcard or regex stands for.
void expand_names(const Expr* regex, DataType want, bool with_tags, const Schema& s,
                  const std::vector<std::string>& group_tags, Regexes& re,
                  std::vector<std::pair<std::string, DataType>>* out) {
  auto matches = [&](const std::string& name) {
    if (regex == nullptr) return true;
    auto r = re.get(*regex);
    return r.ok() && RE2::PartialMatch(name, **r);
  };
  if (want != DataType::kTag) {
    for (const auto& [name, t] : s.fields) {
      if (!with_tags && s.tag_columns.count(name)) continue;
      if (matches(name)) out->push_back({name, data_type(t)});
    }
  }
  if (with_tags && want != DataType::kAnyField) {
    for (const auto& name : s.tags) {
      if (std::find(group_tags.begin(), group_tags.end(), name) != group_tags.end()) continue;
      if (s.fields.count(name)) continue;
      if (matches(name)) out->push_back({name, DataType::kTag});
    }
  }
  std::sort(out->begin(), out->end());
}

// The expression as influxql prints it in a type error: fields with ::type,
// tags with ::tag.
void annotate(Expr* e, const Schema& s) {
  if (e->kind == K::kVarRef && e->type == DataType::kUnknown) e->type = schema_type(e->name, s);
  for (auto& a : e->args) annotate(a.get(), s);
}

// A value of type t as influxql's DataType.Zero() gives it (a tag has none).
Datum zero_of(DataType t) {
  switch (t) {
    case DataType::kFloat: return 0.0;
    case DataType::kInteger: return int64_t{0};
    case DataType::kUnsigned: return uint64_t{0};
    case DataType::kString: return std::string();
    case DataType::kBoolean: return false;
    default: return std::monostate{};
  }
}

// The type of a call's result, as influxd 1.6's FunctionTypeMapper and
// MathTypeMapper give it (mean is a float, count an integer, most others
// the type of their first argument).
DataType call_type(const std::string& n, const std::vector<DataType>& args) {
  if (n == "mean") return DataType::kFloat;
  if (n == "count" || n == "elapsed") return DataType::kInteger;
  static constexpr std::string_view kFloats[] = {
      "median", "integral", "stddev", "derivative", "non_negative_derivative", "moving_average",
      "exponential_moving_average", "double_exponential_moving_average",
      "triple_exponential_moving_average", "relative_strength_index",
      "triple_exponential_derivative", "kaufmans_efficiency_ratio",
      "kaufmans_adaptive_moving_average", "chande_momentum_oscillator", "holt_winters",
      "holt_winters_with_fit"};
  for (auto f : kFloats) {
    if (f == n) return DataType::kFloat;
  }
  DataType a0 = args.empty() ? DataType::kUnknown : args[0];
  if (a0 != DataType::kUnknown) return a0;
  // The math functions' own mapper, reached with an argument of unknown type.
  if (n == "abs" || n == "floor" || n == "ceil" || n == "round") return a0;
  if (is_math_function(n)) return DataType::kFloat;
  return DataType::kUnknown;
}

bool is_literal(const Expr& e) {
  return e.kind == K::kNumber || e.kind == K::kInteger || e.kind == K::kUnsigned ||
         e.kind == K::kString || e.kind == K::kBoolean || e.kind == K::kDuration;
}

Status type_error(const Expr& e, const Schema& s, const std::string& why) {
  auto shown = clone(e);
  annotate(shown.get(), s);
  return Status::invalid_argument("type error: " + expr_string(*shown) + ": " + why);
}

// influxql's TypeValuerEval over a SELECT field, as influxd's
// validateTypes runs it: the type of each operation found by evaluating it
// on the zero values of its operands' types; an operation that gives no
// value (float & integer, a tag + anything, string - string) is a type error.
Result<DataType> eval_type(const Expr& e, const Schema& s) {
  switch (e.kind) {
    case K::kVarRef:
      if (e.type != DataType::kUnknown && e.type != DataType::kAnyField) return e.type;
      return schema_type(e.name, s);
    case K::kParen: return eval_type(*e.args[0], s);
    case K::kNumber: return DataType::kFloat;
    case K::kInteger: return DataType::kInteger;
    case K::kUnsigned: return DataType::kUnsigned;
    case K::kString: return DataType::kString;
    case K::kBoolean: return DataType::kBoolean;
    case K::kCall: {
      std::vector<DataType> args;
      for (const auto& a : e.args) {
        auto t = eval_type(*a, s);
        if (!t.ok()) return t.status();
        args.push_back(*t);
      }
      return call_type(e.name, args);
    }
    case K::kBinary: {
      auto l = eval_type(*e.args[0], s);
      if (!l.ok()) return l.status();
      auto r = eval_type(*e.args[1], s);
      if (!r.ok()) return r.status();
      const std::string op(tok_name(e.op));
      bool lu = *l == DataType::kUnsigned && *r == DataType::kInteger;
      bool ru = *l == DataType::kInteger && *r == DataType::kUnsigned;
      if (lu || ru) {
        const Expr& lit = lu ? *e.args[0] : *e.args[1];
        const Expr& other = lu ? *e.args[1] : *e.args[0];
        if (is_literal(lit))
          return type_error(e, s, "cannot use " + op + " with an integer and unsigned literal");
        if (!is_literal(other))
          return type_error(e, s, "cannot use " + op +
                                      " between an integer and unsigned, an explicit cast is required");
      }
      if (*l == DataType::kUnknown) return *r;
      if (*r == DataType::kUnknown) return *l;
      EvalOptions o;
      o.integer_float_division = false;
      switch (binary_op(e.op, zero_of(*l), zero_of(*r), o).index()) {
        case 1: return DataType::kFloat;
        case 2: return DataType::kInteger;
        case 3: return DataType::kUnsigned;
        case 4: return DataType::kString;
        case 5: return DataType::kBoolean;
        default:
          return type_error(e, s, std::string("incompatible types: ") + data_type_name(*l) + " and " +
                                      data_type_name(*r));
      }
    }
    default: return DataType::kUnknown;
  }
}

}  // namespace

DataType schema_type(const std::string& name, const Schema& s) {
  auto it = s.fields.find(name);
  if (it != s.fields.end()) return data_type(it->second);
  return s.tags.count(name) ? DataType::kTag : DataType::kUnknown;
}

Result<Plan> make_plan(const SelectStatement& st, const Schema& schema,
                       const std::vector<std::string>& group_tags) {
  Plan p;
  Regexes re;
  std::vector<Expanded> fields;
  for (const auto& f : st.fields) {
    const Expr& e = *f.expr;
    if (is_time_ref(e)) continue;  // time is always the first column
    if (e.kind == K::kWildcard || e.kind == K::kRegex) {
      std::vector<std::pair<std::string, DataType>> names;
      expand_names(e.kind == K::kRegex ? &e : nullptr, e.type, true, schema, group_tags, re,
                   &names);
      // Fields keep each measurement's own type (no cast); tags are tags.
      for (auto& [n, t] : names) {
        fields.push_back({var_ref(n, t == DataType::kTag ? t : DataType::kUnknown), ""});
      }
      continue;
    }
    if (e.kind == K::kCall && !e.args.empty() &&
        (e.args[0]->kind == K::kWildcard || e.args[0]->kind == K::kRegex)) {
      std::vector<std::pair<std::string, DataType>> names;
      const Expr& arg = *e.args[0];
      expand_names(arg.kind == K::kRegex ? &arg : nullptr, DataType::kAnyField, false, schema,
                   group_tags, re, &names);
      for (auto& [n, t] : names) {
        if (!takes(e.name, schema.fields.at(n))) continue;
        auto c = clone(e);
        c->args[0] = var_ref(n, DataType::kUnknown);
        fields.push_back({std::move(c), e.name + "_" + n});
      }
      continue;
    }
    fields.push_back({clone(e), f.alias});
    // top(x, tag..., N) and bottom: a column for each tag named.
    if (e.kind == K::kCall && (e.name == "top" || e.name == "bottom") && e.args.size() > 2) {
      for (size_t i = 1; i + 1 < e.args.size(); i++) {
        if (e.args[i]->kind == K::kVarRef) fields.push_back({var_ref(e.args[i]->name, DataType::kTag), ""});
      }
    }
  }
  // Column names as influxql's ColumnNames(): aliases first, then
  // generated names with _1, _2... on conflicts.
  std::map<std::string, int> names;
  std::vector<std::string> cols(fields.size());
  for (size_t i = 0; i < fields.size(); i++) {
    if (!fields[i].alias.empty()) {
      cols[i] = fields[i].alias;
      names[cols[i]] = 1;
    }
  }
  for (size_t i = 0; i < fields.size(); i++) {
    if (!cols[i].empty()) continue;
    std::string name = field_name(*fields[i].expr);
    auto it = names.find(name);
    if (it != names.end()) {
      int count = it->second;
      while (true) {
        std::string r = name + "_" + std::to_string(count);
        if (!names.count(r)) {
          names[name] = count + 1;
          name = r;
          break;
        }
        count++;
      }
    }
    names[name]++;
    cols[i] = name;
  }
  for (const auto& f : fields) {
    auto t = eval_type(*f.expr, schema);
    if (!t.ok()) return t.status();
  }
  std::vector<const Expr*> calls;
  for (size_t i = 0; i < fields.size(); i++) {
    p.columns.push_back({cols[i], fields[i].expr.get()});
    collect_calls(*fields[i].expr, &calls);
    p.aggregate = p.aggregate || has_aggregate_call(*fields[i].expr);
    collect_refs(*fields[i].expr, schema, &p.field_refs);
    p.exprs.push_back(std::move(fields[i].expr));
  }
  if (st.condition) collect_refs(*st.condition, schema, &p.field_refs);
  // influxd counts a call written twice once (its symbol table is keyed
  // by the call's text): max(x), max(x) - 2 has the one selector.
  std::vector<std::string> keys;
  for (const Expr* c : calls) keys.push_back(expr_string(*c));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.size() == 1 && function_kind(calls[0]->name) == FnKind::kSelector) {
    p.selector = calls[0];
    p.selector_key = keys[0];
  }
  return p;
}

}  // namespace tsd::query
