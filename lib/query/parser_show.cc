// The InfluxQL parser: SHOW statements (parser.h).
#include "query/parser.h"

namespace tsd::query {
namespace {

using K = Statement::Kind;

}  // namespace

Result<Tok> Parser::parse_choice(std::initializer_list<Tok> toks) {
  Token t = scan_ignore_ws();
  for (Tok want : toks) {
    if (t.tok == want) return want;
  }
  std::vector<std::string> names;
  for (Tok want : toks) names.emplace_back(tok_name(want));
  return parse_error(tok_str(t), names, t.pos);
}

Result<Statement> Parser::parse_show() {
  auto t = parse_choice({Tok::kContinuous, Tok::kDatabases, Tok::kDiagnostics, Tok::kField,
                         Tok::kGrants, Tok::kMeasurement, Tok::kMeasurements, Tok::kQueries,
                         Tok::kRetention, Tok::kSeries, Tok::kShard, Tok::kShards, Tok::kStats,
                         Tok::kSubscriptions, Tok::kTag, Tok::kUsers});
  if (!t.ok()) return t.status();
  // A statement of `kind` once the keyword `next` follows.
  auto then = [&](Tok next, K kind) -> Result<Statement> {
    TSD_RETURN_IF_ERROR(expect({next}));
    return Statement::of(kind);
  };
  switch (*t) {
    case Tok::kContinuous: return then(Tok::kQueries, K::kShowContinuousQueries);
    case Tok::kDatabases: return Statement::of(K::kShowDatabases);
    case Tok::kQueries: return Statement::of(K::kShowQueries);
    case Tok::kShards: return Statement::of(K::kShowShards);
    case Tok::kSubscriptions: return Statement::of(K::kShowSubscriptions);
    case Tok::kUsers: return Statement::of(K::kShowUsers);
    case Tok::kShard: return then(Tok::kGroups, K::kShowShardGroups);
    case Tok::kMeasurements: return parse_show_index(K::kShowMeasurements);
    case Tok::kDiagnostics:
    case Tok::kStats: {
      Statement st = Statement::of(*t == Tok::kStats ? K::kShowStats : K::kShowDiagnostics);
      if (scan_ignore_ws().tok == Tok::kFor) {
        TSD_RETURN_IF_ERROR(parse_string(&st.meta->module));
      } else {
        unscan();
      }
      return st;
    }
    case Tok::kGrants: {
      TSD_RETURN_IF_ERROR(expect({Tok::kFor}));
      Statement st = Statement::of(K::kShowGrants);
      TSD_RETURN_IF_ERROR(parse_ident_to(&st.meta->name));
      return st;
    }
    case Tok::kRetention: {
      TSD_RETURN_IF_ERROR(expect({Tok::kPolicies}));
      Statement st = Statement::of(K::kShowRetentionPolicies);
      TSD_RETURN_IF_ERROR(parse_on(st.meta.get()));
      return st;
    }
    case Tok::kMeasurement: {
      auto e = parse_choice({Tok::kExact, Tok::kCardinality});
      if (!e.ok()) return e.status();
      if (*e == Tok::kExact) TSD_RETURN_IF_ERROR(expect({Tok::kCardinality}));
      return parse_show_cardinality(K::kShowMeasurementCardinality, *e == Tok::kExact);
    }
    case Tok::kSeries: {
      bool exact = scan_ignore_ws().tok == Tok::kExact;
      if (!exact) unscan();
      if (scan_ignore_ws().tok == Tok::kCardinality) {
        return parse_show_cardinality(K::kShowSeriesCardinality, exact);
      }
      unscan();
      return parse_show_index(K::kShowSeries);
    }
    case Tok::kField:
    case Tok::kTag: {
      auto k = *t == Tok::kTag ? parse_choice({Tok::kKey, Tok::kKeys, Tok::kValues})
                               : parse_choice({Tok::kKey, Tok::kKeys});
      if (!k.ok()) return k.status();
      const bool tag = *t == Tok::kTag;
      if (*k == Tok::kKeys) return parse_show_index(tag ? K::kShowTagKeys : K::kShowFieldKeys);
      const K card = *k == Tok::kValues ? K::kShowTagValuesCardinality
                     : tag              ? K::kShowTagKeyCardinality
                                        : K::kShowFieldKeyCardinality;
      Token e = scan_ignore_ws();
      if (*k == Tok::kValues) {
        // SHOW TAG VALUES [EXACT CARDINALITY | CARDINALITY] ...
        if (e.tok == Tok::kExact) TSD_RETURN_IF_ERROR(expect({Tok::kCardinality}));
        if (e.tok == Tok::kExact || e.tok == Tok::kCardinality) {
          return parse_show_cardinality(card, e.tok == Tok::kExact);
        }
        unscan();
        return parse_show_index(K::kShowTagValues);
      }
      // SHOW TAG KEY / FIELD KEY [EXACT] CARDINALITY.
      bool exact = e.tok == Tok::kExact;
      Token c = exact ? scan_ignore_ws() : e;
      if (c.tok != Tok::kCardinality) {
        std::vector<std::string> want;
        if (!exact) want.push_back("EXACT");
        want.push_back("CARDINALITY");
        return parse_error(tok_str(c), want, c.pos);
      }
      return parse_show_cardinality(card, exact);
    }
    default: return Status::invalid_argument("unreachable");
  }
}

// SHOW MEASUREMENTS / SERIES / TAG KEYS / TAG VALUES / FIELD KEYS.
Result<Statement> Parser::parse_show_index(K kind) {
  Statement st = Statement::of(kind);
  MetaStatement* m = st.meta.get();
  TSD_RETURN_IF_ERROR(parse_on(m));
  if (kind == K::kShowMeasurements) {
    if (scan_ignore_ws().tok == Tok::kWith) {
      TSD_RETURN_IF_ERROR(expect({Tok::kMeasurement}));
      Token op = scan_ignore_ws();
      if (op.tok != Tok::kEq && op.tok != Tok::kEqRegex) {
        return parse_error(tok_str(op), {"=", "=~"}, op.pos);
      }
      TSD_RETURN_IF_ERROR(parse_source(false, &m->sources.emplace_back()));
    } else {
      unscan();
    }
  } else {
    TSD_RETURN_IF_ERROR(parse_from(m));
  }
  if (kind == K::kShowTagValues) TSD_RETURN_IF_ERROR(parse_tag_key_expr(m));
  if (kind != K::kShowFieldKeys) TSD_RETURN_IF_ERROR(parse_condition(&m->condition));
  TSD_RETURN_IF_ERROR(parse_show_tail(true, kind == K::kShowTagKeys, m));
  return st;
}

// SHOW ... CARDINALITY: ON, FROM, (WITH KEY), WHERE, GROUP BY, LIMIT, OFFSET.
Result<Statement> Parser::parse_show_cardinality(K kind, bool exact) {
  Statement st = Statement::of(kind);
  MetaStatement* m = st.meta.get();
  m->exact = exact;
  TSD_RETURN_IF_ERROR(parse_on(m));
  TSD_RETURN_IF_ERROR(parse_from(m));
  if (kind == K::kShowTagValuesCardinality) TSD_RETURN_IF_ERROR(parse_tag_key_expr(m));
  TSD_RETURN_IF_ERROR(parse_condition(&m->condition));
  SelectStatement group;
  TSD_RETURN_IF_ERROR(parse_dimensions(&group));
  m->dimensions = std::move(group.dimensions);
  TSD_RETURN_IF_ERROR(parse_show_tail(false, false, m));
  return st;
}

Status Parser::parse_on(MetaStatement* m) {
  if (scan_ignore_ws().tok != Tok::kOn) {
    unscan();
    return Status();
  }
  TSD_RETURN_IF_ERROR(parse_ident_to(&m->db));
  return Status();
}

Status Parser::parse_from(MetaStatement* m) {
  if (scan_ignore_ws().tok != Tok::kFrom) {
    unscan();
    return Status();
  }
  return parse_sources(false, &m->sources);
}

Status Parser::parse_condition(ExprPtr* out) {
  if (scan_ignore_ws().tok != Tok::kWhere) {
    unscan();
    return Status();
  }
  auto e = parse_expr();
  if (!e.ok()) return e.status();
  *out = std::move(*e);
  return Status();
}

// WITH KEY = k | != k | IN (a, b) | =~ /re/ | !~ /re/ (InfluxDB's error
// lists only IN, =, =~).
Status Parser::parse_tag_key_expr(MetaStatement* m) {
  TSD_RETURN_IF_ERROR(expect({Tok::kWith, Tok::kKey}));
  Token t = scan_ignore_ws();
  m->key_op = t.tok;
  switch (t.tok) {
    case Tok::kIn: {
      Token lp = scan_ignore_ws();
      if (lp.tok != Tok::kLParen) return parse_error(tok_str(lp), {"("}, lp.pos);
      while (true) {
        auto k = parse_ident();
        if (!k.ok()) return k.status();
        m->keys.push_back(std::move(*k));
        Token n = scan_ignore_ws();
        if (n.tok == Tok::kComma) continue;
        if (n.tok != Tok::kRParen) return parse_error(tok_str(n), {")"}, n.pos);
        return Status();
      }
    }
    case Tok::kEq:
    case Tok::kNeq: {
      auto k = parse_ident();
      if (!k.ok()) return k.status();
      m->keys.push_back(std::move(*k));
      return Status();
    }
    case Tok::kEqRegex:
    case Tok::kNeqRegex: {
      auto re = parse_regex();
      if (!re.ok()) return re.status();
      if (!*re) {
        Token n = scan_ignore_ws();
        return parse_error(tok_str(n), {"regex"}, n.pos);
      }
      m->key_regex = std::move((*re)->name);
      return Status();
    }
    default: return parse_error(tok_str(t), {"IN", "=", "=~"}, t.pos);
  }
}

Status Parser::parse_show_tail(bool order_by, bool series, MetaStatement* m) {
  if (order_by) {
    SelectStatement order;  // only ORDER BY time is allowed, and changes nothing
    TSD_RETURN_IF_ERROR(parse_order_by(&order));
  }
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kLimit, &m->limit));
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kOffset, &m->offset));
  if (!series) return Status();
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kSlimit, &m->slimit));
  return parse_optional_int(Tok::kSoffset, &m->soffset);
}

}  // namespace tsd::query
