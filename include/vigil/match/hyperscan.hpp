// vigil: small RAII owners for Hyperscan objects and error text.
#pragma once

#include <hs/hs.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace match {

/// A Hyperscan call failed (allocation, platform, corrupt database ...).
class MatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

struct DatabaseDeleter {
  void operator()(hs_database_t* db) const noexcept { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const noexcept { hs_free_scratch(s); }
};
struct StreamDeleter {
  void operator()(hs_stream_t* s) const noexcept { hs_close_stream(s, nullptr, nullptr, nullptr); }
};
struct CompileErrorDeleter {
  void operator()(hs_compile_error_t* e) const noexcept { hs_free_compile_error(e); }
};

using DatabasePtr = std::unique_ptr<hs_database_t, DatabaseDeleter>;
using ScratchPtr = std::unique_ptr<hs_scratch_t, ScratchDeleter>;
using StreamPtr = std::unique_ptr<hs_stream_t, StreamDeleter>;
using CompileErrorPtr = std::unique_ptr<hs_compile_error_t, CompileErrorDeleter>;

inline const char* hs_error_name(hs_error_t err) noexcept {
  switch (err) {
    case HS_SUCCESS: return "success";
    case HS_INVALID: return "invalid parameter";
    case HS_NOMEM: return "out of memory";
    case HS_SCAN_TERMINATED: return "scan terminated";
    case HS_COMPILER_ERROR: return "compile error";
    case HS_DB_VERSION_ERROR: return "database built by another Hyperscan version";
    case HS_DB_PLATFORM_ERROR: return "database built for another platform";
    case HS_DB_MODE_ERROR: return "database built for another mode";
    case HS_BAD_ALIGN: return "bad alignment";
    case HS_BAD_ALLOC: return "allocator returned misaligned memory";
    case HS_SCRATCH_IN_USE: return "scratch in use";
    case HS_ARCH_ERROR: return "CPU not supported by Hyperscan (needs SSSE3)";
    case HS_INSUFFICIENT_SPACE: return "insufficient space";
    default: return "unknown Hyperscan error";
  }
}

inline void check_hs(hs_error_t err, const char* what) {
  if (err != HS_SUCCESS) {
    throw MatchError(std::string(what) + ": " + hs_error_name(err) + " (" +
                     std::to_string(err) + ")");
  }
}

/// A scan stops early only when the match callback failed to record (out of memory).
inline void check_hs_scan(hs_error_t err) {
  if (err == HS_SCAN_TERMINATED) throw MatchError("scan stopped: out of memory recording matches");
  check_hs(err, "scanning");
}

/// Does `db` match anywhere in `text`? (The scan stops at the first match.)
inline bool any_match(const hs_database_t* db, const char* text, unsigned length,
                      hs_scratch_t* scratch) {
  auto stop = [](unsigned, unsigned long long, unsigned long long, unsigned, void*) { return 1; };
  const hs_error_t err = hs_scan(db, text, length, 0, scratch, stop, nullptr);
  if (err == HS_SCAN_TERMINATED) return true;
  check_hs(err, "scanning");
  return false;
}

/// Grow `scratch` so it serves `db` (no-op for a null db).
inline void reserve_scratch(const hs_database_t* db, hs_scratch_t*& scratch) {
  if (db != nullptr) check_hs(hs_alloc_scratch(db, &scratch), "allocating scan scratch");
}

}  // namespace detail
}  // namespace match
}  // namespace v1
}  // namespace vigil
