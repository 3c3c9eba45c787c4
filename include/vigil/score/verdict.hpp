// vigil: the verdict: decision, score, per-category scores and every contributing hit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {

enum class Decision { allow, review, block };

inline const char* to_string(Decision d) noexcept {
  switch (d) {
    case Decision::allow: return "allow";
    case Decision::review: return "review";
    case Decision::block: return "block";
  }
  return "allow";
}

/// One contribution to a verdict: a rule hit or a composite that fired.
struct Hit {
  std::string rule;      ///< rule or composite id
  std::string category;
  double weight = 0.0;   ///< what this hit added to its category (before the category cap)
  std::uint64_t start = 0;  ///< byte span in the original input
  std::uint64_t end = 0;    ///< (a composite spans the positive hits it combined)
  std::string text;      ///< the original bytes of the span
  bool composite = false;
};

struct CategoryScore {
  std::string name;
  double score = 0.0;  ///< after the category cap
};

/// What a bank of known content does when it matches (vigil/scanner.hpp).
enum class BankAction { block, review, allow };

inline const char* to_string(BankAction a) noexcept {
  switch (a) {
    case BankAction::block: return "block";
    case BankAction::review: return "review";
    case BankAction::allow: return "allow";
  }
  return "block";
}

/// A match against a bank of known content.
struct BankMatch {
  std::string bank;
  std::string signal;     ///< "md5" / "sha256" (raw bytes), "pdq" (image), "simhash64" (normalised text)
  int distance = 0;       ///< Hamming distance; 0 for digests
  std::string label;      ///< the bank entry's label
  BankAction action = BankAction::block;  ///< the bank's action; allow = an allow-list hit
  std::string transform;  ///< PDQ dihedral matching: the rotation/flip that matched ("" = as is)
  bool suppressed = false;  ///< a hit an allow-list hit on the same signal overrode
};

struct Verdict {
  Decision decision = Decision::allow;
  double score = 0.0;
  std::vector<CategoryScore> categories;  ///< categories with at least one hit, pack order
  std::vector<Hit> hits;                  ///< in order of start offset
  std::uint64_t invalid_bytes = 0;        ///< invalid UTF-8 bytes replaced during normalisation
  bool truncated = false;                 ///< more matches than EngineOptions::max_matches
  bool banks_checked = false;             ///< banks were consulted (bank_hits is then rendered)
  std::vector<BankMatch> bank_hits;       ///< hits in banks of known content
};

}  // namespace v1
}  // namespace vigil
