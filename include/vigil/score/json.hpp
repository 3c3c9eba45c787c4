// vigil: the JSON rendering of a verdict (the CLI's output line; the C ABI renders the same).
//
//   {"<key>": <key value>, "verdict": "allow|review|block", "score": 4.5,
//    "categories": {"name": 4.5, ...},
//    "hits": [{"rule", "category", "weight", "start", "end", "text"}, ...]}
// plus "invalid_utf8": N when the input had invalid UTF-8 bytes, and "truncated": true when it
// had more matches than the engine records (EngineOptions::max_matches). When banks were
// consulted (vigil/scanner.hpp) it also has, after "hits",
//    "bank_hits": [{"bank", "signal", "distance", "label", "action"}, ...]
// with "transform" for a PDQ hit on a rotated/flipped image and "suppressed": true for a hit an
// allow-list overrode. Without banks the output is exactly as before.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/score/verdict.hpp"

namespace vigil {
inline namespace v1 {
namespace detail {

inline void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (v == 0.0) v = 0.0;  // no "-0"
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

inline void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

/// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid.
inline std::size_t valid_utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (n == 3) {
    unsigned cp = ((c & 0x0Fu) << 12) | ((b(i + 1) & 0x3Fu) << 6);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  }
  if (n == 4) {
    unsigned cp = ((c & 0x07u) << 18) | ((b(i + 1) & 0x3Fu) << 12);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
  }
  return n;
}

/// A JSON string literal; invalid UTF-8 bytes become U+FFFD so the output is always valid.
inline void append_json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = valid_utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

inline void append_bank_hits(std::string& out, const std::vector<BankMatch>& hits) {
  out += ",\"bank_hits\":[";
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const BankMatch& h = hits[i];
    if (i) out += ',';
    out += "{\"bank\":";
    append_json_string(out, h.bank);
    out += ",\"signal\":";
    append_json_string(out, h.signal);
    out += ",\"distance\":";
    append_number(out, static_cast<std::uint64_t>(h.distance < 0 ? 0 : h.distance));
    out += ",\"label\":";
    append_json_string(out, h.label);
    out += ",\"action\":\"";
    out += to_string(h.action);
    out += '"';
    if (!h.transform.empty()) {
      out += ",\"transform\":";
      append_json_string(out, h.transform);
    }
    if (h.suppressed) out += ",\"suppressed\":true";
    out += '}';
  }
  out += ']';
}

}  // namespace detail

/// Append the verdict as one JSON object. `key` is "id" or "file"; `key_json` is its value,
/// already JSON (a quoted string, or a number echoed from the input).
inline void append_verdict_json(std::string& out, const Verdict& v, std::string_view key,
                                std::string_view key_json) {
  out += '{';
  detail::append_json_string(out, key);
  out += ':';
  out += key_json;
  out += ",\"verdict\":\"";
  out += to_string(v.decision);
  out += "\",\"score\":";
  detail::append_number(out, v.score);
  out += ",\"categories\":{";
  for (std::size_t i = 0; i < v.categories.size(); ++i) {
    if (i) out += ',';
    detail::append_json_string(out, v.categories[i].name);
    out += ':';
    detail::append_number(out, v.categories[i].score);
  }
  out += "},\"hits\":[";
  for (std::size_t i = 0; i < v.hits.size(); ++i) {
    const Hit& h = v.hits[i];
    if (i) out += ',';
    out += "{\"rule\":";
    detail::append_json_string(out, h.rule);
    out += ",\"category\":";
    detail::append_json_string(out, h.category);
    out += ",\"weight\":";
    detail::append_number(out, h.weight);
    out += ",\"start\":";
    detail::append_number(out, h.start);
    out += ",\"end\":";
    detail::append_number(out, h.end);
    out += ",\"text\":";
    detail::append_json_string(out, h.text);
    out += '}';
  }
  out += ']';
  if (v.banks_checked) detail::append_bank_hits(out, v.bank_hits);
  if (v.invalid_bytes > 0) {
    out += ",\"invalid_utf8\":";
    detail::append_number(out, v.invalid_bytes);
  }
  if (v.truncated) out += ",\"truncated\":true";
  out += '}';
}

}  // namespace v1
}  // namespace vigil
