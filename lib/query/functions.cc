// Aggregates, selectors and transformations (select.h), as InfluxDB 1.6's
// reducers compute them, ties included: first/last prefer the larger value
// at equal times, min/max the earlier point at equal values.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <unordered_map>

#include "query/go_sort.h"
#include "query/select.h"

namespace tsd::query {
namespace {

using storage::Column;

Datum at(const Column& c, size_t k) { return datum_at(c, k); }

double num(const Column& c, size_t k) {
  switch (c.type) {
    case FieldType::kFloat: return c.f[k];
    case FieldType::kInteger: return static_cast<double>(c.i[k]);
    case FieldType::kUnsigned: return static_cast<double>(c.u[k]);
    default: return 0;
  }
}

// Orders two values of the column's type (strings and booleans too).
int cmp(const Column& c, size_t a, size_t b) {
  switch (c.type) {
    case FieldType::kFloat: return c.f[a] < c.f[b] ? -1 : c.f[a] > c.f[b] ? 1 : 0;
    case FieldType::kInteger: return c.i[a] < c.i[b] ? -1 : c.i[a] > c.i[b] ? 1 : 0;
    case FieldType::kUnsigned: return c.u[a] < c.u[b] ? -1 : c.u[a] > c.u[b] ? 1 : 0;
    case FieldType::kString: return c.s[a].compare(c.s[b]) < 0 ? -1 : c.s[a] == c.s[b] ? 0 : 1;
    case FieldType::kBoolean: return int(c.b[a]) - int(c.b[b]);
  }
  return 0;
}

// InfluxDB's words name the Go iterator type it could not use.
Status unsupported(const std::string& fn, FieldType t) {
  std::string it = t == FieldType::kString    ? "*query.stringInterruptIterator"
                   : t == FieldType::kBoolean ? "*query.booleanInterruptIterator"
                                              : std::string(field_type_name(t));
  return Status::invalid_argument("unsupported " + fn + " iterator type: " + it);
}

int64_t int_arg(const Expr& call, size_t i, int64_t def) {
  if (call.args.size() <= i) return def;
  const Expr& a = *call.args[i];
  if (a.kind == Expr::Kind::kInteger || a.kind == Expr::Kind::kDuration) return a.integer;
  if (a.kind == Expr::Kind::kNumber) return static_cast<int64_t>(a.number);
  return def;
}

double num_arg(const Expr& call, size_t i) {
  if (call.args.size() <= i) return 0;
  const Expr& a = *call.args[i];
  return a.kind == Expr::Kind::kNumber ? a.number : static_cast<double>(a.integer);
}

Datum sum(const Column& c, size_t a, size_t b) {
  switch (c.type) {
    case FieldType::kFloat: {
      double s = 0;
      for (size_t k = a; k < b; k++) s += c.f[k];
      return s;
    }
    case FieldType::kInteger: {
      uint64_t s = 0;
      for (size_t k = a; k < b; k++) s += static_cast<uint64_t>(c.i[k]);
      return static_cast<int64_t>(s);
    }
    case FieldType::kUnsigned: {
      uint64_t s = 0;
      for (size_t k = a; k < b; k++) s += c.u[k];
      return s;
    }
    default:
      return std::monostate{};
  }
}

// Indexes [a, b) sorted by value (stable by time).
std::vector<size_t> by_value(const Column& c, size_t a, size_t b) {
  std::vector<size_t> idx(b - a);
  for (size_t k = a; k < b; k++) idx[k - a] = k;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) { return cmp(c, x, y) < 0; });
  return idx;
}

// Indexes [a, b) as InfluxDB's sort.Sort(pointsByValue(a)) leaves them:
// Go's unstable sort with the Less of each point type (a boolean is
// "less" when false, whatever the other).
std::vector<size_t> go_by_value(const Column& c, size_t a, size_t b) {
  std::vector<size_t> idx(b - a);
  for (size_t k = a; k < b; k++) idx[k - a] = k;
  switch (c.type) {
    case FieldType::kFloat: go_sort(&idx, [&](size_t x, size_t y) { return c.f[x] < c.f[y]; }); break;
    case FieldType::kInteger: go_sort(&idx, [&](size_t x, size_t y) { return c.i[x] < c.i[y]; }); break;
    case FieldType::kUnsigned: go_sort(&idx, [&](size_t x, size_t y) { return c.u[x] < c.u[y]; }); break;
    case FieldType::kString: go_sort(&idx, [&](size_t x, size_t y) { return c.s[x] < c.s[y]; }); break;
    case FieldType::kBoolean: go_sort(&idx, [&](size_t x, size_t) { return !c.b[x]; }); break;
  }
  return idx;
}

Status top_bottom(const Expr& call, const Stream& in, size_t a, size_t b, bool top, Seq* out) {
  const Column& c = in.col;
  if (!is_numeric(c.type)) return unsupported(call.name, c.type);
  int64_t n = int_arg(call, call.args.size() - 1, 1);
  if (n < 1) return Status::invalid_argument("limit (" + std::to_string(n) + ") in " + call.name +
                                             " function must be at least 1");
  // InfluxDB's Top/BottomReducer: a Go heap of at most n points whose root
  // goes first (top's smallest value, bottom's largest; of equal values the
  // later point); a point takes the root's place only when strictly
  // better, so of full ties the first to arrive stays. Emitted best first
  // by Go's sort (sort.Reverse), then stably by time.
  auto worse = [&](size_t x, size_t y) {
    const int r = cmp(c, x, y);
    if (r != 0) return top ? r < 0 : r > 0;
    return c.times[x] > c.times[y];
  };
  std::vector<size_t> h;
  auto less = [&](size_t i, size_t j) { return worse(h[i], h[j]); };
  for (size_t k = a; k < b; k++) {
    if (static_cast<int64_t>(h.size()) < n) {
      h.push_back(k);
      go_sift_up(h, h.size() - 1, less);
    } else if (worse(h[0], k)) {
      h[0] = k;
      go_sift_down(h, 0, h.size(), less);
    }
  }
  go_sort(&h, [&](size_t x, size_t y) { return worse(y, x); });
  std::stable_sort(h.begin(), h.end(), [&](size_t x, size_t y) { return c.times[x] < c.times[y]; });
  for (size_t k : h) out->push_back({c.times[k], at(c, k), in.origin[k]});
  return Status();
}

}  // namespace

FnKind function_kind(std::string_view n) {
  static constexpr std::string_view kAgg[] = {"count", "distinct", "integral", "mean", "median",
                                              "mode", "spread", "stddev", "sum"};
  static constexpr std::string_view kSel[] = {"bottom", "first", "last", "max", "min",
                                              "percentile", "sample", "top"};
  static constexpr std::string_view kTrans[] = {
      "cumulative_sum", "derivative", "difference", "elapsed", "moving_average",
      "non_negative_derivative", "non_negative_difference",
      "chande_momentum_oscillator", "exponential_moving_average",
      "double_exponential_moving_average", "kaufmans_efficiency_ratio",
      "kaufmans_adaptive_moving_average", "triple_exponential_moving_average",
      "triple_exponential_derivative", "relative_strength_index"};
  for (auto k : kAgg) if (k == n) return FnKind::kAggregate;
  for (auto k : kSel) if (k == n) return FnKind::kSelector;
  for (auto k : kTrans) if (k == n) return FnKind::kTransform;
  if (n == "holt_winters" || n == "holt_winters_with_fit") return FnKind::kPredictor;
  if (is_math_function(n)) return FnKind::kMath;
  return FnKind::kNone;
}

Reducer reducer_of(std::string_view fn) {
  static const std::unordered_map<std::string_view, Reducer> kByName = {
      {"count", Reducer::kCount},
      {"sum", Reducer::kSum},
      {"mean", Reducer::kMean},
      {"median", Reducer::kMedian},
      {"mode", Reducer::kMode},
      {"spread", Reducer::kSpread},
      {"stddev", Reducer::kStddev},
      {"distinct", Reducer::kDistinct},
      {"integral", Reducer::kIntegral},
      {"first", Reducer::kFirst},
      {"last", Reducer::kLast},
      {"max", Reducer::kMax},
      {"min", Reducer::kMin},
      {"percentile", Reducer::kPercentile},
      {"top", Reducer::kTop},
      {"bottom", Reducer::kBottom},
      {"sample", Reducer::kSample},
  };
  auto it = kByName.find(fn);
  return it == kByName.end() ? Reducer::kOther : it->second;
}

Status reduce(const Expr& call, const Stream& in, size_t a, size_t b, int64_t wt, Seq* out) {
  return reduce(call, reducer_of(call.name), in, a, b, wt, out);
}

Status reduce(const Expr& call, const Reducer r, const Stream& in, size_t a, size_t b, int64_t wt,
              Seq* out) {
  const Column& c = in.col;
  const std::string& fn = call.name;
  if (a >= b) return Status();
  auto emit = [&](int64_t t, Datum v, int32_t origin = -1) {
    out->push_back({t, std::move(v), origin});
  };
  if (r == Reducer::kCount) {
    emit(wt, static_cast<int64_t>(b - a));
    return Status();
  }
  if (r == Reducer::kSum || r == Reducer::kMean) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    // In the stream's order (the caller puts a window's points series by
    // series, as InfluxDB feeds them): the same order, the same rounding.
    if (r == Reducer::kSum) {
      emit(wt, sum(c, a, b));
    } else {
      double s = 0;
      for (size_t k = a; k < b; k++) s += num(c, k);
      emit(wt, s / static_cast<double>(b - a));
    }
    return Status();
  }
  if (r == Reducer::kMedian) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    std::vector<double> v;
    for (size_t k = a; k < b; k++) v.push_back(num(c, k));
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    emit(wt, n % 2 == 1 ? v[n / 2] : v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2);
    return Status();
  }
  if (r == Reducer::kMode) {
    // InfluxDB's ModeReduceSlice, quirks included: sorted by value, the
    // count of a run only competes from its second point on, and of runs
    // as frequent the one that starts earlier wins.
    std::vector<size_t> idx = go_by_value(c, a, b);
    if (idx.size() == 1) {
      emit(wt, at(c, idx[0]));
      return Status();
    }
    size_t most_freq = 0, curr_freq = 0;
    size_t curr = idx[0], most = idx[0];
    int64_t most_time = c.times[idx[0]], curr_time = c.times[idx[0]];
    for (size_t k : idx) {
      if (cmp(c, k, curr) != 0) {
        curr_freq = 1;
        curr = k;
        curr_time = c.times[k];
        continue;
      }
      curr_freq++;
      if (most_freq > curr_freq || (most_freq == curr_freq && curr_time > most_time)) continue;
      most_freq = curr_freq;
      most = k;
      most_time = c.times[k];
    }
    emit(wt, at(c, most));
    return Status();
  }
  if (r == Reducer::kSpread) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    size_t lo = a, hi = a;
    for (size_t k = a; k < b; k++) {
      if (cmp(c, k, lo) < 0) lo = k;
      if (cmp(c, k, hi) > 0) hi = k;
    }
    Datum l = at(c, lo), h = at(c, hi);
    emit(wt, binary_op(Tok::kSub, h, l, EvalOptions{false}));
    return Status();
  }
  if (r == Reducer::kStddev) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    size_t n = b - a;
    if (n < 2) {
      // NaN, as InfluxDB's: a value (shown null) that fill() leaves alone
      // and transformations carry (difference(stddev(x)) is NaN after it).
      emit(wt, std::nan(""));
      return Status();
    }
    // As InfluxDB's StddevReduceSlice: a running mean, then the squares.
    double mean = 0;
    size_t count = 0;
    for (size_t k = a; k < b; k++) {
      double v = num(c, k);
      if (std::isnan(v)) continue;
      count++;
      mean += (v - mean) / static_cast<double>(count);
    }
    double var = 0;
    for (size_t k = a; k < b; k++) {
      double v = num(c, k);
      if (std::isnan(v)) continue;
      var += (v - mean) * (v - mean);
    }
    emit(wt, std::sqrt(var / static_cast<double>(count - 1)));
    return Status();
  }
  if (r == Reducer::kDistinct) {
    // Each value at its first time in the query's order, ordered by that
    // time, then by value (InfluxDB's distinct reducer sorts its points so).
    std::vector<size_t> idx = by_value(c, a, b);
    std::vector<size_t> firsts;
    for (size_t i = 0; i < idx.size(); i++) {
      if (i > 0 && cmp(c, idx[i - 1], idx[i]) == 0) {
        const int64_t t = c.times[idx[i]], kept = c.times[firsts.back()];
        if (in.descending ? t > kept : t < kept) firsts.back() = idx[i];
        continue;
      }
      firsts.push_back(idx[i]);
    }
    std::sort(firsts.begin(), firsts.end(), [&](size_t x, size_t y) {
      if (c.times[x] != c.times[y]) return c.times[x] < c.times[y];
      return cmp(c, x, y) < 0;
    });
    for (size_t k : firsts) emit(wt, at(c, k));
    return Status();
  }
  if (r == Reducer::kIntegral) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    double unit = static_cast<double>(int_arg(call, 1, 1000000000));
    double area = 0;
    for (size_t k = a + 1; k < b; k++) {
      double dt = static_cast<double>(c.times[k] - c.times[k - 1]) / unit;
      area += (num(c, k) + num(c, k - 1)) / 2 * dt;
    }
    // Without GROUP BY time InfluxDB's float reducer answers at the epoch,
    // its integer reducer at the start of the range; neither answers when
    // its last point is at that time (no area there: one point at the
    // range's start gives nothing).
    const int64_t start = c.type == FieldType::kFloat ? 0 : wt;
    if (a < b && c.times[b - 1] == start) return Status();
    emit(start, area);
    return Status();
  }
  if (r == Reducer::kFirst || r == Reducer::kLast) {
    size_t best = a;
    bool first = r == Reducer::kFirst;
    // Of points at the same time the greater value, but for booleans
    // false for first(), true for last() (influxd's Boolean*Reduce).
    const bool flip = first && c.type == FieldType::kBoolean;
    for (size_t k = a + 1; k < b; k++) {
      bool better = first ? c.times[k] < c.times[best] : c.times[k] > c.times[best];
      if (better || (c.times[k] == c.times[best] && (flip ? -1 : 1) * cmp(c, k, best) > 0)) best = k;
    }
    emit(c.times[best], at(c, best), in.origin[best]);
    return Status();
  }
  if (r == Reducer::kMax || r == Reducer::kMin) {
    if (c.type == FieldType::kString) return unsupported(fn, c.type);
    const bool max = r == Reducer::kMax;
    // The larger (smaller) value; of equal ones the earlier point.
    auto pick = [&](const auto& v) {
      size_t best = a;
      for (size_t k = a + 1; k < b; k++) {
        bool better = max ? v[k] > v[best] : v[k] < v[best];
        if (better || (v[k] == v[best] && c.times[k] < c.times[best])) best = k;
      }
      return best;
    };
    size_t best = a;
    switch (c.type) {
      case FieldType::kFloat: best = pick(c.f); break;
      case FieldType::kInteger: best = pick(c.i); break;
      case FieldType::kUnsigned: best = pick(c.u); break;
      default:
        for (size_t k = a + 1; k < b; k++) {
          int r = cmp(c, k, best);
          if ((max ? r > 0 : r < 0) || (r == 0 && c.times[k] < c.times[best])) best = k;
        }
        break;
    }
    emit(c.times[best], at(c, best), in.origin[best]);
    return Status();
  }
  if (r == Reducer::kPercentile) {
    if (!is_numeric(c.type)) return unsupported(fn, c.type);
    double p = num_arg(call, 1);
    std::vector<size_t> idx = go_by_value(c, a, b);
    int64_t i = static_cast<int64_t>(std::floor(static_cast<double>(idx.size()) * p / 100.0 + 0.5)) - 1;
    if (i < 0 || i >= static_cast<int64_t>(idx.size())) return Status();
    size_t k = idx[i];
    emit(c.times[k], at(c, k), in.origin[k]);
    return Status();
  }
  if (r == Reducer::kTop || r == Reducer::kBottom) return top_bottom(call, in, a, b, r == Reducer::kTop, out);
  if (r == Reducer::kSample) {
    int64_t n = int_arg(call, 1, 1);
    std::vector<size_t> idx;
    std::mt19937_64 rng(static_cast<uint64_t>(wt) ^ 0x9e3779b97f4a7c15ULL);
    for (size_t k = a; k < b; k++) {
      if (static_cast<int64_t>(idx.size()) < n) {
        idx.push_back(k);
      } else {
        size_t j = rng() % (k - a + 1);
        if (static_cast<int64_t>(j) < n) idx[j] = k;
      }
    }
    std::sort(idx.begin(), idx.end());
    for (size_t k : idx) emit(c.times[k], at(c, k), in.origin[k]);
    return Status();
  }
  return Status::invalid_argument("undefined function " + fn + "()");
}

Status integral_windows(const Expr& call, const Stream& in,
                        const std::function<std::pair<int64_t, int64_t>(int64_t)>& window,
                        Seq* out) {
  const Column& c = in.col;
  if (!is_numeric(c.type)) return unsupported(call.name, c.type);
  if (c.empty()) return Status();
  const double unit = static_cast<double>(int_arg(call, 1, 1000000000));
  const bool floats = c.type == FieldType::kFloat;
  int64_t prev_t = c.times[0];
  double prev_v = num(c, 0);
  auto [start, end] = window(prev_t);
  double sum = 0;
  for (size_t k = 1; k < c.size(); k++) {
    int64_t t = c.times[k];
    double value = num(c, k);
    if (t == prev_t) {  // the later of equal times replaces the earlier
      prev_v = value;
      continue;
    }
    if (t >= end) {
      if (prev_t != end) {
        // linearFloat(end, prev_t, t, prev_v, value)
        double m = (value - prev_v) / static_cast<double>(t - prev_t);
        double at_end = m * static_cast<double>(end - prev_t) + prev_v;
        sum += 0.5 * (at_end + prev_v) * (static_cast<double>(end - prev_t) / unit);
        if (floats) {
          prev_v = at_end;
        } else {
          value = at_end;  // used below with the last point's value
        }
        prev_t = end;
      }
      out->push_back({start, sum, -1});
      std::tie(start, end) = window(t);
      sum = 0;
    }
    sum += 0.5 * (value + prev_v) * (static_cast<double>(t - prev_t) / unit);
    prev_t = t;
    prev_v = num(c, k);
  }
  if (prev_t != start) out->push_back({start, sum, -1});
  return Status();
}

Status transform(const Expr& call, const Seq& in, int64_t interval, Seq* out, bool descending) {
  const std::string& fn = call.name;
  for (const Pt& p : in) {
    if (fn == "elapsed") break;  // of any type
    if (p.v.index() == 4 || p.v.index() == 5) {
      FieldType t = p.v.index() == 4 ? FieldType::kString : FieldType::kBoolean;
      return unsupported(fn, t);
    }
  }
  // Points come in the query's order; elapsed times count forward.
  auto elapsed = [&](int64_t t, int64_t prev) { return descending ? prev - t : t - prev; };
  EvalOptions no_float_div{false};
  const Pt* prev = nullptr;
  if (fn == "derivative" || fn == "non_negative_derivative") {
    int64_t def = interval > 0 ? interval : 1000000000;
    double unit = static_cast<double>(int_arg(call, 1, def));
    for (const Pt& p : in) {
      double v;
      if (!as_double(p.v, &v)) continue;
      if (prev != nullptr && p.time != prev->time) {
        double pv;
        as_double(prev->v, &pv);
        double diff = v - pv;
        if (p.v.index() == 2 && prev->v.index() == 2) {  // integers wrap as InfluxDB's int64
          diff = static_cast<double>(static_cast<int64_t>(
              static_cast<uint64_t>(std::get<int64_t>(p.v)) -
              static_cast<uint64_t>(std::get<int64_t>(prev->v))));
        }
        double d = diff / (static_cast<double>(elapsed(p.time, prev->time)) / unit);
        if (fn == "derivative" || d >= 0) out->push_back({p.time, d, p.origin});
      }
      if (prev == nullptr || p.time != prev->time) prev = &p;
    }
    return Status();
  }
  if (fn == "difference" || fn == "non_negative_difference") {
    for (const Pt& p : in) {
      if (is_null(p.v)) continue;
      if (prev != nullptr && p.time != prev->time) {
        Datum d = binary_op(Tok::kSub, p.v, prev->v, no_float_div);
        double dv = 0;
        as_double(d, &dv);
        if (fn == "difference" || dv >= 0) out->push_back({p.time, d, p.origin});
      }
      if (prev == nullptr || p.time != prev->time) prev = &p;
    }
    return Status();
  }
  if (fn == "elapsed") {
    int64_t unit = int_arg(call, 1, 1);
    if (unit <= 0) return Status::invalid_argument("elapsed unit must be positive");
    for (const Pt& p : in) {
      if (is_null(p.v)) continue;
      // (Not turned forward: in descending order InfluxDB's elapsed() is
      // negative, unlike its derivative().)
      if (prev != nullptr) out->push_back({p.time, (p.time - prev->time) / unit, p.origin});
      prev = &p;
    }
    return Status();
  }
  if (fn == "cumulative_sum") {
    Datum acc;
    for (const Pt& p : in) {
      if (is_null(p.v)) continue;
      acc = is_null(acc) ? p.v : binary_op(Tok::kAdd, acc, p.v, no_float_div);
      out->push_back({p.time, acc, p.origin});
    }
    return Status();
  }
  if (fn == "moving_average") {
    // A running sum (the value leaving the window subtracted), as
    // InfluxDB keeps it, so that the rounding matches.
    int64_t period = int_arg(call, 1, 2);
    if (period < 1) return Status::invalid_argument("moving_average window must be greater than 1");
    size_t n = static_cast<size_t>(period);
    std::vector<double> win;
    size_t pos = 0;
    double s = 0;
    for (const Pt& p : in) {
      double v;
      if (!as_double(p.v, &v)) continue;
      if (win.size() < n) {
        win.push_back(v);
      } else {
        s -= win[pos];
        win[pos] = v;
      }
      s += v;
      pos = (pos + 1) % n;
      if (win.size() == n) out->push_back({p.time, s / static_cast<double>(n), p.origin});
    }
    return Status();
  }
  if (is_ta_function(fn)) return ta_transform(call, in, interval, out);
  if (fn == "holt_winters" || fn == "holt_winters_with_fit") return holt_winters(call, in, interval, out);
  return Status::not_supported(fn + "() is not built yet");
}

}  // namespace tsd::query
