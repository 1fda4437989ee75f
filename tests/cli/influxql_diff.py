#!/usr/bin/env python3
"""Differential check of tsd-query's InfluxQL against a real InfluxDB 1.6
(Debian's influxd), used by tests/cli/t2001-influxql-diff.sh (the query
corpus) and t2002-influxql-errors.sh (the bad-query corpus).

  influxql_diff.py load --influx URL --tsd-data DIR [--gen-dir DIR]
      generates the data set (data/influxql/gen.py) and writes it to both:
      influxd through POST /write, tsd through tsd-write

  influxql_diff.py run --corpus FILE --influx URL --tsd-data DIR --out DIR
                       [--errors] [--update] [--timeout S]
      runs every entry of the corpus on both, in order, and compares

What "the same answer" means. Each side's answer is the JSON body of
InfluxDB's /query (influxd: GET /query for SELECT/SHOW/EXPLAIN without INTO,
POST otherwise or when the text is long; tsd: `tsd-query --data DIR --db DB
--format json [--precision P] -e QUERY`, the query in a file given with -f
instead when it holds a NUL byte or is longer than 100 KB, too long for an
argument). Both are
parsed and compared EXACTLY: the same objects with their keys in the same
order, the same arrays, strings and numbers, and a number written as an
integer (influxd writes 100.0 as 100) differs from one written as a float.
The ONLY normalisation: two floats are equal when they are at most 1 ulp
apart (summation orders may differ in the last bit).

tsd-query must also exit 1 when its JSON holds an "error" (top level or in a
result) and 0 otherwise (the bad-query corpus also accepts 2, a usage error),
must never die of a signal (exit >= 128) and must answer within --timeout
seconds: those are failures whatever the expected-failure lists say.

A corpus line is a query, optionally after markers "@name[=value] ":
  @db=NAME         the database (default tsdiff)
  @precision=P     ns|u|ms|s|m|h: epoch= for influxd, --precision for tsd
  @shape           compare only the statements' errors, series names, tags,
                   columns and row counts (ids, paths, estimates differ)
  @ok              compare only whether each side failed (EXPLAIN: its plan
                   differs by design; errors that name a random shard)
  @empty           influxd answers no series (intended), with no error
  @error           influxd answers an error (intended)
  @valid           (bad-query corpus) influxd accepts it
  @nojson          influxd answers something that is not JSON (it cannot
                   encode +Inf: a bug); the two answers' texts are compared
  @n=K             no effect: tells apart a query repeated later in the corpus
                   (after statements that changed the data)
  @gen=NAME[:ARG]  the query text is generated (see GENERATORS)
Blank lines and lines starting with # are comments.

The corpus is also checked on influxd's side: in the query corpus a statement
must not fail unless marked @error and a SELECT/SHOW must answer some series
unless marked @empty (a typo in a field name silently answers nothing); in
the bad-query corpus an entry must fail on influxd unless marked @valid or
@empty.

Expected differences: data/influxql/xfail.txt (query corpus) and
xfail-errors.txt (bad-query corpus) list entries (the corpus line, exact) known
to differ today, one a line as "LINE<TAB># reason"; deliberate.txt lists, in
the same format, differences kept on purpose (a documented InfluxDB bug), for
both corpora. An entry that differs and is in neither list fails; an entry of
a list that now matches fails too ("remove it"), so the lists only shrink.
--update (INFLUXQL_DIFF_UPDATE=1 in the tests) rewrites the xfail file from
this run: reasons of entries that stay are kept, new ones get "not built yet".

Results go to --out: influxd.txt (the corpus's own problems), diff.txt
(unexpected differences, crashes, bad exit statuses), stale.txt (list
entries that match now), summary.txt. Standard library only.
"""
import argparse
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "influxql")
DEFAULT_DB = "tsdiff"
ARG_MAX = 100 * 1024
DB_LOAD_ORDER = ("tsdiff", "other", "scratch")
RP2 = 'CREATE RETENTION POLICY "rp2" ON "tsdiff" DURATION INF REPLICATION 1 SHARD DURATION 1d'


# ---------------------------------------------------------------- generators

HOUR = "time >= '2023-03-03T00:00:00Z' AND time < '2023-03-03T01:00:00Z'"


def gen_nested_parens(arg):
    n = int(arg or 1000)
    return "SELECT " + "(" * n + "usage_user" + ")" * n + " FROM cpu WHERE " + HOUR


def gen_nested_where(arg):
    n = int(arg or 1000)
    return "SELECT usage_user FROM cpu WHERE " + "(" * n + "usage_user > 1" + ")" * n + \
        " AND " + HOUR


def gen_unbalanced_deep(arg):
    n = int(arg or 1000)
    return "SELECT " + "(" * n + "usage_user FROM cpu"


def gen_big(arg):
    """A statement of ARG bytes (default 1 MB): a tag compared with a long
    string. (A WHERE of many ORs keeps influxd busy for minutes.)"""
    size = int(arg or 1 << 20)
    return "SELECT usage_user FROM cpu WHERE host = '" + "a" * size + "'"


def gen_big_list(arg):
    """A field list of ARG bytes (default 1 MB), over no points."""
    n = max(1, int(arg or 1 << 20) // 12)
    return "SELECT " + ", ".join("usage_user" for _ in range(n)) + " FROM cpu WHERE time < 0"


def gen_long_ident(arg):
    return "SELECT usage_user FROM " + "m" * int(arg or 1 << 20)


def gen_garbage(arg):
    """ARG = SEED:LEN[:nul]; random bytes (NUL bytes kept only with :nul)."""
    parts = (arg or "1:64").split(":")
    rnd = random.Random(int(parts[0]))
    data = bytes(rnd.randrange(256) for _ in range(int(parts[1])))
    if "nul" not in parts:
        data = data.replace(b"\0", b"\x01")
    return data.decode("latin-1")


def gen_with_nul(arg):
    return "SELECT usage_user FROM cpu WHERE host = 'server01\0'"


def gen_empty(arg):
    return ""


def gen_spaces(arg):
    return " \t \n "


def gen_long_regex_value(arg):
    """A pathological regex against a long literal: (a+)+$ on a...ab."""
    n = int(arg or 5000)
    return "SELECT usage_user FROM cpu WHERE host =~ /(a+)+$/ AND host = '" + "a" * n + "b'"


def gen_many_statements(arg):
    n = int(arg or 2000)
    return ";".join("SELECT count(usage_user) FROM cpu WHERE time < 0" for _ in range(n))


def gen_utf8_bad(arg):
    return "SELECT usage_user FROM cpu WHERE host = '\xff\xfe'"


def gen_control(arg):
    """Control characters where InfluxQL takes whitespace or a string."""
    return {"tab": "SELECT\tusage_user\tFROM\tcpu\tLIMIT\t1",
            "crlf": "SELECT usage_user\r\nFROM cpu\r\nLIMIT 1",
            "newline_string": "SELECT usage_user FROM cpu WHERE host = 'a\nb'",
            "vt": "SELECT\x0busage_user FROM cpu LIMIT 1",
            "bell": "SELECT usage_user FROM cpu\x07"}[arg]


GENERATORS = {
    "parens": gen_nested_parens, "where_parens": gen_nested_where,
    "unbalanced_parens": gen_unbalanced_deep, "big": gen_big, "big_list": gen_big_list,
    "long_ident": gen_long_ident, "garbage": gen_garbage, "nul": gen_with_nul,
    "empty": gen_empty, "spaces": gen_spaces, "regex_long": gen_long_regex_value,
    "many_statements": gen_many_statements, "bad_utf8": gen_utf8_bad,
    "control": gen_control,
}


# ---------------------------------------------------------------- the corpus

class Entry:
    def __init__(self, line, lineno):
        self.line = line
        self.lineno = lineno
        self.opts = {}
        rest = line
        while rest.startswith("@"):
            word, _, rest = rest.partition(" ")
            name, _, value = word[1:].partition("=")
            self.opts[name] = value
        self.text = rest
        if "gen" in self.opts:
            name, _, arg = self.opts["gen"].partition(":")
            self.text = GENERATORS[name](arg)
            self.raw = None
            if name in ("garbage", "bad_utf8"):
                # Bytes as they are: latin-1 maps each char to one byte.
                self.raw = self.text.encode("latin-1")
        else:
            self.raw = None
        self.db = self.opts.get("db", DEFAULT_DB)
        self.precision = self.opts.get("precision")

    def query_bytes(self):
        return self.raw if self.raw is not None else self.text.encode("utf-8")


def read_corpus(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for n, ln in enumerate(f, 1):
            ln = ln.rstrip("\n")
            if not ln.strip() or ln.lstrip().startswith("#"):
                continue
            if "\t" in ln:
                sys.exit("%s:%d: a tab in a corpus line (use a generator)" % (path, n))
            entries.append(Entry(ln, n))
    return entries


def read_list(path):
    """LINE<TAB># reason -> {line: reason}, with the header comments."""
    out, header = {}, []
    if not os.path.exists(path):
        return out, header
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if "\t" not in ln:
                if not out and (ln.startswith("#") or not ln.strip()):
                    header.append(ln)
                continue
            q, _, reason = ln.partition("\t")
            out[q] = reason.lstrip("# ").strip()
    return out, header


def write_list(path, header, items):
    with open(path, "w", encoding="utf-8") as f:
        for h in header:
            f.write(h + "\n")
        for q, reason in items:
            f.write("%s\t# %s\n" % (q, reason))


# ---------------------------------------------------------------- the two sides

READ_ONLY = re.compile(r"^\s*(SELECT|SHOW|EXPLAIN)\b", re.I)


def is_read_only(text):
    parts = [p for p in text.split(";") if p.strip()]
    return bool(parts) and all(READ_ONLY.match(p) for p in parts) \
        and not re.search(r"\bINTO\b", text, re.I)


_conn = {}


def _http(url, method, path, body=None, headers=None, timeout=60):
    """(status, body) over one kept-alive connection per server."""
    u = urllib.parse.urlsplit(url)
    for attempt in (0, 1):
        c = _conn.get(url)
        if c is None:
            c = _conn[url] = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, ConnectionError):
            c.close()
            del _conn[url]
            if attempt:
                raise
    return None


def influx_query(url, q_bytes, db, precision=None, method=None, timeout=60):
    params = [("q", q_bytes), ("db", db.encode())]
    if precision and precision != "rfc3339":
        params.append(("epoch", precision.encode()))
    body = urllib.parse.urlencode(params)
    if method is None:
        text = q_bytes.decode("utf-8", "replace")
        method = "GET" if is_read_only(text) and len(body) < 4000 else "POST"
    if method == "GET":
        return _http(url, "GET", "/query?" + body, timeout=timeout)
    return _http(url, "POST", "/query", body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded"}, timeout)


def influx_write(url, db, rp, data):
    q = {"db": db, "precision": "ns"}
    if rp:
        q["rp"] = rp
    req = urllib.request.Request(url + "/write?" + urllib.parse.urlencode(q), data=data,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def tsd_query(tsd, data_dir, entry, timeout):
    """(exit status or 'timeout', stdout bytes, stderr bytes, seconds)."""
    q = entry.query_bytes()
    argv = [tsd, "--data", data_dir, "--db", entry.db, "--format", "json"]
    if entry.precision:
        argv += ["--precision", entry.precision]
    qfile = None
    if b"\0" in q or len(q) > ARG_MAX:
        fd, qfile = tempfile.mkstemp(prefix="tsd-query-", suffix=".iql")
        with os.fdopen(fd, "wb") as f:
            f.write(q)
        argv += ["-f", qfile]
    else:
        argv += ["-e", q]
    t = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b"", time.monotonic() - t
    finally:
        if qfile:
            os.unlink(qfile)
    rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
    return rc, p.stdout, p.stderr, time.monotonic() - t


# ---------------------------------------------------------------- comparing

class Obj(list):
    """A JSON object as its (key, value) pairs in order."""


def parse_json(b):
    try:
        return json.loads(b.decode("utf-8", "replace"), object_pairs_hook=Obj)
    except ValueError:
        return None


def get(obj, key, default=None):
    if isinstance(obj, Obj):
        for k, v in obj:
            if k == key:
                return v
    return default


def floats_equal(a, b):
    if a == b:
        return True
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return b in (math.nextafter(a, math.inf), math.nextafter(a, -math.inf))


def kind(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    return "object" if isinstance(v, Obj) else "array"


def first_difference(a, b, path="$"):
    """None when a and b are the same JSON (floats within 1 ulp), else a
    one-line description of the first differing path."""
    ka, kb = kind(a), kind(b)
    if ka != kb:
        return "%s: %s %s vs %s %s" % (path, ka, short(a), kb, short(b))
    if ka == "object":
        keys_a, keys_b = [k for k, _ in a], [k for k, _ in b]
        if keys_a != keys_b:
            return "%s: keys %s vs %s" % (path, keys_a, keys_b)
        for (k, va), (_, vb) in zip(a, b):
            d = first_difference(va, vb, "%s.%s" % (path, k))
            if d:
                return d
        return None
    if ka == "array":
        for i, (va, vb) in enumerate(zip(a, b)):
            d = first_difference(va, vb, "%s[%d]" % (path, i))
            if d:
                return d
        if len(a) != len(b):
            return "%s: %d vs %d elements" % (path, len(a), len(b))
        return None
    if ka == "float":
        return None if floats_equal(a, b) else "%s: %r vs %r" % (path, a, b)
    return None if a == b else "%s: %s vs %s" % (path, short(a), short(b))


def short(v, n=80):
    s = json.dumps(to_plain(v), ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def to_plain(v):
    if isinstance(v, Obj):
        return {k: to_plain(x) for k, x in v}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    return v


def has_error(doc):
    if get(doc, "error") is not None:
        return True
    return any(get(r, "error") is not None for r in get(doc, "results") or [])


def series_count(doc):
    return sum(len(get(r, "series") or []) for r in get(doc, "results") or [])


def shape(doc):
    """Errors, series names, tags, columns and row counts only."""
    out = Obj([("error", get(doc, "error"))])
    res = []
    for r in get(doc, "results") or []:
        res.append(Obj([("error", get(r, "error")), ("series", [
            Obj([("name", get(s, "name")), ("tags", get(s, "tags")),
                 ("columns", get(s, "columns")), ("rows", len(get(s, "values") or []))])
            for s in get(r, "series") or []])]))
    out.append(("results", res))
    return out


def compare(entry, influx_doc, tsd_doc):
    if tsd_doc is None:
        return "tsd's output is not JSON"
    if "ok" in entry.opts:
        if has_error(influx_doc) != has_error(tsd_doc):
            return "error on one side only (@ok): influxd %s, tsd %s" % (
                has_error(influx_doc), has_error(tsd_doc))
        return None
    if "shape" in entry.opts:
        return first_difference(shape(influx_doc), shape(tsd_doc))
    return first_difference(influx_doc, tsd_doc)


def corpus_problem(entry, status, doc, errors_corpus):
    """What is wrong with the corpus entry given influxd's answer, or None."""
    if doc is None:
        return None if "nojson" in entry.opts else \
            "influxd's answer (HTTP %s) is not JSON (mark @nojson if intended)" % status
    if "nojson" in entry.opts:
        return "marked @nojson but influxd answers JSON"
    err = has_error(doc)
    o = entry.opts
    if errors_corpus and "valid" not in o and "empty" not in o:
        return None if err else "influxd accepts it (mark @valid or @empty)"
    if "error" in o:
        return None if err else "influxd accepts it but it is marked @error"
    if err:
        msg = get(doc, "error") or next(get(r, "error") for r in get(doc, "results")
                                        if get(r, "error") is not None)
        return "influxd error: %s" % msg
    n = series_count(doc)
    if "empty" in o:
        return None if n == 0 else "marked @empty but influxd answers %d series" % n
    if not errors_corpus and n == 0 and is_read_only(entry.text) \
            and not re.match(r"\s*EXPLAIN\b", entry.text, re.I):
        return "influxd answers no series (mark @empty if intended)"
    return None


# ---------------------------------------------------------------- commands

def cmd_load(a):
    gen_dir = a.gen_dir
    subprocess.run([sys.executable, os.path.join(DATA, "gen.py"), gen_dir], check=True)
    files = sorted(os.listdir(gen_dir), key=lambda n: (
        DB_LOAD_ORDER.index(n.split(".")[0]), n.split(".")[1] != "autogen", n))
    for db in DB_LOAD_ORDER:
        st, body = influx_query(a.influx, ("CREATE DATABASE %s" % db).encode(), db)
        if st != 200 or b"error" in body:
            sys.exit("influxd: CREATE DATABASE %s: %s" % (db, body))
    st, body = influx_query(a.influx, RP2.encode(), DEFAULT_DB)
    if st != 200 or b"error" in body:
        sys.exit("influxd: %s: %s" % (RP2, body))
    total = 0
    rp2_ok = None
    for name in files:
        db, rp = name.split(".")[:2]
        with open(os.path.join(gen_dir, name), "rb") as f:
            data = f.read()
        total += data.count(b"\n")
        st, body = influx_write(a.influx, db, None if rp == "autogen" else rp, data)
        if st != 204:
            sys.exit("influxd: write %s: HTTP %d %s" % (name, st, body[:300]))
        if rp != "autogen" and rp2_ok is None:
            p = subprocess.run([a.tsd_query, "--data", a.tsd_data, "--db", db, "-e", RP2],
                               capture_output=True)
            rp2_ok = p.returncode == 0
            if not rp2_ok:
                print("note: tsd-query cannot %s yet: %s" % (
                    RP2, p.stderr.decode(errors="replace").strip()[:200]))
        argv = [a.tsd_write, "--data", a.tsd_data, "--db", db]
        if rp != "autogen":
            argv += ["--rp", rp]
        with open(os.path.join(gen_dir, name), "rb") as f:
            p = subprocess.run(argv, stdin=f, capture_output=True)
        if p.returncode != 0:
            # Lines influxd took and tsd refused show up as differences in
            # the answers; only a writer that stored nothing stops the test.
            err = p.stderr.decode(errors="replace").strip().splitlines()
            print("note: tsd-write %s: exit %d, %d lines on stderr, the first: %s" % (
                name, p.returncode, len(err), err[0][:200] if err else ""))
            if p.returncode != 1 and rp == "autogen":
                sys.exit("tsd-write failed")
    print("loaded %d lines from %d files into influxd and tsd" % (total, len(files)))


def cmd_run(a):
    entries = read_corpus(a.corpus)
    xfail_path = a.xfail
    xfail, xfail_header = read_list(xfail_path)
    deliberate, _ = read_list(a.deliberate)
    os.makedirs(a.out, exist_ok=True)
    corpus_problems, diffs, stale, differing = [], [], [], []
    stats = {"entries": len(entries), "match": 0, "xfail": 0, "deliberate": 0,
             "influx_nonempty": 0, "influx_empty": 0, "influx_error": 0,
             "tsd_crash": 0, "tsd_slowest": 0.0}
    seen = set()
    for e in entries:
        if e.line in seen:
            corpus_problems.append("line %d: the same entry twice: %s" % (e.lineno, e.line))
        seen.add(e.line)
        if a.verbose:
            print("line %d: %s" % (e.lineno, clip(e.line, 120)), flush=True)
        st, body = influx_query(a.influx, e.query_bytes(), e.db, e.precision)
        idoc = parse_json(body)
        prob = corpus_problem(e, st, idoc, a.errors)
        if prob:
            corpus_problems.append("line %d: %s\n    %s" % (e.lineno, prob, clip(e.line)))
        if idoc is not None:
            if has_error(idoc):
                stats["influx_error"] += 1
            elif series_count(idoc):
                stats["influx_nonempty"] += 1
            else:
                stats["influx_empty"] += 1
        rc, out, err, secs = tsd_query(a.tsd_query, a.tsd_data, e, a.timeout)
        stats["tsd_slowest"] = max(stats["tsd_slowest"], secs)
        tdoc = parse_json(out)
        if rc == "timeout" or rc >= 128:
            stats["tsd_crash"] += 1
            diffs.append("line %d: tsd-query %s (never allowed)\n    %s\n    stderr: %s" % (
                e.lineno, "timed out after %ss" % a.timeout if rc == "timeout"
                else "died (exit %d)" % rc, clip(e.line), clip(err.decode(errors="replace"))))
            differing.append(e.line)
            continue
        if idoc is None:
            d = None if body.strip() == out.strip() else "influxd's answer is not JSON: texts differ"
        else:
            d = compare(e, idoc, tdoc)
        if d is None and tdoc is not None:
            want = (1, 2) if a.errors else (1,)
            if has_error(tdoc) and rc not in want:
                d = "exit status %d with an error in the JSON (want %s)" % (
                    rc, " or ".join(map(str, want)))
            elif not has_error(tdoc) and rc != 0:
                d = "exit status %d without an error in the JSON" % rc
        listed = e.line in xfail or e.line in deliberate
        if d is None:
            stats["match"] += 1
            if listed:
                stale.append("line %d: matches now, remove it from %s:\n    %s" % (
                    e.lineno, "xfail" if e.line in xfail else "deliberate.txt", clip(e.line)))
            continue
        differing.append(e.line)
        if e.line in deliberate:
            stats["deliberate"] += 1
        elif e.line in xfail:
            stats["xfail"] += 1
        else:
            diffs.append(describe(e, d, body, out, err, rc))
    corpus_lines = {e.line for e in entries}
    for q in xfail:
        if q not in corpus_lines:
            stale.append("not in the corpus any more, remove it from the xfail list:\n    %s"
                         % clip(q))
    if a.update:
        keep = [(q, xfail.get(q, "not built yet")) for q in differing if q not in deliberate]
        write_list(xfail_path, xfail_header, keep)
        print("rewrote %s: %d entries" % (os.path.relpath(xfail_path), len(keep)))
        stale = [s for s in stale if "deliberate" in s]
        diffs = [d for d in diffs if "never allowed" in d]
    summary = ("%(entries)d entries: %(match)d match, %(xfail)d expected failures, "
               "%(deliberate)d deliberate differences, %(tsd_crash)d tsd crashes/timeouts; "
               "influxd: %(influx_nonempty)d with series, %(influx_empty)d empty, "
               "%(influx_error)d errors; tsd's slowest answer %(tsd_slowest).2fs" % stats)
    for name, items in (("influxd.txt", corpus_problems), ("diff.txt", diffs),
                        ("stale.txt", stale)):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for it in items:
                f.write(it + "\n")
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        f.write(summary + "\n")
        json.dump(stats, f)
        f.write("\n")
    print(summary)
    print("%d corpus problems, %d unexpected differences, %d stale list entries" % (
        len(corpus_problems), len(diffs), len(stale)))
    return 0


def clip(s, n=300):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[:n] + "... (%d chars)" % len(s)


def describe(e, d, ibody, tbody, terr, rc):
    return ("line %d: %s\n    query:  %s\n    first difference: %s\n"
            "    influxd: %s\n    tsd:     %s\n    tsd exit %s, stderr: %s" % (
                e.lineno, "differs", clip(e.line), d,
                clip(ibody.decode(errors="replace"), 600),
                clip(tbody.decode(errors="replace"), 600), rc,
                clip(terr.decode(errors="replace"), 200)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    lo = sub.add_parser("load")
    ru = sub.add_parser("run")
    for p in (lo, ru):
        p.add_argument("--influx", required=True)
        p.add_argument("--tsd-data", required=True)
        p.add_argument("--tsd-query", default="tsd-query")
    lo.add_argument("--tsd-write", default="tsd-write")
    lo.add_argument("--gen-dir", required=True)
    ru.add_argument("--corpus", required=True)
    ru.add_argument("--out", required=True)
    ru.add_argument("--errors", action="store_true", help="the bad-query corpus")
    ru.add_argument("--xfail")
    ru.add_argument("--deliberate", default=os.path.join(DATA, "deliberate.txt"))
    ru.add_argument("--update", action="store_true")
    ru.add_argument("--verbose", action="store_true", help="print each entry before running it")
    ru.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    if a.cmd == "load":
        return cmd_load(a)
    if not a.xfail:
        a.xfail = os.path.join(DATA, "xfail-errors.txt" if a.errors else "xfail.txt")
    return cmd_run(a)


if __name__ == "__main__":
    sys.exit(main())
