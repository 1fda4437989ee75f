#!/usr/bin/env python3
"""The data set of the InfluxQL differential tests (t2001, t2002): writes
deterministic line protocol (nanosecond timestamps) into OUTDIR, one file per
(database, retention policy, step):

  tsdiff.autogen.1.lp   the main data, 2023-03-01 .. 2023-03-22 (four 7-day
                        shard groups of an INF policy: influxd starts them on
                        Mondays, Go's time.Truncate counts from 0001-01-01)
  tsdiff.autogen.2.lp   written after it: duplicates of earlier points with
                        other values (the last write wins) and a day written
                        backwards (out of order)
  tsdiff.rp2.1.lp       for the policy rp2 (DURATION INF SHARD DURATION 1d)
  other.autogen.1.lp    a second database
  scratch.autogen.1.lp  a database the corpus drops and deletes from

Measurements of tsdiff (what each is for):
  cpu          floats; tags host (regex-worthy values: server01, server02.db,
               web-1, a|b, Korean), region, "service name" (a space in the
               key; missing on host a|b); usage_system missing on a|b; a
               string field state on some points; zeros; a 6-hour gap on
               03-05 for every host, web-1 silent on 03-10, server02.db
               starts on 03-02
  mem          integers only (total, used, free, delta: negative, zero)
  disk         mixed: float, integer, string, boolean; label sometimes absent
  requests     counters with resets (derivatives, differences)
  sensor/gauge the same field key "value": float in one, integer in the other
  drift        the field v changes type between shard groups: float until
               03-06, integer until 03-13, then boolean
  big          integers at the int64 limits, extreme floats, -0
  events       strings with quotes, backslashes, UTF-8, empty; booleans
  hires        sub-second timestamps (for --precision / epoch=)
  "net stats,eth"  a space and a comma in the measurement name
  patho        tag values of 3,000 characters (for pathological regexes)

A small linear congruential generator with a fixed seed keeps every run (and
every Python version) byte-identical. Standard library only.
"""
import os
import sys

T0 = 1677628800  # 2023-03-01T00:00:00Z, seconds
DAY = 86400
NS = 10**9


class Rand:
    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % 2**64
        return self.s >> 33

    def uniform(self, lo, hi, digits=2):
        return round(lo + (hi - lo) * (self.next() / 2**31), digits)

    def int(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)


def esc_key(s):
    return s.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ")


def esc_meas(s):
    return s.replace(",", "\\,").replace(" ", "\\ ")


def fmt_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return "%di" % v
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(v)


def line(meas, tags, fields, t_ns):
    key = esc_meas(meas) + "".join(
        "," + esc_key(k) + "=" + esc_key(v) for k, v in sorted(tags.items()))
    flds = ",".join(esc_key(k) + "=" + fmt_value(v) for k, v in fields.items())
    return "%s %s %d" % (key, flds, t_ns)


CPU_HOSTS = [
    {"host": "server01", "region": "us-west", "service name": "api"},
    {"host": "server02.db", "region": "us-west", "service name": "db"},
    {"host": "web-1", "region": "us-east", "service name": "web frontend"},
    {"host": "a|b", "region": "us-east"},
    {"host": "아이유 생중계", "region": "ap-northeast-2", "service name": "stream"},
]


def cpu_point(r, tags, t, i):
    user = 0.0 if i % 47 == 0 else r.uniform(0, 60)
    f = {"usage_user": user}
    if tags["host"] != "a|b":
        f["usage_system"] = r.uniform(0, 20)
    f["usage_idle"] = round(100.0 - user - f.get("usage_system", 0.0), 2)
    if i % 37 == 0:
        f["state"] = "busy" if user > 30 else "ok"
    return line("cpu", tags, f, t * NS)


def in_gap(host, t):
    if T0 + 4 * DAY + 10 * 3600 <= t < T0 + 4 * DAY + 16 * 3600:
        return True
    if host == "web-1" and T0 + 9 * DAY <= t < T0 + 10 * DAY:
        return True
    if host == "server02.db" and t < T0 + DAY:
        return True
    return False


def tsdiff(out1, out2):
    r = Rand(20230301)
    late = []
    for tags in CPU_HOSTS:
        for i, t in enumerate(range(T0, T0 + 21 * DAY, 900)):
            if in_gap(tags["host"], t):
                continue
            ln = cpu_point(r, tags, t, i)
            # 03-15 of the Korean host is written backwards, after the rest.
            if tags["service name" if "service name" in tags else "host"] == "stream" \
                    and T0 + 14 * DAY <= t < T0 + 15 * DAY:
                late.append(ln)
            else:
                out1.append(ln)
    late.reverse()
    # Duplicates: server01's first three hours of 03-03 again, other values.
    for i, t in enumerate(range(T0 + 2 * DAY, T0 + 2 * DAY + 3 * 3600, 900)):
        late.append(cpu_point(r, CPU_HOSTS[0], t, i + 1))
    for host in ("server01", "server02.db", "web-1"):
        used = 4 * 2**30
        for t in range(T0, T0 + 21 * DAY, 1800):
            delta = r.int(-2**26, 2**26) if r.int(0, 9) else 0
            used = max(0, used + delta)
            out1.append(line("mem", {"host": host}, {
                "total": 16 * 2**30, "used": used, "free": 16 * 2**30 - used,
                "delta": delta}, t * NS))
    for path, device in (("/", "sda1"), ("/var", "sda2"), ("/home", "sdb1")):
        for j, t in enumerate(range(T0, T0 + 21 * DAY, 3600)):
            f = {"used_percent": r.uniform(10, 95, 3), "inodes": r.int(1000, 900000),
                 "fstype": "xfs" if device == "sdb1" else "ext4", "ro": j % 24 == 3}
            if j % 5:
                f["label"] = "disk %s" % path
            out1.append(line("disk", {"path": path, "device": device}, f, t * NS))
    for host in ("server01", "web-1"):
        count, nbytes = 0, 0.0
        for j, t in enumerate(range(T0, T0 + 21 * DAY, 1800)):
            if j % 200 == 199:
                count, nbytes = 0, 0.0  # a counter reset
            count += r.int(0, 5000)
            nbytes += r.uniform(0, 1e6, 1)
            out1.append(line("requests", {"host": host},
                             {"count": count, "bytes": round(nbytes, 1)}, t * NS))
    for sid in ("s1", "s2"):
        for t in range(T0, T0 + 21 * DAY, 7200):
            out1.append(line("sensor", {"id": sid}, {"value": r.uniform(-40, 40, 1)}, t * NS))
            out1.append(line("gauge", {"id": sid}, {"value": r.int(-100, 100)}, t * NS))
    for t in range(T0 + DAY, T0 + 21 * DAY, 3 * 3600):
        if t < T0 + 5 * DAY:
            v = r.uniform(0, 10)
        elif t < T0 + 12 * DAY:
            v = r.int(0, 10)
        else:
            v = r.int(0, 1) == 1
        out1.append(line("drift", {}, {"v": v}, t * NS))
    big = [(9223372036854775807, 1.7976931348623157e308), (9223372036854775806, 1e300),
           (-9223372036854775808, -1e-300), (-9223372036854775807, 5e-324),
           (0, -0.0), (1, 0.1), (-1, -2.5e-10), (4611686018427387904, 123456789.123456789)]
    for j, (n, f) in enumerate(big):
        out1.append(line("big", {"k": "a" if j % 2 else "b"}, {"n": n, "f": f},
                         (T0 + 6 * DAY + j * 3600) * NS))
    msgs = ['plain', 'say "hi"', 'back\\slash', '아이유 생중계 채널', '', 'a,b=c d',
            'tab\there', 'new\nline', 'end\\']
    for j in range(90):
        out1.append(line("events", {"kind": ("login", "logout", "error")[j % 3]},
                         {"msg": msgs[j % len(msgs)], "ok": j % 4 != 0, "code": j * 7 - 100},
                         (T0 + 3 * DAY + j * 1200) * NS))
    for j in range(40):
        t = (T0 + 5 * DAY) * NS + j * 123456789 + (j % 3)
        out1.append(line("hires", {}, {"v": float(j), "i": j}, t))
    # Long tag values for pathological regexes (the bad-query corpus).
    for j, val in enumerate(("a" * 3000 + "b", "x" * 3000, "a" * 40 + "!")):
        out1.append(line("patho", {"s": val}, {"v": j}, (T0 + 8 * DAY) * NS))
    # Tag values with backslashes: line protocol keeps a backslash before any
    # byte but , = and space (the series key keeps it too).
    for j, val in enumerate(("C:\\temp", "a\\b c", "x=1,y")):
        out1.append(line("paths", {"dir": val, "n": str(j)}, {"v": j}, (T0 + 8 * DAY + j) * NS))
    for t in range(T0, T0 + 21 * DAY, 3600):
        out1.append(line("net stats,eth", {"iface": "eth0"},
                         {"rx": r.int(0, 10**9), "tx": r.int(0, 10**9)}, t * NS))
    out2.extend(late)


def rp2(out):
    r = Rand(7)
    for host in ("server01", "web-1"):
        for t in range(T0 + 7 * DAY, T0 + 10 * DAY, 1800):
            out.append(line("cpu", {"host": host}, {"usage_user": r.uniform(0, 99)}, t * NS))
    for t in range(T0 + 7 * DAY, T0 + 8 * DAY, 3600):
        out.append(line("rp2only", {"x": "y"}, {"n": r.int(0, 9)}, t * NS))


def other(out):
    r = Rand(11)
    for host in ("server01", "db9"):
        for t in range(T0, T0 + 14 * DAY, 3600):
            out.append(line("cpu", {"host": host, "region": "eu"},
                            {"usage_user": r.uniform(0, 99), "usage_idle": r.uniform(0, 99)},
                            t * NS))
    for t in range(T0, T0 + 2 * DAY, 7200):
        out.append(line("only_other", {}, {"x": r.int(0, 100)}, t * NS))


def scratch(out):
    r = Rand(13)
    for host in ("h1", "h2", "h3"):
        for t in range(T0, T0 + 14 * DAY, 3600):
            out.append(line("m1", {"host": host, "dc": "x" if host != "h3" else "y"},
                            {"v": r.uniform(0, 10), "n": r.int(0, 100)}, t * NS))
    for t in range(T0, T0 + 14 * DAY, 7200):
        out.append(line("m2", {"host": "h1"}, {"v": r.uniform(0, 10)}, t * NS))
        out.append(line("m3", {"host": "h2"}, {"s": "x%d" % r.int(0, 3)}, t * NS))


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    files = {}

    def f(name):
        return files.setdefault(name, [])
    tsdiff(f("tsdiff.autogen.1.lp"), f("tsdiff.autogen.2.lp"))
    rp2(f("tsdiff.rp2.1.lp"))
    other(f("other.autogen.1.lp"))
    scratch(f("scratch.autogen.1.lp"))
    for name, lines in files.items():
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
