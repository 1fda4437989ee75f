#!/usr/bin/env bash
# tsd-collect running: intervals, signals, a blocked stdout, file output.
. "$(dirname "$0")/lib.sh"

test_expect_success 'SIGTERM: clean exit 0, whole lines, one gather per interval' '
  tsd-collect --interval 1s --inputs mem >out 2>err & pid=$!
  sleep 3.5; kill -TERM $pid; rc=0; wait $pid || rc=$?
  test $rc = 0 && test ! -s err &&
  n=$(grep -c "^mem," out) && test $n -ge 2 && test $n -le 4 &&
  test "$(tail -c 1 out | od -An -c | tr -d " ")" = "\n" &&
  test $(cut -d" " -f3 out | sort -u | wc -l) = $n
'

test_expect_success 'SIGINT: clean exit 0' '
  tsd-collect --interval 1s --inputs mem >out 2>err & pid=$!
  sleep 1.5; kill -INT $pid; rc=0; wait $pid || rc=$?
  test $rc = 0 && test ! -s err
'

test_expect_success 'a reader that leaves (| head): exit 0, quietly' '
  tsd-collect --interval 100ms --inputs mem,cpu 2>err | head -n 2 >out
  test "${PIPESTATUS[0]}" = 0 && test $(wc -l <out) = 2 && test ! -s err
'

test_expect_success 'blocked stdout: buffer limit, drops counted and reported' '
  cat >c.conf <<CONF
[agent]
  interval = "100ms"
  metric_buffer_limit = 50
  metric_batch_size = 10
[[inputs.cpu]]
[[inputs.mem]]
[[inputs.net]]
[[inputs.diskio]]
[[inputs.processes]]
CONF
  mkfifo f
  exec 3<>f
  tsd-collect --config c.conf >f 2>err & pid=$!
  sleep 4
  kill -0 $pid
  grep -q "cannot keep up; buffer full at metric_buffer_limit 50, dropping the oldest metrics" err &&
  timeout 2 cat <&3 >drained || true
  kill -TERM $pid; wait $pid
  exec 3<&-
  grep -q "metrics dropped in all" err &&
  grep "^internal_write,host=.*output=stdout" drained | grep -q "buffer_limit=50i" &&
  grep "^internal_agent," drained | tr " ," "\n\n" | grep "^metrics_dropped=" | tail -n 1 |
    awk -F= "{ if (\$2 + 0 <= 0) exit 1 }"
'

test_expect_success 'outputs.file: stdout and a file' '
  cat >file.conf <<CONF
[[inputs.mem]]
[[outputs.file]]
  files = ["stdout", "$TMP/m.lp"]
CONF
  tsd-collect --once --config file.conf >out &&
  grep -q "^mem," out && grep -q "^mem," m.lp && cmp out m.lp
'

test_expect_success 'a failing input: one message per failure streak' '
  cat >fail.conf <<CONF
[agent]
  interval = "200ms"
[[inputs.procstat]]
  pid_file = "$TMP/nope.pid"
[[inputs.mem]]
CONF
  tsd-collect --config fail.conf >out 2>err & pid=$!
  sleep 1.5; echo $$ >nope.pid; sleep 1; kill -TERM $pid; wait $pid
  test $(grep -c "input procstat: procstat: cannot read pid file" err) = 1 &&
  grep -q "input procstat: recovered after" err &&
  test $(grep -c "^mem," out) -ge 8 &&
  grep -q "^procstat_lookup,.*result_code=1i" out &&
  grep -q "^procstat_lookup,.*result_code=0i" out
'

test_done
