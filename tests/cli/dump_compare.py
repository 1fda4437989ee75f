#!/usr/bin/env python3
"""Compares what a tsd data directory and an InfluxDB 1.x hold, point by point.

  dump_compare.py compare DATA URL [--rp-names-only]
      SHOW DATABASES, per database SHOW RETENTION POLICIES (only the names
      with --rp-names-only), SHOW FIELD KEYS (the types) and, per RP,
      SELECT * FROM "db"."rp"./.*/ GROUP BY * (epoch ns): tsd-query's JSON
      and influxd's /query JSON must hold the same values. Prints the
      differences and the number of points; exit 1 when they differ.
  dump_compare.py export URL
      Prints what `influx_inspect export` (1.6) writes for the InfluxDB at
      URL, for hosts without influx_inspect (Debian's package has none):
      "# INFLUXDB EXPORT" line, a DDL of "CREATE DATABASE db WITH NAME rp"
      per RP (a database's non-default RPs first, as its map order may
      give them), "# DML", per RP the CONTEXT lines and one line per field
      value: the series key as stored, the field key escaped, floats as
      Go's strconv 'g' -1, integers with "i", strings with \\ and \"
      escaped, times in ns.
Standard library only.
"""
import json
import subprocess
import sys
import urllib.parse
import urllib.request
from decimal import Decimal


def influx(url, q, db=""):
    qs = urllib.parse.urlencode({"q": q, "db": db, "epoch": "ns"})
    with urllib.request.urlopen(url + "/query?" + qs) as r:
        return json.loads(r.read())


def tsd(data, q, db=""):
    args = ["tsd-query", "--data", data, "--format", "json", "--precision", "ns", "-e", q]
    if db:
        args += ["--db", db]
    out = subprocess.run(args, capture_output=True, check=False).stdout
    return json.loads(out)


def ident(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def series(doc):
    res = doc.get("results", [{}])[0]
    if "error" in res:
        raise SystemExit("error: " + res["error"])
    return res.get("series", [])


def rows(doc):
    """{(measurement, tags): {time: {field: value}}} of a SELECT's answer."""
    out = {}
    for s in series(doc):
        # influxd names the tag keys of every measurement of the regex (empty
        # where a series has none), tsd those of the measurement.
        tags = {k: v for k, v in (s.get("tags") or {}).items() if v != ""}
        key = (s["name"], tuple(sorted(tags.items())))
        pts = out.setdefault(key, {})
        for v in s["values"]:
            pts[v[0]] = {c: x for c, x in zip(s["columns"][1:], v[1:]) if x is not None}
    return out


def column(doc, name):
    vals = []
    for s in series(doc):
        i = s["columns"].index(name)
        vals.extend(v[i] for v in s["values"])
    return vals


def field_types(doc):
    return {(s["name"], v[0]): v[1] for s in series(doc) for v in s["values"]}


def compare(data, url, names_only):
    diffs, points = [], 0
    dbs_i = sorted(x for x in column(influx(url, "SHOW DATABASES"), "name") if x != "_internal")
    dbs_t = sorted(column(tsd(data, "SHOW DATABASES"), "name"))
    if dbs_i != dbs_t:
        diffs.append("databases: influxd %r, tsd %r" % (dbs_i, dbs_t))
    for db in dbs_i:
        ri = series(influx(url, "SHOW RETENTION POLICIES ON " + ident(db)))
        rt = series(tsd(data, "SHOW RETENTION POLICIES ON " + ident(db)))
        ri = ri[0]["values"] if ri else []
        rt = rt[0]["values"] if rt else []
        if names_only:
            ri, rt = sorted(r[0] for r in ri), sorted(r[0] for r in rt)
        if ri != rt:
            diffs.append("%s: retention policies: influxd %r, tsd %r" % (db, ri, rt))
        rps = ri if names_only else [r[0] for r in ri]
        for rp in rps:
            q = "SHOW FIELD KEYS FROM %s.%s./.*/" % (ident(db), ident(rp))
            fi, ft = field_types(influx(url, q, db)), field_types(tsd(data, q, db))
            if fi != ft:
                diffs.append("%s.%s: field types: influxd %r, tsd %r" % (db, rp, fi, ft))
            q = "SELECT * FROM %s.%s./.*/ GROUP BY *" % (ident(db), ident(rp))
            pi, pt = rows(influx(url, q, db)), rows(tsd(data, q, db))
            for key in sorted(set(pi) | set(pt), key=repr):
                a, b = pi.get(key, {}), pt.get(key, {})
                for t in sorted(set(a) | set(b)):
                    if a.get(t) != b.get(t):
                        diffs.append("%s.%s %r at %d: influxd %r, tsd %r" % (db, rp, key, t, a.get(t), b.get(t)))
                    points += 1
    for d in diffs[:50]:
        print(d)
    print("%d points compared, %d differences" % (points, len(diffs)))
    return 1 if diffs or points == 0 else 0


def go_float(v):
    """strconv.FormatFloat(v, 'g', -1, 64)."""
    if v == 0:
        return "-0" if str(v).startswith("-") else "0"
    sign, digits, exp = Decimal(repr(v)).as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exp += 1
    ds = "".join(map(str, digits))
    nd, dp = len(ds), len(ds) + exp
    s = "-" if sign else ""
    x = dp - 1
    # Go: the shortest digits; %e when the exponent is below -4 or at
    # least 6 (the precision it takes for the shortest form).
    eprec = 6
    if x < -4 or x >= eprec:
        m = ds[0] + ("." + ds[1:] if nd > 1 else "")
        return "%s%se%s%02d" % (s, m, "-" if x < 0 else "+", abs(x))
    if dp <= 0:
        return s + "0." + "0" * (-dp) + ds
    if dp >= nd:
        return s + ds + "0" * (dp - nd)
    return s + ds[:dp] + "." + ds[dp:]


def esc(s, chars):
    for c in chars:
        s = s.replace(c, "\\" + c)
    return s


def export(url):
    out = ["# INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z", "# DDL"]
    dml = ["# DML"]
    dbs = [x for x in column(influx(url, "SHOW DATABASES"), "name") if x != "_internal"]
    for db in dbs:
        rps = series(influx(url, "SHOW RETENTION POLICIES ON " + ident(db)))[0]["values"]
        rps = [r[0] for r in sorted(rps, key=lambda r: r[4])]  # the default last
        for rp in rps:
            out.append("CREATE DATABASE %s WITH NAME %s" % (ident(db), ident(rp)))
        for rp in rps:
            types = field_types(influx(url, "SHOW FIELD KEYS FROM %s.%s./.*/" % (ident(db), ident(rp)), db))
            dml += ["# CONTEXT-DATABASE:" + db, "# CONTEXT-RETENTION-POLICY:" + rp, "# writing tsm data"]
            q = "SELECT * FROM %s.%s./.*/ GROUP BY *" % (ident(db), ident(rp))
            for (m, tags), pts in sorted(rows(influx(url, q, db)).items()):
                key = esc(m, ", ") + "".join(
                    "," + esc(k, ",= ") + "=" + esc(v, ",= ") for k, v in tags if v != "")
                fields = sorted({f for vals in pts.values() for f in vals})
                for f in fields:
                    for t in sorted(pts):
                        if f not in pts[t]:
                            continue
                        v, ty = pts[t][f], types[(m, f)]
                        if ty == "float":
                            val = go_float(float(v))
                        elif ty == "integer":
                            val = "%di" % v
                        elif ty == "boolean":
                            val = "true" if v else "false"
                        else:
                            val = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                        dml.append("%s %s=%s %d" % (key, esc(f, ',"= '), val, t))
    print("\n".join(out + dml))


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3], "--rp-names-only" in sys.argv))
    export(sys.argv[2])
