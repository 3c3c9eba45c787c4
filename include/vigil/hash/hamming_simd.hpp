// vigil: the SIMD Hamming kernels, a template on the xsimd architecture (see hamming_kernels.hpp
// for the code layout and the rules for per-ISA translation units).
//
// Per-lane popcount: xsimd 8.1 has none, so each ISA gets a small helper: the nibble-table
// method (PSHUFB) summing byte counts of the four XORed words before one PSADBW per block on
// SSE4.2/AVX2/AVX-512BW, VPOPCNTQ when built for AVX512-VPOPCNTDQ, and the scalar builtin
// elsewhere. Results are integers, so every kernel returns exactly the scalar kernel's answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/version.hpp"

#if defined(__SSSE3__) || defined(__AVX2__) || defined(__AVX512BW__)
#include <immintrin.h>
#endif

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

/// Popcount policies: count bytes with a nibble table (default) or use the native instruction.
struct PopcountByNibbles {};
struct PopcountNative {};

/// Sum of the popcounts of four 64-bit lanes batches, per lane. Generic version: scalar builtin.
template <class Arch, class Policy, class = void>
struct LanePopcount {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static u64 sum4(const u64& a, const u64& b, const u64& c, const u64& d) {
    alignas(64) std::uint64_t x[4][u64::size];
    a.store_aligned(x[0]);
    b.store_aligned(x[1]);
    c.store_aligned(x[2]);
    d.store_aligned(x[3]);
    alignas(64) std::uint64_t out[u64::size];
    for (std::size_t l = 0; l < u64::size; ++l) {
      out[l] = static_cast<std::uint64_t>(__builtin_popcountll(x[0][l]) + __builtin_popcountll(x[1][l]) +
                                          __builtin_popcountll(x[2][l]) + __builtin_popcountll(x[3][l]));
    }
    return u64::load_aligned(out);
  }
  static u64 one(const u64& a) {
    alignas(64) std::uint64_t x[u64::size];
    a.store_aligned(x);
    for (std::size_t l = 0; l < u64::size; ++l) x[l] = static_cast<std::uint64_t>(__builtin_popcountll(x[l]));
    return u64::load_aligned(x);
  }
};

#if XSIMD_WITH_SSE4_2 && defined(__SSSE3__)
template <class Arch>
struct LanePopcount<Arch, PopcountByNibbles,
                    std::enable_if_t<std::is_base_of<xsimd::sse4_2, Arch>::value>> {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static __m128i bytes(__m128i x) {
    const __m128i table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m128i low = _mm_set1_epi8(0x0f);
    return _mm_add_epi8(_mm_shuffle_epi8(table, _mm_and_si128(x, low)),
                        _mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(x, 4), low)));
  }
  static u64 sum4(const u64& a, const u64& b, const u64& c, const u64& d) {
    const __m128i s = _mm_add_epi8(_mm_add_epi8(bytes(a), bytes(b)), _mm_add_epi8(bytes(c), bytes(d)));
    return _mm_sad_epu8(s, _mm_setzero_si128());  // byte counts <= 32: no overflow
  }
  static u64 one(const u64& a) { return _mm_sad_epu8(bytes(a), _mm_setzero_si128()); }
};
#endif

#if XSIMD_WITH_AVX2
template <class Arch>
struct LanePopcount<Arch, PopcountByNibbles,
                    std::enable_if_t<std::is_base_of<xsimd::avx2, Arch>::value>> {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static __m256i bytes(__m256i x) {
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0f);
    return _mm256_add_epi8(_mm256_shuffle_epi8(table, _mm256_and_si256(x, low)),
                           _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(x, 4), low)));
  }
  static u64 sum4(const u64& a, const u64& b, const u64& c, const u64& d) {
    const __m256i s = _mm256_add_epi8(_mm256_add_epi8(bytes(a), bytes(b)),
                                      _mm256_add_epi8(bytes(c), bytes(d)));
    return _mm256_sad_epu8(s, _mm256_setzero_si256());
  }
  static u64 one(const u64& a) { return _mm256_sad_epu8(bytes(a), _mm256_setzero_si256()); }
};
#endif

#if XSIMD_WITH_AVX512BW
template <class Arch>
struct LanePopcount<Arch, PopcountByNibbles,
                    std::enable_if_t<std::is_base_of<xsimd::avx512bw, Arch>::value>> {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static __m512i bytes(__m512i x) {
    // Bytes 0,1,1,2,1,2,2,3,1,2,2,3,2,3,3,4 in every 128-bit lane.
    const __m512i table = _mm512_set4_epi32(0x04030302, 0x03020201, 0x03020201, 0x02010100);
    const __m512i low = _mm512_set1_epi8(0x0f);
    return _mm512_add_epi8(_mm512_shuffle_epi8(table, _mm512_and_si512(x, low)),
                           _mm512_shuffle_epi8(table, _mm512_and_si512(_mm512_srli_epi16(x, 4), low)));
  }
  static u64 sum4(const u64& a, const u64& b, const u64& c, const u64& d) {
    const __m512i s = _mm512_add_epi8(_mm512_add_epi8(bytes(a), bytes(b)),
                                      _mm512_add_epi8(bytes(c), bytes(d)));
    return _mm512_sad_epu8(s, _mm512_setzero_si512());
  }
  static u64 one(const u64& a) { return _mm512_sad_epu8(bytes(a), _mm512_setzero_si512()); }
};
#endif

#if XSIMD_WITH_AVX512BW && defined(__AVX512VPOPCNTDQ__)
template <class Arch>
struct LanePopcount<Arch, PopcountNative,
                    std::enable_if_t<std::is_base_of<xsimd::avx512bw, Arch>::value>> {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static u64 sum4(const u64& a, const u64& b, const u64& c, const u64& d) {
    return (u64(_mm512_popcnt_epi64(a)) + u64(_mm512_popcnt_epi64(b))) +
           (u64(_mm512_popcnt_epi64(c)) + u64(_mm512_popcnt_epi64(d)));
  }
  static u64 one(const u64& a) { return _mm512_popcnt_epi64(a); }
};
#endif

/// The SIMD kernels for one architecture and popcount policy.
template <class Arch, class Policy = PopcountByNibbles>
struct HammingKernels {
  using u64 = xsimd::batch<std::uint64_t, Arch>;
  static constexpr std::size_t kLanes = u64::size;
  static_assert(kCodesPerBlock % kLanes == 0, "a block must hold whole batches");

  /// Distances of the kLanes codes at lane offset `sub` of `block` to the broadcast query `q`.
  static u64 block_distances(const std::uint64_t* block, std::size_t sub, const u64 q[4]) {
    const std::uint64_t* p = block + sub;
    return LanePopcount<Arch, Policy>::sum4(
        u64::load_aligned(p) ^ q[0], u64::load_aligned(p + kCodesPerBlock) ^ q[1],
        u64::load_aligned(p + 2 * kCodesPerBlock) ^ q[2], u64::load_aligned(p + 3 * kCodesPerBlock) ^ q[3]);
  }

  /// Appends lanes of `d` (codes first_index...) within radius and inside [begin, end).
  template <class Emit>
  static void emit_lanes(const u64& d, std::size_t first_index, std::size_t begin, std::size_t end,
                         std::uint32_t radius, Emit&& emit) {
    alignas(64) std::uint64_t lanes[kLanes];
    d.store_aligned(lanes);
    for (std::size_t l = 0; l < kLanes; ++l) {
      const std::size_t i = first_index + l;
      if (lanes[l] <= radius && i >= begin && i < end) emit(i, static_cast<std::uint32_t>(lanes[l]));
    }
  }

  static std::size_t scan256(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                             const std::uint64_t* query, std::uint32_t radius, HammingMatch* out) {
    const u64 q[4] = {u64(query[0]), u64(query[1]), u64(query[2]), u64(query[3])};
    const u64 limit(static_cast<std::uint64_t>(radius));
    std::size_t found = 0;
    const auto emit = [&](std::size_t i, std::uint32_t d) { out[found++] = {static_cast<std::uint32_t>(i), d}; };
    for (std::size_t b = begin / kCodesPerBlock; b * kCodesPerBlock < end; ++b) {
      const std::uint64_t* block = blocks + b * kWordsPerBlock;
      for (std::size_t sub = 0; sub < kCodesPerBlock; sub += kLanes) {
        const u64 d = block_distances(block, sub, q);
        if (xsimd::any(d <= limit)) emit_lanes(d, b * kCodesPerBlock + sub, begin, end, radius, emit);
      }
    }
    return found;
  }

  static std::size_t scan64(const std::uint64_t* codes, std::size_t begin, std::size_t end,
                            std::uint64_t query, std::uint32_t radius, HammingMatch* out) {
    std::size_t found = 0;
    const auto emit = [&](std::size_t i, std::uint32_t d) { out[found++] = {static_cast<std::uint32_t>(i), d}; };
    std::size_t i = begin;
    for (; i < end && (i % kLanes) != 0; ++i) scalar_emit64(codes, i, query, radius, emit);
    const u64 q(query), limit(static_cast<std::uint64_t>(radius));
    using Count = LanePopcount<Arch, Policy>;
    for (; i + 4 * kLanes <= end; i += 4 * kLanes) {  // four batches per branch
      const u64 d = Count::one(u64::load_unaligned(codes + i) ^ q);
      const u64 d1 = Count::one(u64::load_unaligned(codes + i + kLanes) ^ q);
      const u64 d2 = Count::one(u64::load_unaligned(codes + i + 2 * kLanes) ^ q);
      const u64 d3 = Count::one(u64::load_unaligned(codes + i + 3 * kLanes) ^ q);
      if (xsimd::any((d <= limit) || (d1 <= limit) || (d2 <= limit) || (d3 <= limit))) {
        emit_lanes(d, i, begin, end, radius, emit);
        emit_lanes(d1, i + kLanes, begin, end, radius, emit);
        emit_lanes(d2, i + 2 * kLanes, begin, end, radius, emit);
        emit_lanes(d3, i + 3 * kLanes, begin, end, radius, emit);
      }
    }
    for (; i < end; ++i) scalar_emit64(codes, i, query, radius, emit);
    return found;
  }

  template <class Emit>
  static void scalar_emit64(const std::uint64_t* codes, std::size_t i, std::uint64_t query,
                            std::uint32_t radius, Emit&& emit) {
    const auto d = static_cast<std::uint32_t>(__builtin_popcountll(codes[i] ^ query));
    if (d <= radius) emit(i, d);
  }

  /// Many queries against one code range, in tiles of blocks that stay in L1 while every query
  /// passes over them. Within a tile, queries go kGroup at a time with their words held in
  /// registers: each code batch is loaded once per group and one branch covers the group.
  static std::size_t scan256_batch(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                                   const std::uint64_t* queries, std::size_t query_count,
                                   std::uint32_t radius, BatchMatch* out) {
    constexpr std::size_t kTileBlocks = 64;  // 16 KiB of codes
    std::size_t found = 0;
    const std::size_t first_block = begin / kCodesPerBlock;
    const std::size_t end_block = (end + kCodesPerBlock - 1) / kCodesPerBlock;
    const BatchRange range{blocks, begin, end, radius, out};
    for (std::size_t tile = first_block; tile < end_block; tile += kTileBlocks) {
      const std::size_t tile_end = tile + kTileBlocks < end_block ? tile + kTileBlocks : end_block;
      std::size_t qi = 0;
      for (; qi + kGroup <= query_count; qi += kGroup) scan_group<kGroup>(range, tile, tile_end, queries, qi, found);
      for (; qi < query_count; ++qi) scan_group<1>(range, tile, tile_end, queries, qi, found);
    }
    return found;
  }

  /// Queries per register group: eight on AVX-512 (measured faster than four despite some
  /// spilling of the query words), two on narrower sets.
  static constexpr std::size_t kGroup = kLanes >= 8 ? 8 : 2;

  struct BatchRange {
    const std::uint64_t* blocks;
    std::size_t begin, end;
    std::uint32_t radius;
    BatchMatch* out;
  };

  /// Queries [first, first + G) against blocks [tile, tile_end).
  template <std::size_t G>
  static void scan_group(const BatchRange& range, std::size_t tile, std::size_t tile_end,
                         const std::uint64_t* queries, std::size_t first, std::size_t& found) {
    u64 q[G][4];
    for (std::size_t j = 0; j < G; ++j) {
      for (std::size_t w = 0; w < 4; ++w) q[j][w] = u64(queries[4 * (first + j) + w]);
    }
    const u64 limit(static_cast<std::uint64_t>(range.radius));
    for (std::size_t b = tile; b < tile_end; ++b) {
      for (std::size_t sub = 0; sub < kCodesPerBlock; sub += kLanes) {
        const std::uint64_t* p = range.blocks + b * kWordsPerBlock + sub;
        const u64 c0 = u64::load_aligned(p), c1 = u64::load_aligned(p + kCodesPerBlock);
        const u64 c2 = u64::load_aligned(p + 2 * kCodesPerBlock), c3 = u64::load_aligned(p + 3 * kCodesPerBlock);
        u64 d[G];
        for (std::size_t j = 0; j < G; ++j) {
          d[j] = LanePopcount<Arch, Policy>::sum4(c0 ^ q[j][0], c1 ^ q[j][1], c2 ^ q[j][2], c3 ^ q[j][3]);
        }
        auto hit = d[0] <= limit;
        for (std::size_t j = 1; j < G; ++j) hit = hit || (d[j] <= limit);
        if (!xsimd::any(hit)) continue;
        for (std::size_t j = 0; j < G; ++j) {
          const auto query = static_cast<std::uint32_t>(first + j);
          emit_lanes(d[j], b * kCodesPerBlock + sub, range.begin, range.end, range.radius,
                     [&](std::size_t i, std::uint32_t dist) {
                       range.out[found++] = {query, static_cast<std::uint32_t>(i), dist};
                     });
        }
      }
    }
  }

  static const HammingKernelTable& table(const char* name) {
    using Rows = RowKernels<HammingKernels>;  // a distinct instantiation per ISA translation unit
    static const HammingKernelTable t{name,           &scan256,           &scan64,
                                      &scan256_batch, &Rows::verify256,   &Rows::verify64,
                                      &Rows::scan256_rows};
    return t;
  }
};

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
