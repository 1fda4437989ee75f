#!/usr/bin/env bash
# Three tsd-write processes write to one database at once: hosts 0-9,
# hosts 10-19, and hosts 5-14 (the same points as half of each of the
# others). No point is lost: the dump is the union of the three inputs.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

test_expect_success 'three writers at once, small batches: no point lost' '
  tsd-gen --hosts 10 --hours 2 --variant float --host-offset 0 > a.lp &&
  tsd-gen --hosts 10 --hours 2 --variant float --host-offset 10 > b.lp &&
  tsd-gen --hosts 10 --hours 2 --variant float --host-offset 5 > c.lp || exit 1
  tsd-write --data d --db conc --batch-size 500 a.lp 2> a.err & pa=$!
  tsd-write --data d --db conc --batch-size 500 b.lp 2> b.err & pb=$!
  tsd-write --data d --db conc --batch-size 500 c.lp 2> c.err & pc=$!
  ok=0
  wait $pa || { echo "writer a: exit $?"; cat a.err; ok=1; }
  wait $pb || { echo "writer b: exit $?"; cat b.err; ok=1; }
  wait $pc || { echo "writer c: exit $?"; cat c.err; ok=1; }
  test $ok -eq 0 &&
  lp-values a.lp b.lp c.lp | LC_ALL=C sort -u > want &&
  test $(wc -l < want) -eq 144000 &&
  dump_values d conc > got &&
  test_cmp want got
'

test_expect_success 'three writers through pipes, two into one shard, one into another' '
  tsd-gen --hosts 20 --hours 1 --variant float --start 2016-01-10T00:00:00Z > e.lp &&
  tsd-gen --hosts 20 --hours 1 --variant float --start 2016-01-20T00:00:00Z > f.lp &&
  tsd-gen --hosts 20 --hours 1 --variant float --start 2016-01-10T02:00:00Z > g.lp || exit 1
  tsd-write --data d --db conc --batch-size 300 < e.lp 2> e.err & pe=$!
  tsd-write --data d --db conc --batch-size 300 < f.lp 2> f.err & pf=$!
  tsd-write --data d --db conc --batch-size 300 < g.lp 2> g.err & pg=$!
  ok=0
  wait $pe || { echo "writer e: exit $?"; cat e.err; ok=1; }
  wait $pf || { echo "writer f: exit $?"; cat f.err; ok=1; }
  wait $pg || { echo "writer g: exit $?"; cat g.err; ok=1; }
  test $ok -eq 0 &&
  lp-values a.lp b.lp c.lp e.lp f.lp g.lp | LC_ALL=C sort -u > want &&
  dump_values d conc > got &&
  test_cmp want got
'

test_expect_success 'a reader during the writes sees only whole points of the input' '
  tsd-gen --hosts 20 --hours 1 --variant float --start 2016-02-01T00:00:00Z > h.lp &&
  values h.lp > want &&
  tsd-write --data d --db conc2 < /dev/null || exit 1
  tsd-write --data d --db conc2 --batch-size 200 h.lp 2> h.err & ph=$!
  for i in 1 2 3; do
    tsd-query --data d --db conc2 --dump > mid.lp 2> mid.err || { cat mid.err; exit 1; }
    values mid.lp > mid && subset mid want || exit 1
    echo "reader $i: $(wc -l < mid) values"
  done
  wait $ph || { echo "writer h: exit $?"; cat h.err; exit 1; }
  dump_values d conc2 > got &&
  test_cmp want got
'

test_expect_success 'the data directory passes integrity_check' '
  db_files_ok d
'

test_done
