#!/usr/bin/env bash
# tsd-write and tsd-query's command line: exit codes, usage errors, the
# data directory from --data, TSD_DATA, XDG_DATA_HOME or HOME, empty input,
# the closing summary.
. "$(dirname "$0")/lib.sh"

test_expect_success 'empty input creates the database' '
  tsd-write --data d --db empty < /dev/null 2> err &&
  test -f d/meta.db &&
  grep -q "^tsd-write: 0 points written, 0 lines rejected$" err &&
  tsd-query --data d --dump > out &&
  grep -qx "# CONTEXT-DATABASE:empty" out &&
  grep -qx "# CONTEXT-RETENTION-POLICY:autogen" out
'

test_expect_success 'creating again is harmless, and the summary counts points' '
  printf "m v=1 1\nm v=2 2\n" | tsd-write --data d --db empty 2> err &&
  grep -q "^tsd-write: 2 points written, 0 lines rejected$" err &&
  test $(tsd-query --data d --db empty --dump | grep -c "^m ") -eq 2
'

test_expect_success 'TSD_DATA stands for --data' '
  echo "m v=3 3" | TSD_DATA=$PWD/e tsd-write --db x &&
  TSD_DATA=$PWD/e tsd-query --dump | grep -qx "m v=3 3"
'

test_expect_success 'no --data nor TSD_DATA: $XDG_DATA_HOME/tsd, else ~/.local/share/tsd' '
  echo "m v=4 4" | HOME=$PWD/home XDG_DATA_HOME= tsd-write --db x &&
  test -f home/.local/share/tsd/meta.db &&
  HOME=$PWD/home tsd-query --dump | grep -qx "m v=4 4" &&
  echo "m v=5 5" | HOME=$PWD/home XDG_DATA_HOME=$PWD/xdg tsd-write --db x &&
  XDG_DATA_HOME=$PWD/xdg tsd-query --dump | grep -qx "m v=5 5" &&
  ! HOME=$PWD/home tsd-query --dump | grep -q "m v=5 5" &&
  tsd-write --help | grep -q "XDG_DATA_HOME"
'

test_expect_success 'usage errors exit 2 with a message' '
  set +e
  # Without --db only lines after a CONTEXT line have a database.
  printf "m v=1\nm v=2\n" | tsd-write --data d 2> err; test $? -eq 1 || exit 1
  grep -q "^tsd-write: line 1: no database: give --db or a \"# CONTEXT-DATABASE:\" line before" err || exit 1
  grep -q "0 points written, 2 lines rejected" err || exit 1
  echo "m v=1" | env -u HOME -u XDG_DATA_HOME tsd-write --db x 2> err; test $? -eq 2 || exit 1
  grep -q "^tsd-write: no data directory" err || exit 1
  echo "m v=1" | tsd-write --data d --db x --precision week 2> err; test $? -eq 2 || exit 1
  grep -q "precision" err || exit 1
  echo "m v=1" | tsd-write --data d --db x --flush-interval soon 2> err; test $? -eq 2 || exit 1
  echo "m v=1" | tsd-write --data d --db x --batch-size 0 2> err; test $? -eq 2 || exit 1
  echo "m v=1" | tsd-write --data d --db x --no-such-flag 2> err; test $? -eq 2 || exit 1
  exit 0
'

test_expect_success 'an unknown --rp is an error and stores nothing' '
  set +e
  echo "m v=1 1" | tsd-write --data d --db empty --rp nope 2> err
  test $? -eq 2 || exit 1
  set -e
  grep -q "retention policy not found: nope" err &&
  test $(tsd-query --data d --db empty --dump | grep -c "^m ") -eq 2
'

test_expect_success '--rp names an existing policy' '
  echo "m v=9 9" | tsd-write --data d --db empty --rp autogen &&
  tsd-query --data d --db empty --rp autogen --dump | grep -qx "m v=9 9"
'

test_expect_success '--help and --version exit 0' '
  tsd-write --help > out && grep -q -- "--flush-interval" out && grep -q -- "--precision" out &&
  tsd-write --version | grep -q "^tsd-write " &&
  tsd-query --help | grep -q -- "--dump"
'

test_expect_success 'a missing input file is an error, other files are still stored' '
  echo "m v=1 1" > good.lp &&
  set +e
  tsd-write --data f --db x good.lp missing.lp 2> err
  test $? -eq 1 || exit 1
  set -e
  grep -q "missing.lp" err &&
  tsd-query --data f --db x --dump | grep -qx "m v=1 1"
'

test_expect_success 'tsd-query: statements (0), a bad one (1), bad flags (2); no data directory (1)' '
  set +e
  tsd-query --data d -e "SHOW DATABASES" > out 2> err; test $? -eq 0 || exit 1
  grep -qx "name: databases" out || exit 1
  tsd-query --data d -e "SELECT" 2> err; test $? -eq 1 || exit 1
  grep -q "error parsing query: found EOF" err || exit 1
  tsd-query --data d --format nope -e "SHOW DATABASES" 2> err; test $? -eq 2 || exit 1
  tsd-query --data d --precision week -e "SHOW DATABASES" 2> err; test $? -eq 2 || exit 1
  echo "SHOW DATABASES" | tsd-query --data d --format csv > out; test $? -eq 0 || exit 1
  grep -qx "name,name" out || exit 1
  tsd-query --data nowhere --dump 2> err; test $? -eq 1 || exit 1
  grep -q "nowhere" err || exit 1
  tsd-query --data d --db nodb --dump 2> err; test $? -eq 1 || exit 1
  grep -q "database not found: nodb" err || exit 1
  exit 0
'

test_expect_success 'SIGTERM flushes what was read and prints the summary' '
  mkfifo fifo &&
  { tsd-write --data g --db sig --flush-interval 1h < fifo 2> err & } &&
  pid=$! &&
  exec 3> fifo &&
  printf "m v=1 1\nm v=2 2\n" >&3 &&
  wait_drained 3 &&
  kill -TERM $pid &&
  { wait $pid || true; } &&
  exec 3>&- &&
  grep -q "2 points written" err &&
  test $(tsd-query --data g --db sig --dump | grep -c "^m ") -eq 2
'

test_done
