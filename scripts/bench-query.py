#!/usr/bin/env python3
"""Query latencies of tsd-query beside a warm InfluxDB 1.x, on the same data.

The TSBS-style queries of the devops set (100 hosts x 24 h at 10 s from
tsd-gen, starting 2016-01-01): each runs --runs times on both sides, and the
median wall time is reported. InfluxDB: GET /query over one kept-alive HTTP
connection (a warm server, the request's round trip). tsd: `tsd-query -e` as a
whole process (exec, dynamic loading, opening the catalog and shards
included). The answers are compared as JSON (floats within 1e-9 relative);
a differing answer is marked in the table.

Used by scripts/bench (make bench); progress on stderr, the table on stdout.
"""
import argparse
import os
import http.client
import json
import math
import statistics
import subprocess
import sys
import time
import urllib.parse

# name, InfluxQL, the goal as a ratio to InfluxDB (issue 7)
QUERIES = [
    ("single-groupby-1-1-1",
     "SELECT max(usage_user) FROM cpu WHERE hostname = 'host_7' AND "
     "time >= '2016-01-01T05:00:00Z' AND time < '2016-01-01T06:00:00Z' GROUP BY time(1m)", 0.9),
    ("single-groupby-5-1-12",
     "SELECT max(usage_user), max(usage_system), max(usage_idle), max(usage_nice), "
     "max(usage_iowait) FROM cpu WHERE hostname = 'host_7' AND time >= '2016-01-01T05:00:00Z' "
     "AND time < '2016-01-01T17:00:00Z' GROUP BY time(1m)", 0.25),
    ("single-groupby-5-8-1",
     "SELECT max(usage_user), max(usage_system), max(usage_idle), max(usage_nice), "
     "max(usage_iowait) FROM cpu WHERE hostname =~ /^host_(1|2|3|4|5|6|7|8)$/ AND "
     "time >= '2016-01-01T05:00:00Z' AND time < '2016-01-01T06:00:00Z' GROUP BY time(1m)", 0.9),
    ("cpu-max-all-8",
     "SELECT max(usage_user), max(usage_system), max(usage_idle), max(usage_nice), "
     "max(usage_iowait), max(usage_irq), max(usage_softirq), max(usage_steal), max(usage_guest), "
     "max(usage_guest_nice) FROM cpu WHERE hostname =~ /^host_(1|2|3|4|5|6|7|8)$/ AND "
     "time >= '2016-01-01T05:00:00Z' AND time < '2016-01-01T13:00:00Z' GROUP BY time(1h)", 0.4),
    ("double-groupby-1",
     "SELECT mean(usage_user) FROM cpu WHERE time >= '2016-01-01T05:00:00Z' AND "
     "time < '2016-01-01T17:00:00Z' GROUP BY time(1h), hostname", 0.2),
    ("double-groupby-all",
     "SELECT mean(usage_user), mean(usage_system), mean(usage_idle), mean(usage_nice), "
     "mean(usage_iowait), mean(usage_irq), mean(usage_softirq), mean(usage_steal), "
     "mean(usage_guest), mean(usage_guest_nice) FROM cpu WHERE time >= '2016-01-01T05:00:00Z' "
     "AND time < '2016-01-01T17:00:00Z' GROUP BY time(1h), hostname", 0.1),
    ("high-cpu-all",
     "SELECT * FROM cpu WHERE usage_user > 90 AND time >= '2016-01-01T05:00:00Z' AND "
     "time < '2016-01-01T17:00:00Z'", 0.2),
    ("lastpoint", "SELECT last(usage_user) FROM cpu GROUP BY hostname", 1.0),
    ("groupby-orderby-limit",
     "SELECT max(usage_user) FROM cpu WHERE time < '2016-01-01T17:00:00Z' GROUP BY time(1m) "
     "ORDER BY time DESC LIMIT 5", 0.09),
    ("full count", "SELECT count(usage_user) FROM cpu", 0.1),
    ("raw range",
     "SELECT usage_user FROM cpu WHERE hostname = 'host_7' AND time >= '2016-01-01T00:00:00Z' "
     "AND time < '2016-01-02T00:00:00Z'", 0.25),
]


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            return False
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def downsample_figures(influx, tsd_query, data, db, runs):
    """One day of the set downsampled to 1 min means of every field and
    host: InfluxDB's SELECT ... INTO over HTTP beside tsd-cq run --since
    --until (a whole process) with the same statement as a CQ."""
    tsd_cq = os.path.join(os.path.dirname(tsd_query), "tsd-cq")
    day = ("2016-01-01T00:00:00Z", "2016-01-02T00:00:00Z")
    sel = "SELECT mean(*) INTO %s.autogen.cpu_1m FROM cpu%s GROUP BY time(1m), *"
    stmt = sel % ('"' + influx.db + '"', " WHERE time >= '%s' AND time < '%s'" % day)
    cq = "CREATE CONTINUOUS QUERY ds_1m ON %s BEGIN %s END" % (db, sel % (db, ""))
    subprocess.run([tsd_cq, "--data", data, "add", "--now", day[0], cq], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ti, tt = [], []
    written_i = written_t = ""
    for _ in range(runs):
        t, body = influx.query(stmt, post=True)
        ti.append(t)
        written_i = body[:200]
        t0 = time.perf_counter()
        p = subprocess.run([tsd_cq, "--data", data, "run", "--since", day[0], "--until", day[1], "ds_1m"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        tt.append(time.perf_counter() - t0)
        written_t = p.stdout.decode()
    mi, mt = statistics.median(ti) * 1000, statistics.median(tt) * 1000
    print("| downsampling (100 hosts, 1 day, 10 fields, to 1 min) | InfluxDB (ms) | tsd (ms) | ratio | goal |")
    print("|---|---|---|---|---|")
    print("| SELECT mean(*) INTO ... GROUP BY time(1m), * | %.0f | %.0f | %.2fx | <= 0.20x (%s) |" %
          (mi, mt, mt / mi, "met" if mt / mi <= 0.2 else "not met"))
    print()
    print("Medians of %d runs. InfluxDB: POST /query; tsd: tsd-cq run --since --until, a whole process." % runs)
    print("InfluxDB: %s" % written_i.decode(errors="replace").strip())
    print("tsd: %s" % " ".join(written_t.split()[-3:]))
    print()


def dashboard_figures(influx, tsd_query, data, db, runs):
    """tsd-render over the 6-panel dashboard of tests/bench/devops.toml (24 h
    of the set): a whole process, its queries and the drawing, beside the
    same queries (as the dashboard ran them, from a snapshot) sent to
    InfluxDB one after the other, as Grafana would send them; Grafana's own
    drawing is not counted."""
    import tempfile
    bindir = os.path.dirname(tsd_query)
    tsd_render = os.path.join(bindir, "tsd-render")
    dash = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "bench", "devops.toml")
    cmd = [tsd_render, "--data", data, "--width", "160", "--db", db, dash]
    with tempfile.TemporaryDirectory() as tmp:
        snap = os.path.join(tmp, "d.snap")
        subprocess.run(cmd + ["--snapshot", snap], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        with open(snap) as f:
            doc = json.load(f)
    queries = ['SHOW TAG VALUES FROM "cpu" WITH KEY = "hostname"']
    for p in doc["panels"]:
        queries += p["queries"]
    tt, ti = [], []
    for i in range(runs + 2):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        t = time.perf_counter() - t0
        total = 0.0
        for q in queries:
            total += influx(q)[0]
        if i >= 2:  # two warm-up rounds
            tt.append(t)
            ti.append(total)
    mi, mt = statistics.median(ti) * 1000, statistics.median(tt) * 1000
    print("| dashboard (6 panels, 24 h of 100 hosts) | InfluxDB (ms) | tsd (ms) | ratio | goal |")
    print("|---|---|---|---|---|")
    print("| redraw: tsd-render DASHBOARD (its %d queries on InfluxDB) | %.1f | %.1f | %.2fx | <= 100 ms (%s) |" %
          (len(queries), mi, mt, mt / mi, "met" if mt <= 100 else "not met"))
    print()
    print("Medians of %d runs. tsd: tsd-render as a whole process (queries, drawing, output)." % runs)
    print("InfluxDB: the same queries (variables and $timeFilter as tsd-render wrote them) one after")
    print("the other on a kept-alive connection, drawing not included.")
    print()


def live_figures(tsd_query, runs):
    """The host dashboard (examples/dashboards/host.toml, the last 15 min)
    over a data directory that a `tsd-collect --interval 1s | tsd-write`
    pipe writes into while it is drawn: 15 min of this machine's metrics
    written first (one real gather repeated at 1 s steps, flushed a second
    at a time as the pipe would), then the pipe runs and tsd-render draws
    once a second."""
    import tempfile
    bindir = os.path.dirname(tsd_query)
    exe = lambda n: os.path.join(bindir, n)
    dash = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "dashboards", "host.toml")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "d")
        once = subprocess.run([exe("tsd-collect"), "--once"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=False).stdout.decode().splitlines()
        now = time.time_ns() // 10**9 * 10**9
        hist = []
        for k in range(900, 0, -1):
            for line in once:
                head, _, _ = line.rpartition(" ")
                hist.append("%s %d" % (head, now - k * 10**9))
        # One flush per second's gather, as the live pipe stores them (the
        # writer's own compaction merging them as it goes).
        subprocess.run([exe("tsd-write"), "--data", data, "--db", "mon", "--batch-size", str(len(once))],
                       input="\n".join(hist).encode(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        collect = subprocess.Popen([exe("tsd-collect"), "--interval", "1s"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        write = subprocess.Popen([exe("tsd-write"), "--data", data, "--db", "mon"], stdin=collect.stdout,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        collect.stdout.close()
        times = []
        try:
            time.sleep(3)
            for _ in range(max(runs, 10)):
                t0 = time.perf_counter()
                subprocess.run([exe("tsd-render"), "--data", data, "--width", "160", dash], check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - t0)
                time.sleep(max(0.0, 1.0 - (time.perf_counter() - t0)))
        finally:
            collect.terminate()
            write.wait(timeout=30)
    m, worst = statistics.median(times) * 1000, max(times) * 1000
    with open(dash) as f:
        panels = f.read().count("[[panels]]")
    print("| live host dashboard (15 min, %d panels, while tsd-write writes) | tsd (ms) | goal |" % panels)
    print("|---|---|---|")
    print("| redraw, median | %.1f | <= 30 ms (%s) |" % (m, "met" if m <= 30 else "not met"))
    print("| redraw, slowest | %.1f | |" % worst)
    print()
    print("%d draws a second apart, each tsd-render as a whole process, %d series of this machine." %
          (len(times), len(once)))
    print()


def serve_figures(influx, tsd_query, data, db, runs):
    """The TSBS-style queries over HTTP: tsd-serve on the same data directory
    beside InfluxDB, each a GET /query on a kept-alive connection (the server
    warm on both sides: no process start in tsd's figure)."""
    serve = os.path.join(os.path.dirname(tsd_query), "tsd-serve")
    if not os.access(serve, os.X_OK):
        return
    p = subprocess.Popen([serve, "--data", data, "--bind", "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        line = p.stdout.readline().decode()
        url = line[line.find("http://"):].strip()
        u = urllib.parse.urlparse(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)

        def tsd(q):
            path = "/query?" + urllib.parse.urlencode({"db": db, "q": q})
            t0 = time.perf_counter()
            conn.request("GET", path)
            body = conn.getresponse().read()
            return time.perf_counter() - t0, body

        rows = []
        for name, q, _ in QUERIES:
            print("bench-query: over HTTP: %s ..." % name, file=sys.stderr)
            for _ in range(2):
                influx(q)
                tsd(q)
            ti, tt = [], []
            bi = bt = b""
            for _ in range(runs):
                t, bi = influx(q)
                ti.append(t)
                t, bt = tsd(q)
                tt.append(t)
            ok = same(json.loads(bi), json.loads(bt)) if bi and bt else False
            mi, mt = statistics.median(ti) * 1000, statistics.median(tt) * 1000
            rows.append((name, mi, mt, mt / mi, ok))
    finally:
        p.terminate()
        p.wait(timeout=30)
    print("| query over HTTP | InfluxDB (ms) | tsd-serve (ms) | ratio | goal | answers |")
    print("|---|---|---|---|---|---|")
    for name, mi, mt, r, ok in rows:
        print("| %s | %.2f | %.2f | %.2fx | <= 0.50x (%s) | %s |" %
              (name, mi, mt, r, "met" if r <= 0.5 else "not met", "same" if ok else "DIFFER"))
    print()
    print("Medians of %d runs; both servers warm, GET /query on a kept-alive connection." % runs)
    print()


def shell_figures(tsd_query, data, db, runs):
    """The shell on a pseudo-terminal: time from exec to the prompt, and
    from Tab to the completed text on the screen (each the first of a fresh
    shell: completion's SHOW statements uncached)."""
    import os, pty, select

    def read_until(fd, want, t0, timeout=10.0):
        buf = b""
        while want not in buf:
            r, _, _ = select.select([fd], [], [], timeout)
            if not r:
                raise RuntimeError("shell: no %r after %s" % (want, buf[-200:]))
            buf += os.read(fd, 65536)
        return time.perf_counter() - t0

    cases = [
        ("start to prompt", None, None, 20),
        ("complete a measurement", b"SELECT * FROM cp", b"u", 10),  # cpu (and cpu_1m)
        ("complete a field key", b"SELECT usage_sys", b"tem ", 10),
        ("complete a tag value", b"SELECT * FROM cpu WHERE hostname = 'host_99", b"'", 10),
    ]
    times = {c[0]: [] for c in cases}
    env = dict(os.environ, HOME=data, PAGER="", NO_COLOR="1", TERM="xterm")
    for _ in range(runs):
        for name, typed, want, _ in cases:
            pid, fd = pty.fork()
            if pid == 0:
                os.execve(tsd_query, [tsd_query, "--data", data, "--db", db], env)
            t0 = time.perf_counter()
            try:
                t = read_until(fd, b"> ", t0)
                if typed is None:
                    times[name].append(t)
                else:
                    os.write(fd, typed)
                    read_until(fd, typed[-4:], time.perf_counter())
                    t1 = time.perf_counter()
                    os.write(fd, b"\t")
                    times[name].append(read_until(fd, want, t1))
                os.write(fd, b"\x15exit\r")
                os.waitpid(pid, 0)
            finally:
                os.close(fd)
    # Ctrl-C 0.3 s into a long query (5 M windows): until the prompt is back.
    long_q = (b"SELECT count(usage_user) FROM cpu WHERE time >= '2016-01-01T00:00:00Z' "
              b"AND time < '2016-01-01T00:00:05Z' GROUP BY time(1u)\r")
    times["Ctrl-C during a query to prompt"] = []
    for _ in range(max(3, runs // 2)):
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(tsd_query, [tsd_query, "--data", data, "--db", db], env)
        try:
            read_until(fd, b"> ", time.perf_counter())
            os.write(fd, long_q)
            time.sleep(0.3)
            t0 = time.perf_counter()
            os.write(fd, b"\x03")
            buf = b""
            while b"aborted by user" not in buf or b"> " not in buf.split(b"aborted by user")[-1]:
                r, _, _ = select.select([fd], [], [], 10.0)
                if not r:
                    raise RuntimeError("shell: no prompt after Ctrl-C: %s" % buf[-200:])
                buf += os.read(fd, 65536)
            times["Ctrl-C during a query to prompt"].append(time.perf_counter() - t0)
            os.write(fd, b"exit\r")
            os.waitpid(pid, 0)
        finally:
            os.close(fd)
    cases.append(("Ctrl-C during a query to prompt", None, None, 200))
    print("| shell (100 hosts) | tsd (ms) | goal |")
    print("|---|---|---|")
    for name, _, _, goal in cases:
        m = statistics.median(times[name]) * 1000
        print("| %s | %.1f | < %d ms (%s) |" % (name, m, goal, "met" if m < goal else "not met"))
    print()
    print("Medians of %d runs on a pseudo-terminal; each figure is the first of a fresh shell." % runs)

# The nearest MetricsQL of each query for VictoriaMetrics (the second peer
# of issue 7), as TSBS asks it: Influx line protocol becomes the series
# cpu_<field> with the tags as labels. (path, parameters); times are of the
# set's day, 2016-01-01 (1451606400).
_T0 = 1451606400
_FIVE = "cpu_(usage_user|usage_system|usage_idle|usage_nice|usage_iowait)"
_TEN = ("cpu_(usage_user|usage_system|usage_idle|usage_nice|usage_iowait|usage_irq|usage_softirq|"
        "usage_steal|usage_guest|usage_guest_nice)")
_EIGHT = "host_(1|2|3|4|5|6|7|8)"


def _range(q, start_h, end_h, step):
    return ("/api/v1/query_range", {"query": q, "start": _T0 + start_h * 3600,
                                    "end": _T0 + end_h * 3600 - step, "step": step})


VM_QUERIES = {
    "single-groupby-1-1-1": _range(
        "max(max_over_time(cpu_usage_user{hostname='host_7'}[1m])) by (__name__)", 5, 6, 60),
    "single-groupby-5-1-12": _range(
        "max(max_over_time({__name__=~'%s',hostname='host_7'}[1m])) by (__name__)" % _FIVE, 5, 17, 60),
    "single-groupby-5-8-1": _range(
        "max(max_over_time({__name__=~'%s',hostname=~'%s'}[1m])) by (__name__)" % (_FIVE, _EIGHT), 5, 6, 60),
    "cpu-max-all-8": _range(
        "max(max_over_time({__name__=~'%s',hostname=~'%s'}[1h])) by (__name__)" % (_TEN, _EIGHT), 5, 13, 3600),
    "double-groupby-1": _range("avg(avg_over_time(cpu_usage_user[1h])) by (hostname)", 5, 17, 3600),
    "double-groupby-all": _range(
        "avg(avg_over_time({__name__=~'%s'}[1h])) by (__name__, hostname)" % _TEN, 5, 17, 3600),
    "high-cpu-all": _range("cpu_usage_user > 90", 5, 17, 10),
    "lastpoint": ("/api/v1/query", {"query": "last_over_time(cpu_usage_user[2d])", "time": _T0 + 86400}),
    "groupby-orderby-limit": ("/api/v1/query_range", {
        "query": "max(max_over_time(cpu_usage_user[1m]))", "start": _T0 + 17 * 3600 - 300,
        "end": _T0 + 17 * 3600 - 60, "step": 60}),
    "full count": ("/api/v1/query", {"query": "sum(count_over_time(cpu_usage_user[2d]))", "time": _T0 + 86400}),
    "raw range": _range("cpu_usage_user{hostname='host_7'}", 0, 24, 10),
}


def vm_figures(vm_url, rows, runs):
    """The same queries' nearest MetricsQL on VictoriaMetrics fed the same
    line protocol (cache off), beside tsd's medians of the main table."""
    u = urllib.parse.urlparse(vm_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)

    def ask(path, params):
        t0 = time.perf_counter()
        conn.request("GET", path + "?" + urllib.parse.urlencode(params))
        body = conn.getresponse().read()
        return time.perf_counter() - t0, body

    print("| query | VictoriaMetrics (ms) | tsd (ms) | ratio | answer |")
    print("|---|---|---|---|---|")
    for name, _, mt, _, _, _ in rows:
        path, params = VM_QUERIES[name]
        print("bench-query: VictoriaMetrics: %s ..." % name, file=sys.stderr)
        for _ in range(2):
            ask(path, params)
        ts = []
        body = b""
        for _ in range(runs):
            t, body = ask(path, params)
            ts.append(t)
        try:
            doc = json.loads(body)
            result = doc.get("data", {}).get("result", [])
            got = "%d series" % len(result) if doc.get("status") == "success" and result else "EMPTY"
        except ValueError:
            got = "BAD"
        mv = statistics.median(ts) * 1000
        print("| %s | %.1f | %.1f | %.2fx | %s |" % (name, mv, mt, mt / mv, got))
    print()
    print("Medians of %d runs. VictoriaMetrics: the nearest MetricsQL (query_range over the same" % runs)
    print("window and step; high-cpu-all of usage_user only; groupby-orderby-limit as its last 5")
    print("minutes), GET on a kept-alive connection, cache off; tsd: the table above's medians.")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--influx", required=True, help="http://127.0.0.1:PORT")
    ap.add_argument("--influx-db", required=True)
    ap.add_argument("--tsd-query", required=True)
    ap.add_argument("--tsd-data", required=True)
    ap.add_argument("--tsd-db", required=True)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--vm", help="VictoriaMetrics fed the same data: http://127.0.0.1:PORT")
    a = ap.parse_args()

    u = urllib.parse.urlparse(a.influx)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)

    def influx(q, post=False):
        path = "/query?" + urllib.parse.urlencode({"db": a.influx_db, "q": q})
        t0 = time.perf_counter()
        conn.request("POST" if post else "GET", path)
        body = conn.getresponse().read()
        return time.perf_counter() - t0, body
    influx.query = influx
    influx.db = a.influx_db

    def tsd(q):
        cmd = [a.tsd_query, "--data", a.tsd_data, "--db", a.tsd_db, "--format", "json", "-e", q]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        return time.perf_counter() - t0, p.stdout

    rows = []
    for name, q, goal in QUERIES:
        print("bench-query: %s ..." % name, file=sys.stderr)
        for _ in range(2):  # warm both (InfluxDB's caches, the page cache)
            influx(q)
            tsd(q)
        ti, tt = [], []
        bi = bt = b""
        for _ in range(a.runs):
            t, bi = influx(q)
            ti.append(t)
            t, bt = tsd(q)
            tt.append(t)
        ok = same(json.loads(bi), json.loads(bt)) if bi and bt else False
        mi, mt = statistics.median(ti) * 1000, statistics.median(tt) * 1000
        rows.append((name, mi, mt, mt / mi, goal, ok))

    print("| query | InfluxDB (ms) | tsd (ms) | ratio | goal | answers |")
    print("|---|---|---|---|---|---|")
    for name, mi, mt, r, goal, ok in rows:
        mark = "met" if r <= goal else "not met"
        print("| %s | %.1f | %.1f | %.2fx | <= %.2fx (%s) | %s |" %
              (name, mi, mt, r, goal, mark, "same" if ok else "DIFFER"))
    print()
    print("Medians of %d runs. InfluxDB: GET /query on a kept-alive connection to a warm "
          "server;" % a.runs)
    print("tsd: tsd-query -e as a whole process (start included). Ratio: tsd / InfluxDB "
          "(< 1 is faster).")
    print()
    if a.vm:
        vm_figures(a.vm, rows, a.runs)
    serve_figures(influx, a.tsd_query, a.tsd_data, a.tsd_db, a.runs)
    downsample_figures(influx, a.tsd_query, a.tsd_data, a.tsd_db, 3)
    dashboard_figures(influx, a.tsd_query, a.tsd_data, a.tsd_db, max(5, a.runs // 3))
    live_figures(a.tsd_query, max(10, a.runs))
    shell_figures(a.tsd_query, a.tsd_data, a.tsd_db, max(5, a.runs // 3))


if __name__ == "__main__":
    main()
