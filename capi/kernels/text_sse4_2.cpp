// vigil text kernels (SimHash, MinHash, XXH3-128) for sse4_2: compiled with the same flags as
// sse4_2.cpp (-msse4.2 -mpopcnt; see meson.build). The dispatcher calls them only after checking the CPU.
#include "text_kernel_set.hpp"

#if !(XSIMD_WITH_SSE4_2 && defined(__SSSE3__))
#error "compile this file with -msse4.2 -mpopcnt"
#endif

const vigil::hash::TextKernelTable& vigil::hash::detail::text_kernels_sse4_2() {
  return local_text_kernel_set<xsimd::sse4_2, SpaceMaskGeneric, SimHashCountersSsse3>("sse4_2");
}
