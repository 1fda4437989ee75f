# Helpers of the service input tests (t41NN-*.sh), sourced after lib.sh.

# gather NAME key=value...: one gather of one input through
# `tsd-collect --config FILE --once`, FILE an [[inputs.NAME]] table made
# from the options (a repeated key, or a list option, makes an array;
# true/false and integers keep their TOML types). Line protocol without the
# host tag on stdout; exit 1 when the input reported an error (stderr
# "tsd-collect: input NAME: ..."), or tsd-collect's own status.
# GATHER_WITH=collect-input uses the one-input test driver instead.
gather() {
  if [ "${GATHER_WITH:-}" = collect-input ]; then
    collect-input "$@"
    return
  fi
  local conf rc=0
  conf=$(mktemp "$TMP/gather.XXXXXX")
  python3 - "$@" >"$conf" <<'PY'
import json, re, sys
name, args = sys.argv[1], sys.argv[2:]
lists = {"servers", "unix_sockets", "urls", "commands", "environment", "databases",
         "ignored_databases"}
opts = {}
for a in args:
    k, _, v = a.partition("=")
    opts.setdefault(k, []).append(v)
def scalar(v):
    if v in ("true", "false"):
        return v
    if re.fullmatch(r"-?[0-9]+", v):
        return v
    return json.dumps(v)  # a TOML basic string: JSON's escapes are TOML's
print("[agent]\n  omit_hostname = true\n")
print("[[inputs.%s]]" % name)
for k, vs in opts.items():
    if k in lists or len(vs) > 1:
        print("  %s = [%s]" % (k, ", ".join(json.dumps(v) for v in vs)))
    else:
        print("  %s = %s" % (k, scalar(vs[0])))
PY
  tsd-collect --config "$conf" --once 2>"$conf.err" || rc=$?
  cat "$conf.err" >&2
  if [ $rc -eq 0 ] && grep -q "^tsd-collect: input $1: " "$conf.err"; then rc=1; fi
  return $rc
}

# field FILE LINE_PREFIX KEY: the value of field KEY (without the i
# suffix) on the first line of FILE starting with LINE_PREFIX.
field() {
  local line
  line=$(grep -m1 -F -- "$2" "$1") || { echo "no line $2 in $1" >&2; return 1; }
  printf '%s\n' "$line" | sed -n 's/.*[ ,]'"$3"'=\("[^"]*"\|[^, ]*\).*/\1/p' | sed 's/i$//'
}

# wait_port PORT: waits up to 10 s for a TCP listener on 127.0.0.1:PORT.
wait_port() {
  local i
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
  if [ "$2" != "$3" ]; then
    echo "$1: got '$2', want '$3'" >&2
    return 1
  fi
}

# wait_lines FILE PATTERN N: waits up to 10 s until FILE has N lines
# matching PATTERN (grep -E).
wait_lines() {
  local i
  for i in $(seq 100); do
    [ "$(grep -cE "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
    sleep 0.1
  done
  echo "fewer than $3 lines $2 in $1" >&2
  return 1
}

# collector_start CONF: runs `tsd-collect --config CONF --interval 1s` in
# the background, stdout in run.out and stderr in run.err, and sets
# COLLECTOR_PID. Call it in a test body: the body's subshell kills the
# collector when it exits (a failed step included).
collector_start() {
  tsd-collect --config "$1" --interval 1s >run.out 2>run.err &
  COLLECTOR_PID=$!
  trap "kill $COLLECTOR_PID 2>/dev/null || true" EXIT
}
