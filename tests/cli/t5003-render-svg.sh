#!/usr/bin/env bash
# tsd-render --output: a query's panel as a self-contained SVG or HTML
# page. The SVG is checked with xmllint and turned into a PNG with
# rsvg-convert when they are installed (scripts/setup installs both).
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
# An hour of two hosts: a saw tooth and a slope.
awk 'BEGIN { for (i = 0; i < 60; i++) { t = 1577836800 + i * 60
  printf "cpu,host=a usage=%d %d000000000\ncpu,host=b usage=%d %d000000000\n", i % 10 + 1, t, 60 - i, t } }' > cpu.lp
tsd-write --data d --db mon < cpu.lp 2>/dev/null
Q='SELECT usage FROM cpu GROUP BY host'

test_expect_success 'an SVG of a line chart: one path per series, the title escaped' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --title "CPU <all> & more" --unit % --output cpu.svg > out &&
  test ! -s out &&
  head -c 38 cpu.svg | grep -q "^<?xml version=\"1.0\" encoding=\"UTF-8\"?>" &&
  grep -q "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"592\"" cpu.svg &&
  test "$(grep -c "<path class=\"series\"" cpu.svg)" = 2 &&
  grep -q ">CPU &lt;all&gt; &amp; more</text>" cpu.svg &&
  grep -q ">cpu.usage host=a</text>" cpu.svg &&
  ! grep -q "CPU <all>" cpu.svg
'

test_expect_success 'the SVG is well-formed XML' '
  command -v xmllint > /dev/null || { echo "no xmllint: skipped"; exit 0; }
  xmllint --noout cpu.svg
'

test_expect_success 'a PNG of the SVG export opens and shows the panel' '
  command -v rsvg-convert > /dev/null || { echo "no rsvg-convert: skipped"; exit 0; }
  rsvg-convert cpu.svg -o cpu.png &&
  test "$(head -c 8 cpu.png | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a &&
  test "$(od -An -tu1 -j16 -N8 cpu.png | tr -s " " | sed "s/^ //")" = "0 0 4 176 0 0 2 80" &&
  test "$(wc -c < cpu.png)" -gt 10000
'

test_expect_success 'every panel type, from stdin too, and --height' '
  for p in line spark stat gauge bargauge bar table; do
    tsd-render --panel $p --thresholds 5,8 --height 10 --output p.$p.svg < cpu.lp &&
    grep -q "height=\"256\"" p.$p.svg || exit 1
    if command -v xmllint > /dev/null; then xmllint --noout p.$p.svg || exit 1; fi
  done &&
  grep -q ">cpu host=a</text>" p.table.svg &&
  grep -q ">+ 111 more rows</text>" p.table.svg &&
  grep -q "<path d=\"M[^\"]*A" p.gauge.svg
'

test_expect_success 'an HTML page: the same SVG inside, tables as HTML' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --panel table --title "top <cpu>" --output cpu.html &&
  head -1 cpu.html | grep -q "^<!doctype html>$" &&
  grep -q "^<title>top &lt;cpu&gt;</title>$" cpu.html &&
  grep -q "<svg xmlns=" cpu.html &&
  grep -q "<h2 style=\"[^\"]*\">top &lt;cpu&gt;</h2>" cpu.html &&
  test "$(grep -c "^<table " cpu.html)" = 2 &&
  ! grep -q "<script" cpu.html
'

test_expect_success 'the same input gives the same bytes' '
  tsd-render --data "$TMP/d" --db mon -e "$Q" --output again.svg &&
  tsd-render --data "$TMP/d" --db mon -e "$Q" --output again2.svg &&
  cmp again.svg again2.svg
'

test_expect_success 'a file that is not .svg or .html: usage error; one that cannot be written: exit 1' '
  rc=0; tsd-render --output out.png < cpu.lp 2> err || rc=$? &&
  test $rc = 2 && grep -q "^tsd-render: --output: \"out.png\" ends in neither .svg nor .html$" err &&
  test ! -e out.png &&
  rc=0; tsd-render --output no/such/dir/x.svg < cpu.lp 2> err || rc=$? &&
  test $rc = 1 && grep -q "^tsd-render: no/such/dir/x.svg: No such file or directory$" err &&
  rc=0; tsd-render --data "$TMP/d" --db mon -e "SELECT FROM" --output bad.svg 2> err || rc=$? &&
  test $rc = 1 && test ! -e bad.svg && grep -q "error parsing query" err
'

test_done
