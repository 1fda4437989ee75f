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
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

# crash_round N START2 DELAY: feeds part 1 (10 hosts x 1 h from day N), waits
# until it is stored, streams part 2 (50 hosts x 6 h from START2) and kills
# tsd-write -9 after DELAY seconds.
crash_round() {
  local n=$1 start2=$2 delay=$3 wpid gpid i got want
  tsd-gen --hosts 10 --hours 1 --start "2016-01-0${n}T00:00:00Z" > p1-$n.lp &&
  tsd-gen --hosts 50 --hours 6 --start "$start2" > p2-$n.lp &&
  values p1-$n.lp > p1-$n.values &&
  values p2-$n.lp > p2-$n.values || return 1
  rm -f fifo && mkfifo fifo || return 1
  tsd-write --data d --db crash --batch-size 1000 --flush-interval 200ms < fifo 2> write-$n.err &
  wpid=$!
  exec 3> fifo
  cat p1-$n.lp >&3
  want=$(wc -l < p1-$n.values)
  for i in $(seq 1 100); do
    dump_values d crash > now 2> /dev/null || true
    got=$(LC_ALL=C comm -12 now p1-$n.values | wc -l)
    [ "$got" -eq "$want" ] && break
    kill -0 $wpid 2> /dev/null || { echo "tsd-write died:"; cat write-$n.err; return 1; }
    sleep 0.2
  done
  [ "$got" -eq "$want" ] || { echo "part 1 not stored after 20 s: $got of $want values"; return 1; }
  echo "round $n: part 1 stored ($want values)"
  cat p2-$n.lp >&3 & gpid=$!
  sleep "$delay"
  kill -0 $wpid 2> /dev/null || { echo "tsd-write exited before the kill:"; cat write-$n.err; return 1; }
  kill -9 $wpid
  wait $wpid 2> /dev/null
  exec 3>&-
  wait $gpid 2> /dev/null
  echo "round $n: killed after $delay s; tsd-write said: $(tr '\n' '|' < write-$n.err)"
  return 0
}

# check_after N: the checks after round N (all rounds so far).
check_after() {
  local n=$1 r
  db_files_ok d &&
  dump_values d crash > stored || return 1
  cat p1-*.values p2-*.values | LC_ALL=C sort > input &&
  subset stored input || { echo "points stored that were never written"; return 1; }
  for r in $(seq 1 "$n"); do
    subset p1-$r.values stored || { echo "round $r: committed part 1 lost"; return 1; }
  done
  # Prefix per (series, field) of each part 2: n points starting at its
  # first time, 10 s apart, so the last is first + (n-1) * 10 s.
  LC_ALL=C comm -12 stored p2-$n.values > kept &&
  echo "round $n: $(wc -l < kept) of $(wc -l < p2-$n.values) part-2 values stored" &&
  first=$(head -n 1 p2-$n.lp | awk '{ print $NF }') &&
  awk -v first="$first" '
    { split($2, kv, "="); k = $1 " " kv[1]; n[k]++; if ($3 > max[k]) max[k] = $3 }
    END {
      bad = 0
      for (k in n) if (max[k] != first + (n[k] - 1) * 10000000000) {
        if (bad++ < 5) print "not a prefix: " k ": " n[k] " points, last at " max[k]
      }
      exit bad > 0
    }' kept
}

test_expect_success 'kill -9 in a large ingest: committed batches kept, files sound' '
  crash_round 1 2016-01-01T01:00:00Z 0.5 &&
  check_after 1
'

test_expect_success 'the crashed directory takes a write and a second crash' '
  crash_round 2 2016-01-02T01:00:00Z 1.5 &&
  check_after 2
'

test_expect_success 'after the crashes, tsd-write appends and everything reads back' '
  tsd-gen --hosts 5 --hours 1 --start 2016-01-05T00:00:00Z > p3.lp &&
  tsd-write --data d --db crash p3.lp &&
  values p3.lp > p3.values &&
  dump_values d crash > stored &&
  subset p3.values stored &&
  subset p1-1.values stored &&
  subset p1-2.values stored &&
  db_files_ok d
'

test_done
