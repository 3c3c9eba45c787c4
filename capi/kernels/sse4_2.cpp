// vigil kernels for sse4_2: compiled with -msse4.2 -mpopcnt (see meson.build). Only this file may
// instantiate these templates for xsimd::sse4_2 (policy PopcountByNibbles); the dispatcher reaches
// them through the table below and calls them only after checking the CPU.
#include "vigil/hash/hamming_simd.hpp"

#if !XSIMD_WITH_SSE4_2
#error "compile this file with -msse4.2 -mpopcnt"
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

const HammingKernelTable& kernels_sse4_2() {
  return HammingKernels<xsimd::sse4_2, PopcountByNibbles>::table("sse4_2");
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
