#!/usr/bin/env bash
# mysql input against a real MariaDB server on 127.0.0.1 (a private data
# directory, a user made for the test).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null ||
  test_skip_all "mariadb-server not installed"

PORT=$(free_port)
SOCK=$TMP/my.sock
mariadb-install-db --no-defaults --datadir="$TMP/data" --user="$(id -un)" \
  --auth-root-authentication-method=normal --skip-test-db >"$TMP/install.log" 2>&1 ||
  { cat "$TMP/install.log"; exit 1; }
mariadbd --no-defaults --datadir="$TMP/data" --user="$(id -un)" --socket="$SOCK" \
  --port="$PORT" --bind-address=127.0.0.1 --skip-name-resolve --skip-log-bin \
  --innodb-buffer-pool-size=16M --innodb-monitor-enable=module_trx --innodb-stats-persistent=OFF --log-error="$TMP/mariadb.err" 2>>"$TMP/mariadb.err" &
at_exit "kill $!; wait $! 2>/dev/null"
wait_port "$PORT"
sql() { mariadb --no-defaults --socket="$SOCK" -uroot --batch --skip-column-names "$@"; }
sql -e "CREATE USER 'tsd'@'127.0.0.1' IDENTIFIED BY 'pw';
        GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR ON *.* TO 'tsd'@'127.0.0.1';
        CREATE DATABASE app; CREATE TABLE app.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;"
DSN="tsd:pw@tcp(127.0.0.1:$PORT)/"

test_expect_success 'SHOW GLOBAL STATUS: mysql, lower-case fields, server tag host:port' '
  gather mysql "servers=$DSN" gather_global_variables=false >out &&
  test "$(wc -l <out)" = 1 &&
  grep -q "^mysql,server=127.0.0.1:$PORT " out &&
  field out mysql, uptime | grep -qE "^[0-9]+$" &&
  field out mysql, queries | grep -qE "^[0-9]+$" &&
  field out mysql, innodb_buffer_pool_pages_total | grep -qE "^[0-9]+$" &&
  # ON/OFF become 1/0, like Telegraf
  expect_eq rpl_semi_sync_master_status "$(field out mysql, rpl_semi_sync_master_status)" 0 &&
  # strings stay strings
  field out mysql, innodb_buffer_pool_load_status | grep -q "^\""
'

test_expect_success '100 SELECTs and 100 INSERTs move the counters exactly' '
  gather mysql "servers=$DSN" gather_global_variables=false gather_innodb_metrics=true >before &&
  { for i in $(seq 100); do echo "SELECT $i;"; done
    for i in $(seq 100); do echo "INSERT INTO app.t VALUES ($i, $i);"; done; } | sql >/dev/null &&
  gather mysql "servers=$DSN" gather_global_variables=false gather_innodb_metrics=true >after &&
  d() { echo $(( $(field after "$1" "$2") - $(field before "$1" "$2") )); } &&
  # and the SELECT from INNODB_METRICS of the second gather
  expect_eq com_select "$(d mysql, com_select)" 101 &&
  expect_eq com_insert "$(d mysql, com_insert)" 100 &&
  grep -q "^mysql_innodb,server=127.0.0.1:$PORT " after &&
  # each autocommitted INSERT is one read-write transaction
  expect_eq "mysql_innodb trx_rw_commits" "$(d mysql_innodb, trx_rw_commits)" 100
'

test_expect_success 'SHOW GLOBAL VARIABLES: mysql_variables with the version tags' '
  gather mysql "servers=$DSN" >out &&
  grep "^mysql_variables," out >vars &&
  grep -q ",server=127.0.0.1:$PORT," vars &&
  grep -q ",version=10\.[0-9.]*-MariaDB" vars &&
  expect_eq max_connections "$(field vars mysql_variables max_connections)" 151 &&
  expect_eq port "$(field vars mysql_variables port)" "$PORT"
'

test_expect_success 'interval_slow: global variables less often than status' '
  printf "[agent]\n  omit_hostname = true\n[[inputs.mysql]]\n  servers = [\"%s\"]\n  interval_slow = \"1h\"\n" \
    "$DSN" >slow.conf &&
  { timeout -s TERM 3.5 tsd-collect --config slow.conf --interval 1s >out 2>err || true; } &&
  test "$(grep -c "^mysql," out)" -ge 2 &&
  test "$(grep -c "^mysql_variables," out)" = 1
'

test_expect_success 'slave status: slave_* fields in mysql' '
  sql -e "CHANGE MASTER TO MASTER_HOST=\"127.0.0.1\", MASTER_PORT=1, MASTER_USER=\"r\"" &&
  gather mysql "servers=$DSN" gather_global_variables=false gather_slave_status=true >out &&
  grep "slave_master_host" out >slave && test "$(wc -l <slave)" = 1 &&
  expect_eq slave_master_port "$(field slave mysql, slave_master_port)" 1 &&
  expect_eq slave_master_host "$(field slave mysql, slave_master_host)" "\"127.0.0.1\"" &&
  expect_eq slave_slave_io_running "$(field slave mysql, slave_slave_io_running)" 0
'

test_expect_success 'process list: thread states and connections per user' '
  for i in 1 2 3; do (sleep 4 | sql) & done &&
  for i in $(seq 50); do
    test "$(sql -e "SELECT count(*) FROM information_schema.processlist WHERE user=\"root\"")" = 4 && break
    sleep 0.1
  done &&
  gather mysql "servers=$DSN" gather_global_variables=false gather_process_list=true >out &&
  grep -q "^mysql_process_list,server=127.0.0.1:$PORT " out &&
  expect_eq threads_idle "$(field out mysql_process_list, threads_idle)" 3 &&
  expect_eq threads_waiting_for_lock "$(field out mysql_process_list, threads_waiting_for_lock)" 0 &&
  expect_eq "root connections" "$(field out "mysql_users,server=127.0.0.1:$PORT,user=root " connections)" 3 &&
  expect_eq "tsd connections" "$(field out "mysql_users,server=127.0.0.1:$PORT,user=tsd " connections)" 1
'

test_expect_success 'a running collector reconnects when its connection is killed' '
  printf "[agent]\n  omit_hostname = true\n[[inputs.mysql]]\n  servers = [\"%s\"]\n  gather_global_variables = false\n" \
    "$DSN" >run.conf
  collector_start run.conf
  wait_lines run.out "^mysql," 1 &&
  id=$(sql -e "SELECT id FROM information_schema.processlist WHERE user = \"tsd\"") &&
  test -n "$id" && sql -e "KILL $id" &&
  wait_lines run.out "^mysql," 3 &&
  kill $COLLECTOR_PID && wait $COLLECTOR_PID; cat run.err &&
  ! grep -q "input mysql" run.err
'

test_expect_success 'a unix socket: server tag is the path' '
  gather mysql "servers=root@unix($SOCK)/" gather_global_variables=false >out &&
  grep -q "^mysql,server=$SOCK " out
'

test_expect_success 'a wrong password: the server message' '
  ! gather mysql "servers=tsd:nope@tcp(127.0.0.1:$PORT)/" 2>err &&
  grep -q "mysql: 127.0.0.1:$PORT: connect: Access denied for user .tsd.@.127.0.0.1." err
'

test_expect_success 'a bad DSN, metric_version 1, unimplemented switches: refused at creation' '
  ! gather mysql "servers=tcp(127.0.0.1:$PORT)" 2>err &&
  grep -q "missing the slash" err &&
  ! gather mysql "servers=$DSN" metric_version=1 2>err &&
  grep -q "only metric_version 2" err &&
  ! gather mysql "servers=$DSN" gather_user_statistics=true 2>err &&
  grep -q "inputs.mysql: gather_user_statistics = true: not supported by tsd-collect" err
'

test_done
