// holt_winters() and holt_winters_with_fit() (select.h): InfluxDB 1.6's
// damped Holt-Winters forecast, its parameters fitted by Nelder-Mead from
// the same 16 starting points with the same tolerance and iteration limit.
// The arithmetic repeats InfluxDB's operation by operation, quirks
// included, so the forecasts match to the last bit:
//
//   - the objective function clamps alpha, beta, gamma and phi into [0, 1]
//     and rewrites the seasonal factors in the vertex it is given (the
//     simplex keeps the changed vertex);
//   - each step's forecast feeds the previous forecast, not the observed
//     value, into the next;
//   - phi^t is computed by Go's math.Pow (repeated squaring), not pow().
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "query/math_go.h"
#include "query/select.h"

namespace tsd::query {
namespace {

using Params = std::vector<double>;

// query/neldermead: the simplex method as Michael F. Hutt wrote it.
// `f` may change the point it is given.
double nelder_mead(const std::function<double(Params&)>& f, const Params& start, double epsilon,
                   double scale, Params* best) {
  constexpr int kMaxIterations = 1000;
  constexpr double kAlpha = 1.0, kBeta = 0.5, kGamma = 2.0;
  size_t n = start.size();
  std::vector<Params> v(n + 1, Params(n));
  Params fv(n + 1), vr(n), ve(n), vc(n), vm(n);
  double nd = static_cast<double>(n);
  double pn = scale * (std::sqrt(nd + 1) - 1 + nd) / (nd * std::sqrt(2.0));
  double qn = scale * (std::sqrt(nd + 1) - 1) / (nd * std::sqrt(2.0));
  v[0] = start;
  for (size_t i = 1; i <= n; i++) {
    for (size_t j = 0; j < n; j++) v[i][j] = (i - 1 == j ? pn : qn) + start[j];
  }
  for (size_t j = 0; j <= n; j++) fv[j] = f(v[j]);
  for (int itr = 1; itr <= kMaxIterations; itr++) {
    size_t vg = 0, vs = 0;
    for (size_t i = 0; i <= n; i++) {
      if (fv[i] > fv[vg]) vg = i;
      if (fv[i] < fv[vs]) vs = i;
    }
    size_t vh = vs;
    for (size_t i = 0; i <= n; i++) {
      if (fv[i] > fv[vh] && fv[i] < fv[vg]) vh = i;
    }
    for (size_t i = 0; i < n; i++) {
      double cent = 0;
      for (size_t m = 0; m <= n; m++) {
        if (m != vg) cent += v[m][i];
      }
      vm[i] = cent / nd;
    }
    for (size_t i = 0; i < n; i++) vr[i] = vm[i] + kAlpha * (vm[i] - v[vg][i]);
    double fr = f(vr);
    if (fr < fv[vh] && fr >= fv[vs]) {
      v[vg] = vr;
      fv[vg] = fr;
    }
    if (fr < fv[vs]) {
      for (size_t i = 0; i < n; i++) ve[i] = vm[i] + kGamma * (vr[i] - vm[i]);
      double fe = f(ve);
      if (fe < fr) {
        v[vg] = ve;
        fv[vg] = fe;
      } else {
        v[vg] = vr;
        fv[vg] = fr;
      }
    }
    if (fr >= fv[vh]) {
      if (fr < fv[vg] && fr >= fv[vh]) {
        for (size_t i = 0; i < n; i++) vc[i] = vm[i] + kBeta * (vr[i] - vm[i]);  // outside
      } else {
        for (size_t i = 0; i < n; i++) vc[i] = vm[i] - kBeta * (vm[i] - v[vg][i]);  // inside
      }
      double fc = f(vc);
      if (fc < fv[vg]) {
        v[vg] = vc;
        fv[vg] = fc;
      } else {
        // Shrink toward the best vertex; only two values are recomputed.
        for (size_t row = 0; row <= n; row++) {
          if (row == vs) continue;
          for (size_t i = 0; i < n; i++) v[row][i] = v[vs][i] + (v[row][i] - v[vs][i]) / 2.0;
        }
        fv[vg] = f(v[vg]);
        fv[vh] = f(v[vh]);
      }
    }
    double fsum = 0;
    for (size_t i = 0; i <= n; i++) fsum += fv[i];
    double favg = fsum / (nd + 1);
    double s = 0;
    for (size_t i = 0; i <= n; i++) s += (fv[i] - favg) * (fv[i] - favg) / nd;
    s = std::sqrt(s);
    if (s < epsilon) break;
  }
  size_t vs = 0;
  for (size_t i = 0; i <= n; i++) {
    if (fv[i] < fv[vs]) vs = i;
  }
  *best = v[vs];
  return f(v[vs]);
}

class HoltWinters {
 public:
  HoltWinters(std::vector<double> y, int m) : y_(std::move(y)), m_(m), seasonal_(m >= 2) {}

  // The values fitted to y and h more, with params (clamped and their
  // seasonal factors rewritten in place).
  std::vector<double> forecast(int64_t h, Params& p) const {
    for (int i = 0; i < 4; i++) {  // NaN stays NaN, as in Go
      if (p[i] > 1) p[i] = 1;
      if (p[i] < 0) p[i] = 0;
    }
    double yt = y_[0];
    double phi = p[3], phih = phi;
    double lt = p[4], bt = p[5];
    size_t m = 0, so = 0;
    double* seasonals = nullptr;
    if (seasonal_) {
      seasonals = p.data() + 6;
      m = p.size() - 6;
      if (m == 1) seasonals[0] = 1;
      so = m - 1;
    }
    size_t l = y_.size();
    std::vector<double> out(l + static_cast<size_t>(h));
    out[0] = yt;
    double stm = 1, stmh = 1;
    for (size_t t = 1; t < out.size(); t++) {
      if (seasonal_) {
        size_t hm = t % m;
        stm = seasonals[(t - m + so) % m];
        stmh = seasonals[(t - m + hm + so) % m];
      }
      double alpha = p[0], beta = p[1], gamma = p[2];
      double ltp = lt, btp = bt;
      lt = alpha * (yt / stm) + (1 - alpha) * (ltp + phi * btp);
      bt = beta * (lt - ltp) + (1 - beta) * phi * btp;
      double st = gamma * (yt / (ltp + phi * btp)) + (1 - gamma) * stm;
      yt = (lt + phih * bt) * stmh;
      phih += go_pow(phi, static_cast<double>(t));
      if (seasonal_) {
        seasonals[(t + so) % m] = st;
        so++;
      }
      out[t] = yt;
    }
    return out;
  }

  double sse(Params& p) const {
    double s = 0;
    std::vector<double> f = forecast(0, p);
    for (size_t i = 0; i < f.size(); i++) {
      if (std::isnan(y_[i])) continue;
      if (std::isnan(f[i])) return std::numeric_limits<double>::infinity();
      double d = f[i] - y_[i];
      s += d * d;
    }
    return s;
  }

  // The best parameters from InfluxDB's grid of starting guesses.
  Params fit() const {
    const std::vector<double>& y = y_;
    size_t m = static_cast<size_t>(m_);
    double l0 = 0;
    if (seasonal_) {
      for (size_t i = 0; i < m; i++) {
        if (!std::isnan(y[i])) l0 += (1 / static_cast<double>(m)) * y[i];
      }
    } else {
      l0 += kWeight * y[0];
    }
    double b0 = 0;
    if (seasonal_) {
      for (size_t i = 0; i < m && m + i < y.size(); i++) {
        if (!std::isnan(y[i]) && !std::isnan(y[m + i]))
          b0 += 1 / static_cast<double>(m * m) * (y[m + i] - y[i]);
      }
    } else if (!std::isnan(y[1])) {
      b0 = kWeight * (y[1] - y[0]);
    }
    Params start(6 + (seasonal_ ? m : 0));
    start[4] = l0;
    start[5] = b0;
    if (seasonal_) {
      for (size_t i = 0; i < m; i++) start[6 + i] = std::isnan(y[i]) ? 0 : y[i] / l0;
    }
    double min_sse = std::numeric_limits<double>::infinity();
    Params best;
    auto obj = [this](Params& p) { return sse(p); };
    for (double alpha = kLower; alpha < kUpper; alpha += kStep) {
      for (double beta = kLower; beta < kUpper; beta += kStep) {
        for (double gamma = kLower; gamma < kUpper; gamma += kStep) {
          for (double phi = kLower; phi < kUpper; phi += kStep) {
            start[0] = alpha;
            start[1] = beta;
            start[2] = gamma;
            start[3] = phi;
            Params p;
            double s = nelder_mead(obj, start, kEpsilon, 1, &p);
            if (s < min_sse || best.empty()) {
              min_sse = s;
              best = std::move(p);
            }
          }
        }
      }
    }
    return best;
  }

 private:
  static constexpr double kWeight = 0.5, kEpsilon = 1.0e-4;
  static constexpr double kLower = 0.3, kUpper = 1.0, kStep = 0.4;
  std::vector<double> y_;
  int m_;
  bool seasonal_;
};

// Go's round to the nearest interval (halves down), overflow-safe.
int64_t round_time(int64_t t, int64_t interval) {
  int64_t r = t % interval;
  if (r > interval / 2) return (t / interval + 1) * interval;
  return t / interval * interval;
}

}  // namespace

Status holt_winters(const Expr& call, const Seq& in, int64_t interval, Seq* out) {
  const std::string& fn = call.name;
  if (call.args.size() != 3)
    return Status::invalid_argument("invalid number of arguments for " + fn + ", expected 3, got " +
                                    std::to_string(call.args.size()));
  const Expr& n = *call.args[1];
  const Expr& s = *call.args[2];
  if (n.kind != Expr::Kind::kInteger)
    return Status::invalid_argument("expected integer argument as second arg in " + fn);
  if (n.integer <= 0)
    return Status::invalid_argument("second arg to " + fn + " must be greater than 0, got " +
                                    std::to_string(n.integer));
  if (s.kind != Expr::Kind::kInteger)
    return Status::invalid_argument("expected integer argument as third arg in " + fn);
  if (s.integer < 0)
    return Status::invalid_argument("third arg to " + fn + " cannot be negative, got " +
                                    std::to_string(s.integer));
  if (call.args[0]->kind != Expr::Kind::kCall)
    return Status::invalid_argument("must use aggregate function with " + fn);
  if (interval <= 0) return Status::invalid_argument(fn + " aggregate requires a GROUP BY interval");
  bool with_fit = fn == "holt_winters_with_fit";
  int64_t h = n.integer;
  int m = static_cast<int>(s.integer);

  std::vector<std::pair<int64_t, double>> pts;
  for (const Pt& p : in) {
    double v;
    if (is_null(p.v) || !as_double(p.v, &v)) continue;
    pts.push_back({p.time, v});
  }
  if (pts.size() < 2 || (m >= 2 && pts.size() < static_cast<size_t>(m))) return Status();
  int64_t start = round_time(pts.front().first, interval);
  int64_t stop = round_time(pts.back().first, interval);
  if ((stop - start) / interval <= 0) return Status();
  // One value per interval, NaN where none (points of a bucket already
  // taken are dropped).
  std::vector<double> y{pts[0].second};
  int64_t t = start;
  for (size_t i = 1; i < pts.size(); i++) {
    int64_t r = round_time(pts[i].first, interval);
    if (r <= t) continue;
    t += interval;
    for (; r != t; t += interval) y.push_back(std::nan(""));
    y.push_back(pts[i].second);
  }
  // InfluxDB would index past the values here (its query fails).
  if (m >= 2 && y.size() < static_cast<size_t>(m))
    return Status::invalid_argument(fn + ": fewer intervals than the season");
  HoltWinters hw(y, m);
  Params best = hw.fit();
  std::vector<double> f = hw.forecast(h, best);
  if (with_fit) {
    for (size_t i = 0; i < f.size(); i++) {
      if (!std::isnan(f[i])) out->push_back({pts.front().first + interval * static_cast<int64_t>(i), f[i], -1});
    }
  } else {
    for (size_t i = y.size(); i < f.size(); i++) {
      int64_t k = static_cast<int64_t>(i - y.size()) + 1;
      if (!std::isnan(f[i])) out->push_back({pts.back().first + interval * k, f[i], -1});
    }
  }
  return Status();
}

}  // namespace tsd::query
