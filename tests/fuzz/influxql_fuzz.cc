// libFuzzer target: the InfluxQL scanner and parser, and the checks of
// the SELECTs parsed (analyze_select: what InfluxDB checks before reading,
// no storage) with the text of their expressions. Any text must give
// statements or an error (never a crash, a hang or a stack overflow), and
// the scanner must reach the end of any input in a bounded number of tokens.
#include "fuzz_util.h"
#include "query/parser.h"
#include "query/scanner.h"
#include "query/select_check.h"

namespace {

// A fixed now() (2020-09-13T12:26:40Z), so that every run of an input is the same.
constexpr int64_t kNow = 1600000000LL * 1000000000;

void check(const tsd::query::SelectStatement& st) {
  (void)tsd::query::analyze_select(st, kNow);
  for (const auto& f : st.fields) (void)tsd::query::expr_string(*f.expr);
  if (st.condition) (void)tsd::query::expr_string(*st.condition);
  for (const auto& d : st.dimensions) (void)tsd::query::expr_string(*d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd::query;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Scanner s(text);
  size_t tokens = 0;
  while (s.scan().tok != Tok::kEof) {
    if (++tokens > size + 1) tsd::fuzz::fail("scanner does not reach the end");
  }
  Parser p(text);
  auto statements = p.parse_query();
  if (statements.ok()) {
    for (const auto& st : *statements) {
      if (st.select) check(*st.select);
    }
  }
  Parser e(text);
  (void)e.parse_expr();
  return 0;
}
