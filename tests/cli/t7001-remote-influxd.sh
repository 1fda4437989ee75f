#!/usr/bin/env bash
# Remote mode (--url): tsd-write and tsd-query against a real InfluxDB 1.6
# (Debian's influxd on 127.0.0.1) through lib/client's remote client, and
# the same programs over a data directory holding the same points: the
# answers must be the same. Also: a server killed (kill -9) and restarted
# in the middle of a piped tsd-write --url loses no batch; a refused
# connection is a clear error; the auth flags send what they should (a
# small recording HTTP server, which also answers 503 + Retry-After once).
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "influxd is not installed (scripts/setup installs it)"
cd "$TMP" || exit 1

influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"
export INFLUX_URL
unset TSD_URL INFLUX_USERNAME INFLUX_PASSWORD INFLUX_TOKEN

# The JSON answers of two runs, equal but for floats 1e-12 apart.
cat > jsoneq.py <<'PY'
import json, math, sys
def eq(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(eq(a[k], b[k]) for k in a)
    return a == b
a, b = (open(p).read().splitlines() for p in sys.argv[1:3])
bad = [i for i, (x, y) in enumerate(zip(a, b)) if not eq(json.loads(x), json.loads(y))]
if len(a) != len(b) or bad:
    for i in bad[:3]:
        print("line %d differs:\n  %s\n  %s" % (i + 1, a[i][:400], b[i][:400]))
    sys.exit("%d of %d answers differ (%d lines vs %d)" % (len(bad), len(a), len(a), len(b)))
print("%d answers equal" % len(a))
PY

python3 "$TESTS_DIR/data/influxql/gen.py" gen > /dev/null
# Every type: floats, integers, strings, booleans (gen.py's tsdiff) and
# tsd-gen's fleet, integer and float variants.
tsd-gen --hosts 5 --hours 1 --variant int > fleet-int.lp
tsd-gen --hosts 5 --hours 1 --variant float --seed 7 > fleet-float.lp

test_expect_success 'tsd-write --url stores every line, as tsd-write --data does' '
	for f in gen/tsdiff.autogen.1.lp gen/tsdiff.autogen.2.lp; do
		tsd-write --url "$INFLUX_URL" --db tsdiff "$f" 2> remote.err || { cat remote.err; exit 1; }
		tsd-write --data d --db tsdiff "$f" 2> local.err || { cat local.err; exit 1; }
		tail -n 1 remote.err > r; tail -n 1 local.err > l; test_cmp l r
	done
	tsd-write --url "$INFLUX_URL" --db fleet --batch-size 700 fleet-int.lp
	tsd-write --data d --db fleet fleet-int.lp
	tsd-write --url "$INFLUX_URL" --db fleet2 fleet-float.lp
	tsd-write --data d --db fleet2 fleet-float.lp
'

test_expect_success 'what tsd-write --url stored reads back as the local copy (every measurement)' '
	: > remote.json; : > local.json
	for db in tsdiff fleet fleet2; do
		tsd-query --data d --db $db --format json -e "SHOW MEASUREMENTS" > m.json
		python3 -c "import json,sys; [print(json.dumps(v[0])) for v in json.load(sys.stdin)[\"results\"][0][\"series\"][0][\"values\"]]" < m.json > names
		while IFS= read -r m; do
			q="SELECT * FROM $m GROUP BY *"
			tsd-query --url "$INFLUX_URL" --db $db --format json -e "$q" >> remote.json
			tsd-query --data d --db $db --format json -e "$q" >> local.json
		done < names
	done
	test $(wc -l < local.json) -ge 10
	python3 jsoneq.py local.json remote.json
'

test_expect_success 'a series of more than one chunk (10,000 rows) merges into one, as locally' '
	seq 25000 | awk "{ print \"many,k=a v=\" \$1 \"i,f=\" \$1 / 4 \" \" \$1 \"000000000\" }" > many.lp
	tsd-write --url "$INFLUX_URL" --db many many.lp
	tsd-write --data d --db many many.lp
	q="SELECT * FROM many"
	tsd-query --url "$INFLUX_URL" --db many --format json -e "$q" > remote.json
	tsd-query --data d --db many --format json -e "$q" > local.json
	python3 -c "import json,sys; d=json.load(open(\"remote.json\")); s=d[\"results\"][0][\"series\"]; assert len(s)==1 and len(s[0][\"values\"])>10000, len(s[0][\"values\"])"
	python3 jsoneq.py local.json remote.json
'

# (InfluxDB's JSON writes -0.0 as -0, which reads back as the integer 0.)
test_expect_success 'integers stay integers, floats floats (--format line)' '
	q="SELECT * FROM big GROUP BY *"
	tsd-query --url "$INFLUX_URL" --db tsdiff --format line -e "$q" > remote.lp
	tsd-query --data d --db tsdiff --format line -e "$q" | sed "s/ f=-0,/ f=0,/" > local.lp
	grep -q "n=[0-9-]*i" remote.lp
	test_cmp local.lp remote.lp
'

# ~30 queries of t2001's corpus that tsd answers as influxd does (not in
# its xfail or deliberate lists), on the tsdiff database.
grep -v "^[[:space:]]*\(#\|$\|@\)" "$TESTS_DIR/data/influxql/queries.iql" |
	grep -E "^(SELECT|SHOW)" | grep -vi " INTO \|other\.\.\|intodb\|rp2" |
	grep -vxFf <(cut -f1 "$TESTS_DIR/data/influxql/xfail.txt" "$TESTS_DIR/data/influxql/deliberate.txt") |
	awk "NR % 4 == 1" | head -n 40 > corpus.iql

test_expect_success 'a corpus of InfluxQL answers the same locally and remotely (--format json)' '
	test $(wc -l < corpus.iql) -ge 30
	: > remote.json; : > local.json
	while IFS= read -r q; do
		tsd-query --url "$INFLUX_URL" --db tsdiff --format json -e "$q" >> remote.json 2>/dev/null || true
		tsd-query --data d --db tsdiff --format json -e "$q" >> local.json 2>/dev/null || true
	done < corpus.iql
	python3 jsoneq.py local.json remote.json
'

test_expect_success 'column and csv output as locally; several statements; errors as influxd words them' '
	q="SHOW MEASUREMENTS; SELECT count(*) FROM events; SELECT nosuch( FROM x"
	tsd-query --data d --db tsdiff -e "SELECT count(*) FROM events; SHOW TAG KEYS FROM cpu" > l.txt
	tsd-query --url "$INFLUX_URL" --db tsdiff -e "SELECT count(*) FROM events; SHOW TAG KEYS FROM cpu" > r.txt
	test_cmp l.txt r.txt
	tsd-query --data d --db tsdiff --format csv -e "SELECT * FROM events LIMIT 5" > l.txt
	tsd-query --url "$INFLUX_URL" --db tsdiff --format csv -e "SELECT * FROM events LIMIT 5" > r.txt
	test_cmp l.txt r.txt
	test_expect_code 1 tsd-query --url "$INFLUX_URL" --db tsdiff -e "SELECT FROM" 2> err
	grep -q "^ERR: error parsing query: found FROM, expected identifier" err
	test_expect_code 1 tsd-query --url "$INFLUX_URL" -e "SELECT * FROM cpu" 2> err
	grep -q "database name required" err
'

test_expect_success 'statements that write go through (POST): CREATE DATABASE, SELECT INTO' '
	tsd-query --url "$INFLUX_URL" -e "CREATE DATABASE made"
	tsd-query --url "$INFLUX_URL" --db tsdiff -e "SELECT n INTO made..copy FROM big" > out
	grep -q written out
	tsd-query --url "$INFLUX_URL" --db made --format csv -e "SELECT count(n) FROM copy" | cut -d, -f3 > out
	tsd-query --data d --db tsdiff --format csv -e "SELECT count(n) FROM big" | cut -d, -f3 > want
	test_cmp want out
'

test_expect_success 'TSD_URL and tsd-render -e --url' '
	tsd-query --data d --db tsdiff --format csv -e "SELECT count(n) FROM big" > want
	TSD_URL="$INFLUX_URL" tsd-query --db tsdiff --format csv -e "SELECT count(n) FROM big" > out
	test_cmp want out
	tsd-render --url "$INFLUX_URL" --db tsdiff --panel stat --width 30 --height 5 \
		-e "SELECT last(n) FROM big" > remote.txt
	tsd-render --data d --db tsdiff --panel stat --width 30 --height 5 \
		-e "SELECT last(n) FROM big" > local.txt
	test_cmp local.txt remote.txt
'

test_expect_success 'tsd-rp --url: create, alter, list; enforce refused' '
	tsd-rp --url "$INFLUX_URL" create week --db tsdiff --duration 7d
	tsd-rp --url "$INFLUX_URL" alter week --db tsdiff --duration 14d
	tsd-rp --url "$INFLUX_URL" list --db tsdiff --format csv > out
	grep -q "^week,336h0m0s," out
	test_expect_code 2 tsd-rp --url "$INFLUX_URL" enforce
'

test_expect_success 'tsd-cq --url: the same windows and points on the server as locally, the CQs kept in --data' '
	python3 -c "
t0 = 1767225600
for i in range(0, 600, 10):
    for h, d in ((\"a\", 1), (\"b\", 2)):
        print(\"cq_src,host=%s v=%g %d\" % (h, i / 10 + d, (t0 + i) * 10**9))
" > cq.lp
	tsd-query --url "$INFLUX_URL" -e "CREATE DATABASE cqdb"
	tsd-write --url "$INFLUX_URL" --db cqdb < cq.lp
	tsd-write --data cqloc --db cqdb < cq.lp
	cq="CREATE CONTINUOUS QUERY m1 ON cqdb RESAMPLE FOR 2m BEGIN SELECT mean(v), max(v) INTO cq_1m FROM cq_src GROUP BY time(1m), host END"
	tsd-cq --data cqstate --url "$INFLUX_URL" add --now 2026-01-01T00:00:00Z "$cq"
	tsd-cq --data cqloc add --now 2026-01-01T00:00:00Z "$cq"
	# Kept for the server, not on it (its own CQ service would run it too).
	test "$(tsd-query --url "$INFLUX_URL" -e "SHOW CONTINUOUS QUERIES" --format csv | grep -c m1)" = 0
	tsd-cq --data cqstate --url "$INFLUX_URL" list --format csv > listed
	grep -q "^continuous_queries,cqdb,m1,2026-01-01T00:00:00Z,\"CREATE CONTINUOUS QUERY m1 ON cqdb RESAMPLE FOR 2m BEGIN SELECT mean(v), max(v) INTO cqdb.autogen.cq_1m FROM cqdb.autogen.cq_src GROUP BY time(1m), host END\"$" listed
	test "$(tsd-cq --data cqloc list --format csv | tail -1)" = "$(tail -1 listed)"
	for now in 2026-01-01T00:05:30Z 2026-01-01T00:06:10Z 2026-01-01T00:09:59Z; do
		tsd-cq --data cqstate --url "$INFLUX_URL" run --now $now >> remote.log
		tsd-cq --data cqloc run --now $now >> local.log
	done
	test_cmp local.log remote.log
	grep -q "m1 ON cqdb: \[2026-01-01T00:05:00Z, 2026-01-01T00:09:00Z) 8 points written" remote.log
	tsd-query --url "$INFLUX_URL" --db cqdb -e "SELECT * FROM cq_1m" --format json > remote.json
	tsd-query --data cqloc --db cqdb -e "SELECT * FROM cq_1m" --format json > local.json
	test_cmp local.json remote.json
	test_expect_code 2 tsd-cq --data cqstate --url "$INFLUX_URL" run --recompute-late
	tsd-cq --data cqstate --url "$INFLUX_URL" drop m1 --db cqdb
	test_expect_code 1 tsd-cq --data cqstate --url "$INFLUX_URL" drop m1 --db cqdb
	test_expect_code 1 tsd-cq --data cqstate --url "$INFLUX_URL" add "CREATE CONTINUOUS QUERY m2 ON nodb BEGIN SELECT mean(v) INTO x FROM y GROUP BY time(1m) END" 2> err
	grep -q "database not found: nodb" err
'

# A name that curl resolves on a thread of its own ("localhost" it answers
# itself): a static tsd-query ran libcurl on a second libc whose threads
# could not start (a crash). Only names the machine maps to a loopback
# address in its hosts file.
loop_name=""
for n in ip6-localhost ip6-loopback "$(hostname)"; do
	a=$(getent hosts "$n" | awk '{ print $1; exit }')
	case "$a" in 127.*|::1) loop_name=$n; break ;; esac
done
test_expect_success 'a host name resolved on curl'"'"'s thread: an answer or a clear error, never a crash' '
	test -n "$loop_name" || { echo "no loopback name in the hosts file: skipped"; exit 0; }
	s=0; tsd-query --url "http://$loop_name:${INFLUX_URL##*:}" -e "SHOW DATABASES" > out 2> err || s=$?
	cat err
	test "$s" -le 1
	test "$s" = 0 || grep -q "cannot reach http://$loop_name:" err
'

test_expect_success 'a refused connection: a clear message naming the URL, exit 1' '
	test_expect_code 1 tsd-query --url http://127.0.0.1:9 -e "SHOW DATABASES" 2> err
	cat err
	grep -q "cannot reach http://127.0.0.1:9/: Connection refused" err
	echo "m v=1 1" | test_expect_code 1 tsd-write --url http://127.0.0.1:9 --db x --timeout 1s 2> err
	cat err
	grep -q "cannot reach http://127.0.0.1:9/: Connection refused" err
	grep -q "line 1-1 of standard input not written\|lines 1-1 of standard input not written" err
	test_expect_code 2 tsd-query --url "$INFLUX_URL" --timeout soon -e "SHOW DATABASES"
	# An empty --url (an unset variable) is not taken for the local directory.
	echo "m v=1 1" | test_expect_code 2 tsd-write --url "" --db x 2> err
	grep -q -- "--url: empty" err
'

test_expect_success 'bad lines and type conflicts are reported at the input line numbers' '
	printf "tc v=1i 1\ntc v=2i 2\n" | tsd-write --url "$INFLUX_URL" --db conflicts
	printf "tc v=3i 3\nnot line protocol\ntc v=4.5 4\ntc v=5i 5\n" > bad.lp
	test_expect_code 1 tsd-write --url "$INFLUX_URL" --db conflicts bad.lp 2> err
	cat err
	grep -q "^tsd-write: bad.lp: line 2: column" err
	grep -q "^tsd-write: bad.lp: line 3: field type conflict: input field \"v\" on measurement \"tc\" is type float, already exists as type integer" err
	grep -q "^tsd-write: 2 points written, 2 lines rejected" err
	tsd-query --url "$INFLUX_URL" --db conflicts --format csv -e "SELECT count(v) FROM tc" | grep -q ",4$"
'

# Batches of 20 lines, two on their way at once: every batch's refusals at
# the input's lines, in the order of one batch at a time (a batch's bad
# lines, then its refusals); exact counts.
test_expect_success 'two batches at once: refusals at the input lines of every batch, in order; exact counts' '
	echo "tcb v=0i 0" | tsd-write --url "$INFLUX_URL" --db conflicts
	awk "BEGIN { for (i = 1; i <= 400; i++) if (i % 50 == 7) print \"tcb v=0.5 \" i; else if (i % 90 == 11) print \"bad line\"; else print \"tcb v=\" i \"i \" i }" > batches.lp
	test_expect_code 1 tsd-write --url "$INFLUX_URL" --db conflicts --batch-size 20 batches.lp 2> err
	sed -n "s/^tsd-write: batches.lp: line \([0-9]*\): .*/\1/p" err | paste -sd " " > named
	echo "11 7 57 101 107 157 191 207 257 281 307 357 371" > want
	test_cmp want named
	test $(grep -c "field type conflict: input field \"v\" on measurement \"tcb\" is type float, already exists as type integer$" err) = 8
	grep -q "^tsd-write: 387 points written, 13 lines rejected$" err
	tsd-query --url "$INFLUX_URL" --db conflicts --format csv -e "SELECT count(v) FROM tcb" | grep -q ",388$"
'

test_expect_success 'influxd killed (-9) and restarted in the middle of a piped tsd-write --url: no batch lost' '
	conf="$TMP/influxd/influxdb.conf"
	mkfifo feed
	tsd-write --url "$INFLUX_URL" --db live --flush-interval 100ms --batch-size 50 < feed 2> live.err &
	writer=$!
	exec 7> feed
	i=0
	emit() { while [ $i -lt $1 ]; do i=$((i + 1)); echo "live,k=a v=${i}i ${i}000000000" >&7; done; }
	emit 200
	for t in $(seq 50); do
		n=$(tsd-query --url "$INFLUX_URL" --db live --format csv -e "SELECT count(v) FROM live" 2>/dev/null | tail -n 1 | cut -d, -f3)
		[ "$n" = 200 ] && break; sleep 0.1
	done
	test "$n" = 200
	kill -9 $INFLUX_PID; wait $INFLUX_PID 2>/dev/null || true
	emit 700     # sent while the server is down: tsd-write retries
	sleep 1.5
	influxd -config "$conf" > "$TMP/influxd/influxd2.log" 2>&1 7>&- &
	INFLUX_PID=$!
	echo "kill -9 $INFLUX_PID 2>/dev/null" > restarted_pid
	emit 1000
	exec 7>&-
	wait $writer
	cat live.err
	n=$(tsd-query --url "$INFLUX_URL" --db live --format csv -e "SELECT count(v), sum(v) FROM live" | tail -n 1)
	echo "$n"
	test "$n" = "live,1970-01-01T00:00:00Z,1000,500500"
'
[ -f "$TMP/restarted_pid" ] && at_exit "$(cat "$TMP/restarted_pid")"

# A recording server: each request's method, path and Authorization header
# on a line of requests.log; the first /write answers 503 with Retry-After: 1.
cat > recorder.py <<'PY'
import http.server, sys
first = [True]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def record(self):
        with open("requests.log", "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path.split("?")[0],
                                    self.headers.get("Authorization", "-")))
    def do_GET(self):
        self.record()
        body = b'{"results":[{"statement_id":0}]}\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_POST_query = do_GET
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.startswith("/query"):
            return self.do_GET()
        self.record()
        if first[0]:
            first[0] = False
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY

test_expect_success 'auth flags: basic auth for --username/--password (and the env), Token for --token; 503 + Retry-After retried' '
	python3 recorder.py > port &
	rec=$!
	for t in $(seq 50); do [ -s port ] && break; sleep 0.1; done
	url=http://127.0.0.1:$(cat port)
	tsd-query --url "$url" --username alice --password s3cret -e "SHOW DATABASES"
	INFLUX_USERNAME=bob INFLUX_PASSWORD=pw tsd-query --url "$url" -e "SHOW DATABASES"
	INFLUX_TOKEN=tok123 tsd-query --url "$url" -e "CREATE DATABASE x"
	start=$(date +%s%N)
	echo "m v=1 1" | tsd-write --url "$url" --db x --token abc
	elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
	kill $rec
	cat requests.log
	basic=$(printf alice:s3cret | base64)
	test "$(sed -n 1p requests.log)" = "GET /query Basic $basic"
	test "$(sed -n 2p requests.log)" = "GET /query Basic $(printf bob:pw | base64)"
	test "$(sed -n 3p requests.log)" = "POST /query Token tok123"
	test "$(sed -n 4p requests.log)" = "POST /write Token abc"
	test "$(sed -n 5p requests.log)" = "POST /write Token abc"
	echo "retried after $elapsed ms"
	test $elapsed -ge 900
'

test_expect_success 'the shell over a pipe prints the same session locally and with --url' '
	cat > session.iql <<-\EOS
	use tsdiff
	SHOW MEASUREMENTS
	SELECT * FROM events LIMIT 3
	precision rfc3339
	SELECT mean(usage_user) FROM cpu WHERE time >= '"'"'2023-03-03T00:00:00Z'"'"' AND time < '"'"'2023-03-03T03:00:00Z'"'"' GROUP BY time(1h), host
	format csv
	SELECT count(*) FROM big; SHOW TAG KEYS FROM cpu
	format json
	SELECT n FROM big LIMIT 2
	SELECT nosuch( FROM big
	EOS
	tsd-query --data d < session.iql > local.txt 2>&1 || true
	tsd-query --url "$INFLUX_URL" < session.iql > remote.txt 2>&1 || true
	test $(wc -l < local.txt) -gt 20
	test_cmp local.txt remote.txt
'

test_expect_success 'the shell: connect to the server, auth, settings' '
	printf "connect 127.0.0.1:%s\nuse tsdiff\nSELECT count(n) FROM big\nauth a b\nsettings\nconnect 127.0.0.1:9\n" "$INFLUX_PORT" |
		tsd-query --data empty > out 2>&1 || true
	cat out
	grep -q "Using database tsdiff" out
	grep -q "big" out
	grep -q "Host.*http://127.0.0.1:$INFLUX_PORT" out
	grep -q "ERR: cannot reach http://127.0.0.1:9/: Connection refused" out
'

test_done
