#!/usr/bin/env python3
"""Differential check of tsd's line protocol against a real InfluxDB 1.x.

Writes each record of a corpus to InfluxDB on its own (POST /write) to learn
which records it accepts, reads back what it stored (SHOW FIELD KEYS for the
types, SELECT * ... GROUP BY * for the points), and compares with tsd:

  --lp-check CMD     tsd's parser (tests/tools/lp-check): which lines parse and
                     to what; storage is simulated (a field keeps its first
                     type per measurement, a point with another type is
                     rejected whole; same series and time: fields merged,
                     the last write wins)
  --tsd-write DIR    tsd-write into data directory DIR (which lines it rejects,
                     from "line N:" on stderr), then tsd-query --dump read
                     back through lp-check

Both must accept and reject the same lines (a "#! tsd-only" comment before a
record: only tsd accepts it; "#! influx-only": only InfluxDB, which gets it in
a database of its own, as what it stores is garbled) and store the
same points (measurement, tags, field, type, value bit for bit, time; points
written without a time are compared without it). Prints the differences and
exits 1 when there are any. Standard library only.
"""
import argparse
import json
import re
import struct
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request


def split_records(data):
    """Yields (first line number, record bytes, annotation) as InfluxDB's
    scanLine splits the input; blank lines and comments are skipped, a
    "#! tsd-only" / "#! influx-only" comment annotates the next record."""
    i, line_no, note = 0, 1, None
    n = len(data)
    while i < n:
        start, quoted, fields, equals, commas = i, False, False, 0, 0
        while i < n:
            c = data[i:i + 1]
            if c == b'\\':
                i += 2
                continue
            if c == b' ':
                fields = True
            if fields:
                if not quoted and c == b'=':
                    equals += 1
                elif not quoted and c == b',':
                    commas += 1
                elif c == b'"' and equals > commas:
                    quoted = not quoted
            if c == b'\n' and not quoted:
                break
            i += 1
        rec = data[start:min(i, n)]
        first = line_no
        line_no += rec.count(b'\n') + 1
        i += 1
        body = rec.lstrip(b' \t\0')
        if not body:
            continue
        if body.startswith(b'#'):
            m = re.match(rb'#!\s*(tsd-only|influx-only)', body)
            if m:
                note = m.group(1).decode()
            continue
        yield first, rec, note
        note = None


class Influx:
    def __init__(self, url, db):
        self.url, self.db = url.rstrip('/'), db

    def query(self, q):
        body = urllib.parse.urlencode({'q': q, 'db': self.db, 'epoch': 'ns'}).encode()
        with urllib.request.urlopen(self.url + '/query', body) as r:
            # Keep numbers as written: floats bit for bit, -0 included.
            return json.loads(r.read().decode(), parse_float=str, parse_int=str)

    def write(self, rec, precision):
        # InfluxDB 1.6.7 spells microseconds "u"; it takes "us" for nanoseconds.
        precision = {'us': 'u'}.get(precision, precision)
        req = urllib.request.Request(
            '%s/write?db=%s&precision=%s' % (self.url, self.db, precision), data=rec, method='POST')
        try:
            with urllib.request.urlopen(req) as r:
                return r.status == 204, ''
        except urllib.error.HTTPError as e:
            return False, e.read().decode(errors='replace').strip()

    def points(self, untimed):
        """{(measurement, tags, time, field): (type, value)} of everything stored."""
        types = {}
        res = self.query('SHOW FIELD KEYS')['results'][0]
        for s in res.get('series', []):
            for key, typ in s['values']:
                types[(s['name'], key)] = typ
        out = {}
        res = self.query('SELECT * FROM /.*/ GROUP BY *')['results'][0]
        if 'error' in res:
            raise SystemExit('influxdb: ' + res['error'])
        for s in res.get('series', []):
            m = s['name']
            tags = tuple(sorted((k, v) for k, v in (s.get('tags') or {}).items() if v != ''))
            cols = s['columns']
            for row in s['values']:
                t = None if m in untimed else int(row[0])
                for col, v in zip(cols[1:], row[1:]):
                    if v is None:
                        continue
                    typ = types.get((m, col), '?')
                    out[(m, tags, t, col)] = norm(typ, v)
        return out


def norm(typ, v):
    """A comparable (type, value): floats as their 64 bits."""
    if typ == 'float':
        return typ, struct.pack('<d', float(v)).hex()
    if typ in ('integer', 'unsigned'):
        return typ, int(v)
    return typ, v


def lp_check(cmd, path, precision):
    """{line: ('ok', point) | ('error', message)} from lp-check."""
    p = subprocess.run(cmd + ['--precision', precision, path], capture_output=True)
    if p.returncode not in (0, 1):
        raise SystemExit('lp-check failed: ' + p.stderr.decode(errors='replace'))
    out = {}
    for line in p.stdout.decode().splitlines():
        m = re.match(r'(ok|error) line (\d+): (.*)', line)
        if not m:
            raise SystemExit('lp-check: unexpected output: ' + line)
        out[int(m.group(2))] = (m.group(1), json.loads(m.group(3)) if m.group(1) == 'ok' else m.group(3))
    return out


def point_items(pt):
    tags = tuple(sorted(pt['tags'].items()))
    for key, (typ, val) in pt['fields'].items():
        yield (pt['measurement'], tags, pt['time'], key), norm(typ, val)


def simulate_store(parsed, order):
    """Applies InfluxDB's storage rules to parsed points in input order;
    returns (points, lines rejected for a type conflict)."""
    types, store, conflicts = {}, {}, {}
    for line in order:
        kind, pt = parsed.get(line, ('missing', None))
        if kind != 'ok':
            continue
        items = list(point_items(pt))
        bad = [k for k, (typ, _) in items if types.get((k[0], k[3]), typ) != typ]
        if bad:
            conflicts[line] = 'field type conflict on %r' % (bad[0][3],)
            continue
        for k, v in items:
            types[(k[0], k[3])] = v[0]
            store[k] = v
    return store, conflicts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--influx', required=True, help='InfluxDB URL')
    ap.add_argument('--db', default='lp')
    ap.add_argument('--precision', default='ns')
    ap.add_argument('--lp-check', required=True, help='the lp-check command')
    ap.add_argument('--tsd-write', metavar='DIR', help='compare tsd-write/tsd-query --dump too')
    args = ap.parse_args()
    check = args.lp_check.split()

    data = open(args.corpus, 'rb').read()
    records = list(split_records(data))
    influx = Influx(args.influx, args.db)
    # What InfluxDB makes of the records only it accepts is garbled (see the
    # header of lib/lineproto/lineproto.h): they go to a database of their own.
    aside = Influx(args.influx, args.db + '_influx_only')
    for db in (influx, aside):
        db.query('DROP DATABASE "%s"' % db.db)
        db.query('CREATE DATABASE "%s"' % db.db)
    influx_ok = {}
    for line, rec, note in records:
        influx_ok[line] = (aside if note == 'influx-only' else influx).write(rec, args.precision)

    parsed = lp_check(check, args.corpus, args.precision)
    problems = []
    order = [line for line, _, _ in records]
    notes = {line: note for line, _, note in records}
    missing = [l for l in order if l not in parsed]
    extra = [l for l in parsed if l not in notes]
    for l in missing:
        problems.append('line %d: lp-check said nothing about this record' % l)
    for l in extra:
        problems.append('line %d: lp-check reported a record InfluxDB does not see here' % l)

    sides = []
    store, conflicts = simulate_store(parsed, order)
    accepted = {l: parsed.get(l, ('error',))[0] == 'ok' and l not in conflicts for l in order}
    why = {l: (conflicts.get(l) or (parsed[l][1] if l in parsed and parsed[l][0] == 'error' else ''))
           for l in order}
    sides.append(('lp-check', accepted, why, store))
    untimed = {pt['measurement'] for kind, pt in parsed.values() if kind == 'ok' and pt['time'] is None}

    if args.tsd_write:
        p = subprocess.run(['tsd-write', '--data', args.tsd_write, '--db', args.db,
                            '--precision', args.precision, args.corpus], capture_output=True)
        errs = {}
        for line in p.stderr.decode(errors='replace').splitlines():
            m = re.search(r'line (\d+): (.*)', line)
            if m:
                errs[int(m.group(1))] = m.group(2)
        if p.returncode not in (0, 1):
            problems.append('tsd-write exited %d: %s' % (p.returncode, p.stderr.decode(errors='replace')))
        if (p.returncode == 1) != bool(errs):
            problems.append('tsd-write exited %d with %d lines reported' % (p.returncode, len(errs)))
        d = subprocess.run(['tsd-query', '--data', args.tsd_write, '--db', args.db, '--dump'],
                           capture_output=True)
        if d.returncode != 0:
            problems.append('tsd-query --dump exited %d: %s' % (d.returncode, d.stderr.decode(errors='replace')))
        # The line protocol after the DDL section (b'# DML' on).
        lp_part = d.stdout[d.stdout.find(b'\n# DML\n') + 1:]
        dump = subprocess.run(check + ['-'], input=lp_part, capture_output=True)
        wstore = {}
        for line in dump.stdout.decode().splitlines():
            kind, _, rest = line.partition(': ')
            if kind.startswith('error'):
                problems.append('tsd-query --dump wrote a line lp-check rejects: ' + rest)
                continue
            pt = json.loads(rest)
            if pt['measurement'] in untimed:
                pt['time'] = None
            for k, v in point_items(pt):
                wstore[k] = v
        sides.append(('tsd-write', {l: l not in errs for l in order}, errs, wstore))

    expected_tsd = {l: influx_ok[l][0] for l in order}
    for l in order:
        if notes[l] == 'tsd-only':
            expected_tsd[l] = True
            if influx_ok[l][0]:
                problems.append('line %d: marked tsd-only but InfluxDB accepts it' % l)
        elif notes[l] == 'influx-only':
            expected_tsd[l] = False
            if not influx_ok[l][0]:
                problems.append('line %d: marked influx-only but InfluxDB rejects it: %s' % (l, influx_ok[l][1]))

    istore = influx.points(untimed)
    for name, acc, why_, st in sides:
        for l in order:
            if acc[l] != expected_tsd[l]:
                problems.append('line %d: %s %s, InfluxDB %s%s\n    %s' % (
                    l, name, 'accepts' if acc[l] else 'rejects (%s)' % why_.get(l, ''),
                    'accepts' if influx_ok[l][0] else 'rejects (%s)' % influx_ok[l][1],
                    ' (expected: %s)' % notes[l] if notes[l] else '',
                    data.split(b'\n')[l - 1][:200].decode(errors='replace')))
        # Points only tsd may store: those of tsd-only lines.
        only_tsd = set()
        for l in order:
            if notes[l] == 'tsd-only' and parsed.get(l, ('',))[0] == 'ok':
                only_tsd |= {k for k, _ in point_items(parsed[l][1])}
        for k in sorted(set(st) | set(istore), key=repr):
            if k in only_tsd and k not in istore:
                continue
            if st.get(k) != istore.get(k):
                problems.append('point %r: %s has %r, InfluxDB has %r' % (k, name, st.get(k), istore.get(k)))

    n_acc = sum(1 for l in order if influx_ok[l][0])
    print('%d records; InfluxDB accepted %d, stored %d values' % (len(order), n_acc, len(istore)))
    for name, acc, _, st in sides:
        print('%s accepted %d, stored %d values' % (name, sum(acc.values()), len(st)))
    for p in problems:
        print('DIFF ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
