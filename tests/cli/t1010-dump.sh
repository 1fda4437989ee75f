#!/usr/bin/env bash
# tsd-query --dump: every database grouped with CONTEXT lines, --db, --rp,
# --start/--end, and a damaged shard, block or head row reported by name
# (exit 1, no crash).
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: two databases, two shards' '
  printf "a v=1 1000000000\na v=2 2000000000\na v=3 %s\n" $((10 * 86400 * 1000000000)) |
    tsd-write --data d --db one &&
  printf "b v=1i 1000000000\n" | tsd-write --data d --db two
'

test_expect_success 'everything, grouped by database and RP' '
  tsd-query --data d --dump > all &&
  cat > want <<-\EOF &&
	# DML
	# CONTEXT-DATABASE:one
	# CONTEXT-RETENTION-POLICY:autogen
	a v=1 1000000000
	a v=2 2000000000
	a v=3 864000000000000
	# CONTEXT-DATABASE:two
	# CONTEXT-RETENTION-POLICY:autogen
	b v=1i 1000000000
	EOF
  test_cmp want all
'

test_expect_success '--db, --rp, --start and --end' '
  tsd-query --data d --db two --rp autogen --dump | grep -v "^#" > got &&
  echo "b v=1i 1000000000" > want && test_cmp want got &&
  tsd-query --data d --db one --start 1500000000 --end 1970-01-11T00:00:00Z --dump |
    grep -v "^#" > got &&
  printf "a v=2 2000000000\na v=3 864000000000000\n" > want && test_cmp want got &&
  tsd-query --data d --db one --end 1s --dump | grep -v "^#" > got &&
  echo "a v=1 1000000000" > want && test_cmp want got &&
  set +e
  tsd-query --data d --db one --rp nope --dump 2> err; test $? -eq 1 || exit 1
  tsd-query --data d --db one --start yesterday --dump 2> err; test $? -eq 2 || exit 1
  exit 0
'

test_expect_success 'a damaged shard file: an error naming it, exit 1' '
  cp -r d broken &&
  f=$(ls broken/one/autogen/*.db | head -n 1) &&
  dd if=/dev/urandom of="$f" bs=1024 seek=1 count=8 conv=notrunc 2> /dev/null &&
  set +e
  tsd-query --data broken --db one --dump > out 2> err
  rc=$?
  set -e
  cat err &&
  test $rc -eq 1 &&
  grep -q "^tsd-query: one/autogen/[0-9]*.db" err
'

test_expect_success 'a damaged block: an error naming the block' '
  cp -r d badblock &&
  f=$(ls badblock/two/autogen/*.db) &&
  sqlite3 "$f" "UPDATE blocks SET data = x'"'"'01019999'"'"'" &&
  set +e
  tsd-query --data badblock --db two --dump > out 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "^tsd-query: two/autogen/[0-9]*.db: block [0-9]* (series 1, field 1): damaged block" err
'

test_expect_success 'a damaged head row: an error naming it; a writer stops, nothing lost' '
  cp -r d badhead &&
  f=$(ls badhead/two/autogen/*.db) &&
  sqlite3 "$f" "INSERT INTO blocks(series, field, min_time, max_time, count, data)
                VALUES(1, 0, 5, 5, 1, x'"'"'4800'"'"')" &&
  set +e
  tsd-query --data badhead --db two --dump > out 2> err
  test $? -eq 1 || exit 1
  set -e
  cat err &&
  grep -q "^tsd-query: two/autogen/[0-9]*.db: series 1: damaged head row [0-9]*: truncated" err &&
  set +e
  echo "b v=2i 3000000000" | tsd-write --data badhead --db two 2> err
  test $? -eq 1 || exit 1
  set -e
  cat err &&
  grep -q "damaged head row" err &&
  test "$(sqlite3 "$f" "SELECT count(*) FROM blocks WHERE field = 1 AND count = 1")" -ge 1 &&
  sqlite3 "$f" "PRAGMA integrity_check" | grep -qx ok
'

test_done
