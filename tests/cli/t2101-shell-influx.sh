#!/usr/bin/env bash
# tsd-query's shell on a pipe against Debian's influx shell (influxdb-client)
# connected to a real influxd holding the same points: the same session
# (use, format column/csv/json, precision, pretty, insert, SHOW and SELECT)
# prints the same lines; so does each bad statement (one influx -execute
# each, as it stops at the first error) and each bad command.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "no influxd (apt-get install influxdb)"
command -v influx > /dev/null || test_skip_all "no influx shell (apt-get install influxdb-client)"

cd "$TMP" || exit 1
cat > points.lp <<'EOF'
orders,region=eu-west,shop=paris amount=12.5,qty=3i,paid=true,note="first" 1700000000000000000
orders,region=eu-west,shop=paris amount=7.25,qty=1i,paid=false,note="tab	and, comma" 1700000060000000000
orders,region=eu-west,shop=lyon amount=99.9,qty=10i,paid=true 1700000120000000000
orders,region=us-east,shop=nyc amount=3,qty=2i,paid=true,note="ünïcode 아이유" 1700003600000000000
orders,region=us-east,shop=nyc amount=4.5,qty=5i 1700007200000000000
orders,region=ap\ south,shop=seoul amount=1e-7,qty=-4i 1700000000000000000
stock,shop=paris items=100i 1700000000000000000
stock,shop=nyc items=40i 1700003600000000000
EOF

influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"
curl -sS -XPOST "$INFLUX_URL/query" --data-urlencode 'q=CREATE DATABASE shop' > /dev/null
influx_write shop points.lp > /dev/null
tsd-write --data d --db shop points.lp 2> /dev/null

influx_run() { influx -host 127.0.0.1 -port "$INFLUX_PORT" -execute "$(cat "$1")"; }
tsd_run() { tsd-query --data d < "$1"; }

cat > session.iql <<'EOF'
use shop
SHOW MEASUREMENTS
SELECT * FROM orders
SELECT amount, qty FROM orders WHERE shop = 'paris'
precision rfc3339
SELECT mean(amount), sum(qty) FROM orders WHERE time >= '2023-11-14T22:00:00Z' AND time < '2023-11-15T02:00:00Z' GROUP BY time(1h), region fill(none)
SELECT * FROM orders GROUP BY shop
format csv
SELECT * FROM orders WHERE region =~ /eu/
SHOW TAG VALUES WITH KEY = region
SHOW FIELD KEYS
insert orders,region=eu-west,shop=lyon amount=3.5,qty=2i 1700000180000000000
SELECT count(*) FROM orders
precision s
format column
SELECT * FROM orders LIMIT 3
SELECT * FROM orders; SELECT max(amount) FROM orders GROUP BY region
SHOW SERIES; SHOW SERIES
SELECT * FROM stock, orders WHERE shop = 'nyc'
insert into autogen stock,shop=lyon items=7i 1700000300
precision ms
SELECT * FROM stock
format json
SELECT last(amount) FROM orders GROUP BY region
SELECT * FROM nothing; SHOW DATABASES
pretty
SELECT first(amount), last(note) FROM orders
format csv
SELECT max(total) FROM (SELECT sum(amount) AS total FROM orders GROUP BY region)
EOF

test_expect_success 'a session prints what the influx shell prints, line for line' '
  influx_run session.iql > want.txt 2>&1 &&
  tsd_run session.iql > got.txt &&
  test $(wc -l < want.txt) -gt 100 &&
  test_cmp want.txt got.txt
'

# One bad statement after `use shop`: the influx shell stops there (exit 1).
cat > bad.txt <<'EOF'
SELECT * FRM orders
SELECT fooo(amount) FROM orders
SELECT * FROM orders; SELECT fooo(amount) FROM orders; SELECT * FROM stock
SELECT amount FROM orders GROUP BY time(1h)
SELECT * FROM orders WHERE shop =~ /(/
SELECT max(amount, 1) FROM orders
SELECT * FROM nodb..orders
SHOW FOO
SELECT * FROM orders WHERE time > 
EOF
test_expect_success 'bad statements: the same ERR lines, the shell goes on (exit 1)' '
  status=0
  while IFS= read -r q; do
    printf "use shop\n%s\n" "$q" > one.iql
    influx_run one.iql > want.txt 2> /dev/null || true
    rc=0; tsd_run one.iql > got.txt || rc=$?
    test_cmp want.txt got.txt || status=1
    test $rc -eq 1 || { echo "exit $rc for $q"; status=1; }
  done < bad.txt
  test $status -eq 0
'

cat > commands.iql <<'EOF'
use nodb
use "shop"."autogen"
use "shop"."nope"
clear rp
format xml
precision fortnight
insert orders v=
insert into nope orders v=1
insert orders,shop=x amount="text"
clear
clear db
insert orders v=1
pretty
pretty
chunked
chunked
chunk size 10
EOF
test_expect_success 'shell commands and their complaints, as the influx shell words them' '
  influx_run commands.iql > want.txt 2>&1 || true
  tsd_run commands.iql > got.txt || true
  # Our parser words bad line protocol its own way (the position, what was
  # expected): compare everything but that reason.
  sed -i "s/\(unable to parse .orders v=.\): .*}\$/\1: REASON/" want.txt got.txt
  test_cmp want.txt got.txt
'

test_expect_success 'on a pipe: no prompt, exit 0 when every statement ran, 1 when one failed' '
  printf "use shop\nSELECT count(items) FROM stock\n" | tsd-query --data d > out &&
  ! grep -q "^> " out &&
  grep -qx "Using database shop" out &&
  printf "use shop\nSELECT nope(items) FROM stock\nSHOW MEASUREMENTS\n" > two.iql &&
  rc=0; tsd-query --data d < two.iql > out || rc=$?
  test $rc -eq 1 && grep -qx "ERR: undefined function nope()" out && grep -qx "stock" out
'

test_expect_success '-e still prints one /query JSON document' '
  rc=0; tsd-query --data d --db shop --format json -e "SELECT count(items) FROM stock; SELECT nope(x) FROM stock" > out || rc=$?
  test $rc -eq 1 &&
  test "$(cat out)" = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"stock\",\"columns\":[\"time\",\"count\"],\"values\":[[\"1970-01-01T00:00:00Z\",3]]}]},{\"statement_id\":1,\"error\":\"undefined function nope()\"}]}"
'

test_expect_success 'help names the commands the SHELL section of tsd-query(1) describes' '
  printf "help\n" | tsd-query --data d > help.txt &&
  sed -n "/^\.SH SHELL/,/^\.SH EXIT/p" "$ROOT/man/tsd-query.1" > shell.man &&
  words=$(sed -n "s/^        \([a-z][a-z]*\).*/\1/p" help.txt | sort -u) &&
  test $(echo "$words" | wc -l) -ge 12 &&
  for w in $words; do
    case $w in show|every|tab) continue ;; esac
    grep -q "$w" shell.man || { echo "not in the man page: $w"; exit 1; }
  done
'

test_done
