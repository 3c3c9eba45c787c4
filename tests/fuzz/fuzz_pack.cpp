// Fuzz target: rule-pack loading and compiling from arbitrary TOML text. A pack either loads
// whole or throws PackError; nothing else may escape, and nothing may crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/engine.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto pack = vigil::rules::load_pack_string(text, "<fuzz>", "/nonexistent");
    auto engine = vigil::Engine::compile(std::move(pack), vigil::EngineOptions{false});
    engine->scan("join the caliphate");
  } catch (const vigil::rules::PackError&) {
  } catch (const vigil::match::MatchError&) {
    // Hyperscan refused something the pack checks let through (e.g. a pattern too large).
  }
  return 0;
}
