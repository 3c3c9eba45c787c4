// vigil kernels for avx2: compiled with -mavx2 -mpopcnt (see meson.build). Only this file may
// instantiate these templates for xsimd::avx2 (policy PopcountByNibbles); the dispatcher reaches
// them through the table below and calls them only after checking the CPU.
#include "vigil/hash/hamming_simd.hpp"

#if !XSIMD_WITH_AVX2
#error "compile this file with -mavx2 -mpopcnt"
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

const HammingKernelTable& kernels_avx2() {
  return HammingKernels<xsimd::avx2, PopcountByNibbles>::table("avx2");
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
