#!/usr/bin/env bash
# tsd-serve: InfluxDB 1.x's HTTP API over a data directory. The same steps
# against tsd-serve and a real influxd (Debian's influx shell, Python's
# influxdb client, curl) give the same answers; bad requests get influxd's
# codes and bodies; a slow client holds nobody up.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "no influxd (apt-get install influxdb)"
command -v influx > /dev/null || test_skip_all "no influx shell (apt-get install influxdb-client)"
. "$TESTS_DIR/../../scripts/influxd.sh"

cd "$TMP" || exit 1

. "$TESTS_DIR/lib-serve.sh"

influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"
serve_start "$TMP/d" || test_skip_all "tsd-serve did not start"

cat > points.lp <<'EOF'
# DML
# CONTEXT-DATABASE: shop
orders,region=eu-west,shop=paris amount=12.5,qty=3i,paid=true,note="first" 1700000000000000000
orders,region=eu-west,shop=paris amount=7.25,qty=1i,paid=false,note="tab	and, comma" 1700000060000000000
orders,region=eu-west,shop=lyon amount=99.9,qty=10i,paid=true 1700000120000000000
orders,region=us-east,shop=nyc amount=3,qty=2i,paid=true,note="ünïcode 아이유" 1700003600000000000
orders,region=us-east,shop=nyc amount=4.5,qty=5i 1700007200000000000
orders,region=ap\ south,shop=seoul amount=1e-7,qty=-4i 1700000000000000000
stock,shop=paris items=100i 1700000000000000000
stock,shop=nyc items=40i 1700003600000000000
EOF

# The same influx shell steps against a server on port $1.
shell_steps() {
  local p=$1
  sh() { influx -host 127.0.0.1 -port "$p" "$@" 2>&1 | sed "s|^[0-9/]* [0-9:]* ||"; echo "exit ${PIPESTATUS[0]}"; }
  sh -execute 'CREATE DATABASE shop'
  sh -import -path points.lp -precision ns -database shop | grep -v -i 'batch\|processed\|import took'
  sh -database shop -execute "INSERT orders,region=eu-west,shop=lyon amount=3.5,qty=2i 1700000180000000000"
  sh -execute 'SHOW DATABASES'
  sh -database shop -execute 'SHOW MEASUREMENTS'
  sh -database shop -execute 'SHOW SERIES'
  sh -database shop -execute 'SHOW TAG VALUES WITH KEY = region'
  sh -database shop -execute 'SHOW FIELD KEYS'
  sh -database shop -execute 'SELECT * FROM orders'
  sh -database shop -precision rfc3339 -execute 'SELECT * FROM orders GROUP BY shop'
  sh -database shop -format csv -execute "SELECT amount, qty FROM orders WHERE shop = 'paris'"
  sh -database shop -format json -execute 'SELECT mean(amount), sum(qty) FROM orders GROUP BY region'
  sh -database shop -format json -pretty -execute 'SELECT * FROM stock'
  sh -database shop -execute 'SELECT * FRM orders'
  sh -database shop -execute 'SELECT nope FROM nothing; SHOW RETENTION POLICIES'
  sh -database nodb -execute 'INSERT cpu v=1'
}

test_expect_success 'the influx shell: the same steps print the same against influxd and tsd-serve' '
  shell_steps "$INFLUX_PORT" > want.txt &&
  shell_steps "$SERVE_PORT" > got.txt &&
  test $(wc -l < want.txt) -gt 60 &&
  test_cmp want.txt got.txt
'

cat > client.py <<'EOF'
import sys, json
from influxdb import InfluxDBClient
c = InfluxDBClient(host="127.0.0.1", port=int(sys.argv[1]), database="py")
out = []
c.create_database("py")
out.append(sorted(d["name"] for d in c.get_list_database()))
c.write_points([
    {"measurement": "cpu", "tags": {"host": "a"}, "time": 1700000000000000000, "fields": {"v": 1.5, "n": 3}},
    {"measurement": "cpu", "tags": {"host": "b"}, "time": 1700000001000000000, "fields": {"v": 2.5, "n": 4}},
])
c.write_points(["cpu,host=c v=3.5,n=5i 1700000002"], protocol="line", time_precision="s")
out.append(list(c.query("SELECT * FROM cpu").get_points()))
out.append(list(c.query("SELECT v FROM cpu", epoch="ms").get_points()))
out.append(c.query("SELECT mean(v) FROM cpu GROUP BY host").raw)
out.append(list(c.query("SHOW TAG VALUES WITH KEY = host").get_points()))
try:
    c.query("SELECT * FRM cpu")
except Exception as e:
    out.append(["error", type(e).__name__, str(e).strip()])  # influxd answers it msgpack: no newline
try:
    c.write_points(["bad line"], protocol="line")
except Exception as e:
    out.append(["error", type(e).__name__, getattr(e, "code", None)])
c.drop_database("py")
out.append(sorted(d["name"] for d in c.get_list_database()))
for o in out:
    print(json.dumps(o, sort_keys=True))
EOF

test_expect_success 'Python influxdb client: the same answers from influxd and tsd-serve' '
  /usr/bin/python3 -c "import influxdb" || { echo "no python3-influxdb"; exit 1; }
  /usr/bin/python3 client.py "$INFLUX_PORT" > want.py.txt &&
  /usr/bin/python3 client.py "$SERVE_PORT" > got.py.txt &&
  test $(wc -l < want.py.txt) -eq 8 &&
  test_cmp want.py.txt got.py.txt
'

# curl's status code and body, one request against both servers.
both() {
  curl -s -o want.body -w "%{http_code}\n" "${@/URL/$INFLUX_URL}" > want.code
  curl -s -o got.body -w "%{http_code}\n" "${@/URL/$SERVE_URL}" > got.code
  test_cmp want.code got.code && test_cmp want.body got.body
}

both_code() {
  curl -s -o /dev/null -w "%{http_code}\n" "${@/URL/$INFLUX_URL}" > want.code
  curl -s -o /dev/null -w "%{http_code}\n" "${@/URL/$SERVE_URL}" > got.code
  test_cmp want.code got.code
}

test_expect_success 'status codes and bodies as influxd: ping, 404, 405, missing parameters' '
  both URL/ping &&
  test "$(cat got.code)" = 204 &&
  both URL/nope &&
  both URL/write?db=shop &&
  both -XDELETE URL/query?q=SHOW+DATABASES &&
  both -XPOST URL/write --data-binary "cpu v=1" &&
  both -XPOST "URL/write?db=nodb" --data-binary "cpu v=1" &&
  test "$(cat got.code)" = 404 &&
  both -XPOST URL/query &&
  both "URL/query?q=SELECT+*+FRM+x" &&
  test "$(cat got.code)" = 400 &&
  both "URL/query?q=SHOW+DATABASES&db=shop" &&
  both "URL/query?q=SELECT+*+FROM+nothing&db=shop" &&
  both -XPOST "URL/write?db=shop" --data-binary "" &&
  test "$(cat got.code)" = 204
'

test_expect_success 'headers: version, build, request id, content type' '
  curl -s -D h.txt -o /dev/null "$SERVE_URL/query?q=SHOW+DATABASES" &&
  grep -q "^X-Influxdb-Version: 1\.6\.7" h.txt &&
  grep -q "^X-Influxdb-Build: OSS" h.txt &&
  grep -q "^Request-Id: [0-9a-f-]\{36\}" h.txt &&
  grep -q "^Content-Type: application/json" h.txt &&
  curl -s -D h.txt -o /dev/null -XPOST "$SERVE_URL/write?db=nodb" &&
  grep -q "^X-Influxdb-Error: database not found: \"nodb\"" h.txt
'

test_expect_success 'a kept-alive connection serves every request it sends, as influxd'"'"'s does' '
  python3 - "$INFLUX_PORT" "${SERVE_URL##*:}" <<-EOF
	import http.client, sys
	for port in sys.argv[1:]:
	    c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
	    c.connect()
	    sock = c.sock
	    for k in range(30):
	        c.request("GET", "/ping")
	        r = c.getresponse()
	        r.read()
	        assert r.status == 204, (port, r.status)
	        assert r.getheader("Connection", "").lower() != "close", (port, k)
	        assert c.sock is sock, "port %s: reconnected at request %d" % (port, k)
	EOF
'

test_expect_success 'a malformed line: 400; good lines beside it are written (partial write)' '
  curl -s -o /dev/null -XPOST "$INFLUX_URL/query" --data-urlencode "q=CREATE DATABASE bad" &&
  curl -s -o /dev/null -XPOST "$SERVE_URL/query" --data-urlencode "q=CREATE DATABASE bad" &&
  printf "m v=1 1\nm v=\n\nm v=3 3\n" > mixed.lp &&
  curl -s -o got -w "%{http_code}" -XPOST "$SERVE_URL/write?db=bad" --data-binary @mixed.lp > code &&
  test "$(cat code)" = 400 &&
  grep -q "^{\"error\":\"partial write: unable to parse '"'"'m v='"'"': .* dropped=0\"}$" got &&
  curl -s -o got -w "%{http_code}" -XPOST "$SERVE_URL/write?db=bad" --data-binary "m v=" > code &&
  test "$(cat code)" = 400 &&
  grep -q "^{\"error\":\"unable to parse '"'"'m v='"'"': .*\"}$" got &&
  both_code -XPOST "URL/write?db=bad" --data-binary @mixed.lp &&
  both "URL/query?db=bad&q=SELECT+*+FROM+m"
'

test_expect_success 'GET runs statements that write, with influxd 1.6 warning' '
  curl -s "$SERVE_URL/query?q=CREATE+DATABASE+viaget" > got &&
  grep -q "deprecated use of .* in a read only context, please use a POST request instead" got &&
  curl -s "$SERVE_URL/query?q=SHOW+DATABASES" | grep -q viaget
'

test_expect_success 'gzip bodies (Content-Encoding: gzip); a broken one is 400' '
  printf "gz,host=a v=1 1700000000000000000\ngz,host=b v=2 1700000000000000000\n" | gzip > body.gz &&
  both -XPOST "URL/write?db=shop" -H "Content-Encoding: gzip" --data-binary @body.gz &&
  test "$(cat got.code)" = 204 &&
  both "URL/query?db=shop&q=SELECT+*+FROM+gz" &&
  grep -q "\"b\",2" got.body &&
  curl -s -o /dev/null -w "%{http_code}" -XPOST "$SERVE_URL/write?db=shop" \
    -H "Content-Encoding: gzip" --data-binary "not gzip" > code &&
  test "$(cat code)" = 400
'

test_expect_success '/api/v2/write: bucket db/rp, precision' '
  curl -s -o /dev/null -XPOST "$SERVE_URL/query" --data-urlencode "q=CREATE DATABASE v2db" &&
  curl -s -w "%{http_code}" -XPOST "$SERVE_URL/api/v2/write?org=x&bucket=v2db/autogen&precision=s" \
    -H "Authorization: Token whatever" --data-binary "v2 v=7 1700000000" > code &&
  test "$(cat code)" = 204 &&
  curl -s "$SERVE_URL/query?db=v2db&q=SELECT+v+FROM+v2&epoch=s" > got &&
  grep -q "\[1700000000,7\]" got &&
  curl -s -w "%{http_code}" -XPOST "$SERVE_URL/api/v2/write?bucket=v2db&precision=h" --data-binary "v2 v=1" > code &&
  grep -q "400$" code
'

test_expect_success 'chunked queries stream as influxd streams them; epoch, pretty, CSV' '
  both "URL/query?db=shop&chunked=true&chunk_size=2&q=SELECT+*+FROM+orders+GROUP+BY+region%3BSHOW+MEASUREMENTS" &&
  test $(wc -l < got.body) -ge 4 &&
  both "URL/query?db=shop&chunked=true&q=SELECT+*+FROM+orders" &&
  both "URL/query?db=shop&epoch=ms&q=SELECT+*+FROM+orders" &&
  both "URL/query?db=shop&pretty=true&q=SELECT+*+FROM+stock" &&
  both -H "Accept: application/csv" "URL/query?db=shop&q=SELECT+*+FROM+orders+GROUP+BY+region%3BSHOW+MEASUREMENTS" &&
  both -H "Accept: application/csv" "URL/query?db=shop&epoch=s&q=SELECT+*+FROM+stock"
'

test_expect_success 'tsd-collect with [[outputs.influxdb]] pointing at tsd-serve stores what it collects' '
  cat > collect.conf <<-EOF &&
	[agent]
	  interval = "1s"
	  flush_interval = "1s"
	[[inputs.mem]]
	[[outputs.influxdb]]
	  urls = ["$SERVE_URL"]
	  database = "collected"
	EOF
  { timeout 4 tsd-collect --config collect.conf 2> collect.err || true; } &&
  curl -s "$SERVE_URL/query" --data-urlencode "q=SHOW DATABASES" | grep -q "\"collected\"" &&
  curl -s "$SERVE_URL/query?db=collected" --data-urlencode "q=SELECT count(used_percent) FROM mem" > got &&
  n=$(python3 -c "import json,sys; print(json.load(open(\"got\"))[\"results\"][0][\"series\"][0][\"values\"][0][1])") &&
  test "$n" -ge 2
'

test_expect_success '1,000 idle and slow connections do not keep a good client waiting' '
  python3 - "${SERVE_URL##*:}" <<-EOF
	import socket, sys, time, urllib.request
	port = int(sys.argv[1])
	socks = []
	for i in range(1000):
	    s = socket.socket(); s.connect(("127.0.0.1", port)); socks.append(s)
	for s in socks[:300]:  # half a request, then nothing (slowloris)
	    s.send(b"POST /write?db=x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 100\\r\\n\\r\\nm v=")
	t0 = time.time()
	for i in range(5):
	    urllib.request.urlopen("http://127.0.0.1:%d/ping" % port, timeout=10).read()
	took = time.time() - t0
	print("5 pings beside them in %.3f s" % took)
	sys.exit(0 if took < 2 else 1)
	EOF
'

test_expect_success 'a body over --max-body: 413 (100 MB)' '
  head -c 100000000 /dev/zero | tr "\0" "x" > big.txt &&
  curl -s -w " %{http_code}" -XPOST "$SERVE_URL/write?db=shop" --data-binary @big.txt > got &&
  test "$(cat got)" = "{\"error\":\"Request Entity Too Large\"}
 413" &&
  curl -sf -o /dev/null "$SERVE_URL/ping"
'

test_expect_success 'a slow client (half a request) does not hold up others' '
  python3 - "$SERVE_PORT" <<-EOF &
	import socket, sys, time
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	s.sendall(b"POST /write?db=shop HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ncpu v=")
	time.sleep(4)
	EOF
  slow=$! &&
  sleep 0.3 &&
  start=$(date +%s%N) &&
  curl -s -m 2 -o /dev/null -w "%{http_code}" "$SERVE_URL/query?q=SHOW+DATABASES" > code &&
  test "$(cat code)" = 200 &&
  curl -s -m 2 -o /dev/null -w "%{http_code}" -XPOST "$SERVE_URL/write?db=shop" --data-binary "fast v=1" > code &&
  test "$(cat code)" = 204 &&
  test $(( ($(date +%s%N) - start) / 1000000 )) -lt 1500 &&
  wait $slow
'

test_expect_success 'writes from many clients at once: every point stored' '
  for c in $(seq 0 7); do
    for i in $(seq 0 49); do echo "conc,c=$c v=$i $((1700000000 + i))"; done > conc$c.lp
    curl -s -o /dev/null -w "%{http_code}\n" -XPOST "$SERVE_URL/write?db=shop&precision=s" \
      --data-binary @conc$c.lp > code$c &
  done &&
  wait &&
  cat code? | sort | uniq -c > codes &&
  grep -q " 8 204" codes &&
  curl -s "$SERVE_URL/query?db=shop&q=SELECT+count(v)+FROM+conc" > got &&
  grep -q ",400\]" got
'

test_expect_success 'a non-loopback --bind without --auth is refused (t8002 has the rest): exit 2' '
  test_expect_code 2 tsd-serve --data d2 --bind 0.0.0.0:8086 2> err &&
  grep -q "needs --auth" err &&
  test_expect_code 2 tsd-serve --data d2 --bind 127.0.0.1:99999
'

# Bound parameters: the same query, params= and answers as influxd's.
params_steps() {
  local U=$1
  q() { curl -s "$@"; echo; }
  curl -s -XPOST "$U/query" --data-urlencode "q=CREATE DATABASE p" > /dev/null
  curl -s -XPOST "$U/write?db=p" --data-binary 'cpu,host=a v=1,n=1i,s="x",b=true 1000000000
cpu,host=b v=2.5,n=2i,s="y",b=false 2000000000
cpu,host=a v=3,n=3i,s="z",b=true 3000000000'
  for qp in 'SELECT * FROM cpu WHERE host = $h#{"h":"a"}' \
    'SELECT * FROM cpu WHERE v > $v AND n < $n#{"v":1.5,"n":3}' \
    'SELECT * FROM cpu WHERE b = $b#{"b":true}' \
    'SELECT * FROM cpu WHERE time > $t#{"t":"1970-01-01T00:00:01Z"}' \
    'SELECT * FROM cpu WHERE host = $h#{"x":"a"}' \
    'SELECT * FROM cpu WHERE host = $h#[1,2]' \
    'SELECT * FROM cpu WHERE host = $h#{"h":null}' \
    'SELECT * FROM cpu LIMIT $l#{"l":1}' \
    'SELECT * FROM cpu WHERE v > $v#{"v":-1}' \
    'SELECT count(v) FROM cpu WHERE s =~ /x|y/ AND v = $v#{"v":2.5e0}'; do
    q "$U/query" --data-urlencode db=p --data-urlencode "q=${qp%%#*}" --data-urlencode "params=${qp#*#}"
  done
  q "$U/query" --data-urlencode db=p --data-urlencode 'q=SELECT * FROM cpu WHERE host = $h'
}

test_expect_success 'bound parameters (params=): the answers of influxd' '
  params_steps "$INFLUX_URL" > want &&
  params_steps "$SERVE_URL" > got &&
  test_cmp want got
'

# The connection layer under httplib (serve/http.h): requests sent ahead
# are all answered, in order; "100 Continue" goes out before the body is
# read (curl told to wait 30 s for it, for at most 10 s in all).
test_expect_success 'pipelined requests are answered in order; Expect: 100-continue is answered at once' '
  python3 - "$SERVE_PORT" > pipelined <<-EOF &&
	import socket, sys
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
	s.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"
	          b"GET /query?q=SHOW+DATABASES HTTP/1.1\r\nHost: x\r\n\r\n"
	          b"GET /ping?verbose=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	got = b""
	while True:
	    d = s.recv(65536)
	    if not d: break
	    got += d
	for line in got.decode().splitlines():
	    if line.startswith(("HTTP/1.1", "{")): print(line[:64])
	EOF
  cat > want <<-\EOF &&
	HTTP/1.1 204 No Content
	HTTP/1.1 200 OK
	{"results":[{"statement_id":0,"series":[{"name":"databases","col
	HTTP/1.1 200 OK
	{"version":"1.6.7"}
	EOF
  test_cmp want pipelined &&
  seq 1 1000 | sed "s/.*/expect v=& &000000000/" > expect.lp &&
  curl -s -m 10 --expect100-timeout 30 -H "Expect: 100-continue" -w "%{http_code}" \
    -XPOST "$SERVE_URL/write?db=shop" --data-binary @expect.lp > code &&
  test "$(cat code)" = 204 &&
  curl -s "$SERVE_URL/query?db=shop" --data-urlencode "q=SELECT count(v) FROM expect" | grep -q ",1000\]"
'

test_expect_success 'SIGTERM stops the server cleanly, idle connections open' '
  python3 - "$SERVE_PORT" <<-EOF &
	import socket, sys, time
	socks = []
	for i in range(20):
	    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	    s.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"); s.recv(4096); socks.append(s)
	time.sleep(6)
	EOF
  idle=$! &&
  sleep 0.5 &&
  kill "$SERVE_PID" &&
  for i in $(seq 1 50); do kill -0 "$SERVE_PID" 2> /dev/null || break; sleep 0.1; done &&
  ! kill -0 "$SERVE_PID" 2> /dev/null &&
  { kill "$idle"; wait "$idle"; } 2> /dev/null || true
  test ! -s serve.err
'

# A query process opens files read-only (one query, known beforehand not
# to write); a server that reads a shard first must still write to it.
test_expect_success 'a server that queried a shard first writes to it, and reads it back' '
  echo "m v=1 1000000000" | tsd-write --data qw --db d 2> /dev/null &&
  test "$(tsd-query --data qw --db d --format csv --precision ns -e "SELECT v FROM m")" = "name,time,v
m,1000000000,1" &&
  serve_start qw &&
  curl -s "$SERVE_URL/query?db=d" --data-urlencode "q=SELECT v FROM m" > before.json &&
  test "$(curl -s -o /dev/null -w "%{http_code}" -XPOST "$SERVE_URL/write?db=d" --data-binary "m v=2 1000000001")" = 204 &&
  curl -s "$SERVE_URL/query?db=d&epoch=ns" --data-urlencode "q=SELECT v FROM m" > after.json &&
  grep -q "\[1000000001,2\]" after.json &&
  serve_stop
'

test_done
