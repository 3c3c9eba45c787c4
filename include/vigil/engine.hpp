// vigil: the engine facade: a compiled pack -> scan text (whole or streamed) -> Verdict.
//
// An Engine is immutable once built and may be shared by any number of threads; per-scan
// state comes from an internal pool. Hold it by std::shared_ptr<const Engine>; hot reload is
// swapping that pointer (see EngineHolder), and scans in flight finish on the engine they
// started with.
#pragma once

#include <hs/hs.h>

#include <climits>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "vigil/engine/file_format.hpp"
#include "vigil/engine/pool.hpp"
#include "vigil/match/compiled.hpp"
#include "vigil/rules/pack.hpp"
#include "vigil/score/scorer.hpp"
#include "vigil/score/verdict.hpp"

namespace vigil {
inline namespace v1 {

struct EngineOptions {
  /// Also compile streaming databases (needed by open_stream(); roughly doubles compile time).
  bool streaming = true;
  /// Largest message scan() accepts (bytes); larger ones are refused with a MatchError rather
  /// than normalised into an unbounded buffer. Streams have no total limit: they hold a window.
  std::uint64_t max_message_bytes = std::uint64_t(1) << 30;
  /// Matches recorded per scan; past it further matches are not recorded (bounded memory on
  /// floods of hits) and the verdict says `truncated`. Whole-word terms in ASCII text count only
  /// where they stand as whole words (elsewhere also where they sit inside a longer word).
  std::size_t max_matches = std::size_t(1) << 20;
};

class Stream;

class Engine : public std::enable_shared_from_this<Engine> {
  struct Private {};

 public:
  /// Compile a loaded pack. Throws rules::PackError for terms or regexes the matcher refuses.
  static std::shared_ptr<const Engine> compile(rules::Pack pack, EngineOptions options = {}) {
    auto compiled = match::CompiledRules::compile(pack, options.streaming);
    return std::make_shared<const Engine>(Private{}, std::move(pack), std::move(compiled),
                                          options);
  }
  static std::shared_ptr<const Engine> from_pack_file(const std::string& path,
                                                      EngineOptions options = {}) {
    return compile(rules::load_pack_file(path), options);
  }

  /// Load a serialised engine (from serialize()). Throws EngineFileError for a file that is
  /// not an engine, corrupt, truncated, or built by another Hyperscan version or platform.
  static std::shared_ptr<const Engine> deserialize(std::string_view bytes,
                                                   const std::string& origin = "<engine>",
                                                   EngineOptions options = {}) {
    EngineFileParts parts = read_engine_file(bytes, origin);
    if (parts.hs_version != hs_version()) {
      throw EngineFileError(origin + ": built with Hyperscan " + std::string(parts.hs_version) +
                            ", this library uses " + hs_version() + "; recompile it from its pack");
    }
    if (parts.platform != detail::platform_tag()) {
      throw EngineFileError(origin + ": built for " + std::string(parts.platform) +
                            ", this machine is " + detail::platform_tag());
    }
    rules::Pack pack = rules::load_pack_string(parts.pack_source, origin + " (embedded pack)");
    if (pack.hash != parts.pack_hash)
      throw EngineFileError(origin + ": corrupt engine file (pack hash mismatch)");
    bool streaming = (parts.flags & 1u) != 0;
    auto compiled = match::CompiledRules::deserialize(pack, parts.databases, streaming, origin);
    options.streaming = streaming;
    return std::make_shared<const Engine>(Private{}, std::move(pack), std::move(compiled),
                                          options);
  }
  static std::shared_ptr<const Engine> load(const std::string& path, EngineOptions options = {}) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineFileError(path + ": cannot open engine file");
    std::ostringstream buf;
    buf << in.rdbuf();
    return deserialize(buf.str(), path, options);
  }

  /// The engine file bytes: pack, databases, and what built them.
  std::string serialize() const {
    auto dbs = compiled_.serialize();
    EngineFileParts parts;
    parts.flags = compiled_.streaming ? 1u : 0u;
    std::string hs = hs_version(), platform = detail::platform_tag();
    parts.hs_version = hs;
    parts.platform = platform;
    parts.pack_hash = pack_.hash;
    parts.pack_source = pack_.canonical_source;
    for (int i = 0; i < 4; ++i) parts.databases[i] = dbs[i];
    return write_engine_file(parts);
  }
  /// Write serialize() to `path` atomically (a temporary file renamed over it).
  void save(const std::string& path) const;

  /// Scan one whole message. Thread-safe.
  Verdict scan(std::string_view message) const {
    Verdict v;
    scan(message, v);
    return v;
  }

  /// The same into `out`, reusing its storage: its vectors and strings keep their capacity,
  /// so scanning many messages into one Verdict (a loop, a batch slot) allocates next to
  /// nothing. Every field of `out` is overwritten (bank_hits emptied). Throws as scan() does,
  /// before touching `out` when the message is too large; after another failure `out` is valid
  /// but unspecified.
  void scan(std::string_view message, Verdict& out) const {
    scan(message, out, [](std::string_view) {});
  }

  /// The same, and `inspect(normalized)` reads the message's normalised text (valid only during
  /// the call) — to fingerprint it (scanner.hpp) without normalising twice.
  template <class Inspect, class = std::enable_if_t<std::is_invocable_v<Inspect&, std::string_view>>>
  Verdict scan(std::string_view message, Inspect&& inspect) const {
    Verdict v;
    scan(message, v, inspect);
    return v;
  }

  /// scan(message, out) with `inspect` as above.
  template <class Inspect>
  void scan(std::string_view message, Verdict& out, Inspect&& inspect) const {
    if (message.size() > options_.max_message_bytes || message.size() > UINT_MAX) {
      throw match::MatchError("message of " + std::to_string(message.size()) +
                              " bytes exceeds the limit of " +
                              std::to_string(options_.max_message_bytes) + " bytes");
    }
    auto state = pool_.acquire();
    text::normalize(message, state->normalized);
    state->raw.clear();
    state->collector.clear();
    const std::string& t = state->normalized.text;
    inspect(std::string_view(t));
    match::detail::MatchSink sink{&compiled_.table, &state->raw, options_.max_matches};
    state->collector.set_ascii(scan_block(t, *state, sink));
    for (const match::RawMatch& m : state->raw)
      state->collector.offer(compiled_.table, m, state->normalized, message, 0, true, true);
    scorer_.score(state->collector.finish(), state->normalized.invalid_bytes, message, 0,
                  state->score, out);
    out.truncated = sink.dropped > 0;
  }

  /// Start scanning a message that arrives in chunks. Requires EngineOptions::streaming.
  Stream open_stream() const;

  const rules::Pack& pack() const { return pack_; }
  const match::PatternTable& patterns() const { return compiled_.table; }
  bool supports_streaming() const { return compiled_.streaming; }
  const EngineOptions& options() const { return options_; }

  Engine(Private, rules::Pack pack, match::CompiledRules compiled, EngineOptions options)
      : pack_(std::move(pack)),
        compiled_(std::move(compiled)),
        options_(options),
        scorer_(pack_),
        pool_(compiled_.make_scratch()) {}
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

 private:
  friend class Stream;

  /// Hyperscan over a whole normalised message; the matches go to `sink`. Returns whether the
  /// text was found to be ASCII.
  bool scan_block(const std::string& t, detail::ScanState& state,
                  match::detail::MatchSink& sink) const {
    const match::ModeDatabases& dbs = compiled_.block;
    const auto length = static_cast<unsigned>(t.size());
    hs_scratch_t* scratch = state.scratch.get();
    // ASCII text (most messages) goes to the whole-word literal database, padded with spaces.
    const bool ascii = dbs.word_literals && length < UINT_MAX - 2 &&
                       match::detail::pad_if_ascii(t, state.padded);
    if (ascii) {
      match::detail::check_hs_scan(hs_scan(dbs.word_literals.get(), state.padded.data(),
                                           length + 2, 0, scratch,
                                           match::detail::record_word_match, &sink));
    } else if (dbs.literals) {
      match::detail::check_hs_scan(hs_scan(dbs.literals.get(), t.data(), length, 0, scratch,
                                           match::detail::record_match, &sink));
    }
    // The regexes (start tracking makes them the costly part) only when their filter matches.
    const hs_database_t* filter = dbs.regex_filter.get();
    if (dbs.regexes != nullptr &&
        (filter == nullptr || match::detail::any_match(filter, t.data(), length, scratch))) {
      match::detail::check_hs_scan(hs_scan(dbs.regexes.get(), t.data(), length, 0, scratch,
                                           match::detail::record_match, &sink));
    }
    return ascii;
  }

  rules::Pack pack_;
  match::CompiledRules compiled_;
  EngineOptions options_;
  score::Scorer scorer_;
  mutable detail::ScanStatePool pool_;
};

}  // namespace v1
}  // namespace vigil

#include "vigil/engine/stream.hpp"
