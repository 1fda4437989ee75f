// The registry entries of the service inputs, and helpers they share.
#include "collect/service_inputs.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace tsd::collect {

void add_service_inputs(std::vector<InputInfo>* out) {
  out->push_back(exec_input_info());
  out->push_back(memcached_input_info());
  out->push_back(mysql_input_info());
  out->push_back(nginx_input_info());
  out->push_back(postgresql_input_info());
  out->push_back(redis_input_info());
  out->push_back(zookeeper_input_info());
}

void add_point(Accumulator& acc, std::string measurement, std::vector<Tag> tags,
               std::vector<Field> fields) {
  if (fields.empty()) return;
  std::erase_if(tags, [](const Tag& t) { return t.value.empty(); });
  acc.add(std::move(measurement), std::move(tags), std::move(fields));
}

void add_error(Status* errors, const Status& s) {
  if (s.ok()) return;
  if (errors->ok()) {
    *errors = s;
  } else {
    *errors = Status(errors->code(), errors->message() + "; " + s.message());
  }
}

Result<int64_t> service_timeout(const Options& opts) {
  Result<int64_t> t = opts.get_duration("timeout", int64_t{5} * 1000000000);
  if (!t.ok()) return t.status();
  if (*t <= 0) return Status::invalid_argument("timeout: must be positive");
  return t;
}

std::string_view next_line(std::string_view* text) {
  size_t nl = text->find('\n');
  std::string_view line = text->substr(0, nl);
  text->remove_prefix(nl == std::string_view::npos ? text->size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::optional<int64_t> parse_int64(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_float64(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // (Out of range is an error in Go too.)
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace tsd::collect
