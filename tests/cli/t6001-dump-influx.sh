#!/usr/bin/env bash
# Moving data both ways with a real InfluxDB 1.x: tsd-query --dump read by
# `influx -import`, and an `influx_inspect export` read by tsd-write
# (without --db: its CONTEXT lines say where each point goes); every
# point (and field type, RP) equal afterwards (dump_compare.py). Debian's
# influxdb has no influx_inspect: where it is missing, dump_compare.py
# export writes what influx_inspect 1.6 writes for the same server.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "no influxd (apt-get install influxdb)"
command -v influx > /dev/null || test_skip_all "no influx (apt-get install influxdb-client)"

cd "$TMP" || exit 1
NOW=$(( $(date +%s) / 3600 * 3600 - 7200 ))
# Every type, escapes in every position, unicode; strings without
# newlines (influx -import reads a line at a time).
cat > one.lp <<EOF2
cpu,host=a,reg=eu\ west usage=1.5,idle=2i,ok=true,name="he said \"hi\" \\\\ back" ${NOW}000000000
cpu,host=아이유\ 생중계\ 채널 usage=-0.000001,idle=-9223372036854775808i,ok=false ${NOW}000000001
cpu,host=a,reg=eu\ west usage=123456789.125,idle=9223372036854775807i ${NOW}500000000
m\,x\ y,t\=k=v\,w\=z f\ x=1e300,f\,y=5e-324,f\=z="a,b=c d" $((NOW + 60))000000000
EOF2
cat > short.lp <<EOF2
mem,host=a used=0.1,free=3i $((NOW - 86400))000000000
mem,host=a used=1000000,free=4i ${NOW}000000000
EOF2
printf 'disk,path=/var\\ log used=7i,ok=T 5000000000\n' > weird.lp
printf 'x,ü=ö s="tab\there",b=F 1000000000\n' > two.lp
printf 'y v=1i %s000000000\n' "$NOW" > three.lp

setup='CREATE DATABASE one; CREATE RETENTION POLICY short ON one DURATION 4w REPLICATION 1;
  CREATE RETENTION POLICY "we ird" ON one DURATION INF REPLICATION 1 SHARD DURATION 2h;
  CREATE DATABASE "two words"; CREATE DATABASE three WITH DURATION 100w NAME rp3'

test_expect_success 'tsd-query --dump prints the DDL and CONTEXT lines influx -import reads' '
  tsd-query --data d -e "$setup" &&
  tsd-write --data d --db one one.lp && tsd-write --data d --db one --rp short short.lp &&
  tsd-write --data d --db one --rp "we ird" weird.lp &&
  tsd-write --data d --db "two words" two.lp && tsd-write --data d --db three three.lp &&
  tsd-query --data d --dump > x.lp &&
  sed -n "1,9p" x.lp > head &&
  cat > want <<-\EOF2 &&
	# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z
	# DDL
	CREATE DATABASE one WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
	CREATE RETENTION POLICY short ON one DURATION 4w REPLICATION 1 SHARD DURATION 1d
	CREATE RETENTION POLICY "we ird" ON one DURATION 0s REPLICATION 1 SHARD DURATION 2h
	CREATE DATABASE "two words" WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
	CREATE DATABASE three WITH DURATION 100w REPLICATION 1 SHARD DURATION 1w NAME rp3
	# DML
	# CONTEXT-DATABASE:one
	EOF2
  test_cmp want head &&
  grep -c "^# CONTEXT-DATABASE:" x.lp | grep -qx 5
'

influxd_start "$TMP/influxd" || test_skip_all "influxd did not start"

test_expect_success 'influx -import of the dump: every point equal' '
  influx -host 127.0.0.1 -port "$INFLUX_PORT" -import -path=x.lp -precision ns > out 2>&1 ||
    { cat out; exit 1; }
  cat out &&
  ! grep -q "error" out &&
  python3 "$TESTS_DIR/dump_compare.py" compare d "$INFLUX_URL"
'

test_expect_success 'an influx_inspect export read by tsd-write without --db: every point equal' '
  curl -sS -XPOST "$INFLUX_URL/query" --data-urlencode "q=DROP DATABASE one; DROP DATABASE \"two words\"; DROP DATABASE three" > /dev/null &&
  curl -sS -XPOST "$INFLUX_URL/query" --data-urlencode "q=$setup" > /dev/null &&
  influx_write one one.lp &&
  curl -sS -XPOST "$INFLUX_URL/write?db=one&rp=short" --data-binary @short.lp &&
  curl -sS -XPOST "$INFLUX_URL/write?db=one&rp=we%20ird" --data-binary @weird.lp &&
  curl -sS -XPOST "$INFLUX_URL/write?db=two%20words" --data-binary @two.lp &&
  influx_write three three.lp &&
  if command -v influx_inspect > /dev/null; then
    influxd_stop &&
    influx_inspect export -datadir influxd/data -waldir influxd/wal -out export.lp &&
    influxd_start "$TMP/influxd"
  else
    python3 "$TESTS_DIR/dump_compare.py" export "$INFLUX_URL" > export.lp
  fi &&
  head -n 12 export.lp &&
  tsd-write --data e export.lp &&
  python3 "$TESTS_DIR/dump_compare.py" compare e "$INFLUX_URL" --rp-names-only
'

test_expect_success 'an export goes where it came from, again: nothing changes' '
  tsd-write --data e export.lp &&
  python3 "$TESTS_DIR/dump_compare.py" compare e "$INFLUX_URL" --rp-names-only
'

test_done
