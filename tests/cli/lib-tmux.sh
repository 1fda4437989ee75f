# shellcheck shell=bash
# Helpers of the CLI tests that drive a program on a terminal (tmux) and
# read the screen back. Source after lib.sh; skips the file without tmux.
#
#   new_terminal CMD        CMD in a fresh 100x30 terminal (a tmux server of
#                           its own each time: a killed one may linger)
#   tm ARGS...              tmux of the current terminal
#   screen                  the screen, trailing blanks of each line dropped
#   keys ARGS...            tmux send-keys
#   wait_for REGEX [SECONDS]  until a screen line matches (default 5 s)

command -v tmux > /dev/null || test_skip_all "no tmux (apt-get install tmux)"

# The number of the current server is kept in a file: tests run in subshells.
echo 0 > "$TMP/.runs"
tm() { tmux -L "tsd-$$-$(cat "$TMP/.runs")" -f /dev/null "$@"; }
_stop_terminals() { local i; for i in $(seq 1 "$(cat "$TMP/.runs")"); do tmux -L "tsd-$$-$i" kill-server 2> /dev/null; done; }
at_exit _stop_terminals

new_terminal() {
  tm kill-server 2> /dev/null || true
  echo $(($(cat "$TMP/.runs") + 1)) > "$TMP/.runs"
  tm new-session -d -x 100 -y 30 "$1"
}
screen() { tm capture-pane -p -J | sed "s/ *$//"; }
keys() { tm send-keys "$@"; }
wait_for() {
  local i
  for i in $(seq 1 $((${2:-5} * 50))); do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.02
  done
  echo "not on the screen after ${2:-5} s: $1"
  screen
  return 1
}
