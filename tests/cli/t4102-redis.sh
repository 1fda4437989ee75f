#!/usr/bin/env bash
# redis input against a real redis-server on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
command -v redis-server >/dev/null || test_skip_all "redis-server not installed"

PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$PORT" --dir "$TMP" --save "" --appendonly no \
  --requirepass s3cret --logfile "$TMP/redis.log" &
at_exit "kill $!"
wait_port "$PORT"

# cmd FILE: sends the RESP commands of FILE (one per line, words split on
# spaces) after AUTH, and reads all replies.
cmd() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  { printf '*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n'
    while read -r -a w; do
      printf '*%d\r\n' ${#w[@]}
      for x in "${w[@]}"; do printf '$%d\r\n%s\r\n' ${#x} "$x"; done
    done <"$1"
    printf '*1\r\n$4\r\nQUIT\r\n'; } >&3
  cat <&3
  exec 3<&-
}

test_expect_success 'without the password: the server error, clearly' '
  ! gather redis servers=tcp://127.0.0.1:$PORT >out 2>err &&
  grep -q "redis: 127.0.0.1:$PORT: NOAUTH" err
'

test_expect_success 'INFO: redis with tags server, port, replication_role' '
  gather redis servers=tcp://127.0.0.1:$PORT password=s3cret >out &&
  grep -q "^redis,port=$PORT,replication_role=master,server=127.0.0.1 " out &&
  field out "redis,port" redis_version | grep -q "^\"7\." &&
  field out "redis,port" uptime | grep -qE "^[0-9]+$" &&
  field out "redis,port" used_cpu_sys | grep -qE "^[0-9.e-]+$" &&
  field out "redis,port" keyspace_hitrate | grep -qE "^[0-9.e-]+$"
'

test_expect_success 'password in the URL' '
  gather redis servers=tcp://:s3cret@127.0.0.1:$PORT >out &&
  grep -q "^redis,port=$PORT" out
'

test_expect_success '100 SET and 100 GET: cmdstat and keyspace move exactly' '
  gather redis servers=tcp://127.0.0.1:$PORT password=s3cret >before &&
  for i in $(seq 100); do echo "SET key$i v$i"; done >cmds &&
  for i in $(seq 100); do echo "GET key$i"; done >>cmds &&
  for i in $(seq 10); do echo "EXPIRE key$i 1000"; done >>cmds &&
  cmd cmds >replies &&
  gather redis servers=tcp://127.0.0.1:$PORT password=s3cret >after &&
  calls() { field "$1" "redis_cmdstat,command=$2," calls || echo 0; } &&
  expect_eq set $(( $(calls after set) - $(calls before set) )) 100 &&
  expect_eq get $(( $(calls after get) - $(calls before get) )) 100 &&
  grep -q "^redis_cmdstat,command=get,port=$PORT,replication_role=master,server=127.0.0.1 calls=" after &&
  field after "redis_cmdstat,command=get," usec_per_call | grep -qE "^[0-9.e-]+$" &&
  expect_eq keys "$(field after "redis_keyspace,database=db0," keys)" 100 &&
  expect_eq expires "$(field after "redis_keyspace,database=db0," expires)" 10 &&
  hits=$(( $(field after "redis,port" keyspace_hits) - $(field before "redis,port" keyspace_hits) )) &&
  expect_eq keyspace_hits $hits 100
'

test_done
