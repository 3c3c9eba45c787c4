// Fuzz target: scanning arbitrary bytes, as one message and as a stream cut at positions taken
// from the input; both must give the same hits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "vigil/engine.hpp"

namespace {

const vigil::Engine& engine() {
  static auto e = vigil::Engine::compile(vigil::rules::load_pack_string(R"(
[pack]
name = "fuzz"
version = "1"
[policy]
review = 1.0
block = 4.0
[[rule]]
id = "t"
category = "x"
terms = ["caliphate", "amaq agency", "جهاد", "dabiq", "a", "kill"]
max_hits = 100
[[rule]]
id = "r"
category = "y"
regex = "pipe ?bombs?|(a+)+b"
max_hits = 100
)"));
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t step = 1 + data[0] % 17;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  vigil::Verdict whole = engine().scan(text);
  auto stream = engine().open_stream();
  for (std::size_t pos = 0; pos < text.size(); pos += step) stream.write(text.substr(pos, step));
  vigil::Verdict streamed = stream.finish();
  if (whole.hits.size() != streamed.hits.size()) std::abort();
  for (std::size_t i = 0; i < whole.hits.size(); ++i) {
    if (whole.hits[i].start != streamed.hits[i].start || whole.hits[i].end != streamed.hits[i].end)
      std::abort();
  }
  return 0;
}
