// Result sets from InfluxDB's /query JSON: one document, or one per line
// as chunked=true answers come. What the remote client (lib/client) reads
// from a server and tsd-render (render/input.h) from another program.
// Integers without a decimal point are int64 (uint64 above its range),
// numbers with one are doubles, as InfluxDB writes them. Pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "query/result.h"

namespace tsd::query {

struct JsonOptions {
  // How an integer in the time column becomes nanoseconds: null, as it
  // is (an answer to ?epoch=ns); else this function (render's guess of
  // the unit from the size). RFC 3339 strings are parsed either way.
  int64_t (*epoch_ns)(int64_t) = nullptr;
};

// Appends the results of one document to *out (its {"error":…} alone, a
// request's failure, goes to Results::error). A document that is not a
// /query answer is invalid_argument.
Status add_json_document(std::string_view doc, const JsonOptions& o, Results* out);

// A whole text: one document, else one per line (line numbers in errors).
Result<Results> parse_json_results(std::string_view text, const JsonOptions& o = {});

}  // namespace tsd::query
