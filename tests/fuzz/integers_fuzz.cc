// libFuzzer target: integer, unsigned and timestamp codecs (one integer body).
#include "fuzz_util.h"
#include "encoding/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tsd;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<int64_t> i;
  std::vector<uint64_t> u;
  (void)enc::decode_integers(raw, &i);
  (void)enc::decode_timestamps(raw, &i);
  (void)enc::decode_unsigned(raw, &u);
  (void)enc::encoded_count(raw);

  // Small deltas reach the entropy mode; whole words reach the packed mode.
  std::vector<int64_t> v = fuzz::values_from<int64_t>(data, size);
  std::vector<int64_t> small;
  for (size_t k = 0; k < size; ++k) small.push_back((small.empty() ? 0 : small.back()) + static_cast<int8_t>(data[k]) / 16);
  for (const auto* col : {&v, &small}) {
    std::string s;
    enc::encode_integers(*col, &s);
    std::vector<int64_t> got;
    if (!enc::decode_integers(s, &got).ok() || got != *col) fuzz::fail("integers round trip");
    got.clear();
    (void)enc::decode_integers(fuzz::damaged(s, data, size), &got);
    s.clear();
    enc::encode_timestamps(*col, &s);
    got.clear();
    if (!enc::decode_timestamps(s, &got).ok() || got != *col) fuzz::fail("timestamps round trip");
  }
  std::vector<uint64_t> uv = fuzz::values_from<uint64_t>(data, size);
  std::string s;
  enc::encode_unsigned(uv, &s);
  u.clear();
  if (!enc::decode_unsigned(s, &u).ok() || u != uv) fuzz::fail("unsigned round trip");
  return 0;
}
