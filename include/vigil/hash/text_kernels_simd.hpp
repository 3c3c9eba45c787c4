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
  hash_shingles<SpaceMask, ShingleHashOf<Hasher>>(text, size, words_per_shingle, minima);
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
  static std::size_t append_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
    return append_bit_positions<Tag>(out, count, base, bits);
  }
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

#if defined(__AVX512BW__) && defined(__AVX512DQ__)
/// SimHash feature hashes of eight shingles at a time: the short hash of shingles.hpp in 64-bit
/// lanes (VPMULLQ). A group with a shingle over 16 bytes, or one
/// within 16 bytes of the text's end, goes through Feature::hash one shingle at a time instead.
template <class Tag>
struct SimHashBatchAvx512 {
  static __m512i mix(__m512i lo, __m512i hi, __m512i len) {
    const auto k = [](std::uint64_t v) { return _mm512_set1_epi64(static_cast<long long>(v)); };
    __m512i x = _mm512_mullo_epi64(_mm512_xor_si512(lo, k(kShortKeyLo)), k(kShortMul1));
    x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 29));
    const __m512i length = _mm512_mullo_epi64(len, k(kShortLength));
    x = _mm512_xor_si512(_mm512_xor_si512(x, hi), _mm512_xor_si512(k(kShortKeyHi), length));
    x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 32));
    x = _mm512_mullo_epi64(x, k(kShortMul2));
    x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 29));
    x = _mm512_mullo_epi64(x, k(kShortMul3));
    return _mm512_xor_si512(x, _mm512_srli_epi64(x, 32));
  }
  /// 16 bytes at text + start[0], start[2], start[4], start[6]: [lo hi] of four shingles.
  static __m512i load4(const char* text, const std::size_t* start) {
    const auto at = [&](int j) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + start[2 * j])); };
    __m512i v = _mm512_castsi128_si512(at(0));
    v = _mm512_inserti64x2(v, at(1), 1);
    v = _mm512_inserti64x2(v, at(2), 2);
    return _mm512_inserti64x2(v, at(3), 3);
  }
  /// The 8 shingles starting at text + f[0], f[2], ..., f[14] of lengths `len` (all <= 16,
  /// 16 bytes readable from each). Plain 16-byte loads: cheaper than two gathers.
  static __m512i hash8(const char* text, const std::size_t* f, __m512i len, __m512i even, __m512i odd) {
    const __m512i ones = _mm512_set1_epi64(-1), sixty_four = _mm512_set1_epi64(64);
    const __m512i first4 = load4(text, f), last4 = load4(text, f + 8);
    const __m512i bits = _mm512_slli_epi64(len, 3);
    // Keep the low `bits` bits of lo and the low bits - 64 of hi (shifts by 64 or more give 0).
    const __m512i lo = _mm512_andnot_si512(_mm512_sllv_epi64(ones, bits), _mm512_permutex2var_epi64(first4, even, last4));
    const __m512i hi_bits = _mm512_sub_epi64(_mm512_max_epu64(bits, sixty_four), sixty_four);
    const __m512i hi = _mm512_andnot_si512(_mm512_sllv_epi64(ones, hi_bits), _mm512_permutex2var_epi64(first4, odd, last4));
    return mix(lo, hi, len);
  }
  template <class Feature>
  static std::size_t run(const char* text, std::size_t n, const std::size_t* edge, std::size_t k, std::size_t from,
                         std::size_t words, std::uint64_t* hashes) {
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i sixteen = _mm512_set1_epi64(16);
    const __m512i last_safe = _mm512_set1_epi64(static_cast<long long>(n < 16 ? 0 : n - 16));
    std::uint64_t* out = hashes;
    std::size_t i = from;
    for (; n >= 16 && i + 8 <= words; i += 8, out += 8) {
      const std::size_t* f = edge + 2 * (i + 1 - k);  // starts at even, ends at odd indices
      const std::size_t* e = edge + 2 * i;
      const __m512i first = _mm512_permutex2var_epi64(_mm512_loadu_si512(f), even, _mm512_loadu_si512(f + 8));
      const __m512i end = _mm512_permutex2var_epi64(_mm512_loadu_si512(e), odd, _mm512_loadu_si512(e + 8));
      const __m512i len = _mm512_sub_epi64(end, first);
      const __mmask8 fast = _mm512_cmple_epu64_mask(len, sixteen) & _mm512_cmple_epu64_mask(first, last_safe);
      if (fast == 0xFF) {
        _mm512_storeu_si512(out, hash8(text, f, len, even, odd));
        continue;
      }
      for (std::size_t j = i; j < i + 8; ++j) {
        const std::size_t start = edge[2 * (j + 1 - k)];
        out[j - i] = Feature::hash(text + start, edge[2 * j + 1] - start, n - start);
      }
    }
    for (; i < words; ++i) {
      const std::size_t start = edge[2 * (i + 1 - k)];
      *out++ = Feature::hash(text + start, edge[2 * i + 1] - start, n - start);
    }
    return static_cast<std::size_t>(out - hashes);
  }
};

template <class Tag>
struct SpaceMaskAvx512 {
  static std::uint64_t full(const char* p) {
    return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8(' '));
  }
  static std::uint64_t partial(const char* p, std::size_t n) {
    const __mmask64 valid = (std::uint64_t{1} << n) - 1;  // n < 64
    return _mm512_mask_cmpeq_epi8_mask(valid, _mm512_maskz_loadu_epi8(valid, p), _mm512_set1_epi8(' ')) | ~valid;
  }
  /// SimHash feature hashes in batches of eight (SimHashBatchAvx512).
  template <class Feature>
  static std::size_t simhash_batch(const char* text, std::size_t n, const std::size_t* edge, std::size_t k,
                                   std::size_t from, std::size_t words, std::uint64_t* hashes) {
    return SimHashBatchAvx512<Tag>::template run<Feature>(text, n, edge, k, from, words, hashes);
  }
  /// append_bit_positions (text_kernels.hpp) without a loop: per 16 bits, VPCOMPRESSD packs the
  /// positions of the set bits, widened to 64 bits and stored 16 at a time (so up to 16 entries
  /// past the returned count are overwritten).
  static std::size_t append_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i base64 = _mm512_set1_epi64(static_cast<long long>(base));
    std::size_t* p = out + count;
    for (int piece = 0; piece < 4; ++piece) {
      const auto set = static_cast<__mmask16>(bits >> (16 * piece));
      const __m512i at = _mm512_maskz_compress_epi32(set, _mm512_add_epi32(lane, _mm512_set1_epi32(16 * piece)));
      _mm512_storeu_si512(p, _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm512_castsi512_si256(at)), base64));
      _mm512_storeu_si512(p + 8, _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(at, 1)), base64));
      p += __builtin_popcount(set);
    }
    return static_cast<std::size_t>(p - out);
  }
};

/// All 64 byte counters in one register: the feature itself is the mask of the bytes to count.
template <class Tag>
struct SimHashCountersAvx512 {
  __m512i lanes = _mm512_setzero_si512();

  // A masked add of ones: two micro-ops (mask move, add), one fewer than expanding the mask.
  static __m512i counted(__m512i counts, std::uint64_t h) {
    return _mm512_mask_add_epi8(counts, static_cast<__mmask64>(h), counts, _mm512_set1_epi8(1));
  }
  void add(std::uint64_t h) { lanes = counted(lanes, h); }
  /// Four independent sums, so consecutive features do not wait for each other's add.
  void add_run(const std::uint64_t* h, std::size_t count) {
    __m512i sum[4] = {lanes, _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
      for (int j = 0; j < 4; ++j) sum[j] = counted(sum[j], h[i + j]);
    }
    for (; i < count; ++i) sum[0] = counted(sum[0], h[i]);
    lanes = _mm512_add_epi8(_mm512_add_epi8(sum[0], sum[1]), _mm512_add_epi8(sum[2], sum[3]));
  }
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
