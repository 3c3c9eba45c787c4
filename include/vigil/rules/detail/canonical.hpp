// vigil: the canonical TOML form of a loaded pack (self-contained, every default explicit).
//
// Deterministic: the same Pack always gives the same bytes, so its SHA-256 identifies the pack
// for engine caches. All categories are written as declared (uncapped ones with cap = inf), in
// Pack::categories order, so a reload yields the same category list. Terms from terms files are
// inlined; after a reload their Term::where points into the canonical text instead.
#pragma once

#include <string>
#include <vector>

#include "vigil/rules/detail/text_util.hpp"
#include "vigil/rules/pack.hpp"

namespace vigil {
inline namespace v1 {
namespace rules {
namespace detail {

inline void put(std::string& out, const char* key, const std::string& value) {
  out += key;
  out += " = ";
  out += value;
  out += '\n';
}

/// A string array, one element a line (terms lists can be long; diffs stay readable).
inline std::string toml_string_array(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  std::string out = "[\n";
  for (const auto& s : items) out += "  " + toml_quote(s) + ",\n";
  out += "]";
  return out;
}

inline void put_rule(std::string& out, const Rule& r) {
  out += "\n[[rule]]\n";
  put(out, "id", toml_quote(r.id));
  put(out, "category", toml_quote(r.category));
  put(out, "description", toml_quote(r.description));
  put(out, "weight", toml_float(r.weight));
  put(out, "fullword", r.fullword ? "true" : "false");
  put(out, "max_hits", std::to_string(r.max_hits));
  put(out, "languages", toml_string_array(r.languages));
  std::vector<std::string> terms;
  terms.reserve(r.terms.size());
  for (const Term& t : r.terms) terms.push_back(t.text);
  put(out, "terms", toml_string_array(terms));
  put(out, "regexes", toml_string_array(r.regexes));
}

inline void put_composite(std::string& out, const Composite& c) {
  out += "\n[[composite]]\n";
  put(out, "id", toml_quote(c.id));
  put(out, "category", toml_quote(c.category));
  put(out, "description", toml_quote(c.description));
  put(out, "weight", toml_float(c.weight));
  put(out, "expr", toml_quote(c.expr_source));
}

inline std::string canonical_toml(const Pack& p) {
  std::string out = "# vigil canonical pack\n[pack]\n";
  put(out, "name", toml_quote(p.name));
  put(out, "version", toml_quote(p.version));
  put(out, "description", toml_quote(p.description));
  out += "\n[policy]\n";
  put(out, "review", toml_float(p.policy.review));
  put(out, "block", toml_float(p.policy.block));
  for (const Category& c : p.categories) {
    out += "\n[categories." + toml_quote(c.name) + "]\n";
    put(out, "description", toml_quote(c.description));
    put(out, "cap", toml_float(c.cap));
  }
  for (const Rule& r : p.rules) put_rule(out, r);
  for (const Composite& c : p.composites) put_composite(out, c);
  return out;
}

}  // namespace detail
}  // namespace rules
}  // namespace v1
}  // namespace vigil
