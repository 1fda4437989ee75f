#!/usr/bin/env bash
# tsd-serve --auth: users, privileges and credentials as influxd's
# auth-enabled = true. The same requests against tsd-serve and a real
# influxd with authentication give the same status codes, challenges and
# bodies; the influx shell, Python's client and tsd-query --url log in;
# an address other than loopback needs --auth and an admin user.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "no influxd (apt-get install influxdb)"
. "$TESTS_DIR/../../scripts/influxd.sh"

cd "$TMP" || exit 1

. "$TESTS_DIR/lib-serve.sh"

INFLUXD_AUTH=1 influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"
serve_start "$TMP/d" --auth || test_skip_all "tsd-serve did not start"

# One request: its status, the headers that carry meaning, the body (SHOW
# GRANTS sorted: influxd lists them in Go's random map order).
req() {
  curl -s -i "$@" | tr -d '\r' |
    grep -i '^HTTP/\|^Www-Authenticate\|^X-Influxdb-Error\|^{' | sed 's/^HTTP\/1.1 //' |
    while IFS= read -r line; do
      case $line in
        *'"columns":["database","privilege"],"values"'*)
          jq -c '.results[0].series[0].values |= sort' <<< "$line" ;;
        *) printf '%s\n' "$line" ;;
      esac
    done
}

# The same steps against the server at $1 (influxd 1.6 has no Token
# scheme: the steps send Basic and u/p).
auth_steps() {
  local U=$1 A="-u admin:secret" B="-u bob:pw"
  req "$U/query?q=SHOW+DATABASES"
  req -XPOST "$U/query" --data-urlencode "q=CREATE USER bob WITH PASSWORD 'pw'"
  req -XPOST "$U/write?db=db1" --data-binary "cpu v=1"
  req -XPOST "$U/query" --data-urlencode "q=CREATE USER admin WITH PASSWORD 'secret' WITH ALL PRIVILEGES"
  req "$U/query?q=SHOW+DATABASES"
  req "$U/query?q=SHOW+DATABASES&u=admin&p=bad"
  req "$U/query?q=SHOW+DATABASES&u=nobody&p=bad"
  req "$U/query?q=SHOW+DATABASES&u=admin"
  req -H "Authorization: Basic !!!" "$U/query?q=SHOW+DATABASES"
  req -H "Authorization: Bearer x.y.z" "$U/query?q=SHOW+DATABASES"
  req -u ":secret" "$U/query?q=SHOW+DATABASES"
  req "$U/query?q=SHOW+USERS&u=admin&p=secret" -u admin:bad
  req "$U/query?q=SHOW+USERS&u=admin&p=bad" -u admin:secret
  req $A -XPOST "$U/query" --data-urlencode "q=CREATE USER bob WITH PASSWORD 'pw'; CREATE DATABASE db1; CREATE DATABASE db2; CREATE DATABASE db3; GRANT READ ON db1 TO bob; GRANT WRITE ON db2 TO bob"
  req $A "$U/query" --data-urlencode "q=SHOW USERS"
  req $A "$U/query" --data-urlencode "q=SHOW GRANTS FOR bob"
  req $A "$U/query" --data-urlencode "q=SHOW GRANTS FOR nobody"
  req $B "$U/query" --data-urlencode "q=SHOW DATABASES"
  req $B "$U/query" --data-urlencode "q=SHOW USERS"
  req $B "$U/query" --data-urlencode "q=SELECT * FROM cpu" --data-urlencode db=db1
  req $B "$U/query" --data-urlencode "q=SELECT * FROM cpu" --data-urlencode db=db2
  req $B "$U/query" --data-urlencode "q=SELECT * FROM cpu"
  req $B "$U/query" --data-urlencode "q=SHOW MEASUREMENTS" --data-urlencode db=db2
  req $B "$U/query" --data-urlencode "q=SHOW RETENTION POLICIES ON db1"
  req $B "$U/query" --data-urlencode "q=SHOW CONTINUOUS QUERIES"
  req $B "$U/query" --data-urlencode 'q=SELECT * FROM "my cpu" WHERE time > now() - 1h' --data-urlencode db=db2
  req $B -XPOST "$U/query" --data-urlencode "q=CREATE DATABASE x"
  req $B -XPOST "$U/query" --data-urlencode "q=SET PASSWORD FOR bob = 'new'"
  req $B -XPOST "$U/query" --data-urlencode "q=DROP SERIES FROM cpu" --data-urlencode db=db1
  req $B -XPOST "$U/query" --data-urlencode "q=DELETE FROM cpu" --data-urlencode db=db2
  req $B -XPOST "$U/write?db=db1" --data-binary "cpu v=1"
  req $B -XPOST "$U/write?db=db2" --data-binary "cpu v=1 1000000000"
  req $B -XPOST "$U/write?db=nodb" --data-binary "cpu v=1"
  req -XPOST "$U/write?db=db2" --data-binary "cpu v=1"
  req -u bob:bad -XPOST "$U/write?db=db2" --data-binary "cpu v=1"
  req $B "$U/query" --data-urlencode "q=SELECT * FROM db2..cpu" --data-urlencode db=db1
  req $B "$U/query" --data-urlencode "q=SELECT * INTO db2..x FROM cpu" --data-urlencode db=db1
  req $A -XPOST "$U/query" --data-urlencode "q=REVOKE WRITE ON db2 FROM bob; GRANT ALL ON db1 TO bob; SET PASSWORD FOR bob = 'pw2'"
  req $A "$U/query" --data-urlencode "q=SHOW GRANTS FOR bob"
  req $B "$U/query" --data-urlencode "q=SHOW DATABASES"
  req -u bob:pw2 "$U/query" --data-urlencode "q=SHOW DATABASES"
  req -u bob:pw2 "$U/query" --data-urlencode "q=SELECT * FROM db2..cpu"
  req $A -XPOST "$U/query" --data-urlencode "q=DROP DATABASE db1; CREATE DATABASE db1"
  req $A "$U/query" --data-urlencode "q=SHOW GRANTS FOR bob"
  req $A -XPOST "$U/query" --data-urlencode "q=GRANT ALL PRIVILEGES TO bob"
  req -u bob:pw2 "$U/query" --data-urlencode "q=SHOW USERS"
  req $A -XPOST "$U/query" --data-urlencode "q=REVOKE ALL PRIVILEGES FROM bob; DROP USER bob; DROP USER bob"
  req $A -XPOST "$U/query" --data-urlencode "q=CREATE USER admin WITH PASSWORD 'x'"
  req $A -XPOST "$U/query" --data-urlencode 'q=CREATE USER "" WITH PASSWORD '"'x'"
  req $A -XPOST "$U/query" --data-urlencode "q=GRANT READ ON nodb TO nouser"
  req "$U/ping?u=admin&p=bad"
  req -XPOST "$U/query" --data-urlencode "q=DROP USER admin" -u admin:secret
  req "$U/query?q=SHOW+USERS" -u admin:secret
}

test_expect_success 'the same requests: the same codes, challenges and bodies as influxd' '
  auth_steps "$INFLUX_URL" > want &&
  auth_steps "$SERVE_URL" > got &&
  test_cmp want got
'

test_expect_success 'passwords are stored as Argon2id hashes, never as given' '
  tsd-query --data d -e "CREATE USER carol WITH PASSWORD '"'"'Pa55-w0rd'"'"' WITH ALL PRIVILEGES"
  ! grep -rqa "Pa55-w0rd" d
  test "$(sqlite3 d/meta.db "SELECT substr(hash, 1, 10) FROM users WHERE name = '"'"'carol'"'"'")" = "\$argon2id\$"
'

test_expect_success 'Token user:password (InfluxDB 1.8, --token) and /api/v2/write' '
  test "$(req -H "Authorization: Token carol:Pa55-w0rd" "$SERVE_URL/query?q=SHOW+USERS")" = "200 OK
{\"results\":[{\"statement_id\":0,\"series\":[{\"columns\":[\"user\",\"admin\"],\"values\":[[\"carol\",true]]}]}]}"
  tsd-query --data d -e "CREATE DATABASE v2; CREATE USER w WITH PASSWORD '"'"'w'"'"'; GRANT WRITE ON v2 TO w"
  test "$(req -H "Authorization: Token w:w" -XPOST "$SERVE_URL/api/v2/write?bucket=v2" --data-binary "m v=1 1")" = "204 No Content"
  test "$(req -H "Authorization: Token w:bad" -XPOST "$SERVE_URL/api/v2/write?bucket=v2" --data-binary "m v=1 1")" = "401 Unauthorized
Www-Authenticate: Basic realm=\"InfluxDB\"
{\"error\":\"authorization failed\"}"
'

test_expect_success 'tsd-query --url with --username/--password, and INFLUX_USERNAME/INFLUX_PASSWORD' '
  rc=0; tsd-query --url "$SERVE_URL" -e "SHOW DATABASES" > out 2> err || rc=$?
  test $rc -eq 1
  grep -q "unable to parse authentication credentials" err
  tsd-query --url "$SERVE_URL" --username carol --password Pa55-w0rd -e "SELECT v FROM m" --db v2 \
    --format csv --precision ns > out
  test "$(cat out)" = "name,time,v
m,1,1"
  INFLUX_USERNAME=w INFLUX_PASSWORD=w tsd-write --url "$SERVE_URL" --db v2 <<< "m v=2 2"
  test "$(tsd-query --data d --db v2 -e "SELECT count(v) FROM m" --format csv --precision ns | tail -1)" = "m,0,2"
  rc=0; INFLUX_USERNAME=w INFLUX_PASSWORD=w tsd-query --url "$SERVE_URL" --db v2 -e "SELECT v FROM m" > out 2> err || rc=$?
  test $rc -eq 1
  grep -q "w not authorized to execute statement .SELECT v FROM m., requires READ on v2" err
  rc=0; INFLUX_USERNAME=w INFLUX_PASSWORD=bad tsd-write --url "$SERVE_URL" --db v2 <<< "m v=3 3" 2> err || rc=$?
  test $rc -eq 1
  grep -q "authorization failed" err
'

test_expect_success 'the influx shell and Python client log in' '
  if command -v influx > /dev/null; then
    influx -host 127.0.0.1 -port "$SERVE_PORT" -username carol -password Pa55-w0rd -database v2 \
      -execute "SELECT count(v) FROM m" > out
    grep -q "^0 *2$" out
    rc=0; influx -host 127.0.0.1 -port "$SERVE_PORT" -username carol -password nope \
      -execute "SHOW DATABASES" > out 2>&1 || rc=$?
    test $rc -eq 1
    grep -q "authorization failed" out
  fi
  /usr/bin/python3 -c "import influxdb" || { echo "no python3-influxdb"; exit 1; }
  /usr/bin/python3 - "$SERVE_PORT" > out <<-EOF
	import sys
	from influxdb import InfluxDBClient
	c = InfluxDBClient("127.0.0.1", int(sys.argv[1]), "carol", "Pa55-w0rd", "v2")
	print(sorted(u["user"] for u in c.get_list_users()))
	print([p["count"] for p in c.query("SELECT count(v) FROM m").get_points()])
	EOF
  test "$(cat out)" = "[$(printf "%s" "'"'"'carol'"'"', '"'"'w'"'"'")]
[2]"
'

test_expect_success 'an address other than loopback needs --auth, and an admin user' '
  test_expect_code 2 tsd-serve --data d2 --bind 0.0.0.0:0 2> err
  grep -q "needs --auth" err
  test_expect_code 1 tsd-serve --data d2 --auth --bind 0.0.0.0:0 2> err
  grep -q "no admin user yet; create one first" err
'

test_done
