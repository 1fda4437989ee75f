// The InfluxQL syntax tree: expressions (one node type with a kind, as
// small and plain as the language: field and tag references, calls,
// operators, literals), SELECT statements, and the other statements.
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

// A deep copy of an expression.
inline ExprPtr clone(const Expr& e) {
  auto c = std::make_unique<Expr>(e.kind);
  c->name = e.name;
  c->type = e.type;
  c->op = e.op;
  c->number = e.number;
  c->integer = e.integer;
  c->uinteger = e.uinteger;
  c->boolean = e.boolean;
  for (const auto& a : e.args) c->args.push_back(clone(*a));
  return c;
}

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

// Every statement but SELECT, one plain struct as the language is plain:
// each kind uses the members its grammar has (see Statement::Kind).
struct MetaStatement {
  std::string name;  // the database, RP, CQ, user or measurement the statement names
  std::string db;    // ON db ("" when not given)
  std::vector<Source> sources;      // FROM; WITH MEASUREMENT = m | =~ /re/ (one source)
  ExprPtr condition;                // WHERE, or null
  std::vector<ExprPtr> dimensions;  // GROUP BY (the CARDINALITY forms)
  // WITH KEY op: = and != name keys[0], IN lists keys, =~ and !~ a regex.
  Tok key_op = Tok::kIllegal;
  std::vector<std::string> keys;
  std::string key_regex;
  int64_t limit = 0, offset = 0, slimit = 0, soffset = 0;
  bool exact = false;    // EXACT CARDINALITY
  bool analyze = false;  // EXPLAIN ANALYZE
  // Retention policy options (CREATE/ALTER RP, CREATE DATABASE WITH);
  // -1: not given. A duration of 0 is INF.
  int64_t duration = -1, replication = -1, shard_duration = -1;
  bool make_default = false;
  std::string rp_name;  // CREATE DATABASE ... WITH NAME, CREATE/DROP SUBSCRIPTION's RP
  int64_t resample_every = 0, resample_for = 0;  // CREATE CONTINUOUS QUERY
  std::string password;  // CREATE USER, SET PASSWORD
  Tok privilege = Tok::kIllegal;  // GRANT/REVOKE: kRead, kWrite or kAll
  bool admin = false;   // CREATE USER WITH ALL PRIVILEGES; GRANT/REVOKE ALL without ON
  std::string module;   // SHOW STATS/DIAGNOSTICS FOR 'module'; KILL QUERY's ON host
  uint64_t id = 0;      // KILL QUERY, DROP SHARD
  std::string mode;     // CREATE SUBSCRIPTION: ALL or ANY
  std::vector<std::string> destinations;
};

struct Statement {
  enum class Kind : uint8_t {
    kSelect,
    kExplain,  // select, meta (analyze)
    kShowDatabases,
    kShowMeasurements,
    kShowSeries,
    kShowTagKeys,
    kShowTagValues,
    kShowFieldKeys,
    kShowRetentionPolicies,
    kShowContinuousQueries,
    kShowShards,
    kShowShardGroups,
    kShowMeasurementCardinality,
    kShowSeriesCardinality,
    kShowTagKeyCardinality,
    kShowTagValuesCardinality,
    kShowFieldKeyCardinality,
    kShowUsers,
    kShowGrants,
    kShowStats,
    kShowDiagnostics,
    kShowQueries,
    kShowSubscriptions,
    kCreateDatabase,
    kDropDatabase,
    kCreateRetentionPolicy,
    kAlterRetentionPolicy,
    kDropRetentionPolicy,
    kDropMeasurement,
    kDropSeries,
    kDelete,
    kDropShard,
    kCreateContinuousQuery,  // select (with INTO), meta
    kDropContinuousQuery,
    kCreateSubscription,
    kDropSubscription,
    kCreateUser,
    kDropUser,
    kSetPassword,
    kGrant,
    kRevoke,
    kKillQuery,
  };
  Kind kind = Kind::kSelect;
  std::unique_ptr<SelectStatement> select;
  std::unique_ptr<MetaStatement> meta;
  // The statement as written, up to the ';' or the end that follows it
  // (comments included; Parser::parse_query sets it): what messages
  // quote, see render_statement.
  std::string text;

  // A statement of `k` with an empty MetaStatement.
  static Statement of(Kind k) {
    Statement st;
    st.kind = k;
    st.meta = std::make_unique<MetaStatement>();
    return st;
  }
};

}  // namespace tsd::query
