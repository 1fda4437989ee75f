// /query's params= (parser.h): a JSON object of bound parameters.
#include <nlohmann/json.hpp>

#include "query/parser.h"

namespace tsd::query {

Result<BoundParams> parse_bound_params(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::invalid_argument("params is not valid JSON");
  if (!j.is_object()) {  // Go's encoding/json's words
    const char* what = j.is_array() ? "array" : j.is_string() ? "string"
                       : j.is_boolean() ? "bool" : j.is_null() ? "null" : "number";
    return Status::invalid_argument(std::string("json: cannot unmarshal ") + what +
                                    " into Go value of type map[string]interface {}");
  }
  BoundParams out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_boolean()) {
      out.emplace(k, v.get<bool>());
    } else if (v.is_number_integer()) {
      // (A JSON integer beyond int64 is a float to nlohmann, as to Go.)
      if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{INT64_MAX}) {
        out.emplace(k, static_cast<double>(v.get<uint64_t>()));
      } else {
        out.emplace(k, v.get<int64_t>());
      }
    } else if (v.is_number()) {
      out.emplace(k, v.get<double>());
    } else if (v.is_string()) {
      out.emplace(k, v.get<std::string>());
    } else {
      out.emplace(k, Unbindable{v.is_null()    ? "<nil>"
                                : v.is_array() ? "[]interface {}"
                                               : "map[string]interface {}"});
    }
  }
  return out;
}

}  // namespace tsd::query
