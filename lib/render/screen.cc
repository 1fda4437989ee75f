// The live screen (screen.h): alternate screen, keys without echo, signals
// through a self-pipe, the terminal given back on every way out we can see.
#include "render/screen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace tsd::render {
namespace {

constexpr char kEnter[] = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";  // alternate screen, no cursor
constexpr char kLeave[] = "\x1b[?25h\x1b[?1049l";               // cursor, normal screen

// What the signal handlers and atexit need; only async-signal-safe calls
// touch it from a handler.
volatile std::sig_atomic_t g_on_screen = 0;  // the alternate screen is ours
volatile std::sig_atomic_t g_raw = 0;        // g_tio is to be put back on g_tty
volatile std::sig_atomic_t g_quit_pending = 0;
int g_tty = -1;
termios g_tio{};   // the terminal's settings before
termios g_raw_tio{};  // ours (again after SIGCONT)
int g_pipe[2] = {-1, -1};  // signal handlers -> wait()

constexpr int kQuitSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
constexpr int kNoteSignals[] = {SIGWINCH, SIGCONT};
struct sigaction g_old[NSIG];
bool g_installed[NSIG] = {};

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        pollfd pf{fd, POLLOUT, 0};
        ::poll(&pf, 1, 100);
        continue;
      }
      return;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// Async-signal-safe.
void restore_terminal() {
  if (g_on_screen) {
    g_on_screen = 0;
    write_all(STDOUT_FILENO, kLeave, sizeof kLeave - 1);
  }
  if (g_raw) {
    g_raw = 0;
    tcsetattr(g_tty, TCSADRAIN, &g_tio);
  }
}

void notify(char c) {
  if (g_pipe[1] < 0) return;
  ssize_t w = ::write(g_pipe[1], &c, 1);
  (void)w;
}

void on_quit(int sig) {
  const int e = errno;
  if (g_quit_pending) {  // the second: no waiting for the program
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
  }
  g_quit_pending = 1;
  notify('q');
  errno = e;
}

void on_note(int sig) {
  const int e = errno;
  notify(sig == SIGCONT ? 'c' : 'w');
  errno = e;
}

void on_fatal(int sig, siginfo_t* info, void*) {
  restore_terminal();
  sigaction(sig, &g_old[sig], nullptr);
  // A fault happens again when the handler returns (under the old
  // action); a signal that was sent is sent again.
  if (info == nullptr || info->si_code <= 0) raise(sig);
}

void at_exit() { restore_terminal(); }

void install(int sig, void (*handler)(int)) {
  struct sigaction old{};
  if (sigaction(sig, nullptr, &old) != 0) return;
  if (old.sa_handler == SIG_IGN && !(old.sa_flags & SA_SIGINFO)) return;  // nohup and the like
  struct sigaction sa{};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  if (sigaction(sig, &sa, &g_old[sig]) == 0) g_installed[sig] = true;
}

void install_fatal(int sig) {
  struct sigaction sa{};
  sa.sa_sigaction = on_fatal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
  if (sigaction(sig, &sa, &g_old[sig]) == 0) g_installed[sig] = true;
}

void uninstall_all() {
  for (int sig = 1; sig < NSIG; sig++) {
    if (!g_installed[sig]) continue;
    sigaction(sig, &g_old[sig], nullptr);
    g_installed[sig] = false;
  }
}

int64_t mono_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void enter() {
  std::fflush(stdout);
  write_all(STDOUT_FILENO, kEnter, sizeof kEnter - 1);
  g_on_screen = 1;
  if (g_tty >= 0 && tcsetattr(g_tty, TCSADRAIN, &g_raw_tio) == 0) g_raw = 1;
}

}  // namespace

LiveScreen::LiveScreen() {
  interactive_ = isatty(STDOUT_FILENO) != 0;
  if (!interactive_) return;
  if (isatty(STDIN_FILENO)) {
    tty_fd_ = STDIN_FILENO;
  } else {
    tty_fd_ = ::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY);
    own_tty_ = tty_fd_ >= 0;
  }
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  g_quit_pending = 0;
  g_tty = -1;
  if (tty_fd_ >= 0 && tcgetattr(tty_fd_, &g_tio) == 0) {
    g_tty = tty_fd_;
    g_raw_tio = g_tio;
    // Keys one at a time, no echo, Ctrl-C / Ctrl-Z / Ctrl-S as keys.
    g_raw_tio.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
    g_raw_tio.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
    g_raw_tio.c_cc[VMIN] = 1;
    g_raw_tio.c_cc[VTIME] = 0;
  }
  for (int sig : kQuitSignals) install(sig, on_quit);
  for (int sig : kNoteSignals) install(sig, on_note);
  for (int sig : kFatalSignals) install_fatal(sig);
  static bool registered = false;
  if (!registered) {
    registered = std::atexit(at_exit) == 0;
  }
  enter();
  raw_ = g_raw != 0;
}

LiveScreen::~LiveScreen() { restore(); }

void LiveScreen::restore() {
  if (!interactive_) return;
  interactive_ = false;
  std::fflush(stdout);
  restore_terminal();
  raw_ = false;
  uninstall_all();
  for (int& fd : g_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  if (own_tty_) ::close(tty_fd_);
  tty_fd_ = -1;
  own_tty_ = false;
  g_tty = -1;
}

void LiveScreen::size(int* width, int* height) const {
  *width = 80;
  *height = 24;
  if (!interactive_) return;
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
    *width = ws.ws_col;
    *height = ws.ws_row;
  }
}

void LiveScreen::draw(std::string_view frame) {
  if (!interactive_) {
    std::fwrite(frame.data(), 1, frame.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    return;
  }
  int w = 0, h = 0;
  size(&w, &h);
  // Each row is cleared first, then written: clearing after a row that
  // fills the width would take its last cell on some terminals.
  std::string out = "\x1b[H";
  int rows = 0;
  size_t pos = 0;
  while (pos < frame.size() && rows < h) {
    size_t end = frame.find('\n', pos);
    if (end == std::string_view::npos) end = frame.size();
    if (rows > 0) out += "\r\n";
    out += "\x1b[K";
    out.append(frame.substr(pos, end - pos));
    rows++;
    pos = end + 1;
  }
  if (rows < h) out += rows > 0 ? "\r\n\x1b[J" : "\x1b[J";
  std::fflush(stdout);
  write_all(STDOUT_FILENO, out.data(), out.size());
}

LiveScreen::Event LiveScreen::wait(int timeout_ms, int input_fd, char* key) {
  const int64_t deadline = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
  for (;;) {
    pollfd fds[3];
    int n = 0, sig_i = -1, tty_i = -1, in_i = -1;
    if (interactive_ && g_pipe[0] >= 0) {
      sig_i = n;
      fds[n++] = {g_pipe[0], POLLIN, 0};
    }
    if (interactive_ && tty_fd_ >= 0) {
      tty_i = n;
      fds[n++] = {tty_fd_, POLLIN, 0};
    }
    if (input_fd >= 0) {
      in_i = n;
      fds[n++] = {input_fd, POLLIN, 0};
    }
    int left = -1;
    if (deadline >= 0) left = static_cast<int>(std::max<int64_t>(0, deadline - mono_ms()));
    if (n == 0) {
      if (left < 0) return Event::kQuit;  // nothing can ever happen
      ::poll(nullptr, 0, left);
      return Event::kTimeout;
    }
    const int r = ::poll(fds, static_cast<nfds_t>(n), left);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Event::kQuit;
    }
    if (r == 0) return Event::kTimeout;
    if (sig_i >= 0 && fds[sig_i].revents != 0) {
      bool quit = false, resize = false, cont = false;
      char buf[64];
      ssize_t got;
      while ((got = ::read(g_pipe[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
          quit |= buf[i] == 'q';
          resize |= buf[i] == 'w';
          cont |= buf[i] == 'c';
        }
      }
      if (quit) return Event::kQuit;
      if (cont) enter();  // back from a stop: the shell may have reset the terminal
      if (resize || cont) return Event::kResize;
    }
    if (tty_i >= 0 && fds[tty_i].revents != 0) {
      char buf[64];
      ssize_t got = ::read(tty_fd_, buf, sizeof buf);
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) return Event::kQuit;  // hung up
      if (got > 0) {
        for (ssize_t i = 0; i < got; i++) {
          if (buf[i] == 'q' || buf[i] == 'Q' || buf[i] == '\x03') return Event::kQuit;
        }
        if (key != nullptr) *key = buf[0];
        return Event::kKey;
      }
    }
    if (in_i >= 0 && fds[in_i].revents != 0) return Event::kInput;
    if (deadline >= 0 && mono_ms() >= deadline) return Event::kTimeout;
  }
}

}  // namespace tsd::render
