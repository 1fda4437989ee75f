#!/usr/bin/env bash
# exec input: commands whose stdout is line protocol.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"

test_expect_success 'the lines of each command, timestamps kept' '
  gather exec "commands=echo \"oracle_sysstat,db=ORCL,name=user\\ commits value=42i 1700000000000000000\"" \
    "commands=printf \"a v=1.5 1700000000000000001\\nb s=\\\"x y\\\" 1700000000000000002\\n\"" >out &&
  sort out >sorted &&
  printf "%s\n" "a v=1.5 1700000000000000001" "b s=\"x y\" 1700000000000000002" \
    "oracle_sysstat,db=ORCL,name=user\\ commits value=42i 1700000000000000000" >want &&
  test_cmp want sorted
'

test_expect_success 'words are split like a shell does, without a shell' '
  gather exec "commands=printf \"%s %s\\n\" \"m,t=a\\ b\" '\''v=1i,w=\"\$HOME\"'\''" >out &&
  grep -q "^m,t=a\\\\ b v=1i,w=\"\$HOME\" [0-9]*$" out
'

test_expect_success 'bad lines: named by number, the good ones still count' '
  printf "ok1 v=1i\nnot line protocol\nok2 v=2i\n\nok3 v=\n" >lines &&
  rc=0 && gather exec "commands=cat $TMP/lines" >out 2>err || rc=$? &&
  test $rc = 1 &&
  test "$(cut -d" " -f1,2 out)" = "$(printf "ok1 v=1i\nok2 v=2i")" &&
  grep -q "2 bad lines of output (2 good): line 2: column .*; line 5: column " err
'

test_expect_success 'a failing command: its exit status and stderr in the error' '
  rc=0 && gather exec "commands=sh -c \"echo cannot reach ORCL >&2; exit 3\"" >out 2>err || rc=$? &&
  test $rc = 1 && test ! -s out &&
  grep -q "exit status 3: cannot reach ORCL$" err &&
  ! gather exec commands=/nonexistent/agent 2>err && grep -q "/nonexistent/agent: No such file or directory" err
'

test_expect_success 'the timeout kills the command and its children' '
  start=$(date +%s%N) &&
  rc=0 && gather exec "commands=sh -c \"sleep 31.4159 & echo early v=1i; sleep 31.4159\"" \
    "commands=echo other v=2i" timeout=1s >out 2>err || rc=$? &&
  ms=$(( ($(date +%s%N) - start) / 1000000 )) &&
  test $rc = 1 && test $ms -lt 3000 &&
  grep -q "killed after the timeout of 1s" err &&
  grep -q "^other v=2i" out &&
  sleep 0.2 && ! pgrep -f "sleep 31.4159"
'

test_expect_success 'a runaway command is stopped at 64 MiB of output' '
  ! gather exec "commands=yes \"m v=1i\"" >out 2>err &&
  grep -q "killed after more than 64 MiB of output" err && test ! -s out
'

test_expect_success 'a glob as the program; environment' '
  printf "#!/bin/sh\necho one v=1i\n" >collect_1.sh &&
  printf "#!/bin/sh\necho two,who=\$WHO v=2i\n" >collect_2.sh &&
  chmod +x collect_*.sh &&
  gather exec "commands=$TMP/collect_*.sh" environment=WHO=dba >out &&
  grep -q "^one v=1i" out && grep -q "^two,who=dba v=2i" out
'

test_expect_success 'other data formats and bad quoting are refused at creation' '
  ! gather exec commands=true data_format=json 2>err && grep -q "reads only \"influx\"" err &&
  ! gather exec "commands=echo \"x" 2>err && grep -q "unterminated double-quoted string" err
'

test_done
