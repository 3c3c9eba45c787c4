// vigil: the fingerprint of a text's normal form — XXH3-128 of what the rules see, so a re-post
// that only changes case, spacing, punctuation runs, homoglyphs, invisible characters, diacritics
// or leetspeak keeps its fingerprint, while any change of wording changes it. For near-duplicates
// with changed words use SimHash or MinHash (simhash.hpp, minhash.hpp).
#pragma once

#include <string_view>

#include "vigil/hash/digest.hpp"
#include "vigil/text/normalize.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// The normal form with the separator spaces at its ends removed: the normaliser turns runs of
/// whitespace and punctuation into one space, so "hello world!" ends in a space and "hello world"
/// does not; the fingerprint should not tell them apart.
inline std::string_view fingerprint_text(std::string_view normalized) {
  const auto first = normalized.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  const auto last = normalized.find_last_not_of(' ');
  return normalized.substr(first, last - first + 1);
}

/// XXH3-128 (canonical byte order) of fingerprint_text(normalize(text)). Thread-safe.
inline Xxh128Digest text_fingerprint(std::string_view text) {
  const text::NormalizedText normalized = text::normalize(text);
  return xxh3_128(fingerprint_text(normalized.text));
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
