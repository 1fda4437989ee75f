// The InfluxQL parser: queries and SELECT statements (parser.h).
#include <sys/stat.h>

#include "core/strings.h"
#include "query/parser.h"

namespace tsd::query {
namespace {

// The first comparison or logical operator in a SELECT field (those bind
// loosest: precedence 1 to 3), or kIllegal.
Tok where_operator(const Expr& e) {
  if (e.kind == Expr::Kind::kBinary && precedence(e.op) <= 3) return e.op;
  for (const auto& a : e.args) {
    Tok t = where_operator(*a);
    if (t != Tok::kIllegal) return t;
  }
  return Tok::kIllegal;
}

bool has_call(const Expr& e) {
  if (e.kind == Expr::Kind::kCall) return true;
  for (const auto& a : e.args) {
    if (has_call(*a)) return true;
  }
  return false;
}

// Whether the system's time zone database knows `name` (as Go's
// LoadLocation: "" and "UTC" always).
bool known_zone(const std::string& name) {
  if (name.empty() || name == "UTC") return true;
  if (name.find("..") != std::string::npos || name[0] == '/') return false;
  struct stat st;
  std::string path = "/usr/share/zoneinfo/" + name;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

Status Parser::expect(std::initializer_list<Tok> toks) {
  for (Tok want : toks) {
    Token t = scan_ignore_ws();
    if (t.tok != want) return parse_error(tok_str(t), {std::string(tok_name(want))}, t.pos);
  }
  return Status();
}

namespace {

// Bytes of the text at the scanner's positions, given in increasing order
// (lines counted at '\n', a "\r\n" or lone '\r' being one; characters in
// code points): each walks on from the last, so a text of many
// statements is read once.
class ByteOffsets {
 public:
  explicit ByteOffsets(std::string_view text) : text_(text) {}
  size_t at(Pos p) {
    if (p.line < at_.line || (p.line == at_.line && p.ch < at_.ch)) {  // back: from the start
      at_ = Pos{};
      i_ = 0;
    }
    for (; at_.line < p.line && i_ < text_.size(); i_++) {
      const char c = text_[i_];
      if (c == '\n' || (c == '\r' && (i_ + 1 >= text_.size() || text_[i_ + 1] != '\n'))) {
        at_.line++;
        at_.ch = 0;
      }
    }
    for (; at_.ch < p.ch && i_ < text_.size(); at_.ch++) {
      i_++;
      while (i_ < text_.size() && (static_cast<unsigned char>(text_[i_]) & 0xC0) == 0x80) i_++;
    }
    return std::min(i_, text_.size());
  }

 private:
  std::string_view text_;
  Pos at_;
  size_t i_ = 0;
};

}  // namespace

Result<std::vector<Statement>> Parser::parse_query() {
  std::vector<Statement> out;
  ByteOffsets offsets(text_);
  bool semi = true;
  while (true) {
    Token t = scan_ignore_ws();
    if (t.tok == Tok::kEof) return out;
    if (t.tok == Tok::kSemicolon) {
      semi = true;
      continue;
    }
    if (!semi) return parse_error(tok_str(t), {";"}, t.pos);
    unscan();
    auto st = parse_statement();
    if (!st.ok()) return st.status();
    Token end = scan_ignore_ws();
    unscan();
    const size_t from = offsets.at(t.pos);
    st->text = std::string(trim(text_.substr(from, offsets.at(end.pos) - from)));
    out.push_back(std::move(*st));
    semi = false;
  }
}

Result<Statement> Parser::parse_statement() {
  Token t = scan_ignore_ws();
  switch (t.tok) {
    case Tok::kSelect: {
      auto sel = parse_select(TargetRule::kOptional);
      if (!sel.ok()) return sel.status();
      Statement st;
      st.select = std::move(*sel);
      return st;
    }
    case Tok::kDelete:
    case Tok::kShow:
    case Tok::kCreate:
    case Tok::kDrop:
    case Tok::kExplain:
    case Tok::kGrant:
    case Tok::kRevoke:
    case Tok::kAlter:
    case Tok::kSet:
    case Tok::kKill: return parse_meta_statement(t.tok);
    default:
      return parse_error(tok_str(t),
                         {"SELECT", "DELETE", "SHOW", "CREATE", "DROP", "EXPLAIN", "GRANT",
                          "REVOKE", "ALTER", "SET", "KILL"},
                         t.pos);
  }
}

Result<std::unique_ptr<SelectStatement>> Parser::parse_select(TargetRule rule) {
  Leave leave(&depth_);
  TSD_RETURN_IF_ERROR(enter());
  auto st = std::make_unique<SelectStatement>();
  TSD_RETURN_IF_ERROR(parse_fields(st.get()));
  TSD_RETURN_IF_ERROR(parse_target(rule, st.get()));
  TSD_RETURN_IF_ERROR(expect({Tok::kFrom}));
  TSD_RETURN_IF_ERROR(parse_sources(true, &st->sources));
  if (scan_ignore_ws().tok == Tok::kWhere) {
    auto cond = parse_expr();
    if (!cond.ok()) return cond.status();
    st->condition = std::move(*cond);
  } else {
    unscan();
  }
  TSD_RETURN_IF_ERROR(parse_dimensions(st.get()));
  TSD_RETURN_IF_ERROR(parse_fill(st.get()));
  TSD_RETURN_IF_ERROR(parse_order_by(st.get()));
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kLimit, &st->limit));
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kOffset, &st->offset));
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kSlimit, &st->slimit));
  TSD_RETURN_IF_ERROR(parse_optional_int(Tok::kSoffset, &st->soffset));
  TSD_RETURN_IF_ERROR(parse_tz(st.get()));
  for (const auto& f : st->fields) st->is_raw = st->is_raw && !has_call(*f.expr);
  return st;
}

Status Parser::parse_fields(SelectStatement* st) {
  while (true) {
    SelectField f;
    auto re = parse_regex();
    if (!re.ok()) return re.status();
    if (*re) {
      f.expr = std::move(*re);
    } else {
      const Pos pos = scan_ignore_ws().pos;
      unscan();
      auto e = parse_expr();
      if (!e.ok()) return e.status();
      Tok bad = where_operator(**e);
      if (bad != Tok::kIllegal) {
        return Status::invalid_argument(
            "invalid operator " + std::string(tok_name(bad)) + " in SELECT clause at line " +
            std::to_string(pos.line + 1) + ", char " + std::to_string(pos.ch + 1) +
            "; operator is intended for WHERE clause");
      }
      f.expr = std::move(*e);
    }
    if (scan_ignore_ws().tok == Tok::kAs) {
      auto alias = parse_ident();
      if (!alias.ok()) return alias.status();
      f.alias = std::move(*alias);
    } else {
      unscan();
    }
    if (scan().tok != Tok::kWs) unscan();
    st->fields.push_back(std::move(f));
    if (scan().tok != Tok::kComma) {
      unscan();
      return Status();
    }
  }
}

Status Parser::parse_target(TargetRule rule, SelectStatement* st) {
  Token t = scan_ignore_ws();
  if (t.tok != Tok::kInto) {
    if (rule == TargetRule::kRequired) return parse_error(tok_str(t), {"INTO"}, t.pos);
    unscan();
    return Status();
  }
  auto ids = parse_segmented_idents();
  if (!ids.ok()) return ids.status();
  auto target = std::make_unique<Target>();
  if (ids->size() < 3 && peek_rune() == ':') {
    TSD_RETURN_IF_ERROR(expect({Tok::kColon, Tok::kMeasurement}));
    ids->emplace_back();
    target->back_reference = true;
  }
  switch (ids->size()) {
    case 1: target->name = (*ids)[0]; break;
    case 2:
      target->rp = (*ids)[0];
      target->name = (*ids)[1];
      break;
    default:
      target->db = (*ids)[0];
      target->rp = (*ids)[1];
      target->name = (*ids)[2];
      break;
  }
  st->target = std::move(target);
  return Status();
}

Status Parser::parse_sources(bool subqueries, std::vector<Source>* out) {
  while (true) {
    TSD_RETURN_IF_ERROR(parse_source(subqueries, &out->emplace_back()));
    if (scan_ignore_ws().tok != Tok::kComma) {
      unscan();
      return Status();
    }
  }
}

// /regex/, (SELECT ...), or up to three segments ending in a regex or a
// measurement name.
Status Parser::parse_source(bool subqueries, Source* src) {
  // A regex at the end sets it; true when there was one.
  auto regex = [&]() -> Result<bool> {
    auto re = parse_regex();
    if (!re.ok()) return re.status();
    if (!*re) return false;
    src->is_regex = true;
    src->regex = std::move((*re)->name);
    return true;
  };
  auto rx = regex();
  if (!rx.ok() || *rx) return rx.status();
  if (subqueries) {
    if (scan_ignore_ws().tok == Tok::kLParen) {
      TSD_RETURN_IF_ERROR(expect({Tok::kSelect}));
      auto sub = parse_select(TargetRule::kSubquery);
      if (!sub.ok()) return sub.status();
      src->subquery = std::move(*sub);
      return expect({Tok::kRParen});
    }
    unscan();
  }
  auto ids = parse_segmented_idents();
  if (!ids.ok()) return ids.status();
  if (ids->size() == 3) {
    src->db = (*ids)[0];
    src->rp = (*ids)[1];
    src->name = (*ids)[2];
    return Status();
  }
  rx = regex();
  if (!rx.ok()) return rx.status();
  if (ids->size() == 1) {
    (*rx ? src->rp : src->name) = (*ids)[0];
  } else {
    (*rx ? src->db : src->rp) = (*ids)[0];
    (*rx ? src->rp : src->name) = (*ids)[1];
  }
  return Status();
}

Result<bool> Parser::parse_by_clause(Tok first) {
  if (scan_ignore_ws().tok != first) {
    unscan();
    return false;
  }
  Token by = scan_ignore_ws();
  if (by.tok != Tok::kBy) return parse_error(tok_str(by), {"BY"}, by.pos);
  return true;
}

Status Parser::parse_dimensions(SelectStatement* st) {
  auto given = parse_by_clause(Tok::kGroup);
  if (!given.ok() || !*given) return given.status();
  while (true) {
    auto re = parse_regex();
    if (!re.ok()) return re.status();
    if (*re) {
      st->dimensions.push_back(std::move(*re));
    } else {
      auto e = parse_expr();
      if (!e.ok()) return e.status();
      st->dimensions.push_back(std::move(*e));
      if (scan().tok != Tok::kWs) unscan();
    }
    if (scan().tok != Tok::kComma) {
      unscan();
      return Status();
    }
  }
}

Result<ExprPtr> Parser::parse_clause_call(std::string_view name) {
  Token t = scan_ignore_ws();
  unscan();
  if (t.tok != Tok::kIdent || ascii_lower(t.lit) != name) return ExprPtr();
  auto e = parse_expr();
  if (!e.ok()) return e.status();
  if ((*e)->kind != Expr::Kind::kCall) {
    return Status::invalid_argument(std::string(name) + " must be a function call");
  }
  return e;
}

Status Parser::parse_fill(SelectStatement* st) {
  auto e = parse_clause_call("fill");
  if (!e.ok()) return e.status();
  if (!*e) return Status();
  const Expr& call = **e;
  if (call.args.size() != 1) {
    return Status::invalid_argument(
        "fill requires an argument, e.g.: 0, null, none, previous, linear");
  }
  const Expr& arg = *call.args[0];
  if (arg.kind == Expr::Kind::kVarRef && arg.type == DataType::kUnknown) {
    if (arg.name == "null") return Status();
    if (arg.name == "none") {
      st->fill = Fill::kNone;
      return Status();
    }
    if (arg.name == "previous") {
      st->fill = Fill::kPrevious;
      return Status();
    }
    if (arg.name == "linear") {
      st->fill = Fill::kLinear;
      return Status();
    }
  }
  if (arg.kind != Expr::Kind::kInteger && arg.kind != Expr::Kind::kNumber) {
    return Status::invalid_argument("expected number argument in fill()");
  }
  st->fill = Fill::kNumber;
  st->fill_value = std::move((*e)->args[0]);
  return Status();
}

Status Parser::parse_order_by(SelectStatement* st) {
  auto given = parse_by_clause(Tok::kOrder);
  if (!given.ok() || !*given) return given.status();
  const Status only_time = Status::invalid_argument("only ORDER BY time supported at this time");
  // One field (time), or a bare ASC / DESC.
  auto sort_field = [&](bool* desc) -> Status {
    auto name = parse_ident();
    if (!name.ok()) return name.status();
    Token d = scan_ignore_ws();
    if (d.tok != Tok::kAsc && d.tok != Tok::kDesc) unscan();
    *desc = d.tok == Tok::kDesc;
    return *name == "time" ? Status() : only_time;
  };
  Token t = scan_ignore_ws();
  size_t n = 1;
  if (t.tok == Tok::kAsc || t.tok == Tok::kDesc) {
    st->descending = t.tok == Tok::kDesc;
  } else if (t.tok == Tok::kIdent) {
    unscan();
    TSD_RETURN_IF_ERROR(sort_field(&st->descending));
  } else {
    return parse_error(tok_str(t), {"identifier", "ASC", "DESC"}, t.pos);
  }
  while (scan_ignore_ws().tok == Tok::kComma) {
    bool desc = false;
    Status s = sort_field(&desc);
    if (!s.ok() && s.message() != only_time.message()) return s;
    n++;
  }
  unscan();
  if (n > 1) return only_time;
  st->order_by = true;
  return Status();
}

Status Parser::parse_optional_int(Tok tok, int64_t* out) {
  if (scan_ignore_ws().tok != tok) {
    unscan();
    return Status();
  }
  Token t = scan_ignore_ws();
  if (t.tok == Tok::kBoundParam && params_) {
    // LIMIT $n with an integer for n (influxd binds it here too).
    auto it = params_->find(std::string_view(t.lit).substr(1));
    if (it != params_->end() && std::holds_alternative<int64_t>(it->second) &&
        std::get<int64_t>(it->second) >= 0) {
      *out = std::get<int64_t>(it->second);
      return Status();
    }
  }
  if (t.tok != Tok::kInteger) return parse_error(tok_str(t), {"integer"}, t.pos);
  // Digits only: never negative; past int64 InfluxDB takes the largest.
  int64_t v = 0;
  for (char c : t.lit) {
    if (v > (INT64_MAX - (c - '0')) / 10) {
      v = INT64_MAX;
      break;
    }
    v = v * 10 + (c - '0');
  }
  *out = v;
  return Status();
}

Status Parser::parse_tz(SelectStatement* st) {
  auto e = parse_clause_call("tz");
  if (!e.ok()) return e.status();
  if (!*e) return Status();
  const Expr& call = **e;
  if (call.args.size() != 1) return Status::invalid_argument("tz requires exactly one argument");
  if (call.args[0]->kind != Expr::Kind::kString) {
    return Status::invalid_argument("expected string argument in tz()");
  }
  const std::string& name = call.args[0]->name;
  if (!known_zone(name)) return Status::invalid_argument("unable to find time zone " + name);
  st->tz = name;
  return Status();
}

}  // namespace tsd::query
