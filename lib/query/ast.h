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

}  // namespace tsd::query
