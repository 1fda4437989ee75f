// Result sets from InfluxDB's /query JSON (parse_json.h), with nlohmann-json.
#include "query/parse_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/time.h"

namespace tsd::query {
namespace {

using nlohmann::json;

Result<Datum> datum_of(const json& v, bool is_time, const JsonOptions& o) {
  if (is_time) {
    auto epoch = [&](int64_t t) { return o.epoch_ns != nullptr ? o.epoch_ns(t) : t; };
    if (v.is_number_integer()) return Datum{epoch(v.get<int64_t>())};
    if (v.is_number()) return Datum{epoch(static_cast<int64_t>(v.get<double>()))};
    if (v.is_string()) {
      auto t = parse_rfc3339(v.get<std::string>());
      if (!t.ok()) return t.status();
      return Datum{*t};
    }
    return Status::invalid_argument("a time that is not a string or a number");
  }
  switch (v.type()) {
    case json::value_t::null: return Datum{};
    case json::value_t::boolean: return Datum{v.get<bool>()};
    case json::value_t::number_integer: return Datum{v.get<int64_t>()};
    case json::value_t::number_unsigned: {
      const uint64_t u = v.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Datum{static_cast<int64_t>(u)};
      return Datum{u};
    }
    case json::value_t::number_float: return Datum{v.get<double>()};
    case json::value_t::string: return Datum{v.get<std::string>()};
    default: return Status::invalid_argument("a value that is an array or an object");
  }
}

Result<Series> series_of(const json& j, const JsonOptions& o) {
  Series s;
  if (!j.is_object()) return Status::invalid_argument("a series that is not an object");
  if (j.contains("name")) s.name = j.at("name").get<std::string>();
  if (j.contains("tags")) {
    for (const auto& [k, v] : j.at("tags").items()) {
      s.tags.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    }
    std::sort(s.tags.begin(), s.tags.end());
  }
  if (j.contains("columns")) s.columns = j.at("columns").get<std::vector<std::string>>();
  s.has_time = !s.columns.empty() && s.columns[0] == "time";
  if (j.contains("values")) {
    for (const auto& row : j.at("values")) {
      if (!row.is_array()) return Status::invalid_argument("a row that is not an array");
      Row r;
      r.reserve(row.size());
      for (size_t k = 0; k < row.size(); k++) {
        auto d = datum_of(row[k], k == 0 && s.has_time, o);
        if (!d.ok()) return Status::invalid_argument("series \"" + s.name + "\": " + d.status().message());
        r.push_back(std::move(*d));
      }
      s.values.push_back(std::move(r));
    }
  }
  s.partial = j.contains("partial") && j.at("partial").is_boolean() && j.at("partial").get<bool>();
  return s;
}

Status add_document(const json& doc, const JsonOptions& o, Results* out) {
  if (!doc.is_object()) return Status::invalid_argument("not a JSON object");
  if (doc.contains("error") && !doc.contains("results")) {
    out->error = doc.at("error").get<std::string>();
    return Status();
  }
  if (!doc.contains("results") || !doc.at("results").is_array()) {
    return Status::invalid_argument("no \"results\" array (not an InfluxDB /query answer)");
  }
  for (const auto& r : doc.at("results")) {
    StatementResult st;
    if (r.contains("statement_id")) st.statement_id = r.at("statement_id").get<int>();
    if (r.contains("error")) st.error = r.at("error").get<std::string>();
    if (r.contains("series")) {
      for (const auto& sj : r.at("series")) {
        auto s = series_of(sj, o);
        if (!s.ok()) return s.status();
        st.series.push_back(std::move(*s));
      }
    }
    if (r.contains("messages")) {
      for (const auto& m : r.at("messages")) {
        Message msg;
        if (m.contains("level")) msg.level = m.at("level").get<std::string>();
        if (m.contains("text")) msg.text = m.at("text").get<std::string>();
        st.messages.push_back(std::move(msg));
      }
    }
    st.partial = r.contains("partial") && r.at("partial").is_boolean() && r.at("partial").get<bool>();
    out->results.push_back(std::move(st));
  }
  return Status();
}

}  // namespace

Status add_json_document(std::string_view text, const JsonOptions& o, Results* out) {
  try {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return Status::invalid_argument("not valid JSON");
    return add_document(doc, o, out);
  } catch (const json::exception& e) {
    return Status::invalid_argument(std::string("JSON: ") + e.what());
  }
}

Result<Results> parse_json_results(std::string_view text, const JsonOptions& o) {
  Results out;
  try {
    // One document, or one per line (chunked answers).
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded()) {
      Status s = add_document(doc, o, &out);
      if (!s.ok()) return s;
      return out;
    }
    size_t pos = 0, line = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view l = text.substr(pos, end - pos);
      line++;
      pos = end + 1;
      if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      json d = json::parse(l, nullptr, false);
      if (d.is_discarded()) return Status::invalid_argument("line " + std::to_string(line) + ": not valid JSON");
      Status s = add_document(d, o, &out);
      if (!s.ok()) return Status::invalid_argument("line " + std::to_string(line) + ": " + s.message());
    }
  } catch (const json::exception& e) {
    return Status::invalid_argument(std::string("JSON: ") + e.what());
  }
  return out;
}

}  // namespace tsd::query
