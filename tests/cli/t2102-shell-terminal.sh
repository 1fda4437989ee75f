#!/usr/bin/env bash
# tsd-query's interactive shell on a terminal (tmux), the screen checked:
# banner and prompt, use, a SELECT in each format, insert, timing and
# expanded display, completion (keyword, measurement, field key, tag
# value, database), history recall with the up arrow, the history file
# (mode 0600, kept through kill -9), a bad statement with its caret,
# Ctrl-C during a long query (the prompt comes back, the shell answers),
# Ctrl-C twice at an empty prompt, the pager for tall results, exit;
# connect to a server (tsd-serve) from a shell over a data directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$TESTS_DIR/lib-serve.sh"

cd "$TMP" || exit 1
mkdir home
{
  printf 'cpu,host=server01,region=eu-west usage_user=11.5,usage_system=2 1700000000000000000\n'
  printf 'cpu,host=server02,region=us-east usage_user=33,usage_system=4 1700000010000000000\n'
  printf 'mem,host=server01 used=5i 1700000000000000000\n'
  printf 'tick v=1 1\ntick v=2 2000000000\n'
  for i in $(seq 1 80); do printf 'disk,path=/mnt/d%02d free=%di 1700000000000000000\n' "$i" "$i"; done
} > points.lp
tsd-write --data d --db mon points.lp 2> /dev/null
tsd-write --data d --db other points.lp 2> /dev/null
# A server for connect (the last test).
tsd-write --data sd --db served points.lp 2> /dev/null
serve_start sd > /dev/null

# start [ENV...]: the shell in a fresh 100x30 terminal; "EXITED <status>"
# shows when it ends.
start() {
  new_terminal "env HOME=$TMP/home NO_COLOR=1 PAGER='cat > $TMP/paged' $* tsd-query --data $TMP/d; echo EXITED \$?; sleep 60"
  wait_for '^>$'
}
# The line the cursor is on (the prompt line being edited).
prompt_line() { screen | grep '^> ' | tail -1; }
# run LINE EXPECTED-REGEX: types LINE, Enter, waits for the answer.
run() {
  keys -l "$1"
  keys Enter
  wait_for "$2"
}
# quiet LINE: types a command that prints nothing, waits for the next prompt.
quiet() {
  keys -l "$1"
  keys Enter
  wait_for "^> $(printf '%s' "$1" | sed 's/[][\\.*^$()+?{}|]/\\&/g')$" &&
  for i in $(seq 1 250); do
    [ "$(screen | grep -v '^$' | tail -1)" = ">" ] && return 0
    sleep 0.02
  done
  echo "no prompt after: $1"; screen; return 1
}
clear_screen() { keys C-l; sleep 0.05; }

test_expect_success 'banner, prompt, use, a SELECT in each format, insert' '
  start &&
  wait_for "^Connected to .*/d version" &&
  wait_for "^tsd shell version:" &&
  run "use mon" "^Using database mon$" &&
  run "SELECT usage_user FROM cpu" "^1700000010000000000 33$" &&
  screen | grep -q "^name: cpu$" &&
  quiet "format csv" &&
  run "SELECT usage_user FROM cpu" "^cpu,1700000000000000000,11.5$" &&
  quiet "format json" &&
  run "SELECT usage_user FROM cpu WHERE host = '"'"'server02'"'"'" \
      "^\{\"results\":\[\{\"series\":\[\{\"name\":\"cpu\",\"columns\":\[\"time\",\"usage_user\"\],\"values\":\[\[1700000010000000000,33\]\]\}\]\}\]\}$" &&
  quiet "format line" &&
  run "SELECT used FROM mem" "^mem used=5i 1700000000000000000$" &&
  quiet "format column" &&
  quiet "insert mem,host=server03 used=9i 1700000020000000000" &&
  run "precision rfc3339" "^> precision rfc3339" &&
  run "SELECT used FROM mem WHERE host = '"'"'server03'"'"'" "^2023-11-14T22:13:40Z 9$"
'

test_expect_success 'timing and expanded display' '
  run "timing on" "^Timing is on\.$" &&
  run "SELECT count(used) FROM mem" "^Time: [0-9]+\.[0-9]{3} ms$" &&
  run "timing off" "^Timing is off\.$" &&
  run "expanded on" "^Expanded display is on\.$" &&
  run "SELECT usage_user, usage_system FROM cpu WHERE host = '"'"'server01'"'"'" "^-\[ RECORD 1 \]-+$" &&
  screen | grep -Eq "^usage_system \| 2$" &&
  screen | grep -Eq "^usage_user   \| 11\.5$" &&
  run "expanded off" "^Expanded display is off\.$"
'

test_expect_success 'chart draws the last result at the terminal size' '
  clear_screen &&
  run "SELECT usage_user FROM cpu" "^2023-11-14T22:13:30Z 33$" &&
  run "chart spark" "^cpu.usage_user .*33$" &&
  run "chart" "^■ cpu.usage_user +11.5 +33 +22.2 +33$" &&
  ! test -s paged
'

test_expect_success 'completion: keyword, measurement, field key, tag value, database' '
  clear_screen &&
  keys -l "sel" && keys Tab && wait_for "^> select$" &&
  keys -l "usage_u" && keys Tab && wait_for "^> select usage_user$" &&
  keys -l "FROM c" && keys Tab && wait_for "^> select usage_user FROM cpu$" &&
  keys -l "WHERE host = '"'"'serv" && keys Tab && wait_for "^> select usage_user FROM cpu WHERE host = '"'"'server0$" &&
  keys Tab && wait_for "^server01 +server02" &&
  keys -l "2" && keys Tab && wait_for "^> select usage_user FROM cpu WHERE host = '"'"'server02'"'"'$" &&
  keys Enter && wait_for "^1700000010000000000 33$|^2023-11-14T22:13:30Z 33$" &&
  clear_screen &&
  keys -l "SELECT * FROM m" && keys Tab && wait_for "^> SELECT \* FROM mem$" &&
  keys C-u && keys -l "use ot" && keys Tab && wait_for "^> use other$" &&
  keys C-u && keys -l "SHOW TAG VALUES FROM cpu WITH KEY = re" && keys Tab &&
  wait_for "^> SHOW TAG VALUES FROM cpu WITH KEY = region$" &&
  keys C-u
'

test_expect_success 'history: the up arrow recalls, the file is 0600 and has every command' '
  clear_screen &&
  run "SELECT count(usage_system) FROM cpu" "^1970-01-01T00:00:00Z 2$" &&
  run "SHOW MEASUREMENTS" "^disk$" &&
  keys Up && keys Up && wait_for "^> SELECT count\(usage_system\) FROM cpu$" &&
  keys Enter && sleep 0.2 &&
  test "$(screen | grep -c "^1970-01-01T00:00:00Z 2$")" -ge 2 &&
  test "$(stat -c %a home/.tsd_history)" = 600 &&
  grep -qx "use mon" home/.tsd_history &&
  grep -qx "SHOW MEASUREMENTS" home/.tsd_history
'

test_expect_success 'a bad statement: ERR with a caret under the position, the shell goes on' '
  clear_screen &&
  run "SELECT * FORM cpu" "^ERR: error parsing query: found FORM, expected FROM at line 1, char 10$" &&
  screen | grep -qx "  SELECT \* FORM cpu" &&
  screen | grep -qx "           ^" &&
  run "SELECT nope(x) FROM cpu" "^ERR: undefined function nope\(\)$" &&
  run "SHOW DATABASES" "^other$"
'

test_expect_success 'results taller than the terminal go through $PAGER' '
  rm -f paged && clear_screen &&
  keys -l "SHOW SERIES" && keys Enter && sleep 0.5 &&
  grep -q "^disk,path=/mnt/d80$" paged &&
  ! screen | grep -q "d80" &&
  run "SELECT used FROM mem WHERE host = '"'"'server01'"'"'" "^2023-11-14T22:13:20Z 5$"
'

test_expect_success 'Ctrl-C stops a long query: the prompt is back at once, the shell answers' '
  clear_screen &&
  keys -l "SELECT count(v) FROM tick WHERE time >= 0 AND time < 3s GROUP BY time(1u)" &&
  keys Enter && sleep 0.3 &&
  ! screen | grep -q "^>$" &&
  t0=$(date +%s%N) && keys C-c && wait_for "^>$" 3 && t1=$(date +%s%N) &&
  echo "prompt back $(( (t1 - t0) / 1000000 )) ms after Ctrl-C" &&
  wait_for "^ERR: aborted by user$" &&
  run "SELECT count(usage_user) FROM cpu" "^1970-01-01T00:00:00Z 2$"
'

test_expect_success 'Ctrl-C at a typed line drops it; twice at an empty prompt leaves' '
  clear_screen &&
  keys -l "SELECT half typed" && sleep 0.1 && keys C-c && wait_for "^> SELECT half typed\^C$" &&
  wait_for "^>$" && sleep 0.1 &&
  keys C-c && wait_for "Ctrl-C again" && sleep 0.1 &&
  keys C-c && wait_for "^EXITED 0$"
'

test_expect_success 'exit leaves with status 0; Ctrl-D too' '
  start && run "exit" "^EXITED 0$" &&
  start && keys C-d && wait_for "^EXITED 0$"
'

test_expect_success 'the history file survives kill -9 of the shell' '
  start && run "SHOW FIELD KEYS ON mon" "^usage_user +float$" &&
  keys -l "SELECT 1 FROM survivor" && keys Enter && sleep 0.2 &&
  kill -9 $(pgrep -P "$(tm display -p "#{pane_pid}")" -x tsd-query) && wait_for "^EXITED 137$" &&
  grep -qx "SELECT 1 FROM survivor" home/.tsd_history &&
  grep -qx "SHOW FIELD KEYS ON mon" home/.tsd_history &&
  test "$(stat -c %a home/.tsd_history)" = 600
'

# tsd-query is linked statically; its shell reaches a server (tsd-serve) from
# tsd-query-shared, where connect carries the session over: its
# settings, its history; a connect that fails keeps the data directory.
test_expect_success 'connect from a shell over a data directory: the session goes on against the server' '
  start &&
  quiet "format csv" &&
  run "timing on" "^Timing is on.$" &&
  run "connect 127.0.0.1:9" "^ERR: cannot reach http://127.0.0.1:9/: Connection refused$" &&
  run "SHOW DATABASES" "^databases,other$" &&
  quiet "connect 127.0.0.1:$SERVE_PORT" &&
  run "SHOW DATABASES" "^databases,served$" &&
  run "SELECT usage_user FROM served..cpu" "^cpu,1700000010000000000,33$" &&
  wait_for "^Time: " &&
  keys Up Up Up && wait_for "^> connect 127.0.0.1:$SERVE_PORT$" &&
  keys C-u && run "exit" "^EXITED 0$"
'

test_done
