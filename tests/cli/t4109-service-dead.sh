#!/usr/bin/env bash
# Dead and stuck servers: one clear error within the timeout, never a hang,
# and the live servers of the same input still give their points.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
command -v python3 >/dev/null || test_skip_all "python3 not installed"

DEAD=$(free_port)   # nothing listens here
HOLE=$(free_port)   # accepts connections and never answers
cat >"$TMP/hole.py" <<'PY'
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
PY
python3 "$TMP/hole.py" "$HOLE" &
at_exit "kill $!"
wait_port "$HOLE"

test_expect_success 'a closed port: one error naming the address, exit 1' '
  for input in "memcached servers=127.0.0.1:$DEAD" "redis servers=tcp://127.0.0.1:$DEAD" \
               "zookeeper servers=127.0.0.1:$DEAD" "nginx urls=http://127.0.0.1:$DEAD/s"; do
    set -- $input
    rc=0 && gather "$@" >out 2>err || rc=$?
    test $rc = 1 && test ! -s out && test "$(grep -c "^tsd-collect: input " err)" = 1 &&
    grep -q "^tsd-collect: input $1: .*dial tcp 127.0.0.1:$DEAD: Connection refused$" err || {
      cat err; exit 1; }
  done
'

test_expect_success 'a server that never answers: timed out after the timeout' '
  for input in "memcached servers=127.0.0.1:$HOLE timeout=1s" \
               "redis servers=tcp://127.0.0.1:$HOLE timeout=1s" \
               "zookeeper servers=127.0.0.1:$HOLE timeout=1s" \
               "nginx urls=http://127.0.0.1:$HOLE/s response_timeout=1s"; do
    set -- $input
    start=$(date +%s%N)
    rc=0 && gather "$@" >out 2>err || rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    test $rc = 1 && grep -q "read from 127.0.0.1:$HOLE: timed out" err &&
    test $ms -ge 900 && test $ms -lt 4000 || { echo "$1: rc=$rc ${ms}ms"; cat err; exit 1; }
  done
'

test_expect_success 'mysql and postgresql servers that never answer: bounded by the timeout' '
  start=$(date +%s%N) &&
  ! gather mysql "servers=tcp(127.0.0.1:$HOLE)/" timeout=1s 2>err &&
  ms=$(( ($(date +%s%N) - start) / 1000000 )) && test $ms -lt 4000 &&
  grep -q "^tsd-collect: input mysql: 127.0.0.1:$HOLE: connect: Lost connection" err &&
  start=$(date +%s%N) &&
  ! gather postgresql "address=host=127.0.0.1 port=$HOLE" timeout=1s 2>err &&
  ms=$(( ($(date +%s%N) - start) / 1000000 )) && test $ms -lt 4000 &&
  grep -q "^tsd-collect: input postgresql: host=127.0.0.1 port=$HOLE: connect: .*timeout expired" err
'

if command -v memcached >/dev/null; then
  LIVE=$(free_port)
  user=(); [ "$(id -u)" -eq 0 ] && user=(-u nobody)
  memcached -l 127.0.0.1 -p "$LIVE" -U 0 "${user[@]}" &
  at_exit "kill $!"
  wait_port "$LIVE"
  test_expect_success 'a dead server beside a live one: the live one still reports' '
    rc=0 && gather memcached servers=127.0.0.1:$DEAD servers=127.0.0.1:$LIVE >out 2>err || rc=$?
    test $rc = 1 && grep -q "Connection refused" err &&
    grep -q "^memcached,server=127.0.0.1:$LIVE " out
  '
fi

test_expect_success 'tsd-collect: a dead server is one warning, the other inputs go on' '
  cat >dead.conf <<CONF &&
[agent]
  omit_hostname = true
[[inputs.redis]]
  servers = ["tcp://127.0.0.1:$DEAD"]
[[inputs.mysql]]
  servers = ["tsd:pw@tcp(127.0.0.1:$DEAD)/"]
[[inputs.zookeeper]]
  servers = ["127.0.0.1:$HOLE"]
  timeout = "1s"
[[inputs.exec]]
  commands = ["echo still_here v=1i"]
[[inputs.mem]]
CONF
  rc=0 && tsd-collect --config dead.conf --once >out 2>err || rc=$? &&
  test $rc = 1 &&
  grep -q "^still_here v=1i " out && grep -q "^mem " out &&
  test "$(grep -c "^tsd-collect: input redis: .*127.0.0.1:$DEAD: Connection refused" err)" = 1 &&
  test "$(grep -c "^tsd-collect: input mysql: 127.0.0.1:$DEAD: connect: " err)" = 1 &&
  test "$(grep -c "^tsd-collect: input zookeeper: read from 127.0.0.1:$HOLE: timed out" err)" = 1 &&
  test "$(grep -c "^tsd-collect: input " err)" = 3
'

test_done
