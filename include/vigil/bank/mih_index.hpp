// vigil: multi-index hashing (Norouzi, Punjani & Fleet) for exact Hamming range queries over
// 256-bit (PDQ) and 64-bit (SimHash) codes.
//
// Codes are cut into m = bits/16 substrings of 16 bits, each indexed by a table: the ids of all
// indexed codes sorted by substring value (bucket), plus where each of the 65536 buckets starts.
// By the pigeonhole principle a code within radius r of the query has, for some table t, a
// substring within r_t of the query's, where the r_t (floor(r/m) or one less) satisfy
// sum(r_t + 1) = r + 1. Probing every substring value within r_t of the query in table t and
// verifying each candidate's full distance is therefore exact: every code within r is found, none
// outside is returned. A candidate reached through several tables is reported once (only from
// the first table whose probe ball contains it).
//
// Crowded buckets (a query near a cluster of near duplicates): their ids are positions packed
// closely together in the locality order below, met again in table after table. Their dense runs
// are found when a table is built (detail/crowded_buckets.hpp); a query merges the runs of the
// buckets it probes and scans them once in order instead of verifying their codes one by one
// (detail/dense_runs.hpp). A code found both ways is reported once.
//
// Storage: the codes are kept in locality order (detail/locality_order.hpp), near duplicates
// next to each other; when that moved codes, a map from position to id (the insertion index,
// which is what queries return) goes with them. Each table holds its ids in 3 bytes while the
// bank is under 2^24 codes (detail/packed_ids.hpp) and sparse bucket starts
// (detail/bucket_starts.hpp). At 1M PDQ codes: 32 bytes for the code, 48 for its ids in the 16
// tables and 2.2 for bucket starts (82.2 in all), plus 4 for the id map and under 1 for the
// runs of crowded buckets in a bank of near-duplicate clusters. Past 2^24 codes ids take 4
// bytes: up to 103 bytes per code.
//
// When the probe and candidate count estimated for a radius exceeds a flat scan's cost (large r,
// or small or very dense banks), the query scans all codes instead: still exact, never slower
// than a scan by much. So r = 31, 47, 63, ... are all exact; only their speed differs.
//
// Adding codes: they go to a tail that queries scan flat; the tables absorb the tail when it
// exceeds an eighth of the indexed codes (amortised O(m) per add), or on rebuild().
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "vigil/bank/detail/bucket_starts.hpp"
#include "vigil/bank/detail/crowded_buckets.hpp"
#include "vigil/bank/detail/dense_runs.hpp"
#include "vigil/bank/detail/locality_order.hpp"
#include "vigil/bank/detail/packed_ids.hpp"
#include "vigil/hash/code_array.hpp"  // AlignedVector
#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

/// How a query runs: by the cost estimate (default), or always one way (tests, benchmarks).
enum class MihStrategy { automatic, always_probe, always_scan };

/// Exact Hamming range index over codes of kWords 64-bit words (4: PDQ, 1: SimHash-64).
template <std::size_t kWords>
class MihIndex {
 public:
  static constexpr int kBits = static_cast<int>(64 * kWords);
  static constexpr int kTables = kBits / detail::kSubstringBits;
  using Code = std::array<std::uint64_t, kWords>;

  std::size_t size() const noexcept { return codes_.size() / kWords; }
  bool empty() const noexcept { return codes_.empty(); }

  /// Appends a code; its id is the previous size(). Throws past 2^32 - 1 codes.
  std::uint32_t add(const Code& code) {
    if (size() >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("MIH index full");
    codes_.insert(codes_.end(), code.begin(), code.end());
    if (size() - indexed_ > std::max<std::size_t>(4096, indexed_ / 8)) rebuild();
    return static_cast<std::uint32_t>(size() - 1);
  }

  /// Appends many codes and indexes them once (bulk load).
  void add_many(const std::vector<Code>& codes) {
    if (size() + codes.size() >= std::numeric_limits<std::uint32_t>::max()) {
      throw std::length_error("MIH index full");
    }
    codes_.reserve(codes_.size() + codes.size() * kWords);
    for (const Code& c : codes) codes_.insert(codes_.end(), c.begin(), c.end());
    rebuild();
  }

  void reserve(std::size_t n) { codes_.reserve(n * kWords); }

  /// Indexes every code added so far: stores them in locality order, then fills each table by
  /// a counting sort (O(n * tables)). If it throws (out of memory), the index stays exact: it
  /// answers by scanning until a rebuild succeeds.
  void rebuild() {
    const std::size_t n = size();
    const std::vector<std::uint32_t> histograms = detail::substring_histograms<kWords>(codes_.data(), n);
    const std::vector<std::uint32_t> order = detail::locality_order<kWords>(codes_.data(), n, histograms);
    LocalityOrdered ordered = order.empty() ? LocalityOrdered{} : gather(order);
    indexed_ = 0;  // no table is used until all are complete
    if (!order.empty()) {  // else the insertion order stays: no code moves, no id map grows
      codes_.swap(ordered.codes);
      ids_by_position_.swap(ordered.ids);
    }
    std::vector<std::uint32_t> starts(detail::kBuckets + 1);  // 32 bits per bucket while sorting
    for (int t = 0; t < kTables; ++t) {
      starts[0] = 0;
      for (std::size_t b = 0; b < detail::kBuckets; ++b) starts[b + 1] = starts[b] + histograms[t * detail::kBuckets + b];
      starts_[t].assign(starts);
      ids_[t].resize(n, n);
      for (std::size_t i = 0; i < n; ++i) {  // starts[b] becomes the next free slot of bucket b
        ids_[t].set(starts[detail::substring(&codes_[i * kWords], t)]++, static_cast<std::uint32_t>(i));
      }
      crowded_[t].build(ids_[t], starts_[t], n);
    }
    indexed_ = n;
  }

  void set_strategy(MihStrategy s) noexcept { strategy_ = s; }

  /// Every code within `radius` of `query`, sorted by id. Exact for any radius.
  std::vector<hash::HammingMatch> query(const Code& query, int radius,
                                        const hash::HammingKernelTable& kernels = hash::active_kernels()) const {
    std::vector<hash::HammingMatch> out;
    if (radius < 0 || empty()) return out;
    const auto r = static_cast<std::uint32_t>(std::min(radius, kBits));
    const bool probe = !use_flat_scan(r);
    if (probe) {
      probe_tables(query, r, kernels, out);
      scan_range(query, indexed_, size(), r, kernels, out);  // the not-yet-indexed tail
    } else {
      scan_range(query, 0, size(), r, kernels, out);  // in position order
    }
    const bool moved = !ids_by_position_.empty();
    if (moved) {
      for (hash::HammingMatch& m : out) m.index = id_of(m.index);
    }
    if (probe || moved) {
      std::sort(out.begin(), out.end(),
                [](const hash::HammingMatch& a, const hash::HammingMatch& b) { return a.index < b.index; });
      // A code in a dense run may also have been verified on its own (detail/dense_runs.hpp).
      out.erase(std::unique(out.begin(), out.end(),
                            [](const hash::HammingMatch& a, const hash::HammingMatch& b) { return a.index == b.index; }),
                out.end());
    }
    return out;
  }

  /// Bytes held: this object, the codes, the id map and every table's ids and bucket starts
  /// (capacities).
  std::size_t memory_bytes() const noexcept {
    std::size_t bytes = sizeof(*this) + codes_.capacity() * sizeof(std::uint64_t) +
                        ids_by_position_.capacity() * sizeof(std::uint32_t);
    for (int t = 0; t < kTables; ++t) {
      bytes += ids_[t].memory_bytes() + starts_[t].memory_bytes() + crowded_[t].memory_bytes();
    }
    return bytes;
  }

  /// Bucket groups, over all tables, whose starts need 32 bits (see detail/bucket_starts.hpp).
  std::size_t dense_bucket_groups() const noexcept {
    std::size_t groups = 0;
    for (const auto& s : starts_) groups += s.dense_groups();
    return groups;
  }

  /// The probe radius of table t for query radius r (negative: table not probed).
  static int table_radius(std::uint32_t r, int t) {
    const int q = static_cast<int>(r) / kTables, a = static_cast<int>(r) % kTables;
    return t <= a ? q : q - 1;
  }

 private:
  /// The id of the code stored at `position`; codes added since the last rebuild are stored in
  /// insertion order.
  std::uint32_t id_of(std::uint32_t position) const noexcept {
    return position < ids_by_position_.size() ? ids_by_position_[position] : position;
  }

  struct LocalityOrdered {
    hash::detail::AlignedVector<std::uint64_t> codes;
    hash::detail::AlignedVector<std::uint32_t> ids;
  };

  /// All codes (indexed and tail) in `order` (detail::locality_order), with their ids. Gathered
  /// into new arrays: the reads are independent, so their misses overlap (moving codes in place,
  /// cycle by cycle, makes each miss wait for the last).
  LocalityOrdered gather(const std::vector<std::uint32_t>& order) const {
    const std::size_t n = size();
    LocalityOrdered out{hash::detail::AlignedVector<std::uint64_t>(n * kWords),
                        hash::detail::AlignedVector<std::uint32_t>(n)};
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t from = order[i];
      for (std::size_t w = 0; w < kWords; ++w) out.codes[i * kWords + w] = codes_[from * kWords + w];
      out.ids[i] = id_of(static_cast<std::uint32_t>(from));
    }
    return out;
  }

  /// Expected cost of probing (bucket visits + random verifications) against a sequential scan.
  bool use_flat_scan(std::uint32_t r) const {
    if (indexed_ == 0 || strategy_ == MihStrategy::always_scan) return true;
    if (strategy_ == MihStrategy::always_probe) return false;
    const detail::FlipMasks& fm = detail::flip_masks();
    double probes = 0;
    for (int t = 0; t < kTables; ++t) {
      const int rt = table_radius(r, t);
      if (rt >= 0) probes += static_cast<double>(fm.ball_size[std::min(rt, detail::kSubstringBits)]);
    }
    const double candidates = probes * static_cast<double>(indexed_) / static_cast<double>(detail::kBuckets);
    return 2.0 * probes + 6.0 * candidates > static_cast<double>(size());
  }

  void scan_range(const Code& q, std::size_t begin, std::size_t end, std::uint32_t r,
                  const hash::HammingKernelTable& kernels, std::vector<hash::HammingMatch>& out) const {
    constexpr std::size_t kChunk = 4096;
    std::vector<hash::HammingMatch> buffer(std::min(kChunk, end - std::min(begin, end)));
    for (std::size_t b = begin; b < end; b += kChunk) {
      const std::size_t e = std::min(end, b + kChunk);
      std::size_t n;
      if constexpr (kWords == 4) {
        n = kernels.scan256_rows(codes_.data(), b, e, q.data(), r, buffer.data());
      } else {
        n = kernels.scan64(codes_.data(), b, e, q[0], r, buffer.data());
      }
      out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

  /// True if an earlier table's probe ball already contained this candidate.
  static bool found_by_earlier_table(const Code& q, const std::uint64_t* code, std::uint32_t r, int t) {
    constexpr int kLanes = 64 / detail::kSubstringBits;
    for (int w = 0; w * kLanes < t; ++w) {
      const std::uint64_t distances = detail::lane_popcounts16(code[w] ^ q[w]);
      for (int e = w * kLanes; e < std::min(t, (w + 1) * kLanes); ++e) {
        const int re = table_radius(r, e);
        if (re >= 0 && static_cast<int>((distances >> (detail::kSubstringBits * (e % kLanes))) & 0xFF) <= re) {
          return true;
        }
      }
    }
    return false;
  }

  void probe_tables(const Code& q, std::uint32_t r, const hash::HammingKernelTable& kernels,
                    std::vector<hash::HammingMatch>& out) const;

  /// Verifies each table's candidates [table_end[t], table_end[t + 1]) but those `runs` cover.
  void verify_candidates(const Code& q, std::uint32_t r, const hash::HammingKernelTable& kernels,
                         const std::array<std::uint32_t*, kTables + 1>& table_end,
                         const std::vector<detail::PositionRun>* runs,
                         std::vector<hash::HammingMatch>& out) const;

  // Huge-page backed when large (code_array.hpp): probes read ids and codes at random.
  hash::detail::AlignedVector<std::uint64_t> codes_;  // kWords per code, in locality order
  hash::detail::AlignedVector<std::uint32_t> ids_by_position_;  // id of each code stored at the last rebuild
  std::array<detail::BucketStarts, kTables> starts_;
  std::array<detail::PackedIds, kTables> ids_;  // positions in codes_, by bucket
  std::array<detail::CrowdedBuckets, kTables> crowded_;  // runs of the crowded buckets
  std::size_t indexed_ = 0;  // positions [0, indexed_) are in the tables
  MihStrategy strategy_ = MihStrategy::automatic;
};

template <std::size_t kWords>
inline void MihIndex<kWords>::probe_tables(const Code& q, std::uint32_t r,
                                           const hash::HammingKernelTable& kernels,
                                           std::vector<hash::HammingMatch>& out) const {
  // Every probed bucket's range first, prefetching its ids: the buckets are scattered over large
  // arrays, and this way their misses overlap instead of stalling each copy in turn. A crowded
  // bucket with dense runs (detail/crowded_buckets.hpp) gives its runs and only its leftover ids.
  const detail::FlipMasks& fm = detail::flip_masks();
  const std::size_t crowded = detail::crowded_bucket_size(indexed_);
  std::array<std::size_t, kTables> probes{};
  for (int t = 0; t < kTables; ++t) {
    const int rt = table_radius(r, t);
    probes[t] = rt < 0 ? 0 : fm.ball_size[std::min(rt, detail::kSubstringBits)];
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
  ranges.reserve(std::accumulate(probes.begin(), probes.end(), std::size_t{0}));
  std::vector<detail::PositionRun> runs;
  std::array<std::size_t, kTables + 1> table_ranges{};  // table t: ranges [table_ranges[t], [t + 1])
  std::size_t total = 0;
  for (int t = 0; t < kTables; ++t) {
    const std::uint32_t key = detail::substring(q.data(), t);
    for (std::size_t p = 0; p < probes[t]; ++p) {
      const std::uint32_t bucket = key ^ fm.masks[p];
      auto range = starts_[t].range(bucket);
      if (range.second - range.first >= crowded) {
        if (const auto* entry = crowded_[t].find(bucket)) {
          runs.insert(runs.end(), crowded_[t].runs_of(*entry), crowded_[t].runs_of(*entry) + entry->runs);
          range.second = range.first + entry->leftovers;
        }
      }
      if (range.first == range.second) continue;  // most buckets of a small bank are empty
      ids_[t].prefetch(range.first, range.second);
      ranges.push_back(range);
      total += range.second - range.first;
    }
    table_ranges[t + 1] = ranges.size();
  }
  const std::unique_ptr<std::uint32_t[]> candidates(new std::uint32_t[total]);
  std::array<std::uint32_t*, kTables + 1> table_end{};
  std::uint32_t* end = candidates.get();
  for (int t = 0; t < kTables; ++t) {
    for (std::size_t k = table_ranges[t]; k < table_ranges[t + 1]; ++k) {
      end = ids_[t].copy_to(ranges[k].first, ranges[k].second, end);
    }
    table_end[t + 1] = end;
  }
  table_end[0] = candidates.get();
  const std::vector<detail::PositionRun> merged = detail::merge_runs(runs);
  verify_candidates(q, r, kernels, table_end, merged.empty() ? nullptr : &merged, out);
  for (const detail::PositionRun& run : merged) scan_range(q, run.begin, run.end, r, kernels, out);
}

template <std::size_t kWords>
inline void MihIndex<kWords>::verify_candidates(const Code& q, std::uint32_t r,
                                                const hash::HammingKernelTable& kernels,
                                                const std::array<std::uint32_t*, kTables + 1>& table_end,
                                                const std::vector<detail::PositionRun>* runs,
                                                std::vector<hash::HammingMatch>& out) const {
  std::size_t largest = 0;
  for (int t = 0; t < kTables; ++t) largest = std::max<std::size_t>(largest, table_end[t + 1] - table_end[t]);
  std::vector<hash::HammingMatch> verified(largest);
  const std::unique_ptr<detail::RunCover> cover(runs ? new detail::RunCover(*runs) : nullptr);
  for (int t = 0; t < kTables; ++t) {
    std::uint32_t* first = table_end[t];
    std::uint32_t* last = cover ? cover->drop_covered(first, table_end[t + 1]) : table_end[t + 1];
    const auto count = static_cast<std::size_t>(last - first);
    if (count == 0) continue;
    std::size_t n;
    if constexpr (kWords == 4) {
      n = kernels.verify256(codes_.data(), first, count, q.data(), r, verified.data());
    } else {
      n = kernels.verify64(codes_.data(), first, count, q[0], r, verified.data());
    }
    // Keep those no earlier table reported.
    for (std::size_t k = 0; k < n; ++k) {
      if (!found_by_earlier_table(q, &codes_[verified[k].index * kWords], r, t)) out.push_back(verified[k]);
    }
  }
}

using MihIndex256 = MihIndex<4>;
using MihIndex64 = MihIndex<1>;

inline MihIndex256::Code to_code(const hash::Hash256& h) { return h.words; }
inline MihIndex64::Code to_code(std::uint64_t h) { return {h}; }

}  // namespace bank
}  // namespace v1
}  // namespace vigil
