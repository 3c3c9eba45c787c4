// vigil: choice of the Hamming and text kernel sets at run time.
//
// Linked with the compiled library (libvigil, which carries capi/kernels/<isa>.cpp), the best
// set the CPU supports is used: avx512vpopcnt > avx512bw > avx2 > sse4_2 > scalar. Header-only
// users get the set their own compile flags allow (e.g. -mavx2), else scalar. The library is
// found through a weak reference, so header-only programs need no stub.
//
// Text kernels (SimHash, MinHash, XXH3-128; text_kernels.hpp) follow the same choice: sse4_2,
// avx2 and avx512bw sets in the library (avx512vpopcnt uses avx512bw's), and the header's
// portable set ("header", also used for "scalar") otherwise. All sets give identical values.
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
#include "vigil/hash/shingles.hpp"
#include "vigil/hash/text_kernels.hpp"
#include "vigil/hash/text_kernels_simd.hpp"
#include "vigil/version.hpp"

/// Provided by the compiled library (capi/kernels/dispatch.cpp): the kernel set called `name`
/// if it was built and the CPU supports it, else null; an empty name means the best one.
extern "C" __attribute__((weak)) const vigil::hash::HammingKernelTable* vigil_hash_kernels_lookup(
    const char* name);

/// Provided by the compiled library: the text kernels of the set called `name` (empty: the
/// best), or null when the library has none for it.
extern "C" __attribute__((weak)) const vigil::hash::TextKernelTable* vigil_text_kernels_lookup(
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

/// The portable text kernels: SSE2 space masks (x86-64 baseline), table-driven SimHash byte
/// counters, MinHash on the compile-flag xsimd architecture, the xxHash library's XXH3.
struct HeaderTextTag {};
struct LibraryXxh3 {
  static std::uint64_t hash(const char* p, std::size_t n) { return XXH3_64bits_withSeed(p, n, kShingleSeed); }
  static void xxh3_128(const void* data, std::size_t size, std::uint8_t* digest16) {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(data, size));
    for (std::size_t i = 0; i < 16; ++i) digest16[i] = canonical.digest[i];
  }
};

inline const TextKernelTable& header_text_kernels() {
  using Space = SpaceMaskGeneric<HeaderTextTag>;
  static const TextKernelTable table{"header",
                                     &simhash64_kernel<Space, LibraryXxh3, SimHashCountersSwar<HeaderTextTag>>,
                                     &minhash128_kernel<xsimd::default_arch, Space, LibraryXxh3>,
                                     &LibraryXxh3::xxh3_128};
  return table;
}

inline std::atomic<const TextKernelTable*>& forced_text_kernels() {
  static std::atomic<const TextKernelTable*> forced{nullptr};
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

/// The text kernels of the set called `name`: the library's when it has them, the header's for
/// "scalar" and "header", else null.
inline const TextKernelTable* find_text_kernels(std::string_view name) {
  if (name == "scalar" || name == "header") return &detail::header_text_kernels();
  if (name == "avx512") name = "avx512bw";
  if (vigil_text_kernels_lookup != nullptr) return vigil_text_kernels_lookup(std::string(name).c_str());
  return nullptr;
}

/// The best text kernels available: the library's choice when linked, else the header's.
inline const TextKernelTable& best_text_kernels() {
  static const TextKernelTable* best = [] {
    if (vigil_text_kernels_lookup != nullptr) {
      if (const TextKernelTable* t = vigil_text_kernels_lookup("")) return t;
    }
    return &detail::header_text_kernels();
  }();
  return *best;
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
      if (const HammingKernelTable* t = find_kernels(env)) {
        forced_kernels().store(t);
        forced_text_kernels().store(find_text_kernels(env));
      }
    }
    return true;
  }();
  (void)applied;
}
}  // namespace detail

/// Forces a kernel set (Hamming and text) by name; false (and no change) if it is not available.
/// Empty = unforce. A set without text kernels of its own leaves the best text kernels in use.
inline bool force_kernels(std::string_view name) {
  detail::apply_force_env_once();
  if (name.empty()) {
    detail::forced_kernels().store(nullptr);
    detail::forced_text_kernels().store(nullptr);
    return true;
  }
  const HammingKernelTable* t = find_kernels(name);
  if (t == nullptr) return false;
  detail::forced_kernels().store(t);
  detail::forced_text_kernels().store(find_text_kernels(name));
  return true;
}

/// The set in use: forced (function or VIGIL_FORCE_KERNEL) or best.
inline const HammingKernelTable& active_kernels() {
  detail::apply_force_env_once();
  if (const HammingKernelTable* t = detail::forced_kernels().load(std::memory_order_relaxed)) return *t;
  return best_kernels();
}

/// The text kernels in use: forced (function or VIGIL_FORCE_KERNEL) or best.
inline const TextKernelTable& active_text_kernels() {
  detail::apply_force_env_once();
  if (const TextKernelTable* t = detail::forced_text_kernels().load(std::memory_order_relaxed)) return *t;
  return best_text_kernels();
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
