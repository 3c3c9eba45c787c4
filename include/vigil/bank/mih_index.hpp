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
// Bucket starts (detail::BucketStarts): buckets form groups of 64; each group keeps a 32-bit
// start (and a 32-bit slot for the dense case below) and each bucket a 16-bit offset from its
// group's start: 2.1 bytes per bucket instead of 4 (139 KB per table instead of 262 KB; at 1M PDQ
// codes 2.2 bytes per code for the 16 tables, next to 32 for the code and 64 for its ids). A
// group whose first 63 buckets hold more than 65535 ids (a skewed bank with many equal
// substrings, or a uniform one past ~68M codes) is dense: it keeps a 32-bit start per bucket in
// a side array instead, so any distribution is exact, at 256 more bytes per dense group.
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
#include <stdexcept>
#include <utility>
#include <vector>

#include "vigil/hash/code_array.hpp"  // AlignedVector
#include "vigil/hash/hamming_kernels.hpp"
#include "vigil/hash/hash256.hpp"
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {
namespace detail {

inline constexpr int kSubstringBits = 16;
inline constexpr std::size_t kBuckets = std::size_t{1} << kSubstringBits;

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

  /// Indexes every code added so far (counting sort per table: O(n * tables)).
  void rebuild() {
    const std::size_t n = size();
    std::vector<std::uint32_t> starts(detail::kBuckets + 1);  // 32 bits per bucket while sorting
    for (int t = 0; t < kTables; ++t) {
      std::fill(starts.begin(), starts.end(), 0);
      for (std::size_t i = 0; i < n; ++i) ++starts[substring(&codes_[i * kWords], t) + 1];
      for (std::size_t b = 0; b < detail::kBuckets; ++b) starts[b + 1] += starts[b];
      starts_[t].assign(starts);
      ids_[t].resize(n);
      std::uint32_t* ids = ids_[t].data();
      for (std::size_t i = 0; i < n; ++i) {  // starts[b] becomes the next free slot of bucket b
        ids[starts[substring(&codes_[i * kWords], t)]++] = static_cast<std::uint32_t>(i);
      }
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
    if (use_flat_scan(r)) {
      scan_range(query, 0, size(), r, kernels, out);
    } else {
      probe_tables(query, r, kernels, out);
      scan_range(query, indexed_, size(), r, kernels, out);  // the not-yet-indexed tail
      std::sort(out.begin(), out.end(),
                [](const hash::HammingMatch& a, const hash::HammingMatch& b) { return a.index < b.index; });
    }
    return out;
  }

  Code code(std::size_t id) const {
    Code c;
    std::copy_n(codes_.begin() + static_cast<std::ptrdiff_t>(id * kWords), kWords, c.begin());
    return c;
  }

  /// Bytes held: this object, the codes and every table's ids and bucket starts (capacities).
  std::size_t memory_bytes() const noexcept {
    std::size_t bytes = sizeof(*this) + codes_.capacity() * sizeof(std::uint64_t);
    for (int t = 0; t < kTables; ++t) {
      bytes += ids_[t].capacity() * sizeof(std::uint32_t) + starts_[t].memory_bytes();
    }
    return bytes;
  }

  /// Bucket groups, over all tables, whose starts need 32 bits (see the file comment).
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
  static std::uint32_t substring(const std::uint64_t* code, int t) {
    const int bit = t * detail::kSubstringBits;
    return static_cast<std::uint32_t>((code[bit / 64] >> (bit % 64)) & 0xFFFF);
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
    for (int e = 0; e < t; ++e) {
      const int re = table_radius(r, e);
      if (re >= 0 && __builtin_popcount(substring(code, e) ^ substring(q.data(), e)) <= re) return true;
    }
    return false;
  }

  void probe_tables(const Code& q, std::uint32_t r, const hash::HammingKernelTable& kernels,
                    std::vector<hash::HammingMatch>& out) const;

  // Huge-page backed when large (code_array.hpp): probes read ids and codes at random.
  hash::detail::AlignedVector<std::uint64_t> codes_;  // row-major, kWords per code
  std::array<detail::BucketStarts, kTables> starts_;
  std::array<hash::detail::AlignedVector<std::uint32_t>, kTables> ids_;
  std::size_t indexed_ = 0;  // codes [0, indexed_) are in the tables
  MihStrategy strategy_ = MihStrategy::automatic;
};

template <std::size_t kWords>
inline void MihIndex<kWords>::probe_tables(const Code& q, std::uint32_t r,
                                           const hash::HammingKernelTable& kernels,
                                           std::vector<hash::HammingMatch>& out) const {
  const detail::FlipMasks& fm = detail::flip_masks();
  std::vector<std::uint32_t> candidates;
  std::vector<hash::HammingMatch> verified;
  for (int t = 0; t < kTables; ++t) {
    const int rt = table_radius(r, t);
    if (rt < 0) continue;
    // Gather the candidate ids of every probed bucket, then verify them in one kernel call
    // (which prefetches ahead through the scattered codes).
    candidates.clear();
    const std::uint32_t key = substring(q.data(), t);
    const detail::BucketStarts& starts = starts_[t];
    const std::uint32_t* ids = ids_[t].data();
    const std::size_t probes = fm.ball_size[std::min(rt, detail::kSubstringBits)];
    for (std::size_t p = 0; p < probes; ++p) {
      const std::uint32_t bucket = key ^ fm.masks[p];
      const auto [first, last] = starts.range(bucket);
      candidates.insert(candidates.end(), ids + first, ids + last);
    }
    verified.resize(candidates.size());
    std::size_t n;
    if constexpr (kWords == 4) {
      n = kernels.verify256(codes_.data(), candidates.data(), candidates.size(), q.data(), r, verified.data());
    } else {
      n = kernels.verify64(codes_.data(), candidates.data(), candidates.size(), q[0], r, verified.data());
    }
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
