// vigil text kernels (SimHash, MinHash, XXH3-128) for avx2: compiled with the same flags as
// avx2.cpp (-mavx2 -mpopcnt; see meson.build). The dispatcher calls them only after checking the CPU.
#include "text_kernel_set.hpp"

#if !(XSIMD_WITH_AVX2)
#error "compile this file with -mavx2 -mpopcnt"
#endif

const vigil::hash::TextKernelTable& vigil::hash::detail::text_kernels_avx2() {
  return local_text_kernel_set<xsimd::avx2, SpaceMaskAvx2, SimHashCountersAvx2, SpaceMaskAvx2Table>("avx2");
}
