#!/usr/bin/env bash
# The client libraries of mysql (libmariadb) and postgresql (libpq) are
# loaded only when such an input is configured: a system-only collector
# never maps them.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"

DEAD=$(free_port)

# run_maps CONF: runs tsd-collect --config CONF for a moment and copies
# its /proc/PID/maps and status to maps and status.
run_maps() {
  tsd-collect --config "$1" --interval 1s >/dev/null 2>collect.err &
  local pid=$!
  sleep 1.5
  cp "/proc/$pid/maps" maps && cp "/proc/$pid/status" status
  kill "$pid" && wait "$pid" || true
}

test_expect_success 'a system-only collector maps neither libmariadb nor libpq' '
  printf "[[inputs.cpu]]\n[[inputs.mem]]\n[[inputs.exec]]\n  commands = [\"true\"]\n" >sys.conf &&
  run_maps sys.conf &&
  ! grep -q "libmariadb\|libpq" maps &&
  grep VmHWM status
'

test_expect_success 'a mysql or postgresql input loads its library' '
  printf "[[inputs.mem]]\n[[inputs.mysql]]\n  servers = [\"tcp(127.0.0.1:%s)/\"]\n" "$DEAD" >my.conf &&
  run_maps my.conf &&
  grep -q "libmariadb\.so\.3" maps && ! grep -q "libpq" maps &&
  printf "[[inputs.mem]]\n[[inputs.postgresql]]\n  address = \"host=127.0.0.1 port=%s\"\n" "$DEAD" >pg.conf &&
  run_maps pg.conf &&
  grep -q "libpq\.so\.5" maps && ! grep -q "libmariadb" maps
'

test_done
