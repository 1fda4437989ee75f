#!/usr/bin/env bash
# tsd-render --watch on a terminal (tmux), as a person looks at it: the host
# dashboard over a running `tsd-collect | tsd-write` pipe redraws in place
# and its charts move; the status row says how long a draw took; a resize
# redraws at the new width; q and Ctrl-C give the terminal back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"

cd "$TMP" || exit 1
EX="$ROOT/examples/dashboards"

# The live pipe, for the whole file.
(tsd-collect --interval 1s | tsd-write --data "$TMP/d" --db mon 2> /dev/null) &
pipe=$!
at_exit "pkill -TERM -P $pipe tsd-collect 2> /dev/null; kill $pipe 2> /dev/null"
for _ in $(seq 1 100); do
  [ "$(tsd-query --data "$TMP/d" --db mon --format csv -e 'SELECT count(usage_user) FROM cpu' 2> /dev/null |
    tail -n 1 | cut -d, -f3)" -ge 2 ] 2> /dev/null && break
  sleep 0.1
done

# The rows of the CPU and Memory used panels (below the header row, above
# the status row).
charts() { screen | sed -n '2,10p'; }

test_expect_success 'the dashboard redraws in place and its charts move' '
  new_terminal "bash --norc --noprofile" &&
  keys "PS1=\"\$ \"; clear" Enter &&
  keys "tsd-render --data $TMP/d $EX/host.toml --from now-1m --watch 1s" Enter &&
  wait_for "^Host overview   now-1m \.\. now" &&
  wait_for "─ CPU ─" &&
  wait_for "^tsd-render: every 1s, drawn in [0-9]+ ms; q quits, r redraws" &&
  test "$(tm display -p "#{alternate_on}")" = 1 &&
  charts > before &&
  sleep 3.2 &&
  charts > after &&
  ! cmp -s before after &&
  grep -q "■ cpu.user" after
'

test_expect_success 'a dashboard taller than the terminal scrolls' '
  wait_for "^tsd-render: every 1s, .*; rows 1-29 of [0-9]+ \\(j/k, space/b scroll\\)" &&
  keys j && keys j &&
  wait_for "; rows 3-31 of " &&
  wait_for "^╰─" &&
  keys b &&
  wait_for "; rows 1-29 of "
'

test_expect_success 'a resize redraws at the new width; q gives the terminal back' '
  tm resize-window -x 140 -y 40 &&
  wait_for "^╭─ CPU ─{60,}╮╭─ Memory used ─{50,}╮" &&
  keys q &&
  wait_for "^[$]$" &&
  test "$(tm display -p "#{alternate_on}")" = 0 &&
  keys "stty -a | tr \" \" \"\\n\" | grep -x -e icanon -e echo -e isig | wc -l" Enter &&
  wait_for "^3$"
'

test_expect_success 'Ctrl-C leaves too, and r redraws at once' '
  keys "clear; tsd-render --data $TMP/d $EX/host.toml --from now-1m --watch 1h" Enter &&
  wait_for "every 1h, drawn in" &&
  screen | grep "^tsd-render: every" > first &&
  sleep 1.1 &&
  keys r &&
  for _ in $(seq 1 100); do screen | grep "^tsd-render: every" > second; cmp -s first second || break; sleep 0.05; done &&
  charts > a && sleep 0.1 &&
  keys C-c &&
  wait_for "^[$]$" &&
  test "$(tm display -p "#{alternate_on}")" = 0
'

test_done
