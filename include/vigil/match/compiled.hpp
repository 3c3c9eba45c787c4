// vigil: a pack's compiled Hyperscan databases (block and, optionally, streaming) and their
// serialised form.
#pragma once

#include <hs/hs.h>

#include <array>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigil/engine/file_format.hpp"
#include "vigil/match/patterns.hpp"

namespace vigil {
inline namespace v1 {
namespace match {

namespace detail {

/// Opens a block-regex slot that also holds the filter database: magic, u64 little-endian
/// length of the regex database, the regex database, the filter database. A slot without the
/// magic (files written before the filter existed) is the regex database alone.
inline constexpr char kRegexPairMagic[8] = {'V', 'G', 'L', 'R', 'X', 'F', '0', '1'};
/// The same for the block-literal slot and the whole-word literal database.
inline constexpr char kLiteralPairMagic[8] = {'V', 'G', 'L', 'L', 'W', 'W', '0', '1'};

inline std::string serialize_database(const hs_database_t* db) {
  if (db == nullptr) return {};
  char* bytes = nullptr;
  std::size_t len = 0;
  check_hs(hs_serialize_database(db, &bytes, &len), "serialising a database");
  std::string out(bytes, len);
  std::free(bytes);
  return out;
}

inline DatabasePtr deserialize_database(std::string_view blob, const std::string& origin) {
  if (blob.empty()) return nullptr;
  hs_database_t* db = nullptr;
  hs_error_t rc = hs_deserialize_database(blob.data(), blob.size(), &db);
  if (rc != HS_SUCCESS) {
    throw EngineFileError(origin + ": cannot load its Hyperscan database: " + hs_error_name(rc) +
                          "; recompile it from its pack");
  }
  return DatabasePtr(db);
}

/// `magic`, the u64 little-endian length of `first`, `first`, `second`.
inline std::string join_blobs(const char (&magic)[8], const std::string& first,
                              const std::string& second) {
  std::string out(magic, sizeof magic);
  std::uint64_t len = first.size();
  for (int k = 0; k < 8; ++k) out += static_cast<char>((len >> (8 * k)) & 0xFF);
  return out + first + second;
}

/// Splits a slot written by join_blobs(magic, ...) into its first blob (left in `slot`) and
/// its second; a slot without the magic is left whole (and `second` untouched). `kind` names
/// the pair in errors ("regex", "literal").
inline void split_blobs(const char (&magic)[8], std::string_view& slot, std::string_view& second,
                        const std::string& origin, const char* kind) {
  constexpr std::size_t kHead = sizeof magic + 8;
  if (slot.size() < kHead || slot.compare(0, sizeof magic, std::string_view(magic, 8)) != 0)
    return;
  std::uint64_t len = 0;
  for (int k = 0; k < 8; ++k)
    len |= std::uint64_t(static_cast<unsigned char>(slot[sizeof magic + k])) << (8 * k);
  if (len == 0 || len >= slot.size() - kHead)
    throw EngineFileError(origin + ": corrupt engine file (bad " + kind + " database pair)");
  second = slot.substr(kHead + len);
  slot = slot.substr(kHead, len);
}

inline std::string join_regex_blobs(const std::string& regexes, const std::string& filter) {
  return join_blobs(kRegexPairMagic, regexes, filter);
}

/// Splits a block-regex slot into the regex database (left in `slot`) and the filter.
inline void split_regex_blobs(std::string_view& slot, std::string_view& filter,
                              const std::string& origin) {
  split_blobs(kRegexPairMagic, slot, filter, origin, "regex");
}

}  // namespace detail

struct CompiledRules {
  PatternTable table;
  ModeDatabases block;
  ModeDatabases stream;  ///< null databases when compiled without streaming
  bool streaming = false;

  static CompiledRules compile(const rules::Pack& pack, bool streaming) {
    CompiledRules c;
    c.table = build_pattern_table(pack);
    c.block = compile_mode(pack, c.table, HS_MODE_BLOCK);
    if (streaming) c.stream = compile_mode(pack, c.table, HS_MODE_STREAM);
    c.streaming = streaming;
    return c;
  }

  /// A scratch that serves every database here (the pool clones it).
  detail::ScratchPtr make_scratch() const {
    hs_scratch_t* s = nullptr;
    for (const hs_database_t* db : {block.literals.get(), block.word_literals.get(),
                                    block.regexes.get(), block.regex_filter.get(),
                                    stream.literals.get(), stream.regexes.get()})
      detail::reserve_scratch(db, s);
    return detail::ScratchPtr(s);
  }

  /// The four databases, serialised (empty strings for absent ones). The block regexes'
  /// filter travels in the block-regex slot (see detail::join_regex_blobs), the whole-word
  /// literals in the block-literal slot (detail::kLiteralPairMagic).
  std::array<std::string, 4> serialize() const {
    std::array<std::string, 4> out;
    const hs_database_t* dbs[4] = {block.literals.get(), block.regexes.get(),
                                   stream.literals.get(), stream.regexes.get()};
    for (int i = 0; i < 4; ++i) out[i] = detail::serialize_database(dbs[i]);
    if (block.regex_filter) {
      out[1] = detail::join_regex_blobs(out[1], detail::serialize_database(block.regex_filter.get()));
    }
    if (block.word_literals) {
      out[0] = detail::join_blobs(detail::kLiteralPairMagic, out[0],
                                  detail::serialize_database(block.word_literals.get()));
    }
    return out;
  }

  /// Rebuild from serialised databases; the pattern table is derived from the pack again, and
  /// each database must hold exactly the patterns the table expects.
  static CompiledRules deserialize(const rules::Pack& pack,
                                   const std::array<std::string_view, 4>& blobs, bool streaming,
                                   const std::string& origin) {
    CompiledRules c;
    c.streaming = streaming;
    c.table = build_pattern_table(pack);
    detail::DatabasePtr* slots[4] = {&c.block.literals, &c.block.regexes, &c.stream.literals,
                                     &c.stream.regexes};
    std::array<std::string_view, 4> parts = blobs;
    std::string_view filter, words;
    detail::split_regex_blobs(parts[1], filter, origin);
    detail::split_blobs(detail::kLiteralPairMagic, parts[0], words, origin, "literal");
    for (int i = 0; i < 4; ++i) *slots[i] = detail::deserialize_database(parts[i], origin);
    c.block.regex_filter = detail::deserialize_database(filter, origin);
    c.block.word_literals = detail::deserialize_database(words, origin);
    bool lits = c.table.literal_count > 0, res = c.table.regex_count() > 0;
    bool fits = bool(c.block.literals) == lits && bool(c.block.regexes) == res &&
                bool(c.stream.literals) == (lits && streaming) &&
                bool(c.stream.regexes) == (res && streaming);
    if (!fits) throw EngineFileError(origin + ": corrupt engine file (databases do not fit its pack)");
    return c;
  }
};

}  // namespace match
}  // namespace v1
}  // namespace vigil
