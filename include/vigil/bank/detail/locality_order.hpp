// vigil: the order in which a multi-index (mih_index.hpp) stores its codes, so that near
// duplicates sit next to each other in memory.
//
// A query near a cluster of near-duplicate codes (many re-posts of one image) meets thousands of
// that cluster's codes as candidates, each several times. Stored in insertion order they are
// scattered over the whole bank and every first touch is a miss to main memory; stored together
// they form a few stretches that a query scans in order (dense_runs.hpp). No clustering pass is
// needed. Each code first goes with the most populated bucket it falls in over all tables:
// near duplicates share most of their 16-bit substrings with their cluster's original, whose
// buckets are the crowded ones, so a cluster splits into a few groups (one per crowded bucket its
// codes pick). Crowded groups are then brought together by their bitwise majority code, which
// for each group of a cluster is the cluster's original. In a bank without clusters no group is
// crowded and the order is merely shuffled, which costs nothing: there the candidates are
// random anyway.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/bank/detail/bucket_starts.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

/// Bucket sizes of every table: histograms[t * kBuckets + b] is the number of codes whose
/// substring t is b.
template <std::size_t kWords>
std::vector<std::uint32_t> substring_histograms(const std::uint64_t* codes, std::size_t n) {
  constexpr int kTables = static_cast<int>(64 * kWords) / kSubstringBits;
  std::vector<std::uint32_t> histograms(kTables * kBuckets, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int t = 0; t < kTables; ++t) ++histograms[t * kBuckets + substring(codes + i * kWords, t)];
  }
  return histograms;
}

/// The bitwise majority of codes[order[k]] for k in [0, count): for a group of near
/// duplicates, their common original. The first 255 codes decide: more would not change the
/// majority of near duplicates, and it bounds the build's cost per crowded group.
template <std::size_t kWords>
std::array<std::uint64_t, kWords> majority_code(const std::uint64_t* codes, const std::uint32_t* order,
                                                std::size_t count) {
  count = std::min<std::size_t>(count, 255);
  std::array<std::uint32_t, 64 * kWords> votes{};
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t* code = codes + std::size_t{order[k]} * kWords;
    for (std::size_t w = 0; w < kWords; ++w) {
      for (std::uint64_t bits = code[w]; bits != 0; bits &= bits - 1) ++votes[w * 64 + __builtin_ctzll(bits)];
    }
  }
  std::array<std::uint64_t, kWords> majority{};
  for (std::size_t b = 0; b < 64 * kWords; ++b) {
    if (2 * std::size_t{votes[b]} > count) majority[b / 64] |= std::uint64_t{1} << (b % 64);
  }
  return majority;
}

/// Codes [0, n) grouped by each code's most populated bucket (ties: the lowest table), stable:
/// order[i] is the position of the code to store i-th. Each group's end is recorded in `ends`.
template <std::size_t kWords>
std::vector<std::uint32_t> order_by_crowded_bucket(const std::uint64_t* codes, std::size_t n,
                                                   const std::vector<std::uint32_t>& histograms,
                                                   std::vector<std::uint32_t>& ends) {
  constexpr int kTables = static_cast<int>(64 * kWords) / kSubstringBits;
  std::vector<std::uint32_t> keys(n);
  std::vector<std::uint32_t> next(kTables * kBuckets + 1, 0);  // counting sort by key
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t best_key = substring(codes + i * kWords, 0), best_count = histograms[best_key];
    for (int t = 1; t < kTables; ++t) {
      const auto key = static_cast<std::uint32_t>(t * kBuckets + substring(codes + i * kWords, t));
      if (histograms[key] > best_count) best_key = key, best_count = histograms[key];
    }
    keys[i] = best_key;
    ++next[best_key + 1];
  }
  for (std::size_t k = 1; k < next.size(); ++k) next[k] += next[k - 1];
  ends.clear();
  for (std::size_t k = 1; k < next.size(); ++k) {
    if (next[k] != next[k - 1]) ends.push_back(next[k]);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[next[keys[i]]++] = static_cast<std::uint32_t>(i);
  return order;
}

/// The storage order (see the file comment): order[i] is the position of the code to store
/// i-th. Crowded groups (four times the mean bucket size and at least 16 codes) that share a
/// majority code, the groups one cluster splits into (one per crowded bucket its codes pick),
/// are placed next to each other, ahead of the other groups.
template <std::size_t kWords>
std::vector<std::uint32_t> locality_order(const std::uint64_t* codes, std::size_t n,
                                          const std::vector<std::uint32_t>& histograms) {
  const std::size_t crowded = std::max<std::size_t>(16, 4 * (n >> kSubstringBits));
  std::vector<std::uint32_t> ends;
  const std::vector<std::uint32_t> grouped = order_by_crowded_bucket<kWords>(codes, n, histograms, ends);
  struct Group {
    std::array<std::uint64_t, kWords> majority;
    std::uint32_t begin, end;
  };
  std::vector<Group> groups;
  groups.reserve(ends.size());
  std::uint32_t begin = 0;
  for (const std::uint32_t end : ends) {
    if (end - begin >= crowded) {
      groups.push_back(Group{majority_code<kWords>(codes, &grouped[begin], end - begin), begin, end});
    }
    begin = end;
  }
  if (groups.empty()) return grouped;  // no crowded buckets: nothing to bring together
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.majority < b.majority; });
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (const Group& g : groups) order.insert(order.end(), grouped.begin() + g.begin, grouped.begin() + g.end);
  for (std::size_t i = 0; i < ends.size(); ++i) {  // then the small groups, in key order
    const std::uint32_t first = i == 0 ? 0 : ends[i - 1];
    if (ends[i] - first < crowded) order.insert(order.end(), grouped.begin() + first, grouped.begin() + ends[i]);
  }
  return order;
}

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil
