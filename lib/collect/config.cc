#include "collect/config.h"

#define TOML_HEADER_ONLY 0
#define TOML_SHARED_LIB 1
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <set>

#include "collect/system.h"
#include "core/file.h"

namespace tsd::collect {
namespace {

std::string where(const std::string& source, const toml::source_region& r) {
  return source + ":" + std::to_string(r.begin.line);
}

const char* type_word(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

// Options over one TOML table; remembers which keys were asked for.
class TomlOptions : public Options {
 public:
  // Reads `t`, which `keep` keeps alive (node copies lose their source
  // lines, so the options point into the parsed document). `skip` is a key
  // read elsewhere ([inputs.NAME.tags]).
  TomlOptions(std::shared_ptr<const toml::table> keep, const toml::table* t, std::string source,
              std::string section, std::string skip = "")
      : keep_(std::move(keep)), table_(*t), source_(std::move(source)), section_(std::move(section)),
        skip_(std::move(skip)) {}

  bool has(std::string_view key) const override {
    used_.insert(std::string(key));
    return key != skip_ && table_.contains(key);
  }

  Result<std::string> get_string(std::string_view key, std::string_view def) const override {
    const toml::node* n = find(key);
    if (!n) return std::string(def);
    if (auto v = n->value<std::string>(); v && n->is_string()) return *v;
    return type_error(key, *n, "a string");
  }

  Result<std::vector<std::string>> get_strings(std::string_view key,
                                               std::vector<std::string> def) const override {
    const toml::node* n = find(key);
    if (!n) return def;
    const toml::array* a = n->as_array();
    if (!a) return type_error(key, *n, "an array of strings");
    std::vector<std::string> out;
    for (const toml::node& e : *a) {
      if (!e.is_string()) return type_error(key, e, "an array of strings");
      out.push_back(*e.value<std::string>());
    }
    return out;
  }

  Result<int64_t> get_int(std::string_view key, int64_t def) const override {
    const toml::node* n = find(key);
    if (!n) return def;
    if (n->is_integer()) return *n->value<int64_t>();
    return type_error(key, *n, "an integer");
  }

  Result<bool> get_bool(std::string_view key, bool def) const override {
    const toml::node* n = find(key);
    if (!n) return def;
    if (n->is_boolean()) return *n->value<bool>();
    return type_error(key, *n, "a boolean");
  }

  Result<int64_t> get_duration(std::string_view key, int64_t def_ns) const override {
    const toml::node* n = find(key);
    if (!n) return def_ns;
    auto bad = [&](const std::string& why) {
      return Status::invalid_argument(where(source_, n->source()) + ": " + section_ + ": option \"" +
                                      std::string(key) + "\": " + why);
    };
    if (n->is_integer()) {  // seconds
      int64_t secs = *n->value<int64_t>(), ns = 0;
      if (__builtin_mul_overflow(secs, kSecond, &ns)) {
        return bad("duration out of range: " + std::to_string(secs) + " s");
      }
      return ns;
    }
    if (n->is_string()) {
      auto d = parse_config_duration(*n->value<std::string>());
      if (!d.ok()) return bad(d.status().message());
      return *d;
    }
    return type_error(key, *n, "a duration such as \"10s\"");
  }

  std::vector<std::string> unused_keys() const override {
    std::vector<std::string> out;
    for (const auto& [k, v] : table_) {
      if (k.str() != skip_ && !used_.count(std::string(k.str()))) out.emplace_back(k.str());
    }
    return out;
  }

 private:
  const toml::node* find(std::string_view key) const {
    used_.insert(std::string(key));
    if (key == skip_) return nullptr;
    return table_.get(key);
  }

  Status type_error(std::string_view key, const toml::node& n, const char* want) const {
    return Status::invalid_argument(where(source_, n.source()) + ": " + section_ + ": option \"" +
                                    std::string(key) + "\": expected " + want + ", got " +
                                    type_word(n));
  }

  std::shared_ptr<const toml::table> keep_;
  const toml::table& table_;
  std::string source_;
  std::string section_;
  std::string skip_;
  mutable std::set<std::string> used_;
};

Status read_agent(const TomlOptions& o, AgentConfig* a) {
  TSD_ASSIGN_OPT(a->interval, o.get_duration("interval", a->interval));
  TSD_ASSIGN_OPT(a->collection_jitter, o.get_duration("collection_jitter", a->collection_jitter));
  TSD_ASSIGN_OPT(a->flush_interval, o.get_duration("flush_interval", a->flush_interval));
  TSD_ASSIGN_OPT(a->flush_jitter, o.get_duration("flush_jitter", a->flush_jitter));
  TSD_ASSIGN_OPT(a->precision, o.get_duration("precision", a->precision));
  TSD_ASSIGN_OPT(a->round_interval, o.get_bool("round_interval", a->round_interval));
  TSD_ASSIGN_OPT(a->metric_batch_size, o.get_int("metric_batch_size", a->metric_batch_size));
  TSD_ASSIGN_OPT(a->metric_buffer_limit, o.get_int("metric_buffer_limit", a->metric_buffer_limit));
  TSD_ASSIGN_OPT(a->hostname, o.get_string("hostname", a->hostname));
  TSD_ASSIGN_OPT(a->omit_hostname, o.get_bool("omit_hostname", a->omit_hostname));
  if (a->interval <= 0) return Status::invalid_argument("[agent]: interval must be positive");
  if (a->flush_interval <= 0) return Status::invalid_argument("[agent]: flush_interval must be positive");
  if (a->metric_batch_size <= 0 || a->metric_buffer_limit <= 0) {
    return Status::invalid_argument("[agent]: metric_batch_size and metric_buffer_limit must be positive");
  }
  // Settings Telegraf has that do not apply here are accepted silently.
  for (const char* k : {"debug", "quiet", "logfile", "logtarget", "logfile_rotation_interval",
                        "logfile_rotation_max_size", "logfile_rotation_max_archives",
                        "log_with_timezone", "utc"}) {
    (void)o.has(k);
  }
  return Status();
}

// [[inputs.X]] / [[outputs.X]]: an array of tables, one plugin each.
Status read_plugins(const std::shared_ptr<const toml::table>& root, const toml::node& section,
                    const std::string& kind, const std::string& source,
                    std::vector<PluginConfig>* out, std::vector<std::string>* warnings) {
  const toml::table* t = section.as_table();
  if (!t) return Status::invalid_argument(where(source, section.source()) + ": \"" + kind + "\" must be a table");
  for (const auto& [name, node] : *t) {
    std::string n(name.str());
    auto add = [&](const toml::table& tbl) -> Status {
      PluginConfig p;
      p.name = n;
      p.where = where(source, tbl.source());
      if (const toml::node* tags = tbl.get("tags")) {
        const toml::table* tt = tags->as_table();
        if (!tt) return Status::invalid_argument(where(source, tags->source()) + ": " + kind + "." + n + ".tags must be a table");
        for (const auto& [tk, tv] : *tt) {
          if (!tv.is_string()) {
            return Status::invalid_argument(where(source, tv.source()) + ": " + kind + "." + n + ".tags: tag \"" +
                                            std::string(tk.str()) + "\": expected a string, got " + type_word(tv));
          }
          p.tags.push_back({std::string(tk.str()), *tv.value<std::string>()});
        }
      }
      p.options = std::make_shared<TomlOptions>(root, &tbl, source, kind + "." + n, "tags");
      out->push_back(std::move(p));
      return Status();
    };
    if (const toml::array* a = node.as_array()) {
      for (const toml::node& e : *a) {
        if (!e.is_table()) {
          return Status::invalid_argument(where(source, e.source()) + ": [[" + kind + "." + n +
                                          "]] must be a table");
        }
        TSD_RETURN_IF_ERROR(add(*e.as_table()));
      }
    } else if (const toml::table* tbl = node.as_table()) {
      TSD_RETURN_IF_ERROR(add(*tbl));  // [inputs.cpu] written with single brackets
    } else {
      warnings->push_back(where(source, node.source()) + ": ignoring \"" + kind + "." + n + "\"");
    }
  }
  return Status();
}

}  // namespace

Result<int64_t> parse_config_duration(std::string_view s) {
  if (s.empty()) return int64_t{0};
  return parse_duration(s);
}

std::shared_ptr<Options> empty_options() {
  auto empty = std::make_shared<const toml::table>();
  return std::make_shared<TomlOptions>(empty, empty.get(), "command line", "inputs");
}

Result<Config> parse_config(std::string_view text, const std::string& source) {
  auto root = std::make_shared<toml::table>();
  try {
    *root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::invalid_argument(source + ":" + std::to_string(b.line) + ":" +
                                    std::to_string(b.column) + ": " + std::string(e.description()));
  }
  Config c;
  for (const auto& [key, node] : *root) {
    std::string k(key.str());
    if (k == "agent") {
      if (!node.is_table()) return Status::invalid_argument(where(source, node.source()) + ": [agent] must be a table");
      TomlOptions o(root, node.as_table(), source, "agent");
      TSD_RETURN_IF_ERROR(read_agent(o, &c.agent));
      for (const auto& u : o.unused_keys()) {
        c.warnings.push_back(where(source, node.source()) + ": [agent]: unknown setting \"" + u + "\"");
      }
    } else if (k == "global_tags") {
      const toml::table* t = node.as_table();
      if (!t) return Status::invalid_argument(where(source, node.source()) + ": [global_tags] must be a table");
      for (const auto& [tk, tv] : *t) {
        if (!tv.is_string()) {
          return Status::invalid_argument(where(source, tv.source()) + ": global_tags: tag \"" +
                                          std::string(tk.str()) + "\": expected a string, got " + type_word(tv));
        }
        c.global_tags.push_back({std::string(tk.str()), *tv.value<std::string>()});
      }
    } else if (k == "inputs") {
      TSD_RETURN_IF_ERROR(read_plugins(root, node, "inputs", source, &c.inputs, &c.warnings));
    } else if (k == "outputs") {
      TSD_RETURN_IF_ERROR(read_plugins(root, node, "outputs", source, &c.outputs, &c.warnings));
    } else {
      c.warnings.push_back(where(source, node.source()) + ": ignoring unknown section [" + k + "]");
    }
  }
  return c;
}

Result<Config> load_config(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return Status::io_error("cannot read config " + text.status().message());
  return parse_config(*text, path);
}

}  // namespace tsd::collect
