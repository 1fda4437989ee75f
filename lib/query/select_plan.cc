// The plan of a SELECT: its fields expanded and named (select.h).
#include <algorithm>

#include "query/select.h"
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

// The type of an expression for InfluxDB's type check of arithmetic:
// fields from the schema, literals by kind; unknown otherwise.
std::string type_of(const Expr& e, const Schema& s) {
  switch (e.kind) {
    case K::kVarRef: {
      auto it = s.fields.find(e.name);
      if (it != s.fields.end() && e.type != DataType::kTag) return std::string(field_type_name(it->second));
      return s.tags.count(e.name) ? "tag" : "";
    }
    case K::kString: return "string";
    case K::kBoolean: return "boolean";
    case K::kNumber: return "float";
    case K::kInteger: return "integer";
    case K::kParen: return type_of(*e.args[0], s);
    default: return "";
  }
}

bool is_arithmetic(Tok op) {
  return op == Tok::kAdd || op == Tok::kSub || op == Tok::kMul || op == Tok::kDiv ||
         op == Tok::kMod;
}

// The expression as influxql prints it in a type error: fields with ::type.
void annotate(Expr* e, const Schema& s) {
  if (e->kind == K::kVarRef && e->type == DataType::kUnknown) {
    auto it = s.fields.find(e->name);
    if (it != s.fields.end()) e->type = data_type(it->second);
  }
  for (auto& a : e->args) annotate(a.get(), s);
}

// InfluxDB's check of arithmetic on strings and booleans.
Status check_types(const Expr& e, const Schema& s) {
  if (e.kind == K::kBinary && is_arithmetic(e.op)) {
    std::string l = type_of(*e.args[0], s), r = type_of(*e.args[1], s);
    bool bad = [&](const std::string& t) { return t == "string" || t == "boolean"; }(l) ||
               ((r == "string" || r == "boolean") && !l.empty());
    if (bad && !l.empty() && !r.empty() && l != "tag" && r != "tag") {
      auto shown = clone(e);
      annotate(shown.get(), s);
      return Status::invalid_argument("type error: " + expr_string(*shown) +
                                      ": incompatible types: " + l + " and " + r);
    }
  }
  for (const auto& a : e.args) TSD_RETURN_IF_ERROR(check_types(*a, s));
  return Status();
}

}  // namespace

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
  for (const auto& f : fields) TSD_RETURN_IF_ERROR(check_types(*f.expr, schema));
  std::vector<const Expr*> calls;
  for (size_t i = 0; i < fields.size(); i++) {
    p.columns.push_back({cols[i], fields[i].expr.get()});
    collect_calls(*fields[i].expr, &calls);
    p.aggregate = p.aggregate || has_aggregate_call(*fields[i].expr);
    collect_refs(*fields[i].expr, schema, &p.field_refs);
    p.exprs.push_back(std::move(fields[i].expr));
  }
  if (st.condition) collect_refs(*st.condition, schema, &p.field_refs);
  if (calls.size() == 1 && function_kind(calls[0]->name) == FnKind::kSelector) {
    p.selector = calls[0];
  }
  return p;
}

}  // namespace tsd::query
