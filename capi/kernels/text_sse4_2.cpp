// vigil text kernels (SimHash, MinHash, XXH3-128) for sse4_2: compiled with the same flags as
// sse4_2.cpp (-msse4.2 -mpopcnt; see meson.build). The dispatcher calls them only after checking the CPU.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "text_kernel_set.hpp"

#if !(XSIMD_WITH_SSE4_2 && defined(__SSSE3__))
#error "compile this file with -msse4.2 -mpopcnt"
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {
namespace {
struct Local {};  // makes every instantiation below private to this file
}  // namespace

const TextKernelTable& text_kernels_sse4_2() {
  return text_kernel_set<xsimd::sse4_2, SpaceMaskGeneric, SimHashCountersSsse3, Local>("sse4_2");
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
