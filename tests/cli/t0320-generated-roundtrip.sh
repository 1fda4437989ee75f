#!/usr/bin/env bash
# Round trip of the generated devops data sets: tsd-write then
# tsd-query --dump gives back the same points (series, fields, types,
# values bit-for-bit, times).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

for v in int float; do
  test_expect_success "$v data: written, dumped, the same values" "
    tsd-gen --hosts 10 --hours 2 --variant $v > $v.lp &&
    tsd-write --data d --db rt_$v $v.lp &&
    values $v.lp > want &&
    test \$(wc -l < want) -eq 72000 &&
    dump_values d rt_$v > got &&
    test_cmp want got
  "
done

test_expect_success 'float values keep every bit (spot check of the text)' '
  grep -q "usage_user=67.6576008530548," float.lp &&
  grep "hostname=host_0[, ]" .dump.lp | grep -q "usage_user=67.6576008530548[, ]"
'

test_expect_success 'the same data from stdin gives the same dump' '
  tsd-gen --hosts 10 --hours 2 --variant float | tsd-write --data d --db rt_stdin &&
  dump_values d rt_stdin > got &&
  values float.lp > want &&
  test_cmp want got
'

test_expect_success 'writing the data again changes nothing (last write wins)' '
  tsd-write --data d --db rt_int int.lp &&
  dump_values d rt_int > got &&
  values int.lp > want &&
  test_cmp want got
'

test_expect_success 'the databases do not mix' '
  tsd-query --data d --db rt_int --dump | grep -c "usage_user=[0-9]*i" > n &&
  test $(cat n) -eq 7200 &&
  ! tsd-query --data d --db rt_int --dump | grep -q "usage_user=[0-9]*\.[0-9]"
'

test_expect_success 'the data directory passes integrity_check' '
  db_files_ok d
'

test_done
