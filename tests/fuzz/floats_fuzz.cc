// libFuzzer target: the float codec (bit patterns and decimal modes).
#include <cmath>

#include "fuzz_util.h"
#include "encoding/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<double> out;
  (void)enc::decode_floats(raw, &out);

  // Raw bit patterns, and decimals (k / 100 with some raw patterns mixed in).
  std::vector<double> bits = fuzz::values_from<double>(data, size);
  std::vector<double> dec;
  for (size_t k = 0; k < size; ++k) {
    if (data[k] == 0xff && k + 8 < size) {
      double d;
      std::memcpy(&d, data + k + 1, 8);
      dec.push_back(d);
    } else {
      dec.push_back(static_cast<double>(static_cast<int8_t>(data[k]) * 37 + static_cast<int>(k)) / 100);
    }
  }
  for (const auto* col : {&bits, &dec}) {
    std::string s;
    enc::encode_floats(*col, &s);
    std::vector<double> got;
    if (!enc::decode_floats(s, &got).ok() || got.size() != col->size() ||
        (!col->empty() && std::memcmp(got.data(), col->data(), col->size() * 8) != 0))
      fuzz::fail("floats round trip");
    got.clear();
    (void)enc::decode_floats(fuzz::damaged(s, data, size), &got);
  }
  return 0;
}
