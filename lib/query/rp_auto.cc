// --rp auto (rp_auto.h): the retention policy a SELECT reads, picked by
// its time range and resolution among those continuous queries feed.
#include "query/rp_auto.h"

#include <algorithm>

#include "query/parser.h"
#include "query/select_check.h"

namespace tsd::query {
namespace {

struct Candidate {
  std::string rp;
  int64_t resolution = 0;  // 0: the raw points
  int64_t duration = 0;    // 0: infinite
  int64_t through = 0;     // computed up to here (CQ-fed); INT64_MAX for raw
};

// The RPs continuous queries of db write `measurement` into, with the
// CQ's interval and how far it has computed.
std::vector<Candidate> fed_by_cqs(storage::Catalog& cat, const std::string& db,
                                  const std::string& measurement) {
  std::vector<Candidate> out;
  auto cqs = cat.continuous_queries();
  if (!cqs.ok()) return out;
  for (const auto& c : *cqs) {
    if (c.db != db) continue;
    Parser p(c.query);
    auto st = p.parse_statement();
    if (!st.ok() || st->select == nullptr || st->select->target == nullptr) continue;
    const SelectStatement& sel = *st->select;
    const Target& t = *sel.target;
    if (!t.db.empty() && t.db != db) continue;
    bool feeds = t.back_reference ? std::any_of(sel.sources.begin(), sel.sources.end(),
                                                [&](const Source& s) { return s.name == measurement; })
                                  : t.name == measurement;
    if (!feeds) continue;
    auto info = analyze_select(sel, 0);
    if (!info.ok() || info->interval <= 0) continue;
    auto wm = cat.cq_watermark(c.db, c.name);
    Candidate cand;
    cand.rp = t.rp;
    if (cand.rp.empty()) {
      auto d = cat.default_retention_policy(db);
      if (!d.ok()) continue;
      cand.rp = *d;
    }
    cand.resolution = info->interval;
    cand.through = wm.ok() && *wm ? **wm : 0;
    out.push_back(cand);
  }
  return out;
}

}  // namespace

Result<std::string> auto_retention_policy(storage::Catalog& cat, const std::string& db,
                                          const std::string& measurement, int64_t start,
                                          int64_t end, int64_t want, int64_t now) {
  auto def = cat.default_retention_policy(db);
  if (!def.ok()) return def.status();
  auto rps = cat.retention_policies(db);
  if (!rps.ok()) return rps.status();
  auto duration_of = [&](const std::string& rp) -> std::optional<int64_t> {
    for (const auto& r : *rps) {
      if (r.name == rp) return r.duration;
    }
    return std::nullopt;
  };
  std::vector<Candidate> cands;
  if (auto d = duration_of(*def)) cands.push_back({*def, 0, *d, INT64_MAX});
  for (Candidate c : fed_by_cqs(cat, db, measurement)) {
    auto d = duration_of(c.rp);
    if (!d) continue;
    c.duration = *d;
    cands.push_back(c);
  }
  if (want <= 0) want = (end - start) / kAutoPoints;
  const Candidate* best = nullptr;
  for (const Candidate& c : cands) {
    const bool keeps_start = c.duration == 0 || start >= now - c.duration;
    // A CQ's last window may lag behind by a run: two of its intervals.
    const bool computed = c.through == INT64_MAX || c.through >= end - 2 * c.resolution;
    if (!keeps_start || !computed || c.resolution > want) continue;
    if (best == nullptr || c.resolution > best->resolution) best = &c;
  }
  if (best == nullptr) {
    // Nothing holds the whole range finely enough: the finest policy that
    // still keeps its start, else the default.
    for (const Candidate& c : cands) {
      const bool keeps_start = c.duration == 0 || start >= now - c.duration;
      if (keeps_start && (best == nullptr || c.resolution < best->resolution)) best = &c;
    }
  }
  return best != nullptr ? best->rp : *def;
}

}  // namespace tsd::query
