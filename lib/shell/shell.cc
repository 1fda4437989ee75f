// The shell's commands (shell.h), worded as the influx 1.6.7 shell's.
#include "shell/shell.h"

#include <chrono>
#include <cstdio>
#include <sstream>

#include "core/strings.h"
#include "core/time.h"
#include "query/engine.h"
#include "render/render.h"

namespace tsd::shell {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> fields(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// What follows the command word, lowered and trimmed (as the influx shell
// strips its keyword with strings.Replace: every occurrence of it).
std::string argument(std::string_view line, std::string_view word) {
  std::string s = ascii_lower(line);
  for (size_t at; (at = s.find(word)) != std::string::npos;) s.erase(at, word.size());
  return std::string(trim(s));
}

// Go's %q for plain text.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// The influx shell's parseDatabaseAndRetentionPolicy: db[.rp], either part
// double-quoted; a second unquoted dot is an error.
bool parse_db_rp(std::string_view stmt, std::string* db, std::string* rp) {
  bool in_quotes = false;
  int dots = 0;
  for (char c : trim(stmt)) {
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (c == '.' && !in_quotes) {
      if (++dots > 1) return false;
    } else {
      (dots == 1 ? rp : db)->push_back(c);
    }
  }
  return true;
}

// The influx shell's identifiers for `insert into`: a letter or '_' and
// word characters, or a double-quoted name.
std::string_view next_identifier(std::string_view s, std::string* ident) {
  ident->clear();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) i++;
  s.remove_prefix(i);
  if (s.empty()) return s;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_') {
    size_t n = 0;
    while (n < s.size() && word(s[n])) n++;
    ident->assign(s.substr(0, n));
    return s.substr(n);
  }
  if (s[0] == '"') {
    size_t n = 1;
    bool escaped = false;
    for (; n < s.size(); n++) {
      if (s[n] == '\\') {
        escaped = true;
      } else if (s[n] == '"' && !escaped) {
        break;
      } else {
        escaped = false;
      }
    }
    ident->assign(s.substr(1, n - 1));
    return n < s.size() ? s.substr(n + 1) : std::string_view();
  }
  return s;
}

// Whether a SHOW's first column holds `name` (the influx shell's check of
// use's database and RP).
bool first_column_has(const query::Results& r, const std::string& name) {
  for (const auto& st : r.results) {
    for (const auto& s : st.series) {
      for (const auto& row : s.values) {
        if (!row.empty() && row[0].index() == 4 && std::get<std::string>(row[0]) == name) return true;
      }
    }
  }
  return false;
}

bool on_off(std::string_view line, bool current) {
  std::vector<std::string> w = fields(ascii_lower(line));
  if (w.size() < 2) return !current;
  return w[1] == "on" || w[1] == "true" || w[1] == "1";
}

}  // namespace

const char* const kHelp = R"(Usage:
        connect <host:port>   connects to an InfluxDB server (or a URL: https://host:8086)
        auth                  prompts for username and password
        use <db_name>         sets current database
        use "db"."rp"         sets current database and retention policy
        format <format>       specifies the format of the results: column, csv, json or line
        precision <format>    specifies the format of the timestamp: rfc3339, h, m, s, ms, u or ns
        pretty                toggles pretty print for the json format
        insert <point>        writes a point (line protocol) into the current database
        insert into <rp> <point>, insert into <db>.<rp> <point>
                              writes a point into another retention policy or database
        timing [on|off]       prints the time each statement took
        expanded [on|off]     prints each row as a block of "column | value" lines
        history               displays command history
        settings              outputs the current settings for the shell
        chart [line|spark|stat|gauge|bargauge|bar|table]
                              draws the last result (a line chart by default) at the terminal's size
        clear                 clears settings such as database or retention policy.  run 'clear' for help
        exit/quit/ctrl+d      quits the shell

        Tab completes keywords, functions, databases (after use), measurements
        (after FROM), field and tag keys, and tag values (inside quotes after
        a tag key). Ctrl-C cancels the running statement; Ctrl-C twice at an
        empty prompt quits. Results taller than the terminal go through $PAGER
        (less -FRX).

        show databases        show database names
        show series           show series information
        show measurements     show measurement information
        show tag keys         show tag key information
        show field keys       show field key information

        Every InfluxQL statement runs as it is typed: see tsd-query(1).
)";

void Shell::error(std::string_view message, std::string* out) const {
  out->append(colour ? "\x1b[1;31mERR:\x1b[0m " : "ERR: ");
  out->append(message);
  out->push_back('\n');
}

Shell::Outcome Shell::run(std::string_view line, std::string* out,
                          const std::atomic<bool>* cancel) {
  const std::vector<std::string> tokens = fields(ascii_lower(line));
  if (tokens.empty()) return Outcome::kBlank;
  const std::string& cmd = tokens[0];
  if (cmd == "exit" || cmd == "quit") return Outcome::kExit;
  if (cmd == "help") {
    out->append(kHelp);
  } else if (cmd == "history") {
    if (history) {
      for (const auto& h : history()) out->append(h + "\n");
    }
  } else if (cmd == "format") {
    auto f = query::parse_format(argument(line, "format"));
    if (f.ok()) {
      s_.format = *f;
    } else {
      out->append("Unknown format " + quoted(argument(line, "format")) +
                  ". Please use json, csv, or column.\n");
    }
  } else if (cmd == "precision") {
    std::string p = argument(line, "precision");
    if (p == "h" || p == "m" || p == "s" || p == "ms" || p == "u" || p == "ns") {
      s_.precision = p;
    } else if (p == "rfc3339") {
      s_.precision.clear();
    } else {
      out->append("Unknown precision " + quoted(p) + ". Please use rfc3339, h, m, s, ms, u or ns.\n");
    }
  } else if (cmd == "consistency") {
    std::string c = argument(line, "consistency");
    if (c != "any" && c != "one" && c != "quorum" && c != "all") {
      out->append("Unknown consistency level " + quoted(c) +
                  ". Please use any, one, quorum, or all.\n");
    }
  } else if (cmd == "settings") {
    settings_table(out);
  } else if (cmd == "chunked") {
    s_.chunked = !s_.chunked;
    out->append(s_.chunked ? "chunked responses enabled\n" : "chunked reponses disabled\n");
  } else if (cmd == "chunk") {
    std::string a = ascii_lower(line);
    std::vector<std::string> w = fields(a);
    std::string n = w.size() >= 3 && w[1] == "size" ? w[2] : w.size() >= 2 ? w[1] : "";
    char* end = nullptr;
    long v = std::strtol(n.c_str(), &end, 10);
    if (n.empty() || *end != '\0') {
      out->append("unable to parse chunk size from " + quoted(n) + "\n");
    } else {
      s_.chunk_size = v <= 0 ? 0 : static_cast<int>(v);
      out->append("chunk size set to " + std::to_string(s_.chunk_size) + "\n");
    }
  } else if (cmd == "pretty") {
    s_.pretty = !s_.pretty;
    out->append(s_.pretty ? "Pretty print enabled\n" : "Pretty print disabled\n");
  } else if (cmd == "timing") {
    s_.timing = on_off(line, s_.timing);
    out->append(s_.timing ? "Timing is on.\n" : "Timing is off.\n");
  } else if (cmd == "expanded") {
    s_.expanded = on_off(line, s_.expanded);
    out->append(s_.expanded ? "Expanded display is on.\n" : "Expanded display is off.\n");
  } else if (cmd == "chart") {
    chart(line, out);
  } else if (cmd == "use") {
    use(line, out);
  } else if (cmd == "insert") {
    return insert(line, out);
  } else if (cmd == "clear") {
    std::string v = ascii_lower(trim(std::string(trim(line)).substr(5)));
    while (!v.empty() && v.back() == ';') v.pop_back();
    if (v == "database" || v == "db") {
      s_.db.clear();
      out->append("database context cleared\n");
    } else if (v == "retention policy" || v == "rp") {
      s_.rp.clear();
      out->append("retention policy context cleared\n");
    } else {
      if (!v.empty()) out->append("invalid command " + quoted(v) + ".\n");
      out->append(R"(Possible commands for 'clear' are:
    # Clear the database context
    clear database
    clear db

    # Clear the retention policy context
    clear retention policy
    clear rp
		
)");
    }
  } else if (cmd == "connect") {
    return connect(line, out);
  } else if (cmd == "auth") {
    return auth(line, out);
  } else if (cmd == "node") {
    error("node needs a cluster: this shell reads " + s_.location, out);
    return Outcome::kFailed;
  } else {
    return query(line, out, cancel);
  }
  return Outcome::kOk;
}

namespace {

// A value on one line of Shell::saved: backslash, tab and newline escaped.
std::string escape_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape_value(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); i++) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char n = v[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += v[i];
    }
  }
  return out;
}

}  // namespace

std::string Shell::saved() const {
  std::string out;
  auto put = [&](const char* key, std::string_view value) {
    out += key;
    out += '\t';
    out += escape_value(value);
    out += '\n';
  };
  put("db", s_.db);
  put("rp", s_.rp);
  put("format", query::format_name(s_.format));
  put("precision", s_.precision);
  put("pretty", s_.pretty ? "1" : "0");
  put("timing", s_.timing ? "1" : "0");
  put("expanded", s_.expanded ? "1" : "0");
  put("chunked", s_.chunked ? "1" : "0");
  put("chunk_size", std::to_string(s_.chunk_size));
  put("username", s_.connect.remote.username);
  put("password", s_.connect.remote.password);
  put("token", s_.connect.remote.token);
  return out;
}

std::string Shell::restore(std::string_view saved) {
  std::string pending;
  while (!saved.empty()) {
    const size_t nl = saved.find('\n');
    std::string_view line = saved.substr(0, nl);
    saved = nl == std::string_view::npos ? std::string_view() : saved.substr(nl + 1);
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, tab);
    const std::string value = unescape_value(line.substr(tab + 1));
    if (key == "db") {
      s_.db = value;
    } else if (key == "rp") {
      s_.rp = value;
    } else if (key == "format") {
      if (auto f = query::parse_format(value); f.ok()) s_.format = *f;
    } else if (key == "precision") {
      s_.precision = value;
    } else if (key == "pretty") {
      s_.pretty = value == "1";
    } else if (key == "timing") {
      s_.timing = value == "1";
    } else if (key == "expanded") {
      s_.expanded = value == "1";
    } else if (key == "chunked") {
      s_.chunked = value == "1";
    } else if (key == "chunk_size") {
      s_.chunk_size = std::atoi(value.c_str());
    } else if (key == "username") {
      s_.connect.remote.username = value;
    } else if (key == "password") {
      s_.connect.remote.password = value;
    } else if (key == "token") {
      s_.connect.remote.token = value;
    } else if (key == "pending") {
      pending = value;
    }
  }
  return pending;
}

// connect [host:port | URL]: as the influx shell, a host without a port
// is on 8086 and no address reconnects; silent when it worked, the old
// connection kept when it did not.
Shell::Outcome Shell::connect(std::string_view line, std::string* out) {
  std::string addr(trim(trim(line).substr(7)));
  while (!addr.empty() && addr.back() == ';') addr.pop_back();
  client::ConnectOptions co = s_.connect;
  if (addr.empty()) {
    if (co.remote.url.empty()) {
      error("connect needs an address (host:port or a URL)", out);
      return Outcome::kFailed;
    }
  } else {
    if (addr.find("://") == std::string::npos) {
      const size_t colon = addr.rfind(':');
      if (colon == std::string::npos || addr.find(']', colon) != std::string::npos) addr += ":8086";
      addr = "http://" + addr;
    }
    co.remote.url = addr;
  }
  if (s_.relaunch) {
    // This program cannot reach a server: the shell goes on where one
    // can, as it is, and runs this connect there.
    Status r = s_.relaunch(saved() + "pending\t" + escape_value(trim(line)) + "\n");
    error(r.message(), out);
    return Outcome::kFailed;
  }
  auto c = client::open(co);
  std::string version;
  if (Status p = c->ping(&version); !p.ok()) {
    error(p.message(), out);
    return Outcome::kFailed;
  }
  owned_ = std::move(c);
  client_ = owned_.get();
  s_.connect = co;
  s_.location = client_->location();
  return Outcome::kOk;
}

// auth [user password]: without them asked for as the influx shell does
// ("username: ", "password: " unechoed).
Shell::Outcome Shell::auth(std::string_view line, std::string* out) {
  std::vector<std::string> w;
  std::string_view rest = trim(line);
  while (!rest.empty()) {
    size_t sp = rest.find_first_of(" \t");
    w.emplace_back(rest.substr(0, sp));
    if (sp == std::string_view::npos) break;
    rest = trim(rest.substr(sp));
  }
  client::ConnectOptions co = s_.connect;
  if (w.size() == 3) {
    co.remote.username = w[1];
    co.remote.password = w[2];
  } else {
    std::string u, p;
    if (!prompt || !prompt("username: ", false, &u) || !prompt("password: ", true, &p)) {
      out->append("Unable to process input: auth needs a user name and a password\n");
      return Outcome::kFailed;
    }
    co.remote.username = std::string(trim(u));
    co.remote.password = p;
  }
  s_.connect = co;
  if (!co.remote.url.empty()) {
    owned_ = client::open(co);
    client_ = owned_.get();
  }
  return Outcome::kOk;
}

void Shell::use(std::string_view line, std::string* out) {
  std::string_view cmd = trim(line);
  while (!cmd.empty() && cmd.back() == ';') cmd.remove_suffix(1);
  size_t sp = cmd.find(' ');
  if (sp == std::string_view::npos) {
    out->append("Could not parse database name from " + quoted(line) + ".\n");
    return;
  }
  std::string db, rp;
  std::string_view stmt = cmd.substr(sp + 1);
  if (!parse_db_rp(stmt, &db, &rp)) {
    out->append("Unable to parse database or retention policy from " + std::string(stmt));
    return;
  }
  client::QueryOptions qo;
  query::Results r = client_->query("SHOW DATABASES", qo);
  if (r.failed()) {
    error(r.first_error(), out);
    out->append("DB does not exist!\n");
    return;
  }
  if (!first_column_has(r, db)) {
    error("Database " + db + " doesn't exist. Run SHOW DATABASES for a list of existing databases.",
          out);
    out->append("DB does not exist!\n");
    return;
  }
  s_.db = db;
  out->append("Using database " + db + "\n");
  if (rp.empty()) return;
  std::string show = "SHOW RETENTION POLICIES ON \"" + db + "\"";
  r = client_->query(show, qo);
  if (!first_column_has(r, rp)) {
    error("RETENTION POLICY " + rp + " doesn't exist. Run SHOW RETENTION POLICIES ON " +
              quoted(db) + " for a list of existing retention polices.",
          out);
    return;
  }
  s_.rp = rp;
  out->append("Using retention policy " + rp + "\n");
}

Shell::Outcome Shell::insert(std::string_view line, std::string* out) {
  std::string word;
  std::string_view rest = next_identifier(line, &word);  // "insert"
  std::string_view point = rest;
  client::WriteOptions wo;
  wo.db = s_.db;
  wo.rp = s_.rp;
  std::string_view after_into = next_identifier(rest, &word);
  if (ascii_lower(word) == "into") {
    std::string ident;
    std::string_view r = next_identifier(after_into, &ident);
    if (!r.empty() && r[0] == '.') {
      wo.db = ident;
      r = next_identifier(r.substr(1), &ident);
    }
    if (!r.empty() && r[0] == ' ') {
      wo.rp = ident;
      r.remove_prefix(1);
    }
    point = r;
  } else {
    // The influx shell sends what follows "insert" as it is (its leading
    // space is dropped by the server).
    point = trim(point);
  }
  if (s_.precision.empty()) {
    wo.precision = Precision::kNanosecond;
  } else {
    auto p = parse_precision(s_.precision);
    wo.precision = p.ok() ? *p : Precision::kNanosecond;
  }
  Status st = client_->write(point, wo);
  if (st.ok()) return Outcome::kOk;
  // The influx shell prints the server's JSON error body, newline included.
  std::string body = "{\"error\":";
  query::append_json_string(st.message(), &body);
  body += "}\n";
  error(body, out);
  if (s_.db.empty()) {
    out->append(
        "Note: error may be due to not setting a database or retention policy.\n"
        "Please set a database with the command \"use <database>\" or\n"
        "INSERT INTO <database>.<retention-policy> <point>\n");
  }
  return Outcome::kFailed;
}

Shell::Outcome Shell::query(std::string_view text, std::string* out,
                            const std::atomic<bool>* cancel) {
  client::QueryOptions qo;
  qo.db = s_.db;
  qo.rp = s_.rp;
  qo.cancel = cancel;
  qo.chunked = s_.chunked;
  const auto t0 = std::chrono::steady_clock::now();
  query::Results r = client_->query(text, qo);
  const auto t1 = std::chrono::steady_clock::now();
  last_ = r;

  std::string first_error = r.first_error();
  if (first_error == query::kInterrupted && cancel != nullptr && cancel->load()) {
    first_error = "aborted by user";
  }
  // With a retention policy set, the influx shell parses the statement
  // itself first: a parse error is its parser's, without the server's
  // "error parsing query: ".
  constexpr std::string_view kParsing = "error parsing query: ";
  if (!r.error.empty() && !s_.rp.empty() && first_error.starts_with(kParsing)) {
    first_error.erase(0, kParsing.size());
  }

  query::FormatOptions fo;
  fo.format = s_.format;
  fo.precision = s_.precision;
  fo.pretty = s_.pretty;
  fo.shell = true;
  fo.expanded = s_.expanded;
  // A failed request prints only its error; in json the influx shell
  // shows the server's body first (unless its own parser failed).
  if (r.error.empty() || (fo.format == query::Format::kJson && s_.rp.empty())) {
    switch (fo.format) {
      case query::Format::kJson: query::format_json(r, fo, out); break;
      case query::Format::kCsv: query::format_csv(r, fo, out); break;
      case query::Format::kColumn: query::format_column(r, fo, out); break;
      case query::Format::kLine: {
        std::string err;
        query::format_line(r, fo, out, &err);
        out->append(err);
        break;
      }
    }
  }
  if (first_error.empty()) {
    if (s_.timing) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "Time: %.3f ms\n",
                    std::chrono::duration<double, std::milli>(t1 - t0).count());
      out->append(buf);
    }
    return Outcome::kOk;
  }
  error(first_error, out);
  if (decorate_errors) {
    // A caret under "at line L, char C" of a parse error.
    int l = 0, c = 0;
    size_t at = first_error.rfind(" at line ");
    if (at != std::string::npos &&
        std::sscanf(first_error.c_str() + at, " at line %d, char %d", &l, &c) == 2 && l >= 1 && c >= 1) {
      std::string_view rest = text;
      for (int i = 1; i < l && !rest.empty(); i++) {
        size_t nl = rest.find('\n');
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      }
      std::string_view stmt_line = rest.substr(0, rest.find('\n'));
      out->append("  " + std::string(stmt_line) + "\n");
      // char counts runes; pad with the bytes before it (tabs kept).
      std::string pad;
      int runes = 0;
      for (size_t i = 0; i < stmt_line.size() && runes < c - 1; i++) {
        if ((static_cast<unsigned char>(stmt_line[i]) & 0xC0) == 0x80) continue;
        pad.push_back(stmt_line[i] == '\t' ? '\t' : ' ');
        runes++;
      }
      out->append("  " + pad + (colour ? "\x1b[1;31m^\x1b[0m\n" : "^\n"));
    }
  }
  if (s_.db.empty()) {
    out->append(
        "Warning: It is possible this error is due to not setting a database.\n"
        "Please set a database with the command \"use <database>\".\n");
  }
  return Outcome::kFailed;
}

void Shell::chart(std::string_view line, std::string* out) const {
  std::vector<std::string> w = fields(ascii_lower(line));
  auto panel = render::parse_panel(w.size() >= 2 ? w[1] : "line");
  if (!panel.ok()) {
    out->append("Unknown chart " + quoted(w[1]) + ". Please use line, spark, stat, gauge, bargauge, bar or table.\n");
    return;
  }
  if (last_.results.empty() && last_.error.empty()) {
    out->append("Nothing to chart: run a SELECT first.\n");
    return;
  }
  render::Options o;
  o.width = width;
  o.height = height - 2;  // the command and the next prompt stay on screen (no pager)
  o.color = colour;
  out->append(render::render(*panel, last_, o));
}

void Shell::settings_table(std::string* out) const {
  // text/tabwriter with minwidth 0, tabwidth 1, padding 1.
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Setting", "Value"},
      {"--------", "--------"},
      {"Host", s_.location},
      {"Username", ""},
      {"Database", s_.db},
      {"RetentionPolicy", s_.rp},
      {"Pretty", s_.pretty ? "true" : "false"},
      {"Format", std::string(query::format_name(s_.format))},
      {"Precision", s_.precision.empty() ? "rfc3339" : s_.precision},
      {"Write Consistency", "all"},
      {"Chunked", s_.chunked ? "true" : "false"},
      {"Chunk Size", std::to_string(s_.chunk_size)},
      {"Timing", s_.timing ? "on" : "off"},
      {"Expanded", s_.expanded ? "on" : "off"},
  };
  size_t w = 0;
  for (const auto& [k, v] : rows) w = std::max(w, k.size());
  for (const auto& [k, v] : rows) {
    out->append(k);
    out->append(w + 1 - k.size(), ' ');
    out->append(v + "\n");
  }
  out->push_back('\n');
}

int run_script(Shell& shell, std::FILE* in, std::FILE* out) {
  int status = 0;
  char* buf = nullptr;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&buf, &cap, in)) >= 0) {
    std::string_view line(buf, static_cast<size_t>(n));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    std::string text;
    Shell::Outcome o = shell.run(line, &text);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
    if (o == Shell::Outcome::kFailed) status = 1;
    if (o == Shell::Outcome::kExit) break;
  }
  std::free(buf);
  return status;
}

}  // namespace tsd::shell
