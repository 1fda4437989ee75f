# Helpers of the service input tests (t41NN-*.sh), sourced after lib.sh.

# gather NAME key=value...: one gather of one input, line protocol on stdout.
# (tsd-collect --config --once replaces this driver once it exists.)
gather() { collect-input "$@"; }

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
