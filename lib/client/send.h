// tsd-write over a client (its --url path): line protocol from files or
// stdin sent through Client::write in batches (batch_lines lines, or
// every flush_interval while lines wait: a live pipe's points are on the
// server within it). Every line is parsed here first, so a bad one is
// reported as locally ("<prefix>[FILE: ]line N: column C: reason") and
// not sent; the server's refusals of a batch (type conflicts, "unable to
// parse", points beyond the RP) are reported at the input's lines that
// InfluxDB's message names, else for the batch. `influx_inspect export`'s
// "# CONTEXT-DATABASE:", "# CONTEXT-RETENTION-POLICY:" lines and "# DDL"
// section are honoured as storage::ingest does (client::run_ddl). A
// database that is missing is created (CREATE DATABASE) and the batch
// sent again. A batch the client could not deliver (its retries spent)
// stops the run with that error: nothing is dropped without a word.
//
// Up to `in_flight` batches are on their way at once, each over a client
// of its own (Client::another; the caller's alone when it has none), while
// the next is read: two batches of the same target may land in either
// order (as with InfluxDB's own clients), the lines of a batch stay in
// theirs. What the server answers is reported in the input's order, among
// the bad lines' messages as if the batches had gone one at a time; the
// first batch not delivered (in that order) is the run's error, one after
// it that failed too is reported as well. A DDL statement and a CONTEXT
// line wait until every batch before them is answered, so neither
// overtakes the lines before it.
#pragma once

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "client/client.h"
#include "core/status.h"
#include "core/time.h"

namespace tsd::client {

struct SendOptions {
  std::string db, rp;  // the target of lines before any CONTEXT line
  Precision precision = Precision::kNanosecond;
  std::vector<std::string> files;  // empty: standard input ("-" too)
  size_t batch_lines = 5000;
  int64_t flush_interval = kSecond;  // ns; 0: only batch size
  size_t in_flight = 2;              // batches sent at once (at least 1)
  std::string prefix = "tsd-write: ";
};

struct SendReport {
  int64_t points = 0;          // lines the server took
  int64_t lines_rejected = 0;  // bad lines, refused points
  int64_t points_beyond_retention = 0;
};

// Ends with "<prefix>N points written, M lines rejected" on err.
Status send(Client* client, const SendOptions& opts, const volatile std::sig_atomic_t* stop,
            std::FILE* err, SendReport* report);

}  // namespace tsd::client
