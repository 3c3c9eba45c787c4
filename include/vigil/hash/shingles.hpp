// vigil: word shingles of normalised text, and the two 64-bit hashes of a shingle.
//
// Input: already-normalised text, words separated by single spaces (vigil's normaliser emits
// that; any string_view works — runs of spaces are treated as one separator). A k-shingle is k
// consecutive words: the bytes from its first word's start to its last word's end (inner spaces
// included). Texts with fewer than k words give one shingle of all words; empty text gives
// none. Runs of spaces still separate words, but the bytes hashed include them, so pass
// single-spaced text for stable hashes.
//
// Two hashes of a shingle's bytes:
//   - shingle hash (MinHash): XXH3-64 with seed kShingleSeed;
//   - SimHash feature hash: shingles of at most 16 bytes (most 2-word shingles of real text) go
//     through a branch-free short hash (below); longer ones use XXH3-64 with kShingleSeed.
//     XXH3 picks one of four code paths by length (0, 1-3, 4-8, 9-16 bytes), and shingle
//     lengths vary from word to word, so the CPU often mispredicts those branches; the short
//     hash has one path for every length 0..16, and vectorises.
//
// The short hash: the shingle's bytes zero-padded to 16 bytes are read as two little-endian
// 64-bit words lo and hi (n = length); with fixed odd constants (below),
//   x = (lo ^ kShortKeyLo) * kShortMul1;    x ^= x >> 29;
//   x ^= hi ^ kShortKeyHi ^ n * kShortLength; x ^= x >> 32;
//   x *= kShortMul2;                          x ^= x >> 29;
//   x *= kShortMul3;                          x ^= x >> 32;
// all mod 2^64. Every step is a bijection of x, so shingles that share hi and n never collide.
// A multiply carries a bit only upwards and a right shift only downwards, so every input bit
// meets a shift before each multiply (as in well-known 64-bit finalisers) and ends up reaching
// every output bit; without the shift before kShortMul2, the top bits of hi would never reach
// the low output bits (the avalanche test below caught exactly that). Only 64-bit multiplies,
// shifts and xors: AVX-512 (VPMULLQ) computes eight at once, AVX2 four (each multiply from three
// 32 x 32-bit products; text_kernels_simd.hpp), the other kernels one at a time, all with the
// same result.
// tests/hash/test_text_kernels.cpp checks what SimHash needs from a feature hash — every output
// bit an unbiased vote, independent of the others and of small input changes — at every length
// 0..40, and tests/hash/test_text_sketch.cpp the SimHash accuracy examples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <xxhash.h>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

inline constexpr std::uint64_t kShingleSeed = 0x76696769'6c736869ULL;  // "vigilshi"

/// Longest shingle (bytes) the SimHash feature hash takes through its short path.
inline constexpr std::size_t kShortFeatureBytes = 16;

namespace detail {

// Constants of the short feature hash: the first outputs of splitmix64 seeded with kShingleSeed,
// made odd (so the multiplies are bijections); they carry no structure the input could line up
// with.
inline constexpr std::uint64_t kShortKeyLo = 0x9ace3fc7a5ad2dd1ULL;
inline constexpr std::uint64_t kShortKeyHi = 0x0ef5f9ea2d9ede29ULL;
inline constexpr std::uint64_t kShortLength = 0xb81a9c04c7014611ULL;
inline constexpr std::uint64_t kShortMul1 = 0x5d17dcacfc1b3595ULL;
inline constexpr std::uint64_t kShortMul2 = 0x32c21b1f00dbbf5bULL;
inline constexpr std::uint64_t kShortMul3 = 0x80d3b1424751fc09ULL;

/// The short feature hash of `n` <= 16 bytes at `p`, where `readable` bytes from `p` may be read
/// (at least n). A template on Tag so that per-ISA translation units get private copies
/// (text_kernels.hpp explains why); the value never depends on Tag or on `readable`.
template <class Tag>
struct ShortFeatureHash {
  static std::uint64_t load_le64(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
  }
  /// Byte i of the 8 bytes at kKeep + 16 - n (+ 8) is 0xFF when i < n (i - 8 < n - 8): a mask of
  /// the shingle's bytes without variable shifts (several micro-ops each on x86).
  static constexpr unsigned char kKeep[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                              0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  static std::uint64_t mix(std::uint64_t lo, std::uint64_t hi, std::size_t n) {
    std::uint64_t x = (lo ^ kShortKeyLo) * kShortMul1;
    x ^= x >> 29;
    x ^= hi ^ kShortKeyHi ^ (static_cast<std::uint64_t>(n) * kShortLength);
    x ^= x >> 32;
    x *= kShortMul2;
    x ^= x >> 29;
    x *= kShortMul3;
    return x ^ (x >> 32);
  }
  static std::uint64_t hash(const char* p, std::size_t n, std::size_t readable) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(p);
    unsigned char padded[16];
    if (readable < 16) {  // near the end of the text only: never read past it
      std::memset(padded, 0, sizeof padded);
      std::memcpy(padded, p, n);
      bytes = padded;
    }
    const std::uint64_t lo = load_le64(bytes) & load_le64(kKeep + 16 - n);
    const std::uint64_t hi = load_le64(bytes + 8) & load_le64(kKeep + 24 - n);
    return mix(lo, hi, n);
  }
};

/// Calls `emit(first, end)` with the byte range of every k-word shingle of `text`, in order.
template <class Emit>
inline void for_each_shingle_range(std::string_view text, int words_per_shingle, Emit&& emit) {
  const std::size_t k = words_per_shingle < 1 ? 1 : static_cast<std::size_t>(words_per_shingle);
  std::vector<std::size_t> starts;  // start offset of every word so far
  std::size_t i = 0, last_end = 0;
  const std::size_t n = text.size();
  while (i < n) {
    while (i < n && text[i] == ' ') ++i;
    if (i == n) break;
    starts.push_back(i);
    while (i < n && text[i] != ' ') ++i;
    last_end = i;
    if (starts.size() >= k) emit(starts[starts.size() - k], i);
  }
  if (!starts.empty() && starts.size() < k) emit(starts[0], last_end);
}

}  // namespace detail

/// The SimHash feature hash of the shingle of `n` bytes at `p` (the definition above).
inline std::uint64_t simhash_feature_hash(const char* p, std::size_t n) {
  if (n <= kShortFeatureBytes) return detail::ShortFeatureHash<void>::hash(p, n, n);
  return static_cast<std::uint64_t>(XXH3_64bits_withSeed(p, n, kShingleSeed));
}

/// Calls `emit(std::uint64_t shingle_hash)` (XXH3-64) for every k-word shingle of `text`, in order.
template <class Emit>
inline void for_each_shingle(std::string_view text, int words_per_shingle, Emit&& emit) {
  detail::for_each_shingle_range(text, words_per_shingle, [&](std::size_t first, std::size_t end) {
    emit(static_cast<std::uint64_t>(XXH3_64bits_withSeed(text.data() + first, end - first, kShingleSeed)));
  });
}

/// Calls `emit(std::uint64_t feature_hash)` (simhash_feature_hash) for every k-word shingle of
/// `text`, in order.
template <class Emit>
inline void for_each_simhash_feature(std::string_view text, int words_per_shingle, Emit&& emit) {
  detail::for_each_shingle_range(text, words_per_shingle, [&](std::size_t first, std::size_t end) {
    emit(simhash_feature_hash(text.data() + first, end - first));
  });
}

/// All shingle hashes (XXH3-64) of `text` (duplicates kept).
inline std::vector<std::uint64_t> shingle_hashes(std::string_view text, int words_per_shingle) {
  std::vector<std::uint64_t> out;
  for_each_shingle(text, words_per_shingle, [&](std::uint64_t h) { out.push_back(h); });
  return out;
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
