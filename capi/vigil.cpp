// vigil: the compiled library behind vigil.h. Every entry point catches everything: no C++
// exception crosses the ABI.
#include "vigil.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "vigil/default_pack.hpp"
#include "vigil/engine.hpp"
#include "vigil/score/json.hpp"

extern "C" {
extern const unsigned char vigil_default_pack_data[];
extern const size_t vigil_default_pack_size;
}

struct vigil_engine {
  std::shared_ptr<const vigil::Engine> engine;
};

namespace {

thread_local std::string last_error;

int fail(int code, const std::string& message) {
  try {
    last_error = message;
  } catch (...) {
    // keep the code; the message is best effort
  }
  return code;
}

/// Run `body`, mapping exceptions to error codes and messages.
template <class F>
int guarded(F&& body) {
  try {
    last_error.clear();
    return body();
  } catch (const vigil::rules::PackError& e) {
    return fail(VIGIL_E_PACK, e.what());
  } catch (const vigil::EngineFileError& e) {
    return fail(VIGIL_E_ENGINE_FILE, e.what());
  } catch (const std::bad_alloc&) {
    return fail(VIGIL_E_NOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(VIGIL_E_INTERNAL, e.what());
  } catch (...) {
    return fail(VIGIL_E_INTERNAL, "unknown error");
  }
}

int open_with(vigil_engine** out, std::shared_ptr<const vigil::Engine> (*make)(const char*),
              const char* arg) {
  return guarded([&] {
    *out = new vigil_engine{make(arg)};
    return VIGIL_OK;
  });
}

}  // namespace

extern "C" {

unsigned vigil_version_number(void) { return VIGIL_VERSION_NUMBER; }
const char* vigil_version_string(void) { return VIGIL_VERSION_STRING; }
const char* vigil_last_error(void) { return last_error.c_str(); }

const char* vigil_error_name(int code) {
  switch (code) {
    case VIGIL_OK: return "VIGIL_OK";
    case VIGIL_E_INVALID: return "VIGIL_E_INVALID";
    case VIGIL_E_NOMEM: return "VIGIL_E_NOMEM";
    case VIGIL_E_PACK: return "VIGIL_E_PACK";
    case VIGIL_E_ENGINE_FILE: return "VIGIL_E_ENGINE_FILE";
    case VIGIL_E_INTERNAL: return "VIGIL_E_INTERNAL";
    default: return "unknown";
  }
}

const char* vigil_default_pack(size_t* size) {
  if (size != nullptr) *size = vigil_default_pack_size;
  return reinterpret_cast<const char*>(vigil_default_pack_data);
}

int vigil_engine_open_default(vigil_engine** out) {
  if (out == nullptr) return fail(VIGIL_E_INVALID, "vigil_engine_open_default: out is NULL");
  return open_with(out, [](const char*) { return vigil::default_engine(); }, nullptr);
}

int vigil_engine_open_pack_file(const char* path, vigil_engine** out) {
  if (path == nullptr || out == nullptr)
    return fail(VIGIL_E_INVALID, "vigil_engine_open_pack_file: path or out is NULL");
  return open_with(out, [](const char* p) { return vigil::Engine::from_pack_file(p); }, path);
}

int vigil_engine_open_file(const char* path, vigil_engine** out) {
  if (path == nullptr || out == nullptr)
    return fail(VIGIL_E_INVALID, "vigil_engine_open_file: path or out is NULL");
  return open_with(out, [](const char* p) { return vigil::Engine::load(p); }, path);
}

void vigil_engine_free(vigil_engine* engine) { delete engine; }

int vigil_scan_json(const vigil_engine* engine, const char* text, size_t len, const char* id,
                    char** json, size_t* json_len) {
  if (engine == nullptr || json == nullptr || (text == nullptr && len > 0))
    return fail(VIGIL_E_INVALID, "vigil_scan_json: engine or json is NULL, or text NULL with len > 0");
  return guarded([&] {
    vigil::Verdict v = engine->engine->scan(std::string_view(text ? text : "", len));
    std::string key;
    if (id != nullptr) vigil::detail::append_json_string(key, id);
    std::string out;
    vigil::append_verdict_json(out, v, "id", id ? std::string_view(key) : "null");
    char* s = static_cast<char*>(std::malloc(out.size() + 1));
    if (s == nullptr) throw std::bad_alloc();
    std::memcpy(s, out.data(), out.size() + 1);
    *json = s;
    if (json_len != nullptr) *json_len = out.size();
    return VIGIL_OK;
  });
}

void vigil_string_free(char* s) { std::free(s); }

}  // extern "C"
