// InfluxQL text from the syntax tree (render.h).
#include "query/render.h"

#include <algorithm>
#include <charconv>

#include "core/strings.h"

namespace tsd::query {
namespace {

bool is_ident_first(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool needs_quotes(const std::string& id) {
  if (id.empty() || lookup_keyword(id) != Tok::kIdent) return true;
  for (size_t k = 0; k < id.size(); k++) {
    unsigned char c = static_cast<unsigned char>(id[k]);
    if (!is_ident_first(c) && (k == 0 || c < '0' || c > '9')) return true;
  }
  return false;
}

// Go's %v of a float64: the shortest text that reads back.
std::string shortest(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Go's FormatFloat(v, 'f', 3): NumberLiteral.String().
std::string three_places(double v) {
  char buf[512];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);
  return std::string(buf, r.ptr);
}

std::string type_suffix(DataType t) {
  switch (t) {
    case DataType::kFloat: return "::float";
    case DataType::kInteger: return "::integer";
    case DataType::kUnsigned: return "::unsigned";
    case DataType::kString: return "::string";
    case DataType::kBoolean: return "::boolean";
    case DataType::kTag: return "::tag";
    case DataType::kAnyField: return "::field";
    case DataType::kUnknown: break;
  }
  return "";
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t k = 0; k < parts.size(); k++) out += (k ? ", " : "") + parts[k];
  return out;
}

std::string regex(const std::string& pattern) {
  std::string out = "/";
  for (char c : pattern) out += c == '/' ? std::string("\\/") : std::string(1, c);
  return out + "/";
}

// db.rp. before a name or regex, as InfluxDB's Measurement.String().
std::string qualifier(const std::string& db, const std::string& rp) {
  std::string out;
  if (!db.empty()) out += quote_ident({db}) + ".";
  if (!rp.empty()) out += quote_ident({rp});
  if (!db.empty() || !rp.empty()) out += ".";
  return out;
}

// Appends s with the quote, backslashes and newlines escaped.
void escape(const std::string& s, char quote, std::string* out) {
  for (char c : s) {
    if (c == quote || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      *out += c;
    }
  }
}

}  // namespace

std::string quote_ident(const std::vector<std::string>& segs) {
  std::string out;
  for (size_t k = 0; k < segs.size(); k++) {
    const std::string& s = segs[k];
    const bool last = k + 1 == segs.size();
    const bool quote = (!s.empty() && needs_quotes(s)) || (!last && !s.empty()) ||
                       ((k == 0 || last) && s.empty());
    if (quote) out += '"';
    escape(s, '"', &out);
    if (quote) out += '"';
    if (!last) out += '.';
  }
  return out;
}

std::string quote_string(const std::string& s) {
  std::string out = "'";
  escape(s, '\'', &out);
  return out + "'";
}

std::string render_duration(int64_t d) {
  struct Unit {
    int64_t ns;
    const char* name;
  } units[] = {{604800000000000, "w"}, {86400000000000, "d"}, {3600000000000, "h"},
               {60000000000, "m"},     {1000000000, "s"},     {1000000, "ms"}};
  if (d == 0) return "0s";
  for (const Unit& u : units) {
    if (d % u.ns == 0) return std::to_string(d / u.ns) + u.name;
  }
  return std::to_string(d / 1000) + "u";
}

std::string render_expr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kVarRef: return quote_ident({e.name}) + type_suffix(e.type);
    case Expr::Kind::kCall: {
      std::vector<std::string> args;
      for (const auto& a : e.args) args.push_back(render_expr(*a));
      return e.name + "(" + join(args) + ")";
    }
    case Expr::Kind::kBinary:
      return render_expr(*e.args[0]) + " " + std::string(tok_name(e.op)) + " " +
             render_expr(*e.args[1]);
    case Expr::Kind::kParen: return "(" + render_expr(*e.args[0]) + ")";
    case Expr::Kind::kNumber: return three_places(e.number);
    case Expr::Kind::kInteger: return std::to_string(e.integer);
    case Expr::Kind::kUnsigned: return std::to_string(e.uinteger);
    case Expr::Kind::kString: return quote_string(e.name);
    case Expr::Kind::kBoolean: return e.boolean ? "true" : "false";
    case Expr::Kind::kDuration: return render_duration(e.integer);
    case Expr::Kind::kRegex: return regex(e.name);
    case Expr::Kind::kWildcard: return "*" + type_suffix(e.type);
    case Expr::Kind::kDistinct: return "DISTINCT " + e.name;
  }
  return "";
}

std::string render_source(const Source& s, const Qualify* qualify) {
  if (s.subquery) return "(" + render_select(*s.subquery, qualify) + ")";
  std::string db = s.db, rp = s.rp;
  if (qualify) (*qualify)(&db, &rp);
  return qualifier(db, rp) + (s.is_regex ? regex(s.regex) : quote_ident({s.name}));
}

std::string render_select(const SelectStatement& st, const Qualify* qualify) {
  std::vector<std::string> parts;
  for (const auto& f : st.fields) {
    parts.push_back(render_expr(*f.expr) + (f.alias.empty() ? "" : " AS " + quote_ident({f.alias})));
  }
  std::string out = "SELECT " + join(parts);
  if (st.target) {
    const Target& t = *st.target;
    std::string db = t.db, rp = t.rp;
    if (qualify) (*qualify)(&db, &rp);
    out += " INTO " + qualifier(db, rp) +
           (t.back_reference ? ":MEASUREMENT" : quote_ident({t.name}));
  }
  parts.clear();
  for (const auto& s : st.sources) parts.push_back(render_source(s, qualify));
  if (!parts.empty()) out += " FROM " + join(parts);
  if (st.condition) out += " WHERE " + render_expr(*st.condition);
  parts.clear();
  for (const auto& d : st.dimensions) parts.push_back(render_expr(*d));
  if (!parts.empty()) out += " GROUP BY " + join(parts);
  switch (st.fill) {
    case Fill::kNone: out += " fill(none)"; break;
    case Fill::kLinear: out += " fill(linear)"; break;
    case Fill::kPrevious: out += " fill(previous)"; break;
    case Fill::kNumber:
      out += " fill(" +
             (st.fill_value->kind == Expr::Kind::kNumber ? shortest(st.fill_value->number)
                                                         : std::to_string(st.fill_value->integer)) +
             ")";
      break;
    case Fill::kNull: break;
  }
  if (st.order_by) out += st.descending ? " ORDER BY time DESC" : " ORDER BY time ASC";
  if (st.limit > 0) out += " LIMIT " + std::to_string(st.limit);
  if (st.offset > 0) out += " OFFSET " + std::to_string(st.offset);
  if (st.slimit > 0) out += " SLIMIT " + std::to_string(st.slimit);
  if (st.soffset > 0) out += " SOFFSET " + std::to_string(st.soffset);
  if (!st.tz.empty()) out += " TZ('" + st.tz + "')";
  return out;
}

std::string render_continuous_query(const Statement& st, const Qualify& qualify) {
  const MetaStatement& m = *st.meta;
  std::string text = "CREATE CONTINUOUS QUERY " + quote_ident({m.name}) + " ON " +
                     quote_ident({m.db}) + " ";
  if (m.resample_every > 0 || m.resample_for > 0) {
    text += "RESAMPLE ";
    if (m.resample_every > 0) text += "EVERY " + render_duration(m.resample_every) + " ";
    if (m.resample_for > 0) text += "FOR " + render_duration(m.resample_for) + " ";
  }
  return text + "BEGIN " + render_select(*st.select, &qualify) + " END";
}

std::string render_statement(const Statement& st) {
  using K = Statement::Kind;
  switch (st.kind) {
    case K::kSelect: return render_select(*st.select);
    case K::kExplain:
      return std::string(st.meta->analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") +
             render_select(*st.select);
    case K::kCreateUser:
      return "CREATE USER " + quote_ident({st.meta->name}) + " WITH PASSWORD [REDACTED]" +
             (st.meta->admin ? " WITH ALL PRIVILEGES" : "");
    case K::kSetPassword:
      return "SET PASSWORD FOR " + quote_ident({st.meta->name}) + " = [REDACTED]";
    default: break;
  }
  std::string out;
  const std::string& t = st.text;
  for (size_t i = 0; i < t.size();) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == '\'' || c == '"') {  // a quoted string or identifier, as it is
      size_t j = i + 1;
      while (j < t.size() && t[j] != static_cast<char>(c)) j += t[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, t.size());
      out.append(t, i, j - i);
      i = j;
    } else if (t.compare(i, 2, "--") == 0 || t.compare(i, 2, "/*") == 0) {  // a comment: left out
      const bool line = t[i] == '-';
      const size_t end = t.find(line ? "\n" : "*/", i + 2);
      i = end == std::string::npos ? t.size() : end + (line ? 0 : 2);
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) i++;
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else if (is_ident_first(c)) {
      size_t j = i;
      while (j < t.size() && (is_ident_first(static_cast<unsigned char>(t[j])) ||
                              (t[j] >= '0' && t[j] <= '9'))) {
        j++;
      }
      const std::string_view word(t.data() + i, j - i);
      out += lookup_keyword(word) == Tok::kIdent ? std::string(word) : ascii_upper(word);
      i = j;
    } else {
      out.push_back(t[i++]);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string render_ddl(const std::string& db, const std::vector<storage::RetentionPolicy>& rps) {
  auto spec = [](const storage::RetentionPolicy& rp) {
    return "DURATION " + render_duration(rp.duration) + " REPLICATION " +
           std::to_string(rp.replication) + " SHARD DURATION " +
           render_duration(rp.shard_duration);
  };
  const std::string qdb = quote_ident({db});
  std::string out = "CREATE DATABASE " + qdb;
  size_t k = 0;
  if (!rps.empty() && rps[0].is_default) {
    out += " WITH " + spec(rps[0]) + " NAME " + quote_ident({rps[0].name});
    k = 1;
  }
  out += "\n";
  for (; k < rps.size(); k++) {
    out += "CREATE RETENTION POLICY " + quote_ident({rps[k].name}) + " ON " + qdb + " " +
           spec(rps[k]) + "\n";
  }
  return out;
}

}  // namespace tsd::query
