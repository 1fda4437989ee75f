#!/usr/bin/env bash
# nginx input against a real nginx (stub_status) on 127.0.0.1.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || test_skip_all "nginx not installed"

PORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
$([ "$(id -u)" -eq 0 ] && echo "user root;")
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$PORT;
    location = /nginx_status { stub_status; }
    location / { return 200 "hi\n"; }
    location /nope { return 404; }
  }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx/stderr" &
at_exit "kill $!"
wait_port "$PORT"
URL=http://127.0.0.1:$PORT/nginx_status

test_expect_success 'stub_status: nginx with tags server, port' '
  gather nginx urls=$URL >out &&
  grep -qE "^nginx,port=$PORT,server=127.0.0.1 active=[0-9]+i,accepts=[0-9]+i,handled=[0-9]+i,requests=[0-9]+i,reading=[0-9]+i,writing=[0-9]+i,waiting=[0-9]+i [0-9]+$" out
'

test_expect_success '100 requests on one connection move the counters exactly' '
  gather nginx urls=$URL >before &&
  urls=() && for i in $(seq 100); do urls+=("http://127.0.0.1:$PORT/x$i"); done &&
  curl -sS "${urls[@]}" >pages && test "$(grep -c hi pages)" = 100 &&
  gather nginx urls=$URL >after &&
  # the second status request counts too: one more request and connection
  expect_eq requests $(( $(field after nginx, requests) - $(field before nginx, requests) )) 101 &&
  expect_eq accepts $(( $(field after nginx, accepts) - $(field before nginx, accepts) )) 2 &&
  expect_eq handled $(( $(field after nginx, handled) - $(field before nginx, handled) )) 2 &&
  expect_eq writing "$(field after nginx, writing)" 1
'

test_expect_success 'a page that is not stub_status, and a 404, are errors' '
  ! gather nginx urls=http://127.0.0.1:$PORT/ 2>err && grep -q "stub_status: unexpected format" err &&
  ! gather nginx urls=http://127.0.0.1:$PORT/nope 2>err &&
  grep -q "returned HTTP status 404" err
'

test_expect_success 'https is refused when the input is created' '
  ! gather nginx urls=https://127.0.0.1:$PORT/ 2>err && grep -q "only http:// is supported" err
'

test_done
