// Result sets from InfluxDB's /query JSON (input.h): query/parse_json.h's
// parser, integer times of a unit guessed from their size.
#include "query/parse_json.h"
#include "render/input.h"

namespace tsd::render {

Result<query::Results> parse_json_results(std::string_view text) {
  query::JsonOptions o;
  o.epoch_ns = guess_epoch_ns;
  return query::parse_json_results(text, o);
}

}  // namespace tsd::render
