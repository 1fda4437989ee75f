// Value scales: nice ticks at 1/2/5 steps and SI-prefixed numbers
// (internal.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "render/internal.h"

namespace tsd::render {
namespace {

constexpr int kMinExp = -15, kMaxExp = 18;

// The SI prefix of 10^e (e a multiple of 3 in [kMinExp, kMaxExp]).
const char* prefix(int e, bool ascii) {
  switch (e) {
    case -15: return "f";
    case -12: return "p";
    case -9: return "n";
    case -6: return ascii ? "u" : "µ";
    case -3: return "m";
    case 3: return "k";
    case 6: return "M";
    case 9: return "G";
    case 12: return "T";
    case 15: return "P";
    case 18: return "E";
    default: return "";
  }
}

// The exponent (a multiple of 3) of the prefix a magnitude is shown with:
// none from 0.01 to 999, milli and smaller only below 0.01.
int exponent_of(double mag) {
  if (!(mag > 0) || (mag >= 0.01 && mag < 1000)) return 0;
  int e = static_cast<int>(std::floor(std::log10(mag) / 3)) * 3;
  return std::clamp(e, kMinExp, kMaxExp);
}

// "-0", "-0.00" as "0", "0.00".
std::string no_negative_zero(std::string s) {
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("0.", 1) == std::string::npos) s.erase(0, 1);
  return s;
}

std::string trim_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

Scale nice_scale(double lo, double hi, int max_ticks) {
  Scale s;
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {
    double d = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  max_ticks = std::max(max_ticks, 2);
  const double raw = (hi - lo) / (max_ticks - 1);
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double k0 = 0, k1 = 1;
  for (double m : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0}) {
    s.step = m * mag;
    k0 = std::floor(lo / s.step + 1e-9);
    k1 = std::ceil(hi / s.step - 1e-9);
    if (k1 - k0 + 1 <= max_ticks) break;
  }
  s.lo = k0 * s.step;
  s.hi = k1 * s.step;
  for (double k = k0; k <= k1; k++) s.ticks.push_back(k * s.step);
  return s;
}

std::vector<std::string> tick_labels(const Scale& s, bool ascii) {
  double mag = 0;
  for (double t : s.ticks) mag = std::max(mag, std::fabs(t));
  const int e = exponent_of(mag);
  const double unit = std::pow(10, e);
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(s.step / unit) + 1e-9)));
  std::vector<std::string> out;
  for (double t : s.ticks) {
    std::string text = no_negative_zero(fmt::format("{:.{}f}", t / unit, decimals));
    if (text.find_first_not_of("-0.") == std::string::npos) {
      out.push_back("0");
    } else {
      out.push_back(text + prefix(e, ascii));
    }
  }
  return out;
}

std::string axis_label(const std::string& label, const Options& o) {
  return label == "0" ? label : label + o.unit;
}

std::string y_axis(const std::string& label, int lw, const Options& o) {
  const bool ascii = o.glyphs == Glyphs::kAscii;
  return pad_left(label, lw, ascii) + " " + (label.empty() ? (ascii ? "|" : "│") : (ascii ? "+" : "┤"));
}

std::string format_value(double v, bool ascii) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return "0";
  int e = exponent_of(std::fabs(v));
  for (int pass = 0; pass < 2; pass++) {
    const double m = v / std::pow(10, e);
    const double am = std::fabs(m);
    if (am >= 1e3 && e == kMaxExp) return fmt::format("{:.3g}", v);
    std::string text;
    if (am < 1) {
      text = fmt::format("{:.3g}", m);  // 0.01 .. 1, unprefixed
    } else {
      text = fmt::format("{:.{}f}", m, am >= 100 ? 0 : am >= 10 ? 1 : 2);
    }
    // 999.96 rounds to "1000": the next prefix up says it better.
    if (std::fabs(std::stod(text)) >= 1000 && e < kMaxExp) {
      e += 3;
      continue;
    }
    return no_negative_zero(trim_zeros(text)) + prefix(e, ascii);
  }
  return fmt::format("{:.3g}", v);
}

}  // namespace tsd::render
