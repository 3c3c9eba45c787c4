// vigil: a pre-parse guard against TOML that toml++ cannot parse safely.
//
// toml++ 3.3 recurses once per level of a dotted key (`a.b.c... = 1`, `[a.b.c...]`) and
// overflows the stack at a few thousand levels, which an untrusted pack must not be able to
// cause. A pack needs two levels at most, so this scan refuses keys with more than
// max_key_segments segments before toml++ sees the text. It only has to be conservative: it
// skips strings and comments and counts the dots of each run of key-like text. (Value nesting
// is bounded by toml++ itself: TOML_MAX_NESTED_VALUES.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

inline constexpr std::size_t max_key_segments = 32;

/// Index just past the string starting at s[i] (a quote), counting the newlines it spans.
inline std::size_t skip_toml_string(std::string_view s, std::size_t i, std::uint32_t& line) {
  const char q = s[i];
  const bool multi = s.substr(i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''");
  std::size_t j = i + (multi ? 3 : 1);
  while (j < s.size()) {
    const char c = s[j];
    if (c == '\\' && q == '"') {  // escapes exist in basic strings only
      if (j + 1 < s.size() && s[j + 1] == '\n') ++line;
      j += 2;
      continue;
    }
    if (c == '\n') {
      ++line;
      if (!multi) return j;  // unterminated: let toml++ report it
    }
    if (c == q && (!multi || s.substr(j, 3) == s.substr(i, 3))) return j + (multi ? 3 : 1);
    ++j;
  }
  return j;
}

/// Line (1-based) of the first key with too many dotted segments, or 0 when there is none.
inline std::uint32_t too_deep_key_line(std::string_view s) {
  std::uint32_t line = 1;
  std::size_t dots = 0;  // dots in the current run of key-like text
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"' || c == '\'') {
      const std::uint32_t before = line;
      i = skip_toml_string(s, i, line);
      if (line != before) dots = 0;  // a multi-line string is a value, never a key
      continue;
    }
    if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '.') {
      if (++dots >= max_key_segments) return line;
    } else {
      const bool keyish = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ' || c == '\t';
      if (!keyish) dots = 0;
      if (c == '\n') ++line;
    }
    ++i;
  }
  return 0;
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil
