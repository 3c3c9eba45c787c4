// vigil: MinHash lookup by LSH banding. The 128 slots are cut into `bands` bands of
// 128/bands slots; two signatures become candidates when any band is identical, then the
// estimated Jaccard similarity decides. A pair of similarity J is a candidate with probability
// 1 - (1 - J^rows)^bands: with the default 32 bands x 4 rows that is 0.98 at J = 0.6,
// 0.80 at J = 0.45 and 0.01 at J = 0.15, so thresholds of 0.5 and up lose few true pairs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <xxhash.h>

#include "vigil/hash/minhash.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

struct MinHashMatch {
  std::uint32_t index;
  double similarity;  // estimated Jaccard, 0..1
};

class MinHashIndex {
 public:
  explicit MinHashIndex(std::size_t bands = 32) : bands_(bands), tables_(bands) {
    if (bands == 0 || hash::kMinHashSlots % bands != 0) {
      throw std::invalid_argument("MinHash bands must divide 128");
    }
  }

  std::size_t size() const noexcept { return signatures_.size(); }
  std::size_t bands() const noexcept { return bands_; }

  std::uint32_t add(const hash::MinHashSignature& s) {
    const auto id = static_cast<std::uint32_t>(signatures_.size());
    signatures_.push_back(s);
    for (std::size_t b = 0; b < bands_; ++b) tables_[b][band_key(s, b)].push_back(id);
    return id;
  }

  /// Entries whose estimated similarity is >= threshold, most similar first.
  std::vector<MinHashMatch> query(const hash::MinHashSignature& s, double threshold = 0.5) const {
    std::vector<std::uint32_t> candidates;
    for (std::size_t b = 0; b < bands_; ++b) {
      const auto it = tables_[b].find(band_key(s, b));
      if (it != tables_[b].end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<MinHashMatch> out;
    for (std::uint32_t id : candidates) {
      const double sim = signatures_[id].similarity(s);
      if (sim >= threshold) out.push_back({id, sim});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.similarity > b.similarity; });
    return out;
  }

 private:
  std::uint64_t band_key(const hash::MinHashSignature& s, std::size_t band) const {
    const std::size_t rows = hash::kMinHashSlots / bands_;
    return XXH3_64bits_withSeed(&s.slots[band * rows], rows * sizeof(std::uint32_t), band);
  }

  std::size_t bands_;
  std::vector<hash::MinHashSignature> signatures_;
  std::vector<std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>> tables_;
};

}  // namespace bank
}  // namespace v1
}  // namespace vigil
