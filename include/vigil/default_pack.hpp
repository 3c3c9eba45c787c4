// vigil: the embedded default pack (rules/default.toml, compiled into libvigil).
// Using these requires linking libvigil; the rest of the core is header-only.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "vigil/engine.hpp"

extern "C" const char* vigil_default_pack(size_t* size);
extern "C" const void* vigil_default_engine_image(size_t* size);

namespace vigil {
inline namespace v1 {

/// The default pack's canonical TOML (side files inlined).
inline std::string_view default_pack_source() {
  std::size_t size = 0;
  const char* data = vigil_default_pack(&size);
  return {data, size};
}

/// The default pack's engine: the one precompiled at build time when it fits (no streaming
/// asked for, and this machine's Hyperscan and CPU accept it), else compiled now.
inline std::shared_ptr<const Engine> default_engine(EngineOptions options = {}) {
  if (!options.streaming) {
    std::size_t size = 0;
    const void* image = vigil_default_engine_image(&size);
    try {
      return Engine::deserialize(std::string_view(static_cast<const char*>(image), size),
                                 "<default engine>", options);
    } catch (const EngineFileError&) {
      // another Hyperscan build or CPU than the build machine's: compile below
    }
  }
  return Engine::compile(rules::load_pack_string(default_pack_source(), "<default pack>"), options);
}

}  // namespace v1
}  // namespace vigil
