#!/usr/bin/env bash
# tsd-collect's configuration: telegraf.conf subset, errors naming the
# line, warnings for what it does not know, --sample-config and friends.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a syntax error names the file and line, exit 1' '
  printf "[agent]\n  interval = \"1s\"\n  round_interval = yes\n" >bad.conf &&
  rc=0; tsd-collect --once --config bad.conf >out 2>err || rc=$?
  test "$rc" = 1 && grep -q "^tsd-collect: bad.conf:3:" err && test ! -s out
'

test_expect_success 'a wrong type names the line and option' '
  printf "[[inputs.cpu]]\n  percpu = \"yes\"\n" >type.conf &&
  ! tsd-collect --once --config type.conf 2>err &&
  grep -q "type.conf:2: inputs.cpu: option \"percpu\": expected a boolean, got a string" err
'

test_expect_success 'unknown sections and options warn, the rest runs' '
  cat >warn.conf <<CONF
[agent]
  interval = "1s"
  debug = true
[[processors.rename]]
[[aggregators.minmax]]
[[inputs.mem]]
  colour = "blue"
CONF
  tsd-collect --once --config warn.conf >out 2>err &&
  grep -q "warning: warn.conf:4: ignoring unknown section \[processors\]" err &&
  grep -q "warning: warn.conf:5: ignoring unknown section \[aggregators\]" err &&
  grep -q "inputs.mem: unknown option \"colour\"" err &&
  grep -q "^mem," out
'

test_expect_success 'unknown input: exit 1 naming it' '
  ! tsd-collect --once --inputs cpu,nosuch 2>err &&
  grep -q "unknown input \"nosuch\"" err
'

test_expect_success 'bad flag and bad interval: usage error, exit 2' '
  rc=0; tsd-collect --bogus 2>err || rc=$?; test $rc = 2 &&
  rc=0; tsd-collect --interval fast 2>err || rc=$?; test $rc = 2
'

test_expect_success 'global tags, input tags, name_override, omit_hostname' '
  cat >tags.conf <<CONF
[global_tags]
  dc = "eu-1"
[agent]
  omit_hostname = true
[[inputs.mem]]
  name_override = "memory"
  [inputs.mem.tags]
    team = "dba"
CONF
  tsd-collect --once --config tags.conf >out &&
  grep -q "^memory,dc=eu-1,team=dba total=" out
'

test_expect_success '--inputs filters the inputs of a config' '
  printf "[[inputs.mem]]\n[[inputs.swap]]\n" >two.conf &&
  tsd-collect --once --config two.conf --inputs swap >out &&
  grep -q "^swap," out && ! grep -q "^mem," out
'

test_expect_success '--sample-config --input-filter cpu:mem' '
  tsd-collect --sample-config --input-filter cpu:mem >sample.conf &&
  grep -q "^\[\[inputs.cpu\]\]" sample.conf &&
  grep -q "^\[\[inputs.mem\]\]" sample.conf &&
  ! grep -q "^\[\[inputs.disk\]\]" sample.conf &&
  grep -q "^\[agent\]" sample.conf &&
  tsd-collect --test --config sample.conf >out &&
  grep -q "^> cpu,cpu=cpu-total" out && grep -q "^> mem," out
'

test_expect_success '--input-list and --usage' '
  tsd-collect --input-list >list &&
  for i in cpu mem swap disk diskio net netstat kernel system processes procstat; do
    grep -q "^  $i " list || { echo "no $i"; exit 1; }
  done &&
  tsd-collect --usage disk | grep -q "ignore_fs = \[" &&
  ! tsd-collect --usage nosuch 2>err && grep -q "input nosuch not found" err
'

test_expect_success 'the DBA example config parses' '
  tsd-collect --test --config "$ROOT/examples/collect/db-server.conf" --inputs cpu,mem,system >out 2>err &&
  grep -q "^> system," out
'

test_expect_success 'a bad option value is named once, at its own line' '
  printf "[[inputs.mysql]]\n  servers = [\"u@tcp(127.0.0.1:1)/\"]\n  timeout = \"bogus\"\n" > opt.conf &&
  set +e
  tsd-collect --config opt.conf --once > out 2> err
  rc=$?
  set -e
  test $rc -ne 0 &&
  grep -q "opt.conf:3: inputs.mysql: option \"timeout\"" err &&
  test $(grep -o "inputs.mysql" err | wc -l) -eq 1
'

test_done
