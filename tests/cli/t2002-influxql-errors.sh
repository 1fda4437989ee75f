#!/usr/bin/env bash
# InfluxQL, differential, bad queries: every entry of
# tests/cli/data/influxql/bad-queries.txt (unknown functions, wrong arity,
# unbalanced quotes, bad durations, 10,000-deep parentheses, 1 MB statements,
# binary garbage, pathological regexes, ...) runs on influxd and on tsd-query
# and the JSON answers must be the same (the comparator of t2001). tsd-query
# must exit 1 (or 2, a usage error), never die of a signal and answer within
# 10 s whatever the expected-failure list (data/influxql/xfail-errors.txt) says.
# INFLUXQL_DIFF_UPDATE=1 rewrites that list from this run.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "influxd is not installed (scripts/setup installs it)"
command -v tsd-write > /dev/null && command -v tsd-query > /dev/null ||
	test_skip_all "tsd-write/tsd-query are not built"
. "$TESTS_DIR/lib-influxql.sh"
influxql_diff_main bad-queries.txt 110 --errors
