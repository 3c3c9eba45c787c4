// vigil: small text helpers for the rule-pack loader (UTF-8 checks, trimming, TOML output, hashing).
#pragma once


#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/hash/digest.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

/// Decode one UTF-8 code point at s[i]; advances i. Returns nullopt (i unchanged) when invalid:
/// overlong forms, surrogates and values above U+10FFFF are refused, as Hyperscan requires.
inline std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) { ++i; return b0; }
  std::size_t len = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
  else return std::nullopt;
  if (i + len > s.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += len;
  return cp;
}

/// Byte offset of the first invalid UTF-8 sequence, or npos when `s` is valid.
inline std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!decode_utf8(s, i)) return i;
  }
  return std::string_view::npos;
}

/// Number of code points in s[0, byte_end) (s assumed valid UTF-8 up to there).
inline std::size_t count_code_points(std::string_view s, std::size_t byte_end) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < byte_end && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

inline std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Spacing, punctuation and invisible format characters: what a term may not consist of alone.
/// A deliberately small table; the match layer refuses terms whose normal form is empty anyway.
inline bool is_filler(char32_t c) {
  if (c < 0x80) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    return !alnum;  // controls, space, ASCII punctuation and symbols
  }
  return (c >= 0x80 && c <= 0xA0) || c == 0xAD || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x3000 && c <= 0x3003) || c == 0xFEFF || c == 0x061F || c == 0x060C ||
         c == 0x061B || c == 0x0640 || (c >= 0xFE00 && c <= 0xFE0F);
}

/// True when `s` (valid UTF-8) has at least one code point that is not filler.
inline bool has_content(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto cp = decode_utf8(s, i);
    if (!cp) return true;  // invalid bytes are reported separately
    if (!is_filler(*cp)) return true;
  }
  return false;
}

/// `s` as a TOML basic string, quotes included. Non-ASCII stays raw (the text is valid UTF-8).
inline std::string toml_quote(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

/// Shortest text that reads back as exactly `v`, always a TOML float (locale-independent).
inline std::string toml_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string out(buf, res.ptr);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

/// Lower-case hex SHA-256 of `data`. Throws hash::DigestError if libcrypto fails.
inline std::string sha256_hex(std::string_view data) { return hash::to_hex(hash::sha256(data)); }

/// Levenshtein distance capped at 3 (for "did you mean" hints on unknown keys).
inline std::size_t small_edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > b.size() + 3 || b.size() > a.size() + 3) return 3;
  std::vector<std::size_t> p(b.size() + 1, 0), c(b.size() + 1, 0);
  for (std::size_t j = 0; j <= b.size(); ++j) p[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    c[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = p[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      c[j] = std::min({sub, p[j] + 1, c[j - 1] + 1});
    }
    std::swap(p, c);
  }
  return std::min<std::size_t>(p[b.size()], 3);
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil
