// Tab completion for the shell: what may follow the cursor, from the words
// before it and the names the catalog and the series index hold (through
// SHOW statements: completion never scans data). Pure but for Names.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/client.h"

namespace tsd::shell {

// The names completion offers.
class Names {
 public:
  virtual ~Names() = default;
  virtual std::vector<std::string> databases() = 0;
  virtual std::vector<std::string> measurements(const std::string& db) = 0;
  // Of measurement m, or of every measurement when m is empty.
  virtual std::vector<std::string> field_keys(const std::string& db, const std::string& m) = 0;
  virtual std::vector<std::string> tag_keys(const std::string& db, const std::string& m) = 0;
  virtual std::vector<std::string> tag_values(const std::string& db, const std::string& m,
                                              const std::string& key) = 0;
};

// Names through `client`'s SHOW statements, each answer kept for a few
// seconds (a burst of Tab presses asks once).
std::unique_ptr<Names> client_names(client::Client* client);

struct Completion {
  size_t start = 0;                     // the word being completed is line[start, cursor)
  std::vector<std::string> candidates;  // sorted, each replacing that word
  std::string suffix;                   // appended after a unique candidate (" ", "(", "'")
};

// What completes line[0, cursor) (the rest of the line is read too: a
// FROM after the cursor names the measurement of the SELECT list). `db`
// is the shell's current database.
Completion complete(std::string_view line, size_t cursor, const std::string& db, Names& names);

// The longest prefix the candidates share.
std::string common_prefix(const std::vector<std::string>& candidates);

}  // namespace tsd::shell
