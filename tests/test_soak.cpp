// Soak: 8 threads scan a mixed corpus while another thread swaps engines (two packs, in turn)
// and publishes ever larger hash banks. Every verdict must equal the single-threaded reference
// for the engine and bank it was scanned with: nothing lost, nothing different.
// Runs for VIGIL_SOAK_SECONDS (default 15); tests/sanitize/run also runs it under TSan.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "vigil/default_pack.hpp"
#include "vigil/engine_holder.hpp"
#include "vigil/scanner.hpp"

#ifndef VIGIL_SHARED_DIR
#define VIGIL_SHARED_DIR "../shared"
#endif

namespace {

using Clock = std::chrono::steady_clock;

double soak_seconds() {
  const char* s = std::getenv("VIGIL_SOAK_SECONDS");
  double v = s ? std::atof(s) : 15.0;
  return v > 0 ? v : 15.0;
}

void add_eval_texts(const std::string& file, std::vector<std::string>& out) {
  std::ifstream in(std::string(VIGIL_SHARED_DIR) + "/eval/" + file);
  REQUIRE_MESSAGE(in.good(), "cannot read " << VIGIL_SHARED_DIR << "/eval/" << file);
  simdjson::ondemand::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    simdjson::padded_string json(line);
    auto doc = parser.iterate(json);
    out.emplace_back(std::string_view(doc["text"]));
  }
}

void add_fortunes(const std::string& file, std::vector<std::string>& out) {
  std::ifstream in("/usr/share/games/fortunes/" + file);
  std::string line, cur;
  while (std::getline(in, line)) {
    if (line == "%") {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += line + "\n";
    }
  }
}

/// Eval texts, real prose, prose with extremist text planted in it, invalid UTF-8, and a few
/// long messages; duplicates removed so each message has its own bank entry.
std::vector<std::string> soak_corpus() {
  std::vector<std::string> eval, prose;
  add_eval_texts("dev.jsonl", eval);
  add_eval_texts("evasions.jsonl", eval);
  for (const char* f : {"computers", "politics", "science", "wisdom"}) add_fortunes(f, prose);
  if (prose.empty()) MESSAGE("no fortunes under /usr/share/games/fortunes: eval texts only");
  std::vector<std::string> all = eval;
  for (std::size_t i = 0; i < prose.size(); ++i) {
    std::string p = prose[i];
    if (i % 7 == 3) p.insert(p.size() / 2, " " + eval[i % eval.size()] + " ");
    if (i % 29 == 5) p.insert(p.size() / 3, "\xff\xc3\x28\xe2\x82");
    all.push_back(std::move(p));
  }
  for (std::size_t k = 0; k < 4 && !prose.empty(); ++k) {
    std::string big;
    for (std::size_t i = k; big.size() < 48 * 1024; i += 13) {
      big += prose[i % prose.size()];
      big += eval[i % eval.size()];
    }
    all.push_back(std::move(big));
  }
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (auto& m : all)
    if (seen.insert(m).second) out.push_back(std::move(m));
  return out;
}

std::string json_of(const vigil::Verdict& v) {
  std::string s;
  vigil::append_verdict_json(s, v, "id", "0");
  return s;
}

/// Stream cuts every 61 bytes: a split inside words and UTF-8 sequences.
std::vector<std::size_t> cuts_for(const std::string& m) {
  std::vector<std::size_t> cuts;
  for (std::size_t c = 61; c < m.size(); c += 61) cuts.push_back(c);
  return cuts;
}

/// A bank holding the SHA-256 of the first `n` messages in `order`.
std::shared_ptr<const vigil::ScanBanks> bank_of(const std::vector<std::string>& digests,
                                                const std::vector<std::size_t>& order,
                                                std::size_t n) {
  auto banks = std::make_shared<vigil::ScanBanks>();
  vigil::bank::Bank b("soak", vigil::bank::SignalType::sha256);
  for (std::size_t i = 0; i < n; ++i) b.add(digests[order[i]], "m" + std::to_string(order[i]));
  banks->add_bank(std::move(b), vigil::BankAction::block);
  return banks;
}

/// The current banks, swapped as EngineHolder swaps engines.
class BanksSlot {
 public:
  explicit BanksSlot(std::shared_ptr<const vigil::ScanBanks> b) : banks_(std::move(b)) {}
  std::shared_ptr<const vigil::ScanBanks> get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return banks_;
  }
  void set(std::shared_ptr<const vigil::ScanBanks> b) {
    std::lock_guard<std::mutex> lock(mutex_);
    banks_.swap(b);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const vigil::ScanBanks> banks_;
};

}  // namespace

TEST_CASE("soak: 8 threads scan while engines swap and banks grow; every verdict matches") {
  const std::vector<std::string> corpus = soak_corpus();
  const std::size_t count = corpus.size();
  REQUIRE(count >= 70);
  const std::shared_ptr<const vigil::Engine> engines[2] = {
      vigil::default_engine(),
      vigil::Engine::from_pack_file(std::string(VIGIL_TEST_DATA_DIR) + "/packs/full.toml")};

  // Bank entries are added in a scrambled order; pos[m] is when message m joins the bank.
  std::vector<std::string> digests(count);
  std::vector<std::size_t> order(count), pos(count);
  for (std::size_t m = 0; m < count; ++m) {
    digests[m] = vigil::hash::digest_hex(vigil::hash::DigestKind::sha256, corpus[m]);
    order[m] = (m * 7919) % count;
  }
  if (count % 7919 == 0) std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = 0; i < count; ++i) pos[order[i]] = i;

  // The single-threaded reference: per engine, with no bank hit, with the bank hit, streamed.
  auto empty = bank_of(digests, order, 0), full = bank_of(digests, order, count);
  std::vector<std::string> without[2], with[2], streamed[2];
  for (int e = 0; e < 2; ++e) {
    auto s0 = vigil::Scanner::create(engines[e], empty), s1 = vigil::Scanner::create(engines[e], full);
    for (std::size_t m = 0; m < count; ++m) {
      without[e].push_back(json_of(s0->scan_text(corpus[m])));
      with[e].push_back(json_of(s1->scan_text(corpus[m])));
      streamed[e].push_back(
          json_of(vigil_test::scan_in_chunks(*engines[e], corpus[m], cuts_for(corpus[m]))));
      REQUIRE_MESSAGE(with[e][m] != without[e][m], "message " << m << " has no bank hit");
    }
  }
  std::size_t flagged = 0;
  for (const auto& j : without[0]) flagged += j.find("\"verdict\":\"allow\"") == std::string::npos;

  vigil::EngineHolder holder(engines[0]);
  BanksSlot banks(empty);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> started{0}, finished{0}, bank_hits{0}, streams{0};
  std::atomic<int> mismatches{0}, errors{0};
  std::mutex first_mutex;
  std::string first_problem;
  auto report = [&](std::string what) {
    std::lock_guard<std::mutex> lock(first_mutex);
    if (first_problem.empty()) first_problem = std::move(what);
  };

  std::vector<std::atomic<std::uint32_t>> seen(count);  // scans per message
  std::vector<std::uint64_t> per_thread(8);
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      std::size_t m = (count / 8) * t;
      while (!stop.load(std::memory_order_relaxed)) {
        m = (m + 1) % count;
        ++started;
        ++seen[m];
        ++per_thread[t];
        try {
          auto engine = holder.current();
          const int e = engine == engines[0] ? 0 : 1;
          std::string got, want;
          if (t % 4 == 3) {  // two threads stream (no banks on streams)
            got = json_of(vigil_test::scan_in_chunks(*engine, corpus[m], cuts_for(corpus[m])));
            want = streamed[e][m];
            ++streams;
          } else {
            auto b = banks.get();
            const std::size_t n = b->set().at(0).size();
            got = json_of(vigil::Scanner::create(engine, b)->scan_text(corpus[m]));
            want = pos[m] < n ? with[e][m] : without[e][m];
            if (pos[m] < n) ++bank_hits;
          }
          if (got != want) {
            ++mismatches;
            report("message " + std::to_string(m) + " engine " + std::to_string(e) + ": got " +
                   got.substr(0, 300) + " want " + want.substr(0, 300));
          }
        } catch (const std::exception& ex) {
          ++errors;
          report(std::string("exception: ") + ex.what());
        }
        ++finished;
      }
    });
  }

  // Swap engines and publish a larger bank about 250 times over the run (at least 100 swaps).
  const double seconds = soak_seconds();
  const auto start = Clock::now();
  const auto interval = std::chrono::microseconds(static_cast<long>(seconds * 1e6 / 250));
  int swaps = 0, generations = 0;
  while (Clock::now() - start < std::chrono::duration<double>(seconds) || swaps < 100) {
    std::this_thread::sleep_for(interval);
    holder.swap(engines[(swaps + 1) % 2]);
    ++swaps;
    const std::size_t n = std::min(count, (swaps * count) / 200);
    if (n != banks.get()->set().at(0).size()) {
      banks.set(bank_of(digests, order, n));
      ++generations;
    }
  }
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::printf("soak: %.1f s, %zu messages (%zu flagged by the default pack), %llu scans "
              "(%llu streamed, %llu with a bank hit), %d engine swaps, %d bank generations, "
              "%d mismatches, %d errors\n",
              elapsed, count, flagged, static_cast<unsigned long long>(finished.load()),
              static_cast<unsigned long long>(streams.load()),
              static_cast<unsigned long long>(bank_hits.load()), swaps, generations,
              mismatches.load(), errors.load());
  CHECK_MESSAGE(mismatches == 0, first_problem);
  CHECK_MESSAGE(errors == 0, first_problem);
  CHECK(started == finished);  // nothing lost
  const auto unscanned = std::count(seen.begin(), seen.end(), 0u);
  // Thread t starts at message t*count/8 and walks on: once each has walked an eighth, all
  // messages have been scanned.
  if (*std::min_element(per_thread.begin(), per_thread.end()) > count / 8) CHECK(unscanned == 0);
  CHECK(finished > count);
  CHECK(swaps >= 100);
  CHECK(generations >= 100);
  CHECK(bank_hits > 0);
}
