// vigil: the table of Hyperscan patterns compiled from a pack, and how to compile them.
#pragma once

#include <hs/hs.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "vigil/match/hyperscan.hpp"
#include "vigil/rules/pack.hpp"
#include "vigil/text/normalize.hpp"

namespace vigil {
inline namespace v1 {
namespace match {

/// One Hyperscan pattern; its Hyperscan id is its index in PatternTable::patterns.
struct Pattern {
  std::uint32_t rule = 0;    ///< index into Pack::rules
  std::uint32_t length = 0;  ///< literals: normalised byte length (start = end - length)
  bool literal = true;
  bool fullword = true;
  std::string expression;    ///< the normalised literal, or the regex as written
};

/// What a scan needs of a pattern on every match, packed: with thousands of terms the full
/// Pattern records (expression strings included) would miss the cache on each match.
struct PatternInfo {
  std::uint32_t rule = 0;
  std::uint32_t length = 0;  ///< as Pattern::length
  bool literal = true;
  bool fullword = true;
};

/// Literals come first (ids 0..literal_count-1), then regexes.
struct PatternTable {
  std::vector<Pattern> patterns;
  std::vector<PatternInfo> info;  ///< parallel to patterns (build_pattern_table fills it)
  std::size_t literal_count = 0;
  std::size_t max_literal_length = 0;

  std::size_t regex_count() const { return patterns.size() - literal_count; }
};

namespace detail {

inline std::string term_preview(const std::string& term) {
  return term.size() <= 60 ? term : term.substr(0, 57) + "...";
}

/// Arabic li- before the article drops the article's alef: ل + الدولة is written للدولة. For
/// a term that starts with the article, that contracted spelling is one more literal.
inline std::string li_al_contraction(const std::string& norm) {
  static const std::string al = "\u0627\u0644", lil = "\u0644\u0644";
  if (norm.size() <= al.size() || norm.compare(0, al.size(), al) != 0) return {};
  return lil + norm.substr(al.size());
}

}  // namespace detail

/// Normalise every term and collect every regex of `pack`. Throws rules::PackError for a term
/// with nothing left after normalisation (e.g. only punctuation).
inline PatternTable build_pattern_table(const rules::Pack& pack) {
  PatternTable table;
  std::vector<Pattern> regexes;
  for (std::size_t r = 0; r < pack.rules.size(); ++r) {
    const rules::Rule& rule = pack.rules[r];
    std::set<std::string> seen;  // a term written twice (or two spellings of one normal form)
    for (const rules::Term& term : rule.terms) {
      std::string norm = text::normalize_term(term.text);
      if (norm.empty()) {
        throw rules::PackError(term.where, rule.id,
                               "term '" + detail::term_preview(term.text) +
                                   "' has nothing left after normalisation");
      }
      std::string contracted = detail::li_al_contraction(norm);
      for (std::string* form : {&norm, &contracted}) {
        if (form->empty() || !seen.insert(*form).second) continue;
        table.max_literal_length = std::max(table.max_literal_length, form->size());
        auto len = static_cast<std::uint32_t>(form->size());
        table.patterns.push_back({static_cast<std::uint32_t>(r), len, true, rule.fullword,
                                  std::move(*form)});
      }
    }
    for (const std::string& re : rule.regexes) {
      regexes.push_back({static_cast<std::uint32_t>(r), 0, false, rule.fullword, re});
    }
  }
  table.literal_count = table.patterns.size();
  for (Pattern& p : regexes) table.patterns.push_back(std::move(p));
  table.info.reserve(table.patterns.size());
  for (const Pattern& p : table.patterns) table.info.push_back({p.rule, p.length, p.literal, p.fullword});
  return table;
}

/// A compiled database pair for one Hyperscan mode (block or streaming); either may be null
/// when the pack has no literals or no regexes.
struct ModeDatabases {
  match::detail::DatabasePtr literals;
  match::detail::DatabasePtr regexes;
  /// Block mode only: the same regexes without start-of-match tracking, reporting one match
  /// each. Tracking starts makes Hyperscan several times slower, so a message goes to `regexes`
  /// only when this cheap filter matches it. The matches are the same: start tracking never
  /// changes which matches exist. Null when absent (then every message goes to `regexes`).
  match::detail::DatabasePtr regex_filter;
};

namespace detail {

inline DatabasePtr compile_literals(const PatternTable& table, unsigned mode) {
  if (table.literal_count == 0) return nullptr;
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  std::vector<std::size_t> lens;
  for (std::size_t i = 0; i < table.literal_count; ++i) {
    exprs.push_back(table.patterns[i].expression.data());
    lens.push_back(table.patterns[i].expression.size());
    flags.push_back(0);  // case is folded by normalisation; CASELESS is ASCII-only here anyway
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                       static_cast<unsigned>(exprs.size()), mode, nullptr, &db,
                                       &err);
  CompileErrorPtr guard(err);
  if (rc != HS_SUCCESS) {
    throw MatchError(std::string("compiling literals: ") + (err ? err->message : "failed"));
  }
  return DatabasePtr(db);
}

/// The regexes of `table` for `mode`; `filter`: the block-mode filter (see ModeDatabases).
inline DatabasePtr compile_regexes(const rules::Pack& pack, const PatternTable& table,
                                   unsigned mode, bool filter = false) {
  if (table.regex_count() == 0) return nullptr;
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  const unsigned common = HS_FLAG_UTF8 | HS_FLAG_CASELESS;
  for (std::size_t i = table.literal_count; i < table.patterns.size(); ++i) {
    exprs.push_back(table.patterns[i].expression.c_str());
    flags.push_back(filter ? common | HS_FLAG_SINGLEMATCH : common | HS_FLAG_SOM_LEFTMOST);
    ids.push_back(static_cast<unsigned>(i));
  }
  if ((mode & HS_MODE_STREAM) && !filter) mode |= HS_MODE_SOM_HORIZON_LARGE;
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                   static_cast<unsigned>(exprs.size()), mode, nullptr, &db, &err);
  CompileErrorPtr guard(err);
  if (rc == HS_SUCCESS) return DatabasePtr(db);
  if (err != nullptr && err->expression >= 0 &&
      static_cast<std::size_t>(err->expression) < exprs.size()) {
    const Pattern& p = table.patterns[table.literal_count + err->expression];
    const rules::Rule& rule = pack.rules[p.rule];
    throw rules::PackError(rule.where, rule.id,
                           "regex '" + term_preview(p.expression) +
                               "' cannot be compiled: " + err->message);
  }
  throw MatchError(std::string("compiling regexes: ") + (err ? err->message : "failed"));
}

}  // namespace detail

/// Compile the table for one Hyperscan mode (HS_MODE_BLOCK or HS_MODE_STREAM).
inline ModeDatabases compile_mode(const rules::Pack& pack, const PatternTable& table,
                                  unsigned mode) {
  ModeDatabases dbs;
  dbs.literals = detail::compile_literals(table, mode);
  dbs.regexes = detail::compile_regexes(pack, table, mode);
  if (dbs.regexes && mode == HS_MODE_BLOCK) {
    dbs.regex_filter = detail::compile_regexes(pack, table, mode, true);
  }
  return dbs;
}

}  // namespace match
}  // namespace v1
}  // namespace vigil
