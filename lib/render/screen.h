// A live screen for tsd-render --watch and --follow: the one part of
// lib/render that touches a terminal (the panels stay pure functions).
//
// On a terminal (stdout a tty) it takes the alternate screen, hides the
// cursor and reads keys unbuffered from the terminal (stdin, or /dev/tty
// when stdin is a pipe, as with --follow), and gives all of that back when
// destroyed, on q, Ctrl-C or SIGTERM. A frame is drawn in place (cursor
// home, each row cleared to its end, the rest of the screen cleared), cut
// to the screen's height. Elsewhere (a pipe, a file) frames are written
// one after another, each followed by an empty line.
//
// Keys are read with ISIG off: Ctrl-C is a key (kQuit) and no SIGINT
// reaches the other programs of a pipe (a collector before tsd-render ends
// on its next write). SIGINT, SIGTERM and SIGHUP sent by kill are kQuit at
// the next wait(); a second one while the first is still pending restores
// the terminal and ends the process at once. A crash (SIGSEGV, SIGABRT,
// ...) and exit() restore the terminal too. SIGWINCH is kResize.
// One LiveScreen at a time per process (the signal handlers are global).
#pragma once

#include <string_view>

namespace tsd::render {

class LiveScreen {
 public:
  LiveScreen();
  ~LiveScreen();
  LiveScreen(const LiveScreen&) = delete;
  LiveScreen& operator=(const LiveScreen&) = delete;

  bool interactive() const { return interactive_; }
  // The terminal's size now (80x24 when not a terminal).
  void size(int* width, int* height) const;
  void draw(std::string_view frame);

  enum class Event { kTimeout, kQuit, kResize, kInput, kKey };
  // Waits up to `timeout_ms` (-1: no limit) for q / Ctrl-C / SIGTERM
  // (kQuit), a resize (kResize), another key (kKey, in *key), or input
  // readable on `input_fd` (kInput; -1: none). Input that has ended
  // (end of file, a hang-up) is kInput too: the caller's read says so.
  Event wait(int timeout_ms, int input_fd = -1, char* key = nullptr);

  // Gives the terminal back now (normal screen, cursor, termios, signal
  // handlers), as the destructor does; then the screen is not interactive
  // and draw() writes plainly (a last frame left on the normal screen).
  // Idempotent.
  void restore();

 private:
  bool interactive_ = false;
  int tty_fd_ = -1;      // where keys come from
  bool own_tty_ = false; // tty_fd_ was opened here
  bool raw_ = false;     // termios changed (restored at the end)
};

}  // namespace tsd::render
