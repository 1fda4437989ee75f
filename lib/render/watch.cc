// tsd-render --watch (dashboard.h): a dashboard redrawn in place.
#include <chrono>

#include "core/time.h"
#include "query/render.h"
#include "render/dashboard.h"
#include "render/internal.h"
#include "render/screen.h"

namespace tsd::render {
namespace {

int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The frame cut to `height` rows, the last one the status line.
std::string fit_frame(const std::string& frame, const std::string& status, int height) {
  std::string out;
  int rows = 0;
  size_t start = 0;
  const int room = std::max(1, height - 1);
  while (start < frame.size() && rows < room) {
    size_t nl = frame.find('\n', start);
    if (nl == std::string::npos) nl = frame.size();
    out.append(frame, start, nl - start + 1);
    if (out.back() != '\n') out += '\n';
    start = nl + 1;
    rows++;
  }
  const bool cut = start < frame.size();
  return out + (cut ? "(more below: a taller terminal shows it)  " : "") + status;
}

}  // namespace

void watch(LiveScreen& screen, int64_t period_ns,
           const std::function<std::string(int width, int height)>& frame) {
  const std::string every = "every " + query::render_duration(period_ns);
  for (;;) {
    int w = 80, h = 24;
    screen.size(&w, &h);
    const int64_t start = monotonic_ns();
    const std::string text = frame(w, h);
    const int64_t took = monotonic_ns() - start;
    const std::string status = "tsd-render: " + every + ", drawn in " +
                               std::to_string(took / kMillisecond) + " ms" +
                               (screen.interactive() ? "; q quits, r redraws" : "");
    screen.draw(fit_frame(text, status, screen.interactive() ? h : 1 << 30));
    // Waits out the period from the start of this draw; keys and resizes
    // come sooner.
    for (;;) {
      const int64_t left = start + period_ns - monotonic_ns();
      if (left <= 0) break;
      char key = 0;
      const auto ev = screen.wait(static_cast<int>((left + kMillisecond - 1) / kMillisecond), -1, &key);
      if (ev == LiveScreen::Event::kQuit) return;
      if (ev == LiveScreen::Event::kResize || (ev == LiveScreen::Event::kKey && (key == 'r' || key == 'R'))) break;
    }
  }
}

}  // namespace tsd::render
