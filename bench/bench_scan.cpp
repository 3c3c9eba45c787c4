// End-to-end scan (normalise + match + score) against raw Hyperscan with the same terms and
// messages, plus compile and engine-load times.
#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <simdjson.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "vigil/default_pack.hpp"
#include "vigil/engine.hpp"

namespace {

struct Fixture {
  std::vector<std::string> terms = vigil_bench::terms(10000);
  std::string pack_toml = vigil_bench::pack_with_terms(terms);
  std::string text = vigil_bench::english_text();
  std::vector<std::string> kb = vigil_bench::messages(text, 1024, 4096);
  std::vector<std::string> tweets = vigil_bench::messages(text, 140, 16384);
  std::shared_ptr<const vigil::Engine> engine = vigil::Engine::compile(
      vigil::rules::load_pack_string(pack_toml), vigil::EngineOptions{false});
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

std::size_t total_bytes(const std::vector<std::string>& msgs) {
  std::size_t n = 0;
  for (const auto& m : msgs) n += m.size();
  return n;
}

/// Scans every message into one reused Verdict (Engine::scan(message, out)), as a service
/// scanning a stream of messages would; `fresh` scans into a new Verdict each time instead.
void scan_messages(benchmark::State& state, const vigil::Engine& engine,
                   const std::vector<std::string>& msgs, bool fresh = false) {
  std::size_t hits = 0;
  vigil::Verdict verdict;
  for (auto _ : state) {
    if (fresh) {
      for (const auto& m : msgs) hits += engine.scan(m).hits.size();
      continue;
    }
    for (const auto& m : msgs) {
      engine.scan(m, verdict);
      hits += verdict.hits.size();
    }
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(msgs)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * msgs.size()));
  state.counters["hits_per_msg"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations() * msgs.size());
}

void BM_VigilScan_10kTerms_1KB(benchmark::State& state) {
  scan_messages(state, *fixture().engine, fixture().kb);
}
void BM_VigilScan_10kTerms_140B(benchmark::State& state) {
  scan_messages(state, *fixture().engine, fixture().tweets);
}
void BM_VigilScan_10kTerms_140B_FreshVerdict(benchmark::State& state) {
  scan_messages(state, *fixture().engine, fixture().tweets, true);
}
void BM_VigilScan_DefaultPack_140B(benchmark::State& state) {
  static auto engine = vigil::default_engine(vigil::EngineOptions{false});
  scan_messages(state, *engine, fixture().tweets);
}

/// The messages of the JSONL file named by $VIGIL_BENCH_JSONL (see cli_throughput.py), so the
/// library and the CLI are timed on the same input.
void BM_VigilScan_DefaultPack_JsonlFile(benchmark::State& state) {
  const char* path = std::getenv("VIGIL_BENCH_JSONL");
  if (path == nullptr) {
    state.SkipWithError("set VIGIL_BENCH_JSONL to a JSONL file");
    return;
  }
  static auto engine = vigil::default_engine(vigil::EngineOptions{false});
  std::vector<std::string> msgs;
  simdjson::ondemand::parser parser;
  auto json = simdjson::padded_string::load(path);
  simdjson::ondemand::document_stream docs = parser.iterate_many(json.value());
  for (auto doc : docs) msgs.emplace_back(std::string_view(doc["text"]));
  scan_messages(state, *engine, msgs);
}

int count_match(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

/// The peer: the same normalised terms as literals in one Hyperscan block database (literal
/// API, CASELESS), scanning the raw messages and counting every match: no normalisation, no
/// word boundaries, no scoring. What a caller gets from Hyperscan alone; it reports substring
/// matches too ("ring" in "bring"). vigil scans the normalised text instead; for ASCII normal
/// forms it uses literals padded with spaces (match::ModeDatabases::word_literals), so
/// Hyperscan reports only whole-word matches there.
void raw_hyperscan(benchmark::State& state, const std::vector<std::string>& msgs) {
  const auto& table = fixture().engine->patterns();
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids, flags;
  for (std::size_t i = 0; i < table.literal_count; ++i) {
    exprs.push_back(table.patterns[i].expression.data());
    lens.push_back(table.patterns[i].expression.size());
    ids.push_back(static_cast<unsigned>(i));
    flags.push_back(HS_FLAG_CASELESS);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    state.SkipWithError("compile failed");
    return;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::size_t hits = 0;
  for (auto _ : state) {
    for (const auto& m : msgs)
      hs_scan(db, m.data(), static_cast<unsigned>(m.size()), 0, scratch, count_match, &hits);
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(msgs)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * msgs.size()));
  hs_free_scratch(scratch);
  hs_free_database(db);
}

void BM_RawHyperscan_10kTerms_1KB(benchmark::State& state) { raw_hyperscan(state, fixture().kb); }
void BM_RawHyperscan_10kTerms_140B(benchmark::State& state) {
  raw_hyperscan(state, fixture().tweets);
}

void BM_Compile_10kTerms(benchmark::State& state) {
  for (auto _ : state) {
    auto e = vigil::Engine::compile(vigil::rules::load_pack_string(fixture().pack_toml),
                                    vigil::EngineOptions{false});
    benchmark::DoNotOptimize(e);
  }
}

void BM_LoadEngine_10kTerms(benchmark::State& state) {
  std::string bytes = fixture().engine->serialize();
  for (auto _ : state) {
    auto e = vigil::Engine::deserialize(bytes);
    benchmark::DoNotOptimize(e);
  }
  state.counters["file_bytes"] = static_cast<double>(bytes.size());
}

}  // namespace

BENCHMARK(BM_VigilScan_10kTerms_1KB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RawHyperscan_10kTerms_1KB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VigilScan_10kTerms_140B)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RawHyperscan_10kTerms_140B)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VigilScan_10kTerms_140B_FreshVerdict)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VigilScan_DefaultPack_140B)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VigilScan_DefaultPack_JsonlFile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Compile_10kTerms)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_LoadEngine_10kTerms)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
