// lib/cq: when a continuous query runs and which windows it computes, as
// InfluxDB 1.6's continuous querier decides (the cases of its
// documentation and service tests), and the statement it runs.
#include <gtest/gtest.h>

#include "core/time.h"
#include "cq/cq.h"

namespace tsd::cq {
namespace {

constexpr int64_t kMin = 60 * kSecond;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
// 2026-01-01T00:00:00Z
constexpr int64_t kT0 = 1767225600 * kSecond;

TEST(CqSchedule, GoTruncateCountsFromYearOne) {
  EXPECT_EQ(go_truncate(kT0 + 90 * kSecond, kMin), kT0 + kMin);
  EXPECT_EQ(go_truncate(kT0, kHour), kT0);
  EXPECT_EQ(go_truncate(-1, kSecond), -kSecond);
  // The epoch was a Thursday; weeks counted from Monday, January 1 of year 1.
  EXPECT_EQ(go_truncate(0, 7 * kDay), -3 * kDay);
  EXPECT_EQ(go_truncate(kT0 + 5, 0), kT0 + 5);
}

TEST(CqSchedule, BasicCqRunsEachIntervalForTheLastOne) {
  Timing t{kHour, 0, 0, 0, {}};
  // Never run: due at once; on a boundary, for the interval just
  // completed, else for nothing (the run only sets its last run).
  Plan p = plan_run(t, std::nullopt, kT0 + 8 * kHour);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.last_run, kT0 + 8 * kHour);
  EXPECT_EQ(p.start, kT0 + 7 * kHour);
  EXPECT_EQ(p.end, kT0 + 8 * kHour);
  p = plan_run(t, std::nullopt, kT0 + 8 * kHour + 5 * kMin);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.last_run, kT0 + 8 * kHour);
  EXPECT_EQ(p.start, kT0 + 8 * kHour);
  EXPECT_EQ(p.end, kT0 + 8 * kHour);
  // Ran at 8:00: not due before 9:00, then [8:00, 9:00).
  EXPECT_FALSE(plan_run(t, kT0 + 8 * kHour, kT0 + 9 * kHour - 1).due);
  p = plan_run(t, kT0 + 8 * kHour, kT0 + 9 * kHour);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.start, kT0 + 8 * kHour);
  EXPECT_EQ(p.end, kT0 + 9 * kHour);
  EXPECT_EQ(p.last_run, kT0 + 9 * kHour);
  // Late by 20 minutes, or by a whole night: every window since is done.
  p = plan_run(t, kT0 + 8 * kHour, kT0 + 9 * kHour + 20 * kMin);
  EXPECT_EQ(p.start, kT0 + 8 * kHour);
  EXPECT_EQ(p.end, kT0 + 9 * kHour);
  EXPECT_EQ(p.last_run, kT0 + 9 * kHour);
  p = plan_run(t, kT0 + 8 * kHour, kT0 + 20 * kHour + 5 * kMin);
  EXPECT_EQ(p.start, kT0 + 8 * kHour);
  EXPECT_EQ(p.end, kT0 + 20 * kHour);
}

TEST(CqSchedule, ACreationTimeCountsAsARunOnItsBoundary) {
  // Created at 10:00:30: the window [10:00, 10:01) is the first computed.
  Timing t{kMin, 0, 0, 0, {}};
  EXPECT_FALSE(plan_run(t, kT0 + 10 * kHour + 30 * kSecond, kT0 + 10 * kHour + 59 * kSecond).due);
  Plan p = plan_run(t, kT0 + 10 * kHour + 30 * kSecond, kT0 + 10 * kHour + kMin);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.start, kT0 + 10 * kHour);
  EXPECT_EQ(p.end, kT0 + 10 * kHour + kMin);
}

TEST(CqSchedule, ResampleEveryAndForAsInfluxDBDocuments) {
  // RESAMPLE EVERY 30m, GROUP BY time(1h): at 8:30 the hour in progress.
  Timing every{kHour, 0, 30 * kMin, 0, {}};
  Plan p = plan_run(every, kT0 + 8 * kHour, kT0 + 8 * kHour + 30 * kMin);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.start, kT0 + 8 * kHour);
  EXPECT_EQ(p.end, kT0 + 9 * kHour);
  EXPECT_EQ(p.last_run, kT0 + 8 * kHour + 30 * kMin);
  // RESAMPLE FOR 1h, GROUP BY time(30m): at 8:00 the two windows of the hour.
  Timing for1h{30 * kMin, 0, 0, kHour, {}};
  p = plan_run(for1h, kT0 + 7 * kHour + 30 * kMin, kT0 + 8 * kHour);
  EXPECT_EQ(p.start, kT0 + 7 * kHour);
  EXPECT_EQ(p.end, kT0 + 8 * kHour);
  // RESAMPLE EVERY 1h FOR 90m, GROUP BY time(30m): at 8:00, [6:30, 8:00).
  Timing both{30 * kMin, 0, kHour, 90 * kMin, {}};
  p = plan_run(both, kT0 + 7 * kHour, kT0 + 8 * kHour);
  EXPECT_EQ(p.start, kT0 + 6 * kHour + 30 * kMin);
  EXPECT_EQ(p.end, kT0 + 8 * kHour);
  EXPECT_FALSE(plan_run(both, kT0 + 8 * kHour, kT0 + 8 * kHour + 30 * kMin).due);
  // EVERY longer than the interval (no FOR): FOR becomes EVERY.
  Timing slow{10 * kMin, 0, kHour, 0, {}};
  p = plan_run(slow, kT0 + 7 * kHour, kT0 + 8 * kHour);
  EXPECT_EQ(p.start, kT0 + 7 * kHour);
  EXPECT_EQ(p.end, kT0 + 8 * kHour);
}

TEST(CqSchedule, GroupByOffsetShiftsTheBoundaries) {
  // GROUP BY time(1h, 15m): windows start at :15.
  Timing t{kHour, 15 * kMin, 0, 0, {}};
  EXPECT_FALSE(plan_run(t, kT0 + 8 * kHour + 15 * kMin, kT0 + 9 * kHour).due);
  Plan p = plan_run(t, kT0 + 8 * kHour + 15 * kMin, kT0 + 9 * kHour + 15 * kMin);
  EXPECT_TRUE(p.due);
  EXPECT_EQ(p.start, kT0 + 8 * kHour + 15 * kMin);
  EXPECT_EQ(p.end, kT0 + 9 * kHour + 15 * kMin);
}

TEST(CqSchedule, ADstChangeMovesTheNextRunAsInfluxDB) {
  // GROUP BY time(1d) tz('America/New_York'): the day of the switch to
  // EDT (2026-03-08) is an hour shorter, so the next run comes an hour early.
  auto z = query::Zone::load("America/New_York");
  ASSERT_TRUE(z.ok());
  Timing t{kDay, 0, 0, 0, *z};
  const int64_t mar8 = 1772928000 * kSecond;  // 2026-03-08T00:00:00Z
  EXPECT_FALSE(plan_run(t, mar8, mar8 + 23 * kHour - 1).due);
  EXPECT_TRUE(plan_run(t, mar8, mar8 + 23 * kHour).due);
  // Without the zone: a whole day.
  Timing utc{kDay, 0, 0, 0, {}};
  EXPECT_FALSE(plan_run(utc, mar8, mar8 + 23 * kHour).due);
  EXPECT_TRUE(plan_run(utc, mar8, mar8 + kDay).due);
}

TEST(CqStatement, TheRangeIsAndedToTheCondition) {
  storage::ContinuousQuery c{"mon", "cq",
                             "CREATE CONTINUOUS QUERY cq ON mon RESAMPLE EVERY 2m FOR 5m BEGIN SELECT "
                             "mean(v) INTO mon.r.m FROM mon.realtime.cpu WHERE host = 'a' OR host = 'b' "
                             "GROUP BY time(1m, 10s), host END"};
  auto q = parse(c);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->timing.interval, kMin);
  EXPECT_EQ(q->timing.offset, 10 * kSecond);
  EXPECT_EQ(q->timing.every, 2 * kMin);
  EXPECT_EQ(q->timing.for_, 5 * kMin);
  EXPECT_EQ(statement_for(*q, kT0, kT0 + kMin),
            "SELECT mean(v) INTO mon.r.m FROM mon.realtime.cpu WHERE (host = 'a' OR host = 'b') AND "
            "time >= '2026-01-01T00:00:00Z' AND time < '2026-01-01T00:01:00Z' GROUP BY time(1m, 10s), host");
  // The statement itself is left as it was.
  EXPECT_EQ(statement_for(*q, kT0, kT0 + kMin), statement_for(*q, kT0, kT0 + kMin));
  EXPECT_FALSE(parse({"mon", "bad", "SELECT 1"}).ok());
}

}  // namespace
}  // namespace tsd::cq
