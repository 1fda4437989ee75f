// Ingest: what tsd-write does, as a library call.
//
// Reads line protocol from files (or stdin) in large chunks, parses it,
// hands good lines to a Writer and reports each bad one on `err` as
// "<prefix>[FILE: ]line N: column C: <reason>" (type conflicts too),
// flushing on batch size, memory budget and the flush interval (also
// while a pipe is idle). A stop request (SIGINT/SIGTERM via `stop`) ends
// reading; the lines read are flushed (an incomplete last one is dropped).
// Points older than the RP keeps are dropped and said at the flush after
// them: "<prefix>partial write: points beyond retention policy dropped=N"
// (InfluxDB's words; N since the last such line). At the end it compacts,
// checkpoints and prints "<prefix>N points written, M lines rejected".
//
// The input may be an `influx_inspect export` (or tsd-query --dump): the
// comment "# CONTEXT-DATABASE:<db>" switches the database of the lines
// after it and "# CONTEXT-RETENTION-POLICY:<rp>" their RP (the value
// trimmed of blanks; each line holds one), so a dump of several databases
// lands where it came from; WriterOptions::db and rp name the target of
// the lines before them (without a database those lines are rejected).
// A context whose RP does not exist is reported at its line and its lines
// rejected. The lines after "# DDL" up to "# DML" are statements, run by
// `run_ddl` (CREATE DATABASE and CREATE RETENTION POLICY; its error is
// reported as a bad line's). Other comments are skipped as ever.
// One call per thread; `stop` may be set from a signal handler.
#pragma once

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "storage/writer.h"

namespace tsd::storage {

struct IngestOptions {
  WriterOptions writer;
  Precision precision = Precision::kNanosecond;
  int64_t flush_interval = kSecond;   // ns; 0: only batch size and memory
  std::vector<std::string> files;     // empty: standard input ("-" too)
  std::string prefix = "tsd-write: ";  // of every message on err
  bool progress = false;              // a progress line on err (a terminal)
  // Runs a statement of a "# DDL" section (null: such lines are rejected).
  std::function<Status(std::string_view statement)> run_ddl;
};

struct IngestReport {
  int64_t points = 0;          // stored
  int64_t values = 0;          // stored
  int64_t lines_rejected = 0;  // bad lines and type conflicts
  int64_t points_beyond_retention = 0;  // older than the RP keeps (retention.h)
};

// Runs one ingest. A non-OK Status is an error that stopped it (unknown
// RP: invalid_argument; unreadable file, failed flush: other codes);
// bad lines are not errors: they are counted in the report.
Status ingest(const IngestOptions& opts, const volatile std::sig_atomic_t* stop, std::FILE* err,
              IngestReport* report);

}  // namespace tsd::storage
