#!/usr/bin/env bash
# tsd-collect feeding tsd-write (the README's first pipe) and a real
# InfluxDB 1.x through [[outputs.influxdb]]; a dead server is one warning.
. "$(dirname "$0")/lib.sh"

test_expect_success 'tsd-collect --interval 1s | tsd-write --data DIR --db mon' '
  mkfifo pipe
  tsd-write --data d --db mon <pipe 2>werr & wpid=$!
  tsd-collect --interval 1s --inputs cpu,mem,system >pipe 2>cerr & cpid=$!
  sleep 3.5; kill -TERM $cpid; wait $cpid; wait $wpid
  test ! -s cerr &&
  tsd-query --data d --dump >dump.lp &&
  grep -q "^mem," dump.lp && grep -q "^cpu,cpu=cpu-total" dump.lp &&
  grep -q "^system,.*uptime_format=" dump.lp
'

command -v influxd >/dev/null || test_skip_all "no influxd (scripts/setup installs it)"

influxd_start "$TMP/influx" || exit 1

test_expect_success 'outputs.influxdb: creates the database and writes' '
  cat >i.conf <<CONF
[[inputs.mem]]
[[inputs.cpu]]
[[outputs.influxdb]]
  urls = ["$INFLUX_URL"]
  database = "collect"
CONF
  tsd-collect --once --config i.conf 2>err &&
  test ! -s err &&
  influx_query collect "SELECT count(used) FROM mem" >q.json &&
  grep -q "\"values\":\[\[[0-9]*,1\]\]" q.json &&
  influx_query collect "SELECT usage_idle FROM cpu WHERE cpu = '"'"'cpu-total'"'"'" | grep -q usage_idle
'

test_expect_success 'outputs.influxdb: continuous, batches every interval' '
  cat >c.conf <<CONF
[agent]
  interval = "200ms"
[[inputs.mem]]
[[outputs.influxdb]]
  urls = ["$INFLUX_URL"]
  database = "cont"
CONF
  tsd-collect --config c.conf 2>err & pid=$!
  sleep 2; kill -TERM $pid; wait $pid
  test ! -s err &&
  influx_query cont "SELECT count(used) FROM mem" | python3 -c "
import json, sys
n = json.load(sys.stdin)[\"results\"][0][\"series\"][0][\"values\"][0][1]
sys.exit(0 if 6 <= n <= 11 else \"count %d\" % n)"
'

test_expect_success 'a dead server: one warning, the other output goes on' '
  port=$(free_port)
  cat >dead.conf <<CONF
[agent]
  interval = "200ms"
[[inputs.mem]]
[[outputs.influxdb]]
  urls = ["http://127.0.0.1:$port"]
  skip_database_creation = true
  timeout = "1s"
[[outputs.file]]
  files = ["stdout"]
CONF
  tsd-collect --config dead.conf >out 2>err & pid=$!
  sleep 2.5; kill -TERM $pid; wait $pid
  test $(grep -c "output influxdb: influxdb http://127.0.0.1:$port/write: .*; will retry" err) = 1 &&
  test $(grep -c "^mem," out) -ge 8
'

test_expect_success 'a rejected batch (HTTP 4xx) is dropped with a message' '
  cat >rej.conf <<CONF
[[inputs.mem]]
[[outputs.influxdb]]
  urls = ["$INFLUX_URL"]
  database = "nosuchdb"
  skip_database_creation = true
CONF
  ! tsd-collect --once --config rej.conf 2>err &&
  grep -q "HTTP 404" err && grep -q "database not found" err
'

test_done
