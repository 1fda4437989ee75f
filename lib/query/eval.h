// Expression evaluation: InfluxDB 1.x's rules for values of mixed types.
//
// Used for WHERE conditions on rows and for the arithmetic of SELECT
// fields. The rules (influxql's ValuerEval): an operation between types
// that do not go together is null (a comparison of them is false); ints
// and floats mix as floats; integer division is float division in SELECT
// fields (not in conditions); division or modulo by zero is 0; booleans
// take AND, OR, bit operators, = and !=; strings =, !=, =~ and !~; a null
// beside a boolean counts as false. Comparisons with `time` are true here:
// the time range (condition.h) has already applied them.
// Regexes compile once per expression node with RE2 (linear time).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

#include "core/status.h"
#include "query/ast.h"
#include "query/result.h"

namespace tsd::query {

// Compiled regexes of an expression tree, keyed by node.
class Regexes {
 public:
  // The compiled regex of a kRegex node (invalid_argument when it does not compile).
  Result<const RE2*> get(const Expr& e);
  // Compiles every regex below `e`: the first error.
  Status compile_all(const Expr& e);
  // The pattern of a regex as written between slashes, "\/" made "/".
  static std::string pattern(const Expr& e);

 private:
  std::map<const Expr*, std::unique_ptr<RE2>> re_;
};

// Empty when `pattern` compiles; else Go's regexp error as InfluxDB
// reports it: "error parsing regexp: missing closing ]: `[`".
std::string regex_syntax_error(const std::string& pattern);

// Gives the value of a variable reference in the current row (null when absent).
class Valuer {
 public:
  virtual ~Valuer() = default;
  virtual Datum value(const Expr& ref) = 0;
};

// Whether e is the reference `time` (any case).
bool is_time_ref(const Expr& e);

struct EvalOptions {
  bool integer_float_division = true;  // SELECT fields: 5 / 2 = 2.5
};

Datum eval(const Expr& e, Valuer& v, Regexes& re, const EvalOptions& o = {});
// eval as a boolean: true only when the result is boolean true.
bool eval_bool(const Expr& e, Valuer& v, Regexes& re, const EvalOptions& o = {});
// l op r under the rules above.
Datum binary_op(Tok op, const Datum& l, const Datum& r, const EvalOptions& o);
// The math functions of InfluxDB 1.6 (abs, sin, ..., pow, atan2, log,
// round...): null when an argument is null or not a number.
bool is_math_function(std::string_view name);
Datum math_call(std::string_view name, const Datum* args, size_t n);

// A number's value as a double, when it is one.
bool as_double(const Datum& d, double* out);

}  // namespace tsd::query
