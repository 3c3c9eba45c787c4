// vigil: the letter lane's inner loop for one- and two-byte letters (Latin, Greek, Cyrillic,
// Armenian, Hebrew, Arabic ...).
//
// The general lane (normalize_impl.hpp) decides letter by letter with several data-dependent
// branches and writes through the sink, whose fields the compiler must reload after every byte
// store. Text in these scripts is mostly long stretches of letters below U+0800 that are kept as
// they are or folded to one byte, so this loop handles exactly that case with one table load and
// one test per letter, keeping the output pointer and the pending run in registers. It emits a
// letter only where the general lane would emit it directly, in the same way (so the result
// cannot differ): the next code point is a different letter; or the same letter and then a
// different one (a double); or a short run of ASCII separators and then a word that starts with
// two different letters. Anything else (removed code points such as harakat, stretches, digits,
// apostrophes, longer sequences) ends the loop, and the general lane goes on from the letter it
// stopped at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include <algorithm>

#include "vigil/text/detail/lane.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

/// Are the 16 bytes at p all ASCII? (Cheap test before trying the SIMD kernel, which would
/// otherwise be tried and fail on every English word inside non-Latin text.)
inline bool ascii16(const unsigned char* p) {
  std::uint64_t a, b;
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + 8, 8);
  return ((a | b) & 0x8080808080808080ull) == 0;
}

/// The kShortPeeks entry of the code point at p (two bytes readable) when it is one or two
/// bytes long, else 0 (which is no run letter and has original length 0). Written without early
/// returns, so that the compiler may select instead of branch on the lead byte (which
/// mispredicts where a word of one script ends and one of another begins). `len` is its length as the lead byte tells it (1 or 2; only meaningful when the entry is a
/// run letter): the loop's next position then does not wait for the table load, which would
/// otherwise be in the loop-carried dependency chain.
VIGIL_TEXT_HOT std::uint64_t short_peek(const unsigned char* p, std::size_t& len) {
  const unsigned b0 = p[0], b1 = p[1];
  len = 1 + (b0 >> 7);
  const bool ascii = b0 < 0x80;
  const bool pair = (b0 - 0xC2u) < 0x1Eu && (b1 & 0xC0u) == 0x80u;
  const unsigned index = ascii ? b0 : (((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu)) & 0x7FFu;
  const std::uint64_t v = kShortPeeks.v[index];
  return (ascii | pair) ? v : 0;
}

VIGIL_TEXT_HOT bool is_run_letter(std::uint64_t v) { return (v >> 57) & 1; }
VIGIL_TEXT_HOT unsigned peek_olen(std::uint64_t v) { return (v >> 48) & 0xFF; }
VIGIL_TEXT_HOT unsigned peek_n(std::uint64_t v) { return (v >> 32) & 0xFF; }
VIGIL_TEXT_HOT bool same_text(std::uint64_t a, std::uint64_t b) {
  return ((a ^ b) & 0xFFFFFFFFFFull) == 0;
}

/// How many back-to-back copies of the `len` bytes at p[i] start there (at least 1; the last
/// one complete before n): a stretched letter compares 8 bytes per step against itself shifted
/// by one copy, instead of one pipeline step per letter.
inline std::size_t repeat_count(const unsigned char* p, std::size_t i, std::size_t len,
                                std::size_t n) {
  const unsigned char* a = p + i;
  const unsigned char* b = p + i + len;
  const std::size_t avail = n - i - len;  // bytes after the first copy
  std::size_t m = 0;
  while (m + 8 <= avail) {
    std::uint64_t u, v;
    std::memcpy(&u, a + m, 8);
    std::memcpy(&v, b + m, 8);
    if (u != v) break;  // the byte loop finds where
    m += 8;
  }
  while (m < avail && a[m] == b[m]) ++m;
  return 1 + m / len;
}

/// Writes run letter `x` at `out` and marks its kept original bytes (a run letter's output is
/// identity or one byte, so they are its first n bytes: bits 58-59 of its entry) from bit `at`.
/// Returns the bytes written.
VIGIL_TEXT_HOT unsigned put_run_letter(std::uint64_t x, char* out, std::uint64_t& keep,
                                       std::size_t at) {
  const auto t = static_cast<std::uint32_t>(x);
  std::memcpy(out, &t, 4);  // the sink keeps 8 spare bytes
  keep |= ((x >> 58) & 3) << at;
  return peek_n(x);
}

enum class ShortStop { kFull, kGeneral, kAscii };

/// The ASCII separators as a 128-bit set (bit b: byte b is one), taken from the table.
struct AsciiSepSet {
  std::uint64_t lo = 0, hi = 0;
  constexpr AsciiSepSet() {
    for (unsigned b = 0; b < 128; ++b) {
      if (((kShortPeeks.v[b] >> 40) & 0xFF) != kSep) continue;
      if (b < 64) {
        lo |= std::uint64_t(1) << b;
      } else {
        hi |= std::uint64_t(1) << (b - 64);
      }
    }
  }
};
inline constexpr AsciiSepSet kAsciiSeps{};

/// Is byte b an ASCII separator? Register operations only: the loop branches on this at every
/// word end, where the branch goes the other way than inside the word, and the sooner it is
/// decided the less a misprediction costs (a table lookup would add a dependent load).
VIGIL_TEXT_HOT bool is_ascii_sep(unsigned char b) {
  const std::uint64_t set = b < 64 ? kAsciiSeps.lo : kAsciiSeps.hi;
  return b < 128 && ((set >> (b & 63)) & 1) != 0;
}

/// A window's output in registers: the write position and the keep mask (bit k: original
/// byte p[base + k] produced an output byte).
struct ShortOut {
  std::size_t base;
  char* out;
  std::uint64_t keep;

  VIGIL_TEXT_HOT void letter(std::uint64_t x, std::size_t at) {
    out += put_run_letter(x, out, keep, at - base);
  }
};

/// x at i, then y == x at j: emits both when a different letter w follows at once (a double
/// stays; a third copy would make a stretch). Sets i to w's position.
VIGIL_TEXT_HOT bool short_double(const unsigned char* p, std::size_t& i, std::size_t j,
                                 std::size_t ylen, std::size_t n, std::uint64_t x,
                                 std::uint64_t y, std::uint64_t& w, std::size_t& wlen,
                                 ShortOut& o) {
  const std::size_t m = j + ylen;
  if (m + 2 > n) return false;
  w = short_peek(p + m, wlen);
  if (((w >> 40) & 0xFF) != kLetter || same_text(w, y)) return false;
  o.letter(x, i);
  o.letter(y, j);
  i = m;
  return true;
}

/// x at i, then at j a run of ASCII separators (up to 4) and a word whose first two letters
/// z, w differ: emits x, one space (kept: the separator's first byte) and z. Sets i to w's
/// position.
VIGIL_TEXT_HOT bool short_separators(const unsigned char* p, std::size_t& i, std::size_t j,
                                     std::size_t n, std::uint64_t x, std::uint64_t& w,
                                     std::size_t& wlen, ShortOut& o) {
  if (j + 8 > n) return false;
  std::size_t s = j + 1;
  while (s < j + 4 && is_ascii_sep(p[s])) ++s;
  std::size_t zlen;
  const std::uint64_t z = short_peek(p + s, zlen);
  const std::size_t k = s + zlen;
  if (!is_run_letter(z)) return false;
  w = short_peek(p + k, wlen);
  if (((w >> 40) & 0xFF) != kLetter || same_text(w, z)) return false;
  o.letter(x, i);
  *o.out++ = ' ';
  o.keep |= std::uint64_t(1) << (j - o.base);
  o.letter(z, s);
  i = k;
  return true;
}

/// One window: letters go into `run` (open at the original byte p[i] - run.olen) until it holds
/// 56 original bytes or more, or a letter must go back to the lane. Bit k of the run's keep
/// mask is the original byte at p[base + k], so the position alone tells where a letter's bits
/// go. A separator run becomes one kept byte (the space) and dropped ones, which the map
/// assigns to it: the same span the lane's put_space gives.
VIGIL_TEXT_HOT ShortStop short_window(const unsigned char* p, std::size_t& i, std::size_t n,
                                      std::uint64_t& x, Sink& o, PendingRun& run) {
  char* const first = o.room(64);
  const std::size_t base = i - run.olen;
  ShortOut out{base, first, run.keep};
  // The letter at p[i] is looked at while i < end: the window then has room for what one step
  // emits (at most 8 original bytes), and the next code point's two bytes are readable.
  const std::size_t end = std::min(base + 56, n < 3 ? 0 : n - 3);
  ShortStop stop = ShortStop::kGeneral;
  std::size_t xlen = peek_olen(x);
  for (;;) {
    if (i >= end) {
      if (i >= base + 56) stop = ShortStop::kFull;
      break;
    }
    const std::size_t j = i + xlen;
    std::uint64_t w;
    std::size_t wlen;
    if (is_ascii_sep(p[j])) {  // a word ends (decided on the byte, before any table load)
      if (!short_separators(p, i, j, n, x, w, wlen, out)) break;
    } else {
      std::size_t ylen;
      const std::uint64_t y = short_peek(p + j, ylen);
      if (!is_run_letter(y)) break;
      if (!same_text(y, x)) {
        out.letter(x, i);
        x = y;
        xlen = ylen;
        i = j;
        continue;
      }
      if (!short_double(p, i, j, ylen, n, x, y, w, wlen, out)) break;
    }
    x = w;
    xlen = wlen;
    if (!is_run_letter(w)) break;  // w is a letter, but one the general lane must emit
    // An ASCII word with more ASCII after it: the SIMD kernel is faster (the lane tries it).
    if (wlen == 1 && i + 16 <= n && ascii16(p + i)) {
      stop = ShortStop::kAscii;
      break;
    }
  }
  const auto wrote = static_cast<std::uint32_t>(out.out - first);
  o.w += wrote;
  run.len += wrote;
  run.olen = static_cast<std::uint32_t>(i - base);
  run.keep = out.keep;
  return stop;
}

/// Runs the loop from letter `x` at p[i] (not yet emitted; the lane's invariants hold: the
/// pipeline is idle inside a word and x differs from the letter before it). Returns the
/// position of the letter it stopped at, left in `x`, not emitted, with the same invariants.
VIGIL_TEXT_HOT std::size_t short_lane(const unsigned char* p, std::size_t i, std::size_t n,
                                      Peek& x, std::uint64_t orig, Sink& o, PendingRun& run) {
  if (!is_run_letter(x.v)) return i;
  for (;;) {
    if (run.len != 0 && (orig + i != run.orig + run.olen || run.olen >= 56)) run.flush(o);
    if (run.len == 0) {
      run.norm = o.base + o.w;
      run.orig = orig + i;
    }
    if (short_window(p, i, n, x.v, o, run) != ShortStop::kFull) break;
  }
  x.olen = peek_olen(x.v);
  return i;
}

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil
