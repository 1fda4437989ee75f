// The technical-analysis transformations (select.h): exponential moving
// averages (EMA, DEMA, TEMA), TRIX, RSI, Kaufman's efficiency ratio and
// adaptive moving average, Chande's momentum oscillator. Their arithmetic
// follows InfluxDB 1.6's gota package step by step (the same operations in
// the same order), so that the numbers match to the last bit:
//
//   - each indicator warms up over its first points, 'exponential' (an EMA
//     whose alpha is 2/(k+1) after k points), 'simple' (a running mean), or
//     for CMO 'none' (a plain window of sums);
//   - a point is given for every input point after the hold period (by
//     default the indicator's warm-up count), at that point's time;
//   - integers are read as floats; results that are infinite are dropped
//     (TRIX, KER, KAMA), NaNs are kept (they print as null).
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "query/select.h"

namespace tsd::query {
namespace {

enum class Warmup { kExponential, kSimple, kNone };

// gota.EMA: the warm-up averages its first `period` points.
class Ema {
 public:
  Ema(int period, Warmup w) : period_(period), alpha_(2 / static_cast<double>(period + 1)), warm_(w) {}
  int warm_count() const { return period_ - 1; }
  bool warmed() const { return count_ == period_; }
  bool exponential() const { return warm_ == Warmup::kExponential; }
  double last() const { return last_; }
  void set_alpha(double a) { alpha_ = a; }

  double add(double v) {
    double avg;
    if (count_ == 0) {
      avg = v;
    } else if (!warmed()) {
      if (warm_ == Warmup::kSimple) {
        avg = (last_ * static_cast<double>(count_) + v) / static_cast<double>(count_ + 1);
      } else {
        double a = 2 / static_cast<double>(count_ + 2);
        avg = (v - last_) * a + last_;
      }
    } else {
      avg = (v - last_) * alpha_ + last_;
    }
    last_ = avg;
    if (count_ < period_) count_++;
    return avg;
  }

 private:
  int period_;
  double alpha_;
  Warmup warm_;
  double last_ = 0;
  int count_ = 0;
};

// One indicator: a value for each point added.
class Indicator {
 public:
  virtual ~Indicator() = default;
  virtual double add(double v) = 0;
  virtual int warm_count() const = 0;
  // Whether an infinite result is dropped rather than given.
  virtual bool drops_inf() const { return false; }
};

class EmaInd : public Indicator {
 public:
  EmaInd(int n, Warmup w) : e_(n, w) {}
  double add(double v) override { return e_.add(v); }
  int warm_count() const override { return e_.warm_count(); }

 private:
  Ema e_;
};

// The next EMA of a chain is fed once the one before it is warm (always,
// with the exponential warm-up); until then it passes its input through.
double chain(Ema& prev, Ema& next, double v) {
  return prev.warmed() || prev.exponential() ? next.add(v) : v;
}

class Dema : public Indicator {
 public:
  Dema(int n, Warmup w) : e1_(n, w), e2_(n, w) {}
  double add(double v) override {
    double a1 = e1_.add(v);
    double a2 = chain(e1_, e2_, a1);
    return 2 * a1 - a2;
  }
  int warm_count() const override {
    return e1_.exponential() ? e1_.warm_count() : e1_.warm_count() + e2_.warm_count();
  }

 private:
  Ema e1_, e2_;
};

class Tema : public Indicator {
 public:
  Tema(int n, Warmup w) : e1_(n, w), e2_(n, w), e3_(n, w) {}
  double add(double v) override {
    double a1 = e1_.add(v);
    double a2 = chain(e1_, e2_, a1);
    double a3 = chain(e2_, e3_, a2);
    return 3 * a1 - 3 * a2 + a3;
  }
  int warm_count() const override {
    return e1_.exponential() ? e1_.warm_count()
                             : e1_.warm_count() + e2_.warm_count() + e3_.warm_count();
  }

 private:
  Ema e1_, e2_, e3_;
};

// TRIX: the rate of change (percent) of a triple EMA.
class Trix : public Indicator {
 public:
  Trix(int n, Warmup w) : e1_(n, w), e2_(n, w), e3_(n, w) {}
  double add(double v) override {
    double cur = e1_.add(v);
    if (e1_.warmed() || e1_.exponential()) {
      cur = e2_.add(cur);
      if (e2_.warmed() || e2_.exponential()) cur = e3_.add(cur);
    }
    double rate = ((cur / last_) - 1) * 100;
    last_ = cur;
    return rate;
  }
  int warm_count() const override {
    return e1_.exponential() ? e1_.warm_count() + 1 : e1_.warm_count() * 3 + 1;
  }
  bool drops_inf() const override { return true; }

 private:
  Ema e1_, e2_, e3_;
  double last_ = 0;
};

// Ups and downs smoothed by two EMAs of period n+1 and alpha 1/n (RSI,
// and CMO with a warm-up). The first change is from 0.
class UpDown {
 public:
  UpDown(int n, Warmup w) : up_(n + 1, w), down_(n + 1, w) {
    up_.set_alpha(1 / static_cast<double>(n));
    down_.set_alpha(1 / static_cast<double>(n));
  }
  void add(double v) {
    double up = 0, down = 0;
    if (v > last_) {
      up = v - last_;
    } else if (v < last_) {
      down = last_ - v;
    }
    up_.add(up);
    down_.add(down);
    last_ = v;
  }
  int warm_count() const { return up_.warm_count(); }
  double up() const { return up_.last(); }
  double down() const { return down_.last(); }

 private:
  Ema up_, down_;
  double last_ = 0;
};

class Rsi : public Indicator {
 public:
  Rsi(int n, Warmup w) : ud_(n, w) {}
  double add(double v) override {
    ud_.add(v);
    return 100 - (100 / (1 + ud_.up() / ud_.down()));
  }
  int warm_count() const override { return ud_.warm_count(); }

 private:
  UpDown ud_;
};

class Cmos : public Indicator {
 public:
  Cmos(int n, Warmup w) : ud_(n, w) {}
  double add(double v) override {
    ud_.add(v);
    double up = ud_.up(), down = ud_.down();
    return 100.0 * ((up - down) / (up + down));
  }
  int warm_count() const override { return ud_.warm_count(); }

 private:
  UpDown ud_;
};

// CMO without a warm-up: sums of the ups and downs over the last n-1 changes.
class Cmo : public Indicator {
 public:
  explicit Cmo(int n) : points_(static_cast<size_t>(n - 1)) {}
  double add(double v) override {
    size_t oldest = idx_ + 1;
    if (oldest == points_.size()) oldest = 0;
    double diff = 0;
    if (count_ != 0) {
      diff = v - points_[idx_].price;
      if (diff > 0) {
        up_ += diff;
      } else if (diff < 0) {
        down_ -= diff;
      }
    }
    double out = 0;
    if (up_ != 0 || down_ != 0) out = 100.0 * ((up_ - down_) / (up_ + down_));
    const Point& o = points_[oldest];
    if (o.diff > 0) {
      up_ -= o.diff;
    } else if (o.diff < 0) {
      down_ += o.diff;
    }
    points_[oldest] = {v, diff};
    idx_ = oldest;
    if (count_ != static_cast<int>(points_.size()) + 2) count_++;
    return out;
  }
  int warm_count() const override { return static_cast<int>(points_.size()); }

 private:
  struct Point {
    double price = 0, diff = 0;
  };
  std::vector<Point> points_;
  double up_ = 0, down_ = 0;
  int count_ = 0;
  size_t idx_ = 0;
};

// Kaufman's efficiency ratio: |change over n| / sum of |changes| (a ring
// of n points that starts at zeros).
class Ker : public Indicator {
 public:
  explicit Ker(int n) : points_(static_cast<size_t>(n)) {}
  double add(double v) override {
    size_t n = points_.size();
    size_t oldest = idx_ + 1;
    if (oldest >= n) oldest = 0;
    double signal = std::fabs(v - points_[oldest].price);
    Point p{v, std::fabs(v - points_[idx_].price)};
    noise_ -= points_[oldest].diff;
    noise_ += p.diff;
    double noise = noise_;
    idx_ = oldest;
    points_[idx_] = p;
    if (!warmed()) count_++;
    if (signal == 0 || noise == 0) return 0;
    return signal / noise;
  }
  int warm_count() const override { return static_cast<int>(points_.size()); }
  bool drops_inf() const override { return true; }
  bool warmed() const { return count_ == static_cast<int>(points_.size()) + 1; }
  double newest() const { return points_[idx_].price; }

 private:
  struct Point {
    double price = 0, diff = 0;
  };
  std::vector<Point> points_;
  double noise_ = 0;
  int count_ = 0;
  size_t idx_ = 0;
};

class Kama : public Indicator {
 public:
  explicit Kama(int n) : ker_(n) {}
  double add(double v) override {
    if (!ker_.warmed()) last_ = ker_.newest();
    double er = ker_.add(v);
    // (2/(2+1) - 2/(30+1)) is a constant Go folds exactly: 56/93.
    double x = er * (56.0 / 93.0) + 2.0 / 31.0;
    double sc = x * x;
    last_ = last_ + sc * (v - last_);
    return last_;
  }
  int warm_count() const override { return ker_.warm_count(); }
  bool drops_inf() const override { return true; }

 private:
  Ker ker_;
  double last_ = 0;
};

bool is_int_literal(const Expr& e) { return e.kind == Expr::Kind::kInteger; }

// Checks a call's arguments as InfluxDB's compiler does; on success sets
// the period, the hold period (-1: the default) and the warm-up.
Status check_args(const Expr& call, int64_t interval, int* period, int* hold, Warmup* warm) {
  const std::string& fn = call.name;
  bool kaufmans = fn == "kaufmans_efficiency_ratio" || fn == "kaufmans_adaptive_moving_average";
  bool cmo = fn == "chande_momentum_oscillator";
  size_t max = kaufmans ? 3 : 4;
  size_t got = call.args.size();
  if (got < 2 || got > max)
    return Status::invalid_argument("invalid number of arguments for " + fn +
                                    ", expected at least 2 but no more than " +
                                    std::to_string(max) + ", got " + std::to_string(got));
  const Expr& a1 = *call.args[1];
  if (!is_int_literal(a1)) return Status::invalid_argument(fn + " period must be an integer");
  if (a1.integer < 1)
    return Status::invalid_argument(fn + " period must be greater than or equal to 1");
  *period = static_cast<int>(a1.integer);
  *hold = -1;
  if (got >= 3) {
    const Expr& a2 = *call.args[2];
    if (!is_int_literal(a2)) return Status::invalid_argument(fn + " hold period must be an integer");
    if (fn == "triple_exponential_derivative" && a2.integer < 1 && a2.integer != -1)
      return Status::invalid_argument(fn + " hold period must be greater than or equal to 1");
    if (a2.integer < 0 && a2.integer != -1)
      return Status::invalid_argument(fn + " hold period must be greater than or equal to 0");
    *hold = static_cast<int>(a2.integer);
  }
  *warm = cmo ? Warmup::kNone : Warmup::kExponential;
  if (got >= 4) {
    const Expr& a3 = *call.args[3];
    std::string allowed = cmo ? "'none' 'exponential' 'simple'" : "'exponential' 'simple'";
    if (a3.kind != Expr::Kind::kString)
      return Status::invalid_argument(fn + " warmup type must be a string");
    if (a3.name == "exponential") {
      *warm = Warmup::kExponential;
    } else if (a3.name == "simple") {
      *warm = Warmup::kSimple;
    } else if (cmo && a3.name == "none") {
      *warm = Warmup::kNone;
    } else {
      return Status::invalid_argument(fn + " warmup type must be one of: " + allowed);
    }
  }
  bool nested = call.args[0]->kind == Expr::Kind::kCall;
  if (nested && interval == 0)
    return Status::invalid_argument(fn + " aggregate requires a GROUP BY interval");
  if (!nested && interval != 0)
    return Status::invalid_argument("aggregate function required inside the call to " + fn);
  return Status();
}

std::unique_ptr<Indicator> make_indicator(const std::string& fn, int n, Warmup w) {
  if (fn == "exponential_moving_average") return std::make_unique<EmaInd>(n, w);
  if (fn == "double_exponential_moving_average") return std::make_unique<Dema>(n, w);
  if (fn == "triple_exponential_moving_average") return std::make_unique<Tema>(n, w);
  if (fn == "triple_exponential_derivative") return std::make_unique<Trix>(n, w);
  if (fn == "relative_strength_index") return std::make_unique<Rsi>(n, w);
  if (fn == "kaufmans_efficiency_ratio") return std::make_unique<Ker>(n);
  if (fn == "kaufmans_adaptive_moving_average") return std::make_unique<Kama>(n);
  if (fn == "chande_momentum_oscillator") {
    if (w == Warmup::kNone) return std::make_unique<Cmo>(n);
    return std::make_unique<Cmos>(n, w);
  }
  return nullptr;
}

}  // namespace

bool is_ta_function(std::string_view n) {
  return n == "exponential_moving_average" || n == "double_exponential_moving_average" ||
         n == "triple_exponential_moving_average" || n == "triple_exponential_derivative" ||
         n == "relative_strength_index" || n == "kaufmans_efficiency_ratio" ||
         n == "kaufmans_adaptive_moving_average" || n == "chande_momentum_oscillator";
}

Status ta_transform(const Expr& call, const Seq& in, int64_t interval, Seq* out) {
  int period = 0, hold = -1;
  Warmup warm = Warmup::kExponential;
  TSD_RETURN_IF_ERROR(check_args(call, interval, &period, &hold, &warm));
  const std::string& fn = call.name;
  if (fn == "chande_momentum_oscillator" && warm == Warmup::kNone && period < 2) {
    // InfluxDB 1.6 indexes an empty ring here and the query fails.
    return Status::invalid_argument("chande_momentum_oscillator period 1 without warm-up is not supported");
  }
  std::unique_ptr<Indicator> ind = make_indicator(fn, period, warm);
  if (hold == -1) hold = ind->warm_count();
  // InfluxDB counts points in a uint32 and compares it to the hold period.
  const uint32_t hold_n = static_cast<uint32_t>(hold);
  uint32_t count = 0;
  for (const Pt& p : in) {
    double v;
    if (is_null(p.v)) continue;
    if (!as_double(p.v, &v)) {
      std::string words = fn;
      for (char& c : words) c = c == '_' ? ' ' : c;
      const char* it = p.v.index() == 4 ? "*query.stringInterruptIterator"
                                        : "*query.booleanInterruptIterator";
      return Status::invalid_argument("unsupported " + words + " iterator type: " + it);
    }
    double r = ind->add(v);
    count++;
    if (count <= hold_n) continue;
    if (ind->drops_inf() && std::isinf(r)) continue;
    out->push_back({p.time, r, p.origin});
  }
  return Status();
}

}  // namespace tsd::query
