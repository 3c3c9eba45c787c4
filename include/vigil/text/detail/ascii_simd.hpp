// vigil: SIMD fast path for ASCII text (xsimd 8.1).
//
// It takes over only where the scalar state machine would be idle inside a word of >= 2 letters
// and the next byte is a different letter, and it hands back in that same state, so it cannot
// change the result. It classifies 64-byte windows into bit masks (letters, separators, bytes it
// cannot handle) and processes the longest prefix that has no contextual case: no digit,
// non-ASCII byte, @ $ ! | between letters, stretch of 3 identical letters, or two single letters
// one separator apart (a possible separated-letter run). Letters are lowercased, separators
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
/// eq2 bit i: bytes i and i+2 are.
struct AsciiWindow {
  std::uint64_t letter = 0, stop = 0, apos = 0, sym = 0, eq = 0, eq2 = 0;
};

/// Classifies p[0..64) (reads p[64] and p[65] too) and writes the lowercased/spaced bytes to
/// `low`.
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
    const auto stop = ((v - B('0')) < B(10)) | (v >= B(0x80));
    const auto apos = (v == B('\'')) | (v == B('`'));
    const auto sym = (v == B('@')) | (v == B('$')) | (v == B('!')) | (v == B('|'));
    const auto same = lower == (B::load_unaligned(p + k + 1) | B(0x20));
    const auto same2 = lower == (B::load_unaligned(p + k + 2) | B(0x20));
    xsimd::select(alpha, lower, B(' ')).store_unaligned(low + k);
    w.letter |= lane_bits<Arch>(alpha) << k;
    w.stop |= lane_bits<Arch>(stop) << k;
    w.apos |= lane_bits<Arch>(apos) << k;
    w.sym |= lane_bits<Arch>(sym) << k;
    w.eq |= lane_bits<Arch>(same) << k;
    w.eq2 |= lane_bits<Arch>(same2) << k;
  }
  return w;
}

inline std::uint64_t below(unsigned bit) { return (std::uint64_t(1) << bit) - 1; }

/// Appends low[0..q) (classify64's output, with 16 readable bytes past q) for original offset
/// `orig`: separator runs of >= 2 bytes close up to one space; a dropped apostrophe (bit in
/// `drop`) disappears into the letter after it. Copies go in whole 16-byte steps: the overshoot
/// lands in the sink's spare room and is overwritten by the next piece.
VIGIL_TEXT_HOT void emit_piece(Sink& o, const unsigned char* from, unsigned len, std::uint64_t ob,
                               std::uint64_t oe, bool ident) {
  char* d = o.buf + o.w;
  for (unsigned k = 0; k < len; k += 16) std::memcpy(d + k, from + k, 16);
  o.map->add(o.base + o.w, len, ob, oe, ident);
  o.w += len;
}

inline void emit_window(const unsigned char* low, std::uint64_t sep, std::uint64_t drop,
                        unsigned q, std::uint64_t orig, Sink& o) {
  char* const dst = o.room(64 + 16);
  auto piece = [&](unsigned from, unsigned len, std::uint64_t ob, std::uint64_t oe, bool ident) {
    emit_piece(o, low + from, len, ob, oe, ident);
  };
  std::uint64_t odd = ((sep & (sep >> 1)) | drop) & below(q);
  if (!odd) {  // the common case: one identity piece
    std::memcpy(dst, low, 64);
    o.map->add(o.base + o.w, q, orig, orig + q, true);
    o.w += q;
    return;
  }
  unsigned cur = 0;
  while (odd) {
    const unsigned r = ctz64(odd);
    if (r > cur) piece(cur, r - cur, orig + cur, orig + r, true);
    if ((drop >> r) & 1) {
      piece(r + 1, 1, orig + r, orig + r + 2, false);
      cur = r + 2;
    } else {
      const unsigned e = r + ctz64(~(sep >> r));  // < q: the window ends on a letter
      piece(r, 1, orig + r, orig + e, false);      // low[r] is ' '
      cur = e;
    }
    odd &= ~below(cur);
  }
  if (q > cur) piece(cur, q - cur, orig + cur, orig + q, true);
}

/// The fast path: p[-1] and p[0] are different letters and the state machine is idle inside a
/// word. Returns how many bytes it consumed (it ends before a letter that differs from the one
/// before it, again inside a word of >= 2 letters). A template on Arch so that per-ISA
/// translation units can instantiate it.
struct AsciiKernel {
  template <class Arch>
  std::size_t operator()(Arch, const unsigned char* p, std::size_t avail, std::uint64_t orig,
                         Sink& o) const {
    alignas(64) unsigned char low[64 + 16] = {};
    std::size_t pos = 0;
    while (avail - pos >= 66) {
      const AsciiWindow w = classify64<Arch>(p + pos, low);
      const std::uint64_t L = w.letter;
      const std::uint64_t flanked = (L << 1) & (L >> 1);  // letters on both sides
      // An apostrophe between letters is dropped (a stop if the letters match: they could make
      // a stretch); @ $ ! | between letters become letters (left to the scalar path).
      const std::uint64_t drop = w.apos & flanked;
      const std::uint64_t word = L | drop;
      const std::uint64_t S = ~(word | w.stop);
      const std::uint64_t triple = L & w.eq & (w.eq >> 1);
      const std::uint64_t single = word & (S << 1) & (S >> 1);  // bit 0: p[pos-1] is a letter
      const std::uint64_t events = w.stop | (w.sym & flanked) | (drop & (w.eq2 << 1)) | triple |
                                   (single & (single >> 2));
      const unsigned limit = events ? ctz64(events) : 64;
      // Exit points q: q-2, q-1, q letters and byte q differs from byte q-1.
      std::uint64_t exits = L & (L << 1) & (L << 2) & ~(w.eq << 1) & ~std::uint64_t(3);
      if (limit < 64) exits &= below(limit);
      if (!exits) break;
      const unsigned q = 63 - clz64(exits);
      emit_window(low, S, drop, q, orig + pos, o);
      pos += q;
      if (limit < 64) break;
    }
    return pos;
  }
};

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil
