// vigil: what the C ABI's source files share — the handle definitions that several of them
// use, the error plumbing (thread-local message, exception-to-code mapping, argument checks),
// and the scans (one message, batches) that engines and holders both run.
// Internal to libvigil: nothing here is exported (capi/vigil.map) or installed.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigil.h"
#include "vigil/engine.hpp"

struct vigil_engine {
  std::shared_ptr<const vigil::Engine> engine;
};

struct vigil_verdict {
  vigil::Verdict v;
};

namespace vigil_capi {

/// The message vigil_last_error() returns (one per thread, shared by every source file).
inline thread_local std::string last_error;

inline void set_error(const char* message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    // keep the code; the message is best effort
  }
}

inline int fail(int code, const char* message) noexcept {
  set_error(message);
  return code;
}

inline int fail(int code, const std::string& message) noexcept { return fail(code, message.c_str()); }

/// A failure raised inside a guarded body with a chosen code.
struct ApiError : std::runtime_error {
  ApiError(int c, const std::string& m) : std::runtime_error(m), code(c) {}
  int code;
};

inline int code_of_current_exception(std::string& message) noexcept {
  try {
    throw;
  } catch (const ApiError& e) {
    message = e.what();
    return e.code;
  } catch (const vigil::rules::PackError& e) {
    message = e.what();
    return VIGIL_E_PACK;
  } catch (const vigil::EngineFileError& e) {
    message = e.what();
    return VIGIL_E_ENGINE_FILE;
  } catch (const vigil::match::MatchError& e) {
    message = e.what();
    return message.find("larger than") != std::string::npos ? VIGIL_E_TOO_LARGE : VIGIL_E_SCAN;
  } catch (const std::bad_alloc&) {
    message = "out of memory";
    return VIGIL_E_NOMEM;
  } catch (const std::logic_error& e) {
    message = e.what();
    return VIGIL_E_STATE;
  } catch (const std::exception& e) {
    message = e.what();
    return VIGIL_E_INTERNAL;
  } catch (...) {
    message = "unknown error";
    return VIGIL_E_INTERNAL;
  }
}

/// Run `body` (returning an int code), mapping exceptions to codes and messages.
template <class F>
inline int guarded(const char* fn, F&& body) noexcept {
  try {
    int rc = body();
    if (rc == VIGIL_OK) last_error.clear();
    return rc;
  } catch (...) {
    std::string message;
    int code;
    try {
      code = code_of_current_exception(message);
      message = std::string(fn) + ": " + message;
    } catch (...) {
      code = VIGIL_E_NOMEM;
      message.clear();
    }
    return fail(code, message);
  }
}

inline std::string invalid_message(const char* fn, const char* what) {
  return std::string(fn) + ": " + what;
}

#define VIGIL_REQUIRE(cond, fn, what)                                      \
  do {                                                                     \
    if (!(cond)) return fail(VIGIL_E_INVALID, invalid_message(fn, what)); \
  } while (0)

/// Options struct handling: struct_size must cover the first field after it and not exceed
/// what this library knows.
template <class T>
inline bool options_size_ok(const T* o, std::size_t min_size) {
  return o == nullptr || (o->struct_size >= min_size && o->struct_size <= sizeof(T));
}

#define VIGIL_FIELD_END(T, field) (offsetof(T, field) + sizeof(((T*)nullptr)->field))
#define VIGIL_HAS_FIELD(o, T, field) ((o)->struct_size >= VIGIL_FIELD_END(T, field))

inline char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

inline std::string_view message_view(const char* text, std::size_t len) {
  if (len > UINT_MAX) throw ApiError(VIGIL_E_TOO_LARGE, "message of 4 GiB or more");
  return len == 0 ? std::string_view() : std::string_view(text, len);
}

template <class T>
inline void null_out(T** out) {
  if (out != nullptr) *out = nullptr;
}

/// Entry i of one of the verdict's lists, or NULL with the error set.
template <class T>
inline const T* entry_at(const char* fn, const vigil_verdict* v, std::vector<T> vigil::Verdict::*list,
                  std::size_t i, const char* out_of_range) noexcept {
  if (v == nullptr) {
    fail(VIGIL_E_INVALID, invalid_message(fn, "verdict is NULL"));
    return nullptr;
  }
  if (i >= (v->v.*list).size()) {
    fail(VIGIL_E_INVALID, invalid_message(fn, out_of_range));
    return nullptr;
  }
  return &(v->v.*list)[i];
}

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The one-message scan behind vigil_scan and vigil_holder_scan: check text, scan it, store a
/// new verdict in *out (which the caller has checked and cleared). Defined in vigil_scan.cpp.
int scan_message(const char* fn, const vigil::Engine& engine, const char* text, size_t len,
                 vigil_verdict** out);

/// The batch scans behind vigil_scan_batch / vigil_holder_scan_batch (texts[i], lens[i]) and
/// the _packed variants (data + offsets[i] .. offsets[i+1]): check the arguments, scan on the
/// threads opts asks for, store a new batch in *out (which the caller has checked and cleared).
/// Defined in vigil_scan.cpp.
int scan_batch_texts(const char* fn, const vigil::Engine& engine, const char* const* texts,
                     const size_t* lens, std::size_t n, const vigil_batch_options* opts,
                     vigil_batch** out);
int scan_batch_packed(const char* fn, const vigil::Engine& engine, const char* data,
                      const size_t* offsets, std::size_t n, const vigil_batch_options* opts,
                      vigil_batch** out);

}  // namespace vigil_capi
