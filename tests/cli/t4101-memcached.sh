#!/usr/bin/env bash
# memcached input against a real memcached on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
command -v memcached >/dev/null || test_skip_all "memcached not installed"

PORT=$(free_port)
user=(); [ "$(id -u)" -eq 0 ] && user=(-u nobody)
chmod 777 "$TMP"
memcached -l 127.0.0.1 -p "$PORT" -U 0 "${user[@]}" &
MC=$!
at_exit "kill $MC"
memcached -s "$TMP/mc.sock" -a 0777 "${user[@]}" &
at_exit "kill $!"
wait_port "$PORT"

test_expect_success 'stats have Telegraf fields and the server tag' '
  gather memcached servers=127.0.0.1:$PORT >out &&
  grep -q "^memcached,server=127.0.0.1:$PORT " out &&
  for f in get_hits get_misses evictions curr_connections curr_items bytes limit_maxbytes \
           cmd_get cmd_set uptime threads total_items; do
    field out memcached, $f | grep -qE "^[0-9]+$" || { echo "no $f"; exit 1; }
  done
'

test_expect_success '1 SET and 100 GETs move the counters exactly' '
  gather memcached servers=127.0.0.1:$PORT >before &&
  { printf "set k 0 0 5\r\nhello\r\n"
    for i in $(seq 100); do printf "get k\r\n"; done
    for i in $(seq 7); do printf "get missing\r\n"; done
    printf "quit\r\n"; } >req &&
  exec 3<>/dev/tcp/127.0.0.1/$PORT && cat req >&3 && cat <&3 >reply && exec 3<&- &&
  test "$(grep -c "^VALUE k" reply)" = 100 &&
  gather memcached servers=127.0.0.1:$PORT >after &&
  expect_eq cmd_get $(( $(field after memcached, cmd_get) - $(field before memcached, cmd_get) )) 107 &&
  expect_eq get_hits $(( $(field after memcached, get_hits) - $(field before memcached, get_hits) )) 100 &&
  expect_eq get_misses $(( $(field after memcached, get_misses) - $(field before memcached, get_misses) )) 7 &&
  expect_eq cmd_set $(( $(field after memcached, cmd_set) - $(field before memcached, cmd_set) )) 1 &&
  expect_eq curr_items "$(field after memcached, curr_items)" 1
'

test_expect_success 'a unix socket' '
  for i in $(seq 50); do [ -S "$TMP/mc.sock" ] && break; sleep 0.1; done &&
  gather memcached unix_sockets="$TMP/mc.sock" >out &&
  grep -q "^memcached,server=$TMP/mc.sock " out
'

test_done
