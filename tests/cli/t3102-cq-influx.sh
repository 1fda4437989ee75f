#!/usr/bin/env bash
# tsd-cq's output against a real InfluxDB 1.x: the same points in both, the
# same CQs; tsd runs them with `tsd-cq run` (as cron, with a gap), influxd
# runs the SELECT ... INTO of the same windows (the statements tsd-cq
# --dry-run prints), and the downsampled measurements must give the same
# JSON. CQs: means by tags, max/min/last with GROUP BY *, counts with an
# offset, sums of integers, RESAMPLE FOR, a WHERE of its own (one series:
# stddev over several series rounds its last digits apart, see tsd-query(1)).
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "no influxd (apt-get install influxdb)"

cd "$TMP" || exit 1
# Yesterday 00:00 UTC: inside realtime's 30 days, so influxd keeps the points.
T0=$(( $(date +%s) / 86400 * 86400 - 86400 ))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
python3 - "$T0" > points.lp <<'PY'
import sys
t0 = int(sys.argv[1])
for s in range(0, 3 * 3600):
    if 2000 <= s < 2600:        # a gap of ten minutes
        continue
    for i, h in enumerate(("db1", "db2", "db3")):
        if i == 2 and s % 7 == 0:
            continue            # one host misses some seconds
        v = ((s * 37 + i * 101) % 1000) / 7.0
        print("mysql,host=%s,server=s%d,dc=%s qps=%r,conn=%di,state=\"%s\" %d" % (
            h, i, "eu" if i < 2 else "us", v, (s + i) % 50, "ok" if s % 11 else "slow",
            (t0 + s) * 1000000000))
PY

influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"
RPS='CREATE DATABASE mon WITH DURATION 30d NAME realtime; CREATE RETENTION POLICY ds ON mon DURATION 365d REPLICATION 1'
curl -sS -XPOST "$INFLUX_URL/query" --data-urlencode "q=$RPS" > /dev/null
influx_write mon points.lp > /dev/null
tsd-query --data d -e "$RPS" > /dev/null
tsd-write --data d --db mon points.lp 2> /dev/null

cat > cqs.txt <<'EOF'
CREATE CONTINUOUS QUERY cq_mean ON mon BEGIN SELECT mean(qps) AS qps, mean(conn) AS conn INTO ds.mean_1m FROM realtime.mysql GROUP BY time(1m), host, server END
CREATE CONTINUOUS QUERY cq_all ON mon BEGIN SELECT max(qps), min(conn), last(state) INTO ds.all_5m FROM realtime.mysql GROUP BY time(5m), * END
CREATE CONTINUOUS QUERY cq_offset ON mon BEGIN SELECT count(qps), sum(conn) INTO ds.count_10m FROM realtime.mysql GROUP BY time(10m, 3m), dc END
CREATE CONTINUOUS QUERY cq_for ON mon RESAMPLE EVERY 10m FOR 30m BEGIN SELECT spread(qps), stddev(qps) INTO ds.spread_10m FROM realtime.mysql WHERE state = 'ok' AND host = 'db1' GROUP BY time(10m) END
CREATE CONTINUOUS QUERY cq_back ON mon BEGIN SELECT median(conn) INTO ds.:MEASUREMENT FROM realtime./mys.*/ GROUP BY time(15m), host END
EOF

test_expect_success 'tsd-cq runs the CQs as cron would (every 10 minutes, one hour missed)' '
  while IFS= read -r cq; do tsd-cq --data d add --now "$(iso $T0)" "$cq"; done < cqs.txt &&
  for m in $(seq 10 10 180); do
    [ $m -gt 60 ] && [ $m -le 120 ] && continue
    tsd-cq --data d run --now "$(iso $((T0 + m * 60)))" >> runs.log
  done
  ! grep ERR runs.log && test "$(grep -c "points written" runs.log)" -ge 50
'

test_expect_success 'influxd runs the SELECT ... INTO of the same windows' '
  # The statements of every window tsd ran, as --dry-run prints them.
  while IFS= read -r cq; do
    name=$(echo "$cq" | awk "{ print \$4 }")
    grep "^$name ON mon: " runs.log | sed "s/^$name ON mon: \[\([^,]*\), \([^)]*\)).*/\1 \2/" |
    while read -r a b; do
      tsd-cq --data d run --dry-run --since "$a" --until "$b" "$name" | sed "s/^[^)]*) //"
    done
  done < cqs.txt > statements.txt &&
  test "$(wc -l < statements.txt)" -ge 50 &&
  while IFS= read -r s; do
    out=$(curl -sS -XPOST "$INFLUX_URL/query?db=mon" --data-urlencode "q=$s")
    case $out in *error*) echo "$s: $out"; exit 1 ;; esac
  done < statements.txt
'

test_expect_success 'the downsampled measurements are the same JSON in both' '
  status=0
  # ds.mysql: influxd takes a measurement'"'"'s tag keys from the whole
  # database (realtime.mysql'"'"'s dc and server too), tsd from the RP read;
  # see tsd-query(1).
  for m in mean_1m all_5m count_10m spread_10m mysql; do
    q="SELECT * FROM ds.$m GROUP BY *"
    [ $m = mysql ] && q="SELECT median FROM ds.mysql GROUP BY host"
    influx_query mon "$q" | python3 -m json.tool --sort-keys > want.$m
    tsd-query --data d --db mon --format json --precision ns -e "$q" | python3 -m json.tool --sort-keys > got.$m
    test "$(wc -l < want.$m)" -gt 10 || { echo "$m: nothing in influxd"; status=1; }
    test_cmp want.$m got.$m || status=1
  done
  test $status -eq 0
'

test_done
