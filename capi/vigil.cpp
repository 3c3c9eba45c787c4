// vigil: the compiled library behind vigil.h (the stable C ABI over the header-only core).
// This file: version, errors, memory, the default pack, and engines (open, save, inspect).
// Scans and batches are in vigil_scan.cpp, verdicts in vigil_verdict.cpp, holders in
// vigil_holder.cpp, hashing in vigil_hash.cpp, banks in vigil_bank.cpp and scanners in
// vigil_scanner.cpp.
//
// Every entry point either cannot throw or runs its body inside guarded(), which maps C++
// exceptions to VIGIL_E_* codes and the thread-local message: no exception crosses the ABI.
#include "detail_api.hpp"

#include <hs/hs.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "vigil/default_pack.hpp"
#include "vigil/engine.hpp"

extern "C" {
extern const unsigned char vigil_default_pack_data[];
extern const size_t vigil_default_pack_size;
extern const unsigned char vigil_default_engine_data[];
extern const size_t vigil_default_engine_size;
}

using namespace vigil_capi;

namespace {

vigil::EngineOptions engine_options(const vigil_engine_options* o) {
  vigil::EngineOptions out;
  if (o != nullptr && VIGIL_HAS_FIELD(o, vigil_engine_options, streaming))
    out.streaming = o->streaming != 0;
  return out;
}

bool engine_options_ok(const vigil_engine_options* o) {
  return options_size_ok(o, VIGIL_FIELD_END(vigil_engine_options, streaming));
}

constexpr const char* kBadEngineOptions =
    "opts->struct_size is not a vigil_engine_options size this library knows";

}  // namespace

extern "C" {

/* ---- version, errors, memory ---- */

unsigned vigil_version_number(void) { return VIGIL_VERSION_NUMBER; }
const char* vigil_version_string(void) { return VIGIL_VERSION_STRING; }
const char* vigil_matcher_version(void) { return hs_version(); }
const char* vigil_last_error(void) { return last_error.c_str(); }

const char* vigil_error_name(int code) {
  switch (code) {
    case VIGIL_OK: return "VIGIL_OK";
    case VIGIL_E_INVALID: return "VIGIL_E_INVALID";
    case VIGIL_E_NOMEM: return "VIGIL_E_NOMEM";
    case VIGIL_E_PACK: return "VIGIL_E_PACK";
    case VIGIL_E_ENGINE_FILE: return "VIGIL_E_ENGINE_FILE";
    case VIGIL_E_INTERNAL: return "VIGIL_E_INTERNAL";
    case VIGIL_E_STATE: return "VIGIL_E_STATE";
    case VIGIL_E_TOO_LARGE: return "VIGIL_E_TOO_LARGE";
    case VIGIL_E_SCAN: return "VIGIL_E_SCAN";
    case VIGIL_E_BUFFER_TOO_SMALL: return "VIGIL_E_BUFFER_TOO_SMALL";
    case VIGIL_E_BANK: return "VIGIL_E_BANK";
    case VIGIL_E_HASH: return "VIGIL_E_HASH";
    case VIGIL_E_IMAGE: return "VIGIL_E_IMAGE";
    case VIGIL_E_IO: return "VIGIL_E_IO";
    default: return "VIGIL_E_UNKNOWN";
  }
}

void vigil_free(void* p) { std::free(p); }

const char* vigil_decision_name(int decision) {
  switch (decision) {
    case VIGIL_ALLOW: return "allow";
    case VIGIL_REVIEW: return "review";
    case VIGIL_BLOCK: return "block";
    default:
      fail(VIGIL_E_INVALID, "vigil_decision_name: not a vigil_decision");
      return nullptr;
  }
}

const void* vigil_default_engine_image(size_t* len) {
  if (len != nullptr) *len = vigil_default_engine_size;
  return vigil_default_engine_data;
}

const char* vigil_default_pack(size_t* len) {
  if (len != nullptr) *len = vigil_default_pack_size;
  return reinterpret_cast<const char*>(vigil_default_pack_data);
}

/* ---- engines ---- */

int vigil_engine_open_default(const vigil_engine_options* opts, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_default";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine_options_ok(opts), fn, kBadEngineOptions);
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::default_engine(engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_pack_file(const char* path, const vigil_engine_options* opts,
                                vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_pack_file";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  VIGIL_REQUIRE(engine_options_ok(opts), fn, kBadEngineOptions);
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::Engine::from_pack_file(path, engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_pack_string(const char* toml, size_t len, const char* origin,
                                  const char* base_dir, const vigil_engine_options* opts,
                                  vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_pack_string";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(toml != nullptr || len == 0, fn, "toml is NULL with len > 0");
  VIGIL_REQUIRE(engine_options_ok(opts), fn, kBadEngineOptions);
  return guarded(fn, [&] {
    auto pack = vigil::rules::load_pack_string(std::string_view(len ? toml : "", len),
                                               origin ? origin : "<string>",
                                               base_dir ? base_dir : ".");
    *out = new vigil_engine{vigil::Engine::compile(std::move(pack), engine_options(opts))};
    return VIGIL_OK;
  });
}

int vigil_engine_open_file(const char* path, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_file";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded(fn, [&] {
    *out = new vigil_engine{vigil::Engine::load(path)};
    return VIGIL_OK;
  });
}

int vigil_engine_open_bytes(const void* data, size_t len, vigil_engine** out) {
  static const char fn[] = "vigil_engine_open_bytes";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  return guarded(fn, [&] {
    std::string_view bytes(len ? static_cast<const char*>(data) : "", len);
    *out = new vigil_engine{vigil::Engine::deserialize(bytes, "<engine bytes>")};
    return VIGIL_OK;
  });
}

int vigil_engine_ref(const vigil_engine* engine, vigil_engine** out) {
  static const char fn[] = "vigil_engine_ref";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  return guarded(fn, [&] {
    *out = new vigil_engine{engine->engine};
    return VIGIL_OK;
  });
}

void vigil_engine_free(vigil_engine* engine) { delete engine; }

int vigil_engine_serialize(const vigil_engine* engine, void** data, size_t* len) {
  static const char fn[] = "vigil_engine_serialize";
  null_out(data);
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(data != nullptr && len != nullptr, fn, "data or len is NULL");
  return guarded(fn, [&] {
    std::string bytes = engine->engine->serialize();
    void* p = std::malloc(bytes.size() ? bytes.size() : 1);
    if (p == nullptr) throw std::bad_alloc();
    std::memcpy(p, bytes.data(), bytes.size());
    *data = p;
    *len = bytes.size();
    return VIGIL_OK;
  });
}

int vigil_engine_save(const vigil_engine* engine, const char* path) {
  static const char fn[] = "vigil_engine_save";
  VIGIL_REQUIRE(engine != nullptr, fn, "engine is NULL");
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded(fn, [&] {
    engine->engine->save(path);
    return VIGIL_OK;
  });
}

const char* vigil_engine_pack_name(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_name: engine is NULL"), nullptr;
  return engine->engine->pack().name.c_str();
}

const char* vigil_engine_pack_version(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_version: engine is NULL"), nullptr;
  return engine->engine->pack().version.c_str();
}

const char* vigil_engine_pack_hash(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_pack_hash: engine is NULL"), nullptr;
  return engine->engine->pack().hash.c_str();
}

size_t vigil_engine_rule_count(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_rule_count: engine is NULL"), 0;
  return engine->engine->pack().rules.size();
}

int vigil_engine_supports_streaming(const vigil_engine* engine) {
  if (engine == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_supports_streaming: engine is NULL");
  return engine->engine->supports_streaming() ? 1 : 0;
}

}  // extern "C"
