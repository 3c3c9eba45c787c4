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

struct Verdict {
  Decision decision = Decision::allow;
  double score = 0.0;
  std::vector<CategoryScore> categories;  ///< categories with at least one hit, pack order
  std::vector<Hit> hits;                  ///< in order of start offset
  std::uint64_t invalid_bytes = 0;        ///< invalid UTF-8 bytes replaced during normalisation
  bool truncated = false;                 ///< more matches than EngineOptions::max_matches
};

}  // namespace v1
}  // namespace vigil
