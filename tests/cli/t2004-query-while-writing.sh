#!/usr/bin/env bash
# A query over a data directory that another process is writing sees
# whole batches only.
#
# A generator pipes N batches of exactly K lines (fields v and w on each)
# into one tsd-write; after each batch it waits until tsd-write has read
# all of it (the pipe is empty) and pauses. tsd-write runs with
# --batch-size K and --flush-interval 0, so each flush holds exactly one
# batch, stored in one transaction (a timed flush could split a batch
# that the reading thread got in two reads). Batch b holds series
# host=x<b> and, but for every fifth batch, host=h0..h3 too: four of five
# batches go to head rows (240 points per series), the fifth to blocks
# (1200 points of one series); the heads are promoted every few batches
# and the writer compacts on exit, all while the queries run.
#
# Meanwhile tsd-query runs in a loop until the writer has exited:
#   count(v), count(w),  multiples of K, equal, never decreasing; sum(w)
#   sum(w)               that of the batches counted (w is b in batch b)
#   GROUP BY time(1h)    windows of three batches each: every window a
#                        multiple of K, windows filled in order
#   count; SHOW SERIES   the x<b> series are x0..x<n-1> with count <= n*K
# and never fails (no "database is locked", no crash, nothing on stderr).
# At the end every count is N*K.
. "$(dirname "$0")/lib.sh"

K=1200
N=${QW_BATCHES:-60}
PAUSE=${QW_PAUSE:-0.05}
T0=1704412800  # 2024-01-05T00:00:00Z, a batch every 1200 s: one shard group
RANGE="time >= '2024-01-05T00:00:00Z' AND time < '2024-01-06T00:00:00Z'"

cat > "$TMP/gen.py" <<'PY'
import array, fcntl, os, sys, termios, time
K, N, pause, t0 = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
out = sys.stdout.fileno()

def unread():
    n = array.array("i", [0])
    fcntl.ioctl(out, termios.FIONREAD, n)
    return n[0]

for b in range(N):
    start = t0 + b * 1200
    lines = []
    if b % 5 == 4:  # one series, more than 1024 points: blocks
        for i in range(K):
            lines.append("m,host=x%d v=%d.5,w=%di %d000000000\n" % (b, i, b, start + i))
    else:  # five series of K/5 points: head rows
        for i in range(K // 5):
            for h in ("h0", "h1", "h2", "h3", "x%d" % b):
                lines.append("m,host=%s v=%d.25,w=%di %d000000000\n" % (h, i, b, start + 5 * i))
    data = memoryview("".join(lines).encode())
    while data:
        data = data[os.write(out, data):]
    while unread():  # tsd-write has read the whole batch
        time.sleep(0.002)
    time.sleep(pause)
PY

cat > "$TMP/check.py" <<'PY'
# check.py K N DIR: checks the answers DIR/<i>.{count,group,series}
# saved during the writes (a final one, i = "end", after them).
import json, os, re, sys
K, N, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
bad = []

def results(path):
    with open(path) as f:
        r = json.load(f)["results"]
    for st in r:
        if "error" in st:
            raise ValueError("%s: %s" % (path, st["error"]))
    return r

def counts(st):  # the one row of SELECT count(..), ... FROM m, or zeros
    if "series" not in st:
        return [0, 0, 0]
    (s,) = st["series"]
    (row,) = s["values"]
    return row[1:]

runs = sorted((int(f.split(".")[0]) for f in os.listdir(d) if f.endswith(".count") and f[0] != "e"))
seen, last = set(), 0
for i in runs + ["end"]:
    p = "%s/%s." % (d, i)
    v, w, s = counts(results(p + "count")[0])
    n = v // K
    if v % K or v != w or v < last or s != K * n * (n - 1) // 2:
        bad.append("%s: count(v) %d, count(w) %d, sum(w) %d (after %d)" % (p + "count", v, w, s, last))
    last = v
    seen.add(v)
    st = results(p + "group")[0]
    win = [row[1] or 0 for row in st["series"][0]["values"]] if "series" in st else []
    full = sum(win) // (3 * K)
    want = [3 * K] * full + ([sum(win) % (3 * K)] if sum(win) % (3 * K) else [])
    if any(x % K for x in win) or win[:len(want)] != want or any(win[len(want):]):
        bad.append("%s: windows %s" % (p + "group", win))
    r = results(p + "series")
    c = counts(r[0])[0]
    keys = [row[0] for row in r[1]["series"][0]["values"]] if "series" in r[1] else []
    xs = sorted(int(k[len("m,host=x"):]) for k in keys if k.startswith("m,host=x"))
    hs = sorted(k for k in keys if not k.startswith("m,host=x"))
    ok_h = hs == (["m,host=h%d" % j for j in range(4)] if xs else [])
    if xs != list(range(len(xs))) or not ok_h or c % K or c > len(xs) * K:
        bad.append("%s: count %d, series %s" % (p + "series", c, keys))
    if i == "end" and (v != N * K or sum(win) != N * K or len(xs) != N):
        bad.append("at the end: count %d, windows %d, %d x series; want %d, %d, %d"
                   % (v, sum(win), len(xs), N * K, N * K, N))
mid = sorted(x for x in seen if 0 < x < N * K)
print("%d rounds of queries during the writes; %d partial counts seen: %s"
      % (len(runs), len(mid), " ".join(str(x // K) for x in mid)))
if len(mid) < 3:
    bad.append("the queries did not overlap the writes (%d partial counts)" % len(mid))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
PY

# One round of the three queries, answers in q/<i>.*; fails on any error.
ask() {
  local i=$1 what q
  for what in count group series; do
    case $what in
      count) q="SELECT count(v), count(w), sum(w) FROM m" ;;
      group) q="SELECT count(v) FROM m WHERE $RANGE GROUP BY time(1h)" ;;
      series) q="SELECT count(v) FROM m; SHOW SERIES" ;;
    esac
    tsd-query --data d --db qw --format json -e "$q" > "q/$i.$what" 2> "q/$i.err" || {
      echo "round $i, $what: exit $?"; cat "q/$i.err"; return 1; }
    [ ! -s "q/$i.err" ] || { echo "round $i, $what: stderr:"; cat "q/$i.err"; return 1; }
  done
}

test_expect_success "queries during a write of $N batches of $K points see whole batches" '
  tsd-write --data d --db qw < /dev/null 2> /dev/null &&
  mkdir q || exit 1
  python3 gen.py $K $N $PAUSE $T0 |
    tsd-write --data d --db qw --batch-size $K --flush-interval 0 2> write.err &
  wpid=$!
  i=0 ok=0
  while kill -0 $wpid 2> /dev/null; do
    ask $i || { ok=1; break; }
    i=$((i + 1))
  done
  wait $wpid || { echo "tsd-write: exit $?"; cat write.err; exit 1; }
  test $ok -eq 0 &&
  grep -q "^tsd-write: $((N * K)) points written, 0 lines rejected" write.err &&
  ask end &&
  python3 check.py $K $N q
'

test_done
