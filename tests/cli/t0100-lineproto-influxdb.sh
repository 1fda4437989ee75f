#!/usr/bin/env bash
# Line protocol, differential: the corpus tests/cli/data/lp-corpus.lp is
# written record by record to a real InfluxDB 1.x (Debian's influxd on
# 127.0.0.1) and read by tsd; both must accept and reject the same lines and
# store the same points (tests/cli/lp_diff.py does the comparing).
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "influxd is not installed (scripts/setup installs it)"
CORPUS=$TESTS_DIR/data/lp-corpus.lp
DIFF=$TESTS_DIR/lp_diff.py

influxd_start "$TMP/influxd" || { echo "FAIL $_name: influxd did not start"; echo "0 passed, 1 failed"; exit 1; }

test_expect_success 'the corpus holds at least 150 records, good and bad' '
	n=$(grep -cv "^[[:space:]]*\(#\|$\)" "$CORPUS")
	echo "$n records"
	test "$n" -ge 150
	! lp-check "$CORPUS" > out
	grep -c "^ok line" out && test "$(grep -c "^ok line" out)" -ge 100
	grep -c "^error line" out && test "$(grep -c "^error line" out)" -ge 80
'

test_expect_success 'the parser accepts and rejects the lines InfluxDB does, with the same points' '
	python3 "$DIFF" --corpus "$CORPUS" --influx "$INFLUX_URL" --db lp --lp-check lp-check
'

cat > "$TMP/precision.lp" <<'EOF'
prec,case=small v=1 3
prec,case=negative v=2 -3
prec,case=epoch v=3 1700000000
prec,case=zero v=4 0
prec,case=big v=5 2562047
prec,case=overflow_h v=6 2562048
prec,case=overflow_m v=7 153722867
prec,case=overflow_s v=8 9223372037
prec,case=max_ms v=9 9223372036854
prec,case=overflow_us v=10 9223372036854776
prec,case=junk v=11 12x
EOF
for p in ns us ms s m h; do
	test_expect_success "precision $p: the same timestamps as InfluxDB" "
		python3 \"$DIFF\" --corpus \"$TMP/precision.lp\" --influx \"\$INFLUX_URL\" --db prec_$p \
			--precision $p --lp-check lp-check
	"
done

if command -v tsd-write > /dev/null && command -v tsd-query > /dev/null; then
	test_expect_success 'tsd-write stores what InfluxDB stores; tsd-query --dump gives it back' '
		python3 "$DIFF" --corpus "$CORPUS" --influx "$INFLUX_URL" --db lp --lp-check lp-check \
			--tsd-write "$TMP/data"
	'
	for p in s h; do
		test_expect_success "tsd-write --precision $p: the same timestamps as InfluxDB" "
			python3 \"$DIFF\" --corpus \"$TMP/precision.lp\" --influx \"\$INFLUX_URL\" --db wprec_$p \
				--precision $p --lp-check lp-check --tsd-write \"$TMP/data\"
		"
	done
else
	echo "note $_name: tsd-write/tsd-query not built here: only the parser is compared"
fi

test_done
