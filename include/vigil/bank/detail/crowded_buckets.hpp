// vigil: the dense runs of one multi-index table's crowded buckets, found once when the table is
// built (dense_runs.hpp says why queries scan them).
//
// A crowded bucket holds at least four times the mean bucket size (and 16 ids). Its ids are
// positions in locality order (locality_order.hpp); the stretches of them dense enough to scan
// are recorded as runs, and the bucket's other ids (its leftovers) are moved to the front of its
// range. A query probing the bucket then takes its runs and verifies only its leftovers, instead
// of reading thousands of ids to find the same runs again. Runs are kept only where they average
// kMinIdsPerRun ids, and at most one per 128 indexed codes per table (under 1 byte per code over
// 16 tables), so no bank can make them large.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vigil/bank/detail/bucket_starts.hpp"
#include "vigil/bank/detail/dense_runs.hpp"
#include "vigil/bank/detail/packed_ids.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

class CrowdedBuckets {
 public:
  static constexpr std::size_t kMinIdsPerRun = 32;

  struct Entry {
    std::uint32_t bucket;
    std::uint32_t leftovers;  // ids at the front of the bucket's range that no run covers
    std::uint32_t first_run;
    std::uint32_t runs;
  };

  /// Finds the runs of one table's crowded buckets and reorders each such bucket's ids (its
  /// leftovers first, ascending, then the ids its runs cover, ascending).
  void build(PackedIds& ids, const BucketStarts& starts, std::size_t indexed) {
    entries_.clear();
    runs_.clear();
    const std::size_t crowded = crowded_bucket_size(indexed), budget = indexed / 128;
    std::vector<std::uint32_t> positions, kept;
    std::vector<PositionRun> runs;
    for (std::uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
      const auto [first, last] = starts.range(bucket);
      if (last - first < crowded) continue;
      positions.resize(last - first);
      ids.copy_to(first, last, positions.data());
      kept = positions;
      runs.clear();
      kept.resize(static_cast<std::size_t>(split_dense_runs(kept.data(), kept.data() + kept.size(), runs) - kept.data()));
      const std::size_t in_runs = positions.size() - kept.size();
      if (runs.empty() || in_runs < kMinIdsPerRun * runs.size() || runs_.size() + runs.size() > budget) continue;
      std::uint32_t slot = first;
      for (const std::uint32_t id : kept) ids.set(slot++, id);
      std::size_t k = 0;  // both lists ascending: the ids not kept are the ones in runs
      for (const std::uint32_t id : positions) {
        if (k < kept.size() && kept[k] == id) {
          ++k;
        } else {
          ids.set(slot++, id);
        }
      }
      entries_.push_back({bucket, static_cast<std::uint32_t>(kept.size()), static_cast<std::uint32_t>(runs_.size()),
                          static_cast<std::uint32_t>(runs.size())});
      runs_.insert(runs_.end(), runs.begin(), runs.end());
    }
    entries_.shrink_to_fit();
    runs_.shrink_to_fit();
  }

  /// The entry of `bucket` if it has runs, else null.
  const Entry* find(std::uint32_t bucket) const noexcept {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), bucket,
                                     [](const Entry& e, std::uint32_t b) { return e.bucket < b; });
    return it != entries_.end() && it->bucket == bucket ? &*it : nullptr;
  }

  const PositionRun* runs_of(const Entry& e) const noexcept { return runs_.data() + e.first_run; }

  std::size_t buckets() const noexcept { return entries_.size(); }
  std::size_t memory_bytes() const noexcept {
    return entries_.capacity() * sizeof(Entry) + runs_.capacity() * sizeof(PositionRun);
  }

 private:
  std::vector<Entry> entries_;  // by bucket
  std::vector<PositionRun> runs_;
};

}  // namespace detail
}  // namespace bank
}  // namespace v1
}  // namespace vigil
