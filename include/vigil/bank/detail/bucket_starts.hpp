// vigil: the bucket layer of a multi-index table (mih_index.hpp): the 16-bit flip masks a probe
// ball enumerates, and where each of a table's 65536 buckets starts in its id array.
//
// Bucket starts are sparse: buckets form groups of 64; each group keeps a 32-bit start (and a
// 32-bit slot for the dense case below) and each bucket a 16-bit offset from its group's start:
// 2.1 bytes per bucket instead of 4 (139 KB per table instead of 262 KB). A group whose first 63
// buckets hold more than 65535 ids (a skewed bank with many equal substrings, or a uniform one
// past ~68M codes) is dense: it keeps a 32-bit start per bucket in a side array instead, so any
// distribution is exact, at 256 more bytes per dense group.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

inline constexpr int kSubstringBits = 16;
inline constexpr std::size_t kBuckets = std::size_t{1} << kSubstringBits;

/// Substring t (bits [16t, 16t + 16)) of a code of 64-bit words.
inline std::uint32_t substring(const std::uint64_t* code, int t) noexcept {
  const int bit = t * kSubstringBits;
  return static_cast<std::uint32_t>((code[bit / 64] >> (bit % 64)) & 0xFFFF);
}

/// Buckets holding at least this many of `indexed` codes are crowded: four times the mean,
/// and at least 16. A bank without clusters of near duplicates has next to none.
inline std::size_t crowded_bucket_size(std::size_t indexed) noexcept {
  const std::size_t four_means = 4 * (indexed >> kSubstringBits);
  return four_means > 16 ? four_means : 16;
}

/// The popcount of each 16-bit lane of x, in the lane's low byte (no POPCNT needed: this runs
/// in the generic, baseline-ISA code of the index).
inline std::uint64_t lane_popcounts16(std::uint64_t x) noexcept {
  x -= (x >> 1) & 0x5555555555555555u;
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
  return (x + (x >> 8)) & 0x00FF00FF00FF00FFu;
}

/// All 16-bit masks ordered by popcount; masks of weight <= k are the first ball_size(k).
struct FlipMasks {
  std::array<std::uint16_t, kBuckets> masks{};
  std::array<std::size_t, kSubstringBits + 2> ball_size{};  // ball_size[k]: masks of weight < k+1

  FlipMasks() {
    std::size_t n = 0;
    for (int w = 0; w <= kSubstringBits; ++w) {
      for (std::size_t m = 0; m < kBuckets; ++m) {
        if (__builtin_popcount(static_cast<unsigned>(m)) == w) masks[n++] = static_cast<std::uint16_t>(m);
      }
      ball_size[w] = n;
    }
  }
};

inline const FlipMasks& flip_masks() {
  static const FlipMasks masks;
  return masks;
}

/// Where each bucket of one table starts in its id array, stored sparsely: a 32-bit start per
/// group of 64 buckets plus a 16-bit offset per bucket. Groups too full for 16-bit offsets
/// ("dense") keep a 32-bit start per bucket in a side array instead.
class BucketStarts {
 public:
  static constexpr int kGroupBits = 6;
  static constexpr std::uint32_t kGroupSize = std::uint32_t{1} << kGroupBits;
  static constexpr std::size_t kGroups = kBuckets / kGroupSize;

  /// From the dense prefix sums: starts[b] for b in [0, kBuckets], starts[kBuckets] = total.
  void assign(const std::vector<std::uint32_t>& starts) {
    groups_.assign(kGroups + 1, Group{});
    offsets_.assign(kBuckets + 1, 0);
    dense_starts_.clear();
    for (std::size_t g = 0; g < kGroups; ++g) {
      const std::uint32_t* first = &starts[g * kGroupSize];
      // Offsets grow within a group, so its last bucket's is the largest.
      if (first[kGroupSize - 1] - first[0] > std::numeric_limits<std::uint16_t>::max()) {
        groups_[g] = Group{0, static_cast<std::uint32_t>(dense_starts_.size())};
        dense_starts_.insert(dense_starts_.end(), first, first + kGroupSize);
      } else {
        groups_[g] = Group{first[0], kNotDense};
        for (std::uint32_t i = 0; i < kGroupSize; ++i) {
          offsets_[g * kGroupSize + i] = static_cast<std::uint16_t>(first[i] - first[0]);
        }
      }
    }
    groups_[kGroups] = Group{starts[kBuckets], kNotDense};  // start(kBuckets): the last bucket's end
    dense_starts_.shrink_to_fit();
  }

  /// Index of the first id of `bucket` (bucket in [0, kBuckets]; kBuckets gives the total).
  std::uint32_t start(std::uint32_t bucket) const noexcept {
    const Group g = groups_[bucket >> kGroupBits];
    if (g.dense_slot != kNotDense) return dense_starts_[g.dense_slot + (bucket & (kGroupSize - 1))];
    return g.start + offsets_[bucket];
  }

  /// The ids of `bucket` (in [0, kBuckets)) are [first, second) of its table's id array.
  std::pair<std::uint32_t, std::uint32_t> range(std::uint32_t bucket) const noexcept {
    const Group g = groups_[bucket >> kGroupBits];
    // The common case in one group lookup: a sparse group, and not its last bucket (whose end
    // is the next group's start).
    if (g.dense_slot == kNotDense && (bucket & (kGroupSize - 1)) != kGroupSize - 1) {
      return {g.start + offsets_[bucket], g.start + offsets_[bucket + 1]};
    }
    return {start(bucket), start(bucket + 1)};
  }

  /// Groups stored with 32-bit starts (diagnostics and tests).
  std::size_t dense_groups() const noexcept { return dense_starts_.size() / kGroupSize; }

  std::size_t memory_bytes() const noexcept {
    return groups_.capacity() * sizeof(Group) + offsets_.capacity() * sizeof(std::uint16_t) +
           dense_starts_.capacity() * sizeof(std::uint32_t);
  }

 private:
  static constexpr std::uint32_t kNotDense = std::numeric_limits<std::uint32_t>::max();
  struct Group {
    std::uint32_t start = 0;               // first id of the group's first bucket (sparse groups)
    std::uint32_t dense_slot = kNotDense;  // else: where its 64 starts begin in dense_starts_
  };
  std::vector<Group> groups_;             // kGroups + 1: the last is the end sentinel
  std::vector<std::uint16_t> offsets_;    // kBuckets + 1: bucket start minus its group's start
  std::vector<std::uint32_t> dense_starts_;
};

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil
