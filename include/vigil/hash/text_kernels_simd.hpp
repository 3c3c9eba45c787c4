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
  __m128i wide[16] = {};

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
  /// 32-bit totals: wide[4 * i + j] holds bits 16 * i + 4 * j .. + 3.
  void drain() {
    const __m128i zero = _mm_setzero_si128();
    for (int i = 0; i < 4; ++i) {
      const __m128i lo = _mm_unpacklo_epi8(lanes[i], zero), hi = _mm_unpackhi_epi8(lanes[i], zero);
      wide[4 * i + 0] = _mm_add_epi32(wide[4 * i + 0], _mm_unpacklo_epi16(lo, zero));
      wide[4 * i + 1] = _mm_add_epi32(wide[4 * i + 1], _mm_unpackhi_epi16(lo, zero));
      wide[4 * i + 2] = _mm_add_epi32(wide[4 * i + 2], _mm_unpacklo_epi16(hi, zero));
      wide[4 * i + 3] = _mm_add_epi32(wide[4 * i + 3], _mm_unpackhi_epi16(hi, zero));
      lanes[i] = zero;
    }
  }
  void take_wide(std::uint32_t* out) {
    for (int i = 0; i < 16; ++i) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * i), wide[i]);
      wide[i] = _mm_setzero_si128();
    }
  }
  /// Byte counts above t (<= 127, as counts stay <= 255): max(count, t + 1) == count.
  std::uint64_t bytes_above(std::uint32_t t) const {
    const __m128i floor = _mm_set1_epi8(static_cast<char>(t + 1));
    std::uint64_t h = 0;
    for (int i = 0; i < 4; ++i) {
      const __m128i above = _mm_cmpeq_epi8(_mm_max_epu8(lanes[i], floor), lanes[i]);
      h |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(above))) << (16 * i);
    }
    return h;
  }
  /// Unsigned 32-bit compares as signed ones with the top bit flipped (SSE has no unsigned one).
  std::uint64_t wide_above(std::uint32_t t) const {
    const __m128i flip = _mm_set1_epi32(static_cast<int>(0x80000000U));
    const __m128i limit = _mm_xor_si128(_mm_set1_epi32(static_cast<int>(t)), flip);
    std::uint64_t h = 0;
    for (int i = 0; i < 16; ++i) {
      const __m128i above = _mm_cmpgt_epi32(_mm_xor_si128(wide[i], flip), limit);
      h |= static_cast<std::uint64_t>(_mm_movemask_ps(_mm_castsi128_ps(above))) << (4 * i);
    }
    return h;
  }
};
#endif

#if defined(__AVX2__)
/// SimHash feature hashes of four shingles at a time in AVX2 (see SimHashBatchAvx512). AVX2 has
/// no 64-bit lane multiply: x * c mod 2^64 is built from 32 x 32 -> 64-bit products (VPMULUDQ),
/// x_lo * c_lo + ((x_hi * c_lo + x_lo * c_hi) << 32), which is the same value. Groups within 16
/// bytes of the text's end, and the last group of fewer than four, go through Feature::hash.
template <class Tag>
struct SimHashBatchAvx2 {
  /// x * c mod 2^64 in each 64-bit lane; c_lo, c_hi: c's 32-bit halves in 64-bit lanes.
  static __m256i mul(__m256i x, __m256i c_lo, __m256i c_hi) {
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), c_lo), _mm256_mul_epu32(x, c_hi));
    return _mm256_add_epi64(_mm256_mul_epu32(x, c_lo), _mm256_slli_epi64(cross, 32));
  }
  static __m256i mul(__m256i x, std::uint64_t c) {
    return mul(x, _mm256_set1_epi64x(static_cast<long long>(c & 0xFFFFFFFFU)),
               _mm256_set1_epi64x(static_cast<long long>(c >> 32)));
  }
  static __m256i shift_xor(__m256i x, int s) { return _mm256_xor_si256(x, _mm256_srli_epi64(x, s)); }
  static __m256i mix(__m256i lo, __m256i hi, __m256i len) {
    const auto k = [](std::uint64_t v) { return _mm256_set1_epi64x(static_cast<long long>(v)); };
    __m256i x = shift_xor(mul(_mm256_xor_si256(lo, k(kShortKeyLo)), kShortMul1), 29);
    // len < 2^32, so its high half contributes nothing: two products instead of three.
    const __m256i length = _mm256_add_epi64(_mm256_mul_epu32(len, k(kShortLength & 0xFFFFFFFFU)),
                                            _mm256_slli_epi64(_mm256_mul_epu32(len, k(kShortLength >> 32)), 32));
    x = _mm256_xor_si256(_mm256_xor_si256(x, hi), _mm256_xor_si256(k(kShortKeyHi), length));
    x = shift_xor(mul(shift_xor(x, 32), kShortMul2), 29);
    return shift_xor(mul(x, kShortMul3), 32);
  }
  /// The four shingles starting at text + f[0], f[2], f[4], f[6] (16 bytes readable from each).
  static __m256i hash4(const char* text, const std::size_t* f, __m256i len) {
    const auto at = [&](int j) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + f[2 * j])); };
    const __m256i s02 = _mm256_inserti128_si256(_mm256_castsi128_si256(at(0)), at(2), 1);
    const __m256i s13 = _mm256_inserti128_si256(_mm256_castsi128_si256(at(1)), at(3), 1);
    const __m256i ones = _mm256_set1_epi64x(-1);
    const __m256i bits = _mm256_slli_epi64(len, 3);
    // Keep the low `bits` bits of lo and the low bits - 64 of hi (shifts by 64 or more give 0).
    const __m256i lo = _mm256_andnot_si256(_mm256_sllv_epi64(ones, bits), _mm256_unpacklo_epi64(s02, s13));
    const __m256i hi_keep = _mm256_srlv_epi64(ones, _mm256_sub_epi64(_mm256_set1_epi64x(128), bits));
    return mix(lo, _mm256_and_si256(hi_keep, _mm256_unpackhi_epi64(s02, s13)), len);
  }
  /// e[0] - f[0], e[2] - f[2], e[4] - f[4], e[6] - f[6] from whole-vector loads (building the
  /// vectors from single entries would stall on store forwarding).
  static __m256i lengths(const std::size_t* f, const std::size_t* e) {
    const auto load = [](const std::size_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); };
    // unpacklo of p[0..3] and p[4..7] gives p[0], p[4], p[2], p[6]; the permute restores the order.
    const __m256i scrambled = _mm256_sub_epi64(_mm256_unpacklo_epi64(load(e), load(e + 4)),
                                               _mm256_unpacklo_epi64(load(f), load(f + 4)));
    return _mm256_permute4x64_epi64(scrambled, 0xD8);
  }
  template <class Feature>
  static std::size_t run(const char* text, std::size_t n, const std::size_t* edge, std::size_t k, std::size_t from,
                         std::size_t words, std::uint64_t* hashes) {
    const __m256i sixteen = _mm256_set1_epi64x(16);
    std::uint64_t* out = hashes;
    std::size_t i = from;
    for (; i + 4 <= words && edge[2 * (i + 4 - k)] + 16 <= n; i += 4, out += 4) {  // starts only grow
      const std::size_t* f = edge + 2 * (i + 1 - k);
      const std::size_t* e = edge + 2 * i + 1;
      const __m256i len = lengths(f, e);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), hash4(text, f, len));
      for (auto long_ones = static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(len, sixteen))));
           long_ones != 0; long_ones &= long_ones - 1) {
        const std::size_t j = i + static_cast<unsigned>(__builtin_ctz(long_ones));
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
struct SpaceMaskAvx2 {
  /// SimHash feature hashes in batches of four (SimHashBatchAvx2).
  template <class Feature>
  static std::size_t simhash_batch(const char* text, std::size_t n, const std::size_t* edge, std::size_t k,
                                   std::size_t from, std::size_t words, std::uint64_t* hashes) {
    return SimHashBatchAvx2<Tag>::template run<Feature>(text, n, edge, k, from, words, hashes);
  }
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

/// SpaceMaskAvx2 for SimHash: word edges through a table instead of a bit loop. (MinHash keeps
/// the loop: with the table its 60-word texts measured about 10% slower, SimHash's 20% faster.)
template <class Tag>
struct SpaceMaskAvx2Table : SpaceMaskAvx2<Tag> {
  struct BitPositionTable {  // entry v: the positions of the set bits of v, in order (then zeros)
    std::uint8_t entry[256][8];
    constexpr BitPositionTable() : entry() {
      for (unsigned v = 0; v < 256; ++v) {
        unsigned count = 0;
        for (unsigned i = 0; i < 8; ++i) {
          if ((v >> i) & 1U) entry[v][count++] = static_cast<std::uint8_t>(i);
        }
      }
    }
  };
  static constexpr BitPositionTable kPositions{};

  /// append_bit_positions (text_kernels.hpp) without a data-dependent loop: per 8 bits, the
  /// table row of their positions widened to 64 bits and stored 8 at a time (so up to 8 entries
  /// past the returned count are overwritten).
  static std::size_t append_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
    __m256i at = _mm256_set1_epi64x(static_cast<long long>(base));
    const __m256i eight = _mm256_set1_epi64x(8);
    std::size_t* p = out + count;
    for (int piece = 0; piece < 8; ++piece) {
      const auto byte = static_cast<unsigned>(bits >> (8 * piece)) & 0xFFU;
      const __m128i row = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kPositions.entry[byte]));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_add_epi64(_mm256_cvtepu8_epi64(row), at));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4),
                          _mm256_add_epi64(_mm256_cvtepu8_epi64(_mm_srli_si128(row, 4)), at));
      at = _mm256_add_epi64(at, eight);
      p += __builtin_popcount(byte);
    }
    return static_cast<std::size_t>(p - out);
  }
};

/// Byte counters in two AVX2 registers (32 bits of the feature each; see SimHashCountersSsse3).
template <class Tag>
struct SimHashCountersAvx2 {
  __m256i lanes[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
  __m256i wide[8] = {};

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
  /// 32-bit totals: wide[4 * i + j] holds bits 32 * i + 8 * j .. + 7.
  void drain() {
    for (int i = 0; i < 2; ++i) {
      const __m128i lo = _mm256_castsi256_si128(lanes[i]), hi = _mm256_extracti128_si256(lanes[i], 1);
      wide[4 * i + 0] = _mm256_add_epi32(wide[4 * i + 0], _mm256_cvtepu8_epi32(lo));
      wide[4 * i + 1] = _mm256_add_epi32(wide[4 * i + 1], _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)));
      wide[4 * i + 2] = _mm256_add_epi32(wide[4 * i + 2], _mm256_cvtepu8_epi32(hi));
      wide[4 * i + 3] = _mm256_add_epi32(wide[4 * i + 3], _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)));
      lanes[i] = _mm256_setzero_si256();
    }
  }
  void take_wide(std::uint32_t* out) {
    for (int i = 0; i < 8; ++i) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8 * i), wide[i]);
      wide[i] = _mm256_setzero_si256();
    }
  }
  /// As SimHashCountersSsse3::bytes_above and wide_above, 32 and 8 bits per compare.
  std::uint64_t bytes_above(std::uint32_t t) const {
    const __m256i floor = _mm256_set1_epi8(static_cast<char>(t + 1));
    std::uint64_t h = 0;
    for (int i = 0; i < 2; ++i) {
      const __m256i above = _mm256_cmpeq_epi8(_mm256_max_epu8(lanes[i], floor), lanes[i]);
      h |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(above))) << (32 * i);
    }
    return h;
  }
  std::uint64_t wide_above(std::uint32_t t) const {
    const __m256i flip = _mm256_set1_epi32(static_cast<int>(0x80000000U));
    const __m256i limit = _mm256_xor_si256(_mm256_set1_epi32(static_cast<int>(t)), flip);
    std::uint64_t h = 0;
    for (int i = 0; i < 8; ++i) {
      const __m256i above = _mm256_cmpgt_epi32(_mm256_xor_si256(wide[i], flip), limit);
      h |= static_cast<std::uint64_t>(_mm256_movemask_ps(_mm256_castsi256_ps(above))) << (8 * i);
    }
    return h;
  }
};
#endif

#if defined(__AVX512BW__) && defined(__AVX512DQ__)
/// SimHash feature hashes of eight shingles at a time: the short hash of shingles.hpp in 64-bit
/// lanes (VPMULLQ). Shingles over 16 bytes are hashed in the same batch (the value is discarded)
/// and then replaced one by one with Feature::hash (XXH3-64), so a long shingle costs its own
/// hash only, not its group's. Groups near the text's end, and the last group of fewer than
/// eight, load their bytes with byte-masked loads, which never touch memory past the shingle.
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
  /// As load4, but only min(len, 16) bytes of each shingle are read (the rest are zero).
  static __m512i load4_masked(const char* text, const std::uint64_t* start, const std::uint64_t* len) {
    const auto at = [&](int j) {
      const std::uint64_t bytes = len[j] < 16 ? len[j] : 16;
      const auto keep = static_cast<__mmask64>((std::uint32_t{1} << bytes) - 1);
      return _mm512_castsi512_si128(_mm512_maskz_loadu_epi8(keep, text + start[j]));
    };
    __m512i v = _mm512_castsi128_si512(at(0));
    v = _mm512_inserti64x2(v, at(1), 1);
    v = _mm512_inserti64x2(v, at(2), 2);
    return _mm512_inserti64x2(v, at(3), 3);
  }
  /// The short hash of eight shingles of lengths `len` from their first 16 bytes (as [lo hi]
  /// pairs of four shingles in first4 and last4; bytes past a shingle's end are cleared here).
  static __m512i hash8(__m512i first4, __m512i last4, __m512i len) {
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i ones = _mm512_set1_epi64(-1);
    const __m512i bits = _mm512_slli_epi64(len, 3);
    // Keep the low `bits` bits of lo and the low bits - 64 of hi (shifts by 64 or more give 0).
    const __m512i lo = _mm512_andnot_si512(_mm512_sllv_epi64(ones, bits), _mm512_permutex2var_epi64(first4, even, last4));
    const __m512i hi_keep = _mm512_srlv_epi64(ones, _mm512_sub_epi64(_mm512_set1_epi64(128), bits));
    const __m512i hi = _mm512_and_si512(hi_keep, _mm512_permutex2var_epi64(first4, odd, last4));
    return mix(lo, hi, len);
  }
  /// Starts (edge[0], [2], ...) and ends (edge[1], [3], ...) of up to eight words: `pairs`
  /// marks the start/end pairs to read; lanes past them are 0.
  static __m512i gather_even(const std::size_t* edge, __mmask16 pairs) {
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    return _mm512_permutex2var_epi64(_mm512_maskz_loadu_epi64(static_cast<__mmask8>(pairs), edge), even,
                                     _mm512_maskz_loadu_epi64(static_cast<__mmask8>(pairs >> 8), edge + 8));
  }
  /// Hashes the shingles of words i .. i + count - 1 (count <= 8) into out[0 .. count - 1]
  /// (out[count .. 7] get unused values).
  template <class Feature>
  static void group(const char* text, std::size_t n, const std::size_t* edge, std::size_t k, std::size_t i,
                    std::size_t count, std::uint64_t* out) {
    const auto pairs = static_cast<__mmask16>((std::uint32_t{1} << (2 * count)) - 1);
    const __m512i first = gather_even(edge + 2 * (i + 1 - k), pairs);
    const __m512i end = gather_even(edge + 2 * i + 1, static_cast<__mmask16>(pairs >> 1));
    const __m512i len = _mm512_sub_epi64(end, first);
    const __mmask8 in_place = n < 16 ? 0 : _mm512_cmple_epu64_mask(first, _mm512_set1_epi64(static_cast<long long>(n - 16)));
    if (count == 8 && in_place == 0xFF) {
      const std::size_t* f = edge + 2 * (i + 1 - k);
      _mm512_storeu_si512(out, hash8(load4(text, f), load4(text, f + 8), len));
    } else {
      alignas(64) std::uint64_t starts[8], lens[8];
      _mm512_store_si512(starts, first);
      _mm512_store_si512(lens, len);
      _mm512_storeu_si512(out, hash8(load4_masked(text, starts, lens), load4_masked(text, starts + 4, lens + 4), len));
    }
    const __mmask8 live = static_cast<__mmask8>((1U << count) - 1);
    for (unsigned long_ones = _mm512_mask_cmpgt_epu64_mask(live, len, _mm512_set1_epi64(16)); long_ones != 0;
         long_ones &= long_ones - 1) {
      const std::size_t j = i + static_cast<unsigned>(__builtin_ctz(long_ones));
      const std::size_t start = edge[2 * (j + 1 - k)];
      out[j - i] = Feature::hash(text + start, edge[2 * j + 1] - start, n - start);
    }
  }
  template <class Feature>
  static std::size_t run(const char* text, std::size_t n, const std::size_t* edge, std::size_t k, std::size_t from,
                         std::size_t words, std::uint64_t* hashes) {
    std::uint64_t* out = hashes;
    for (std::size_t i = from; i < words; i += 8, out += 8) {
      group<Feature>(text, n, edge, k, i, words - i < 8 ? words - i : 8, out);
    }
    return words > from ? words - from : 0;
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
  /// append_bit_positions (text_kernels.hpp) without a loop: per 8 bits, VPCOMPRESSQ packs the
  /// 64-bit positions of the set bits, stored 8 at a time (so up to 8 entries past the returned
  /// count are overwritten). Compressing 64-bit lanes directly needs no widening of 32-bit ones.
  static std::size_t append_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
    __m512i at = _mm512_add_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), _mm512_set1_epi64(static_cast<long long>(base)));
    const __m512i eight = _mm512_set1_epi64(8);
    std::size_t* p = out + count;
    for (int piece = 0; piece < 8; ++piece) {
      const auto set = static_cast<__mmask8>(bits >> (8 * piece));
      _mm512_storeu_si512(p, _mm512_maskz_compress_epi64(set, at));
      at = _mm512_add_epi64(at, eight);
      p += __builtin_popcount(set);
    }
    return static_cast<std::size_t>(p - out);
  }
};

/// All 64 byte counters in one register: the feature itself is the mask of the bytes to count.
template <class Tag>
struct SimHashCountersAvx512 {
  __m512i lanes = _mm512_setzero_si512();
  __m512i wide[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};

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
  /// 32-bit totals: wide[j] holds bits 16 * j .. + 15.
  void drain() {
    wide[0] = _mm512_add_epi32(wide[0], _mm512_cvtepu8_epi32(_mm512_castsi512_si128(lanes)));
    wide[1] = _mm512_add_epi32(wide[1], _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(lanes, 1)));
    wide[2] = _mm512_add_epi32(wide[2], _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(lanes, 2)));
    wide[3] = _mm512_add_epi32(wide[3], _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(lanes, 3)));
    lanes = _mm512_setzero_si512();
  }
  void take_wide(std::uint32_t* out) {
    for (int j = 0; j < 4; ++j) {
      _mm512_storeu_si512(out + 16 * j, wide[j]);
      wide[j] = _mm512_setzero_si512();
    }
  }
  std::uint64_t bytes_above(std::uint32_t t) const {
    return _mm512_cmpgt_epu8_mask(lanes, _mm512_set1_epi8(static_cast<char>(t)));
  }
  std::uint64_t wide_above(std::uint32_t t) const {
    const __m512i limit = _mm512_set1_epi32(static_cast<int>(t));
    std::uint64_t h = 0;
    for (int j = 0; j < 4; ++j) h |= static_cast<std::uint64_t>(_mm512_cmpgt_epu32_mask(wide[j], limit)) << (16 * j);
    return h;
  }
};
#endif

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
