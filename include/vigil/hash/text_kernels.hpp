// vigil: the text-sketch and digest kernels (SimHash-64, MinHash-128, XXH3-128) behind one
// table per instruction set, like the Hamming kernels (hamming_kernels.hpp, kernel_dispatch.hpp).
//
// Every set computes exactly the values of the definitions in shingles.hpp, simhash.hpp and
// minhash.hpp; only the speed differs. The pipeline per text:
//   1. word boundaries from a 64-bit "is space" mask per 64 bytes (SIMD compare, then bit
//      tricks), instead of a byte loop;
//   2. a 64-bit hash of each k-word shingle: for SimHash the feature hash of shingles.hpp (a
//      branch-free short hash up to 16 bytes, XXH3-64 beyond), for MinHash XXH3-64 — in the
//      per-ISA translation units the xxHash code is compiled inline (XXH_INLINE_ALL), so short
//      shingles cost no library call;
//   3. SimHash: per-bit counts of set bits kept as byte counters (one SIMD add per feature,
//      widened to 32-bit totals every 255 features, all in SIMD registers); bit b is set when
//      more than half the features have it, which is the +1/-1 vote of the definition (one SIMD
//      compare per register at the end). MinHash: 128 minima in SIMD registers.
//
// Rules for the per-ISA translation units (capi/kernels/<isa>.cpp): instantiate these templates
// with a tag type from an anonymous namespace, so every instantiation is local to its file and
// the linker can never pick a copy compiled with instructions the CPU lacks; take anything else
// (MinHash parameters) as arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "vigil/hash/shingles.hpp"
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

/// Entries past the returned count that append_bit_positions (any SpaceMask's) may overwrite.
inline constexpr std::size_t kPositionOverrun = 16;

/// Writes base + the position of every set bit of `bits` to out[count], out[count + 1], ... and
/// returns the new count. Eight at a time whatever the number of bits: a loop of one step per
/// bit mispredicts its exit about once per call (once per 64 bytes of text), while blocks of
/// eight repeat the same branch pattern for most chunks. Up to 7 entries past the returned count
/// are overwritten with unused values. (AVX-512 has its own, SpaceMaskAvx512.)
template <class Tag>
std::size_t append_bit_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
  const std::size_t total = count + static_cast<std::size_t>(__builtin_popcountll(bits));
  std::size_t* p = out + count;
  while (p < out + total) {
    for (int i = 0; i < 8; ++i) {  // bit 63 ored in: defined ctz once the real bits run out
      p[i] = base + static_cast<unsigned>(__builtin_ctzll(bits | (std::uint64_t{1} << 63)));
      bits &= bits - 1;
    }
    p += 8;
  }
  return total;
}

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
  static std::size_t append_positions(std::size_t* out, std::size_t count, std::size_t base, std::uint64_t bits) {
    return append_bit_positions<Tag>(out, count, base, bits);
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

/// hashes[0..] = the hashes of the shingles ending with words from..words-1 (edges as in
/// hash_shingles); returns their number. A function of its own so that its loop keeps everything
/// in registers (the hash is a few dozen instructions; each spilled value costs a load).
template <class Hasher>
std::size_t hash_shingle_batch(const char* text, std::size_t n, const std::size_t* edge, std::size_t k,
                               std::size_t from, std::size_t words, std::uint64_t* hashes) {
  std::uint64_t* out = hashes;
  for (std::size_t i = from; i < words; ++i) {
    const std::size_t first = edge[2 * (i + 1 - k)];
    *out++ = Hasher::hash(text + first, edge[2 * i + 1] - first, n - first);
  }
  return static_cast<std::size_t>(out - hashes);
}

/// The shingle hash (XXH3-64) through a Hasher::hash(p, n) of the including file, in the
/// hash_shingles interface: hash(p, n, readable), `readable` = bytes that may be read from p.
template <class Hasher>
struct ShingleHashOf {
  static std::uint64_t hash(const char* p, std::size_t n, std::size_t /*readable*/) { return Hasher::hash(p, n); }
  template <class Isa>
  static std::size_t hash_batch(const char* text, std::size_t n, const std::size_t* edge, std::size_t k,
                                std::size_t from, std::size_t words, std::uint64_t* hashes) {
    return hash_shingle_batch<ShingleHashOf>(text, n, edge, k, from, words, hashes);
  }
};

/// True when the SpaceMask policy of an instruction set hashes SimHash features in SIMD batches
/// (Isa::simhash_batch<Feature>, same arguments and result as hash_shingle_batch).
template <class Isa, class = void>
struct HasSimHashBatch : std::false_type {};
template <class Isa>
struct HasSimHashBatch<Isa, std::void_t<decltype(&Isa::template simhash_batch<void>)>> : std::true_type {};

/// The SimHash feature hash (simhash_feature_hash in shingles.hpp): the short hash up to 16
/// bytes, reading 16 bytes in place whenever the text has them; Hasher::hash (XXH3-64) beyond.
/// The short hash is instantiated on Hasher, which carries the file's Tag.
template <class Hasher>
struct SimHashFeatureOf {
  static std::uint64_t hash(const char* p, std::size_t n, std::size_t readable) {
    if (n <= kShortFeatureBytes) return ShortFeatureHash<Hasher>::hash(p, n, readable);
    return Hasher::hash(p, n);
  }
  template <class Isa>
  static std::size_t hash_batch(const char* text, std::size_t n, const std::size_t* edge, std::size_t k,
                                std::size_t from, std::size_t words, std::uint64_t* hashes) {
    if constexpr (HasSimHashBatch<Isa>::value) {
      return Isa::template simhash_batch<SimHashFeatureOf>(text, n, edge, k, from, words, hashes);
    } else {
      return hash_shingle_batch<SimHashFeatureOf>(text, n, edge, k, from, words, hashes);
    }
  }
};

/// Calls sink.consume(hashes, count) with the hashes of the k-word shingles of `text` (the
/// shingles of shingles.hpp), in order, a batch at a time. Hasher::hash(p, n, readable) hashes
/// a shingle, Hasher::hash_batch<SpaceMask> a batch of them; SpaceMask gives the space bitmap of
/// 64 bytes and the positions of its set bits. Two tight passes per batch of words:
/// word starts and ends from the bitmaps (a bit loop each), then one hash per shingle (independent
/// hashes, so the CPU overlaps them).
template <class SpaceMask, class Hasher, class Sink>
void hash_shingles(const char* text, std::size_t n, std::size_t k, Sink& sink) {
  constexpr std::size_t kBatch = 256;  // words per hashing pass
  // Word edges alternate start, end (exclusive), start, ...: one bit loop finds both, from the
  // bits where "inside a word" changes. Room for a batch, one chunk (64 edges), the 8-entry
  // overrun of append_positions and the final end.
  constexpr std::size_t kCapacity = 2 * kBatch + 64 + kPositionOverrun + 1;
  std::size_t edge[kCapacity];
  std::uint64_t hashes[kBatch + 32];
  std::size_t edges = 0;    // recorded; word w starts at edge[2w] and ends at edge[2w + 1]
  std::size_t kept = 0;     // leading words already ended shingles (at most k - 1)
  std::size_t dropped = 0;  // words no longer recorded
  const auto flush = [&] {
    const std::size_t words = edges / 2;
    const std::size_t count = Hasher::template hash_batch<SpaceMask>(text, n, edge, k, kept > k - 1 ? kept : k - 1, words, hashes);
    if (count != 0) sink.consume(hashes, count);
    const std::size_t keep = words < k - 1 ? words : k - 1;  // the words the next shingles start with
    const std::size_t drop = 2 * (words - keep);
    for (std::size_t i = drop; i < edges; ++i) edge[i - drop] = edge[i];
    edges -= drop;
    dropped += words - keep;
    kept = keep;
  };
  std::uint64_t carry = 0;  // 1 when the previous 64 bytes ended inside a word
  for (std::size_t base = 0; base < n; base += 64) {
    const std::uint64_t space = n - base >= 64 ? SpaceMask::full(text + base) : SpaceMask::partial(text + base, n - base);
    const std::uint64_t word = ~space;
    const std::uint64_t previous = (word << 1) | carry;  // bit i: byte i-1 is inside a word
    carry = word >> 63;
    edges = SpaceMask::append_positions(edge, edges, base, word ^ previous);
    if (edges >= 2 * kBatch) flush();
  }
  if (carry != 0) edge[edges++] = n;  // the text ends inside a word at a 64-byte boundary
  const std::size_t total = dropped + edges / 2;
  if (total >= k) {
    flush();
  } else if (total > 0) {  // fewer than k words: one shingle of all of them (none was dropped)
    hashes[0] = Hasher::hash(text + edge[0], edge[edges - 1] - edge[0], n - edge[0]);
    sink.consume(hashes, 1);
  }
}

/// Counters::add_run(hashes, count) where the counters have one (several sums in flight), else
/// Counters::add one hash at a time.
template <class Counters, class = void>
struct HasAddRun : std::false_type {};
template <class Counters>
struct HasAddRun<Counters, std::void_t<decltype(&Counters::add_run)>> : std::true_type {};

template <class Counters>
void add_run(Counters& counters, const std::uint64_t* hashes, std::size_t count) {
  if constexpr (HasAddRun<Counters>::value) {
    counters.add_run(hashes, count);
  } else {
    for (std::size_t i = 0; i < count; ++i) counters.add(hashes[i]);
  }
}

/// SimHash from byte counters. Counters::add(h) counts the set bits of h per bit position in
/// 8-bit lanes; drain() adds those to 32-bit totals (every 255 features, before a byte can
/// overflow); take_wide(out) stores and clears the 32-bit totals; bytes_above(t) and
/// wide_above(t) give the bits whose byte / 32-bit count exceeds t. Bit b of the SimHash is set
/// when more than half the features have bit b (2 * count > features: the +1/-1 vote is
/// positive), i.e. count > features / 2. A text of at most 255 features never leaves the byte
/// counters (one compare at the end); longer ones need the 32-bit totals, spilled into 64-bit
/// ones before `WideLimit` + 255 features could overflow them (texts of billions of words only).
template <class Counters, std::uint64_t WideLimit = 0xFFFFFFFFULL - 255>
struct SimHashCounting {  // Counters carries the Tag
  Counters counters;
  std::uint32_t pending = 0;  // features in the byte counters
  std::uint64_t drained = 0;  // features in the 32-bit totals
  std::uint64_t spilled = 0;  // features in totals[] (initialised by the first spill only)
  std::uint64_t totals[64];

  void consume(const std::uint64_t* hashes, std::size_t count) {
    while (count != 0) {  // runs that stop where the byte counters must be drained
      const std::size_t run = count < 255 - pending ? count : 255 - pending;
      add_run(counters, hashes, run);
      hashes += run;
      count -= run;
      pending += static_cast<std::uint32_t>(run);
      if (pending == 255) drain();
    }
  }
  void drain() {
    counters.drain();
    drained += pending;
    pending = 0;
    if (drained > WideLimit) spill();
  }
  void spill() {
    if (spilled == 0) std::memset(totals, 0, sizeof totals);
    std::uint32_t wide[64];
    counters.take_wide(wide);
    for (int b = 0; b < 64; ++b) totals[b] += wide[b];
    spilled += drained;
    drained = 0;
  }
  bool empty() const { return pending == 0 && drained == 0 && spilled == 0; }
  std::uint64_t finish() {
    if (drained == 0 && spilled == 0) return counters.bytes_above(pending / 2);
    drain();
    if (spilled == 0) return counters.wide_above(static_cast<std::uint32_t>(drained / 2));
    spill();
    std::uint64_t h = 0;
    for (int b = 0; b < 64; ++b) h |= static_cast<std::uint64_t>(2 * totals[b] > spilled) << b;
    return h;
  }
};

/// Byte counters without SIMD: eight 64-bit words of eight byte counters; a table spreads each
/// byte of the feature to eight 0/1 bytes. The 32-bit totals are a plain array.
template <class Tag>
struct SimHashCountersSwar {
  std::uint64_t lanes[8] = {};
  std::uint32_t wide[64] = {};

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
  std::uint32_t byte(int bit) const { return static_cast<std::uint32_t>(lanes[bit / 8] >> (8 * (bit % 8))) & 0xFF; }
  void drain() {
    for (int b = 0; b < 64; ++b) wide[b] += byte(b);
    for (auto& l : lanes) l = 0;
  }
  void take_wide(std::uint32_t* out) {
    for (int b = 0; b < 64; ++b) out[b] = wide[b];
    for (auto& w : wide) w = 0;
  }
  /// Eight bytes per step: with t + 1 <= 128, (byte | 0x80) - (t + 1) never borrows from the
  /// next byte and keeps its top bit exactly when the byte's low 7 bits reach t + 1; a byte of
  /// 128 or more is above t anyway. The multiply gathers the eight top bits into one byte.
  std::uint64_t bytes_above(std::uint32_t t) const {
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const std::uint64_t floor = 0x0101010101010101ULL * (t + 1);
    std::uint64_t h = 0;
    for (int b = 0; b < 8; ++b) {
      const std::uint64_t above = (lanes[b] | ((lanes[b] | kHigh) - floor)) & kHigh;
      h |= (((above >> 7) * 0x0102040810204080ULL) >> 56) << (8 * b);
    }
    return h;
  }
  std::uint64_t wide_above(std::uint32_t t) const {
    std::uint64_t h = 0;
    for (int b = 0; b < 64; ++b) h |= static_cast<std::uint64_t>(wide[b] > t) << b;
    return h;
  }
};

/// The SimHash kernel for one counter policy; Hasher::hash(p, n) is XXH3-64 with kShingleSeed.
template <class SpaceMask, class Hasher, class Counters>
std::uint64_t simhash64_kernel(const char* text, std::size_t size, std::size_t words_per_shingle) {
  SimHashCounting<Counters> counting;
  hash_shingles<SpaceMask, SimHashFeatureOf<Hasher>>(text, size, words_per_shingle, counting);
  return counting.empty() ? 0 : counting.finish();
}

}  // namespace detail
}  // namespace hash
}  // namespace v1
}  // namespace vigil
