#include "storage/paths.h"

#include <cstdlib>

namespace tsd::storage {

std::string default_data_dir() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  std::string d = env("TSD_DATA");
  if (!d.empty()) return d;
  d = env("XDG_DATA_HOME");
  if (!d.empty() && d[0] == '/') return d + "/tsd";
  d = env("HOME");
  if (!d.empty()) return d + "/.local/share/tsd";
  return "";
}
namespace {

void join(std::string* path, std::string_view name) {
  if (!path->empty() && path->back() != '/') *path += '/';
  *path += escape_path_component(name);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string escape_path_component(std::string_view name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); i++) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || (c == '.' && i > 0);
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string unescape_path_component(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (size_t i = 0; i < component.size(); i++) {
    if (component[i] == '%' && i + 2 < component.size()) {
      int hi = hex_value(component[i + 1]), lo = hex_value(component[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += component[i];
  }
  return out;
}

std::string meta_db_path(std::string_view data_dir) {
  std::string p(data_dir);
  if (!p.empty() && p.back() != '/') p += '/';
  return p + "meta.db";
}

std::string database_dir(std::string_view data_dir, std::string_view db) {
  std::string p(data_dir);
  join(&p, db);
  return p;
}

std::string retention_policy_dir(std::string_view data_dir, std::string_view db,
                                 std::string_view rp) {
  std::string p = database_dir(data_dir, db);
  join(&p, rp);
  return p;
}

std::string shard_path(std::string_view data_dir, std::string_view db, std::string_view rp,
                       int64_t shard_id) {
  return retention_policy_dir(data_dir, db, rp) + "/" + std::to_string(shard_id) + ".db";
}

std::string shard_display_name(std::string_view db, std::string_view rp, int64_t shard_id) {
  std::string s(db);
  s += '/';
  s += rp;
  s += '/';
  s += std::to_string(shard_id);
  s += ".db";
  return s;
}

}  // namespace tsd::storage
