// The InfluxQL parser: CREATE, DROP, ALTER, DELETE, EXPLAIN, users,
// grants and the values they take (parser.h).
#include <algorithm>
#include <charconv>

#include "query/parser.h"
#include "query/render.h"

namespace tsd::query {
namespace {

using K = Statement::Kind;

// Go's strconv message for digits past the type's range.
Status out_of_range(std::string_view fn, const Token& t) {
  return parse_error("strconv." + std::string(fn) + ": parsing \"" + t.lit +
                         "\": value out of range",
                     t.pos);
}

// The GROUP BY time() interval of a SELECT: 0 when there is none; an
// error when time() is malformed (InfluxDB's GroupByInterval).
Result<int64_t> group_by_interval(const SelectStatement& st) {
  for (const auto& d : st.dimensions) {
    if (d->kind != Expr::Kind::kCall || d->name != "time") continue;
    if (d->args.empty() || d->args.size() > 2) {
      return Status::invalid_argument("time dimension expected 1 or 2 arguments");
    }
    if (d->args[0]->kind != Expr::Kind::kDuration) {
      return Status::invalid_argument("time dimension must have duration argument");
    }
    return d->args[0]->integer;
  }
  return int64_t{0};
}

}  // namespace

Status Parser::parse_int_in(int64_t min, int64_t max, int64_t* out) {
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kInteger) return parse_error(tok_str(t), {"integer"}, t.pos);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(t.lit.data(), t.lit.data() + t.lit.size(), n);
  if (ec != std::errc() || p != t.lit.data() + t.lit.size()) return out_of_range("Atoi", t);
  if (n < min || n > max) {
    return parse_error("invalid value " + std::to_string(n) + ": must be " +
                           std::to_string(min) + " <= n <= " + std::to_string(max),
                       t.pos);
  }
  *out = n;
  return Status();
}

Status Parser::parse_uint(uint64_t* out) {
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kInteger) return parse_error(tok_str(t), {"integer"}, t.pos);
  auto [p, ec] = std::from_chars(t.lit.data(), t.lit.data() + t.lit.size(), *out);
  if (ec != std::errc() || p != t.lit.data() + t.lit.size()) return out_of_range("ParseUint", t);
  return Status();
}

Status Parser::parse_duration_value(int64_t* out) {
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kInf) {
    *out = 0;
    return Status();
  }
  if (t.tok != Tok::kDuration) return parse_error(tok_str(t), {"duration"}, t.pos);
  auto d = parse_duration(t.lit);
  if (!d.ok()) return parse_error(d.status().message(), t.pos);
  *out = *d;
  return Status();
}

Status Parser::parse_ident_to(std::string* out) {
  auto id = parse_ident();
  if (!id.ok()) return id.status();
  *out = std::move(*id);
  return Status();
}

Status Parser::parse_name_on(MetaStatement* m) {
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->name));
  TSD_RETURN_IF_ERROR(expect({Tok::kOn}));
  return parse_ident_to(&m->db);
}

Status Parser::parse_shard_duration(MetaStatement* m) {
  TSD_RETURN_IF_ERROR(expect({Tok::kDurationKw}));
  Token inf = scan_ignore_ws();
  if (inf.tok == Tok::kInf) return parse_error("invalid duration INF for shard duration", inf.pos);
  unscan();
  return parse_duration_value(&m->shard_duration);
}

Status Parser::parse_string(std::string* out) {
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kString) return parse_error(tok_str(t), {"string"}, t.pos);
  *out = std::move(t.lit);
  return Status();
}

Result<Statement> Parser::parse_create() {
  auto t = parse_choice(
      {Tok::kContinuous, Tok::kDatabase, Tok::kUser, Tok::kRetention, Tok::kSubscription});
  if (!t.ok()) return t.status();
  switch (*t) {
    case Tok::kContinuous: {
      TSD_RETURN_IF_ERROR(expect({Tok::kQuery}));
      Statement st = Statement::of(K::kCreateContinuousQuery);
      TSD_RETURN_IF_ERROR(parse_continuous_query(&st));
      return st;
    }
    case Tok::kDatabase: {
      Statement st = Statement::of(K::kCreateDatabase);
      TSD_RETURN_IF_ERROR(parse_create_database(st.meta.get()));
      return st;
    }
    case Tok::kUser: {
      Statement st = Statement::of(K::kCreateUser);
      TSD_RETURN_IF_ERROR(parse_create_user(st.meta.get()));
      return st;
    }
    case Tok::kRetention: {
      TSD_RETURN_IF_ERROR(expect({Tok::kPolicy}));
      Statement st = Statement::of(K::kCreateRetentionPolicy);
      TSD_RETURN_IF_ERROR(parse_retention_policy(true, st.meta.get()));
      return st;
    }
    default: {
      Statement st = Statement::of(K::kCreateSubscription);
      TSD_RETURN_IF_ERROR(parse_subscription(true, st.meta.get()));
      return st;
    }
  }
}

Result<Statement> Parser::parse_drop() {
  auto t = parse_choice({Tok::kContinuous, Tok::kDatabase, Tok::kMeasurement, Tok::kRetention,
                         Tok::kSeries, Tok::kShard, Tok::kSubscription, Tok::kUser});
  if (!t.ok()) return t.status();
  // DROP <kind> name.
  auto named = [&](K kind) -> Result<Statement> {
    Statement st = Statement::of(kind);
    TSD_RETURN_IF_ERROR(parse_ident_to(&st.meta->name));
    return st;
  };
  switch (*t) {
    case Tok::kContinuous: {
      TSD_RETURN_IF_ERROR(expect({Tok::kQuery}));
      Statement st = Statement::of(K::kDropContinuousQuery);
      TSD_RETURN_IF_ERROR(parse_name_on(st.meta.get()));
      return st;
    }
    case Tok::kDatabase: return named(K::kDropDatabase);
    case Tok::kMeasurement: return named(K::kDropMeasurement);
    case Tok::kUser: return named(K::kDropUser);
    case Tok::kRetention: {
      TSD_RETURN_IF_ERROR(expect({Tok::kPolicy}));
      Statement st = Statement::of(K::kDropRetentionPolicy);
      TSD_RETURN_IF_ERROR(parse_retention_policy(false, st.meta.get()));
      return st;
    }
    case Tok::kSeries: {
      Statement st = Statement::of(K::kDropSeries);
      TSD_RETURN_IF_ERROR(parse_series_target(st.meta.get()));
      return st;
    }
    case Tok::kShard: {
      Statement st = Statement::of(K::kDropShard);
      TSD_RETURN_IF_ERROR(parse_uint(&st.meta->id));
      return st;
    }
    default: {
      Statement st = Statement::of(K::kDropSubscription);
      TSD_RETURN_IF_ERROR(parse_subscription(false, st.meta.get()));
      return st;
    }
  }
}

// name [WITH [DURATION d] [REPLICATION n] [SHARD DURATION d] [NAME rp]]
Status Parser::parse_create_database(MetaStatement* m) {
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->name));
  if (scan_ignore_ws().tok != Tok::kWith) {
    unscan();
    return Status();
  }
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kDurationKw && t.tok != Tok::kName && t.tok != Tok::kReplication &&
      t.tok != Tok::kShard) {
    return parse_error(tok_str(t), {"DURATION", "NAME", "REPLICATION", "SHARD"}, t.pos);
  }
  unscan();
  // Each option may follow in this order only.
  auto option = [&](Tok tok) {
    if (scan_ignore_ws().tok == tok) return true;
    unscan();
    return false;
  };
  if (option(Tok::kDurationKw)) TSD_RETURN_IF_ERROR(parse_duration_value(&m->duration));
  if (option(Tok::kReplication)) {
    TSD_RETURN_IF_ERROR(parse_int_in(1, INT32_MAX, &m->replication));
  }
  if (option(Tok::kShard)) {
    TSD_RETURN_IF_ERROR(expect({Tok::kDurationKw}));
    TSD_RETURN_IF_ERROR(parse_duration_value(&m->shard_duration));
  }
  if (option(Tok::kName)) {
    TSD_RETURN_IF_ERROR(parse_ident_to(&m->rp_name));
  }
  return Status();
}

// CREATE: rp ON db DURATION d REPLICATION n [SHARD DURATION d] [DEFAULT];
// DROP: rp ON db. The RP's name goes to `name`.
Status Parser::parse_retention_policy(bool create, MetaStatement* m) {
  TSD_RETURN_IF_ERROR(parse_name_on(m));
  if (!create) return Status();
  TSD_RETURN_IF_ERROR(expect({Tok::kDurationKw}));
  TSD_RETURN_IF_ERROR(parse_duration_value(&m->duration));
  TSD_RETURN_IF_ERROR(expect({Tok::kReplication}));
  TSD_RETURN_IF_ERROR(parse_int_in(1, INT32_MAX, &m->replication));
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kShard) {
    TSD_RETURN_IF_ERROR(parse_shard_duration(m));
    t = scan_ignore_ws();
  }
  if (t.tok == Tok::kDefault) {
    m->make_default = true;
  } else {
    unscan();
  }
  return Status();
}

// ALTER RETENTION POLICY rp|DEFAULT ON db, then options in any order,
// each once, at least one.
Result<Statement> Parser::parse_alter() {
  TSD_RETURN_IF_ERROR(expect({Tok::kRetention, Tok::kPolicy}));
  Statement st = Statement::of(K::kAlterRetentionPolicy);
  MetaStatement* m = st.meta.get();
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kDefault) {
    m->name = "default";
  } else if (t.tok == Tok::kIdent) {
    m->name = std::move(t.lit);
  } else {
    return parse_error(tok_str(t), {"identifier"}, t.pos);
  }
  TSD_RETURN_IF_ERROR(expect({Tok::kOn}));
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->db));
  std::vector<Tok> found;
  while (true) {
    Token o = scan_ignore_ws();
    if (std::find(found.begin(), found.end(), o.tok) != found.end()) {
      return parse_error("found duplicate " + std::string(tok_name(o.tok)) + " option", o.pos);
    }
    switch (o.tok) {
      case Tok::kDurationKw: TSD_RETURN_IF_ERROR(parse_duration_value(&m->duration)); break;
      case Tok::kReplication:
        TSD_RETURN_IF_ERROR(parse_int_in(1, INT32_MAX, &m->replication));
        break;
      case Tok::kShard: {
        TSD_RETURN_IF_ERROR(parse_shard_duration(m));
        break;
      }
      case Tok::kDefault: m->make_default = true; break;
      default:
        if (found.empty()) {
          return parse_error(tok_str(o), {"DURATION", "REPLICATION", "SHARD", "DEFAULT"}, o.pos);
        }
        unscan();
        return st;
    }
    found.push_back(o.tok);
  }
}

// name ON db [RESAMPLE ...] BEGIN SELECT ... INTO ... END
Status Parser::parse_continuous_query(Statement* st) {
  MetaStatement* m = st->meta.get();
  TSD_RETURN_IF_ERROR(parse_name_on(m));
  if (scan_ignore_ws().tok == Tok::kResample) {
    TSD_RETURN_IF_ERROR(parse_resample(m));
  } else {
    unscan();
  }
  TSD_RETURN_IF_ERROR(expect({Tok::kBegin, Tok::kSelect}));
  auto sel = parse_select(TargetRule::kRequired);
  if (!sel.ok()) return sel.status();
  st->select = std::move(*sel);
  auto interval = group_by_interval(*st->select);
  if (!st->select->is_raw && (!interval.ok() || *interval == 0)) {
    // InfluxDB points at the token before the one that ended the SELECT.
    unscan();
    unscan();
    Token t = scan_ignore_ws();
    std::vector<std::string> want{"GROUP BY time(...)"};
    if (!interval.ok()) want.push_back(interval.status().message());
    return parse_error(tok_str(t), want, t.pos);
  }
  TSD_RETURN_IF_ERROR(expect({Tok::kEnd}));
  if (!interval.ok()) return interval.status();
  if (m->resample_for != 0) {
    int64_t every = std::max(*interval, m->resample_every);
    if (every > m->resample_for) {
      return Status::invalid_argument(
          "FOR duration must be >= GROUP BY time duration: must be a minimum of " +
          render_duration(every) + ", got " + render_duration(m->resample_for));
    }
  }
  return Status();
}

// [EVERY d] [FOR d], at least one (a zero one counts as not given).
Status Parser::parse_resample(MetaStatement* m) {
  auto part = [&](Tok tok, int64_t* out) -> Status {
    if (scan_ignore_ws().tok != tok) {
      unscan();
      return Status();
    }
    Token t = scan_ignore_ws();
    if (t.tok != Tok::kDuration) return parse_error(tok_str(t), {"duration"}, t.pos);
    auto d = parse_duration(t.lit);
    if (!d.ok()) return parse_error(d.status().message(), t.pos);
    *out = *d;
    return Status();
  };
  TSD_RETURN_IF_ERROR(part(Tok::kEvery, &m->resample_every));
  TSD_RETURN_IF_ERROR(part(Tok::kFor, &m->resample_for));
  if (m->resample_every == 0 && m->resample_for == 0) {
    Token t = scan_ignore_ws();
    return parse_error(tok_str(t), {"EVERY", "FOR"}, t.pos);
  }
  return Status();
}

// [FROM sources] [WHERE cond], at least one; sources name measurements
// only (the statement covers every RP of the database).
Status Parser::parse_series_target(MetaStatement* m) {
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kFrom) {
    TSD_RETURN_IF_ERROR(parse_sources(false, &m->sources));
    Status bad;
    for (const Source& s : m->sources) {
      if (!s.db.empty()) bad = parse_error("database not supported", Pos{});
      if (!s.rp.empty()) bad = parse_error("retention policy not supported", Pos{});
    }
    TSD_RETURN_IF_ERROR(bad);
  } else {
    unscan();
  }
  TSD_RETURN_IF_ERROR(parse_condition(&m->condition));
  if (!m->condition && m->sources.empty()) {
    return parse_error(tok_str(t), {"FROM", "WHERE"}, t.pos);
  }
  return Status();
}

// name ON db.rp [DESTINATIONS ALL|ANY 'a', ...] (the last part: CREATE).
Status Parser::parse_subscription(bool create, MetaStatement* m) {
  TSD_RETURN_IF_ERROR(parse_name_on(m));
  Token dot = scan();
  if (dot.tok != Tok::kDot) return parse_error(tok_str(dot), {"."}, dot.pos);
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->rp_name));
  if (!create) return Status();
  TSD_RETURN_IF_ERROR(expect({Tok::kDestinations}));
  auto mode = parse_choice({Tok::kAll, Tok::kAny});
  if (!mode.ok()) return mode.status();
  m->mode = std::string(tok_name(*mode));
  while (true) {
    TSD_RETURN_IF_ERROR(parse_string(&m->destinations.emplace_back()));
    if (scan_ignore_ws().tok != Tok::kComma) {
      unscan();
      return Status();
    }
  }
}

// name WITH PASSWORD 'p' [WITH ALL PRIVILEGES]
Status Parser::parse_create_user(MetaStatement* m) {
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->name));
  TSD_RETURN_IF_ERROR(expect({Tok::kWith, Tok::kPassword}));
  TSD_RETURN_IF_ERROR(parse_string(&m->password));
  if (scan_ignore_ws().tok != Tok::kWith) {
    unscan();
    return Status();
  }
  TSD_RETURN_IF_ERROR(expect({Tok::kAll, Tok::kPrivileges}));
  m->admin = true;
  return Status();
}

// GRANT priv ON db TO user | GRANT ALL [PRIVILEGES] TO user, and REVOKE
// with FROM for TO.
Result<Statement> Parser::parse_grant_revoke(bool grant) {
  Statement st = Statement::of(grant ? K::kGrant : K::kRevoke);
  MetaStatement* m = st.meta.get();
  Token p = scan_ignore_ws();
  if (p.tok != Tok::kRead && p.tok != Tok::kWrite && p.tok != Tok::kAll) {
    return parse_error(tok_str(p), {"READ", "WRITE", "ALL [PRIVILEGES]"}, p.pos);
  }
  m->privilege = p.tok;
  if (p.tok == Tok::kAll && scan_ignore_ws().tok != Tok::kPrivileges) unscan();
  const Tok to = grant ? Tok::kTo : Tok::kFrom;
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kOn) {
    TSD_RETURN_IF_ERROR(parse_ident_to(&m->db));
    TSD_RETURN_IF_ERROR(expect({to}));
  } else if (t.tok == to && p.tok == Tok::kAll) {
    m->admin = true;
  } else if (p.tok == Tok::kAll) {
    return parse_error(tok_str(t), {"ON", std::string(tok_name(to))}, t.pos);
  } else {
    return parse_error(tok_str(t), {"ON"}, t.pos);
  }
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->name));
  return st;
}

Result<Statement> Parser::parse_explain() {
  Statement st = Statement::of(K::kExplain);
  st.meta->analyze = scan_ignore_ws().tok == Tok::kAnalyze;
  if (!st.meta->analyze) unscan();
  TSD_RETURN_IF_ERROR(expect({Tok::kSelect}));
  auto sel = parse_select(TargetRule::kOptional);
  if (!sel.ok()) return sel.status();
  st.select = std::move(*sel);
  return st;
}

Result<Statement> Parser::parse_meta_statement(Tok first) {
  switch (first) {
    case Tok::kShow: return parse_show();
    case Tok::kCreate: return parse_create();
    case Tok::kDrop: return parse_drop();
    case Tok::kAlter: return parse_alter();
    case Tok::kExplain: return parse_explain();
    case Tok::kGrant:
    case Tok::kRevoke: return parse_grant_revoke(first == Tok::kGrant);
    case Tok::kDelete: {
      Statement st = Statement::of(K::kDelete);
      TSD_RETURN_IF_ERROR(parse_series_target(st.meta.get()));
      return st;
    }
    case Tok::kSet: {
      TSD_RETURN_IF_ERROR(expect({Tok::kPassword, Tok::kFor}));
      Statement st = Statement::of(K::kSetPassword);
      TSD_RETURN_IF_ERROR(parse_ident_to(&st.meta->name));
      TSD_RETURN_IF_ERROR(expect({Tok::kEq}));
      TSD_RETURN_IF_ERROR(parse_string(&st.meta->password));
      return st;
    }
    default: {  // KILL
      TSD_RETURN_IF_ERROR(expect({Tok::kQuery}));
      Statement st = Statement::of(K::kKillQuery);
      TSD_RETURN_IF_ERROR(parse_uint(&st.meta->id));
      if (scan_ignore_ws().tok == Tok::kOn) {
        TSD_RETURN_IF_ERROR(parse_ident_to(&st.meta->module));
      } else {
        unscan();
      }
      return st;
    }
  }
}

}  // namespace tsd::query
