// Deterministic random numbers for the data generators (tsd-gen,
// fleet-feed): splitmix64 to seed, xoshiro256** to draw, normal deviates by
// Marsaglia's polar method with a logarithm made of IEEE +, *, / only (libm's
// log may differ between libraries), so every machine draws the same bits.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace tsd_tools {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna), written from the published algorithm.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
  // A normal(0,1) deviate (polar method; the second deviate is kept for the next call).
  double normal() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * det_log(s) / s);  // sqrt is exact in IEEE 754
    spare_ = v * f;
    have_spare_ = true;
    return u * f;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  // Natural logarithm of x > 0 from IEEE basic operations only, so that every
  // machine gets the same bits: x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
  // log m = 2 atanh(z), z = (m-1)/(m+1), |z| < 0.172, by its series.
  static double det_log(double x) {
    int e;
    double m = std::frexp(x, &e);  // exact
    if (m < 0.70710678118654752440) {
      m *= 2;
      --e;
    }
    const double z = (m - 1) / (m + 1);
    const double z2 = z * z;
    double term = z, sum = 0;
    for (int k = 1; k <= 31; k += 2) {
      sum += term / k;
      term *= z2;
    }
    return e * 0.69314718055994530942 + 2 * sum;
  }

  std::array<uint64_t, 4> s_;
  double spare_ = 0;
  bool have_spare_ = false;
};

}  // namespace tsd_tools
