// Point and field Value: the InfluxDB 1.x data model in memory.
//
// A Point is one line of line protocol: a measurement, a tag set sorted by
// key, one or more fields, and a nanosecond timestamp. It owns its strings;
// hot paths (the parser, the write path) use views instead and convert only
// when they must. Value types, thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tsd {

// The five field types, numbered as stored on disk (man/tsd-data.5).
enum class FieldType : uint8_t {
  kFloat = 0,
  kInteger = 1,
  kUnsigned = 2,
  kString = 3,
  kBoolean = 4,
};

// "float", "integer", "unsigned", "string", "boolean" (InfluxDB's words).
std::string_view field_type_name(FieldType t);
// The inverse of field_type_name; nullopt for any other word.
std::optional<FieldType> field_type_from_name(std::string_view name);

// A field value. The variant's index is the FieldType's number.
using Value = std::variant<double, int64_t, uint64_t, std::string, bool>;

inline FieldType value_type(const Value& v) { return static_cast<FieldType>(v.index()); }

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

struct Field {
  std::string key;
  Value value;
  bool operator==(const Field&) const = default;
};

struct Point {
  std::string measurement;
  std::vector<Tag> tags;      // sorted by key, keys unique
  std::vector<Field> fields;  // in input order, at least one
  int64_t time = 0;           // nanoseconds since the Unix epoch
  bool has_time = false;      // false: the writer stamps it

  bool operator==(const Point&) const = default;

  // Sorts tags by key (a later duplicate key wins, as in InfluxDB).
  void sort_tags();
  Point& add_tag(std::string key, std::string value);
  Point& add_field(std::string key, Value value);
};

}  // namespace tsd
