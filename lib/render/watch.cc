// tsd-render --watch (dashboard.h): a dashboard redrawn in place.
#include <algorithm>
#include <chrono>
#include <string_view>
#include <vector>

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

// The frame's rows from `*top` (kept within the frame), cut to `height`
// rows, the last one the status line.
std::string fit_frame(const std::string& frame, std::string status, int height, int* top) {
  std::vector<std::string_view> rows;
  for (size_t start = 0; start < frame.size();) {
    size_t nl = frame.find('\n', start);
    if (nl == std::string::npos) nl = frame.size();
    rows.emplace_back(frame.data() + start, nl - start);
    start = nl + 1;
  }
  const int room = std::max(1, height - 1), n = static_cast<int>(rows.size());
  *top = std::clamp(*top, 0, std::max(0, n - room));
  std::string out;
  for (int r = *top; r < std::min(n, *top + room); r++) out.append(rows[static_cast<size_t>(r)]).append("\n");
  if (n > room) {
    status += "; rows " + std::to_string(*top + 1) + "-" + std::to_string(std::min(n, *top + room)) + " of " +
              std::to_string(n) + " (j/k, space/b scroll)";
  }
  return out + status;
}
}  // namespace

void watch(LiveScreen& screen, int64_t period_ns,
           const std::function<std::string(int width, int height)>& frame) {
  const std::string every = "every " + query::render_duration(period_ns);
  int top = 0;  // the first row shown of a frame taller than the screen
  for (;;) {
    int w = 80, h = 24;
    screen.size(&w, &h);
    const int64_t start = monotonic_ns();
    const std::string text = frame(w, h);
    const int64_t took = monotonic_ns() - start;
    const std::string status = "tsd-render: " + every + ", drawn in " +
                               std::to_string(took / kMillisecond) + " ms" +
                               (screen.interactive() ? "; q quits, r redraws" : "");
    screen.draw(fit_frame(text, status, screen.interactive() ? h : 1 << 30, &top));
    // Waits out the period from the start of this draw; keys and resizes
    // come sooner.
    for (;;) {
      const int64_t left = start + period_ns - monotonic_ns();
      if (left <= 0) break;
      char key = 0;
      const auto ev = screen.wait(static_cast<int>((left + kMillisecond - 1) / kMillisecond), -1, &key);
      if (ev == LiveScreen::Event::kQuit) return;
      if (ev == LiveScreen::Event::kResize || (ev == LiveScreen::Event::kKey && (key == 'r' || key == 'R'))) break;
      if (ev == LiveScreen::Event::kKey) {
        const int page = std::max(1, h - 2);
        const int before = top;
        top += key == 'j' ? 1 : key == 'k' ? -1 : key == ' ' ? page : key == 'b' ? -page : 0;
        top = std::max(0, top);
        if (top != before) screen.draw(fit_frame(text, status, h, &top));  // now, without a new query
      }
    }
  }
}

}  // namespace tsd::render
