// When a CQ runs and what it computes (cq.h): InfluxDB's arithmetic.
#include "cq/cq.h"

#include <algorithm>

#include "query/format.h"
#include "query/parser.h"
#include "query/render.h"
#include "query/select_check.h"

namespace tsd::cq {
namespace {

// Seconds from January 1 of year 1 to the Unix epoch (Go's unixToInternal).
constexpr __int128 kZeroToEpochNs = static_cast<__int128>(62135596800) * 1000000000;

int64_t run_every(const Timing& t) { return t.every != 0 ? t.every : t.interval; }

// A run time brought onto its EVERY boundary (as InfluxDB stores lastRuns).
int64_t aligned_run(const Timing& t, int64_t run) {
  return go_truncate(run - t.offset, run_every(t)) + t.offset;
}

// The end of the windows a run at `run` computes: the last one that EVERY
// (or the interval, when shorter) has completed.
int64_t windows_end(const Timing& t, int64_t run) {
  const int64_t every = std::min(run_every(t), t.interval);
  return go_truncate(run + t.interval - every - t.offset, t.interval) + t.offset;
}

}  // namespace

int64_t go_truncate(int64_t t, int64_t d) {
  if (d <= 0) return t;
  const __int128 abs = static_cast<__int128>(t) + kZeroToEpochNs;  // >= 0 for any year >= 1
  __int128 r = abs % d;
  if (r < 0) r += d;
  return static_cast<int64_t>(static_cast<__int128>(t) - r);
}

Plan plan_run(const Timing& t, std::optional<int64_t> last_run, int64_t now) {
  Plan p;
  const int64_t interval = t.interval;
  if (interval <= 0) return p;
  const int64_t every = run_every(t);
  int64_t next_run = now;
  if (last_run) {
    const int64_t last = aligned_run(t, *last_run);
    next_run = last + every;
    if (!t.zone.is_utc()) {
      // Across a DST change the next run moves by the change (Go's Zone()).
      const int64_t diff = t.zone.offset_at(last - 1) - t.zone.offset_at(next_run - 1);
      if (diff != 0 && (diff < 0 ? -diff : diff) < every) next_run += diff;
    }
    if (next_run > now) return p;
  }
  p.due = true;
  p.last_run = aligned_run(t, now);
  int64_t resample_for = interval;
  if (t.for_ != 0) {
    resample_for = t.for_;
  } else if (interval < every) {
    resample_for = every;
  }
  p.start = go_truncate(next_run + interval - resample_for - t.offset - 1, interval) + t.offset;
  p.end = windows_end(t, now);
  return p;
}

int64_t computed_until(const Timing& t, int64_t last_run) {
  return t.interval > 0 ? windows_end(t, aligned_run(t, last_run)) : last_run;
}

Result<Query> parse(const storage::ContinuousQuery& cq) {
  query::Parser parser(cq.query);
  auto st = parser.parse_statement();
  if (!st.ok()) return Status::invalid_argument(cq.name + ": " + st.status().message());
  if (st->kind != query::Statement::Kind::kCreateContinuousQuery || st->select == nullptr) {
    return Status::invalid_argument(cq.name + ": not a CREATE CONTINUOUS QUERY statement");
  }
  Query q;
  q.db = cq.db;
  q.name = cq.name;
  q.text = cq.query;
  q.select = std::move(st->select);
  q.timing.every = st->meta->resample_every;
  q.timing.for_ = st->meta->resample_for;
  auto info = query::analyze_select(*q.select, 0);
  if (!info.ok()) return Status::invalid_argument(cq.name + ": " + info.status().message());
  q.timing.interval = info->interval;
  q.timing.offset = info->offset;
  if (!q.select->tz.empty()) {
    auto z = query::Zone::load(q.select->tz);
    if (!z.ok()) return Status::invalid_argument(cq.name + ": " + z.status().message());
    q.timing.zone = *z;
  }
  return q;
}

std::string statement_for(const Query& q, int64_t start, int64_t end) {
  using query::Expr;
  auto time_cmp = [](query::Tok op, int64_t t) {
    auto e = std::make_unique<Expr>(Expr::Kind::kBinary);
    e->op = op;
    auto ref = std::make_unique<Expr>(Expr::Kind::kVarRef);
    ref->name = "time";
    auto lit = std::make_unique<Expr>(Expr::Kind::kString);
    lit->name = query::format_time(t, 0);
    e->args.push_back(std::move(ref));
    e->args.push_back(std::move(lit));
    return e;
  };
  auto both = [](query::ExprPtr a, query::ExprPtr b) {
    auto e = std::make_unique<Expr>(Expr::Kind::kBinary);
    e->op = query::Tok::kAnd;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  };
  query::ExprPtr range = both(time_cmp(query::Tok::kGte, start), time_cmp(query::Tok::kLt, end));
  query::ExprPtr saved;
  if (q.select->condition) {
    auto paren = std::make_unique<Expr>(Expr::Kind::kParen);
    paren->args.push_back(query::clone(*q.select->condition));
    range = both(std::move(paren), std::move(range));
  }
  saved = std::move(q.select->condition);
  q.select->condition = std::move(range);
  std::string text = query::render_select(*q.select);
  q.select->condition = std::move(saved);
  return text;
}

}  // namespace tsd::cq
