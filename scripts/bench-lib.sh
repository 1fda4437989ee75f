# shellcheck shell=bash disable=SC2034  # the figures are read by the scripts that source this
# Shared pieces of the benches (scripts/bench, scripts/bench-fleet): figures,
# the private InfluxDB, and the bulk ingest of a TSBS-style devops data set
# into tsd and into InfluxDB. Source it after setting
#   BENCH_NAME   the prefix of progress lines on stderr
#   WORK         the scratch directory
#   TSD_BIN, TSD_TOOLS
# and define cleanup() (run at exit). It sources scripts/influxd.sh.
#
#   say MSG / die MSG          progress on stderr / and exit 1
#   now; calc FMT EXPR         `date +%s.%N`; awk arithmetic
#   alloc_bytes PATH...        allocated bytes (holes in sparse files excluded)
#   best A B; mib BYTES        the larger; bytes in MiB, rounded
#   bench_influxd_start DIR    influxd on 127.0.0.1 with its data in DIR (INFLUX_DIR)
#   influx_cpu; influx_hwm     influxd's CPU seconds so far; its peak RSS in bytes
#   influx_settle DB           waits until DB has gone from the WAL to compacted TSM
#   gen_devops KEY HOSTS HOURS VARIANT
#                              tsd-gen data at 10 s into $WORK/KEY.lp; lines[KEY], values[KEY]
#   influx_run KEY RUN; tsd_run KEY RUN
#                              one bulk ingest of $WORK/KEY.lp: ix_* / ts_* [KEY] (speeds:
#                              the best run; ix_rss, ts_rss: peak RSS)
#   table_head; row NAME INFLUX TSD FMT
#                              a table figure | InfluxDB | tsd | ratio (ROW_W: name width)

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
. "$ROOT/scripts/influxd.sh"

say() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; }
die() { say "$*"; exit 1; }

# Elapsed seconds of a command's run, from `date +%s.%N` stamps.
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# Allocated bytes of the paths (holes in sparse files excluded).
alloc_bytes() { du -scB1 "$@" 2>/dev/null | tail -n 1 | cut -f1; }

best() { awk -v a="${1:-0}" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }
mib() { calc %.0f "${1:-0} / 1048576"; }

# Starts influxd on 127.0.0.1 (scripts/influxd.sh picks free ports) with its
# data under DIR; the INFLUXDB_* variables of the environment configure it.
bench_influxd_start() {
  INFLUX_DIR=$1
  influxd_start "$INFLUX_DIR" || die "influxd did not start"
  trap cleanup EXIT  # influxd_start set its own
  case $INFLUX_URL in
    http://127.0.0.1:*) ;;
    *) die "influxd is not on 127.0.0.1: $INFLUX_URL" ;;
  esac
}

influx_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$INFLUX_PID/stat"; }
influx_hwm() { awk '/^VmHWM:/ { print $2 * 1024 }' "/proc/$INFLUX_PID/status"; }

# Waits until InfluxDB has moved database $1 from its WAL to compacted TSM.
influx_settle() {
  local db=$1 last="" cur stable=0
  for _ in $(seq 1 240); do
    cur=$(find "$INFLUX_DIR/data/$db" "$INFLUX_DIR/wal/$db" -type f -printf '%p %s\n' 2>/dev/null | sort | md5sum)
    if ! find "$INFLUX_DIR/wal/$db" -name '*.wal' -size +1k | grep -q . &&
       ! find "$INFLUX_DIR/data/$db" -name '*.tmp' | grep -q . &&
       find "$INFLUX_DIR/data/$db" -name '*.tsm' | grep -q .; then
      if [ "$cur" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
      [ $stable -ge 5 ] && return 0
    fi
    last=$cur
    sleep 1
  done
  say "InfluxDB did not settle $db within 240 s; measuring as it is"
}

declare -A lines values ix_vps ix_cpu ix_bpv ix_rss ts_vps ts_cpu ts_bpv ts_rss

# tsd-gen's devops cpu data (10 fields) at 10 s.
gen_devops() {  # key hosts hours variant
  local key=$1 t0
  t0=$(now)
  "$TSD_TOOLS/tsd-gen" --hosts "$2" --hours "$3" --interval 10s \
    --start 2016-01-01T00:00:00Z --seed 1 --variant "$4" > "$WORK/$key.lp"
  lines[$key]=$(wc -l < "$WORK/$key.lp")
  values[$key]=$((lines[$key] * 10))
  say "generated $key: ${lines[$key]} lines, $(du -h "$WORK/$key.lp" | cut -f1), $(calc %.1f "$(now) - $t0") s"
}

# Speeds are the best of the runs (the machine is shared: the best run is the
# one least disturbed); CPU seconds are user + system, for InfluxDB the
# server's, not the feeder's. Each run starts from an empty database.
influx_run() {  # key run
  local key=$1 r=$2 db=bench_$1_$2 out secs c0 n bytes
  say "InfluxDB: feeding $key (run $r) ..."
  c0=$(influx_cpu)
  out=$("$TSD_TOOLS/influx-feed" --url "$INFLUX_URL" --db "$db" --batch 5000 --workers 2 "$WORK/$key.lp") ||
    die "influx-feed failed on $key"
  secs=$(awk '{ print $3 }' <<<"$out")
  ix_vps[$key]=$(best "${ix_vps[$key]:-}" "$(calc %.0f "${values[$key]} / $secs")")
  ix_cpu[$key]=$(best "${ix_cpu[$key]:-}" "$(calc %.0f "${values[$key]} / ($(influx_cpu) - $c0)")")
  ix_rss[$key]=$(influx_hwm)
  say "InfluxDB: $key in $secs s, waiting for snapshot and compaction ..."
  influx_settle "$db"
  n=$(influx_query "$db" 'SELECT count(usage_user) FROM cpu' | jq -r '.results[0].series[0].values[0][1]')
  [ "$n" = "${lines[$key]}" ] || say "WARNING: InfluxDB holds $n usage_user values of ${lines[$key]}"
  bytes=$(alloc_bytes "$INFLUX_DIR/data/$db" "$INFLUX_DIR/wal/$db")
  ix_bpv[$key]=$(calc %.3f "$bytes / ${values[$key]}")
  say "InfluxDB: $key: $bytes bytes ($(find "$INFLUX_DIR/data/$db" -name '*.tsm' | wc -l) TSM files)"
  influx_query "$db" "DROP DATABASE $db" > /dev/null
}

tsd_run() {  # key run
  local key=$1 r=$2 dir=$WORK/tsd-$1 t0 secs cpu bytes n
  rm -rf "$dir"
  say "tsd: writing $key (run $r) ..."
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" \
    "$TSD_BIN/tsd-write" --data "$dir" --db bench "$WORK/$key.lp" 2> "$WORK/write.err" ||
    { cat "$WORK/write.err" >&2; die "tsd-write failed on $key"; }
  secs=$(calc %.3f "$(now) - $t0")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time.txt")
  ts_vps[$key]=$(best "${ts_vps[$key]:-}" "$(calc %.0f "${values[$key]} / $secs")")
  ts_cpu[$key]=$(best "${ts_cpu[$key]:-}" "$(calc %.0f "${values[$key]} / $cpu")")
  ts_rss[$key]=$(best "${ts_rss[$key]:-}" "$(awk -F': ' '/Maximum resident set size/ { print $2 * 1024 }' "$WORK/time.txt")")
  bytes=$(du -sb "$dir" | cut -f1)
  ts_bpv[$key]=$(calc %.3f "$bytes / ${values[$key]}")
  say "tsd: $key in $secs s ($cpu CPU s), $bytes bytes; $(tail -n 1 "$WORK/write.err")"
  if [ "$r" = 1 ] && [ -x "$TSD_BIN/tsd-query" ]; then
    n=$("$TSD_BIN/tsd-query" --data "$dir" --db bench --dump | grep -c '^cpu,' || true)
    [ "$n" = "${lines[$key]}" ] || say "WARNING: tsd dumps $n lines of ${lines[$key]}"
  fi
}

# figure | InfluxDB | tsd | ratio (tsd/InfluxDB; > 1 is better for speed,
# < 1 is better for size and memory).
table_head() {
  printf "| %-${ROW_W:-28}s | %14s | %14s | %7s |\n" figure InfluxDB tsd ratio
  printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' $(seq 1 $((${ROW_W:-28} + 2))))" \
    ---------------- ---------------- ---------
}
row() {  # an empty or "-" figure shows as "-"
  local name=$1 ix=${2:--} ts=${3:--} fmt=$4 ratio="-" tsv="-" ixv="-"
  [ "$ix" = - ] || ixv=$(calc "$fmt" "$ix")
  [ "$ts" = - ] || tsv=$(calc "$fmt" "$ts")
  if [ "$ix" != - ] && [ "$ts" != - ]; then
    ratio=$(awk -v a="$ts" -v b="$ix" 'BEGIN { if (b == 0) print "-"; else printf "%.2fx", a / b }')
  fi
  printf "| %-${ROW_W:-28}s | %14s | %14s | %7s |\n" "$name" "$ixv" "$tsv" "$ratio"
}
