#!/usr/bin/env bash
# tsd-cq end to end, the operators' setup: three days of 1 s points of
# three hosts in `realtime`, CQs into Retention_1y_ds10s (10 s means) and
# Retention_5y_ds1min (1 min means), `tsd-cq run` as cron runs it (every
# 20 minutes of a simulated clock, with an outage of six hours that the
# next run catches up), then the downsampled points compared with the same
# SELECT computed directly, point for point. Also: a re-run of a range
# writes the same points (no duplicates), a run killed half way leaves its
# watermark where it was, two runs at once do each window once, --dry-run
# runs nothing, usage errors exit 2; and a month later tsd-rp enforce drops
# exactly the expired days of realtime.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
# Day 0 is four days ago (00:00 UTC): the points stay inside realtime's 30 days.
D0=$(( $(date +%s) / 86400 * 86400 - 4 * 86400 ))
d0=$(date -u -d "@$D0" +%F) d1=$(date -u -d "@$((D0 + 86400))" +%F)
d2=$(date -u -d "@$((D0 + 2 * 86400))" +%F) d3=$(date -u -d "@$((D0 + 3 * 86400))" +%F)
python3 - "$D0" > points.lp <<'PY'
import sys
t0 = int(sys.argv[1])
out = sys.stdout
for s in range(3 * 86400):
    for i, h in enumerate(("db1", "db2", "db3")):
        out.write("mysql,host=%s,server=s%d commands_select=%di,commands_delete=%di %d\n"
                  % (h, i, (s * 7 + i * 13) % 1000, (s * 3 + i) % 17, (t0 + s) * 1000000000))
PY

q() { tsd-query --data d --db mon "$@"; }
q -e 'CREATE DATABASE mon WITH DURATION 30d NAME realtime' > /dev/null
q -e 'CREATE RETENTION POLICY Retention_1y_ds10s ON mon DURATION 365d REPLICATION 1' > /dev/null
q -e 'CREATE RETENTION POLICY Retention_5y_ds1min ON mon DURATION 1825d REPLICATION 1' > /dev/null
tsd-write --data d --db mon points.lp 2> /dev/null

SEL='mean(commands_delete) AS commands_delete, mean(commands_select) AS commands_select'
tsd-cq --data d add --now ${d0}T00:00:00Z \
  "CREATE CONTINUOUS QUERY cq_10s_mysql ON mon BEGIN SELECT $SEL INTO Retention_1y_ds10s.mysql FROM realtime.mysql GROUP BY time(10s), host, \"server\" END"
tsd-cq --data d add --now ${d0}T00:00:00Z \
  "CREATE CONTINUOUS QUERY cq_1min_mysql ON mon BEGIN SELECT $SEL INTO Retention_5y_ds1min.mysql FROM realtime.mysql GROUP BY time(1m), host, \"server\" END"

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# compare RP INTERVAL END: the CQ's points against the SELECT run directly
# over [day 0, END).
compare() {
  q --format csv -e "SELECT commands_delete, commands_select FROM $1.mysql GROUP BY host, \"server\"" > got.csv
  q --format csv -e "SELECT $SEL FROM realtime.mysql WHERE time >= '$(iso $D0)' AND time < '$3' GROUP BY time($2), host, \"server\" fill(none)" > want.csv
  test -s want.csv && test_cmp want.csv got.csv
}

test_expect_success 'cron every 20 minutes over three days, six hours down: every window computed' '
  t=$((D0 + 1200)); last=$((D0 + 3 * 86400))
  runs=0
  while [ $t -le $last ]; do
    # The machine is down from day 1 10:00 to 16:00: no run.
    if [ $t -le $((D0 + 86400 + 36000)) ] || [ $t -ge $((D0 + 86400 + 57600)) ]; then
      tsd-cq --data d run --now "$(iso $t)" >> runs.log
      runs=$((runs + 1))
    fi
    t=$((t + 1200))
  done
  echo "$runs runs" &&
  # The run after the outage catches up in pieces of 1,440 windows.
  grep -q "^cq_10s_mysql ON mon: \[${d1}T10:00:00Z, ${d1}T14:00:00Z) 4320 points written$" runs.log &&
  grep -q "^cq_10s_mysql ON mon: \[${d1}T14:00:00Z, ${d1}T16:00:00Z) 2160 points written$" runs.log &&
  grep -q "^cq_1min_mysql ON mon: \[${d1}T10:00:00Z, ${d1}T16:00:00Z) 1080 points written$" runs.log &&
  ! grep -q ERR runs.log &&
  compare Retention_1y_ds10s 10s ${d3}T00:00:00Z &&
  compare Retention_5y_ds1min 1m ${d3}T00:00:00Z &&
  test "$(q --format csv -e "SELECT count(commands_select) FROM Retention_1y_ds10s.mysql" | tail -1)" = "mysql,1970-01-01T00:00:00Z,77760"
'

test_expect_success '--rp auto reads the coarsest policy that holds the range finely enough' '
  cnt() { q --rp auto --format csv -e "SELECT count(commands_select) FROM mysql WHERE time >= '"'"'${d0}T00:00:00Z'"'"' AND time < '"'"'${d1}T00:00:00Z'"'"' $1" | sed -n 2p; }
  test "$(cnt "GROUP BY time(10m) LIMIT 1")" = "mysql,${d0}T00:00:00Z,30" &&
  test "$(cnt "GROUP BY time(30s) LIMIT 1")" = "mysql,${d0}T00:00:00Z,9" &&
  test "$(cnt "GROUP BY time(5s) LIMIT 1")" = "mysql,${d0}T00:00:00Z,15" &&
  test "$(cnt "")" = "mysql,${d0}T00:00:00Z,4320" &&
  # A range the CQs have not computed yet: the raw points.
  test "$(q --rp auto --format csv -e "SELECT count(commands_select) FROM mysql WHERE time >= '"'"'${d3}T00:00:00Z'"'"' - 1h GROUP BY time(10m) LIMIT 1" | sed -n 2p | cut -d, -f3)" = 1800
'

test_expect_success '--recompute-late computes again the windows late points went into' '
  tsd-cq --data d run --recompute-late --now ${d3}T00:00:00Z cq_10s_mysql > late0.log &&
  test ! -s late0.log &&
  late=$(( D0 + 86400 + 43205 )) &&
  printf "mysql,host=db1,server=s0 commands_select=5000i,commands_delete=99i %s000000000\n" $late |
    tsd-write --data d --db mon 2> /dev/null &&
  # Without the option the window keeps its old mean.
  ! compare Retention_1y_ds10s 10s ${d3}T00:00:00Z > /dev/null &&
  tsd-cq --data d run --recompute-late --now ${d3}T00:00:00Z cq_10s_mysql > late.log &&
  cat late.log &&
  # The late point rewrote its block (the day of db1): those windows again.
  grep -q "^cq_10s_mysql ON mon: \[${d1}T12:00:00Z, ${d1}T16:00:00Z) 4320 points written (late points)$" late.log &&
  ! grep -q "\[${d2}T" late.log &&
  compare Retention_1y_ds10s 10s ${d3}T00:00:00Z &&
  tsd-cq --data d run --recompute-late --now ${d3}T00:00:00Z cq_10s_mysql > late2.log &&
  test ! -s late2.log
'

test_expect_success 'list shows each CQ with its last run' '
  tsd-cq --data d list > list.txt &&
  grep -q "^mon  *cq_10s_mysql  *${d3}T00:00:00Z  *CREATE CONTINUOUS QUERY cq_10s_mysql ON mon BEGIN" list.txt &&
  grep -q "^mon  *cq_1min_mysql  *${d3}T00:00:00Z " list.txt
'

test_expect_success 'a range run again (--since/--until) writes the same points, no duplicates' '
  cp got.csv before.csv &&
  tsd-cq --data d run --since ${d1}T09:00:00Z --until ${d1}T17:00:00Z cq_10s_mysql > again.log &&
  grep -q "^cq_10s_mysql ON mon: \[${d1}T09:00:00Z, ${d1}T13:00:00Z) 4320 points written$" again.log &&
  grep -q "^cq_10s_mysql ON mon: \[${d1}T13:00:00Z, ${d1}T17:00:00Z) 4320 points written$" again.log &&
  ! grep -q cq_1min again.log &&
  compare Retention_1y_ds10s 10s ${d3}T00:00:00Z &&
  tsd-cq --data d list | grep -q "cq_10s_mysql  *${d3}T00:00:00Z"
'

test_expect_success '--dry-run prints the windows and statements, runs nothing' '
  tsd-cq --data d run --now ${d3}T01:00:00Z --dry-run > dry.log &&
  grep -q "^cq_10s_mysql ON mon: \[${d3}T00:00:00Z, ${d3}T01:00:00Z) SELECT mean(commands_delete) AS commands_delete, mean(commands_select) AS commands_select INTO mon.Retention_1y_ds10s.mysql FROM mon.realtime.mysql WHERE time >= .${d3}T00:00:00Z. AND time < .${d3}T01:00:00Z. GROUP BY time(10s), host, server$" dry.log &&
  tsd-cq --data d list | grep -q "cq_10s_mysql  *${d3}T00:00:00Z"
'

test_expect_success 'a run killed half way keeps its old watermark; the next does the windows' '
  q -e "CREATE RETENTION POLICY autogen ON mon DURATION INF REPLICATION 1" > /dev/null &&
  tsd-cq --data d add --now ${d0}T00:00:00Z \
    "CREATE CONTINUOUS QUERY cq_1s ON mon BEGIN SELECT max(commands_select) INTO mon.autogen.fine FROM realtime.mysql GROUP BY time(1s), * END" &&
  tsd-cq --data d run --now ${d3}T00:00:00Z cq_1s > killed.log &
  pid=$!
  sleep 0.4; kill -9 $pid; wait $pid 2> /dev/null || true
  tsd-cq --data d list | grep -q "cq_1s  *${d0}T00:00:00Z" &&
  tsd-cq --data d run --now ${d3}T00:00:00Z cq_1s > done.log &&
  tsd-cq --data d list | grep -q "cq_1s  *${d3}T00:00:00Z" &&
  test "$(q --format csv -e "SELECT count(max) FROM autogen.fine" | tail -1)" = "fine,1970-01-01T00:00:00Z,777600"
'

test_expect_success 'two runs at once: each window once' '
  tsd-cq --data d run --now ${d3}T02:00:00Z > one.log &
  tsd-cq --data d run --now ${d3}T02:00:00Z > two.log &
  wait
  test "$(cat one.log two.log | grep -c "cq_10s_mysql ON mon: \[${d3}T00:00:00Z, ${d3}T02:00:00Z)")" = 1
'

test_expect_success 'usage and errors: exit 2 for usage, 1 for a bad CQ or an unknown name' '
  rc=0; tsd-cq --data d run --until ${d0}T00:00:00Z 2> err || rc=$?; test $rc = 2 &&
  rc=0; tsd-cq --data d run --loop --now ${d0}T00:00:00Z 2> err || rc=$?; test $rc = 2 &&
  rc=0; tsd-cq --data d frobnicate 2> err || rc=$?; test $rc = 2 &&
  rc=0; tsd-cq --data d run nope 2> err || rc=$?; test $rc = 1 && grep -q "continuous query not found: nope" err &&
  rc=0; tsd-cq --data d add "CREATE CONTINUOUS QUERY raw ON mon BEGIN SELECT commands_select INTO x FROM realtime.mysql END" 2> err || rc=$?
  test $rc = 1 && grep -q "continuous queries must be aggregate queries" err &&
  rc=0; tsd-cq --data nowhere list 2> err || rc=$?; test $rc = 1 &&
  tsd-cq --data d drop cq_1s --db mon && ! tsd-cq --data d list | grep -q cq_1s
'

test_expect_success '--loop runs on the clock and leaves on SIGTERM' '
  tsd-cq --data d run --loop --every 100ms > loop.log 2>&1 &
  pid=$!
  sleep 0.5; kill -TERM $pid
  rc=0; wait $pid || rc=$?
  test $rc = 0
'

test_expect_success 'tsd-rp enforce a month later drops the expired days of realtime, nothing else' '
  cnt() { q --format csv -e "SELECT count(commands_select) FROM $1.mysql" | sed -n 2p | cut -d, -f3; }
  ds10=$(cnt Retention_1y_ds10s) && ds1m=$(cnt Retention_5y_ds1min) &&
  test "$(cnt realtime)" = 777600 &&
  # 30 days after the end of day 1 (and half a day): days 0 and 1 expired.
  tsd-rp --data d enforce --now "$(iso $((D0 + 32 * 86400 + 43200)))" > enforce.log &&
  cat enforce.log &&
  test "$(wc -l < enforce.log)" = 2 &&
  grep -q "^mon	realtime	.*	${d0}T00:00:00Z	${d1}T00:00:00Z$" enforce.log &&
  grep -q "^mon	realtime	.*	${d1}T00:00:00Z	${d2}T00:00:00Z$" enforce.log &&
  test "$(cnt realtime)" = 259200 &&
  test "$(cnt Retention_1y_ds10s)" = "$ds10" && test "$(cnt Retention_5y_ds1min)" = "$ds1m" &&
  test "$(q --format csv -e "SELECT count(max) FROM autogen.fine" | sed -n 2p | cut -d, -f3)" = 777600 &&
  # Run again: nothing more to drop.
  tsd-rp --data d enforce --now "$(iso $((D0 + 32 * 86400 + 43200)))" > again.log &&
  test ! -s again.log
'

test_expect_success 'examples/retention/setup.sh sets up the three policies and two CQs' '
  TSD_DATA=$TMP/ex sh "$ROOT/examples/retention/setup.sh" > ex.txt &&
  grep -q "^mon  *cq_10s_mysql " ex.txt && grep -q "^mon  *cq_1min_mysql " ex.txt &&
  TSD_DATA=$TMP/ex tsd-query -e "SHOW RETENTION POLICIES ON mon" | grep -q "^Retention_5y_ds1min 43800h0m0s"
'

test_done
