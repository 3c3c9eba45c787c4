// vigil: whole-word checks over normalised text.
//
// Normalised text separates words by single spaces, so a boundary is a space or an end of the
// text. Two exceptions need more: scripts written without spaces (a Thai or Han term is
// "whole" wherever it is), and Arabic proclitics (al-, wa-, bi-, li-, fa-, ka- and their
// combinations) written joined to the word they precede.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "vigil/text/normalize.hpp"

namespace vigil {
inline namespace v1 {
namespace match {
namespace detail {

/// Proclitic prefixes in normal form (alef variants already folded to bare alef).
inline constexpr std::array<std::string_view, 22> arabic_proclitics = {
    "\u0627\u0644",              // al
    "\u0648", "\u0641", "\u0628", "\u0644", "\u0643", "\u0633",  // wa fa bi li ka sa
    "\u0648\u0627\u0644", "\u0641\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644",
    "\u0644\u0644",              // lil
    "\u0648\u0644\u0644", "\u0641\u0644\u0644",
    "\u0648\u0628", "\u0641\u0628", "\u0648\u0644", "\u0641\u0644", "\u0648\u0643",
    "\u0641\u0643", "\u0648\u0633", "\u0641\u0633"};

/// Is the code point starting at `p` an Arabic letter (U+0620..U+064A, U+066E..U+06D3)?
inline bool arabic_letter_at(std::string_view t, std::size_t p) {
  if (p + 1 >= t.size()) return false;
  auto b0 = static_cast<unsigned char>(t[p]);
  auto b1 = static_cast<unsigned char>(t[p + 1]);
  if (b0 != 0xD8 && b0 != 0xD9 && b0 != 0xDA && b0 != 0xDB) return false;
  unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
  return (cp >= 0x620 && cp <= 0x64A) || (cp >= 0x66E && cp <= 0x6D3);
}

/// Start of the UTF-8 code point that ends just before `p`.
inline std::size_t previous_code_point(std::string_view t, std::size_t p) {
  std::size_t q = p - 1;
  while (q > 0 && (static_cast<unsigned char>(t[q]) & 0xC0u) == 0x80u) --q;
  return q;
}

inline bool continua_at(std::string_view t, std::size_t p) {
  return text::in_scriptio_continua(t.data() + p, t.data() + t.size());
}

}  // namespace detail

/// Does a match starting at window offset `pos` start a word? `at_text_start` says whether
/// window offset 0 is the true start of the input (not a trimmed streaming window).
inline bool starts_word(std::string_view t, std::size_t pos, bool at_text_start = true) {
  if (pos == 0) return at_text_start;
  if (t[pos - 1] == ' ') return true;
  if (detail::continua_at(t, pos) || detail::continua_at(t, detail::previous_code_point(t, pos)))
    return true;
  if (!detail::arabic_letter_at(t, pos)) return false;
  std::size_t word = pos;
  while (word > 0 && t[word - 1] != ' ') --word;
  if (word == 0 && !at_text_start) return false;
  std::string_view prefix = t.substr(word, pos - word);
  for (std::string_view p : detail::arabic_proclitics) {
    if (prefix == p) return true;
  }
  return false;
}

/// Does a match ending at window offset `pos` (exclusive) end a word? A match at the end of
/// the window counts only when `at_text_end` (streaming defers such matches).
inline bool ends_word(std::string_view t, std::size_t pos, bool at_text_end = true) {
  if (pos >= t.size()) return at_text_end;
  if (t[pos] == ' ') return true;
  return detail::continua_at(t, pos) ||
         (pos > 0 && detail::continua_at(t, detail::previous_code_point(t, pos)));
}

}  // namespace match
}  // namespace v1
}  // namespace vigil
