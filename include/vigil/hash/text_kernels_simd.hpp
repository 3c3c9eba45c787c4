// vigil: the SIMD pieces of the text kernels (text_kernels.hpp): MinHash minima across slots (a
// template on the xsimd architecture), and per-ISA space masks and SimHash byte counters
// (SSSE3, AVX2, AVX-512BW intrinsics), each compiled only when the translation unit's flags
// allow it. The per-ISA translation units combine them into a TextKernelTable.
#pragma once

#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/text_kernels.hpp"
#include "vigil/version.hpp"

#if defined(__SSSE3__) || defined(__AVX2__) || defined(__AVX512BW__)
#include <immintrin.h>
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

/// MinHash: slot i keeps the minimum over shingles of (x ^ seed_i) * multiplier_i mod 2^32, x =
/// the shingle hash folded to 32 bits (minhash.hpp gives the definition); kLanes slots per SIMD
/// operation. Tag: see
/// text_kernels.hpp.
template <class Arch, class Tag>
struct MinHashMinima {
  using batch = xsimd::batch<std::uint32_t, Arch>;
  static constexpr std::size_t kSlots = 128;
  static constexpr std::size_t kLanes = batch::size;
  static constexpr std::size_t kBatches = kSlots / kLanes;

  const std::uint32_t* seeds;
  const std::uint32_t* multipliers;
  std::uint32_t* slots;  // the running minima, kSlots of them

  void consume(const std::uint64_t* hashes, std::size_t count) {
    batch minima[kBatches];
    for (std::size_t c = 0; c < kBatches; ++c) minima[c] = batch::load_unaligned(slots + c * kLanes);
    for (std::size_t i = 0; i < count; ++i) {
      const batch x(static_cast<std::uint32_t>(hashes[i] ^ (hashes[i] >> 32)));
      for (std::size_t c = 0; c < kBatches; ++c) {
        const batch h = (x ^ batch::load_unaligned(seeds + c * kLanes)) * batch::load_unaligned(multipliers + c * kLanes);
        minima[c] = xsimd::min(minima[c], h);
      }
    }
    for (std::size_t c = 0; c < kBatches; ++c) minima[c].store_unaligned(slots + c * kLanes);
  }
};

template <class Arch, class SpaceMask, class Hasher>
void minhash128_kernel(const char* text, std::size_t size, std::size_t words_per_shingle,
                       const std::uint32_t* seeds, const std::uint32_t* multipliers, std::uint32_t* slots) {
  for (std::size_t i = 0; i < MinHashMinima<Arch, Hasher>::kSlots; ++i) slots[i] = 0xFFFFFFFFU;
  MinHashMinima<Arch, Hasher> minima{seeds, multipliers, slots};
  hash_shingles<SpaceMask, Hasher>(text, size, words_per_shingle, minima);
}

#if defined(__SSSE3__)
/// Byte counters in four SSE registers: each 16-bit piece of the feature is spread to 16 bytes
/// (PSHUFB repeats each byte 8 times, AND+CMPEQ test one bit per byte) and subtracted (-1 = set).
template <class Tag>
struct SimHashCountersSsse3 {
  __m128i lanes[4] = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};

  static __m128i spread16(std::uint32_t piece) {
    const __m128i bytes = _mm_shuffle_epi8(_mm_cvtsi32_si128(static_cast<int>(piece)),
                                           _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
    const __m128i bits = _mm_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    return _mm_cmpeq_epi8(_mm_and_si128(bytes, bits), bits);
  }
  void add(std::uint64_t h) {
    for (int i = 0; i < 4; ++i) {
      lanes[i] = _mm_sub_epi8(lanes[i], spread16(static_cast<std::uint32_t>(h >> (16 * i)) & 0xFFFFU));
    }
  }
  void store_and_clear(std::uint8_t* bytes) {
    for (int i = 0; i < 4; ++i) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(bytes + 16 * i), lanes[i]);
      lanes[i] = _mm_setzero_si128();
    }
  }
};
#endif

#if defined(__AVX2__)
template <class Tag>
struct SpaceMaskAvx2 {
  static std::uint64_t full(const char* p) {
    const __m256i space = _mm256_set1_epi8(' ');
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, space))) |
           static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, space))))
               << 32;
  }
  static std::uint64_t partial(const char* p, std::size_t n) { return SpaceMaskGeneric<Tag>::template partial_with<SpaceMaskAvx2>(p, n); }
};

/// Byte counters in two AVX2 registers (32 bits of the feature each; see SimHashCountersSsse3).
template <class Tag>
struct SimHashCountersAvx2 {
  __m256i lanes[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};

  static __m256i spread32(std::uint32_t piece) {
    const __m256i bytes = _mm256_shuffle_epi8(
        _mm256_set1_epi32(static_cast<int>(piece)),
        _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
    const __m256i bits = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    return _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bits), bits);
  }
  void add(std::uint64_t h) {
    lanes[0] = _mm256_sub_epi8(lanes[0], spread32(static_cast<std::uint32_t>(h)));
    lanes[1] = _mm256_sub_epi8(lanes[1], spread32(static_cast<std::uint32_t>(h >> 32)));
  }
  void store_and_clear(std::uint8_t* bytes) {
    for (int i = 0; i < 2; ++i) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(bytes + 32 * i), lanes[i]);
      lanes[i] = _mm256_setzero_si256();
    }
  }
};
#endif

#if defined(__AVX512BW__)
template <class Tag>
struct SpaceMaskAvx512 {
  static std::uint64_t full(const char* p) {
    return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8(' '));
  }
  static std::uint64_t partial(const char* p, std::size_t n) {
    const __mmask64 valid = (std::uint64_t{1} << n) - 1;  // n < 64
    return _mm512_mask_cmpeq_epi8_mask(valid, _mm512_maskz_loadu_epi8(valid, p), _mm512_set1_epi8(' ')) | ~valid;
  }
};

/// All 64 byte counters in one register: the feature itself is the mask of the bytes to count.
template <class Tag>
struct SimHashCountersAvx512 {
  __m512i lanes = _mm512_setzero_si512();

  void add(std::uint64_t h) { lanes = _mm512_sub_epi8(lanes, _mm512_movm_epi8(static_cast<__mmask64>(h))); }
  void store_and_clear(std::uint8_t* bytes) {
    _mm512_storeu_si512(bytes, lanes);
    lanes = _mm512_setzero_si512();
  }
};
#endif

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
