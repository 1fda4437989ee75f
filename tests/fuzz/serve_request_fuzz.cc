// libFuzzer target: what tsd-serve reads from a request before anything
// else (lib/serve/api.h): the form or query string, --bind, the /write
// body checked line by line, the precision words, a v2 bucket, the
// statements of q= and whether they write. Never a crash or a hang.
#include <string>
#include <string_view>

#include "core/strings.h"
#include "lineproto/lineproto.h"
#include "serve/api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace serve = tsd::serve;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& [k, v] : serve::parse_form(text)) (void)serve::url_decode(k + v);
  (void)serve::parse_bind(text);
  (void)tsd::is_loopback(text);
  (void)serve::write_precision(text.substr(0, 3));
  (void)serve::v2_write_precision(text.substr(0, 3));
  std::string db, rp;
  serve::split_bucket(text, &db, &rp);
  for (const auto& st : serve::split_statements(text)) {
    if (serve::writes_on_get(st)) (void)serve::read_only_warning(st);
  }
  const serve::CheckedLines c = serve::check_lines(text, tsd::Precision::kNanosecond);
  // The good lines go to Client::write (the body itself when all are
  // good), which splits and parses them again: that must not crash either.
  tsd::lp::ParsedLine pl;
  (void)tsd::lp::for_each_record(c.all_good ? text : std::string_view(c.good), [&](std::string_view line) {
    (void)tsd::lp::parse_line(line, {}, &pl);
    return tsd::Status();
  });
  (void)serve::parse_credentials(text.substr(0, size / 2), text.substr(size / 2), text);
  (void)serve::error_json(text);
  return 0;
}
