# The tiny test library of tests/cli/tNNNN-*.sh (after git's t/test-lib.sh).
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what it checks' '
#       tsd-write --data d --db x <in.lp && ...
#   '
#   test_done          # prints "N passed, M failed", exits 1 on any failure
#
# Each test body runs with `set -e` in a subshell, in the test's scratch
# directory $TMP (removed at exit). The built programs are first on PATH.

set -u
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS_DIR/../.." && pwd)
TSD_BIN=${TSD_BIN:-$ROOT/bin}
TSD_TOOLS=${TSD_TOOLS:-$ROOT/build/tools}
export PATH="$TSD_BIN:$TSD_TOOLS:$PATH"
export NO_COLOR=1
unset TSD_DATA XDG_DATA_HOME
TMP=$(mktemp -d "/tmp/tsd-$(basename "$0" .sh).XXXXXX")
_cleanups=()
_cleanup() {
  local c
  for c in "${_cleanups[@]}"; do eval "$c" || true; done
  rm -rf "$TMP"
}
trap _cleanup EXIT
# Registers a command to run at exit (stopping a server, say).
at_exit() { _cleanups+=("$1"); }

_passed=0
_failed=0
_name=$(basename "$0" .sh)

test_expect_success() {
  local what=$1 body=$2 rc
  # A command of its own: as the condition of an `if` (or beside || and
  # &&) the body would run with set -e ignored, and only its last command
  # would count.
  (cd "$TMP" && set -e && eval "$body") > "$TMP/.log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    _passed=$((_passed + 1))
    [ -n "${VERBOSE:-}" ] && echo "ok   $_name: $what"
  else
    _failed=$((_failed + 1))
    echo "FAIL $_name: $what"
    sed -n '1,60p' "$TMP/.log" | sed 's/^/     | /'
  fi
  return 0
}

# Skips the rest of the file with a reason (a missing server binary, say).
test_skip_all() {
  echo "skip $_name: $1"
  echo "0 passed, 0 failed"
  exit 0
}

test_done() {
  echo "$_passed passed, $_failed failed"
  [ "$_failed" -eq 0 ]
}

# wait_drained FD: waits up to 10 s until the pipe open on FD holds no
# unread bytes (its reader has taken all that was written).
wait_drained() {
  python3 - "$1" <<'PY'
import array, fcntl, sys, termios, time
fd = int(sys.argv[1])
for _ in range(200):
    n = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, n)
    if n[0] == 0:
        sys.exit(0)
    time.sleep(0.05)
sys.exit("fd %d: %d bytes still unread after 10 s" % (fd, n[0]))
PY
}

# Compares two files and shows a diff when they differ.
test_cmp() { diff -u "$1" "$2"; }
# Runs a command that must exit with the given status.
test_expect_code() {
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  [ "$rc" = "$want" ] || { echo "exit $rc, not $want: $*" >&2; return 1; }
}

. "$ROOT/scripts/influxd.sh"
