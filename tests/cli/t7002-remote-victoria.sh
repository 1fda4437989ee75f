#!/usr/bin/env bash
# Writing into Debian's VictoriaMetrics (its InfluxDB /write endpoint) with
# tsd-write --url and with tsd-collect's [[outputs.influxdb]], and reading
# the samples back through its export API: VictoriaMetrics names each
# field <measurement>_<field>, keeps tags as labels and adds db=<database>.
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/influxd.sh"  # free_port

command -v victoria-metrics > /dev/null || test_skip_all "no victoria-metrics (apt-get install victoria-metrics)"
cd "$TMP" || exit 1

VM_PORT=$(free_port)
VM_URL="http://127.0.0.1:$VM_PORT"
victoria-metrics -httpListenAddr "127.0.0.1:$VM_PORT" -storageDataPath "$TMP/vm" -retentionPeriod 100y \
  > vm.log 2>&1 &
vm_pid=$!
at_exit "kill $vm_pid 2> /dev/null; wait $vm_pid 2> /dev/null"
for _ in $(seq 1 100); do curl -sf "$VM_URL/health" > /dev/null && break; sleep 0.1; done
curl -sf "$VM_URL/health" > /dev/null || test_skip_all "victoria-metrics did not start (see vm.log)"

# The samples of the series matching a selector, as "name{labels} value@ms" lines, sorted.
export_samples() {
  curl -s "$VM_URL/internal/force_flush" > /dev/null
  curl -s "$VM_URL/api/v1/export" --data-urlencode "match[]=$1" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    m = d["metric"]
    labels = ",".join("%s=%s" % (k, m[k]) for k in sorted(m) if k != "__name__")
    for v, t in zip(d["values"], d["timestamps"]):
        print("%s{%s} %s@%d" % (m["__name__"], labels, repr(float(v)), t))
' | sort
}

test_expect_success 'tsd-write --url: every sample read back through the export API' '
  now=$(date +%s) &&
  for i in 0 1 2 3 4 5 6 7 8 9; do
    t=$((now - 600 + i * 60))
    echo "cpu,host=a,region=eu usage_user=$i.5,usage_system=${i}i ${t}000000000"
    echo "cpu,host=b,region=eu usage_user=$((i * 2)).25 ${t}000000000"
    echo "disk,host=a,path=/ used_percent=4$i.125 ${t}000000000"
  done > in.lp &&
  tsd-write --url "$VM_URL" --db mon in.lp 2> err &&
  grep -q "30 points written" err &&
  export_samples "{db=\"mon\"}" > got &&
  python3 - in.lp > want <<-EOF &&
	import sys
	out = []
	for line in open(sys.argv[1]):
	    head, fields, t = line.split()
	    meas, *tags = head.split(",")
	    labels = sorted(tags + ["db=mon"])
	    for f in fields.split(","):
	        k, v = f.split("=")
	        out.append("%s_%s{%s} %s@%d" % (meas, k, ",".join(labels), repr(float(v.rstrip("i"))), int(t) // 1000000))
	print("\n".join(sorted(out)))
	EOF
  test_cmp want got &&
  test "$(wc -l < got)" = 40
'

test_expect_success 'tsd-collect [[outputs.influxdb]] into VictoriaMetrics stores what it collects' '
  cat > collect.conf <<-EOF &&
	[agent]
	  interval = "1s"
	  flush_interval = "1s"
	[[inputs.mem]]
	[[outputs.influxdb]]
	  urls = ["$VM_URL"]
	  database = "telegraf"
	EOF
  { timeout 4 tsd-collect --config collect.conf 2> collect.err || true; } &&
  export_samples "{__name__=\"mem_used_percent\",db=\"telegraf\"}" > got &&
  test "$(wc -l < got)" -ge 2 &&
  export_samples "{__name__=\"mem_total\",db=\"telegraf\"}" | head -n 1 | grep -q "^mem_total{db=telegraf,host=[^}]*} [0-9]"
'

test_expect_success 'a server that is not there: a clear message, exit 1' '
  port=$(free_port) &&
  echo "m v=1" > one.lp &&
  test_expect_code 1 tsd-write --url "http://127.0.0.1:$port" --db mon --timeout 2s one.lp 2> err &&
  grep -q "127.0.0.1:$port" err
'

test_done
