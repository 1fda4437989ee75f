#!/usr/bin/env bash
# InfluxQL administration end to end: CREATE DATABASE and RETENTION POLICY,
# writes into two RPs (tsd-write --rp), then DROP SERIES, DELETE with a time
# range, DROP MEASUREMENT and DROP DATABASE, each run by one tsd-query and
# checked by others (the change is durable and every process sees it; one
# process also reads its own delete). The expected JSON bodies are influxd
# 1.6.7's answers to the same statements over the same points.
. "$(dirname "$0")/lib.sh"

# check FILE: FILE holds a statement and the answer expected, line by line;
# each statement runs in its own tsd-query process (database adm), which
# must print that answer and exit 1 when it holds an error, else 0.
check() {
  local q want got rc status=0
  while IFS= read -r q && IFS= read -r want; do
    rc=0
    got=$(tsd-query --data "$TMP/d" --db adm --format json -e "$q") || rc=$?
    case $want in *'"error"'*) want_rc=1 ;; *) want_rc=0 ;; esac
    if [ "$got" != "$want" ] || [ "$rc" != "$want_rc" ]; then
      printf '%s\n  want (exit %s) %s\n  got  (exit %s) %s\n' "$q" "$want_rc" "$want" "$rc" "$got"
      status=1
    fi
  done < "$1"
  return $status
}

cd "$TMP" || exit 1
cat > points.lp <<'EOF'
m1,host=h1,dc=x v=1,n=1i 1678060800000000000
m1,host=h1,dc=x v=2,n=2i 1678147200000000000
m1,host=h2,dc=y v=3 1678060800000000000
m1,host=h2,dc=y v=4 1678233600000000000
m1,host=h3 v=5 1678147200000000000
m2,host=h1 u=1 1678060800000000000
EOF
sed 's/ v=\([0-9]\)/ v=1\1/' points.lp > points-two.lp
cat > create <<'EOF'
CREATE DATABASE adm
{"results":[{"statement_id":0}]}
CREATE RETENTION POLICY two ON adm DURATION INF REPLICATION 1 SHARD DURATION 1d
{"results":[{"statement_id":0}]}
SHOW RETENTION POLICIES ON adm
{"results":[{"statement_id":0,"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","168h0m0s",1,true],["two","0s","24h0m0s",1,false]]}]}]}
EOF
cat > written <<'EOF'
SHOW SERIES ON adm
{"results":[{"statement_id":0,"series":[{"columns":["key"],"values":[["m1,dc=x,host=h1"],["m1,dc=y,host=h2"],["m1,host=h3"],["m2,host=h1"]]}]}]}
SELECT count(v) FROM adm.two.m1 GROUP BY host
{"results":[{"statement_id":0,"series":[{"name":"m1","tags":{"host":"h1"},"columns":["time","count"],"values":[["1970-01-01T00:00:00Z",2]]},{"name":"m1","tags":{"host":"h2"},"columns":["time","count"],"values":[["1970-01-01T00:00:00Z",2]]},{"name":"m1","tags":{"host":"h3"},"columns":["time","count"],"values":[["1970-01-01T00:00:00Z",1]]}]}]}
EOF
cat > dropseries <<'EOF'
DROP SERIES FROM m1 WHERE time > 0
{"results":[{"statement_id":0,"error":"DROP SERIES doesn't support time in WHERE clause"}]}
DROP SERIES FROM m1 WHERE host = 'h1'
{"results":[{"statement_id":0}]}
EOF
cat > afterdropseries <<'EOF'
SHOW SERIES
{"results":[{"statement_id":0,"series":[{"columns":["key"],"values":[["m1,dc=y,host=h2"],["m1,host=h3"],["m2,host=h1"]]}]}]}
SELECT * FROM two.m1
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["time","dc","host","n","v"],"values":[["2023-03-06T00:00:00Z","y","h2",null,13],["2023-03-07T00:00:00Z",null,"h3",null,15],["2023-03-08T00:00:00Z","y","h2",null,14]]}]}]}
SHOW TAG VALUES WITH KEY = host
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["key","value"],"values":[["host","h2"],["host","h3"]]},{"name":"m2","columns":["key","value"],"values":[["host","h1"]]}]}]}
EOF
cat > delete <<'EOF'
DELETE FROM m1 WHERE time >= '2023-03-07T00:00:00Z' AND time < '2023-03-08T00:00:00Z'
{"results":[{"statement_id":0}]}
EOF
cat > afterdelete <<'EOF'
SELECT * FROM m1
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["time","dc","host","n","v"],"values":[["2023-03-06T00:00:00Z","y","h2",null,3],["2023-03-08T00:00:00Z","y","h2",null,4]]}]}]}
SELECT * FROM two.m1
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["time","dc","host","n","v"],"values":[["2023-03-06T00:00:00Z","y","h2",null,13],["2023-03-08T00:00:00Z","y","h2",null,14]]}]}]}
SHOW SERIES
{"results":[{"statement_id":0,"series":[{"columns":["key"],"values":[["m1,dc=y,host=h2"],["m2,host=h1"]]}]}]}
EOF
cat > dropmeasurement <<'EOF'
DROP MEASUREMENT m2
{"results":[{"statement_id":0}]}
EOF
cat > afterdropmeasurement <<'EOF'
SHOW MEASUREMENTS
{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["m1"]]}]}]}
SHOW FIELD KEYS
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["fieldKey","fieldType"],"values":[["n","integer"],["v","float"]]}]}]}
EOF
cat > oneprocess <<'EOF'
SELECT count(v) FROM m1; DELETE FROM m1 WHERE host = 'h2' AND time > '2023-03-07T12:00:00Z'; SELECT count(v) FROM m1
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",2]]}]},{"statement_id":1},{"statement_id":2,"series":[{"name":"m1","columns":["time","count"],"values":[["1970-01-01T00:00:00Z",1]]}]}]}
EOF
cat > afteroneprocess <<'EOF'
SELECT * FROM two.m1
{"results":[{"statement_id":0,"series":[{"name":"m1","columns":["time","dc","host","n","v"],"values":[["2023-03-06T00:00:00Z","y","h2",null,13]]}]}]}
EOF
cat > dropdatabase <<'EOF'
DROP DATABASE adm
{"results":[{"statement_id":0}]}
EOF
cat > afterdropdatabase <<'EOF'
SELECT * FROM m1
{"results":[{"statement_id":0,"error":"database not found: adm"}]}
EOF
cd - > /dev/null || exit 1

test_expect_success 'CREATE DATABASE and RETENTION POLICY, SHOW RETENTION POLICIES' '
  tsd-query --data d -e "CREATE DATABASE keep" &&
  check create
'

test_expect_success 'tsd-write into both RPs; SHOW SERIES and SELECT of each' '
  tsd-write --data d --db adm < points.lp &&
  tsd-write --data d --db adm --rp two < points-two.lp &&
  check written
'

test_expect_success 'DROP SERIES (time refused), seen by the next process in every RP' '
  check dropseries && check afterdropseries
'

test_expect_success 'DELETE with a time range: points cut, a series left empty gone (1-day shards of two)' '
  check delete && check afterdelete &&
  tsd-query --data d --db adm --rp two --dump | grep -v "^#\|^CREATE " > dump &&
  printf "%s\n" "m1,dc=y,host=h2 v=13 1678060800000000000" "m2,host=h1 u=1 1678060800000000000" \
    "m1,dc=y,host=h2 v=14 1678233600000000000" > want &&
  test_cmp want dump
'

test_expect_success 'DROP MEASUREMENT: gone from SHOW MEASUREMENTS and FIELD KEYS' '
  check dropmeasurement && check afterdropmeasurement
'

test_expect_success 'a process reads its own DELETE, and so do the others' '
  check oneprocess && check afteroneprocess
'

test_expect_success 'DROP DATABASE: its files gone, SHOW DATABASES without it' '
  check dropdatabase && check afterdropdatabase &&
  test ! -e d/adm &&
  tsd-query --data d --format json -e "SHOW DATABASES" > got &&
  echo "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"databases\",\"columns\":[\"name\"],\"values\":[[\"keep\"]]}]}]}" > want &&
  test_cmp want got
'

test_done
