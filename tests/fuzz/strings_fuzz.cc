// libFuzzer target: the string codec (raw and LZ4).
#include "fuzz_util.h"
#include "encoding/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> out;
  (void)enc::decode_strings(raw, &out);

  // Split the input at '\n' into strings, and repeat it to reach the LZ4 mode.
  std::vector<std::string_view> col;
  size_t start = 0;
  for (size_t k = 0; k <= size; ++k) {
    if (k == size || data[k] == '\n') {
      col.push_back(raw.substr(start, k - start));
      start = k + 1;
    }
  }
  for (int rep = 0; rep < 2; ++rep) {
    std::string s;
    enc::encode_strings(col, &s);
    std::vector<std::string> got;
    if (!enc::decode_strings(s, &got).ok() || got.size() != col.size()) fuzz::fail("strings round trip");
    for (size_t k = 0; k < col.size(); ++k)
      if (got[k] != col[k]) fuzz::fail("strings round trip");
    got.clear();
    (void)enc::decode_strings(fuzz::damaged(s, data, size), &got);
    size_t n = col.size();
    for (int r = 0; r < 4; ++r)
      for (size_t k = 0; k < n; ++k) col.push_back(col[k]);
  }
  return 0;
}
