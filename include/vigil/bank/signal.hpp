// vigil: the kinds of hash a bank holds, their names and hash-text validation.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/hash/hash256.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace bank {

/// Signal types: exact digests and Hamming-space hashes.
enum class SignalType { md5, sha256, pdq, simhash64 };

inline const char* signal_name(SignalType s) {
  switch (s) {
    case SignalType::md5: return "md5";
    case SignalType::sha256: return "sha256";
    case SignalType::pdq: return "pdq";
    case SignalType::simhash64: return "simhash64";
  }
  return "?";
}

/// Hex digits in the canonical text form.
inline std::size_t signal_hex_length(SignalType s) {
  switch (s) {
    case SignalType::md5: return 32;
    case SignalType::sha256: return 64;
    case SignalType::pdq: return 64;
    case SignalType::simhash64: return 16;
  }
  return 0;
}

inline bool is_hamming_signal(SignalType s) { return s == SignalType::pdq || s == SignalType::simhash64; }

/// Accepts vigil's names and the names hash-sharing tools use (ThreatExchange/HMA signal types
/// such as "pdq", "video_md5", "photo_md5"; "sha-256"). Case-insensitive.
inline std::optional<SignalType> parse_signal_name(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (n == "md5" || n == "video_md5" || n == "photo_md5" || n == "md5_hash") return SignalType::md5;
  if (n == "sha256" || n == "sha-256" || n == "sha256_hash") return SignalType::sha256;
  if (n == "pdq" || n == "photo_pdq" || n == "pdq_hash" || n == "hash_pdq") return SignalType::pdq;
  if (n == "simhash" || n == "simhash64" || n == "text_simhash") return SignalType::simhash64;
  return std::nullopt;
}

/// True if `text` is exactly the hex form of the signal type (either case).
inline bool valid_hash_text(SignalType s, std::string_view text) {
  if (text.size() != signal_hex_length(s)) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return hash::detail::hex_digit_value(c) >= 0; });
}

/// The lowercase canonical text of a hash (validated by the caller).
inline std::string canonical_hash_text(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace bank
}  // namespace v1
}  // namespace vigil
