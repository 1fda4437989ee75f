// The shell on a terminal (shell.h): libedit for line editing, history and
// completion; Ctrl-C through a flag the engine polls; tall results through
// the pager.
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <fstream>

#include "core/version.h"
#include "shell/complete.h"
#include "shell/shell.h"

namespace tsd::shell {
namespace {

constexpr size_t kHistoryEntries = 2000;  // kept in the file (twice that before it is cut)

volatile std::sig_atomic_t g_interrupted = 0;
volatile std::sig_atomic_t g_resized = 0;
std::atomic<bool> g_cancel{false};

void on_sigint(int) {
  g_interrupted = 1;
  g_cancel.store(true, std::memory_order_relaxed);
}
void on_sigwinch(int) { g_resized = 1; }

// History: libedit's list for the arrows, and a file of one entry a line,
// appended to after every command (a kill -9 loses nothing typed), mode
// 0600, cut to its last kHistoryEntries when it grows to twice that.
class HistoryFile {
 public:
  explicit HistoryFile(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    std::ifstream in(path_);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) entries_.push_back(line);
    }
    if (entries_.size() > 2 * kHistoryEntries) {
      entries_.erase(entries_.begin(), entries_.end() - static_cast<std::ptrdiff_t>(kHistoryEntries));
      rewrite();
    }
  }

  const std::vector<std::string>& entries() const { return entries_; }

  void add(const std::string& line) {
    if (line.empty() || line.find('\n') != std::string::npos) return;
    entries_.push_back(line);
    if (path_.empty()) return;
    int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    fchmod(fd, 0600);
    std::string rec = line + "\n";
    ssize_t w = ::write(fd, rec.data(), rec.size());
    (void)w;
    ::close(fd);
  }

 private:
  void rewrite() {
    std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    std::string all;
    for (const auto& e : entries_) all += e + "\n";
    bool ok = ::write(fd, all.data(), all.size()) == static_cast<ssize_t>(all.size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (ok) std::rename(tmp.c_str(), path_.c_str());
  }

  std::string path_;
  std::vector<std::string> entries_;
};

struct Repl {
  Shell* shell = nullptr;
  std::unique_ptr<Names> names;
  bool line_was_empty = true;  // at the last Ctrl-C
};
Repl* g_repl = nullptr;

const char* prompt(EditLine*) { return "> "; }

// Reads a character for libedit: UTF-8 from the terminal, and -1 (el_gets
// answers NULL) when Ctrl-C arrives, noting whether the line was empty.
int read_char(EditLine* el, wchar_t* out) {
  static std::mbstate_t state{};
  for (;;) {
    if (g_interrupted) {
      const LineInfo* li = el_line(el);
      g_repl->line_was_empty = li->lastchar == li->buffer;
      errno = EINTR;
      return -1;
    }
    char b;
    ssize_t r = ::read(STDIN_FILENO, &b, 1);
    if (r == 0) return 0;
    if (r < 0) {
      if (errno == EINTR) {
        if (g_resized) {
          g_resized = 0;
          el_resize(el);
        }
        continue;
      }
      return -1;
    }
    size_t k = std::mbrtowc(out, &b, 1, &state);
    if (k == static_cast<size_t>(-2)) continue;
    if (k == static_cast<size_t>(-1)) {
      state = std::mbstate_t{};
      *out = static_cast<unsigned char>(b);
    }
    return 1;
  }
}

// The terminal's columns and rows (stdout); false when it is none.
bool terminal_size(int* cols, int* rows) {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return false;
  *cols = ws.ws_col;
  *rows = ws.ws_row;
  return true;
}

// Prints candidates in columns under the line.
void list_candidates(const std::vector<std::string>& cands) {
  int cols = 80, rows = 24;
  terminal_size(&cols, &rows);
  const size_t width = static_cast<size_t>(cols);
  size_t w = 0;
  for (const auto& c : cands) w = std::max(w, c.size());
  w += 2;
  size_t per_line = std::max<size_t>(1, width / w);
  std::string out = "\n";
  for (size_t i = 0; i < cands.size(); i++) {
    out += cands[i];
    if ((i + 1) % per_line == 0 || i + 1 == cands.size()) {
      out += "\n";
    } else {
      out.append(w - cands[i].size(), ' ');
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

unsigned char complete_fn(EditLine* el, int) {
  const LineInfo* li = el_line(el);
  std::string_view line(li->buffer, static_cast<size_t>(li->lastchar - li->buffer));
  const size_t cursor = static_cast<size_t>(li->cursor - li->buffer);
  Completion c = complete(line, cursor, g_repl->shell->settings().db, *g_repl->names);
  if (c.candidates.empty()) return CC_REFRESH_BEEP;
  const size_t typed = cursor - std::min(c.start, cursor);
  std::string insert;
  if (c.candidates.size() == 1) {
    insert = c.candidates[0] + c.suffix;
  } else {
    insert = common_prefix(c.candidates);
    if (insert.size() <= typed) {
      list_candidates(c.candidates);
      return CC_REDISPLAY;
    }
  }
  el_deletestr(el, static_cast<int>(typed));
  el_insertstr(el, insert.c_str());
  return CC_REFRESH;
}

// Writes a command's output, through the pager when it is taller than
// the terminal.
void show(const std::string& text) {
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  const char* pager = std::getenv("PAGER");
  std::string cmd = pager != nullptr ? pager : "less -FRX";
  int cols = 0, rows = 0;
  if (!cmd.empty() && isatty(STDOUT_FILENO) && terminal_size(&cols, &rows) &&
      lines + 1 >= static_cast<size_t>(rows)) {
    std::fflush(stdout);
    // The pager owns Ctrl-C while it runs.
    struct sigaction ign = {}, old = {};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old);
    if (std::FILE* p = popen(cmd.c_str(), "w")) {
      std::fwrite(text.data(), 1, text.size(), p);
      pclose(p);
      sigaction(SIGINT, &old, nullptr);
      return;
    }
    sigaction(SIGINT, &old, nullptr);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

std::string default_history_file() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? std::string(home) + "/.tsd_history" : std::string();
}

int run_terminal(Shell& shell, const std::string& history_file, const std::string& resume) {
  std::setlocale(LC_CTYPE, "");
  Repl repl;
  repl.shell = &shell;
  repl.names = client_names(shell.client());
  g_repl = &repl;
  shell.decorate_errors = true;
  shell.colour = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;

  struct sigaction sa = {};
  sa.sa_handler = on_sigint;  // no SA_RESTART: a read returns at once
  sigaction(SIGINT, &sa, nullptr);
  sa.sa_handler = on_sigwinch;
  sigaction(SIGWINCH, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  HistoryFile hist_file(history_file);
  shell.history = [&] { return hist_file.entries(); };

  EditLine* el = el_init("tsd-query", stdin, stdout, stderr);
  History* hist = history_init();
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, static_cast<int>(kHistoryEntries));
  for (const auto& e : hist_file.entries()) history(hist, &ev, H_ENTER, e.c_str());
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_PROMPT, prompt);
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_GETCFN, read_char);
  // The wide call: the narrow one copies the names and never frees them.
  el_wset(el, EL_ADDFN, L"tsd-complete", L"complete InfluxQL", complete_fn);
  el_set(el, EL_BIND, "^I", "tsd-complete", nullptr);
  el_source(el, nullptr);  // ~/.editrc

  if (resume.empty()) {
    // A server says its version (/ping); the local client none.
    std::string version;
    if (!shell.client()->ping(&version).ok() || version.empty()) version = kVersion;
    std::printf("Connected to %s version %s\ntsd shell version: %s\n",
                shell.settings().location.c_str(), version.c_str(), kVersion);
  } else {
    // The same session, gone on from a program that could not connect.
    const std::string line = shell.restore(resume);
    if (!line.empty()) {
      std::string out;
      shell.run(line, &out);
      history(hist, &ev, H_ENTER, line.c_str());
      hist_file.add(line);
      show(out);
    }
  }
  // auth's questions: a line of the terminal, the password unechoed.
  shell.prompt = [](const char* question, bool secret, std::string* answer) {
    std::printf("%s", question);
    std::fflush(stdout);
    termios saved{};
    const bool tty = isatty(0) && tcgetattr(0, &saved) == 0;
    if (secret && tty) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(0, TCSAFLUSH, &quiet);
    }
    char buf[4096];
    const bool got = std::fgets(buf, sizeof buf, stdin) != nullptr;
    if (secret && tty) {
      tcsetattr(0, TCSAFLUSH, &saved);
      std::printf("\n");
    }
    if (!got) return false;
    *answer = buf;
    while (!answer->empty() && (answer->back() == '\n' || answer->back() == '\r')) answer->pop_back();
    return true;
  };
  std::fflush(stdout);

  int status = 0;
  bool interrupted_at_empty = false;
  for (;;) {
    g_interrupted = 0;
    g_cancel.store(false);
    int count = 0;
    const char* got = el_gets(el, &count);
    if (got == nullptr && g_interrupted) {
      el_reset(el);
      if (repl.line_was_empty && interrupted_at_empty) {
        std::printf("\n");
        break;
      }
      interrupted_at_empty = repl.line_was_empty;
      std::printf(repl.line_was_empty ? "^C (Ctrl-C again or Ctrl-D to quit)\n" : "^C\n");
      std::fflush(stdout);
      continue;
    }
    interrupted_at_empty = false;
    if (got == nullptr || count <= 0) {  // Ctrl-D
      std::printf("\n");
      break;
    }
    std::string line(got);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    std::string out;
    g_cancel.store(false);
    terminal_size(&shell.width, &shell.height);
    Shell::Outcome o = shell.run(line, &out, &g_cancel);
    if (o != Shell::Outcome::kBlank) {
      // As the influx shell: every command but auth is remembered.
      if (!line.starts_with("auth")) {
        history(hist, &ev, H_ENTER, line.c_str());
        hist_file.add(line);
      }
    }
    if (o == Shell::Outcome::kExit) break;
    if (o == Shell::Outcome::kFailed) status = 1;
    // The terminal echoed ^C where the cursor was.
    if (g_cancel.load()) std::fputc('\n', stdout);
    show(out);
  }
  history_end(hist);
  el_end(el);
  g_repl = nullptr;
  (void)status;  // as the influx shell: a session that ends by exit is a success
  return 0;
}

}  // namespace tsd::shell
