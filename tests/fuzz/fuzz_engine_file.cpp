// Fuzz target: loading mutated engine files. The input is an engine file without its trailing
// SHA-256; the target appends a valid one, so mutations reach the parser and the Hyperscan
// database checks instead of stopping at the checksum. Anything but a clean EngineFileError
// or PackError is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "vigil/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto digest = vigil::detail::sha256(bytes);
  bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  try {
    auto e = vigil::Engine::deserialize(bytes, "<fuzz>");
    e->scan("join the caliphate");
  } catch (const vigil::EngineFileError&) {
  } catch (const vigil::rules::PackError&) {
  }
  return 0;
}
