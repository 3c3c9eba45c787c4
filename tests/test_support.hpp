// Helpers shared by the engine tests.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/engine.hpp"
#include "vigil/score/json.hpp"

namespace vigil_test {

/// Compile a pack written inline.
inline std::shared_ptr<const vigil::Engine> engine_from(std::string_view toml,
                                                        bool streaming = true) {
  vigil::EngineOptions o;
  o.streaming = streaming;
  return vigil::Engine::compile(vigil::rules::load_pack_string(toml, "<test pack>"), o);
}

/// A pack "t" (version 1; review at 1.0, block at 8.0) of the given [[rule]] and
/// [[composite]] tables.
inline std::string pack_of(std::string_view tables) {
  return "[pack]\nname = \"t\"\nversion = \"1\"\n[policy]\nreview = 1.0\nblock = 8.0\n" +
         std::string(tables);
}

/// `s` as a TOML basic string (a JSON string is one).
inline std::string toml_string(std::string_view s) {
  std::string out;
  vigil::detail::append_json_string(out, s);
  return out;
}

/// A pack with one whole-word term rule "t" (weight 1, category "test").
inline std::string single_term_pack(std::string_view term) {
  return pack_of("[[rule]]\nid = \"t\"\ncategory = \"test\"\nweight = 1.0\nterms = [" +
                 toml_string(term) + "]\nfullword = true\n");
}

/// A pack with one regex rule `id` (weight 1, category "test").
inline std::string single_regex_pack(std::string_view id, std::string_view regex) {
  return pack_of("[[rule]]\nid = " + toml_string(id) +
                 "\ncategory = \"test\"\nweight = 1.0\nregex = " + toml_string(regex) + "\n");
}

/// Rule ids of a verdict's hits, in order.
inline std::vector<std::string> hit_rules(const vigil::Verdict& v) {
  std::vector<std::string> out;
  for (const auto& h : v.hits) out.push_back(h.rule);
  return out;
}

/// Scan `text` as a stream cut at the given offsets.
inline vigil::Verdict scan_in_chunks(const vigil::Engine& e, std::string_view text,
                                     const std::vector<std::size_t>& cuts) {
  auto s = e.open_stream();
  std::size_t prev = 0;
  for (std::size_t c : cuts) {
    s.write(text.substr(prev, c - prev));
    prev = c;
  }
  s.write(text.substr(prev));
  return s.finish();
}

}  // namespace vigil_test
