#!/usr/bin/env bash
# tsd-query --dump: the DDL, every database grouped with CONTEXT lines, --db, --rp,
# --start/--end, and a damaged shard, block or head row reported by name
# (exit 1, no crash).
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: two databases, two shards' '
  printf "a v=1 1000000000\na v=2 2000000000\na v=3 %s\n" $((10 * 86400 * 1000000000)) |
    tsd-write --data d --db one &&
  printf "b v=1i 1000000000\n" | tsd-write --data d --db two
'

test_expect_success 'everything, grouped by database and RP, after the DDL' '
  tsd-query --data d --dump > all &&
  cat > want <<-\EOF &&
	# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z
	# DDL
	CREATE DATABASE one WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
	CREATE DATABASE two WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
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
  tsd-query --data d --db two --rp autogen --dump | grep -v "^#\|^CREATE " > got &&
  echo "b v=1i 1000000000" > want && test_cmp want got &&
  tsd-query --data d --db one --start 1500000000 --end 1970-01-11T00:00:00Z --dump |
    grep -v "^#\|^CREATE " > got &&
  printf "a v=2 2000000000\na v=3 864000000000000\n" > want && test_cmp want got &&
  tsd-query --data d --db one --end 1s --dump | grep -v "^#\|^CREATE " > got &&
  echo "a v=1 1000000000" > want && test_cmp want got &&
  set +e
  tsd-query --data d --db one --rp nope --dump 2> err; test $? -eq 1 || exit 1
  tsd-query --data d --db one --start yesterday --dump 2> err; test $? -eq 2 || exit 1
  exit 0
'

test_expect_success 'tsd-write of a dump without --db: every point back where it was' '
  tsd-query --data d -e "CREATE RETENTION POLICY \"r p\" ON one DURATION 2w REPLICATION 1" &&
  printf "c v=\"x\" %s000000000\n" $(date +%s) | tsd-write --data d --db one --rp "r p" &&
  tsd-query --data d --dump > all &&
  grep -qx "CREATE RETENTION POLICY \"r p\" ON one DURATION 2w REPLICATION 1 SHARD DURATION 1d" all &&
  tsd-write --data copy all &&
  tsd-query --data copy --dump > again && test_cmp all again &&
  tsd-write --data copy all && tsd-query --data copy --dump > again && test_cmp all again
'

test_expect_success 'tsd-write: context lines switch, --db is the default, line numbers kept' '
  cat > ctx.lp <<-\EOF &&
	a v=1 1
	# CONTEXT-DATABASE: other
	a v=2 2
	# CONTEXT-RETENTION-POLICY:nope
	a v=3 3
	a v=4 4
	#  CONTEXT-DATABASE:not a directive
	# CONTEXT-DATABASE:base
	# CONTEXT-RETENTION-POLICY:autogen
	a v=5 5
	a v=x 6
	EOF
  set +e
  tsd-write --data c --db base ctx.lp 2> err; test $? -eq 1 || exit 1
  set -e
  cat err &&
  grep -qx "tsd-write: ctx.lp: line 4: retention policy not found: nope" err &&
  grep -q "^tsd-write: ctx.lp: line 11: column " err &&
  grep -qx "tsd-write: 3 points written, 3 lines rejected" err &&
  tsd-query --data c --db base --dump | grep "^a " > got &&
  printf "a v=1 1\na v=5 5\n" > want && test_cmp want got &&
  tsd-query --data c --db other --dump | grep "^a " > got &&
  printf "a v=2 2\n" > want && test_cmp want got
'

test_expect_success 'tsd-write: a # DDL section runs CREATE statements only' '
  cat > ddl.lp <<-\EOF &&
	# DDL
	CREATE DATABASE n WITH DURATION 0s REPLICATION 1 SHARD DURATION 1w NAME autogen
	CREATE RETENTION POLICY w ON n DURATION 1w REPLICATION 1 SHARD DURATION 1d

	DROP DATABASE one
	CREATE DATABASE n WITH NAME w
	CREATE DATABASE n WITH NAME x
	# DML
	# CONTEXT-DATABASE:n
	# CONTEXT-RETENTION-POLICY:x
	a v=1 1
	EOF
  set +e
  tsd-write --data d ddl.lp 2> err; test $? -eq 1 || exit 1
  set -e
  cat err &&
  grep -qx "tsd-write: ddl.lp: line 5: only CREATE DATABASE and CREATE RETENTION POLICY are run from a # DDL section" err &&
  grep -qx "tsd-write: 1 points written, 1 lines rejected" err &&
  tsd-query --data d -e "SHOW DATABASES" | grep -qx one &&
  tsd-query --data d -e "SHOW RETENTION POLICIES ON n" > rps &&
  grep -q "^w  *168h0m0s  *24h0m0s  *1  *false" rps &&
  grep -q "^x  *0s  *168h0m0s  *1  *false" rps &&
  tsd-query --data d --db n --rp x --dump | grep -qx "a v=1 1"
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
  sqlite3 "$f" "INSERT INTO blocks(series, field, min_time, max_time, count, bytes, data)
                VALUES(1, 0, 5, 5, 1, 2, x'"'"'4800'"'"')" &&
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
