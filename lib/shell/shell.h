// lib/shell: tsd-query's shell, the influx 1.x shell's commands over
// lib/client. One Shell keeps the session's settings (database, RP,
// format, precision...) and runs one input line at a time; the terminal
// front end (repl.cc: libedit, history, completion, Ctrl-C, the pager)
// and the script front end (run_script: a pipe or a file) both feed it.
//
// The commands and their words are the influx shell's (1.6.7): use,
// precision, format, pretty, settings, insert [into], history, help,
// clear, exit/quit, chunked, chunk size, connect, auth, consistency; any
// other line is InfluxQL. Added: `timing on|off` (each statement's time,
// as psql's \timing), `expanded on|off` (one block per row), format line,
// `chart [line|spark|stat|gauge|bargauge|bar|table]` (the last result drawn
// by lib/render at the terminal's size).
// What each prints, errors included ("ERR: …" on the output, as the influx
// shell prints them), is the influx shell's, so a session gives the same
// text in both.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/client.h"
#include "core/status.h"
#include "query/format.h"

namespace tsd::shell {

struct Settings {
  std::string location;  // shown as Host by `settings` (the data directory or URL)
  // How the shell's client was opened: `connect` and `auth` open another
  // with a new URL or credentials.
  client::ConnectOptions connect;
  std::string db, rp;
  query::Format format = query::Format::kColumn;
  std::string precision = "ns";  // the influx shell's default; "" is rfc3339
  bool pretty = false;
  bool timing = false;
  bool expanded = false;
  bool chunked = true;  // accepted for the influx shell's scripts; no effect
  int chunk_size = 0;
  // Set in a program that cannot reach a server itself (a statically
  // linked tsd-query, core/program.h): `connect` calls it with the
  // shell's state (Shell::saved) and the connect line, to go on in a
  // program that can; it returns only when that could not start.
  std::function<Status(const std::string& resume)> relaunch;
};

class Shell {
 public:
  enum class Outcome {
    kOk,      // ran (or a command that printed its own complaint, as influx)
    kFailed,  // a statement or an insert failed
    kBlank,   // nothing to run
    kExit,    // exit, quit
  };

  Shell(client::Client* client, Settings settings) : client_(client), s_(std::move(settings)) {}

  // Runs one line; what it prints goes to *out. `cancel` (may be null)
  // stops a running statement (Ctrl-C).
  Outcome run(std::string_view line, std::string* out, const std::atomic<bool>* cancel = nullptr);

  const Settings& settings() const { return s_; }

  // The settings a shell goes on with elsewhere (db, rp, format,
  // precision, toggles, credentials) as text, and back: restore() applies
  // them and returns the line that was pending (a connect), if any.
  std::string saved() const;
  std::string restore(std::string_view saved);
  client::Client* client() { return client_; }

  // The terminal's size for `chart` (the front end sets it; 80x24 else).
  int width = 80, height = 24;

  // Asks for a line (secret: not echoed) for `auth` without arguments;
  // false when there is no answer. Unset: `auth` needs its arguments.
  std::function<bool(const char* prompt, bool secret, std::string* answer)> prompt;

  // What `history` prints (the front end's history); none by default.
  std::function<std::vector<std::string>()> history;
  // Whether errors get a caret under the position of a parse error and
  // colour (a terminal).
  bool decorate_errors = false;
  bool colour = false;

 private:
  Outcome query(std::string_view text, std::string* out, const std::atomic<bool>* cancel);
  Outcome insert(std::string_view line, std::string* out);
  void use(std::string_view line, std::string* out);
  void settings_table(std::string* out) const;
  void error(std::string_view message, std::string* out) const;

  void chart(std::string_view line, std::string* out) const;
  Outcome connect(std::string_view line, std::string* out);
  Outcome auth(std::string_view line, std::string* out);

  client::Client* client_;
  std::unique_ptr<client::Client> owned_;  // one opened by connect or auth
  Settings s_;
  query::Results last_;  // the last statement's results, for `chart`
};

// The text of `help` (also the SHELL section of tsd-query(1)).
extern const char* const kHelp;

// Runs every line of `in` as the shell (no prompt); the results go to
// `out`. Returns 1 when a statement failed, else 0.
int run_script(Shell& shell, std::FILE* in, std::FILE* out);

// The interactive shell on the terminal (repl.cc): banner, prompt,
// line editing, history in `history_file` (none when empty), completion,
// Ctrl-C, the pager. Returns the exit status.
// `resume` (Settings::relaunch's text; empty for a new shell): no
// banner, the settings restored and the pending line run first.
int run_terminal(Shell& shell, const std::string& history_file, const std::string& resume = {});

// ~/.tsd_history ("" without $HOME).
std::string default_history_file();

}  // namespace tsd::shell
