// vigil text kernels (SimHash, MinHash, XXH3-128) for avx512bw: compiled with the same flags as
// avx512bw.cpp (-mavx512f -mavx512cd -mavx512dq -mavx512bw -mpopcnt; see meson.build). The
// dispatcher calls them only after checking the CPU.
// GCC 12 reports the deliberate self-initialisation inside _mm512_undefined_epi32 (used by the
// AVX-512 intrinsics xxHash inlines) as uninitialised; nothing here is.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "text_kernel_set.hpp"

#if !(XSIMD_WITH_AVX512BW)
#error "compile this file with -mavx512f -mavx512cd -mavx512dq -mavx512bw -mpopcnt"
#endif

const vigil::hash::TextKernelTable& vigil::hash::detail::text_kernels_avx512bw() {
  return local_text_kernel_set<xsimd::avx512bw, SpaceMaskAvx512, SimHashCountersAvx512>("avx512bw");
}
