#!/usr/bin/env bash
# The live write path: a fleet of 200 MySQL servers x 300 fields (Telegraf's
# mysql names, fleet-feed), one line per server every second, paced in real
# time, piped into tsd-write for 3 minutes. While it runs:
#   - every point is readable the second after it was flushed: every 10 s the
#     last 10 seconds that must be flushed (up to 3 s ago) are dumped and
#     must equal the feed's lines for those seconds;
#   - from the first minute on, the data directory stays within 2x the
#     compacted size of the data written so far (the same seconds written in
#     one go into a scratch directory, measured once that writer exited).
# At the end, after tsd-write exits, the dump holds every line of the feed.
# LIVE_SERVERS, LIVE_FIELDS, LIVE_SECONDS (default 200, 300, 180) scale it.
# It mostly waits on the paced feed (about a tenth of a core): tests/cli/run
# runs it beside the others.
# cli: background
. "$(dirname "$0")/lib.sh"

SERVERS=${LIVE_SERVERS:-200}
FIELDS=${LIVE_FIELDS:-300}
SECONDS_RUN=${LIVE_SECONDS:-180}
T0=2026-01-01T00:00:00Z
T0_NS=1767225600000000000
feed() { fleet-feed --servers "$SERVERS" --fields "$FIELDS" --start "$T0" "$@" 2> /dev/null; }

# The feed's lines of seconds [from, to], sorted.
feed_window() {
  feed --seconds $(($2 + 1)) | tail -n $((($2 - $1 + 1) * SERVERS)) | LC_ALL=C sort
}
# The stored lines of seconds [from, to], sorted.
dump_window() {
  tsd-query --data d --db mon --start $((T0_NS + $1 * 1000000000)) \
    --end $((T0_NS + $2 * 1000000000)) --dump | grep -v '^#\|^CREATE ' | LC_ALL=C sort
}

test_expect_success "a ${SECONDS_RUN} s paced pipe: readable at once, directory within 2x compacted" '
  feed --seconds "$SECONDS_RUN" --pace | tsd-write --data d --db mon 2> write.err &
  wpid=$!
  start=$(date +%s.%N)
  : > sizes
  next_check=10 checks=0
  while kill -0 $wpid 2> /dev/null; do
    sleep 5
    el=$(awk -v s="$start" -v n="$(date +%s.%N)" "BEGIN { printf \"%d\", n - s }")
    size=$(du -sb d 2> /dev/null | cut -f1)
    [ -n "$size" ] && echo "$el $size" >> sizes
    if [ "$el" -ge "$next_check" ] && [ "$el" -le "$((SECONDS_RUN - 5))" ]; then
      # Second k goes out at most 1 s after the start (the next whole
      # second) plus k s, and is stored within the 1 s flush interval.
      to=$((el - 3)) from=$((el - 12))
      [ $from -ge 0 ] || from=0
      dump_window $from $to > got
      feed_window $from $to > want
      cmp -s got want || { echo "at ${el} s seconds $from-$to: $(wc -l < got) lines stored of $(wc -l < want)"; exit 1; }
      checks=$((checks + 1))
      next_check=$((el + 10))
    fi
  done
  wait $wpid
  cat write.err
  grep -q "$((SERVERS * SECONDS_RUN)) points written" write.err
  [ $checks -ge 3 ]
  echo "readable at once: $checks windows checked"
  # The compacted size of the seconds flushed at each sample from 60 s on.
  worst=0
  while read el size; do
    [ "$el" -ge 60 ] && [ $((el % 30)) -lt 5 ] || continue
    n=$((el - 1))
    [ $n -le "$SECONDS_RUN" ] || n=$SECONDS_RUN
    rm -rf ref && feed --seconds $n | tsd-write --data ref --db mon 2> /dev/null
    ref=$(du -sb ref | cut -f1)
    ratio=$(awk -v a="$size" -v b="$ref" "BEGIN { printf \"%.2f\", a / b }")
    echo "at ${el} s: $size bytes on disk, $ref compacted: ${ratio}x"
    awk -v r="$ratio" "BEGIN { exit !(r <= 2) }"
    worst=$ratio
  done < sizes
  [ "$worst" != 0 ]
  echo "after exit: $(du -sb d | cut -f1) bytes"
  [ "$(tsd-query --data d --dump | grep -vc "^#\|^CREATE ")" -eq $((SERVERS * SECONDS_RUN)) ]
  dump_window 40 59 > got && feed_window 40 59 > want && cmp got want
'

test_done
