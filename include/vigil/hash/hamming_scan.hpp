// vigil: flat (brute-force) Hamming range queries over code arrays, single and batched, using
// the active kernel set (kernel_dispatch.hpp). Exact: every code within the radius, none outside.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/hash/code_array.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {
namespace detail {

inline constexpr std::size_t kScanChunk = 4096;  // codes per kernel call (bounds the out buffer)

inline std::uint32_t clamp_radius(int radius, int bits) {
  return static_cast<std::uint32_t>(std::min(radius, bits));
}

}  // namespace detail

/// All codes within `radius` of `query`, in index order.
inline std::vector<HammingMatch> range_scan(const CodeArray256& codes, const Hash256& query,
                                            int radius,
                                            const HammingKernelTable& kernels = active_kernels()) {
  std::vector<HammingMatch> result;
  if (radius < 0 || codes.empty()) return result;
  std::vector<HammingMatch> buffer(detail::kScanChunk);
  const std::uint32_t r = detail::clamp_radius(radius, 256);
  for (std::size_t begin = 0; begin < codes.size(); begin += detail::kScanChunk) {
    const std::size_t end = std::min(codes.size(), begin + detail::kScanChunk);
    const std::size_t n = kernels.scan256(codes.blocks(), begin, end, query.words.data(), r, buffer.data());
    result.insert(result.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return result;
}

/// All 64-bit codes within `radius` of `query`, in index order.
inline std::vector<HammingMatch> range_scan(const std::vector<std::uint64_t>& codes,
                                            std::uint64_t query, int radius,
                                            const HammingKernelTable& kernels = active_kernels()) {
  std::vector<HammingMatch> result;
  if (radius < 0 || codes.empty()) return result;
  std::vector<HammingMatch> buffer(detail::kScanChunk);
  const std::uint32_t r = detail::clamp_radius(radius, 64);
  for (std::size_t begin = 0; begin < codes.size(); begin += detail::kScanChunk) {
    const std::size_t end = std::min(codes.size(), begin + detail::kScanChunk);
    const std::size_t n = kernels.scan64(codes.data(), begin, end, query, r, buffer.data());
    result.insert(result.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return result;
}

/// Many queries (e.g. the 8 dihedral PDQ hashes) in one pass over the codes: result[q] lists
/// the matches of queries[q] in index order.
inline std::vector<std::vector<HammingMatch>> range_scan_batch(
    const CodeArray256& codes, const std::vector<Hash256>& queries, int radius,
    const HammingKernelTable& kernels = active_kernels()) {
  std::vector<std::vector<HammingMatch>> result(queries.size());
  if (radius < 0 || codes.empty() || queries.empty()) return result;
  std::vector<std::uint64_t> packed;
  packed.reserve(queries.size() * 4);
  for (const Hash256& q : queries) packed.insert(packed.end(), q.words.begin(), q.words.end());
  // Chunk so the output buffer (chunk x queries) stays bounded, at least one tile of codes.
  const std::size_t chunk =
      std::max<std::size_t>(512, detail::kScanChunk * 16 / queries.size()) / kCodesPerBlock * kCodesPerBlock;
  std::vector<BatchMatch> buffer(chunk * queries.size());
  const std::uint32_t r = detail::clamp_radius(radius, 256);
  for (std::size_t begin = 0; begin < codes.size(); begin += chunk) {
    const std::size_t end = std::min(codes.size(), begin + chunk);
    const std::size_t n = kernels.scan256_batch(codes.blocks(), begin, end, packed.data(),
                                                queries.size(), r, buffer.data());
    // Within a chunk matches come tile by tile; a stable sort keeps each query's list ordered.
    std::stable_sort(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n),
                     [](const BatchMatch& a, const BatchMatch& b) {
                       return a.query != b.query ? a.query < b.query : a.index < b.index;
                     });
    for (std::size_t i = 0; i < n; ++i) result[buffer[i].query].push_back({buffer[i].index, buffer[i].distance});
  }
  return result;
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
