// Go's math functions, for InfluxQL's answers (math_go.h).
#include "query/math_go.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace tsd::query {

namespace {

// Pi/4 in three parts for the reduction of arguments below 2**29 (the
// first two with trailing zero bits, so that y * part is exact).
constexpr double kPi4A = 7.85398125648498535156e-1;
constexpr double kPi4B = 3.77489470793079817668e-8;
constexpr double kPi4C = 2.69515142907905952645e-15;
constexpr double kFourOverPi = 1.27323954473516268615107010698011489627567716592365;
constexpr double kReduceThreshold = 536870912.0;  // 2**29

// 4/pi in binary: 4/pi = sum of kFourOverPiBits[i] * 2**(-64 i).
constexpr uint64_t kFourOverPiBits[] = {
    0x0000000000000001, 0x45f306dc9c882a53, 0xf84eafa3ea69bb81, 0xb6c52b3278872083,
    0xfca2c757bd778ac3, 0x6e48dc74849ba5c0, 0x0c925dd413a32439, 0xfc3bd63962534e7d,
    0xd1046bea5d768909, 0xd338e04d68befc82, 0x7323ac7306a673e9, 0x3908bf177bf25076,
    0x3ff12fffbc0b301f, 0xde5e2316b414da3e, 0xda6cfd9e4f96136e, 0x9e8c7ecd3cbfd45a,
    0xea4f758fd7cbe2f6, 0x7a0e73ef14a525d4, 0xd7f6bf623f1aba10, 0xac06608df8f6d757};

// x (positive) as j * pi/4 + z: the octant j (mod 8, zeros mapped to the
// origin) and z in [-pi/4, pi/4]. Below 2**29 by the three-part pi/4;
// above by Payne and Hanek's method ("Argument reduction for huge
// arguments: good to the last bit", Ng 1992): the mantissa times the bits
// of 4/pi that matter at its exponent, in 64-bit integer arithmetic.
void reduce(double x, uint64_t* j, double* z) {
  if (x < kReduceThreshold) {
    *j = static_cast<uint64_t>(x * kFourOverPi);
    double y = static_cast<double>(*j);
    if (*j & 1) {
      ++*j;
      y++;
    }
    *j &= 7;
    *z = ((x - y * kPi4A) - y * kPi4B) - y * kPi4C;
    return;
  }
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  const int exp = static_cast<int>((bits >> 52) & 0x7ff) - 1023 - 52;
  const uint64_t ix = (bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52);
  const auto digit = static_cast<unsigned>(exp + 61) / 64, shift = static_cast<unsigned>(exp + 61) % 64;
  auto word = [&](unsigned i) {
    // (shift 0 takes the word whole: a shift by 64 would be undefined)
    return shift == 0 ? kFourOverPiBits[i]
                      : (kFourOverPiBits[i] << shift) | (kFourOverPiBits[i + 1] >> (64 - shift));
  };
  const uint64_t z0 = word(digit), z1 = word(digit + 1), z2 = word(digit + 2);
  const auto p2 = static_cast<unsigned __int128>(z2) * ix;
  const auto p1 = static_cast<unsigned __int128>(z1) * ix;
  const uint64_t z2hi = static_cast<uint64_t>(p2 >> 64);
  const uint64_t z1hi = static_cast<uint64_t>(p1 >> 64), z1lo = static_cast<uint64_t>(p1);
  const uint64_t z0lo = z0 * ix;
  const uint64_t lo = z1lo + z2hi;
  const uint64_t carry = lo < z1lo ? 1 : 0;
  uint64_t hi = z0lo + z1hi + carry;
  *j = hi >> 61;
  hi = hi << 3 | lo >> 61;
  const auto lz = static_cast<unsigned>(std::countl_zero(hi));
  const uint64_t e = 1023 - (lz + 1);
  if (lz + 1 >= 64) return (void)(*z = 0);  // (a fraction of zero: no bit to place)
  hi = (hi << (lz + 1)) | (lo >> (64 - (lz + 1)));
  hi >>= 64 - 52;
  hi |= e << 52;
  double f = std::bit_cast<double>(hi);
  if (*j & 1) {
    *j = (*j + 1) & 7;
    f--;
  }
  *z = f * (std::numbers::pi / 4);
}

// Cephes' polynomials: sin(z) = z + z**3 P(z**2), cos(z) = 1 - z**2/2 + z**4 Q(z**2).
double sin_poly(double z) {
  const double zz = z * z;
  return z + z * zz * (((((1.58962301576546568060e-10 * zz + -2.50507477628578072866e-8) * zz +
                          2.75573136213857245213e-6) * zz + -1.98412698295895385996e-4) * zz +
                        8.33333333332211858878e-3) * zz + -1.66666666666666307295e-1);
}

double cos_poly(double z) {
  const double zz = z * z;
  return 1.0 - 0.5 * zz +
         zz * zz * (((((-1.13585365213876817300e-11 * zz + 2.08757008419747316778e-9) * zz +
                       -2.75573141792967388112e-7) * zz + 2.48015872888517045348e-5) * zz +
                     -1.38888888888730564116e-3) * zz + 4.16666666666665929218e-2);
}

// atan on [0, 0.66]: x + x**3 P(x**2) / Q(x**2).
double xatan(double x) {
  double z = x * x;
  z = z * ((((-8.750608600031904122785e-01 * z + -1.615753718733365076637e+01) * z +
             -7.500855792314704667340e+01) * z + -1.228866684490136173410e+02) * z +
           -6.485021904942025371773e+01) /
      (((((z + 2.485846490142306297962e+01) * z + 1.650270098316988542046e+02) * z +
         4.328810604912902668951e+02) * z + 4.853903996359136964868e+02) * z +
       1.945506571482613964425e+02);
  return x * z + x;
}

// atan of a positive x, reduced to [0, 0.66].
double satan(double x) {
  constexpr double kMorebits = 6.123233995736765886130e-17;  // pi/2 = PIO2 + kMorebits
  constexpr double kTan3Pi8 = 2.41421356237309504880;
  if (x <= 0.66) return xatan(x);
  if (x > kTan3Pi8) return std::numbers::pi / 2 - xatan(1 / x) + kMorebits;
  return std::numbers::pi / 4 + xatan((x - 1) / (x + 1)) + 0.5 * kMorebits;
}

}  // namespace

double go_sin(double x) {
  if (x == 0 || std::isnan(x)) return x;
  if (std::isinf(x)) return std::nan("");
  bool sign = x < 0;
  x = std::fabs(x);
  uint64_t j = 0;
  double z = 0;
  reduce(x, &j, &z);
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const double y = (j == 1 || j == 2) ? cos_poly(z) : sin_poly(z);
  return sign ? -y : y;
}

double go_cos(double x) {
  if (std::isnan(x) || std::isinf(x)) return std::nan("");
  bool sign = false;
  x = std::fabs(x);
  uint64_t j = 0;
  double z = 0;
  reduce(x, &j, &z);
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const double y = (j == 1 || j == 2) ? sin_poly(z) : cos_poly(z);
  return sign ? -y : y;
}

double go_tan(double x) {
  if (x == 0 || std::isnan(x)) return x;
  if (std::isinf(x)) return std::nan("");
  const bool sign = x < 0;
  x = std::fabs(x);
  uint64_t j = 0;
  double z = 0;
  reduce(x, &j, &z);
  const double zz = z * z;
  double y = z;
  if (zz > 1e-14) {
    y = z + z * (zz * ((-1.30936939181383777646e4 * zz + 1.15351664838587416140e6) * zz +
                       -1.79565251976484877988e7) /
                 ((((zz + 1.36812963470692954678e4) * zz + -1.32089234440210967447e6) * zz +
                   2.50083801823357915839e7) * zz + -5.38695755929454629881e7));
  }
  if (j & 2) y = -1 / y;
  return sign ? -y : y;
}

double go_atan(double x) {
  if (x == 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

double go_asin(double x) {
  if (x == 0) return x;
  const bool sign = x < 0;
  x = std::fabs(x);
  if (x > 1) return std::nan("");
  double t = std::sqrt(1 - x * x);
  t = x > 0.7 ? std::numbers::pi / 2 - satan(t / x) : satan(x / t);
  return sign ? -t : t;
}

double go_acos(double x) { return std::numbers::pi / 2 - go_asin(x); }

double go_atan2(double y, double x) {
  constexpr double kThreePi4 = 2.35619449019234492884698253745962716314787704953133;
  if (std::isnan(y) || std::isnan(x)) return std::nan("");
  if (y == 0) return x >= 0 && !std::signbit(x) ? std::copysign(0.0, y) : std::copysign(std::numbers::pi, y);
  if (x == 0) return std::copysign(std::numbers::pi / 2, y);
  if (std::isinf(x)) {
    if (x > 0) return std::isinf(y) ? std::copysign(std::numbers::pi / 4, y) : std::copysign(0.0, y);
    return std::isinf(y) ? std::copysign(kThreePi4, y) : std::copysign(std::numbers::pi, y);
  }
  if (std::isinf(y)) return std::copysign(std::numbers::pi / 2, y);
  const double q = go_atan(y / x);
  if (x < 0) return q <= 0 ? q + std::numbers::pi : q - std::numbers::pi;
  return q;
}

// The natural logarithm by FreeBSD's e_log.c method, which Go's Log
// follows (glibc's differs in the last bit of about 1 in 500).
double go_log(double x) {
  if (std::isnan(x) || std::isinf(x) || x <= 0) return std::log(x);
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kL1 = 6.666666666666735130e-01, kL2 = 3.999999999940941908e-01,
                   kL3 = 2.857142874366239149e-01, kL4 = 2.222219843214978396e-01,
                   kL5 = 1.818357216161805012e-01, kL6 = 1.531383769920937332e-01,
                   kL7 = 1.479819860511658591e-01;
  int ki = 0;
  double f1 = std::frexp(x, &ki);
  if (f1 < std::numbers::sqrt2 / 2) {
    f1 *= 2;
    ki--;
  }
  const double f = f1 - 1, k = ki;
  const double s = f / (2 + f), s2 = s * s, s4 = s2 * s2;
  const double t1 = s2 * (kL1 + s4 * (kL3 + s4 * (kL5 + s4 * kL7)));
  const double t2 = s4 * (kL2 + s4 * (kL4 + s4 * kL6));
  const double r = t1 + t2, hfsq = 0.5 * f * f;
  return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + k * kLn2Lo)) - f);
}

// e**x as Go's Exp computes it on x86-64 with FMA (a Taylor series of
// degree 8 at x / 16 after taking out k ln 2, squared back four times,
// from Shibata's "Efficient evaluation methods of elementary functions
// suitable for SIMD computation"); below 2**-1022 it gives 0.
double go_exp(double x) {
  if (std::isnan(x) || x == HUGE_VAL) return x;
  if (x == -HUGE_VAL) return 0;
  if (x > 7.09782712893384e+02) return HUGE_VAL;
  constexpr double kLog2e = 1.4426950408889634073599246810018920;
  constexpr double kLn2U = 0.69314718055966295651160180568695068359375;
  constexpr double kLn2L = 0.28235290563031577122588448175013436025525412068e-12;
  const double kx = std::nearbyint(x * kLog2e);
  if (!(kx > -2147483648.0 && kx < 2147483648.0)) return 0;  // (x far below the range)
  const auto k = static_cast<int32_t>(kx);
  const double kd = k;
  double r = std::fma(-kd, kLn2U, x);
  r = std::fma(-kd, kLn2L, r);
  r *= 0.0625;
  double p = 2.4801587301587301587e-5;
  for (double c : {1.9841269841269841270e-4, 1.3888888888888888889e-3, 8.3333333333333333333e-3,
                   4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0})
    p = std::fma(p, r, c);
  r *= p;  // e**(x/16) - 1
  for (int i = 0; i < 3; i++) r *= r + 2;
  r = std::fma(r, r + 2, 1.0);
  const int64_t biased = int64_t{k} + 0x3FF;
  if (biased <= 0) return 0;
  if (biased >= 0x7FF) return HUGE_VAL;
  return r * std::bit_cast<double>(static_cast<uint64_t>(biased) << 52);
}

// log2 as log(frac) / ln 2 + exp, powers of two exact; log10 as
// log(x) / ln 10 (the constants rounded once, as Go's are).
double go_log2(double x) {
  int e = 0;
  double frac = std::frexp(x, &e);
  if (frac == 0.5) return static_cast<double>(e - 1);
  return go_log(frac) * std::numbers::log2e + static_cast<double>(e);
}

double go_log10(double x) { return go_log(x) * std::numbers::log10e; }

// x**y as Go computes it: the fraction of y through exp(yf * log x), the
// integer part by squaring the mantissa and counting the exponent apart.
double go_pow(double x, double y) {
  if (y == 0 || x == 1) return 1;
  if (y == 1) return x;
  if (std::isnan(x) || std::isnan(y) || x == 0 || std::isinf(x) || std::isinf(y)) return std::pow(x, y);
  if (y == 0.5) return std::sqrt(x);
  if (y == -0.5) return 1 / std::sqrt(x);
  double yi = 0;
  double yf = std::modf(std::fabs(y), &yi);
  if (yf != 0 && x < 0) return std::nan("");
  if (yi >= 9223372036854775808.0) return std::pow(x, y);  // overflow or underflow either way
  double a1 = 1;
  int64_t ae = 0;
  if (yf != 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = go_exp(yf * go_log(x));
  }
  int xe_i = 0;
  double x1 = std::frexp(x, &xe_i);
  int64_t xe = xe_i;
  for (auto i = static_cast<int64_t>(yi); i != 0; i >>= 1) {
    if (xe < -(int64_t{1} << 12) || (int64_t{1} << 12) < xe) {
      ae += xe;  // certain to overflow or underflow
      break;
    }
    if (i & 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < .5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  ae = std::clamp<int64_t>(ae, -100000, 100000);
  return std::ldexp(a1, static_cast<int>(ae));
}

}  // namespace tsd::query
