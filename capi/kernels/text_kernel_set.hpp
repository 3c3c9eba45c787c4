// vigil: assembles the text-kernel table of one instruction set (text_kernels.hpp). Included only
// by capi/kernels/text_<isa>.cpp, after <xxhash.h> with XXH_INLINE_ALL, so XXH3 is compiled
// inline with that file's -m flags (AVX2/AVX-512 loops for long inputs, no call for shingles).
#pragma once

#if !defined(XXH_INLINE_ALL)
#error "define XXH_INLINE_ALL and include <xxhash.h> before this header"
#endif

#include <cstring>

#include "vigil/hash/shingles.hpp"
#include "vigil/hash/text_kernels_simd.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

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

template <class Arch, template <class> class SpaceMask, template <class> class Counters, class Tag>
const TextKernelTable& text_kernel_set(const char* name) {
  using Hasher = InlineXxh3<Tag>;
  static const TextKernelTable table{name, &simhash64_kernel<SpaceMask<Tag>, Hasher, Counters<Tag>>,
                                     &minhash128_kernel<Arch, SpaceMask<Tag>, Hasher>, &Hasher::xxh3_128};
  return table;
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
