#!/usr/bin/env bash
# --precision scales the timestamps of the input; points without one get
# the time of the write.
. "$(dirname "$0")/lib.sh"

check() {  # precision, input time, stored ns
  echo "m,p=$1 v=1 $2" | tsd-write --data d --db prec --precision "$1" &&
  tsd-query --data d --db prec --dump | grep -qx "m,p=$1 v=1 $3"
}

test_expect_success 'each precision' '
  check ns 1700000000123456789 1700000000123456789 &&
  check us 1700000000123456 1700000000123456000 &&
  check ms 1700000000123 1700000000123000000 &&
  check s 1700000000 1700000000000000000 &&
  check m 28333333 1699999980000000000 &&
  check h 472222 1699999200000000000
'

test_expect_success 'a time that overflows at the precision is a bad line' '
  set +e
  echo "m v=1 9223372036854775" | tsd-write --data d --db prec --precision s 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "line 1" err
'

test_expect_success 'no timestamp: the time of the write' '
  before=$(date +%s%N) &&
  printf "now v=1\nnow w=2\n" | tsd-write --data d --db now &&
  after=$(date +%s%N) &&
  tsd-query --data d --db now --dump | grep "^now " > got &&
  test $(wc -l < got) -eq 1 &&
  t=$(awk "{ print \$NF }" got) &&
  test "$t" -ge "$before" && test "$t" -le "$after"
'

test_expect_success 'no timestamp: the time of the write, rounded down to the precision' '
  before=$(date +%s) &&
  printf "now v=1\n" | tsd-write --data d --db nows --precision s &&
  after=$(date +%s) &&
  t=$(tsd-query --data d --db nows --dump | grep "^now " | awk "{ print \$NF }") &&
  test $((t % 1000000000)) -eq 0 &&
  test $((t / 1000000000)) -ge "$before" && test $((t / 1000000000)) -le "$after"
'

test_done
