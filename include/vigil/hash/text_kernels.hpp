// vigil: the text-sketch and digest kernels (SimHash-64, MinHash-128, XXH3-128) behind one
// table per instruction set, like the Hamming kernels (hamming_kernels.hpp, kernel_dispatch.hpp).
//
// Every set computes exactly the values of the definitions in shingles.hpp, simhash.hpp and
// minhash.hpp; only the speed differs. The pipeline per text:
//   1. word boundaries from a 64-bit "is space" mask per 64 bytes (SIMD compare, then bit
//      tricks), instead of a byte loop;
//   2. XXH3-64 of each k-word shingle — in the per-ISA translation units the xxHash code is
//      compiled inline (XXH_INLINE_ALL), so short shingles cost no library call;
//   3. SimHash: per-bit counts of set bits kept as byte counters (one SIMD add per feature,
//      widened every 255 features); bit b is set when more than half the features have it, which
//      is the +1/-1 vote of the definition. MinHash: 128 minima in SIMD registers.
//
// Rules for the per-ISA translation units (capi/kernels/<isa>.cpp): instantiate these templates
// with a tag type from an anonymous namespace, so every instantiation is local to its file and
// the linker can never pick a copy compiled with instructions the CPU lacks; take anything else
// (MinHash parameters) as arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vigil/version.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigil {
inline namespace v1 {
namespace hash {

/// The text kernels of one instruction set. `words_per_shingle` must be 1..kMaxKernelShingleWords
/// (callers handle longer shingles with the reference loop).
struct TextKernelTable {
  const char* name;
  std::uint64_t (*simhash64)(const char* text, std::size_t size, std::size_t words_per_shingle);
  /// Writes the 128 minima of the shingle set under the given per-slot parameters.
  void (*minhash128)(const char* text, std::size_t size, std::size_t words_per_shingle,
                     const std::uint32_t* seeds, const std::uint32_t* multipliers, std::uint32_t* slots);
  /// XXH3-128 of the bytes in canonical (big-endian) byte order.
  void (*xxh3_128)(const void* data, std::size_t size, std::uint8_t* digest16);
};

inline constexpr std::size_t kMaxKernelShingleWords = 64;

namespace detail {

/// Portable "is space" mask of 64 bytes (SSE2 on x86-64, a byte loop elsewhere). Every piece
/// here is a template on a Tag so per-ISA files get private copies (see the rules above).
template <class Tag>
struct SpaceMaskGeneric {
  static std::uint64_t full(const char* p) {
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    std::uint64_t m = 0;
    for (int i = 0; i < 4; ++i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      m |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))))
           << (16 * i);
    }
    return m;
#else
    std::uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= static_cast<std::uint64_t>(p[i] == ' ') << i;
    return m;
#endif
  }
  /// The last `n` (< 64) bytes; positions past the end count as spaces.
  static std::uint64_t partial(const char* p, std::size_t n) { return partial_with<SpaceMaskGeneric>(p, n); }

  template <class Full>
  static std::uint64_t partial_with(const char* p, std::size_t n) {
    char padded[64];
    std::memset(padded, ' ', sizeof padded);
    std::memcpy(padded, p, n);
    return Full::full(padded);
  }
};

/// Calls sink.consume(hashes, count) with the XXH3-64 hashes of the k-word shingles of `text`
/// (the definition in shingles.hpp), in order, a batch at a time. Hasher::hash(p, n) hashes a
/// shingle; SpaceMask gives the space bitmap of 64 bytes. Two tight passes per batch of words:
/// word starts and ends from the bitmaps (a bit loop each), then one hash per shingle (independent
/// hashes, so the CPU overlaps them).
template <class SpaceMask, class Hasher, class Sink>
void hash_shingles(const char* text, std::size_t n, std::size_t k, Sink& sink) {
  constexpr std::size_t kBatch = 256;                              // words per hashing pass
  constexpr std::size_t kCapacity = kBatch + kMaxKernelShingleWords + 64;  // + kept words + one chunk
  std::size_t start[kCapacity], end[kCapacity];
  std::uint64_t hashes[kCapacity];
  std::size_t starts = 0, ends = 0;  // recorded; ends <= starts <= ends + 1
  std::size_t kept = 0;              // leading words already ended shingles (at most k - 1)
  std::size_t total = 0;             // words ended so far
  const auto flush = [&] {
    std::size_t count = 0;
    for (std::size_t i = kept > k - 1 ? kept : k - 1; i < ends; ++i) {
      const std::size_t first = start[i + 1 - k];
      hashes[count++] = Hasher::hash(text + first, end[i] - first);
    }
    if (count != 0) sink.consume(hashes, count);
    const std::size_t keep = ends < k - 1 ? ends : k - 1;  // the words the next shingles start with
    const std::size_t drop = ends - keep;
    for (std::size_t i = drop; i < starts; ++i) start[i - drop] = start[i];
    for (std::size_t i = drop; i < ends; ++i) end[i - drop] = end[i];
    starts -= drop;
    ends = keep;
    kept = keep;
  };
  std::uint64_t carry = 0;  // 1 when the previous 64 bytes ended inside a word
  for (std::size_t base = 0; base < n; base += 64) {
    const std::uint64_t space = n - base >= 64 ? SpaceMask::full(text + base) : SpaceMask::partial(text + base, n - base);
    const std::uint64_t word = ~space;
    const std::uint64_t previous = (word << 1) | carry;  // bit i: byte i-1 is inside a word
    carry = word >> 63;
    const std::size_t ends_before = ends;
    for (std::uint64_t m = word & ~previous; m != 0; m &= m - 1) start[starts++] = base + static_cast<std::size_t>(__builtin_ctzll(m));
    for (std::uint64_t m = space & previous; m != 0; m &= m - 1) end[ends++] = base + static_cast<std::size_t>(__builtin_ctzll(m));
    total += ends - ends_before;
    if (ends >= kBatch) flush();
  }
  if (carry != 0) {  // the text ends inside a word at a 64-byte boundary
    end[ends++] = n;
    ++total;
  }
  if (total >= k) {
    flush();
  } else if (total > 0) {  // fewer than k words: one shingle of all of them (none was dropped)
    hashes[0] = Hasher::hash(text + start[0], end[ends - 1] - start[0]);
    sink.consume(hashes, 1);
  }
}

/// SimHash from byte counters: Counters::add(h) counts the set bits of h per bit position in
/// 8-bit lanes; they are drained into 32-bit totals before any can overflow.
template <class Counters>
struct SimHashCounting {  // Counters carries the Tag
  Counters counters;
  std::uint32_t pending = 0;  // features in the byte counters
  std::uint64_t features = 0;
  std::uint64_t totals[64] = {};

  void consume(const std::uint64_t* hashes, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      counters.add(hashes[i]);
      if (++pending == 255) drain();
    }
  }
  void drain() {
    std::uint8_t bytes[64];
    counters.store_and_clear(bytes);
    for (int b = 0; b < 64; ++b) totals[b] += bytes[b];
    features += pending;
    pending = 0;
  }
  std::uint64_t finish() {
    drain();
    std::uint64_t h = 0;
    for (int b = 0; b < 64; ++b) h |= static_cast<std::uint64_t>(2 * totals[b] > features) << b;  // votes > 0
    return h;
  }
};

/// Byte counters without SIMD: eight 64-bit words of eight byte counters; a table spreads each
/// byte of the feature to eight 0/1 bytes.
template <class Tag>
struct SimHashCountersSwar {
  std::uint64_t lanes[8] = {};

  struct SpreadTable {  // entry v: bit i of v as byte i (0 or 1)
    std::uint64_t entry[256];
    constexpr SpreadTable() : entry() {
      for (unsigned v = 0; v < 256; ++v) {
        for (unsigned i = 0; i < 8; ++i) entry[v] |= static_cast<std::uint64_t>((v >> i) & 1U) << (8 * i);
      }
    }
  };
  static constexpr SpreadTable kSpread{};

  void add(std::uint64_t h) {
    for (int b = 0; b < 8; ++b) lanes[b] += kSpread.entry[(h >> (8 * b)) & 0xFF];
  }
  void store_and_clear(std::uint8_t* bytes) {
    for (int b = 0; b < 8; ++b) {
      for (int i = 0; i < 8; ++i) bytes[8 * b + i] = static_cast<std::uint8_t>(lanes[b] >> (8 * i));
      lanes[b] = 0;
    }
  }
};

/// The SimHash kernel for one counter policy.
template <class SpaceMask, class Hasher, class Counters>
std::uint64_t simhash64_kernel(const char* text, std::size_t size, std::size_t words_per_shingle) {
  SimHashCounting<Counters> counting;
  hash_shingles<SpaceMask, Hasher>(text, size, words_per_shingle, counting);
  return counting.features + counting.pending == 0 ? 0 : counting.finish();
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
