// InfluxQL text from the syntax tree, as InfluxDB 1.6 renders it (its
// String() methods): what SHOW CONTINUOUS QUERIES prints, and what EXPLAIN
// and messages quote. Pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "query/ast.h"
#include "storage/catalog.h"

namespace tsd::query {

// Segments quoted where needed ("db"."rp".m, "a b", "select").
std::string quote_ident(const std::vector<std::string>& segments);
// 'text' with \\, \' and \n escaped.
std::string quote_string(const std::string& s);
// A duration literal: the largest unit that divides it ("90s", "1500ms",
// "2w", "0s"; below a millisecond in "u", truncated).
std::string render_duration(int64_t ns);
std::string render_expr(const Expr& e);
// Qualifies a measurement's database and RP as it is rendered (both may
// be empty on the way in).
using Qualify = std::function<void(std::string* db, std::string* rp)>;
std::string render_source(const Source& s, const Qualify* qualify = nullptr);
// With `qualify`, every source (subqueries' too) and the INTO target are
// rendered qualified (InfluxDB's normalised CQ text).
std::string render_select(const SelectStatement& st, const Qualify* qualify = nullptr);
// CREATE CONTINUOUS QUERY as InfluxDB stores it (SHOW CONTINUOUS QUERIES):
// its sources and INTO qualified by `qualify` (database and RP).
std::string render_continuous_query(const Statement& st, const Qualify& qualify);
// A statement as messages quote it (InfluxDB's String() of it): SELECT
// and EXPLAIN rendered from the tree, passwords as [REDACTED] (CREATE USER,
// SET PASSWORD), any other as written, its keywords in capitals and its
// runs of blanks one space.
std::string render_statement(const Statement& st);
// The DDL that makes database `db` with the RPs `rps` as they are (the
// default one first, when it is there), one statement a line, as the DDL
// section of `influx_inspect export` (which influx -import and tsd-write
// run):
//   CREATE DATABASE db WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
//   CREATE RETENTION POLICY rp ON db DURATION 4w REPLICATION 1 SHARD DURATION 1d
std::string render_ddl(const std::string& db, const std::vector<storage::RetentionPolicy>& rps);

}  // namespace tsd::query
