#!/usr/bin/env bash
# Bad input: every good line is stored, each bad one is reported with its
# line number (and file name when files are given), type conflicts count
# as rejected lines with InfluxDB's message, exit status 1, never a crash.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/lib-data.sh"

cat > "$TMP/mixed.lp" <<'LP'
good,host=a v=1 1000
bad-no-field 2000
good,host=a v=2 3000
bad,host=a v= 4000
bad,host=a v=1 notatime
good,host=a v=3 5000

# a comment, then more bad kinds
bad,host=a =1 7000
bad,host a v=1 8000
,host=a v=1 9000
bad v=1i2 10000
bad v=tru 11000
good,host=b s="ok" 12000
good,host=a v=4i 13000
good,host=b s=1 14000
good,host=a v=5 15000
bad,host=a v="unterminated, a string may span lines 6000
LP

test_expect_success 'good lines stored, bad ones reported by line, exit 1' '
  set +e
  tsd-write --data d --db mix mixed.lp 2> err
  rc=$?
  set -e
  cat err &&
  test $rc -eq 1 &&
  for n in 2 4 5 9 10 11 12 13 15 16 18; do
    grep -q "^tsd-write: mixed.lp: line $n: " err || { echo "line $n not reported"; exit 1; }
  done &&
  test $(grep -c "^tsd-write: mixed.lp: line" err) -eq 11 &&
  grep -q "^tsd-write: 5 points written, 11 lines rejected$" err &&
  grep -q "^tsd-write: mixed.lp: line 4: column [0-9]*: " err &&
  grep -q "^tsd-write: mixed.lp: line 15: field type conflict: input field \"v\" on measurement \"good\" is type integer, already exists as type float$" err &&
  grep -q "^tsd-write: mixed.lp: line 16: field type conflict: input field \"s\" on measurement \"good\" is type float, already exists as type string$" err &&
  grep "^good" mixed.lp | grep -v "v=4i\|s=1 " > good.lp &&
  values good.lp > want &&
  dump_values d mix > got &&
  test_cmp want got
'

test_expect_success 'from stdin the messages have no file name' '
  set +e
  printf "m v=1 1\nm v 2\n" | tsd-write --data d --db stdin 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "^tsd-write: line 2: column" err
'

test_expect_success 'line numbers restart in each file' '
  printf "m v=1 1\nbroken\n" > one.lp &&
  printf "broken\nm v=2 2\n" > two.lp &&
  set +e
  tsd-write --data d --db files one.lp two.lp 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "^tsd-write: one.lp: line 2: " err &&
  grep -q "^tsd-write: two.lp: line 1: " err &&
  test $(tsd-query --data d --db files --dump | grep -c "^m ") -eq 2
'

test_expect_success 'a type set in an earlier run is kept (per shard)' '
  echo "m v=1i 1" | tsd-write --data t --db ty &&
  set +e
  echo "m v=1.5 2" | tsd-write --data t --db ty 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "is type float, already exists as type integer" err &&
  echo "m v=2.5 $((8 * 24 * 3600 * 1000000000))" | tsd-write --data t --db ty
'

test_expect_success 'binary garbage and huge lines: reported, no crash' '
  head -c 200000 /dev/urandom > garbage.lp &&
  awk "BEGIN { s = \"m,t=\"; for (i = 0; i < 70000; i++) s = s \"x\"; print s \" v=1 1\" }" > long.lp &&
  echo "m v=7 7" >> long.lp &&
  set +e
  tsd-write --data g --db junk garbage.lp long.lp 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "points written" err &&
  tsd-query --data g --db junk --dump | grep -qx "m v=7 7"
'

test_done
