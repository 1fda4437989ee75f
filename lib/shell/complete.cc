// Tab completion (complete.h).
#include "shell/complete.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/strings.h"
#include "query/render.h"
#include "query/scanner.h"

namespace tsd::shell {
namespace {

// -- A tolerant tokenizer for half-typed statements -----------------------

struct Token {
  enum Kind { kWord, kIdent, kString, kPunct } kind;
  std::string text;  // words as typed; identifiers and strings unquoted
  size_t start = 0, end = 0;
  bool open = false;  // a quote not closed yet
};

bool word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      i++;
      continue;
    }
    Token t;
    t.start = i;
    if (c == '"' || c == '\'') {
      t.kind = c == '"' ? Token::kIdent : Token::kString;
      t.open = true;
      for (i++; i < s.size(); i++) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          t.text.push_back(s[++i]);
        } else if (s[i] == c) {
          t.open = false;
          i++;
          break;
        } else {
          t.text.push_back(s[i]);
        }
      }
    } else if (word_byte(c)) {
      t.kind = Token::kWord;
      while (i < s.size() && word_byte(s[i])) t.text.push_back(s[i++]);
    } else {
      t.kind = Token::kPunct;
      static constexpr std::string_view kTwo[] = {"=~", "!~", "!=", "<>", "<=", ">=", "::"};
      std::string_view two = s.substr(i, 2);
      bool pair = std::find(std::begin(kTwo), std::end(kTwo), two) != std::end(kTwo);
      t.text = std::string(s.substr(i, pair ? 2 : 1));
      i += t.text.size();
    }
    t.end = i;
    out.push_back(std::move(t));
  }
  return out;
}

// A word token's keyword spelling, else "".
std::string kw(const Token& t) { return t.kind == Token::kWord ? ascii_upper(t.text) : std::string(); }

// A name as InfluxQL needs it written (bare, or double-quoted).
std::string quote_ident(const std::string& name) { return query::quote_ident({name}); }

// A tag value inside the single quotes the user opened: quote_string's
// text without its quotes.
std::string quote_string_body(const std::string& v) {
  const std::string q = query::quote_string(v);
  return q.substr(1, q.size() - 2);
}

const std::vector<std::string>& keywords() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> v;
    for (int t = static_cast<int>(query::Tok::kAll); t < static_cast<int>(query::Tok::kCount_); t++) {
      std::string_view n = query::tok_name(static_cast<query::Tok>(t));
      if (!n.empty()) v.emplace_back(n);
    }
    for (const char* w : {"AND", "OR", "TRUE", "FALSE", "BY", "FILL", "TZ", "NOW"}) v.emplace_back(w);
    return v;
  }();
  return k;
}

const std::vector<std::string> kFunctions = {
    "abs", "acos", "asin", "atan", "atan2", "bottom", "ceil", "chande_momentum_oscillator",
    "cos", "count", "cumulative_sum", "derivative", "difference", "distinct",
    "double_exponential_moving_average", "elapsed", "exp", "exponential_moving_average",
    "first", "floor", "holt_winters", "holt_winters_with_fit", "integral",
    "kaufmans_adaptive_moving_average", "kaufmans_efficiency_ratio", "last", "ln", "log",
    "log10", "log2", "max", "mean", "median", "min", "mode", "moving_average",
    "non_negative_derivative", "non_negative_difference", "percentile", "pow",
    "relative_strength_index", "round", "sample", "sin", "spread", "sqrt", "stddev", "sum",
    "tan", "top", "triple_exponential_derivative", "triple_exponential_moving_average"};

const std::vector<std::string> kFirstWords = {
    "ALTER", "CREATE", "DELETE", "DROP", "EXPLAIN", "GRANT", "KILL", "REVOKE", "SELECT", "SHOW",
    "chart", "clear", "exit", "expanded", "format", "help", "history", "insert", "precision", "pretty",
    "quit", "settings", "timing", "use"};

const std::vector<std::string> kShowWords = {
    "CONTINUOUS QUERIES", "DATABASES", "DIAGNOSTICS", "FIELD KEYS", "GRANTS", "MEASUREMENT",
    "MEASUREMENTS", "QUERIES", "RETENTION POLICIES", "SERIES", "SHARD GROUPS", "SHARDS", "STATS",
    "SUBSCRIPTIONS", "TAG KEYS", "TAG VALUES", "USERS"};

// Collects candidates that complete `partial`.
class Collector {
 public:
  explicit Collector(const Token* partial) : partial_(partial) {}

  // Keywords (and shell words): matched in any case, offered in the
  // case the user types (lower case when the word so far is).
  void words(const std::vector<std::string>& ws) {
    const std::string p = partial_ != nullptr && partial_->kind == Token::kWord ? partial_->text : "";
    if (partial_ != nullptr && partial_->kind != Token::kWord) return;
    const bool low = !p.empty() && ascii_lower(p) == p;
    for (const auto& w : ws) {
      if (ascii_upper(w).starts_with(ascii_upper(p))) out_.insert(low ? ascii_lower(w) : w);
    }
  }
  void functions() {
    if (partial_ != nullptr && partial_->kind != Token::kWord) return;
    const std::string p = partial_ != nullptr ? ascii_lower(partial_->text) : "";
    for (const auto& f : kFunctions) {
      if (f.starts_with(p)) out_.insert(f);
    }
  }
  // Names, written as InfluxQL needs them; a partial in double quotes
  // matches the names' text.
  void names(const std::vector<std::string>& ns) {
    if (partial_ != nullptr && partial_->kind == Token::kString) return;
    const std::string p = partial_ != nullptr ? partial_->text : "";
    const bool quoted = partial_ != nullptr && partial_->kind == Token::kIdent;
    for (const auto& n : ns) {
      if (!n.starts_with(p)) continue;
      std::string q = quote_ident(n);
      if (quoted && q[0] != '"') q = "\"" + n + "\"";
      out_.insert(q);
    }
  }
  // Tag values inside single quotes: the text without the quote.
  void values(const std::vector<std::string>& vs) {
    const std::string p = partial_ != nullptr ? partial_->text : "";
    for (const auto& v : vs) {
      if (v.starts_with(p)) out_.insert(quote_string_body(v));
    }
  }
  std::vector<std::string> take() { return {out_.begin(), out_.end()}; }

 private:
  const Token* partial_;
  std::set<std::string> out_;
};

// The measurement a statement reads: the first name after FROM (the last
// part of db.rp.m), "" when there is none.
std::string from_measurement(const std::vector<Token>& ts) {
  for (size_t i = 0; i + 1 < ts.size(); i++) {
    if (kw(ts[i]) != "FROM") continue;
    std::string m;
    for (size_t j = i + 1; j < ts.size(); j++) {
      if (ts[j].kind == Token::kWord || ts[j].kind == Token::kIdent) {
        m = ts[j].text;
        if (j + 1 < ts.size() && ts[j + 1].text == ".") {
          j++;
          continue;
        }
      }
      break;
    }
    return m;
  }
  return {};
}

}  // namespace

Completion complete(std::string_view line, size_t cursor, const std::string& db, Names& names) {
  cursor = std::min(cursor, line.size());
  std::vector<Token> all = tokenize(line);
  // The statement under the cursor: between the ';' around it.
  size_t first = 0, last = all.size();
  for (size_t i = 0; i < all.size(); i++) {
    if (all[i].kind != Token::kPunct || all[i].text != ";") continue;
    if (all[i].end <= cursor) first = i + 1;
    else if (last == all.size()) last = i;
  }
  std::vector<Token> stmt(all.begin() + static_cast<std::ptrdiff_t>(first),
                          all.begin() + static_cast<std::ptrdiff_t>(last));
  std::vector<Token> before;
  for (const Token& t : stmt) {
    if (t.end <= cursor || t.start < cursor) before.push_back(t);
  }
  // The word being completed: a token that reaches the cursor.
  Completion c;
  c.start = cursor;
  std::optional<Token> partial;
  if (!before.empty() && before.back().end >= cursor && before.back().kind != Token::kPunct &&
      !(before.back().kind != Token::kWord && !before.back().open)) {
    partial = before.back();
    partial->text = partial->text.substr(0, cursor - partial->start - (partial->kind == Token::kWord ? 0 : 1));
    c.start = partial->start + (partial->kind == Token::kString ? 1 : 0);
    before.pop_back();
  }
  Collector out(partial ? &*partial : nullptr);
  const size_t n = before.size();
  auto at = [&](size_t back) -> std::string {  // keyword `back` tokens before the word
    if (back >= n) return {};
    const Token& t = before[n - 1 - back];
    return t.kind == Token::kPunct ? t.text : kw(t);
  };
  const std::string m = from_measurement(stmt);
  c.suffix = " ";

  if (partial && partial->kind == Token::kString) {
    // 'value of the tag key before the operator.
    if (n >= 2 && (at(0) == "=" || at(0) == "!=" || at(0) == "<>") &&
        (before[n - 2].kind == Token::kWord || before[n - 2].kind == Token::kIdent)) {
      out.values(names.tag_values(db, m, before[n - 2].text));
      c.suffix = "'";
    }
  } else if (n == 0) {
    out.words(kFirstWords);
  } else if (n == 1 && at(0) == "USE") {
    out.names(names.databases());
  } else if (n == 1 && at(0) == "FORMAT") {
    out.words({"column", "csv", "json", "line"});
  } else if (n == 1 && at(0) == "PRECISION") {
    out.words({"rfc3339", "h", "m", "s", "ms", "u", "ns"});
  } else if (n == 1 && (at(0) == "TIMING" || at(0) == "EXPANDED")) {
    out.words({"on", "off"});
  } else if (n == 1 && at(0) == "CHART") {
    out.words({"line", "spark", "stat", "gauge", "bargauge", "bar", "table"});
  } else if (n == 1 && at(0) == "CLEAR") {
    out.words({"database", "db", "retention policy", "rp"});
  } else if (n == 1 && at(0) == "INSERT") {
    out.names(names.measurements(db));
    out.words({"INTO"});
  } else if (at(0) == "ON") {
    out.names(names.databases());
  } else if (at(0) == "SHOW") {
    out.words(kShowWords);
  } else if (at(0) == "FROM" || (at(0) == "," && [&] {
               // A list of names (and dots, commas) back to FROM.
               for (size_t i = n; i-- > 0;) {
                 const Token& t = before[i];
                 if (t.kind == Token::kIdent || (t.kind == Token::kPunct && (t.text == "," || t.text == "."))) continue;
                 if (t.kind != Token::kWord) return false;
                 if (kw(t) == "FROM") return true;
                 if (query::lookup_keyword(t.text) != query::Tok::kIdent) return false;
               }
               return false;
             }())) {
    out.names(names.measurements(db));
  } else if (at(1) == "MEASUREMENT" && (at(0) == "=" || at(0) == "!=")) {
    out.names(names.measurements(db));
  } else if ((at(1) == "KEY" && (at(0) == "=" || at(0) == "!=" || at(0) == "<>")) ||
             (at(2) == "KEY" && at(1) == "IN" && at(0) == "(") ||
             (at(0) == "," && [&] {
               for (size_t i = n; i-- > 0;) {
                 if (before[i].text == "(") return i >= 2 && kw(before[i - 1]) == "IN" && kw(before[i - 2]) == "KEY";
                 if (before[i].text != "," && before[i].kind == Token::kPunct) return false;
               }
               return false;
             }())) {
    out.names(names.tag_keys(db, m));
  } else {
    // The clause the cursor is in.
    std::string clause;
    for (size_t i = n; i-- > 0;) {
      std::string k = kw(before[i]);
      if (k == "SELECT" || k == "FROM" || k == "WHERE" || k == "GROUP" || k == "ORDER" || k == "LIMIT" ||
          k == "OFFSET" || k == "SLIMIT" || k == "SOFFSET" || k == "INTO") {
        clause = k;
        break;
      }
    }
    if (clause == "SELECT") {
      out.names(names.field_keys(db, m));
      out.names(names.tag_keys(db, m));
      out.functions();
      out.words({"FROM", "AS", "INTO"});
    } else if (clause == "WHERE") {
      out.names(names.tag_keys(db, m));
      out.names(names.field_keys(db, m));
      out.words({"time", "AND", "OR", "GROUP BY", "ORDER BY", "LIMIT", "now()"});
    } else if (clause == "FROM") {
      out.words({"WHERE", "GROUP BY", "ORDER BY", "LIMIT", "SLIMIT", "OFFSET", "SOFFSET", "tz("});
    } else if (clause == "GROUP") {
      out.names(names.tag_keys(db, m));
      out.words({"BY", "time(", "fill(", "ORDER BY", "LIMIT", "SLIMIT", "tz("});
    } else {
      out.words(keywords());
    }
  }
  c.candidates = out.take();
  if (c.candidates.size() == 1) {
    const std::string& only = c.candidates[0];
    if (std::find(kFunctions.begin(), kFunctions.end(), only) != kFunctions.end() &&
        (!partial || partial->kind == Token::kWord)) {
      c.suffix = "(";
    }
    if (only.ends_with("(")) c.suffix.clear();
  }
  return c;
}

std::string common_prefix(const std::vector<std::string>& candidates) {
  if (candidates.empty()) return {};
  std::string p = candidates[0];
  for (const auto& c : candidates) {
    size_t i = 0;
    while (i < p.size() && i < c.size() && p[i] == c[i]) i++;
    p.resize(i);
  }
  return p;
}

// -- Names from SHOW statements -------------------------------------------

namespace {

class ClientNames : public Names {
 public:
  explicit ClientNames(client::Client* c) : client_(c) {}

  std::vector<std::string> databases() override { return column("SHOW DATABASES", "", 0); }
  std::vector<std::string> measurements(const std::string& db) override {
    if (db.empty()) return {};
    return column("SHOW MEASUREMENTS ON " + quote_ident(db), db, 0);
  }
  std::vector<std::string> field_keys(const std::string& db, const std::string& m) override {
    if (db.empty()) return {};
    return column("SHOW FIELD KEYS ON " + quote_ident(db) + from(m), db, 0);
  }
  std::vector<std::string> tag_keys(const std::string& db, const std::string& m) override {
    if (db.empty()) return {};
    return column("SHOW TAG KEYS ON " + quote_ident(db) + from(m), db, 0);
  }
  std::vector<std::string> tag_values(const std::string& db, const std::string& m,
                                      const std::string& key) override {
    if (db.empty()) return {};
    return column("SHOW TAG VALUES ON " + quote_ident(db) + from(m) + " WITH KEY = " + quote_ident(key),
                  db, 1);
  }

 private:
  static std::string from(const std::string& m) { return m.empty() ? "" : " FROM " + quote_ident(m); }

  // Column `col` of every series the statement answers, deduplicated;
  // kept for a few seconds.
  std::vector<std::string> column(const std::string& q, const std::string& db, size_t col) {
    const auto now = std::chrono::steady_clock::now();
    auto it = cache_.find(q);
    if (it != cache_.end() && now - it->second.first < std::chrono::seconds(5)) return it->second.second;
    client::QueryOptions o;
    o.db = db;
    query::Results r = client_->query(q, o);
    std::set<std::string> seen;
    for (const auto& st : r.results) {
      for (const auto& s : st.series) {
        for (const auto& row : s.values) {
          if (col < row.size() && row[col].index() == 4) seen.insert(std::get<std::string>(row[col]));
        }
      }
    }
    std::vector<std::string> v(seen.begin(), seen.end());
    cache_[q] = {now, v};
    return v;
  }

  client::Client* client_;
  std::map<std::string, std::pair<std::chrono::steady_clock::time_point, std::vector<std::string>>> cache_;
};

}  // namespace

std::unique_ptr<Names> client_names(client::Client* client) {
  return std::make_unique<ClientNames>(client);
}

}  // namespace tsd::shell
