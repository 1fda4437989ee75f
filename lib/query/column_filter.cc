// Compiled field conditions (column_filter.h).
#include "query/column_filter.h"

#include "query/eval.h"

namespace tsd::query {

namespace {

using K = Expr::Kind;
using storage::Column;

bool is_compare(Tok op) {
  return op == Tok::kEq || op == Tok::kNeq || op == Tok::kLt || op == Tok::kLte || op == Tok::kGt ||
         op == Tok::kGte;
}

template <class T>
void compare_all(Tok op, const std::vector<T>& v, T lit, size_t n, uint8_t* out) {
  switch (op) {
    case Tok::kEq: for (size_t k = 0; k < n; k++) out[k] = v[k] == lit; break;
    case Tok::kNeq: for (size_t k = 0; k < n; k++) out[k] = v[k] != lit; break;
    case Tok::kLt: for (size_t k = 0; k < n; k++) out[k] = v[k] < lit; break;
    case Tok::kLte: for (size_t k = 0; k < n; k++) out[k] = v[k] <= lit; break;
    case Tok::kGt: for (size_t k = 0; k < n; k++) out[k] = v[k] > lit; break;
    default: for (size_t k = 0; k < n; k++) out[k] = v[k] >= lit; break;
  }
}

}  // namespace

bool compile_column_filter(const Expr& e, const std::function<int(const std::string&)>& field_index,
                           const std::vector<Column>& cols, ColumnFilter* out) {
  *out = ColumnFilter();
  if (e.kind == K::kParen) return compile_column_filter(*e.args[0], field_index, cols, out);
  if (e.kind != K::kBinary) return false;
  const Expr& l = *e.args[0];
  const Expr& r = *e.args[1];
  if (e.op == Tok::kAnd || e.op == Tok::kOr) {
    out->kind = e.op == Tok::kAnd ? ColumnFilter::Kind::kAnd : ColumnFilter::Kind::kOr;
    out->args.resize(2);
    return compile_column_filter(l, field_index, cols, &out->args[0]) &&
           compile_column_filter(r, field_index, cols, &out->args[1]);
  }
  if (!is_compare(e.op)) return false;
  if (is_time_ref(l) || is_time_ref(r)) return true;  // as eval(): the range did it
  // field op number, the field read as it is (not a tag, no cast to
  // another type).
  if (l.kind != K::kVarRef) return false;
  if (r.kind != K::kNumber && r.kind != K::kInteger) return false;
  int fi = field_index(l.name);
  if (fi < 0) return false;
  FieldType t = cols[static_cast<size_t>(fi)].type;
  if (t != FieldType::kFloat && t != FieldType::kInteger) return false;
  const DataType own = t == FieldType::kFloat ? DataType::kFloat : DataType::kInteger;
  if (l.type != DataType::kUnknown && l.type != own) return false;
  out->kind = ColumnFilter::Kind::kCompare;
  out->field = fi;
  out->op = e.op;
  out->literal_float = r.kind == K::kNumber;
  out->f = r.kind == K::kNumber ? r.number : static_cast<double>(r.integer);
  out->i = r.integer;
  return true;
}

void apply_column_filter(const ColumnFilter& f, const std::vector<Column>& cols, size_t n,
                         std::vector<uint8_t>* pass) {
  pass->assign(n, 1);
  switch (f.kind) {
    case ColumnFilter::Kind::kTrue:
      return;
    case ColumnFilter::Kind::kCompare: {
      // As binary_op: a float column against the number as a double, an
      // integer one as an integer against an integer, else as doubles.
      const Column& c = cols[static_cast<size_t>(f.field)];
      if (c.type == FieldType::kFloat) {
        compare_all(f.op, c.f, f.f, n, pass->data());
      } else if (!f.literal_float) {
        compare_all(f.op, c.i, f.i, n, pass->data());
      } else {
        std::vector<double> v(c.i.begin(), c.i.begin() + static_cast<std::ptrdiff_t>(n));
        compare_all(f.op, v, f.f, n, pass->data());
      }
      return;
    }
    default: {
      std::vector<uint8_t> other;
      apply_column_filter(f.args[0], cols, n, pass);
      apply_column_filter(f.args[1], cols, n, &other);
      const bool both = f.kind == ColumnFilter::Kind::kAnd;
      for (size_t k = 0; k < n; k++) (*pass)[k] = both ? ((*pass)[k] & other[k]) : ((*pass)[k] | other[k]);
      return;
    }
  }
}

}  // namespace tsd::query
