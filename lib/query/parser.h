// The InfluxQL parser: expressions, SELECT and every other statement of
// InfluxDB 1.6 (SHOW, CREATE, DROP, ALTER, DELETE, EXPLAIN, users and
// grants), its errors worded as InfluxDB 1.6 words them (influxql v1.0):
//   "found X, expected A, B at line L, char C" (X the token's text, else
//   its name; L and C from 1), or "<message> at line L, char C".
// The caller adds "error parsing query: " as InfluxDB's /query does, and
// trims the query's surrounding whitespace first as influxd does (the
// positions of errors at the end depend on it).
// Operators bind as InfluxDB's do (OR < AND < comparisons < + - | ^ <
// * / % &, left to right); a unary minus folds into numbers and durations
// and makes -x into -1 * x. Regexes are kept as written: compiling them
// (RE2) is the planner's.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <map>
#include <vector>

#include "core/status.h"
#include "query/ast.h"
#include "query/scanner.h"

namespace tsd::query {

// "found X, expected A, B at line L, char C".
Status parse_error(std::string_view found, const std::vector<std::string>& expected, Pos pos);
// "<message> at line L, char C".
Status parse_error(std::string_view message, Pos pos);

// An InfluxQL duration ("10s", "1h30m", "2w", "-5m"; units ns u µ ms s m
// h d w) in nanoseconds; "invalid duration" or InfluxDB's overflow message.
Result<int64_t> parse_duration(std::string_view text);

// A bound parameter's value ($name in a query, /query's params=): what
// influxd 1.6 makes of a JSON value (integers as integers).
// A value that cannot be bound (null, an array, an object) keeps Go's
// name of its type, for the error when the query uses it.
struct Unbindable {
  std::string go_type;
};
using BoundValue = std::variant<double, int64_t, std::string, bool, Unbindable>;
using BoundParams = std::map<std::string, BoundValue, std::less<>>;
// A params= JSON object; invalid_argument with the reason when it is not
// one, or a value is not a string, number or boolean.
Result<BoundParams> parse_bound_params(std::string_view json);

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), s_(text) {}
  // The values of $name (none given: "missing parameter: name").
  void set_params(const BoundParams* params) { params_ = params; }

  // Statements separated by ';' to the end of the text.
  Result<std::vector<Statement>> parse_query();
  Result<Statement> parse_statement();
  Result<ExprPtr> parse_expr();
  // A field or tag reference: up to three dotted segments and a ::type.
  Result<ExprPtr> parse_var_ref();
  // The next token that is neither whitespace nor a comment.
  Token scan_ignore_ws();

 private:
  Token scan();
  void unscan() { n_++; }
  // The next rune of the text (the parser peeks only with no token unscanned).
  char32_t peek_rune() { return s_.peek(); }
  Result<ExprPtr> parse_unary();
  [[gnu::noinline]] Result<ExprPtr> parse_paren();
  [[gnu::noinline]] Result<ExprPtr> parse_operand(Token t);
  [[gnu::noinline]] Result<ExprPtr> parse_distinct();
  [[gnu::noinline]] Result<ExprPtr> parse_wildcard();
  [[gnu::noinline]] Result<ExprPtr> parse_literal(Token& t);
  [[gnu::noinline]] Result<ExprPtr> parse_signed(bool negative);
  Result<ExprPtr> parse_call(std::string name);
  // A regex if one starts at the next rune (after whitespace), else null.
  Result<ExprPtr> parse_regex();
  Result<std::string> parse_ident();
  Result<std::vector<std::string>> parse_segmented_idents();
  // What a statement's INTO must be: required (continuous queries), may
  // be given, or may not (subqueries: InfluxDB parses it anyway).
  enum class TargetRule { kRequired, kOptional, kSubquery };
  Result<std::unique_ptr<SelectStatement>> parse_select(TargetRule rule);
  Status parse_fields(SelectStatement* st);
  Status parse_target(TargetRule rule, SelectStatement* st);
  Status parse_sources(bool subqueries, std::vector<Source>* out);
  Status parse_source(bool subqueries, Source* src);
  // GROUP BY / ORDER BY: whether `first` comes next (then BY must follow).
  Result<bool> parse_by_clause(Tok first);
  Status parse_dimensions(SelectStatement* st);
  // fill(...) or tz(...) when the next token is that name, else null.
  Result<ExprPtr> parse_clause_call(std::string_view name);
  Status parse_fill(SelectStatement* st);
  Status parse_order_by(SelectStatement* st);
  Status parse_tz(SelectStatement* st);
  // `tok` then an integer, when `tok` comes next.
  Status parse_optional_int(Tok tok, int64_t* out);
  // The next tokens must be these (after whitespace).
  Status expect(std::initializer_list<Tok> toks);

  // -- the other statements (parser_meta.cc, parser_show.cc) ---------------
  // After the statement's first keyword(s); InfluxDB's parse tree lists
  // the keywords allowed at each step in its errors, in this order.
  Result<Tok> parse_choice(std::initializer_list<Tok> toks);
  // Every statement but SELECT, after its first keyword.
  Result<Statement> parse_meta_statement(Tok first);
  Result<Statement> parse_alter();
  Result<Statement> parse_show();
  Result<Statement> parse_show_index(Statement::Kind kind);
  Result<Statement> parse_show_cardinality(Statement::Kind kind, bool exact);
  Result<Statement> parse_create();
  Result<Statement> parse_drop();
  Result<Statement> parse_grant_revoke(bool grant);
  Result<Statement> parse_explain();
  Status parse_create_database(MetaStatement* m);
  Status parse_retention_policy(bool create, MetaStatement* m);
  Status parse_continuous_query(Statement* st);
  Status parse_resample(MetaStatement* m);
  Status parse_series_target(MetaStatement* m);  // DROP SERIES, DELETE
  Status parse_subscription(bool create, MetaStatement* m);
  Status parse_create_user(MetaStatement* m);
  // Optional clauses: ON db, FROM sources, WHERE condition, WITH KEY.
  Status parse_on(MetaStatement* m);
  Status parse_from(MetaStatement* m);
  Status parse_condition(ExprPtr* out);
  Status parse_tag_key_expr(MetaStatement* m);
  // ORDER BY, LIMIT, OFFSET (and SLIMIT, SOFFSET when `series`) of SHOW.
  Status parse_show_tail(bool order_by, bool series, MetaStatement* m);
  // Values: an integer in [min, max]; an unsigned integer; a duration
  // (DURATIONVAL or INF, 0); a 'string'.
  Status parse_int_in(int64_t min, int64_t max, int64_t* out);
  Status parse_uint(uint64_t* out);
  Status parse_duration_value(int64_t* out);
  Status parse_string(std::string* out);
  Status parse_ident_to(std::string* out);
  // name ON db, into name and db.
  Status parse_name_on(MetaStatement* m);
  // SHARD's DURATION d (not INF).
  Status parse_shard_duration(MetaStatement* m);

  // Parentheses, calls, signs and subqueries recurse: a bound keeps a
  // statement of a million '(' from overflowing the stack (InfluxDB's Go
  // stacks grow instead). enter() counts a level (an error past the
  // bound); a Leave made before it gives the level back.
  static constexpr int kMaxDepth = 2000;
  static constexpr uintptr_t kMaxStackBytes = 6 << 20;
  int depth_ = 0;
  uintptr_t stack_top_ = 0;
  Status enter();
  struct Leave {
    int* d;
    explicit Leave(int* p) : d(p) {}
    ~Leave() { --*d; }
  };
  std::string_view text_;
  const BoundParams* params_ = nullptr;
  Scanner s_;
  Token buf_[3];
  int i_ = 0;  // the last token read
  int n_ = 0;  // tokens unscanned
};

}  // namespace tsd::query
