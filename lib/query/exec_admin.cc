// Databases, retention policies, shards and continuous queries: SHOW,
// CREATE, ALTER and DROP of them (exec_meta.h), answered as influxd 1.6
// answers them.
#include "core/time.h"
#include "query/exec_meta.h"
#include "query/render.h"

namespace tsd::query {

StatementResult done(const Status& s) {
  return s.ok() ? StatementResult() : statement_error(s.message());
}

namespace {

using K = Statement::Kind;
using storage::RetentionPolicy;

constexpr int64_t kHourNs = 3600LL * 1000000000LL;

// InfluxDB's checks of an RP's settings; a shard duration under an hour
// becomes an hour, none (0) the default for the duration.
Status normalize(RetentionPolicy* rp) {
  if (rp->duration != 0 && rp->duration < kHourNs) {
    return Status::invalid_argument("retention policy duration must be at least 1h0m0s");
  }
  if (rp->shard_duration <= 0) {
    rp->shard_duration = storage::default_shard_group_duration(rp->duration);
  } else if (rp->shard_duration < kHourNs) {
    rp->shard_duration = kHourNs;
  }
  if (rp->duration != 0 && rp->duration < rp->shard_duration) {
    return Status::invalid_argument(
        "retention policy duration must be greater than the shard duration");
  }
  return Status();
}

// The settings a statement gives (-1: not given) over `rp`.
void apply(const MetaStatement& m, RetentionPolicy* rp) {
  if (m.duration >= 0) rp->duration = m.duration;
  if (m.replication >= 0) rp->replication = m.replication;
  if (m.shard_duration >= 0) rp->shard_duration = m.shard_duration;
}

StatementResult show_databases(storage::Catalog& cat, const ExecOptions& o) {
  auto dbs = cat.databases();
  if (!dbs.ok()) return statement_error(dbs.status().message());
  StatementResult r;
  Series s = make_series("databases", {"name"});
  for (auto& d : *dbs) {
    // With authentication, those the user may read or write (influxd).
    if (o.authorize && o.user && !o.user->may(storage::Privilege::kRead, d) &&
        !o.user->may(storage::Privilege::kWrite, d)) {
      continue;
    }
    s.values.push_back({std::move(d)});
  }
  r.series.push_back(std::move(s));
  return r;
}

StatementResult show_retention_policies(storage::Catalog& cat, const std::string& db) {
  auto rps = cat.retention_policies(db);
  if (!rps.ok()) return statement_error(rps.status().message());
  StatementResult r;
  Series s = make_series("", {"name", "duration", "shardGroupDuration", "replicaN", "default"});
  for (const auto& rp : *rps) {
    s.values.push_back({rp.name, format_duration(rp.duration), format_duration(rp.shard_duration),
                        rp.replication, rp.is_default});
  }
  r.series.push_back(std::move(s));
  return r;
}

// SHOW SHARDS (one series per database) and SHOW SHARD GROUPS (one).
StatementResult show_shards(storage::Catalog& cat, bool groups) {
  auto dbs = cat.databases();
  if (!dbs.ok()) return statement_error(dbs.status().message());
  StatementResult r;
  std::vector<std::string> cols = {"id", "database", "retention_policy", "start_time", "end_time",
                                   "expiry_time"};
  if (!groups) {
    cols.insert(cols.begin() + 3, "shard_group");
    cols.push_back("owners");
  }
  Series all = make_series("shard groups", cols);
  for (const auto& db : *dbs) {
    Series s = make_series(db, cols);
    auto rps = cat.retention_policies(db);
    if (!rps.ok()) return statement_error(rps.status().message());
    for (const auto& rp : *rps) {
      auto gs = cat.shard_groups(db, rp.name, INT64_MIN, INT64_MAX);
      if (!gs.ok()) return statement_error(gs.status().message());
      for (const auto& g : *gs) {
        const int64_t expiry = rp.duration == 0 ? g.end : g.end + rp.duration;
        // (One by one: GCC 12 warns wrongly of a list of variants here.)
        Row row;
        row.emplace_back(g.id);
        row.emplace_back(db);
        row.emplace_back(rp.name);
        if (!groups) row.emplace_back(g.id);  // one shard per group: the same id
        row.emplace_back(format_rfc3339(g.start));
        row.emplace_back(format_rfc3339(g.end));
        row.emplace_back(format_rfc3339(expiry));
        if (!groups) row.emplace_back(std::string());
        (groups ? all : s).values.push_back(std::move(row));
      }
    }
    if (!groups) r.series.push_back(std::move(s));
  }
  if (groups) r.series.push_back(std::move(all));
  return r;
}

StatementResult show_continuous_queries(storage::Catalog& cat) {
  auto dbs = cat.databases();
  if (!dbs.ok()) return statement_error(dbs.status().message());
  auto cqs = cat.continuous_queries();
  if (!cqs.ok()) return statement_error(cqs.status().message());
  StatementResult r;
  for (const auto& db : *dbs) {
    Series s = make_series(db, {"name", "query"});
    for (const auto& cq : *cqs) {
      if (cq.db == db) s.values.push_back({cq.name, cq.query});
    }
    r.series.push_back(std::move(s));
  }
  return r;
}

StatementResult create_database(storage::Catalog& cat, const MetaStatement& m) {
  const bool with = m.duration >= 0 || m.replication >= 0 || m.shard_duration >= 0 ||
                    !m.rp_name.empty();
  if (!with) return done(cat.create_database(m.name));
  RetentionPolicy rp;
  rp.name = m.rp_name.empty() ? std::string(storage::kDefaultRetentionPolicy) : m.rp_name;
  apply(m, &rp);
  Status s = normalize(&rp);
  if (!s.ok()) return statement_error(s.message());
  return done(cat.create_database(m.name, &rp));
}

StatementResult create_retention_policy(storage::Catalog& cat, const MetaStatement& m) {
  RetentionPolicy rp;
  rp.name = m.name;
  apply(m, &rp);
  Status s = normalize(&rp);
  if (!s.ok()) return statement_error(s.message());
  auto have = cat.retention_policies(m.db);
  if (!have.ok()) return statement_error(have.status().message());
  for (const auto& h : *have) {
    if (h.name != rp.name) continue;
    if (h.duration != rp.duration || h.shard_duration != rp.shard_duration ||
        h.replication != rp.replication) {
      return statement_error("retention policy already exists");
    }
    if (m.make_default && !h.is_default) {
      return statement_error("retention policy conflicts with an existing policy");
    }
    return StatementResult();
  }
  return done(cat.put_retention_policy(m.db, rp, m.make_default));
}

StatementResult alter_retention_policy(storage::Catalog& cat, const MetaStatement& m) {
  auto rp = cat.retention_policy(m.db, m.name);
  if (!rp.ok()) return statement_error(rp.status().message());
  apply(m, &*rp);
  Status s = normalize(&*rp);
  if (!s.ok()) return statement_error(s.message());
  return done(cat.put_retention_policy(m.db, *rp, m.make_default));
}

StatementResult create_continuous_query(storage::Catalog& cat, const Statement& st, int64_t now) {
  const MetaStatement& m = *st.meta;
  auto def = cat.default_retention_policy(m.db);
  if (!def.ok()) return statement_error(def.status().message());
  // Sources and INTO qualified with database and default RP, as influxd
  // stores them.
  Status bad;
  const Qualify qualify = [&](std::string* db, std::string* rp) {
    if (db->empty()) *db = m.db;
    if (!rp->empty()) return;
    auto d = cat.default_retention_policy(*db);
    if (!d.ok()) {
      if (bad.ok()) bad = d.status();
      return;
    }
    *rp = *d;
  };
  const std::string text = render_continuous_query(st, qualify);
  if (!bad.ok()) return statement_error(bad.message());
  return done(cat.create_continuous_query({m.db, m.name, text}, now));
}

}  // namespace

StatementResult execute_admin(const Statement& st, const ExecContext& cx) {
  storage::Catalog& cat = cx.store->catalog();
  const MetaStatement& m = *st.meta;
  switch (st.kind) {
    case K::kShowDatabases: return show_databases(cat, *cx.opts);
    case K::kShowRetentionPolicies: {
      auto db = statement_db(m, cx);
      if (!db.ok()) return statement_error(db.status().message());
      return show_retention_policies(cat, *db);
    }
    case K::kShowShards: return show_shards(cat, false);
    case K::kShowShardGroups: return show_shards(cat, true);
    case K::kShowContinuousQueries: return show_continuous_queries(cat);
    case K::kCreateDatabase: return create_database(cat, m);
    case K::kDropDatabase:
      cx.store->close_shards(m.name);
      return done(cat.drop_database(m.name));
    case K::kCreateRetentionPolicy: return create_retention_policy(cat, m);
    case K::kAlterRetentionPolicy: return alter_retention_policy(cat, m);
    case K::kDropRetentionPolicy:
      cx.store->close_shards(m.db, m.name);
      return done(cat.drop_retention_policy(m.db, m.name));
    case K::kDropShard: {
      cx.store->close_shards({}, {}, static_cast<int64_t>(m.id));
      auto dropped = cat.drop_shard_group(static_cast<int64_t>(m.id));
      return done(dropped.status());
    }
    case K::kCreateContinuousQuery: return create_continuous_query(cat, st, cx.now);
    case K::kDropContinuousQuery: return done(cat.drop_continuous_query(m.db, m.name));
    default: return statement_error("this statement is not built yet");
  }
}

}  // namespace tsd::query
