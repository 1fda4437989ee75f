// Terminal text: display widths, padding, colours (internal.h).
#include <fmt/format.h>

#include "render/internal.h"

namespace tsd::render {
namespace {

// Decodes one UTF-8 sequence at s[*i] (advancing *i); an invalid byte
// is one column of its own.
char32_t next_code_point(std::string_view s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t c = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; k++) c = (c << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return c;
}

int code_point_width(char32_t c) {
  if ((c >= 0x0300 && c <= 0x036F) || c == 0x200B) return 0;  // combining marks
  const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
                    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
                    (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
  return wide ? 2 : 1;
}

}  // namespace

int display_width(std::string_view s) {
  int w = 0;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {  // a colour: no width
      const size_t m = s.find('m', i);
      i = m == std::string_view::npos ? s.size() : m + 1;
      continue;
    }
    w += code_point_width(next_code_point(s, &i));
  }
  return w;
}

std::string fit(std::string_view s, int w, bool ascii) {
  if (w <= 0) return "";
  if (display_width(s) <= w) return std::string(s);
  std::string out;
  int used = 0;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    int cw = code_point_width(next_code_point(s, &i));
    if (used + cw > w - 1) break;
    out.append(s.substr(start, i - start));
    used += cw;
  }
  out.append(w - 1 - used, ' ');
  out.append(ascii ? "~" : "…");
  return out;
}

std::string pad_right(std::string_view s, int w, bool ascii) {
  std::string out = fit(s, w, ascii);
  out.append(std::max(0, w - display_width(out)), ' ');
  return out;
}

std::string pad_left(std::string_view s, int w, bool ascii) {
  std::string out = fit(s, w, ascii);
  return std::string(std::max(0, w - display_width(out)), ' ') + out;
}

int series_color(size_t i) {
  // green, yellow, cyan, magenta, blue, red, then their bright forms.
  static constexpr int kPalette[] = {32, 33, 36, 35, 34, 31, 92, 93, 96, 95, 94, 91};
  return kPalette[i % std::size(kPalette)];
}

std::string paint(std::string_view s, int color, bool on) {
  if (!on || s.empty()) return std::string(s);
  return fmt::format("\x1b[{}m{}\x1b[0m", color, s);
}

int threshold_color(double v, const std::vector<double>& thresholds) {
  if (thresholds.size() > 1 && v >= thresholds[1]) return kRed;
  if (!thresholds.empty() && v >= thresholds[0]) return kYellow;
  return kGreen;
}

std::string title_row(const Options& o) {
  if (o.title.empty()) return "";
  return fit(o.title, o.width, o.glyphs == Glyphs::kAscii) + "\n";
}

std::string message_panel(const std::string& text, const Options& o) {
  return title_row(o) + fit(text, o.width, o.glyphs == Glyphs::kAscii) + "\n";
}

char ascii_marker(size_t i) {
  static constexpr char kMarkers[] = "*+ox#@%&";
  return kMarkers[i % (sizeof(kMarkers) - 1)];
}

}  // namespace tsd::render
