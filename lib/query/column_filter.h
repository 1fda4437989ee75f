// Field conditions compiled for columns: WHERE usage_user > 90 tested a
// column at a time, not by walking the expression for every row. Only the
// common shapes compile (see compile_column_filter); the caller evaluates
// anything else row by row with eval(), whose answers these equal.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "query/ast.h"
#include "storage/block.h"

namespace tsd::query {

struct ColumnFilter {
  enum class Kind : uint8_t { kTrue, kCompare, kAnd, kOr };
  Kind kind = Kind::kTrue;
  // kCompare: column `field` (float or integer) `op` a number.
  int field = -1;
  Tok op = Tok::kIllegal;
  bool literal_float = false;
  double f = 0;
  int64_t i = 0;
  std::vector<ColumnFilter> args;  // kAnd, kOr: two
};

// Compiles `cond` for the columns `cols` (field_index gives a field's
// column, or -1): comparisons (= != < <= > >=) of a float or integer field
// with a number literal, time comparisons (true: the read range applied
// them), AND, OR and parentheses. False for anything else.
bool compile_column_filter(const Expr& cond, const std::function<int(const std::string&)>& field_index,
                           const std::vector<storage::Column>& cols, ColumnFilter* out);

// Whether rows 0..n-1 of the aligned columns pass: (*pass)[k] is 0 or 1.
void apply_column_filter(const ColumnFilter& f, const std::vector<storage::Column>& cols, size_t n,
                         std::vector<uint8_t>* pass);

}  // namespace tsd::query
