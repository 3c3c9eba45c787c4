// vigil: a 256-bit hash value (PDQ), its hex form and Hamming distance.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// Thrown for malformed hash text (hex of the wrong length or with non-hex characters).
class HashFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

inline int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Parses exactly 16 hex digits into a 64-bit word; false if any digit is not hex.
inline bool parse_hex_word(std::string_view digits, std::uint64_t& out) noexcept {
  std::uint64_t value = 0;
  for (char c : digits) {
    const int v = hex_digit_value(c);
    if (v < 0) return false;
    value = (value << 4) | static_cast<std::uint64_t>(v);
  }
  out = value;
  return true;
}

inline void append_hex_word(std::string& out, std::uint64_t word, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kDigits[(word >> shift) & 0xF]);
  }
}

}  // namespace detail

/// A 256-bit hash, stored as the little-endian 256-bit integer in which bit k is worth 2^k:
/// `words[k / 64]` bit `k % 64`. PDQ puts DCT coefficient (i, j) at bit k = 16*i + j.
struct Hash256 {
  std::array<std::uint64_t, 4> words{};

  static constexpr int kBits = 256;
  static constexpr std::size_t kHexLength = 64;

  bool bit(int k) const noexcept { return (words[k >> 6] >> (k & 63)) & 1U; }
  void set_bit(int k) noexcept { words[k >> 6] |= std::uint64_t{1} << (k & 63); }
  void flip_bit(int k) noexcept { words[k >> 6] ^= std::uint64_t{1} << (k & 63); }
  bool is_zero() const noexcept { return (words[0] | words[1] | words[2] | words[3]) == 0; }

  /// The reference text form: 64 lowercase hex digits, most significant first (words 15..0 of
  /// the reference's sixteen 16-bit words, each "%04x").
  std::string to_hex() const {
    std::string out;
    out.reserve(kHexLength);
    for (int w = 3; w >= 0; --w) detail::append_hex_word(out, words[w], 16);
    return out;
  }

  /// Parses 64 hex digits (either case); throws HashFormatError otherwise.
  static Hash256 from_hex(std::string_view text) {
    Hash256 h;
    if (!try_from_hex(text, h)) {
      throw HashFormatError("not a 256-bit hex hash (want 64 hex digits): '" +
                            std::string(text.substr(0, 80)) + "'");
    }
    return h;
  }

  static bool try_from_hex(std::string_view text, Hash256& out) noexcept {
    if (text.size() != kHexLength) return false;
    Hash256 h;
    for (int w = 0; w < 4; ++w) {
      if (!detail::parse_hex_word(text.substr(static_cast<std::size_t>(3 - w) * 16, 16),
                                  h.words[w])) {
        return false;
      }
    }
    out = h;
    return true;
  }

  friend bool operator==(const Hash256& a, const Hash256& b) noexcept { return a.words == b.words; }
  friend bool operator!=(const Hash256& a, const Hash256& b) noexcept { return !(a == b); }
  friend bool operator<(const Hash256& a, const Hash256& b) noexcept { return a.words < b.words; }
};

/// Number of differing bits (0..256).
inline int hamming_distance(const Hash256& a, const Hash256& b) noexcept {
  int d = 0;
  for (int w = 0; w < 4; ++w) d += __builtin_popcountll(a.words[w] ^ b.words[w]);
  return d;
}

/// Number of differing bits of two 64-bit codes (SimHash-64).
inline int hamming_distance(std::uint64_t a, std::uint64_t b) noexcept {
  return __builtin_popcountll(a ^ b);
}

/// 16 hex digits, most significant first.
inline std::string hex64(std::uint64_t code) {
  std::string out;
  out.reserve(16);
  detail::append_hex_word(out, code, 16);
  return out;
}

/// Parses exactly 16 hex digits; throws HashFormatError otherwise.
inline std::uint64_t parse_hex64(std::string_view text) {
  std::uint64_t v = 0;
  if (text.size() != 16 || !detail::parse_hex_word(text, v)) {
    throw HashFormatError("not a 64-bit hex hash (want 16 hex digits): '" +
                          std::string(text.substr(0, 40)) + "'");
  }
  return v;
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
