// vigil: the rule-pack model and its TOML loader.
//
// CONTRACT (implemented by the rules module; the match and score layers rely on this API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/rules/expr.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {

/// Where something was written: file (or "<string>"), 1-based line (0 when unknown).
struct Location {
  std::string file;
  std::uint32_t line = 0;
};

/// A pack failed to load. what() is the whole message, formatted
/// "FILE:LINE: rule 'ID': REASON" (parts omitted when unknown).
class PackError : public std::runtime_error {
 public:
  PackError(Location where, std::string rule_id, std::string reason);
  const Location& where() const noexcept;
  const std::string& rule_id() const noexcept;
  const std::string& reason() const noexcept;
 private:
  Location where_;
  std::string rule_id_;
  std::string reason_;
};

struct Term {
  std::string text;  ///< as written in the pack or terms file
  Location where;    ///< the pack line, or the terms-file line
};

struct Rule {
  std::string id;
  std::string category;
  std::string description;
  double weight = 1.0;               ///< may be negative (context rules)
  std::vector<Term> terms;           ///< literal terms (inline and from terms_file), in order
  std::vector<std::string> regexes;  ///< Hyperscan-syntax regexes over the normalised text
  bool fullword = true;              ///< whole-word matches only (default true for terms,
                                     ///< false for regex-only rules unless set)
  std::uint32_t max_hits = 1;        ///< the rule contributes its weight at most this often
  std::vector<std::string> languages;
  Location where;
};

struct Category {
  std::string name;
  std::string description;
  double cap = std::numeric_limits<double>::infinity();  ///< |category score| is capped here
};

struct Composite {
  std::string id;
  std::string category;
  std::string description;
  double weight = 0.0;
  std::string expr_source;  ///< as written
  Expr expr;                ///< parsed; symbol indices resolved (see expr.hpp)
  Location where;
};

struct Policy {
  double review = 3.0;
  double block = 8.0;
};

/// A whole, validated pack. Symbol index space used by composite expressions:
/// rules are 0..rules.size()-1, composites rules.size()..rules.size()+composites.size()-1.
struct Pack {
  std::string name;
  std::string version;
  std::string description;
  Policy policy;
  std::vector<Category> categories;  ///< declared ones plus the ones rules use (uncapped)
  std::vector<Rule> rules;
  std::vector<Composite> composites;
  /// Composite indices (0-based into `composites`) in an order where every composite comes
  /// after the composites it references.
  std::vector<std::size_t> composite_order;
  /// A self-contained TOML text equivalent to the pack (terms files inlined); loading it gives
  /// an equal Pack. Used as the pack part of serialised engines.
  std::string canonical_source;
  /// SHA-256 (hex) of canonical_source.
  std::string hash;

  /// Index of the category named `name`, or npos.
  std::size_t category_index(std::string_view name) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

/// Bounds on what a pack may contain, so an untrusted pack cannot make loading or compiling
/// unbounded; past one the load fails with a PackError naming the file, line, rule and limit.
/// (Each term and regex is also at most 16,000 bytes, Hyperscan's own bound.) Engine files and the
/// embedded default pack are reloaded with the default limits.
struct PackLimits {
  std::size_t max_pack_bytes = std::size_t{64} << 20;  ///< pack text, and its terms files in total
  std::size_t max_rules = 100'000;                     ///< rules plus composites
  std::size_t max_terms_per_rule = 500'000;            ///< inline terms plus its terms file
  std::size_t max_terms = 2'000'000;                   ///< terms of all rules
  std::size_t max_regexes = 10'000;                    ///< regexes of all rules
};

/// Load a pack file (side files relative to its directory). All-or-nothing: throws PackError.
Pack load_pack_file(const std::string& path, const PackLimits& limits = {});
/// Load a pack from TOML text; `origin` names it in errors; side files relative to `base_dir`.
Pack load_pack_string(std::string_view toml_text, const std::string& origin = "<string>",
                      const std::string& base_dir = ".", const PackLimits& limits = {});

}  // namespace rules
}  // namespace v1
}  // namespace vigil

#include "vigil/rules/detail/pack_impl.hpp"
