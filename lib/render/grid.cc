// The dashboard grid: panels' places from their specs (internal.h).
#include <algorithm>

#include "render/dashboard.h"
#include "render/internal.h"

namespace tsd::render {

std::vector<Cell> grid_cells(const std::vector<PanelView>& panels, int width) {
  constexpr int kColumns = 24;
  std::vector<Cell> out;
  out.reserve(panels.size());
  int cx = 0, cy = 0;  // where the next flowing panel goes (24ths, rows)
  int bottom = 0;      // the lowest edge of the band that starts at cy
  for (const PanelView& p : panels) {
    const int w = std::clamp(p.spec.w, 1, kColumns);
    const int h = std::max(p.spec.h, 1);
    int x = p.spec.x < 0 ? -1 : std::min(p.spec.x, kColumns - w);
    int y = p.spec.y;
    if (y < 0) {
      if (x < cx) x = cx;
      if (x + w > kColumns) {  // a new band
        x = p.spec.x < 0 ? 0 : std::min(p.spec.x, kColumns - w);
        cy = bottom;
      }
      y = cy;
    } else {
      x = std::max(x, 0);
      if (y != cy) bottom = y;
      cy = y;
    }
    cx = x + w;
    bottom = std::max(bottom, y + h);
    const int left = x * width / kColumns, right = (x + w) * width / kColumns;
    out.push_back({left, y, right - left, h});
  }
  return out;
}

}  // namespace tsd::render
