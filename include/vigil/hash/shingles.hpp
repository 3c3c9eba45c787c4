// vigil: word shingles of normalised text, hashed to 64 bits (XXH3) without copying.
//
// Input: already-normalised text, words separated by single spaces (vigil's normaliser emits
// that; any string_view works — runs of spaces are treated as one separator). A k-shingle is k
// consecutive words; its hash is XXH3-64 of the bytes from its first word's start to its last
// word's end (inner spaces included). Texts with fewer than k words give one shingle of all
// words; empty text gives none. Runs of spaces still separate words, but the bytes hashed
// include them, so pass single-spaced text for stable hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <xxhash.h>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

inline constexpr std::uint64_t kShingleSeed = 0x76696769'6c736869ULL;  // "vigilshi"

/// Calls `emit(std::uint64_t shingle_hash)` for every k-word shingle of `text`, in order.
template <class Emit>
inline void for_each_shingle(std::string_view text, int words_per_shingle, Emit&& emit) {
  const std::size_t k = words_per_shingle < 1 ? 1 : static_cast<std::size_t>(words_per_shingle);
  // Word boundaries in a small ring: start offsets of the last k words.
  std::vector<std::size_t> starts;
  std::vector<std::size_t> ends;
  std::size_t i = 0;
  const std::size_t n = text.size();
  std::size_t words = 0;
  while (i < n) {
    while (i < n && text[i] == ' ') ++i;
    if (i == n) break;
    const std::size_t start = i;
    while (i < n && text[i] != ' ') ++i;
    starts.push_back(start);
    ends.push_back(i);
    ++words;
    if (words >= k) {
      const std::size_t first = starts[words - k];
      emit(static_cast<std::uint64_t>(XXH3_64bits_withSeed(text.data() + first, i - first, kShingleSeed)));
    }
  }
  if (words > 0 && words < k) {
    emit(static_cast<std::uint64_t>(XXH3_64bits_withSeed(text.data() + starts[0], ends.back() - starts[0], kShingleSeed)));
  }
}

/// All shingle hashes of `text` (duplicates kept).
inline std::vector<std::uint64_t> shingle_hashes(std::string_view text, int words_per_shingle) {
  std::vector<std::uint64_t> out;
  for_each_shingle(text, words_per_shingle, [&](std::uint64_t h) { out.push_back(h); });
  return out;
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
