// vigil: assembles the text-kernel table of one instruction set (text_kernels.hpp). Included
// only by capi/kernels/text_<isa>.cpp, first, so that XXH3 is compiled inline with that file's -m
// flags (AVX2/AVX-512 loops for long inputs, no call for shingles). Each of those files just
// checks its flags and names its pieces: text_kernels_<isa>() returns
// local_text_kernel_set<Arch, SpaceMask, Counters[, SimHashSpaceMask]>("<isa>").
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>

#include "vigil/hash/shingles.hpp"
#include "vigil/hash/text_kernels_simd.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

// Defined by text_sse4_2.cpp, text_avx2.cpp and text_avx512bw.cpp; called by dispatch.cpp.
const TextKernelTable& text_kernels_sse4_2();
const TextKernelTable& text_kernels_avx2();
const TextKernelTable& text_kernels_avx512bw();

/// XXH3 compiled into the including file. Tag: a type from that file's anonymous namespace.
template <class Tag>
struct InlineXxh3 {
  // Inlined with xxHash's entry point into the shingle loop, so consecutive hashes overlap.
  __attribute__((always_inline, flatten)) static std::uint64_t hash(const char* p, std::size_t n) {
    return XXH3_64bits_withSeed(p, n, kShingleSeed);
  }
  static void xxh3_128(const void* data, std::size_t size, std::uint8_t* digest16) {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits(data, size));
    std::memcpy(digest16, canonical.digest, 16);
  }
};

namespace {
/// Private to the one file that includes this header: every instantiation on it stays in that
/// file, so the linker can never pick a copy compiled with instructions the CPU lacks.
struct Local {};

/// SimHashSpaceMask: the space-mask policy for SimHash when it differs from MinHash's.
template <class Arch, template <class> class SpaceMask, template <class> class Counters,
          template <class> class SimHashSpaceMask = SpaceMask>
const TextKernelTable& local_text_kernel_set(const char* name) {
  using Hasher = InlineXxh3<Local>;
  static const TextKernelTable table{name, &simhash64_kernel<SimHashSpaceMask<Local>, Hasher, Counters<Local>>,
                                     &minhash128_kernel<Arch, SpaceMask<Local>, Hasher>, &Hasher::xxh3_128};
  return table;
}
}  // namespace

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
