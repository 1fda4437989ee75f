#include "core/point.h"

#include <algorithm>

namespace tsd {

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case FieldType::kFloat: return "float";
    case FieldType::kInteger: return "integer";
    case FieldType::kUnsigned: return "unsigned";
    case FieldType::kString: return "string";
    case FieldType::kBoolean: return "boolean";
  }
  return "unknown";
}

std::optional<FieldType> field_type_from_name(std::string_view name) {
  for (auto t : {FieldType::kFloat, FieldType::kInteger, FieldType::kUnsigned,
                 FieldType::kString, FieldType::kBoolean}) {
    if (field_type_name(t) == name) return t;
  }
  return std::nullopt;
}

void Point::sort_tags() {
  std::stable_sort(tags.begin(), tags.end(),
                   [](const Tag& a, const Tag& b) { return a.key < b.key; });
  // Keep the last of equal keys.
  std::vector<Tag> out;
  out.reserve(tags.size());
  for (auto& t : tags) {
    if (!out.empty() && out.back().key == t.key) {
      out.back() = std::move(t);
    } else {
      out.push_back(std::move(t));
    }
  }
  tags = std::move(out);
}

Point& Point::add_tag(std::string key, std::string value) {
  tags.push_back({std::move(key), std::move(value)});
  return *this;
}

Point& Point::add_field(std::string key, Value value) {
  fields.push_back({std::move(key), std::move(value)});
  return *this;
}

}  // namespace tsd
