#!/usr/bin/env bash
# tsd-render end to end: a query over a data directory written with
# tsd-write (-e), results on stdin in the three formats tsd-query prints
# (JSON, CSV, line protocol), and bad input: garbage on stdin, an unknown
# panel, a failing query. Not a terminal here: 80x24 unless told, no colour.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
for i in 0 1 2 3 4 5 6 7; do
  t=$((1577836800 + i * 60))
  echo "cpu,host=a usage=$((i + 1)) ${t}000000000"
  echo "cpu,host=b usage=$((8 - i)) ${t}000000000"
done > cpu.lp
tsd-write --data d --db mon < cpu.lp 2>/dev/null
Q='SELECT usage FROM cpu GROUP BY host'

test_expect_success 'a query draws a line chart with a legend' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --ascii --width 40 --height 12 > out &&
  test "$(wc -l < out)" = 12 &&
  grep -q "^\* cpu.usage host=a .* 8$" out &&
  grep -q "^+ cpu.usage host=b .* 1$" out &&
  grep -q "01-01" out
'

test_expect_success 'width and height default to 80x24 off a terminal' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" > out &&
  test "$(wc -l < out)" = 24 &&
  test "$(awk "{ print length }" out | sort -n | tail -1)" -le 240 &&
  ! grep -q "$(printf "\033")" out
'

test_expect_success 'sparklines from a query' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel spark --width 30 > out &&
  printf "%s\n" "cpu.usage… ▁▁▂▂▂▃▃▄▄▅▅▆▆▆▇▇█ 8" "cpu.usage… ██▇▇▇▆▆▅▅▄▄▃▃▃▂▂▁ 1" > want &&
  test_cmp want out
'

test_expect_success 'the same panel from JSON, CSV and line protocol on stdin' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel bar --width 40 > want &&
  tsd-query --data "$TMP/d" --db mon --format json -e "$Q" | tsd-render --panel bar --width 40 > json &&
  tsd-query --data "$TMP/d" --db mon --format csv -e "$Q" | tsd-render --panel bar --width 40 > csv &&
  tsd-query --data "$TMP/d" --db mon --format line -e "$Q" | tsd-render --panel bar --width 40 > line &&
  test_cmp want json && test_cmp want csv && test_cmp want line &&
  tsd-render --panel spark --width 30 < cpu.lp > lp &&
  grep -q "^cpu.usage… ██▇▇▇▆▆▅▅▄▄▃▃▃▂▂▁ 1$" lp
'

test_expect_success 'every panel draws' '
  for p in line spark stat gauge bargauge bar table heatmap; do
    tsd-render --data "$TMP/d" --db mon -e "$Q" --panel $p --width 50 --height 30 > out.$p &&
    test -s out.$p || exit 1
  done &&
  grep -q "2020-01-01 00:07:00" out.table
'

test_expect_success 'a heatmap: value rows, shades, the time axis and the scale' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel heatmap --width 40 --height 12 > out &&
  test "$(wc -l < out)" = 12 &&
  test "$(awk "{ print length }" out | sort -n | tail -1)" -le 120 &&
  grep -q "█" out && grep -q "01-01" out && grep -q "^ *count 1 ░▒▓█ 1$" out &&
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel heatmap --color > out &&
  grep -q "$(printf "\033")\[38;5;" out
'

test_expect_success '--color forces colours, --no-color and NO_COLOR keep them off' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel spark --color > out &&
  grep -q "$(printf "\033")\[32m" out
'

test_expect_success 'garbage on stdin: a message and exit 1' '
  rc=0; echo "hello world" | tsd-render 2> err > out || rc=$? &&
  test $rc = 1 && test ! -s out &&
  grep -q "^tsd-render: stdin: input is not InfluxDB JSON, CSV or line protocol (line 1: " err &&
  rc=0; tsd-render < /dev/null 2> err || rc=$? &&
  test $rc = 1 && grep -q "no input" err
'

test_expect_success 'an unknown panel or option is a usage error (exit 2)' '
  rc=0; tsd-render --panel pie < cpu.lp 2> err || rc=$? &&
  test $rc = 2 && grep -q "unknown panel \"pie\"" err &&
  rc=0; tsd-render --bogus < cpu.lp 2> err || rc=$? &&
  test $rc = 2 &&
  rc=0; tsd-render --tz Nowhere/Land < cpu.lp 2> err || rc=$? &&
  test $rc = 2
'

test_expect_success 'a failing query: its error and exit 1' '
  rc=0; tsd-render --data "$TMP/d" --db mon -e "SELECT FROM" 2> err > out || rc=$? &&
  test $rc = 1 && grep -q "^tsd-render: error parsing query" err &&
  rc=0; tsd-render --data "$TMP/d" --db nope -e "SELECT usage FROM cpu" 2> err || rc=$? &&
  test $rc = 1 && grep -q "database not found" err
'

test_expect_success '--help and --version' '
  tsd-render --help | grep -q -- "--panel" &&
  tsd-render --version | grep -q "^tsd-render "
'

test_done
