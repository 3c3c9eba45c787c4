// vigil: refuse regex constructs Hyperscan cannot compile, at pack load, with a clear name.
//
// A lexical scan (not a full parser): it respects escapes, \Q..\E quoting, (?#..) comments and
// character classes, so `[(?=]` or `\(?=` are not mistaken for look-ahead. Known limit: in (?x)
// extended mode a `#` comment is still scanned, so a construct named inside such a comment is
// refused too (harmless: the author can reword the comment).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/rules/detail/text_util.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

struct RegexFinding {
  std::string construct;  ///< e.g. "look-ahead '(?='"
  std::size_t offset;     ///< byte offset in the pattern
  std::string hint = {};  ///< what to write instead, when there is an obvious alternative
};

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of a counted quantifier {n}, {n,} or {n,m} at re[i], or 0 if `{` is a literal there.
inline std::size_t counted_quantifier_len(std::string_view re, std::size_t i) {
  std::size_t j = i + 1;
  const std::size_t digits_start = j;
  while (j < re.size() && is_digit(re[j])) ++j;
  if (j == digits_start) return 0;
  if (j < re.size() && re[j] == ',') {
    ++j;
    while (j < re.size() && is_digit(re[j])) ++j;
  }
  return (j < re.size() && re[j] == '}') ? j + 1 - i : 0;
}

/// Skip a `{...}` argument (as in \x{41}, \p{L}) starting at re[i]; returns the index after it.
inline std::size_t skip_braces(std::string_view re, std::size_t i) {
  if (i >= re.size() || re[i] != '{') return i;
  const auto close = re.find('}', i);
  return close == std::string_view::npos ? re.size() : close + 1;
}

/// Unsupported escape whose letter is `d` (outside a character class), or empty.
inline std::string unsupported_escape(char d) {
  switch (d) {
    case 'k': return "named back-reference '\\k'";
    case 'g': return "back-reference or subroutine call '\\g'";
    case 'K': return "match start reset '\\K'";
    case 'R': return "newline sequence '\\R'";
    case 'C': return "single-byte escape '\\C'";
    case 'X': return "extended grapheme cluster '\\X'";
    case 'G': return "previous-match anchor '\\G'";
    case 'N': return "'\\N' (non-newline or named character)";
    default: break;
  }
  if (d >= '1' && d <= '9') {
    return std::string("back-reference '\\") + d + "'";
  }
  return {};
}

/// Scan the escape at re[i] == '\\'; advance i past it. Returns a finding if unsupported.
inline std::optional<RegexFinding> scan_escape(std::string_view re, std::size_t& i,
                                               bool in_class) {
  const std::size_t at = i;
  if (i + 1 >= re.size()) { i = re.size(); return std::nullopt; }
  const char d = re[i + 1];
  i += 2;
  if (d == 'Q') {  // quoted literal text up to \E
    const auto end = re.find("\\E", i);
    i = end == std::string_view::npos ? re.size() : end + 2;
    return std::nullopt;
  }
  if (d == 'E') return std::nullopt;
  if (!in_class || d == 'R' || d == 'X' || d == 'K') {
    const std::string bad = unsupported_escape(d);
    if (!bad.empty()) {
      const bool digit = d >= '1' && d <= '9';
      return RegexFinding{bad, at, digit ? "write a character code as \\x{..}" : ""};
    }
  }
  if (d == 'x' || d == 'o' || d == 'p' || d == 'P') i = skip_braces(re, i);
  return std::nullopt;
}

/// Name of the unsupported group construct that starts at re[i] == '(', or empty.
/// Also advances i past (?#...) comments.
inline std::string unsupported_group(std::string_view re, std::size_t& i) {
  const std::string_view rest = re.substr(i);
  auto starts = [&](std::string_view p) { return rest.substr(0, p.size()) == p; };
  if (starts("(*")) {
    // Only the leading option settings are accepted by Hyperscan; others are verbs.
    if (starts("(*UTF8)") || starts("(*UTF)") || starts("(*UCP)")) return {};
    const auto close = rest.find(')');
    const std::size_t len = close == std::string_view::npos ? 2 : close + 1;
    return "backtracking control verb '" + std::string(rest.substr(0, len)) + "'";
  }
  if (!starts("(?")) return {};
  if (starts("(?#")) {
    const auto close = re.find(')', i);
    i = close == std::string_view::npos ? re.size() - 1 : close;
    return {};
  }
  if (starts("(?=")) return "look-ahead '(?='";
  if (starts("(?!")) return "negative look-ahead '(?!'";
  if (starts("(?<=")) return "look-behind '(?<='";
  if (starts("(?<!")) return "negative look-behind '(?<!'";
  if (starts("(?>")) return "atomic group '(?>'";
  if (starts("(?(")) return "conditional '(?('";
  if (starts("(?R")) return "recursion '(?R)'";
  if (starts("(?&")) return "subroutine call '(?&'";
  if (starts("(?P>")) return "subroutine call '(?P>'";
  if (starts("(?P=")) return "named back-reference '(?P='";
  if (starts("(?C")) return "callout '(?C'";
  if (starts("(?|")) return "branch reset '(?|'";
  const bool numbered = rest.size() > 2 && (is_digit(rest[2]) ||
      ((rest[2] == '+' || rest[2] == '-') && rest.size() > 3 && is_digit(rest[3])));
  if (numbered) return "recursion or subroutine call '" + std::string(rest.substr(0, 3)) + "'";
  return {};
}

/// Skip a character class starting at re[i] == '['; returns a finding for bad escapes inside.
inline std::optional<RegexFinding> scan_class(std::string_view re, std::size_t& i) {
  ++i;
  if (i < re.size() && re[i] == '^') ++i;
  if (i < re.size() && re[i] == ']') ++i;  // a leading ']' is literal
  while (i < re.size()) {
    if (re[i] == '\\') {
      if (auto f = scan_escape(re, i, true)) return f;
    } else if (re[i] == '[' && i + 1 < re.size() && re[i + 1] == ':') {
      const auto end = re.find(":]", i + 2);  // POSIX class [:alpha:]
      i = end == std::string_view::npos ? i + 1 : end + 2;
    } else if (re[i] == ']') {
      ++i;
      return std::nullopt;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

/// First construct in `re` that Hyperscan does not support, if any.
inline std::optional<RegexFinding> find_unsupported_regex(std::string_view re) {
  enum class Last { other, quantifier, lazy };  // '+' right after a quantifier: possessive
  Last last = Last::other;
  std::size_t i = 0;
  while (i < re.size()) {
    const char c = re[i];
    const std::size_t at = i;
    if (c == '+' && last == Last::quantifier) {
      return RegexFinding{"possessive quantifier '" + std::string(1, re[at - 1]) + "+'", at - 1};
    }
    if (c == '?' && last == Last::quantifier) { last = Last::lazy; ++i; continue; }
    const std::size_t qlen = (c == '*' || c == '+' || c == '?') ? 1
                             : c == '{'                          ? counted_quantifier_len(re, i)
                                                                 : 0;
    if (qlen > 0) { last = Last::quantifier; i += qlen; continue; }
    last = Last::other;
    if (c == '\\') {
      if (auto f = scan_escape(re, i, false)) return f;
    } else if (c == '[') {
      if (auto f = scan_class(re, i)) return f;
    } else if (c == '(') {
      const std::string bad = unsupported_group(re, i);
      if (!bad.empty()) return RegexFinding{bad, at};
      ++i;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil
