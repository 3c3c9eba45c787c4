// vigil: dense runs of candidates in a multi-index query (mih_index.hpp).
//
// Codes are stored in locality order (locality_order.hpp), so the ids of a crowded bucket (one
// that a cluster of near duplicates fills) are positions packed closely together, and a query
// near the cluster meets the same positions again in table after table. Verifying them one by
// one costs a random access and a duplicate check each, several times over; scanning the stretch
// of codes they occupy once, in order, costs less even with the codes between them. A run is a
// stretch of a bucket's ascending positions with gaps of at most kMaxDenseGap holding at least
// kMinDenseRun of them; crowded_buckets.hpp finds them when a table is built. A query merges the
// runs of the buckets it probes, checks each code in them once, and does not verify the
// candidates they cover again on their own (RunCover). Scanning codes that are not candidates is
// still exact: any code within the radius is a match, whichever way it is found (the query
// removes codes found both ways).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

inline constexpr std::uint32_t kMaxDenseGap = 32;
inline constexpr std::size_t kMinDenseRun = 8;

/// Stored positions [begin, end).
struct PositionRun {
  std::uint32_t begin;
  std::uint32_t end;
};

/// Moves the dense runs of ascending positions [first, last) to `runs` and compacts the other
/// positions to the front; returns the end of those.
inline std::uint32_t* split_dense_runs(std::uint32_t* first, std::uint32_t* last, std::vector<PositionRun>& runs) {
  const auto n = static_cast<std::size_t>(last - first);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;  // [i, j): a maximal stretch
    while (j < n && first[j] - first[j - 1] <= kMaxDenseGap) ++j;
    if (j - i >= kMinDenseRun) {
      runs.push_back({first[i], first[j - 1] + 1});
    } else {
      for (; i < j; ++i) first[kept++] = first[i];  // kept never passes i
    }
    i = j;
  }
  return first + kept;
}

/// The union of `runs` as disjoint runs in ascending order (runs is reordered).
inline std::vector<PositionRun> merge_runs(std::vector<PositionRun>& runs) {
  std::sort(runs.begin(), runs.end(), [](const PositionRun& a, const PositionRun& b) { return a.begin < b.begin; });
  std::vector<PositionRun> merged;
  for (const PositionRun& run : runs) {
    if (!merged.empty() && run.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, run.end);
    } else {
      merged.push_back(run);
    }
  }
  return merged;
}

/// Which positions merged runs cover, at the granularity of blocks of 16 positions: a block
/// counts only if runs cover all of it, so a candidate in a block that is not covered is
/// verified on its own (and may be found twice, which the query removes). A bit per block over
/// the span of the runs keeps the test one load, and the set-up proportional to that span
/// rather than to the bank.
class RunCover {
 public:
  static constexpr int kBlockBits = 4;

  /// From runs as merge_runs gives them: disjoint and ascending.
  explicit RunCover(const std::vector<PositionRun>& merged)
      : first_block_(merged.empty() ? 0 : merged.front().begin >> kBlockBits),
        blocks_(merged.empty() ? 0 : (((merged.back().end >> kBlockBits) - first_block_) >> 6) + 1, 0) {
    for (const PositionRun& run : merged) {
      const std::uint64_t first = (std::uint64_t{run.begin} + (1u << kBlockBits) - 1) >> kBlockBits;  // whole blocks
      const std::uint64_t last = run.end >> kBlockBits;
      for (std::uint64_t b = first - first_block_; b < last - first_block_; ++b) {
        blocks_[b >> 6] |= std::uint64_t{1} << (b & 63);
      }
    }
  }

  bool covers(std::uint32_t position) const noexcept {
    const std::uint32_t block = (position >> kBlockBits) - first_block_;  // wraps below the span
    return (block >> 6) < blocks_.size() && ((blocks_[block >> 6] >> (block & 63)) & 1) != 0;
  }

  /// Drops the covered positions of [first, last), compacting the rest; returns their end.
  std::uint32_t* drop_covered(std::uint32_t* first, std::uint32_t* last) const noexcept {
    std::uint32_t* kept = first;
    for (; first != last; ++first) {
      *kept = *first;
      kept += !covers(*first);
    }
    return kept;
  }

 private:
  std::uint32_t first_block_;
  std::vector<std::uint64_t> blocks_;  // bit b: block first_block_ + b
};

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil
