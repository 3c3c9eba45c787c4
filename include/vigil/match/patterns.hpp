// vigil: the table of Hyperscan patterns compiled from a pack, and how to compile them.
#pragma once

#include <hs/hs.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
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
  /// Block mode only: the ASCII literals, each whole-word one written with a space on both
  /// sides (" term "), for messages whose normal form is ASCII, scanned with a space added at
  /// both ends. In ASCII normal form a word boundary is a space or an end of the text (the
  /// other boundaries need non-ASCII letters, see boundary.hpp), so this database reports
  /// exactly the whole-word matches and no substring ones: fewer matches to check, and the
  /// spaces make Hyperscan's literal matcher reject candidates sooner. Null when absent
  /// (engine files written before it): every message then goes to `literals`.
  match::detail::DatabasePtr word_literals;
};

namespace detail {

inline bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

/// Which pattern a database-level compile error (one Hyperscan does not pin on an expression,
/// such as "Resource limit exceeded") is blamed on: the last of the shortest prefix of the set
/// that fails, found by bisection. `fails(n)` compiles the first `n` patterns and says whether
/// that failed. Returns `count` when the whole set compiles on a retry (e.g. memory pressure).
template <class Fails>
std::size_t blame_pattern(std::size_t count, Fails&& fails) {
  if (count == 0 || !fails(count)) return count;
  std::size_t good = 0, bad = count;  // invariant: the first `good` compile, the first `bad` fail
  while (bad - good > 1) {
    const std::size_t mid = good + (bad - good) / 2;
    (fails(mid) ? bad : good) = mid;
  }
  return bad - 1;
}

/// Compile-error text that names the rule (and its pack file and line) a pattern came from.
[[noreturn]] inline void throw_pattern_error(const rules::Pack& pack, const Pattern& p,
                                             const std::string& message, bool alone) {
  const rules::Rule& rule = pack.rules[p.rule];
  const char* kind = p.literal ? "term '" : "regex '";
  throw rules::PackError(rule.where, rule.id,
                         kind + term_preview(p.expression) + "' cannot be compiled" +
                             (alone ? "" : " together with the patterns before it") + ": " +
                             message);
}

/// One pattern list for Hyperscan; `ids` are PatternTable indices.
struct CompileInput {
  std::vector<std::string> padded;  ///< the literals' text when it differs from the table's
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;  ///< literals only
  std::vector<unsigned> flags, ids;
  bool literal = true;

  /// Compile patterns [first, first + n).
  hs_error_t compile(std::size_t first, std::size_t n, unsigned mode, hs_database_t** db,
                     hs_compile_error_t** err) const {
    const auto count = static_cast<unsigned>(n);
    if (literal)
      return hs_compile_lit_multi(exprs.data() + first, flags.data() + first, ids.data() + first,
                                  lens.data() + first, count, mode, nullptr, db, err);
    return hs_compile_multi(exprs.data() + first, flags.data() + first, ids.data() + first, count,
                            mode, nullptr, db, err);
  }

  bool fails(std::size_t first, std::size_t n, unsigned mode) const {
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    const hs_error_t rc = compile(first, n, mode, &db, &err);
    hs_free_database(db);
    hs_free_compile_error(err);
    return rc != HS_SUCCESS;
  }
};

/// Compile `in` (patterns of `table`). A failure throws rules::PackError naming the rule of the
/// pattern at fault, or MatchError when no pattern can be blamed.
inline DatabasePtr compile_input(const rules::Pack& pack, const PatternTable& table,
                                 const CompileInput& in, unsigned mode, const char* what) {
  if (in.exprs.empty()) return nullptr;
  hs_database_t* db = nullptr;
  hs_compile_error_t* raw_err = nullptr;
  const hs_error_t rc = in.compile(0, in.exprs.size(), mode, &db, &raw_err);
  CompileErrorPtr err(raw_err);
  if (rc == HS_SUCCESS) return DatabasePtr(db);
  const std::string message = err ? err->message : "failed";
  if (err && err->expression >= 0 && static_cast<std::size_t>(err->expression) < in.ids.size())
    throw_pattern_error(pack, table.patterns[in.ids[err->expression]], message, true);
  const std::size_t culprit =
      rc != HS_COMPILER_ERROR  // out of memory, unsupported CPU ...: no pattern is at fault
          ? in.exprs.size()
          : blame_pattern(in.exprs.size(), [&](std::size_t n) { return in.fails(0, n, mode); });
  if (culprit < in.exprs.size()) {
    throw_pattern_error(pack, table.patterns[in.ids[culprit]], message,
                        in.fails(culprit, 1, mode));
  }
  throw MatchError(std::string("compiling ") + what + ": " + message);
}

/// The literals of `table`. `word_padded`: only the ASCII ones, whole-word ones padded with a
/// space on each side (ModeDatabases::word_literals).
inline CompileInput literal_input(const PatternTable& table, bool word_padded) {
  CompileInput in;
  for (std::size_t i = 0; i < table.literal_count; ++i) {
    const Pattern& p = table.patterns[i];
    if (word_padded && !is_ascii(p.expression)) continue;  // never in ASCII text
    if (word_padded) in.padded.push_back(p.fullword ? ' ' + p.expression + ' ' : p.expression);
    in.flags.push_back(0);  // case is folded by normalisation; CASELESS is ASCII-only here anyway
    in.ids.push_back(static_cast<unsigned>(i));
  }
  for (std::size_t k = 0; k < in.ids.size(); ++k) {  // pointers once `padded` stops growing
    const std::string& text = word_padded ? in.padded[k] : table.patterns[in.ids[k]].expression;
    in.exprs.push_back(text.data());
    in.lens.push_back(text.size());
  }
  return in;
}

inline DatabasePtr compile_literals(const rules::Pack& pack, const PatternTable& table,
                                    unsigned mode, bool word_padded = false) {
  return compile_input(pack, table, literal_input(table, word_padded), mode, "literals");
}

/// The regexes of `table` for `mode`; `filter`: the block-mode filter (see ModeDatabases).
inline DatabasePtr compile_regexes(const rules::Pack& pack, const PatternTable& table,
                                   unsigned mode, bool filter = false) {
  CompileInput in;
  in.literal = false;
  const unsigned common = HS_FLAG_UTF8 | HS_FLAG_CASELESS;
  for (std::size_t i = table.literal_count; i < table.patterns.size(); ++i) {
    in.exprs.push_back(table.patterns[i].expression.c_str());
    in.flags.push_back(filter ? common | HS_FLAG_SINGLEMATCH : common | HS_FLAG_SOM_LEFTMOST);
    in.ids.push_back(static_cast<unsigned>(i));
  }
  if ((mode & HS_MODE_STREAM) && !filter) mode |= HS_MODE_SOM_HORIZON_LARGE;
  return compile_input(pack, table, in, mode, "regexes");
}

}  // namespace detail

/// Compile the table for one Hyperscan mode (HS_MODE_BLOCK or HS_MODE_STREAM).
inline ModeDatabases compile_mode(const rules::Pack& pack, const PatternTable& table,
                                  unsigned mode) {
  ModeDatabases dbs;
  dbs.literals = detail::compile_literals(pack, table, mode);
  dbs.regexes = detail::compile_regexes(pack, table, mode);
  if (mode == HS_MODE_BLOCK) {
    if (dbs.regexes) dbs.regex_filter = detail::compile_regexes(pack, table, mode, true);
    dbs.word_literals = detail::compile_literals(pack, table, mode, true);
  }
  return dbs;
}

}  // namespace match
}  // namespace v1
}  // namespace vigil
