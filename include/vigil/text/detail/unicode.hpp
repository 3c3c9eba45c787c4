// vigil: generated Unicode tables and the UTF-8 decoder the normaliser runs on.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace text {
namespace detail {

#include "vigil/text/detail/unicode_tables.inc"

/// What a code point is to the normaliser (see tools/gen_unicode_tables.py).
enum Cls : std::uint8_t {
  kSep = 0,      ///< whitespace, punctuation, symbols, controls, unassigned: one space
  kRemove = 1,   ///< invisible, format, overlays, diacritics, harakat, tatweel: dropped
  kLetter = 2,   ///< word character
  kDigit = 3,    ///< word character (leetspeak candidate when ASCII)
  kMark = 4,     ///< combining mark that carries meaning (kept, word character)
  kApos = 5,     ///< apostrophe: dropped between word characters, else a separator
  kLeetSym = 6,  ///< @ $ ! |: a letter between word characters, else a separator
};

constexpr std::uint32_t table_entry(std::uint32_t cp) noexcept {
  if (cp >= 0x110000) return kEntries[0];
  const std::uint32_t block = kStage1[cp >> kBlockShift];
  return kEntries[kStage2[(block << kBlockShift) | (cp & ((1u << kBlockShift) - 1))]];
}
constexpr Cls entry_class(std::uint32_t e) noexcept { return static_cast<Cls>(e & 7u); }
constexpr bool entry_continua(std::uint32_t e) noexcept { return (e >> 3) & 1u; }
constexpr std::uint32_t entry_len(std::uint32_t e) noexcept { return (e >> 4) & 31u; }
constexpr std::uint32_t entry_off(std::uint32_t e) noexcept { return e >> 9; }

/// Length of the sequence a lead byte announces (0: never a valid lead).
constexpr unsigned utf8_seq_len(unsigned char b) noexcept {
  if (b < 0x80) return 1;
  if (b < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (b < 0xE0) return 2;
  if (b < 0xF0) return 3;
  if (b < 0xF5) return 4;
  return 0;
}

/// Is `b` an acceptable byte at position `i` (1..3) after `lead`? The narrowed ranges for the
/// second byte reject overlongs, surrogates and code points above U+10FFFF.
inline bool utf8_cont_ok(unsigned char lead, unsigned i, unsigned char b) noexcept {
  if (i == 1) {
    if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
    if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
    if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
    if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
  }
  return (b & 0xC0) == 0x80;
}

/// Result of decoding at one position: a code point of `len` bytes, or (len 1, invalid) one bad
/// byte, or `need_more` when the bytes so far are a valid but unfinished sequence.
struct Decoded {
  std::uint32_t cp = 0;
  unsigned len = 0;
  bool invalid = false;
  bool need_more = false;
};

inline Decoded utf8_decode(const unsigned char* p, std::size_t avail) noexcept {
  Decoded d;
  const unsigned char b = p[0];
  const unsigned n = utf8_seq_len(b);
  if (n == 1) return Decoded{b, 1, false, false};
  if (n == 0) return Decoded{0, 1, true, false};
  std::uint32_t cp = b & (0x7Fu >> n);
  for (unsigned i = 1; i < n; ++i) {
    if (i >= avail) {
      d.need_more = true;
      return d;
    }
    if (!utf8_cont_ok(b, i, p[i])) return Decoded{0, 1, true, false};
    cp = (cp << 6) | (p[i] & 0x3Fu);
  }
  return Decoded{cp, n, false, false};
}

}  // namespace detail
}  // namespace text
}  // namespace v1
}  // namespace vigil
