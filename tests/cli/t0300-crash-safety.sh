#!/usr/bin/env bash
# Crash safety: `kill -9` of tsd-write in the middle of a large ingest
# leaves a data directory that opens (tsd-query --dump works, tsd-write
# appends), passes PRAGMA integrity_check on every file, and holds every
# batch that was committed.
#
# "Committed" is made visible without trusting tsd-write's messages: a first
# part of the input is fed through a pipe that stays open, and a concurrent
# reader (tsd-query --dump) waits until all of it is stored (durable within
# --flush-interval). Then a large second part streams in and tsd-write is
# killed. Afterwards the first part must be there in full; what is stored
# must be a subset of the input; and since the input is in time order and a
# batch is stored whole or not at all, each (series, field) of the second
# part must hold a prefix of its points (no hole, no stray point).
# SIGTERM, by contrast, flushes: the points stored are exactly the points
# tsd-write reports written, and half a line read when the signal came is
# not a point.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

# crash_round N START2 DELAY: feeds part 1 (10 hosts x 1 h from day N), waits
# until it is stored, streams part 2 (20 hosts x 6 h from START2, paced) and kills
# tsd-write -9 after DELAY seconds.
crash_round() {
  local n=$1 start2=$2 delay=$3 wpid gpid got want
  tsd-gen --hosts 10 --hours 1 --start "2016-01-0${n}T00:00:00Z" > p1-$n.lp &&
  tsd-gen --hosts 20 --hours 6 --start "$start2" > p2-$n.lp &&
  values --short p1-$n.lp > p1-$n.values &&
  values --short p2-$n.lp > p2-$n.values || return 1
  rm -f fifo && mkfifo fifo || return 1
  tsd-write --data d --db crash --batch-size 1000 --flush-interval 200ms < fifo 2> write-$n.err &
  wpid=$!
  exec 3> fifo
  cat p1-$n.lp >&3
  want=$(wc -l < p1-$n.values)
  local deadline=$((SECONDS + 20))
  while :; do
    dump_values --short d crash --start "2016-01-0${n}T00:00:00Z" --end "2016-01-0${n}T00:59:59Z" \
      > now 2> /dev/null || true
    got=$(LC_ALL=C comm -12 now p1-$n.values | wc -l)
    [ "$got" -eq "$want" ] || [ $SECONDS -ge $deadline ] && break
    kill -0 $wpid 2> /dev/null || { echo "tsd-write died:"; cat write-$n.err; return 1; }
    sleep 0.2
  done
  [ "$got" -eq "$want" ] || { echo "part 1 not stored after 20 s: $got of $want values"; return 1; }
  echo "round $n: part 1 stored ($want values)"
  feed_paced p2-$n.lp >&3 & gpid=$!
  sleep "$delay"
  kill -0 $wpid 2> /dev/null || { echo "tsd-write exited before the kill:"; cat write-$n.err; return 1; }
  kill -9 $wpid
  wait $wpid 2> /dev/null || true
  exec 3>&-
  wait $gpid 2> /dev/null || true
  echo "round $n: killed after $delay s; tsd-write said: $(tr '\n' '|' < write-$n.err)"
  return 0
}

# feed_paced FILE: FILE on stdout in 10 bursts 0.1 s apart, so that a kill
# after a fraction of a second finds tsd-write in the middle of it
# whatever its speed.
feed_paced() {
  local n i
  n=$(( ($(wc -l < "$1") + 9) / 10 ))
  for i in $(seq 0 9); do
    tail -n +$((i * n + 1)) "$1" | head -n "$n" || return 1
    sleep 0.1
  done
}

# check_after N: the checks after round N (all rounds so far).
check_after() {
  local n=$1 r
  db_files_ok d &&
  dump_values --short d crash > stored || return 1
  LC_ALL=C sort -m p1-*.values p2-*.values > input &&
  subset stored input || { echo "points stored that were never written"; return 1; }
  for r in $(seq 1 "$n"); do
    subset p1-$r.values stored || { echo "round $r: committed part 1 lost"; return 1; }
  done
  LC_ALL=C comm -12 stored p2-$n.values > kept &&
  echo "round $n: $(wc -l < kept) of $(wc -l < p2-$n.values) part-2 values stored" &&
  prefix_ok kept "$(head -n 1 p2-$n.lp | awk '{ print $NF }')"
}

# prefix_ok VALUES FIRST: each (series, field) of the values (lp-values
# lines) holds n points from time FIRST on, 10 s apart: the last is at
# FIRST + (n-1) * 10 s. (Times are multiples of 10^10, exact in awk's doubles.)
prefix_ok() {
  awk -v first="$2" '
    { split($2, kv, "="); k = $1 " " kv[1]; n[k]++; if ($3 > max[k]) max[k] = $3 }
    END {
      bad = 0
      for (k in n) if (max[k] != first + (n[k] - 1) * 10000000000) {
        if (bad++ < 5) print "not a prefix: " k ": " n[k] " points, last at " max[k]
      }
      exit bad > 0
    }' "$1"
}

test_expect_success 'kill -9 in a large ingest: committed batches kept, files sound' '
  crash_round 1 2016-01-01T01:00:00Z 0.3 &&
  check_after 1
'

test_expect_success 'the crashed directory takes a write and a second crash' '
  crash_round 2 2016-01-02T01:00:00Z 0.6 &&
  check_after 2
'

test_expect_success 'after the crashes, tsd-write appends and everything reads back' '
  tsd-gen --hosts 5 --hours 1 --start 2016-01-05T00:00:00Z > p3.lp &&
  tsd-write --data d --db crash p3.lp &&
  values --short p3.lp > p3.values &&
  dump_values --short d crash > stored &&
  subset p3.values stored &&
  subset p1-1.values stored &&
  subset p1-2.values stored &&
  db_files_ok d
'

test_expect_success 'kill -TERM in a large ingest: flushes, and every point it reports is stored' '
  tsd-gen --hosts 20 --hours 6 --start 2016-01-06T00:00:00Z > t.lp &&
  values --short t.lp > t.values &&
  rm -f fifo && mkfifo fifo || exit 1
  tsd-write --data d --db term --batch-size 1000 --flush-interval 200ms < fifo 2> term.err &
  wpid=$!
  exec 3> fifo
  feed_paced t.lp >&3 & gpid=$!
  sleep 0.3
  kill -TERM $wpid
  rc=0; wait $wpid || rc=$?
  exec 3>&-
  wait $gpid 2> /dev/null || true
  cat term.err
  test $rc -eq 0 &&
  reported=$(sed -n "s/.*: \([0-9]*\) points written.*/\1/p" term.err) &&
  test -n "$reported" &&
  dump_values --short d term > stored &&
  subset stored t.values &&
  stored_points=$(cut -d" " -f1,3 stored | LC_ALL=C sort -u | wc -l) &&
  echo "reported $reported points, $stored_points stored, of $(wc -l < t.lp)" &&
  test "$stored_points" -eq "$reported" &&
  prefix_ok stored 1452038400000000000 &&
  db_files_ok d
'

# A signal can stop tsd-write while the pipe has given it only part of a
# line: that part is not a line (its time or its last field may be cut:
# "m x=2 2000" of "m x=2 2000000000"), so it must not be stored.
test_expect_success 'kill -TERM with half a line read: the half line is not stored' '
  rm -f fifo && mkfifo fifo || exit 1
  tsd-write --data d --db half < fifo 2> half.err &
  wpid=$!
  exec 3> fifo
  printf "m x=1 1000000000\nm x=2 2000" >&3
  for i in $(seq 1 50); do
    tsd-query --data d --db half --dump 2> /dev/null | grep -q "^m x=1 " && break
    sleep 0.1
  done
  kill -TERM $wpid
  wait $wpid
  exec 3>&-
  cat half.err
  tsd-query --data d --db half --dump | grep -v "^#\|^CREATE " > got &&
  echo "m x=1 1000000000" > want &&
  test_cmp want got
'

test_done
