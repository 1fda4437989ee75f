#!/usr/bin/env bash
# tsd-render --follow: line protocol drawn as it streams in. Off a
# terminal only the last frame is printed, at the end of the input (the
# status row, then the panel): what --select keeps, bad lines counted,
# --window trimming, usage errors. On a terminal (tmux): tsd-collect piped
# in, the chart drawn on the alternate screen and moving, q and Ctrl-C
# leaving with the terminal given back, the end of the input leaving the
# last frame on the normal screen.
. "$(dirname "$0")/lib.sh"

cd "$TMP" || exit 1
# Two minutes at 1 s: cpu-total and cpu0 (two fields each), mem used.
for i in $(seq 0 119); do
  t=$((1577836800 + i))000000000
  echo "cpu,cpu=cpu-total,host=a usage_user=$((i % 50)),usage_system=$((i % 7)) $t"
  echo "cpu,cpu=cpu0,host=a usage_user=$((50 - i % 50)),usage_system=1 $t"
  echo "mem,host=a used=$((1000 + i))i,available_percent=42.5 $t"
done > gen.lp

test_expect_success 'the last frame: a status row, then the chart of every series' '
  tsd-render --follow --width 80 --height 20 --ascii < gen.lp > out &&
  test "$(wc -l < out)" = 20 &&
  head -1 out | grep -q "^3 series, 6 lines, 720 points | read 360 *$" &&
  grep -q "cpu.usage_user cpu=cpu-total host=a" out &&
  grep -q "cpu.usage_system cpu=cpu0 host=a" out &&
  grep -q "mem.used host=a" out &&
  grep -q "00:01" out &&
  ! grep -q "$(printf "\033")" out
'

test_expect_success '--select narrows to globs on measurement.field, tag=glob narrows more' '
  tsd-render --follow --width 80 --height 20 --ascii --select "cpu.usage_user,cpu=cpu-total" < gen.lp > out &&
  head -1 out | grep -q "^1 series, 1 lines, 120 points | read 360" &&
  grep -q "cpu.usage_user cpu=cpu-total host=a" out &&
  ! grep -q "cpu0" out && ! grep -q "mem\." out &&
  tsd-render --follow --width 80 --height 20 --ascii --select "cpu.usage_*,mem.u*" < gen.lp > out &&
  head -1 out | grep -q "^3 series, 5 lines, 600 points" &&
  ! grep -q "available_percent" out
'

test_expect_success 'bad lines are counted in the status row, never fatal' '
  { head -30 gen.lp; echo "cpu usage_user="; echo "hello"; tail -30 gen.lp; } |
    tsd-render --follow --width 100 --height 20 --ascii > out &&
  head -1 out | grep -q "| read 62, 2 bad (line 32: column 6: " &&
  grep -q "cpu.usage_user cpu=cpu-total" out
'

test_expect_success '--window keeps the points before the newest time' '
  tsd-render --follow --width 80 --height 20 --ascii --window 30s < gen.lp > out &&
  head -1 out | grep -q "^3 series, 6 lines, 186 points | read 360" &&
  tsd-render --follow --width 80 --height 20 --ascii --window 1m --panel spark --select mem.used < gen.lp > out &&
  grep -q "^mem.used host=a .* 1.12k$" out &&
  head -1 out | grep -q "^1 series, 1 lines, 61 points"
'

test_expect_success 'input in bits over time: still one frame, at the end' '
  { head -90 gen.lp; sleep 0.4; tail -270 gen.lp | head -100; sleep 0.3; tail -170 gen.lp; } |
    tsd-render --follow --width 80 --height 20 --panel bargauge > out &&
  test "$(wc -l < out)" -le 20 &&
  test "$(grep -c "series, .* points" out)" = 1 &&
  head -1 out | grep -q "| read 360" &&
  tsd-render --follow --panel table --width 80 --height 10 < gen.lp > out &&
  test "$(wc -l < out)" -le 10
'

test_expect_success 'lines without a time are stamped as they arrive' '
  printf "load v=1\nload v=2\n" | tsd-render --follow --panel bar --width 60 --height 8 > out &&
  head -1 out | grep -q "^1 series, 1 lines, [12] points | read 2" &&
  grep -q "^load.v .* 2$" out
'

test_expect_success 'usage errors: exit 2' '
  for args in "--window nope" "--window 0s" "--select cpu,,mem" "--select =x" "-e SHOW\ DATABASES"; do
    rc=0; eval "tsd-render --follow $args" < gen.lp > out 2> err || rc=$?
    test $rc = 2 || { echo "$args: exit $rc"; exit 1; }
    test -s err && test ! -s out
  done &&
  grep -q "no -e" err
'

command -v tmux > /dev/null || { echo "skip: the terminal tests (no tmux)"; test_done; exit $?; }
. "$TESTS_DIR/lib-tmux.sh"

# A shell in a fresh 100x30 terminal, prompt "PROMPT$".
start() {
  new_terminal "env PS1='PROMPT\$ ' NO_COLOR=1 PATH='$PATH' bash --norc --noprofile"
  wait_for '^PROMPT\$'
}
alternate() { tm display -p "#{alternate_on}"; }
points() { screen | sed -n "s/^[0-9]* series, [0-9]* lines, \([0-9]*\) points.*/\1/p" | head -1; }

test_expect_success 'tmux: tsd-collect piped in draws and moves; q leaves, terminal restored' '
  start &&
  keys -l "tsd-collect --inputs cpu,mem --interval 1s | tsd-render --follow --select cpu.usage_user,cpu=cpu-total,mem.used_percent; echo EXITED \$?" &&
  keys Enter &&
  wait_for "^2 series, 2 lines, [0-9]+ points" 5 &&
  wait_for "cpu.usage_user cpu=cpu-total" 5 &&
  wait_for "mem.used_percent" 5 &&
  test "$(alternate)" = 1 &&
  p1=$(points) && sleep 2.5 && p2=$(points) &&
  echo "points $p1 then $p2" && test "$p2" -gt "$p1" &&
  screen | grep -q "^[0-9]* series.* [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$" &&
  keys q &&
  wait_for "^EXITED 0$" 5 && wait_for "^PROMPT[$]\$" 5 &&
  test "$(alternate)" = 0 &&
  test "$(tm display -p "#{cursor_flag}")" = 1 &&
  keys -l "stty -a | tr \" \" \"\\n\" | grep -x -e icanon -e echo -e isig | tr \"\\n\" + ; echo" && keys Enter &&
  wait_for "^(isig|icanon|echo)\+(isig|icanon|echo)\+(isig|icanon|echo)\+$" 5
'

test_expect_success 'tmux: Ctrl-C leaves as q does, the collector ends too' '
  start &&
  keys -l "tsd-collect --inputs mem --interval 1s | tsd-render --follow; echo EXITED \$?" && keys Enter &&
  wait_for "mem.used_percent" 5 &&
  keys C-c &&
  wait_for "^EXITED 0$" 5 &&
  test "$(alternate)" = 0 &&
  sleep 1.5 && ! pgrep -P "$(tm display -p "#{pane_pid}")" > /dev/null
'

test_expect_success 'tmux: SIGTERM restores the terminal; a resize redraws' '
  start &&
  keys -l "tsd-collect --inputs mem --interval 1s | tsd-render --follow --panel spark; echo EXITED \$?" && keys Enter &&
  wait_for "^mem.used_percent" 5 &&
  tm resize-window -x 60 -y 20 2> /dev/null || tm resize-pane -x 60 -y 20 &&
  sleep 0.5 &&
  test "$(screen | awk "{ if (length > m) m = length } END { print m }")" -le 60 &&
  kill -TERM "$(pgrep -P "$(tm display -p "#{pane_pid}")" -x tsd-render)" &&
  wait_for "^EXITED 0$" 5 &&
  test "$(alternate)" = 0
'

test_expect_success 'tmux: the end of the input leaves the last frame on the normal screen' '
  start &&
  keys -l "cd $TMP" && keys Enter && keys C-l &&
  keys -l "cat gen.lp | tsd-render --follow --ascii; echo EXITED \$?" && keys Enter &&
  wait_for "^EXITED 0$" 5 &&
  test "$(alternate)" = 0 &&
  tm capture-pane -p -J -S -100 > shown &&
  grep -q "^3 series, 6 lines, 720 points | read 360" shown &&
  grep -q "cpu.usage_user cpu=cpu-total" shown &&
  test "$(sed -n "/^3 series/,/^EXITED/p" shown | wc -l)" = 30
'

test_done
