// vigil: SIMD fast path for ASCII text (xsimd 8.1).
//
// It takes over only where the scalar state machine would be idle inside a word of >= 2 letters
// and the next byte is a different letter, and it hands back in that same state, so it cannot
// change the result. It classifies 64-byte windows into bit masks (letters, separators, bytes it
// cannot handle) and processes the longest prefix that has no contextual case: no non-ASCII
// byte, digit run next to anything but a plain separator (leetspeak), @ $ ! | between letters,
// stretch of 3 identical letters, or two single word characters one separator apart (a possible
// separated-letter run). Digit runs between plain separators are kept as they are. Letters are lowercased, separators
// become ' '; a lone separator byte keeps an identity mapping, a run of >= 2 becomes one space;
// an apostrophe between letters is dropped (its byte joins the next letter's extent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "vigil/text/detail/pipeline.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

inline unsigned ctz64(std::uint64_t v) { return static_cast<unsigned>(__builtin_ctzll(v)); }
inline unsigned clz64(std::uint64_t v) { return static_cast<unsigned>(__builtin_clzll(v)); }

/// Lane mask of a byte batch_bool as bits (xsimd 8.1 has no movemask).
template <class Arch>
inline std::uint64_t lane_bits(const xsimd::batch_bool<std::uint8_t, Arch>& b) {
#if defined(__AVX512BW__)
  if constexpr (std::is_base_of<xsimd::avx512bw, Arch>::value) {
    return static_cast<std::uint64_t>(static_cast<__mmask64>(b.data));
  } else
#endif
#if defined(__AVX2__)
  if constexpr (std::is_base_of<xsimd::avx2, Arch>::value) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(b.data));
  } else
#endif
#if defined(__SSE2__)
  if constexpr (std::is_base_of<xsimd::sse2, Arch>::value) {
    return static_cast<std::uint32_t>(_mm_movemask_epi8(b.data));
  } else
#endif
  {
    constexpr std::size_t n = xsimd::batch_bool<std::uint8_t, Arch>::size;
    bool lanes[n];
    b.store_unaligned(lanes);
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < n; ++i) m |= std::uint64_t(lanes[i]) << i;
    return m;
  }
}

/// Bit masks over a 64-byte window. eq bit i: bytes i and i+1 are equal ignoring ASCII case;
/// eq2 bit i: bytes i and i+2 are. stop: bytes >= 0x80.
struct AsciiWindow {
  std::uint64_t letter = 0, digit = 0, stop = 0, apos = 0, sym = 0, eq = 0, eq2 = 0;
};

/// Classifies p[0..64) (reads p[64] and p[65] too) and writes the output bytes to `low`:
/// letters lowercased, digits kept, the rest ' '.
template <class Arch>
inline AsciiWindow classify64(const unsigned char* p, unsigned char* low) {
  using B = xsimd::batch<std::uint8_t, Arch>;
  constexpr std::size_t n = B::size;
  static_assert(64 % n == 0, "window must be a whole number of batches");
  AsciiWindow w;
  for (std::size_t k = 0; k < 64; k += n) {
    const B v = B::load_unaligned(p + k);
    const B lower = v | B(0x20);
    const auto alpha = (lower - B('a')) < B(26);  // unsigned: wraps below 'a'
    const auto digit = (v - B('0')) < B(10);
    const auto stop = v >= B(0x80);
    const auto apos = (v == B('\'')) | (v == B('`'));
    const auto sym = (v == B('@')) | (v == B('$')) | (v == B('!')) | (v == B('|'));
    const auto same = lower == (B::load_unaligned(p + k + 1) | B(0x20));
    const auto same2 = lower == (B::load_unaligned(p + k + 2) | B(0x20));
    xsimd::select(alpha, lower, xsimd::select(digit, v, B(' '))).store_unaligned(low + k);
    w.letter |= lane_bits<Arch>(alpha) << k;
    w.digit |= lane_bits<Arch>(digit) << k;
    w.stop |= lane_bits<Arch>(stop) << k;
    w.apos |= lane_bits<Arch>(apos) << k;
    w.sym |= lane_bits<Arch>(sym) << k;
    w.eq |= lane_bits<Arch>(same) << k;
    w.eq2 |= lane_bits<Arch>(same2) << k;
  }
  return w;
}

inline std::uint64_t below(unsigned bit) { return (std::uint64_t(1) << bit) - 1; }

/// Writing a window's bytes: low[0..64) holds classify64's output (16 readable bytes past it).
/// Copies go in whole 16-byte steps: the overshoot lands in the sink's spare room and is
/// overwritten by the next piece. ISA policies with a compress instruction replace these.
struct ScalarEmit {
  static void copy(const unsigned char* low, char* dst) { std::memcpy(dst, low, 64); }
  /// Writes the bytes of low[0..q) whose bit is set in `keep`; returns how many.
  static unsigned compact(const unsigned char* low, std::uint64_t keep, unsigned q, char* dst) {
    std::uint64_t m = ~keep & below(q);
    unsigned cur = 0, w = 0;
    while (m) {
      const unsigned r = ctz64(m);
      for (unsigned k = cur; k < r; k += 16) std::memcpy(dst + w + (k - cur), low + k, 16);
      w += r - cur;
      cur = r + ctz64(~(m >> r));
      m &= ~below(cur);
    }
    for (unsigned k = cur; k < q; k += 16) std::memcpy(dst + w + (k - cur), low + k, 16);
    return w + (q - cur);
  }
};

/// Appends low[0..q) for original offset `orig`: separator runs of >= 2 bytes close up to one
/// space; a dropped apostrophe (bit in `drop`) disappears into the letter after it. The map
/// gets one window segment (masks), not a segment per separator run.
template <class C>
VIGIL_TEXT_HOT void emit_window(C& c, const unsigned char* low, std::uint64_t sep,
                                std::uint64_t drop, unsigned q, std::uint64_t orig, Sink& o) {
  char* const dst = o.room(64 + 16);
  const std::uint64_t gone = ((sep & (sep << 1)) | drop) & below(q);
  if (!gone) {  // the common case: one identity piece
    c.copy(low, dst);
    o.map->add(o.base + o.w, q, orig, orig + q, true);
    o.w += q;
    return;
  }
  const unsigned w = c.compact(low, below(q) & ~gone, q, dst);
  o.map->add_window(o.base + o.w, w, orig, q, below(q) & ~gone, drop & below(q));
  o.w += w;
}

/// Digit runs not between two plain separators (a letter, apostrophe, @ $ ! | or the window's
/// edge next to them): their first digit. Such digits may be leetspeak: the scalar path decides.
VIGIL_TEXT_HOT std::uint64_t digit_events(const AsciiWindow& w) {
  const std::uint64_t D = w.digit;
  if (!D) return 0;
  const std::uint64_t plain = ~(w.letter | D | w.stop | w.apos | w.sym);
  const std::uint64_t start = D & ~(D << 1);
  const std::uint64_t end = D & ~(D >> 1);
  std::uint64_t ev = start & ~(plain << 1);
  const std::uint64_t bad_end = end & ~(plain >> 1);
  const std::uint64_t first = bad_end & (0 - bad_end);
  if (first) ev |= std::uint64_t(1) << (63 - clz64(start & (first | (first - 1))));
  return ev;
}

/// The fast path: p[-1] and p[0] are different letters and the state machine is idle inside a
/// word. Returns how many bytes it consumed (it ends before a letter that differs from the one
/// before it, again inside a word of >= 2 letters). `C::classify` is the per-ISA classifier;
/// always inlined so that an ISA-targeted caller compiles the whole loop for its ISA.
template <class C>
VIGIL_TEXT_HOT std::size_t ascii_kernel_loop(const unsigned char* p, std::size_t avail,
                                             std::uint64_t orig, Sink& o) {
  alignas(64) unsigned char low[64 + 16] = {};
  C c;
  std::size_t pos = 0;
  while (avail - pos >= 66) {
    const AsciiWindow w = c.classify(p + pos, low);
    const std::uint64_t L = w.letter;
    const std::uint64_t flanked = (L << 1) & (L >> 1);  // letters on both sides
    // An apostrophe between letters is dropped (a stop if the letters match: they could make
    // a stretch); @ $ ! | between letters become letters (left to the scalar path).
    const std::uint64_t drop = w.apos & flanked;
    const std::uint64_t word = L | drop | w.digit;
    const std::uint64_t S = ~(word | w.stop);
    const std::uint64_t triple = L & w.eq & (w.eq >> 1);
    const std::uint64_t single = word & (S << 1) & (S >> 1);  // bit 0: p[pos-1] is a letter
    const std::uint64_t events = w.stop | (w.sym & flanked) | (drop & (w.eq2 << 1)) | triple |
                                 (single & (single >> 2)) | digit_events(w);
    // Exit points q: q-2, q-1, q letters and byte q differs from byte q-1.
    std::uint64_t exits = L & (L << 1) & (L << 2) & ~(w.eq << 1) & ~std::uint64_t(3);
    if (events) exits &= below(ctz64(events));
    if (!exits) break;
    const unsigned q = 63 - clz64(exits);
    emit_window(c, low, S, drop, q, orig + pos, o);
    pos += q;
    if (events) break;
  }
  return pos;
}

template <class Arch>
struct XsimdClassify : ScalarEmit {
  static AsciiWindow classify(const unsigned char* p, unsigned char* low) {
    return classify64<Arch>(p, low);
  }
};

/// The kernel for the ISA this code is compiled for (a template on Arch so that per-ISA
/// translation units can instantiate it).
struct AsciiKernel {
  template <class Arch>
  std::size_t operator()(Arch, const unsigned char* p, std::size_t avail, std::uint64_t orig,
                         Sink& o) const {
    return ascii_kernel_loop<XsimdClassify<Arch>>(p, avail, orig, o);
  }
};

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil
