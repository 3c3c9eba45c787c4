// vigil: the order in which a multi-index (mih_index.hpp) stores its codes, so that near
// duplicates sit next to each other in memory.
//
// A query near a cluster of near-duplicate codes (many re-posts of one image) meets thousands of
// that cluster's codes as candidates, each several times. Stored in insertion order they are
// scattered over the whole bank and every first touch is a miss to main memory; stored together
// they form a few stretches that a query scans in order (dense_runs.hpp). No clustering pass is
// needed. Each code first goes with the first very crowded bucket it falls in, in table order
// (else its first crowded one; crowded_bucket_size): near duplicates share most of their 16-bit
// substrings with their cluster's original, whose buckets are the most crowded, so a cluster
// splits into a few groups (by the first table in which a code keeps the original's substring).
// Those groups are then brought together by their bitwise majority code, which for each group of
// a cluster is the cluster's original. Codes in no crowded bucket keep their insertion order
// after them, so a bank without clusters is stored as it was added.
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
/// duplicates, their common original. The first 63 codes decide: more would not change the
/// majority of near duplicates (a bit flipped in one in eight of them is still outvoted 63 to
/// 1 in 10^12), and it bounds the build's cost per group.
template <std::size_t kWords>
std::array<std::uint64_t, kWords> majority_code(const std::uint64_t* codes, const std::uint32_t* order,
                                                std::size_t count) {
  count = std::min<std::size_t>(count, 63);
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

/// Codes [0, n) grouped by the first very crowded bucket each falls in (in table order), else
/// the first crowded one, stable; codes in no crowded bucket follow in insertion order. order[i] is the position
/// of the code to store i-th; the ends of the crowded groups are recorded in `ends`. Empty if no
/// bucket is crowded: the order is then the insertion order.
template <std::size_t kWords>
std::vector<std::uint32_t> order_by_crowded_bucket(const std::uint64_t* codes, std::size_t n,
                                                   const std::vector<std::uint32_t>& histograms,
                                                   std::vector<std::uint32_t>& ends) {
  constexpr std::uint32_t kKeys = static_cast<std::uint32_t>(64 * kWords / kSubstringBits * kBuckets);
  constexpr std::uint32_t kNoKey = kKeys;  // sorts last
  // Two bits per bucket, crowded and four times more so, in 256 KB that stay in cache: the
  // 4 MB of counts are not read per code.
  const std::size_t crowded = crowded_bucket_size(n), very_crowded = 4 * crowded;
  std::vector<std::uint64_t> is_crowded(kKeys / 64, 0), is_very_crowded(kKeys / 64, 0);
  bool any_crowded = false;
  for (std::uint32_t k = 0; k < kKeys; ++k) {
    if (histograms[k] >= crowded) is_crowded[k >> 6] |= std::uint64_t{1} << (k & 63), any_crowded = true;
    if (histograms[k] >= very_crowded) is_very_crowded[k >> 6] |= std::uint64_t{1} << (k & 63);
  }
  ends.clear();
  if (!any_crowded) return {};
  const auto has = [](const std::vector<std::uint64_t>& bits, std::uint32_t key) {
    return ((bits[key >> 6] >> (key & 63)) & 1) != 0;
  };
  std::vector<std::uint32_t> keys(n);
  std::vector<std::uint32_t> next(kKeys + 2, 0);  // counting sort by key
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t first_crowded = kNoKey, first_very_crowded = kNoKey;
    for (std::uint32_t t = 0; t < kKeys / kBuckets && first_very_crowded == kNoKey; ++t) {
      const std::uint32_t key = t * kBuckets + substring(codes + i * kWords, static_cast<int>(t));
      if (has(is_very_crowded, key)) first_very_crowded = key;
      if (first_crowded == kNoKey && has(is_crowded, key)) first_crowded = key;
    }
    keys[i] = first_very_crowded != kNoKey ? first_very_crowded : first_crowded;
    ++next[keys[i] + 1];
  }
  for (std::size_t k = 1; k < next.size(); ++k) next[k] += next[k - 1];
  for (std::uint32_t k = 1; k <= kKeys; ++k) {
    if (next[k] != next[k - 1]) ends.push_back(next[k]);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[next[keys[i]]++] = static_cast<std::uint32_t>(i);
  return order;
}

/// The storage order (see the file comment): order[i] is the position of the code to store
/// i-th, or empty for the insertion order (no bucket is crowded). Groups as large as a crowded
/// bucket that share a majority code (the groups one cluster splits into) are placed next to
/// each other; then the smaller groups, then the codes in no crowded bucket.
template <std::size_t kWords>
std::vector<std::uint32_t> locality_order(const std::uint64_t* codes, std::size_t n,
                                          const std::vector<std::uint32_t>& histograms) {
  // Only groups as large as a crowded bucket: smaller ones hold a small part of a cluster, and a
  // majority for each would cost the build more than their placement saves queries.
  const auto min_majority_group = static_cast<std::uint32_t>(crowded_bucket_size(n));
  std::vector<std::uint32_t> ends;
  const std::vector<std::uint32_t> grouped = order_by_crowded_bucket<kWords>(codes, n, histograms, ends);
  struct Group {
    std::array<std::uint64_t, kWords> majority;
    std::uint32_t begin, end;
  };
  std::vector<Group> groups;
  std::uint32_t begin = 0;
  for (const std::uint32_t end : ends) {
    if (end - begin >= min_majority_group) {
      groups.push_back(Group{majority_code<kWords>(codes, &grouped[begin], end - begin), begin, end});
    }
    begin = end;
  }
  if (groups.empty()) return grouped;  // no cluster to bring together (or no crowded bucket)
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.majority < b.majority; });
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (const Group& g : groups) order.insert(order.end(), grouped.begin() + g.begin, grouped.begin() + g.end);
  begin = 0;
  for (const std::uint32_t end : ends) {  // then the small groups, in key order
    if (end - begin < min_majority_group) order.insert(order.end(), grouped.begin() + begin, grouped.begin() + end);
    begin = end;
  }
  order.insert(order.end(), grouped.begin() + begin, grouped.end());  // codes in no crowded bucket
  return order;
}

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil
