// libFuzzer target: the boolean codec (bits and runs).
#include "fuzz_util.h"
#include "encoding/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<uint8_t> out;
  (void)enc::decode_booleans(raw, &out);

  std::vector<uint8_t> bits, runs;
  for (size_t k = 0; k < size; ++k) {
    bits.push_back(data[k] & 1);
    runs.insert(runs.end(), data[k] % 40, k & 1);
  }
  for (const auto* col : {&bits, &runs}) {
    std::string s;
    enc::encode_booleans(*col, &s);
    std::vector<uint8_t> got;
    if (!enc::decode_booleans(s, &got).ok() || got != *col) fuzz::fail("booleans round trip");
    got.clear();
    (void)enc::decode_booleans(fuzz::damaged(s, data, size), &got);
  }
  return 0;
}
