#!/usr/bin/env bash
# tsd-render dashboards end to end: the three dashboards of
# examples/dashboards over data named as tsd-collect names it (the host one
# over what tsd-collect gathers here, MySQL and memcached over generated
# points for three servers), variables from the command line, snapshots
# (saved, listed, drawn again offline), and bad files, unknown variables
# and failing queries, which fail their own panel only.
. "$(dirname "$0")/lib.sh"

EX="$ROOT/examples/dashboards"
cd "$TMP" || exit 1

# Half an hour of MySQL and memcached counters for three servers, every 10 s,
# ending now; db3 lags behind its master more and more.
now=$(date +%s)
python3 - "$now" > svc.lp <<'EOF'
import sys
now = int(sys.argv[1])
for i in range(180):
    t = (now - 1800 + i * 10) * 10**9
    for k, s in enumerate(["db1:3306", "db2:3306", "db3:3306"]):
        n = i * (k + 1)
        print(f"mysql,server={s} queries={1000 + 500 * n}i,com_select={400 * n}i,com_insert={50 * n}i,"
              f"com_update={30 * n}i,com_delete={5 * n}i,threads_running={2 + k}i,threads_connected={20 + 5 * k}i,"
              f"innodb_buffer_pool_pages_data={8000 + 10 * i}i,innodb_buffer_pool_pages_total=10000i,"
              f"innodb_buffer_pool_reads={7 * n}i,slave_seconds_behind_master={k * i // 10}i {t}")
        print(f"memcached,server=mc{k}:11211 cmd_get={900 * n}i,cmd_set={100 * n}i,get_hits={800 * n}i,"
              f"get_misses={100 * n}i,evictions={k * i}i,conn_yields={i // 3}i,curr_connections={10 + k}i,"
              f"bytes={1000000 + 5000 * i}i,limit_maxbytes=67108864i {t}")
EOF
tsd-write --data d --db mon < svc.lp 2>/dev/null

test_expect_success 'the MySQL dashboard draws every panel, for all servers or the ones given' '
  tsd-render --data d --width 120 "$EX/mysql.toml" > out &&
  head -n 1 out | grep -q "^MySQL overview   now-1h .. now (.*)   server=All$" &&
  for t in "Queries per second by command" "QPS now" "Slave lag per server" "Threads" \
           "InnoDB buffer pool used" "Buffer pool reads from disk"; do
    grep -q "─ $t ─" out || { echo "no panel $t"; exit 1; }
  done &&
  ! grep -q "ERR:" out &&
  grep -q "db3:3306" out &&
  grep -q "■ mysql.select" out &&
  tsd-render --data d --width 120 "$EX/mysql.toml" --var server=db1:3306 --var server=db2:3306 > two &&
  head -n 1 two | grep -q "server=db1:3306,db2:3306$" &&
  ! grep -q "db3:3306" two
'

test_expect_success 'the memcached dashboard draws every panel' '
  tsd-render --data d --width 100 --ascii "$EX/memcached.toml" > out &&
  for t in "Hit rate" "Gets and sets per second" "Evictions per second" "Connection yields per second" \
           "Connections" "Memory used"; do
    grep -q "+- $t -" out || { echo "no panel $t"; exit 1; }
  done &&
  ! grep -q "ERR:" out &&
  grep -q "88.9%" out
'

test_expect_success 'the host dashboard over what tsd-collect gathers' '
  { timeout 4 tsd-collect --interval 1s || true; } | tsd-write --data d --db mon 2>/dev/null &&
  tsd-render --data d --width 120 "$EX/host.toml" --from now-5m > out &&
  for t in CPU "Memory used" Load Memory "Disk used" "Disk I/O" Network "CPU user per core, distribution"; do
    grep -q "─ $t ─" out || { echo "no panel $t"; exit 1; }
  done &&
  ! grep -q "ERR:" out &&
  grep -q "■ cpu.user" out
'

test_expect_success 'a snapshot draws again offline, and is listed' '
  mkdir -p snaps &&
  tsd-render --data d --width 100 "$EX/mysql.toml" --snapshot snaps/presale.snap \
    --title "2016/09/06 fan-club pre-sale, 12,000 users" > drawn &&
  head -n 1 drawn | grep -q "\[2016/09/06 fan-club pre-sale, 12,000 users\]$" &&
  mv d d.away &&
  tsd-render --open snaps/presale.snap --width 100 > again &&
  test_cmp drawn again &&
  tsd-render --open snaps/presale.snap --width 100 --height 20 > fitted &&
  test "$(wc -l < fitted)" = 20 &&
  test "$(grep -o "[╭+]─ [^─]* ─" fitted | wc -l)" = 6 &&
  mv d.away d &&
  tsd-render snapshots snaps > list &&
  head -n 1 list | grep -q "^FILE  *TITLE  *TIME RANGE  *PANELS  *TAKEN$" &&
  grep -q "^presale.snap  2016/09/06 fan-club pre-sale, 12,000 users (MySQL overview)  .* 6 " list &&
  echo "{\"format\": \"tsd-snapshot\", \"panels\": [" > snaps/torn.snap &&
  test_expect_code 1 tsd-render --open snaps/torn.snap 2> err &&
  grep -q "^tsd-render: snaps/torn.snap: not a snapshot (not a JSON object)$" err &&
  tsd-render snapshots snaps > list &&
  grep -q "^torn.snap  *(does not read" list
'

test_expect_success 'failing panels show their message; the others still draw' '
  cat > bad.toml <<-EOF &&
	title = "Mixed"
	database = "mon"
	[[panels]]
	title = "Fine"
	query = "SELECT mean(threads_running) FROM mysql WHERE \$timeFilter GROUP BY time(\$__interval)"
	w = 12
	[[panels]]
	title = "Typo"
	query = "SELECT nope(threads_running) FROM mysql WHERE host = '\''\$hots'\''"
	w = 12
	[[panels]]
	title = "Unknown function"
	query = "SELECT nope(threads_running) FROM mysql"
	[[panels]]
	title = "Bad type"
	type = "pie"
	query = "SELECT 1"
	EOF
  test_expect_code 1 tsd-render --data d --width 100 --ascii bad.toml > out 2> err &&
  test ! -s err &&
  grep -q "+- Fine -" out && grep -q "mysql.mean" out &&
  grep -q "|ERR: unknown variable \$hots (the dashboard has" out &&
  grep -q "|ERR: undefined function nope()" out &&
  grep -q "|ERR: bad.toml:14: panel 4: unknown panel \"pie\"" out
'

test_expect_success 'bad files and flags say where and why' '
  test_expect_code 1 tsd-render --data d nosuch.toml 2> err &&
  grep -q "^tsd-render: nosuch.toml: No such file or directory$" err &&
  printf "title = \"x\n" > broken.toml &&
  test_expect_code 1 tsd-render --data d broken.toml 2> err &&
  grep -q "^tsd-render: broken.toml:1:11: " err &&
  test_expect_code 2 tsd-render --data d "$EX/mysql.toml" --from yesterday 2> err &&
  grep -q "^tsd-render: --from: time \"yesterday\": expected now" err &&
  test_expect_code 2 tsd-render --data d "$EX/mysql.toml" --var server 2> err &&
  grep -q "^tsd-render: --var server: expected name=value$" err &&
  tsd-render --data d --width 100 "$EX/mysql.toml" --var hots=db1 > /dev/null 2> err &&
  grep -q "^tsd-render: --var hots: .*mysql.toml has no variable \"hots\" (it has server)$" err &&
  test_expect_code 2 tsd-render --data d "$EX/mysql.toml" "$EX/host.toml" 2> err &&
  test_expect_code 2 tsd-render --data d snapshots a b 2> err
'

test_expect_success 'the man page names every option of --help' '
  tsd-render --help > help &&
  sed "s/\\\\-/-/g" "$ROOT/man/tsd-render.1" > man &&
  grep -oE "^  (-[a-z], )?--[a-z-]+" help | grep -oE -- "--[a-z-]+" | grep -v -- "--help" | while read -r opt; do
    grep -qF -- "$opt" man || { echo "$opt is not in tsd-render(1)"; exit 1; }
  done
'

test_done
