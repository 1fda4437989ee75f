#!/usr/bin/env bash
# postgresql input against a real PostgreSQL on 127.0.0.1 (a private
# cluster; as root, the server runs as the postgres user).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || test_skip_all "postgresql not installed"

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
  chmod 755 "$TMP"
fi
PORT=$(free_port)
mkdir -p "$TMP/pg" && [ ${#as_pg[@]} -eq 0 ] || chown postgres "$TMP/pg"
"${as_pg[@]}" "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres --auth=trust -E UTF8 --no-sync \
  >"$TMP/initdb.log" 2>&1 || { cat "$TMP/initdb.log"; exit 1; }
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w -s \
  -o "-p $PORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c fsync=off" start ||
  { cat "$TMP/pg/log"; exit 1; }
at_exit "${as_pg[*]} $PGBIN/pg_ctl -D $TMP/pg/data -m immediate -s stop"
psql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql -d postgres -c "CREATE DATABASE app" &&
psql -d app -c "CREATE TABLE t (id int primary key, v text)"
ADDR="host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=disable"
# Telegraf's server tag: the address without sslmode (and password, ssl*),
# as line protocol escapes it.
SERVER_LP="host\\=127.0.0.1\\ port\\=$PORT\\ user\\=postgres\\ dbname\\=postgres\\ "

test_expect_success 'pg_stat_database and pg_stat_bgwriter: postgresql, tags db and server' '
  gather postgresql "address=$ADDR" >out &&
  grep -qF "postgresql,db=app,server=$SERVER_LP datid=" out &&
  grep -q "^postgresql,db=postgres,server=.* datid=[0-9]*i,datname=\"postgres\",numbackends=[0-9]*i,xact_commit=" out &&
  grep -q "^postgresql,db=template1," out &&
  # the bgwriter row: db=postgres without datname
  grep "^postgresql,db=postgres," out | grep -q " checkpoints_timed=[0-9]*i,checkpoints_req=[0-9]*i,checkpoint_write_time=[0-9.e+-]*,checkpoint_sync_time=" &&
  ! grep -q stats_reset out &&
  field out "postgresql,db=app," blk_read_time | grep -qE "^[0-9.e+-]+$"
'

test_expect_success '100 transactions in app move xact_commit and tup_inserted exactly' '
  gather postgresql "address=$ADDR" databases=app >before &&
  test "$(wc -l <before)" = 2 &&
  for i in $(seq 100); do echo "BEGIN; INSERT INTO t VALUES ($i, '\''v'\''); COMMIT;"; done >tx.sql &&
  psql -d app -f tx.sql &&
  gather postgresql "address=$ADDR" databases=app >after &&
  d() { echo $(( $(field after postgresql,db=app, $1) - $(field before postgresql,db=app, $1) )); } &&
  # 100 transactions, and the one that starts the psql session
  expect_eq xact_commit "$(d xact_commit)" 101 &&
  expect_eq tup_inserted "$(d tup_inserted)" 100 &&
  expect_eq xact_rollback "$(d xact_rollback)" 0
'

test_expect_success 'ignored_databases, outputaddress, and a postgres:// URL' '
  gather postgresql "address=postgres://postgres:pw@127.0.0.1:$PORT/postgres?sslmode=disable" \
    ignored_databases=template0 ignored_databases=template1 >out &&
  ! grep -q ",db=template" out && grep -q ",db=app," out &&
  grep -qF "postgresql,db=app,server=dbname\\=postgres\\ host\\=127.0.0.1\\ port\\=$PORT\\ user\\=postgres datid=" out &&
  gather postgresql "address=$ADDR" outputaddress=db01 databases=app >out &&
  grep -q "^postgresql,db=app,server=db01 " out
'

test_expect_success 'a running collector reconnects when its connection is killed' '
  printf "[agent]\n  omit_hostname = true\n[[inputs.postgresql]]\n  address = \"%s\"\n  databases = [\"app\"]\n" \
    "$ADDR" >run.conf
  collector_start run.conf
  wait_lines run.out "^postgresql,db=app" 1 &&
  test "$(psql -d app -tA -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
          WHERE datname = '\''postgres'\'' AND backend_type = '\''client backend'\''")" = 1 &&
  wait_lines run.out "^postgresql,db=app" 3 &&
  kill $COLLECTOR_PID && wait $COLLECTOR_PID; cat run.err &&
  ! grep -q "input postgresql" run.err
'

test_expect_success 'an unknown database: the server message' '
  ! gather postgresql "address=host=127.0.0.1 port=$PORT user=postgres dbname=nope" 2>err &&
  grep -q "connect: .*database \"nope\" does not exist" err
'

test_done
