// The dot canvas of line charts (internal.h). Braille cells are U+2800
// plus a bit per dot, numbered down the left column (1, 2, 3, then 7)
// and the right (4, 5, 6, then 8); block cells are ▀, ▄ or █.
#include <cstdlib>

#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr uint8_t kBrailleBit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

void append_utf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

Canvas::Canvas(int cols, int rows, Glyphs g)
    : cols_(std::max(cols, 1)),
      rows_(std::max(rows, 1)),
      dx_(g == Glyphs::kBraille ? 2 : 1),
      dy_(g == Glyphs::kBraille ? 4 : g == Glyphs::kBlock ? 2 : 1),
      g_(g),
      bits_(static_cast<size_t>(cols_) * rows_, 0),
      owner_(static_cast<size_t>(cols_) * rows_, -1) {}

void Canvas::set(int x, int y, int series) {
  if (x < 0 || y < 0 || x >= width() || y >= height()) return;
  const size_t cell = static_cast<size_t>(y / dy_) * cols_ + x / dx_;
  const int cx = x % dx_, cy = y % dy_;
  bits_[cell] |= g_ == Glyphs::kBraille ? kBrailleBit[cy][cx] : static_cast<uint8_t>(1 << cy);
  owner_[cell] = series;
}

void Canvas::line(int x0, int y0, int x1, int y1, int series) {
  const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
  const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  int err = dx + dy;
  for (;;) {
    set(x0, y0, series);
    if (x0 == x1 && y0 == y1) return;
    const int e2 = 2 * err;
    if (e2 >= dy) err += dy, x0 += sx;
    if (e2 <= dx) err += dx, y0 += sy;
  }
}

std::string Canvas::row(int r, bool color) const {
  std::string out;
  int open = -1;  // the colour of the run being written, -1 none
  for (int c = 0; c < cols_; c++) {
    const size_t cell = static_cast<size_t>(r) * cols_ + c;
    const uint8_t b = bits_[cell];
    const int want = b == 0 || !color ? -1 : series_color(static_cast<size_t>(owner_[cell]));
    if (want != open) {
      if (open != -1) out += "\x1b[0m";
      if (want != -1) out += "\x1b[" + std::to_string(want) + "m";
      open = want;
    }
    if (b == 0) {
      out.push_back(' ');
    } else if (g_ == Glyphs::kBraille) {
      append_utf8(0x2800 + b, &out);
    } else if (g_ == Glyphs::kBlock) {
      append_utf8(b == 1 ? 0x2580 : b == 2 ? 0x2584 : 0x2588, &out);
    } else {
      out.push_back(ascii_marker(static_cast<size_t>(owner_[cell])));
    }
  }
  if (open != -1) out += "\x1b[0m";
  return out;
}

}  // namespace tsd::render
