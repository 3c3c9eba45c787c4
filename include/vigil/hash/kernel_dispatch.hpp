// vigil: choice of the Hamming kernel set at run time.
//
// Linked with the compiled library (libvigil, which carries capi/kernels/<isa>.cpp), the best
// set the CPU supports is used: avx512vpopcnt > avx512bw > avx2 > sse4_2 > scalar. Header-only
// users get the set their own compile flags allow (e.g. -mavx2), else scalar. The library is
// found through a weak reference, so header-only programs need no stub.
//
// Forcing a set (tests, benchmarks, bug reports): environment variable
// VIGIL_FORCE_KERNEL=scalar|sse4_2|avx2|avx512bw|avx512vpopcnt (also "avx512" = avx512bw), read at
// first use, or force_kernels("avx2") at any time. A forced set the CPU lacks is ignored.
#pragma once

#include <atomic>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/hash/hamming_simd.hpp"
#include "vigil/version.hpp"

/// Provided by the compiled library (capi/kernels/dispatch.cpp): the kernel set called `name`
/// if it was built and the CPU supports it, else null; an empty name means the best one.
extern "C" __attribute__((weak)) const vigil::hash::HammingKernelTable* vigil_hash_kernels_lookup(
    const char* name);

namespace vigil {
inline namespace v1 {
namespace hash {

/// The names of every kernel set, best last.
inline const std::vector<std::string>& kernel_names() {
  static const std::vector<std::string> names{"scalar", "sse4_2", "avx2", "avx512bw", "avx512vpopcnt"};
  return names;
}

namespace detail {

/// The set compiled into this translation unit: SIMD if the compile flags give SSSE3/SSE4.2 or
/// better (the nibble popcount needs PSHUFB), else scalar.
inline const HammingKernelTable& header_kernels() {
#if XSIMD_WITH_SSE4_2 && defined(__SSSE3__)
  return HammingKernels<xsimd::default_arch>::table(xsimd::default_arch::name());
#else
  return scalar_kernel_table();
#endif
}

inline std::atomic<const HammingKernelTable*>& forced_kernels() {
  static std::atomic<const HammingKernelTable*> forced{nullptr};
  return forced;
}

}  // namespace detail

/// The kernel set called `name` if available here (library built with it and CPU supports it),
/// or null. "scalar" always exists; "header" names the compile-flag set.
inline const HammingKernelTable* find_kernels(std::string_view name) {
  if (name == "scalar") return &detail::scalar_kernel_table();
  if (name == "header") return &detail::header_kernels();
  if (name == "avx512") name = "avx512bw";
  if (vigil_hash_kernels_lookup != nullptr) return vigil_hash_kernels_lookup(std::string(name).c_str());
  return nullptr;
}

/// The best set available: the library's choice when linked, else the header's.
inline const HammingKernelTable& best_kernels() {
  static const HammingKernelTable* best = [] {
    if (vigil_hash_kernels_lookup != nullptr) {
      if (const HammingKernelTable* t = vigil_hash_kernels_lookup("")) return t;
    }
    return &detail::header_kernels();
  }();
  return *best;
}

namespace detail {
/// VIGIL_FORCE_KERNEL, applied once before any explicit force_kernels() call can override it.
inline void apply_force_env_once() {
  static const bool applied = [] {
    if (const char* env = std::getenv("VIGIL_FORCE_KERNEL")) {
      if (const HammingKernelTable* t = find_kernels(env)) forced_kernels().store(t);
    }
    return true;
  }();
  (void)applied;
}
}  // namespace detail

/// Forces a kernel set by name; false (and no change) if it is not available. Empty = unforce.
inline bool force_kernels(std::string_view name) {
  detail::apply_force_env_once();
  if (name.empty()) {
    detail::forced_kernels().store(nullptr);
    return true;
  }
  const HammingKernelTable* t = find_kernels(name);
  if (t == nullptr) return false;
  detail::forced_kernels().store(t);
  return true;
}

/// The set in use: forced (function or VIGIL_FORCE_KERNEL) or best.
inline const HammingKernelTable& active_kernels() {
  detail::apply_force_env_once();
  if (const HammingKernelTable* t = detail::forced_kernels().load(std::memory_order_relaxed)) return *t;
  return best_kernels();
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
