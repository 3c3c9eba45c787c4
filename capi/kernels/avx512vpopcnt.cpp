// vigil kernels for avx512vpopcnt: compiled with -mavx512f -mavx512cd -mavx512dq -mavx512bw
// -mavx512vpopcntdq -mpopcnt (see meson.build). Only this file may instantiate these templates for
// xsimd::avx512bw (policy PopcountNative); the dispatcher reaches them through the table below and
// calls them only after checking the CPU.
#include "vigil/hash/hamming_simd.hpp"

#if !XSIMD_WITH_AVX512BW
#error "compile this file with -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vpopcntdq -mpopcnt"
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

const HammingKernelTable& kernels_avx512vpopcnt() {
  return HammingKernels<xsimd::avx512bw, PopcountNative>::table("avx512vpopcnt");
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
