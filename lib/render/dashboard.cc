// Dashboard files (dashboard.h, docs/dashboards.md): TOML read with
// toml++. A mistake in a panel or a variable stays with it (the panel
// draws the message, the others draw on); only a file that is not TOML,
// or a top-level key that is wrong, fails the whole file.
#include "render/dashboard.h"

#define TOML_HEADER_ONLY 0
#define TOML_SHARED_LIB 1
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <set>

#include "core/file.h"

namespace tsd::render {
namespace {

std::string at(const std::string& source, const toml::node& n) {
  return source + ":" + std::to_string(n.source().begin.line);
}

// Reads the keys of one table, remembering the first problem (with its
// line) instead of stopping: a panel keeps drawing what it can.
class Reader {
 public:
  Reader(const toml::table& t, std::string source, std::string what)
      : t_(t), source_(std::move(source)), what_(std::move(what)) {}

  void str(std::string_view key, std::string* out) {
    if (const toml::node* n = get(key)) {
      if (n->is_string()) {
        *out = *n->value<std::string>();
      } else {
        bad(*n, key, "a string");
      }
    }
  }
  // A string, or an array of strings.
  void strs(std::string_view key, std::vector<std::string>* out) {
    const toml::node* n = get(key);
    if (!n) return;
    if (n->is_string()) {
      out->assign(1, *n->value<std::string>());
      return;
    }
    const toml::array* a = n->as_array();
    if (!a) return bad(*n, key, "a string or an array of strings");
    out->clear();
    for (const toml::node& e : *a) {
      if (!e.is_string()) return bad(e, key, "an array of strings");
      out->push_back(*e.value<std::string>());
    }
  }
  void num(std::string_view key, double* out) {
    if (const toml::node* n = get(key)) {
      if (n->is_number()) {
        *out = *n->value<double>();
      } else {
        bad(*n, key, "a number");
      }
    }
  }
  void nums(std::string_view key, std::vector<double>* out) {
    const toml::node* n = get(key);
    if (!n) return;
    const toml::array* a = n->as_array();
    if (!a) return bad(*n, key, "an array of numbers");
    out->clear();
    for (const toml::node& e : *a) {
      if (!e.is_number()) return bad(e, key, "an array of numbers");
      out->push_back(*e.value<double>());
    }
  }
  void integer(std::string_view key, int* out, int lo, int hi) {
    const toml::node* n = get(key);
    if (!n) return;
    if (!n->is_integer()) return bad(*n, key, "an integer");
    int64_t v = *n->value<int64_t>();
    if (v < lo || v > hi) {
      return fail(*n, "\"" + std::string(key) + "\" is " + std::to_string(v) + ", not in " +
                          std::to_string(lo) + ".." + std::to_string(hi));
    }
    *out = static_cast<int>(v);
  }
  void boolean(std::string_view key, bool* out) {
    if (const toml::node* n = get(key)) {
      if (n->is_boolean()) {
        *out = *n->value<bool>();
      } else {
        bad(*n, key, "true or false");
      }
    }
  }
  void known(std::string_view key) { used_.insert(std::string(key)); }
  // The first key that was never asked for (a typo, most likely).
  void no_other_keys() {
    for (const auto& [k, v] : t_) {
      if (!used_.count(std::string(k.str()))) {
        fail(v, "unknown key \"" + std::string(k.str()) + "\"");
        return;
      }
    }
  }
  const std::string& error() const { return error_; }

 private:
  const toml::node* get(std::string_view key) {
    used_.insert(std::string(key));
    return t_.get(key);
  }
  void bad(const toml::node& n, std::string_view key, const char* want) {
    fail(n, "\"" + std::string(key) + "\" must be " + want);
  }
  void fail(const toml::node& n, const std::string& why) {
    if (error_.empty()) error_ = at(source_, n) + ": " + what_ + ": " + why;
  }

  const toml::table& t_;
  std::string source_, what_;
  std::set<std::string> used_;
  std::string error_;
};

// The tables of an array of tables ([[panels]]); `error` when the key is
// something else.
std::vector<const toml::table*> tables(const toml::table& root, std::string_view key,
                                       const std::string& source, std::string* error) {
  std::vector<const toml::table*> out;
  const toml::node* n = root.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (a) {
    for (const toml::node& e : *a) {
      if (const toml::table* t = e.as_table()) out.push_back(t);
    }
  }
  if (!a || out.size() != a->size()) {
    *error = at(source, *n) + ": \"" + std::string(key) + "\" must be tables: [[" +
             std::string(key) + "]]";
  }
  return out;
}

Variable read_variable(const toml::table& t, const std::string& source, size_t i) {
  Variable v;
  Reader r(t, source, "variable " + std::to_string(i + 1));
  r.str("name", &v.name);
  r.str("query", &v.query);
  r.str("database", &v.db);
  r.strs("values", &v.options);
  r.str("regex", &v.regex);
  r.boolean("multi", &v.multi);
  r.boolean("include_all", &v.include_all);
  r.str("all_value", &v.all_value);
  r.strs("default", &v.current);
  r.no_other_keys();
  v.error = r.error();
  if (v.error.empty()) {
    const std::string where = at(source, t) + ": variable " + std::to_string(i + 1);
    if (v.name.empty()) {
      v.error = where + ": it needs a \"name\"";
    } else if (v.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
               std::string::npos) {
      v.error = where + ": the name \"" + v.name + "\" must be letters, digits and _";
    } else if (v.query.empty() == v.options.empty()) {
      v.error = where + " (" + v.name + "): it needs either a \"query\" or \"values\"";
    }
  }
  return v;
}

PanelSpec read_panel(const toml::table& t, const std::string& source, size_t i) {
  PanelSpec p;
  Reader r(t, source, "panel " + std::to_string(i + 1));
  r.str("title", &p.title);
  r.str("type", &p.type);
  std::vector<std::string> one;
  r.strs("query", &one);
  r.strs("queries", &p.queries);
  p.queries.insert(p.queries.begin(), one.begin(), one.end());
  r.str("database", &p.db);
  r.str("rp", &p.rp);
  r.str("unit", &p.unit);
  r.str("alias", &p.alias);
  r.nums("thresholds", &p.thresholds);
  r.num("min", &p.min);
  r.num("max", &p.max);
  r.str("min_interval", &p.min_interval);
  r.integer("x", &p.x, 0, 23);
  r.integer("y", &p.y, 0, 10000);
  r.integer("w", &p.w, 1, 24);
  r.integer("h", &p.h, 3, 200);
  r.no_other_keys();
  p.error = r.error();
  if (p.error.empty()) {
    if (auto k = panel_type(p.type); !k.ok()) {
      p.error = at(source, t) + ": panel " + std::to_string(i + 1) + ": " + k.status().message();
    } else if (p.queries.empty()) {
      p.error = at(source, t) + ": panel " + std::to_string(i + 1) + ": it needs a \"query\"";
    } else if (p.x >= 0 && p.x + p.w > 24) {
      p.error = at(source, t) + ": panel " + std::to_string(i + 1) + ": x + w is " +
                std::to_string(p.x + p.w) + ", more than the grid's 24 columns";
    }
  }
  return p;
}

}  // namespace

Result<Dashboard> parse_dashboard(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Status::invalid_argument(source + ":" + std::to_string(e.source().begin.line) + ":" +
                                    std::to_string(e.source().begin.column) + ": " +
                                    std::string(e.description()));
  }
  Dashboard d;
  d.source = source;
  Reader r(root, source, "dashboard");
  r.str("title", &d.title);
  r.str("database", &d.db);
  r.str("rp", &d.rp);
  r.str("from", &d.from);
  r.str("to", &d.to);
  r.str("refresh", &d.refresh);
  r.str("min_interval", &d.min_interval);
  r.str("timezone", &d.timezone);
  std::string error;
  std::vector<const toml::table*> vars = tables(root, "variables", source, &error);
  std::vector<const toml::table*> panels = tables(root, "panels", source, &error);
  r.known("variables");
  r.known("panels");
  r.no_other_keys();
  if (!r.error().empty()) return Status::invalid_argument(r.error());
  if (!error.empty()) return Status::invalid_argument(error);
  if (panels.empty()) return Status::invalid_argument(source + ": no [[panels]]: nothing to draw");
  std::set<std::string> names;
  for (size_t i = 0; i < vars.size(); i++) {
    d.variables.push_back(read_variable(*vars[i], source, i));
    Variable& v = d.variables.back();
    if (v.error.empty() && !names.insert(v.name).second) {
      v.error = at(source, *vars[i]) + ": variable \"" + v.name + "\" is defined twice";
    }
  }
  for (size_t i = 0; i < panels.size(); i++) d.panels.push_back(read_panel(*panels[i], source, i));
  return d;
}

Result<Dashboard> load_dashboard(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_dashboard(*text, path);
}

}  // namespace tsd::render
