#!/usr/bin/env bash
# tsd-collect --once on this machine: the output is line protocol with
# Telegraf's measurements, fields and field types.
. "$(dirname "$0")/lib.sh"

# Parses line protocol (escapes, quoted strings) into "measurement field type" rows.
lp_fields() {
  python3 -c '
import sys, re
def split(s, sep):
    out, cur, q, i = [], "", False, 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur += s[i:i+2]; i += 2; continue
        if c == "\"": q = not q
        if c == sep and not q:
            out.append(cur); cur = ""
        else:
            cur += c
        i += 1
    out.append(cur)
    return out
for n, line in enumerate(sys.stdin, 1):
    line = line.rstrip("\n")
    parts = split(line, " ")
    if len(parts) != 3 or not parts[2].isdigit():
        sys.exit("line %d: not measurement,tags fields time: %s" % (n, line))
    head = split(parts[0], ",")
    m = head[0]
    for t in head[1:]:
        if len(split(t, "=")) != 2: sys.exit("line %d: bad tag %s" % (n, t))
    for f in split(parts[1], ","):
        k, v = f.split("=", 1)
        if re.fullmatch(r"-?\d+i", v): t = "integer"
        elif v.startswith("\"") and v.endswith("\""): t = "string"
        elif v in ("true", "false"): t = "boolean"
        elif re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v): t = "float"
        else: sys.exit("line %d: bad value %s" % (n, f))
        print(m, k, t)
'
}

test_expect_success 'once: every default system input, parseable line protocol' '
  tsd-collect --once --inputs cpu,mem,disk,diskio,net,netstat,kernel,system,processes,swap >out.lp 2>err &&
  test ! -s err &&
  lp_fields <out.lp | sort -u >fields &&
  for m in cpu mem disk diskio net netstat kernel system processes swap; do
    grep -q "^$m " fields || { echo "no $m"; exit 1; }
  done
'

test_expect_success 'once: Telegraf field types' '
  for want in "cpu usage_user float" "cpu usage_idle float" "mem total integer" \
      "mem used_percent float" "mem available_percent float" "swap used_percent float" \
      "disk used_percent float" "disk inodes_free integer" "diskio read_bytes integer" \
      "system load1 float" "system n_cpus integer" "system uptime integer" \
      "system uptime_format string" "kernel context_switches integer" \
      "processes total_threads integer" "processes zombies integer" \
      "netstat tcp_listen integer" "net bytes_recv integer"; do
    grep -qx "$want" fields || { echo "missing: $want"; exit 1; }
  done
'

test_expect_success 'once: host tag, cpu-total, aligned second timestamps' '
  grep -q "^cpu,cpu=cpu-total,host=$(hostname) " out.lp &&
  awk "{ if (\$NF % 1000000000 != 0) exit 1 }" out.lp
'

test_expect_success 'once: --hostname and --omit-hostname' '
  tsd-collect --once --inputs mem --hostname db7 | grep -q "^mem,host=db7 " &&
  tsd-collect --once --inputs mem --omit-hostname | grep -q "^mem total="
'

test_expect_success 'once: cpu usage adds up to 100' '
  tsd-collect --once --inputs cpu | grep cpu-total | tr " ," "\n\n" |
    awk -F= "/^usage_/ && !/guest/ { s += \$2 } END { if (s < 99.99 || s > 100.01) { print s; exit 1 } }"
'

test_expect_success 'test: sorted fields behind "> "' '
  tsd-collect --test --inputs mem,system >t.out &&
  grep -q "^> mem,host=.* active=" t.out &&
  ! grep -v "^> " t.out
'

test_expect_success 'procstat finds a process by pattern' '
  sleep 30 & pid=$!
  tsd-collect --once --config /dev/stdin >p.lp <<CONF &&
[[inputs.procstat]]
  pattern = "^sleep 30\$"
CONF
  kill $pid
  grep -q "^procstat,host=.*pattern=" p.lp &&
  grep -q "pid=${pid}i" p.lp &&
  grep "^procstat_lookup," p.lp | grep -q "pid_count=1i"
'

test_expect_success 'once: a failing input is reported, the rest written, exit 1' '
  printf "[[inputs.procstat]]\n  pid_file = \"nope.pid\"\n[[inputs.mem]]\n" >f.conf &&
  rc=0; tsd-collect --once --config f.conf >out 2>err || rc=$?
  test $rc = 1 && grep -q "^mem," out &&
  grep -q "input procstat: procstat: cannot read pid file nope.pid" err &&
  grep -q "1 input failed" err
'

test_done
