// vigil: Hamming-distance scan kernels (popcount of XOR) over 256-bit and 64-bit codes, as
// templates on the xsimd architecture, plus the plain scalar kernels.
//
// Layout for 256-bit codes ("blocked"): groups of 8 codes stored word-major, block b at
// `blocks + 32*b`, word w of code lane l at `[8*w + l]`. One SIMD lane then holds one code, so
// a block's 8 distances are 4 vertical XOR+popcount+add steps with no horizontal sums.
// 64-bit codes are a plain contiguous array.
//
// ISA builds: capi/kernels/<isa>.cpp instantiates HammingKernels<Arch> with that ISA's -m flags;
// the compiled library picks one at run time (kernel_dispatch.hpp). Kernels must not call
// non-template inline functions shared with other translation units (a copy compiled with
// AVX-512 flags could be the one the linker keeps), hence the self-contained loops below and
// caller-provided output arrays instead of std::vector.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

inline constexpr std::size_t kCodesPerBlock = 8;
inline constexpr std::size_t kWordsPerBlock = 4 * kCodesPerBlock;  // 32 x uint64 = 256 bytes

/// One result of a range query: code index and its distance to the query.
struct HammingMatch {
  std::uint32_t index;
  std::uint32_t distance;
};

/// A result of a batched query: which query matched which code.
struct BatchMatch {
  std::uint32_t query;
  std::uint32_t index;
  std::uint32_t distance;
};

/// The kernel entry points of one instruction set. Each scan visits codes [begin, end) of an
/// array, appends every code with distance <= radius (index reported as code index), and returns
/// how many it wrote; `out` must have room for (end - begin) entries (batch: per query).
struct HammingKernelTable {
  const char* name;
  std::size_t (*scan256)(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                         const std::uint64_t* query, std::uint32_t radius, HammingMatch* out);
  std::size_t (*scan64)(const std::uint64_t* codes, std::size_t begin, std::size_t end,
                        std::uint64_t query, std::uint32_t radius, HammingMatch* out);
  std::size_t (*scan256_batch)(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                               const std::uint64_t* queries, std::size_t query_count,
                               std::uint32_t radius, BatchMatch* out);
  // Row-major 256-bit codes (4 words each, as a multi-index keeps them for random access):
  // check the listed ids (index reported = id), or scan a contiguous range.
  std::size_t (*verify256)(const std::uint64_t* rows, const std::uint32_t* ids, std::size_t count,
                           const std::uint64_t* query, std::uint32_t radius, HammingMatch* out);
  std::size_t (*verify64)(const std::uint64_t* codes, const std::uint32_t* ids, std::size_t count,
                          std::uint64_t query, std::uint32_t radius, HammingMatch* out);
  std::size_t (*scan256_rows)(const std::uint64_t* rows, std::size_t begin, std::size_t end,
                              const std::uint64_t* query, std::uint32_t radius, HammingMatch* out);
};

namespace detail {

/// Scalar kernels (any CPU; popcount via the compiler builtin).
struct ScalarHammingKernels {
  static std::uint32_t distance_in_block(const std::uint64_t* block, std::size_t lane,
                                         const std::uint64_t* q) {
    std::uint32_t d = 0;
    for (std::size_t w = 0; w < 4; ++w) {
      d += static_cast<std::uint32_t>(__builtin_popcountll(block[w * kCodesPerBlock + lane] ^ q[w]));
    }
    return d;
  }

  static std::size_t scan256(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                             const std::uint64_t* q, std::uint32_t radius, HammingMatch* out) {
    std::size_t found = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t d = distance_in_block(blocks + (i / kCodesPerBlock) * kWordsPerBlock,
                                                i % kCodesPerBlock, q);
      if (d <= radius) out[found++] = {static_cast<std::uint32_t>(i), d};
    }
    return found;
  }

  static std::size_t scan64(const std::uint64_t* codes, std::size_t begin, std::size_t end,
                            std::uint64_t q, std::uint32_t radius, HammingMatch* out) {
    std::size_t found = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const auto d = static_cast<std::uint32_t>(__builtin_popcountll(codes[i] ^ q));
      if (d <= radius) out[found++] = {static_cast<std::uint32_t>(i), d};
    }
    return found;
  }

  static std::size_t scan256_batch(const std::uint64_t* blocks, std::size_t begin, std::size_t end,
                                   const std::uint64_t* queries, std::size_t query_count,
                                   std::uint32_t radius, BatchMatch* out) {
    std::size_t found = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint64_t* block = blocks + (i / kCodesPerBlock) * kWordsPerBlock;
      for (std::size_t q = 0; q < query_count; ++q) {
        const std::uint32_t d = distance_in_block(block, i % kCodesPerBlock, queries + 4 * q);
        if (d <= radius) {
          out[found++] = {static_cast<std::uint32_t>(q), static_cast<std::uint32_t>(i), d};
        }
      }
    }
    return found;
  }
};

/// Random-access kernels on row-major codes. Plain popcount loops: compiled with -mpopcnt in
/// the ISA translation units they become POPCNT instructions; prefetching hides the misses of
/// scattered candidates.
template <class Tag>
struct RowKernels {
  static std::uint32_t distance256(const std::uint64_t* row, const std::uint64_t* q) {
    return static_cast<std::uint32_t>(__builtin_popcountll(row[0] ^ q[0]) + __builtin_popcountll(row[1] ^ q[1]) +
                                      __builtin_popcountll(row[2] ^ q[2]) + __builtin_popcountll(row[3] ^ q[3]));
  }

  static std::size_t verify256(const std::uint64_t* rows, const std::uint32_t* ids, std::size_t count,
                               const std::uint64_t* q, std::uint32_t radius, HammingMatch* out) {
    constexpr std::size_t kAhead = 16;  // ~ the misses a core keeps in flight
    std::size_t found = 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (k + kAhead < count) __builtin_prefetch(rows + 4 * std::size_t{ids[k + kAhead]});
      const std::uint32_t d = distance256(rows + 4 * std::size_t{ids[k]}, q);
      if (d <= radius) out[found++] = {ids[k], d};
    }
    return found;
  }

  static std::size_t verify64(const std::uint64_t* codes, const std::uint32_t* ids, std::size_t count,
                              std::uint64_t q, std::uint32_t radius, HammingMatch* out) {
    constexpr std::size_t kAhead = 8;
    std::size_t found = 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (k + kAhead < count) __builtin_prefetch(codes + ids[k + kAhead]);
      const auto d = static_cast<std::uint32_t>(__builtin_popcountll(codes[ids[k]] ^ q));
      if (d <= radius) out[found++] = {ids[k], d};
    }
    return found;
  }

  static std::size_t scan256_rows(const std::uint64_t* rows, std::size_t begin, std::size_t end,
                                  const std::uint64_t* q, std::uint32_t radius, HammingMatch* out) {
    std::size_t found = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t d = distance256(rows + 4 * i, q);
      if (d <= radius) out[found++] = {static_cast<std::uint32_t>(i), d};
    }
    return found;
  }
};

struct ScalarTag {};

inline const HammingKernelTable& scalar_kernel_table() {
  static const HammingKernelTable table{"scalar",
                                        &ScalarHammingKernels::scan256,
                                        &ScalarHammingKernels::scan64,
                                        &ScalarHammingKernels::scan256_batch,
                                        &RowKernels<ScalarTag>::verify256,
                                        &RowKernels<ScalarTag>::verify64,
                                        &RowKernels<ScalarTag>::scan256_rows};
  return table;
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
