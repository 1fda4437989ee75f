# shellcheck shell=bash
# The body of t2001-influxql-diff.sh and t2002-influxql-errors.sh: starts
# influxd, loads data/influxql/gen.py's data into it and into a tsd data
# directory, runs a corpus through tests/cli/influxql_diff.py and turns its
# result files into tests. Source after lib.sh.
#
#   influxql_diff_main CORPUS MIN_ENTRIES RUN_OPTION
#       CORPUS under data/influxql; RUN_OPTION '' or --errors

influxql_diff_main() {
	local corpus=$TESTS_DIR/data/influxql/$1 min=$2 opt=$3
	DIFF=$TESTS_DIR/influxql_diff.py
	OUT=$TMP/out
	UPDATE=
	[ "${INFLUXQL_DIFF_UPDATE:-0}" = 1 ] && UPDATE=--update
	export corpus min opt DIFF OUT UPDATE

	influxd_start "$TMP/influxd" || {
		echo "FAIL $_name: influxd did not start"
		echo "0 passed, 1 failed"
		exit 1
	}
	export INFLUX_URL

	test_expect_success "the corpus holds at least $min entries" '
		n=$(grep -cv "^[[:space:]]*\(#\|$\)" "$corpus")
		echo "$n entries"
		test "$n" -ge "$min"
	'

	test_expect_success 'the data set loads into influxd and tsd' '
		python3 "$DIFF" load --influx "$INFLUX_URL" --tsd-data "$TMP/data" --gen-dir "$TMP/gen"
	'

	test_expect_success 'every entry runs on both; tsd-query never crashes nor hangs' '
		python3 "$DIFF" run $opt $UPDATE --corpus "$corpus" --influx "$INFLUX_URL" \
			--tsd-data "$TMP/data" --out "$OUT"
		! grep -A3 "never allowed" "$OUT/diff.txt"
	'
	[ -f "$OUT/summary.txt" ] && echo "note $_name: $(head -n 1 "$OUT/summary.txt")"

	test_expect_success 'influxd answers as the corpus says (no unintended error or empty answer)' '
		cat "$OUT/influxd.txt"
		test ! -s "$OUT/influxd.txt"
	'

	test_expect_success 'tsd answers as influxd does, but for the listed expected failures' '
		cat "$OUT/diff.txt"
		test ! -s "$OUT/diff.txt"
	'

	test_expect_success 'no expected failure is stale (each listed entry still differs)' '
		cat "$OUT/stale.txt"
		test ! -s "$OUT/stale.txt"
	'
	test_done
}
