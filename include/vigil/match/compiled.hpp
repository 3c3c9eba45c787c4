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
    for (const hs_database_t* db : {block.literals.get(), block.regexes.get(),
                                    stream.literals.get(), stream.regexes.get()})
      detail::reserve_scratch(db, s);
    return detail::ScratchPtr(s);
  }

  /// The four databases, serialised (empty strings for absent ones).
  std::array<std::string, 4> serialize() const {
    std::array<std::string, 4> out;
    const hs_database_t* dbs[4] = {block.literals.get(), block.regexes.get(),
                                   stream.literals.get(), stream.regexes.get()};
    for (int i = 0; i < 4; ++i) {
      if (dbs[i] == nullptr) continue;
      char* bytes = nullptr;
      std::size_t len = 0;
      detail::check_hs(hs_serialize_database(dbs[i], &bytes, &len), "serialising a database");
      out[i].assign(bytes, len);
      std::free(bytes);
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
    for (int i = 0; i < 4; ++i) {
      if (blobs[i].empty()) continue;
      hs_database_t* db = nullptr;
      hs_error_t rc = hs_deserialize_database(blobs[i].data(), blobs[i].size(), &db);
      if (rc != HS_SUCCESS) {
        throw EngineFileError(origin + ": cannot load its Hyperscan database: " +
                              detail::hs_error_name(rc) + "; recompile it from its pack");
      }
      slots[i]->reset(db);
    }
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
