// Small helpers shared by the normaliser tests.
#pragma once

#include <cstdint>
#include <string>

namespace vigil_test {

/// The UTF-8 encoding of code point cp (no validity checks: tests also build surrogates).
inline std::string utf8(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

/// The context with every "%c" replaced by c: puts one character in several positions.
inline std::string in_context(const char* context, const std::string& c) {
  std::string s;
  for (const char* q = context; *q != 0; ++q) {
    if (q[0] == '%' && q[1] == 'c') {
      s += c;
      ++q;
    } else {
      s += *q;
    }
  }
  return s;
}

}  // namespace vigil_test
