# Starts and stops a private InfluxDB 1.x (Debian's influxd) on 127.0.0.1 for
# tests and the bench. Source this file, then:
#   influxd_start DIR     # starts influxd with its data under DIR; sets INFLUX_PORT, INFLUX_URL, INFLUX_PID
#                         # (INFLUXD_AUTH=1: with auth-enabled = true)
#   influx_query DB 'Q'   # GET /query, JSON on stdout (epoch=ns)
#   influx_write DB FILE  # POST /write, the server's answer on stdout; status code in INFLUX_HTTP
#   influxd_stop          # stops it (also done at exit when started by influxd_start:
#                         # through at_exit where tests/cli/lib.sh defines it, else a trap)

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

influxd_start() {
  local dir=$1
  mkdir -p "$dir"
  INFLUX_PORT=$(free_port)
  local rpc_port; rpc_port=$(free_port)
  local auth=false; [ -z "${INFLUXD_AUTH:-}" ] || auth=true
  cat > "$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
  trace-logging-enabled = false
[coordinator]
[retention]
  enabled = false
[shard-precreation]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
  max-body-size = 0
  auth-enabled = $auth
[continuous_queries]
  enabled = false
[logging]
  level = "error"
CONF
  influxd -config "$dir/influxdb.conf" > "$dir/influxd.log" 2>&1 &
  INFLUX_PID=$!
  INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
  local i
  for i in $(seq 1 200); do
    if curl -sf -o /dev/null "$INFLUX_URL/ping"; then
      # Under tests/cli/lib.sh, join its exit clean-ups (a trap of our own
      # would replace the one that removes the test's scratch directory).
      if declare -F at_exit >/dev/null; then at_exit influxd_stop; else trap influxd_stop EXIT; fi
      return 0
    fi
    kill -0 "$INFLUX_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "influxd did not start; its log:" >&2
  cat "$dir/influxd.log" >&2
  kill "$INFLUX_PID" 2>/dev/null
  wait "$INFLUX_PID" 2>/dev/null
  INFLUX_PID=
  return 1
}

influxd_stop() {
  if [ -n "${INFLUX_PID:-}" ]; then
    kill "$INFLUX_PID" 2>/dev/null
    wait "$INFLUX_PID" 2>/dev/null
    INFLUX_PID=
  fi
}

influx_query() {
  curl -sS -G "$INFLUX_URL/query" --data-urlencode "db=$1" --data-urlencode "q=$2" \
    --data-urlencode "epoch=ns"
}

influx_write() {
  local db=$1 file=$2 precision=${3:-ns}
  local out
  out=$(curl -sS -w '\n%{http_code}' -XPOST "$INFLUX_URL/write?db=$db&precision=$precision" \
    --data-binary @"$file")
  INFLUX_HTTP=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
}
