# tsd-serve for tests (source after lib.sh): serve_start DIR [FLAGS...]
# starts it on a free 127.0.0.1 port and waits for /ping (SERVE_PORT,
# SERVE_URL, SERVE_PID; its output in serve.out and serve.err);
# serve_stop stops it, as the test's exit does. Needs free_port
# (scripts/influxd.sh).
serve_stop() { [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2> /dev/null && wait "$SERVE_PID" 2> /dev/null; SERVE_PID=; }
serve_start() {
  SERVE_PORT=$(free_port)
  tsd-serve --data "$1" --bind "127.0.0.1:$SERVE_PORT" "${@:2}" > serve.out 2> serve.err &
  SERVE_PID=$!
  SERVE_URL="http://127.0.0.1:$SERVE_PORT"
  for i in $(seq 1 100); do
    curl -sf -o /dev/null "$SERVE_URL/ping" && return 0
    sleep 0.05
  done
  cat serve.err
  return 1
}
at_exit serve_stop
