#!/usr/bin/env bash
# zookeeper input against a scripted fake that answers `mntr` on 127.0.0.1
# as ZooKeeper 3.8 does (Debian's zookeeper needs a JVM and more than the
# test budget to start).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/service-lib.sh"
command -v python3 >/dev/null || test_skip_all "python3 not installed"

PORT=$(free_port)
cat >"$TMP/mntr.txt" <<'MNTR'
zk_version	3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC
zk_server_state	leader
zk_avg_latency	0.1234
zk_max_latency	12
zk_min_latency	0
zk_packets_received	1000
zk_packets_sent	1001
zk_num_alive_connections	3
zk_outstanding_requests	0
zk_znode_count	42
zk_watch_count	7
zk_ephemerals_count	2
zk_approximate_data_size	1234
zk_open_file_descriptor_count	64
zk_max_file_descriptor_count	1048576
zk_followers	2
zk_synced_followers	2
MNTR
cat >"$TMP/fake.py" <<'PY'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(8)
while True:
    c, _ = s.accept()
    cmd = c.recv(64)
    if cmd.strip() == b"mntr":
        c.sendall(open(sys.argv[2], "rb").read())
    c.close()
PY
python3 "$TMP/fake.py" "$PORT" "$TMP/mntr.txt" &
at_exit "kill $!"
wait_port "$PORT"

test_expect_success 'mntr: zookeeper with tags server, port, state' '
  gather zookeeper servers=127.0.0.1:$PORT >out &&
  line=$(cat out) &&
  case "$line" in "zookeeper,port=$PORT,server=127.0.0.1,state=leader version=\"3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f\",avg_latency=\"0.1234\",max_latency=12i,min_latency=0i,packets_received=1000i,packets_sent=1001i,num_alive_connections=3i,outstanding_requests=0i,znode_count=42i,watch_count=7i,ephemerals_count=2i,approximate_data_size=1234i,open_file_descriptor_count=64i,max_file_descriptor_count=1048576i,followers=2i,synced_followers=2i "*) ;; *) echo "$line"; exit 1;; esac
'

test_expect_success 'parse_floats = "float" makes avg_latency a float' '
  gather zookeeper servers=127.0.0.1:$PORT parse_floats=float >out &&
  grep -q ",avg_latency=0.1234," out
'

test_expect_success 'a bad mntr line is an error naming the line' '
  echo "this is not mntr" >>"$TMP/mntr.txt" &&
  ! gather zookeeper servers=127.0.0.1:$PORT 2>err &&
  grep -q "unexpected line in mntr response: \"this is not mntr\"" err
'

test_done
