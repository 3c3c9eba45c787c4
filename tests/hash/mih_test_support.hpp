// Shared by the multi-index tests: brute-force range search, result comparison and noisy copies
// of codes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "vigil/hash/hamming_kernels.hpp"

namespace mih_test {

/// Every code within `radius` of q, by a scan, sorted by id.
template <std::size_t W>
std::vector<vigil::hash::HammingMatch> brute_force(const std::vector<std::array<std::uint64_t, W>>& codes,
                                                   const std::array<std::uint64_t, W>& q, int radius) {
  std::vector<vigil::hash::HammingMatch> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    int d = 0;
    for (std::size_t w = 0; w < W; ++w) d += __builtin_popcountll(codes[i][w] ^ q[w]);
    if (d <= radius) out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(d)});
  }
  return out;
}

inline bool same(const std::vector<vigil::hash::HammingMatch>& a, const std::vector<vigil::hash::HammingMatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].distance != b[i].distance) return false;
  }
  return true;
}

/// c with `bits` random bits flipped (a bit may flip back).
template <std::size_t W>
std::array<std::uint64_t, W> flip(std::array<std::uint64_t, W> c, int bits, std::mt19937_64& rng) {
  for (int i = 0; i < bits; ++i) {
    const auto b = rng() % (64 * W);
    c[b / 64] ^= std::uint64_t{1} << (b % 64);
  }
  return c;
}

}  // namespace mih_test
