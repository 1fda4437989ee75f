// The InfluxQL syntax tree: expressions (statements come with the parser's
// next stages). One node type with a kind, as small and plain as the
// language: field and tag references, calls, operators, literals.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/scanner.h"

namespace tsd::query {

// The type a reference is cast to (field::integer, x::tag, *::field).
enum class DataType : uint8_t {
  kUnknown,
  kFloat,
  kInteger,
  kUnsigned,
  kString,
  kBoolean,
  kTag,
  kAnyField,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  enum class Kind : uint8_t {
    kVarRef,    // name (segments joined by '.'), type
    kCall,      // name (lower case), args
    kBinary,    // op, args[0] op args[1]
    kParen,     // args[0]
    kNumber,    // number
    kInteger,   // integer
    kUnsigned,  // uinteger (a literal over int64's range)
    kString,    // name
    kBoolean,   // boolean
    kDuration,  // integer (nanoseconds)
    kRegex,     // name (the pattern, as written between the slashes)
    kWildcard,  // type: kUnknown, kAnyField or kTag
    kDistinct,  // name (DISTINCT x without parentheses)
  };
  Kind kind;
  std::string name;
  DataType type = DataType::kUnknown;
  Tok op = Tok::kIllegal;
  double number = 0;
  int64_t integer = 0;
  uint64_t uinteger = 0;
  bool boolean = false;
  std::vector<ExprPtr> args;

  explicit Expr(Kind k) : kind(k) {}
};

// -- statements ---------------------------------------------------------------

struct SelectStatement;

// FROM m, "db"."rp"."m", "db".."m", rp./regex/, /regex/, or (SELECT ...).
struct Source {
  std::string db, rp, name;
  bool is_regex = false;
  std::string regex;  // the pattern, when is_regex
  std::unique_ptr<SelectStatement> subquery;
};

// INTO [db.][rp.]m, or [db.][rp.]:MEASUREMENT (name empty, back_reference).
struct Target {
  std::string db, rp, name;
  bool back_reference = false;
};

struct SelectField {
  ExprPtr expr;
  std::string alias;
};

enum class Fill : uint8_t { kNull, kNone, kPrevious, kLinear, kNumber };

struct SelectStatement {
  std::vector<SelectField> fields;
  std::unique_ptr<Target> target;
  std::vector<Source> sources;
  ExprPtr condition;                 // WHERE, or null
  std::vector<ExprPtr> dimensions;   // GROUP BY
  Fill fill = Fill::kNull;
  ExprPtr fill_value;                // fill(N): an integer or number literal
  bool order_by = false;             // ORDER BY given
  bool descending = false;           // ORDER BY time DESC
  int64_t limit = 0, offset = 0, slimit = 0, soffset = 0;
  std::string tz;                    // tz('...'), empty when not given
  bool is_raw = true;                // no call among the fields
};

struct Statement {
  enum class Kind : uint8_t { kSelect };
  Kind kind = Kind::kSelect;
  std::unique_ptr<SelectStatement> select;
};

}  // namespace tsd::query
