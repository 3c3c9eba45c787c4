// vigil text kernels (SimHash, MinHash, XXH3-128) for avx2: compiled with the same flags as
// avx2.cpp (-mavx2 -mpopcnt; see meson.build). The dispatcher calls them only after checking the CPU.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "text_kernel_set.hpp"

#if !(XSIMD_WITH_AVX2)
#error "compile this file with -mavx2 -mpopcnt"
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {
namespace {
struct Local {};  // makes every instantiation below private to this file
}  // namespace

const TextKernelTable& text_kernels_avx2() {
  return text_kernel_set<xsimd::avx2, SpaceMaskAvx2, SimHashCountersAvx2, Local>("avx2");
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
