#!/usr/bin/env bash
# InfluxQL, differential: the corpus tests/cli/data/influxql/queries.iql runs
# in order on a real InfluxDB 1.6 (Debian's influxd on 127.0.0.1) and on
# tsd-query over the same data (data/influxql/gen.py, written to both), and
# the answers (the JSON body of /query) must be the same: compared exactly,
# except that two floats 1 ulp apart are equal (tests/cli/influxql_diff.py
# says all of it). tsd-query must exit 1 when its JSON holds an error, else 0,
# and never crash or hang.
#
# Known differences are listed in data/influxql/xfail.txt (one a line, with a
# reason); a listed query that matches now fails the test too, so the list
# only shrinks. INFLUXQL_DIFF_UPDATE=1 rewrites the list from this run.
# Differences kept on purpose (an InfluxDB bug) go to data/influxql/deliberate.txt.
. "$(dirname "$0")/lib.sh"

command -v influxd > /dev/null || test_skip_all "influxd is not installed (scripts/setup installs it)"
command -v tsd-write > /dev/null && command -v tsd-query > /dev/null ||
	test_skip_all "tsd-write/tsd-query are not built"
. "$TESTS_DIR/lib-influxql.sh"
influxql_diff_main queries.iql 320 ''
