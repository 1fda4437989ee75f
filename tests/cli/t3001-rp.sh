#!/usr/bin/env bash
# tsd-rp end to end:
#   - create/alter/drop/list answer as influxd 1.6.7 answers the same
#     InfluxQL statements (run live against a real influxd, same order);
#   - enforce --now drops exactly the expired shard groups (end + duration
#     before now, the instant itself kept) and nothing else, checked with
#     tsd-query --dump point counts; --dry-run changes nothing;
#   - enforce beside a running tsd-write (a pipe of current points) and
#     readers: no point of a live shard lost, no reader fails;
#   - writes older than the RP keeps are dropped with influxd's message
#     and exit 1 (tsd-write, SELECT ... INTO, the shell's insert), the
#     same lines answered and stored as influxd answers and stores them;
#   - usage: exit 2, the man page names every option of --help.
. "$(dirname "$0")/lib.sh"

command -v tsd-rp > /dev/null || test_skip_all "tsd-rp is not built"
HAVE_INFLUXD=
if command -v influxd > /dev/null; then
  influxd_start "$TMP/influxd" && HAVE_INFLUXD=1
fi

# POSTs InfluxQL to influxd (no "read only context" warning), body on stdout.
influx_post() {
  curl -sS -XPOST "$INFLUX_URL/query" --data-urlencode "q=$1" --data-urlencode "epoch=ns"
}
# influxd's error for a statement, or "" when it succeeded.
influx_error() {
  influx_post "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d.get("results",[{}])[0]; print(d.get("error") or r.get("error") or "")'
}
# The error of a /write body ("" for none).
write_error() {
  python3 -c 'import json,sys; t=sys.stdin.read().strip(); print(json.loads(t)["error"] if t else "")'
}

# Each case: tsd-rp's arguments (after --data D), then the statement
# influxd runs for them.
cat > "$TMP/cases" <<'EOF'
create realtime --db mon --duration 30d --default
CREATE RETENTION POLICY realtime ON mon DURATION 30d REPLICATION 1 DEFAULT
create rt2 --db mon --duration 30m
CREATE RETENTION POLICY rt2 ON mon DURATION 30m REPLICATION 1
create ds --db mon --duration 365d --shard-duration 2h
CREATE RETENTION POLICY ds ON mon DURATION 365d REPLICATION 1 SHARD DURATION 2h
create ds --db mon --duration 365d --shard-duration 2h
CREATE RETENTION POLICY ds ON mon DURATION 365d REPLICATION 1 SHARD DURATION 2h
create ds --db mon --duration 364d
CREATE RETENTION POLICY ds ON mon DURATION 364d REPLICATION 1
create ds --db mon --duration 365d --shard-duration 2h --default
CREATE RETENTION POLICY ds ON mon DURATION 365d REPLICATION 1 SHARD DURATION 2h DEFAULT
create x --db nodb --duration 1d
CREATE RETENTION POLICY x ON nodb DURATION 1d REPLICATION 1
create s --db mon --duration 2h --shard-duration 30m
CREATE RETENTION POLICY s ON mon DURATION 2h REPLICATION 1 SHARD DURATION 30m
create short --db mon --duration 1d
CREATE RETENTION POLICY short ON mon DURATION 1d REPLICATION 1
create two_days --db mon --duration 2d
CREATE RETENTION POLICY two_days ON mon DURATION 2d REPLICATION 1
create half_year --db mon --duration 180d
CREATE RETENTION POLICY half_year ON mon DURATION 180d REPLICATION 1
create long --db mon --duration 181d
CREATE RETENTION POLICY long ON mon DURATION 181d REPLICATION 1
create forever --db mon --duration INF
CREATE RETENTION POLICY forever ON mon DURATION INF REPLICATION 1
create "odd name" --db mon --duration 1h30m
CREATE RETENTION POLICY "odd name" ON mon DURATION 1h30m REPLICATION 1
alter ds --db mon --duration 1h
ALTER RETENTION POLICY ds ON mon DURATION 1h
alter nope --db mon --duration 1d
ALTER RETENTION POLICY nope ON mon DURATION 1d
alter ds --db mon --shard-duration 30m
ALTER RETENTION POLICY ds ON mon SHARD DURATION 30m
alter short --db mon --duration 3d --default
ALTER RETENTION POLICY short ON mon DURATION 3d DEFAULT
alter forever --db mon --duration 1h
ALTER RETENTION POLICY forever ON mon DURATION 1h
alter realtime --db mon --duration INF
ALTER RETENTION POLICY realtime ON mon DURATION INF
alter x --db nodb --default
ALTER RETENTION POLICY x ON nodb DEFAULT
drop s --db mon
DROP RETENTION POLICY s ON mon
drop nope --db mon
DROP RETENTION POLICY nope ON mon
drop ds --db nodb
DROP RETENTION POLICY ds ON nodb
EOF

test_expect_success 'create/alter/drop/list answer as influxd' '
  [ -n "$HAVE_INFLUXD" ] || { echo "no influxd: skipped"; exit 0; }
  tsd-query --data d -e "CREATE DATABASE mon"
  [ -z "$(influx_error "CREATE DATABASE mon")" ]
  n=0
  while IFS= read -r args && IFS= read -r q; do
    n=$((n + 1))
    rc=0
    eval "tsd-rp --data d $args" > out 2> err || rc=$?
    want=$(influx_error "$q")
    if [ -n "$want" ]; then
      [ "$rc" = 1 ] && [ "$(cat err)" = "tsd-rp: $want" ] ||
        { echo "$args: want exit 1 \"tsd-rp: $want\", got exit $rc \"$(cat err)\""; exit 1; }
    else
      [ "$rc" = 0 ] && [ ! -s err ] && [ ! -s out ] ||
        { echo "$args: want exit 0 and silence, got exit $rc: $(cat out err)"; exit 1; }
    fi
    # After each, both list the same policies.
    tsd-rp --data d list --db mon --format json > got
    influx_post "SHOW RETENTION POLICIES ON mon" > want
    test_cmp want got
  done < "$TMP/cases"
  echo "$n cases"
  rc=0; tsd-rp --data d list --db nodb 2> err || rc=$?
  [ $rc = 1 ] && [ "$(cat err)" = "tsd-rp: $(influx_error "SHOW RETENTION POLICIES ON nodb")" ]
'

test_expect_success 'list prints the influx shell table, csv and json' '
  tsd-query --data l -e "CREATE DATABASE mon"
  tsd-rp --data l create realtime --db mon --duration 30d --default
  tsd-rp --data l list --db mon > got
  cat > want <<EOF
name     duration shardGroupDuration replicaN default
----     -------- ------------------ -------- -------
autogen  0s       168h0m0s           1        false
realtime 720h0m0s 24h0m0s            1        true
EOF
  test_cmp want got
  tsd-rp --data l list --db mon --format csv > got
  printf "%s\n" "name,duration,shardGroupDuration,replicaN,default" "autogen,0s,168h0m0s,1,false" \
    "realtime,720h0m0s,24h0m0s,1,true" > want
  test_cmp want got
  # The same as tsd-query gives for the statement, and --data after the command.
  tsd-rp list --db mon --format json --data l > got
  tsd-query --data l --format json -e "SHOW RETENTION POLICIES ON mon" > want
  test_cmp want got
'

test_expect_success 'usage errors exit 2, bad durations and times are named' '
  rc=0; tsd-rp --data u 2> err || rc=$?; [ $rc = 2 ]
  rc=0; tsd-rp --data u frobnicate 2> err || rc=$?; [ $rc = 2 ]
  rc=0; tsd-rp --data u create x --db mon 2> err || rc=$?; [ $rc = 2 ]; grep -q -- --duration err
  rc=0; tsd-rp --data u create x --db mon --duration 3x 2> err || rc=$?; [ $rc = 2 ]
  [ "$(cat err)" = "tsd-rp: --duration: bad duration \"3x\"" ]
  rc=0; tsd-rp --data u create x --db mon --duration "1d; DROP DATABASE mon" 2> err || rc=$?; [ $rc = 2 ]
  rc=0; tsd-rp --data u alter x --db mon 2> err || rc=$?; [ $rc = 2 ]
  rc=0; tsd-rp --data u list --db mon --format line 2> err || rc=$?; [ $rc = 2 ]
  rc=0; tsd-rp --data u enforce --now yesterday 2> err || rc=$?; [ $rc = 2 ]; grep -q "^tsd-rp: --now: " err
  # A missing data directory is reported, not made.
  rc=0; tsd-rp --data u enforce 2> err || rc=$?; [ $rc = 1 ]; grep -q "^tsd-rp: no data directory" err
  rc=0; tsd-rp --data u list --db mon 2> err || rc=$?; [ $rc = 1 ]
  [ ! -e u ]
  tsd-rp --version | grep -q "^tsd-rp "
'

test_expect_success 'the man page says what --help says' '
  man=$ROOT/man/tsd-rp.1
  tsd-rp --help > help
  # Every command with its summary, then its options with theirs.
  sed -n "/^Subcommands:/,\$p" help | tail -n +2 | while read -r c what; do
    [ -n "$c" ] || continue
    grep -q "^\.SS $c\b" "$man" || { echo "no .SS $c"; exit 1; }
    sed -n "/^\.SS $c\b/,/^\.S[SH]/p" "$man" | tr "\n" " " | sed "s/\\\\-/-/g" > section
    grep -qiF -- "$what" section || { echo "$c: \"$what\" is not in the man page"; exit 1; }
    tsd-rp $c --help > chelp
    grep -E "^  --" chelp | grep -v -- "--help" | while read -r opt rest; do
      what=$(printf "%s" "$rest" | sed -E "s/^TEXT(=[^ ]*)?( REQUIRED)? +//")
      grep -qF -- "$opt" section ||
        { echo "tsd-rp $c: $opt is not in the man page"; exit 1; }
      grep -qiF -- "$what" section || { echo "tsd-rp $c $opt: \"$what\" is not in the man page"; exit 1; }
    done
  done
'

# Six 1-hour groups from B (2023-11-14T22:00:00Z): hour h holds 10 points of
# hosts a and b; a second RP "keep" (infinite) holds the same points.
B=1699999200
old_points() {
  local h k
  for h in 0 1 2 3 4 5; do
    for k in 0 1 2 3 4 5 6 7 8 9; do
      echo "cpu,host=a v=$h.$k $(((B + h * 3600 + k * 300) * 1000000000))"
      echo "cpu,host=b v=$h.$k $(((B + h * 3600 + k * 300 + 1) * 1000000000))"
    done
  done
}
# Points of RP $2 per hour of B, from the dump: "h count" lines.
hour_counts() {
  tsd-query --data "$1" --dump --db mon --rp "$2" | grep -v "^#\|^CREATE " |
    awk -v b=$B "{ h = int((substr(\$NF, 1, 10) - b) / 3600); n[h]++ } END { for (h in n) print h, n[h] }" | sort -n
}

test_expect_success 'enforce --now drops exactly the expired groups; --dry-run nothing' '
  tsd-query --data e -e "CREATE DATABASE mon"
  tsd-rp --data e create rt --db mon --duration INF --shard-duration 1h --default
  tsd-rp --data e create keep --db mon --duration INF --shard-duration 1h
  old_points | tsd-write --data e --db mon 2> /dev/null
  old_points | tsd-write --data e --db mon --rp keep 2> /dev/null
  printf "%s\n" "0 20" "1 20" "2 20" "3 20" "4 20" "5 20" > all
  hour_counts e rt > got && test_cmp all got
  # Nothing expires under an infinite policy.
  tsd-rp --data e enforce --now 2100-01-01T00:00:00Z > out
  [ ! -s out ]
  tsd-rp --data e alter rt --db mon --duration 2h
  tsd-rp --data e shards --db mon --format csv > shards.before
  grep -c "^shards,mon,rt," shards.before | grep -qx 6
  # At B + 6h groups ending before B + 4h have expired: hours 0, 1 and 2;
  # hour 3 (ending at B + 4h exactly, expiry B + 6h) is not yet.
  at=$(((B + 6 * 3600) * 1000000000))
  tsd-rp --data e enforce --now $at --dry-run > dry
  [ $(wc -l < dry) = 3 ]
  hour_counts e rt > got && test_cmp all got
  tsd-rp --data e shards --db mon --format csv > shards.after
  test_cmp shards.before shards.after
  tsd-rp --data e enforce --now $at > removed
  test_cmp dry removed
  cut -f1,2,4,5 removed > got
  printf "mon\trt\t%s\t%s\n" 2023-11-14T22:00:00Z 2023-11-14T23:00:00Z \
    2023-11-14T23:00:00Z 2023-11-15T00:00:00Z 2023-11-15T00:00:00Z 2023-11-15T01:00:00Z > want
  test_cmp want got
  printf "%s\n" "3 20" "4 20" "5 20" > want
  hour_counts e rt > got && test_cmp want got
  hour_counts e keep > got && test_cmp all got
  for id in $(cut -f3 removed); do [ ! -e e/mon/rt/$id.db ]; done
  # Again at the same time: nothing more. One nanosecond later: hour 3.
  tsd-rp --data e enforce --now $at > again
  [ ! -s again ]
  tsd-rp --data e enforce --now $((at + 1)) > later
  [ "$(cut -f1,2,4 later)" = "$(printf "mon\trt\t2023-11-15T01:00:00Z")" ]
  printf "%s\n" "4 20" "5 20" > want
  hour_counts e rt > got && test_cmp want got
  # The catalog agrees: SHOW SHARDS lists what is left.
  tsd-query --data e --format csv -e "SHOW SHARD GROUPS" | grep -c ",mon,rt," | grep -qx 2
  tsd-rp --data e shards --db mon --format csv | grep "^shards,mon,rt," | cut -d, -f9 | sort -u > got
  echo 20 > want && test_cmp want got
  # --now as now() - d: a time in the past expires nothing more.
  tsd-rp --data e enforce --now "now() - 10000d" > none
  [ ! -s none ]
'

test_expect_success 'enforce beside a live writer and readers loses no live point' '
  tsd-query --data c -e "CREATE DATABASE mon"
  tsd-rp --data c create rt --db mon --duration INF --shard-duration 1h --default
  now=$(date +%s)
  # Old points: one every 10 minutes from 30 h to 3 h ago (27 groups).
  for k in $(seq 18 180); do echo "old,host=a v=$k $(((now - k * 600) * 1000000000))"; done |
    tsd-write --data c --db mon 2> /dev/null
  tsd-rp --data c alter rt --db mon --duration 2h
  mkfifo feed
  tsd-write --data c --db mon --flush-interval 100ms < feed 2> write.err &
  wpid=$!
  exec 3> feed
  # Readers: the live points, and the old ones while they go.
  ( while [ ! -e stop ]; do
      tsd-query --data c --db mon --format csv -e "SELECT count(v) FROM live" > r1 2> r1.err || { echo live reader failed; cat r1.err; exit 1; }
      tail -n +2 r1 | cut -d, -f3 >> live.counts
      tsd-query --data c --db mon --format csv -e "SELECT count(v) FROM old" > r2 2> r2.err || { echo old reader failed; cat r2.err; exit 1; }
    done ) > readers.log 2>&1 3>&- &
  rpid=$!
  n=0
  for round in 1 2 3 4 5 6; do
    for k in $(seq 1 50); do
      n=$((n + 1))
      echo "live,host=a v=$n $(date +%s%N)" >&3
    done
    sleep 0.2
    tsd-rp --data c enforce >> removed
  done
  exec 3>&-
  for i in $(seq 1 600); do kill -0 $wpid 2> /dev/null || break; sleep 0.1; done
  kill -0 $wpid 2> /dev/null && { kill $wpid; touch stop; echo "tsd-write did not end"; exit 1; }
  wait $wpid
  touch stop
  wait $rpid || { cat readers.log; exit 1; }
  cat write.err
  grep -q "^tsd-write: $n points written, 0 lines rejected" write.err
  # Every live point is there, in the store and to a query.
  [ "$(tsd-query --data c --dump --db mon | grep -c "^live,")" = $n ]
  tsd-query --data c --db mon --format csv -e "SELECT count(v) FROM live" | tail -1 | cut -d, -f3 > got
  echo $n > want && test_cmp want got
  # The readers never saw the live count go down.
  sort -n -c live.counts
  # Old groups ending 2 h ago or earlier went; those after stayed.
  [ $(wc -l < removed) -ge 20 ]
  cut=$(((now - 2 * 3600) * 1000000000))
  tsd-query --data c --dump --db mon | grep "^old," | awk -v c=$cut "\$NF < c - 3600000000000 { bad = 1 } END { exit bad }"
  tsd-rp --data c enforce > rest
  [ ! -s rest ] || { cat rest; exit 1; }
  # No file is left of a group the catalog forgot.
  ls c/mon/rt | sed "s/\.db.*//" | sort -u > files
  tsd-rp --data c shards --db mon --format csv | tail -n +2 | cut -d, -f4 | sort -u > groups
  test_cmp groups files
'

test_expect_success 'writes beyond retention: dropped, said as influxd, exit 1' '
  now=$(date +%s)
  # 3 h and 5 h ago are beyond a 2 h policy; a point before now and one
  # ahead of it are not. Both are in the current hour (the policy'"'"'s 1 h
  # shard group: one shard below), away from its edges: now-60 and now+60
  # fell in two groups within a minute of the hour.
  [ $((now % 3600)) -ge 4 ] || { sleep 4; now=$(date +%s); }
  [ $((now % 3600)) -le 3596 ] || { sleep 8; now=$(date +%s); }
  h0=$((now - now % 3600))
  before=$((h0 + (now - h0) / 2)) ahead=$((now + (h0 + 3600 - now) / 2))
  printf "cpu v=1 %s\ncpu v=2 %s\ncpu v=3 %s\ncpu,h=x v=4 %s\n" \
    $(((now - 3 * 3600) * 1000000000)) $((before * 1000000000)) \
    $(((now - 5 * 3600) * 1000000000)) $((ahead * 1000000000)) > lines.lp
  tsd-query --data w -e "CREATE DATABASE w; CREATE RETENTION POLICY h2 ON w DURATION 2h REPLICATION 1 DEFAULT"
  rc=0; tsd-write --data w --db w < lines.lp 2> err || rc=$?
  cat err
  [ $rc = 1 ]
  grep -qx "tsd-write: partial write: points beyond retention policy dropped=2" err
  grep -qx "tsd-write: 2 points written, 0 lines rejected" err
  tsd-query --data w --db w --format json -e "SELECT * FROM cpu" > got.json
  tsd-rp --data w shards --db w --format csv | tail -n +2 | wc -l | grep -qx 1
  # The shell'"'"'s insert and SELECT ... INTO say the same.
  printf "use w\ninsert cpu v=9 %s\n" $(((now - 3 * 3600) * 1000000000)) |
    tsd-query --data w --precision ns > shell.out || true
  grep -qF "partial write: points beyond retention policy dropped=1" shell.out
  tsd-query --data w -e "CREATE DATABASE src"
  tsd-write --data w --db src < lines.lp 2> /dev/null
  rc=0; tsd-query --data w --db src -e "SELECT v INTO w.h2.cpu2 FROM cpu GROUP BY *" > into.out 2> into.err || rc=$?
  [ $rc = 1 ]
  grep -qx "ERR: partial write: points beyond retention policy dropped=2" into.err
  [ "$(tsd-query --data w --dump --db w | grep -c "^cpu2")" = 2 ]
  [ -n "$HAVE_INFLUXD" ] || { echo "no influxd: not compared"; exit 0; }
  [ -z "$(influx_error "CREATE DATABASE w")" ]
  [ -z "$(influx_error "CREATE RETENTION POLICY h2 ON w DURATION 2h REPLICATION 1 DEFAULT")" ]
  influx_write w lines.lp > body
  [ "$INFLUX_HTTP" = 400 ]
  [ "tsd-write: $(write_error < body)" = "$(grep partial err)" ]
  influx_post "SELECT * FROM w.h2.cpu" > want
  tsd-query --data w --db w --format json --precision ns -e "SELECT * FROM cpu" > got
  test_cmp want got
  [ -z "$(influx_error "CREATE DATABASE src")" ]
  curl -sS -XPOST "$INFLUX_URL/write?db=src" --data-binary @lines.lp
  want=$(influx_post "SELECT v INTO w.h2.cpu2 FROM src.autogen.cpu GROUP BY *" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"results\"][0][\"error\"])")
  [ "ERR: $want" = "$(cat into.err)" ]
'

test_done
