// libFuzzer target: the InfluxQL scanner and parser. Any text must give
// statements or an error (never a crash, a hang or a stack overflow), and
// the scanner must reach the end of any input in a bounded number of tokens.
#include "fuzz_util.h"
#include "query/parser.h"
#include "query/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd::query;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Scanner s(text);
  size_t tokens = 0;
  while (s.scan().tok != Tok::kEof) {
    if (++tokens > size + 1) tsd::fuzz::fail("scanner does not reach the end");
  }
  Parser p(text);
  (void)p.parse_query();
  Parser e(text);
  (void)e.parse_expr();
  return 0;
}
