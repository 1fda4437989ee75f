// The directives of an `influx_inspect export` (lineproto.h).
#include "lineproto/lineproto.h"

namespace tsd::lp {
namespace {

constexpr std::string_view kContextDb = "# CONTEXT-DATABASE:";
constexpr std::string_view kContextRp = "# CONTEXT-RETENTION-POLICY:";

std::string_view trim_blanks(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

ExportDirectives::Kind ExportDirectives::read(std::string_view t, Reader* reader, std::string_view* text) {
  if (ddl_) {
    if (t.starts_with("# DML")) {
      ddl_ = false;
      reader->set_raw(false);
      return Kind::kSection;
    }
    if (is_blank_or_comment(t)) return Kind::kBlank;
    *text = trim_blanks(t);
    return Kind::kStatement;
  }
  if (t.starts_with(kContextDb)) {
    *text = trim_blanks(t.substr(kContextDb.size()));
    return Kind::kDatabase;
  }
  if (t.starts_with(kContextRp)) {
    *text = trim_blanks(t.substr(kContextRp.size()));
    return Kind::kRetentionPolicy;
  }
  if (t.starts_with("# DDL")) {
    ddl_ = true;
    reader->set_raw(true);
    return Kind::kSection;
  }
  return Kind::kNone;
}

}  // namespace tsd::lp
