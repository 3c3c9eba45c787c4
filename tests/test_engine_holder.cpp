// Limits and hot reload: oversized messages, floods of matches, pathological regexes, and
// reloads that fail at each step leaving the previous engine serving.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "vigil/engine_holder.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/scanner.hpp"

using vigil_test::engine_from;
using vigil_test::single_term_pack;

namespace {

std::string write_file(const std::string& name, const std::string& content) {
  std::ofstream(name, std::ios::binary) << content;
  return name;
}

}  // namespace

TEST_CASE("a message over the size limit is refused with both sizes named") {
  vigil::EngineOptions o;
  o.max_message_bytes = 100;
  auto e = vigil::Engine::compile(vigil::rules::load_pack_string(single_term_pack("x1")), o);
  CHECK_NOTHROW(e->scan(std::string(100, 'a')));
  try {
    e->scan(std::string(101, 'a'));
    FAIL("expected a MatchError");
  } catch (const vigil::match::MatchError& err) {
    CHECK(std::string(err.what()).find("101 bytes exceeds the limit of 100") != std::string::npos);
  }
}

TEST_CASE("a flood of matches is cut at max_matches and the verdict says so") {
  vigil::EngineOptions o;
  o.max_matches = 10;
  auto e = vigil::Engine::compile(vigil::rules::load_pack_string(single_term_pack("spam")), o);
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "spam ";
  auto v = e->scan(text);
  CHECK(v.truncated);
  CHECK_FALSE(e->scan("spam spam").truncated);
  auto s = e->open_stream();
  for (int i = 0; i < 100; ++i) s.write(text);
  CHECK(s.finish().truncated);
}

TEST_CASE("a regex that backtracks exponentially elsewhere scans long input in one pass") {
  auto e = engine_from(
      "[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nreview = 1.0\nblock = 8.0\n"
      "[[rule]]\nid = \"evil\"\ncategory = \"x\"\nregex = \"(ab|a|b)+c$\"\n");
  std::string text;
  for (int i = 0; i < 1 << 20; ++i) text += "ab";
  CHECK(e->scan(text).hits.empty());  // would not finish with a backtracking engine
  CHECK(e->scan(text + "c").hits.size() == 1);
}

TEST_CASE("a failed reload leaves the previous engine serving, at every step") {
  vigil::EngineHolder holder(engine_from(single_term_pack("alpha")));
  auto first = holder.current();
  std::string bad_pack = write_file("holder-bad.toml", single_term_pack("beta") + "oops = 1\n");
  CHECK_THROWS_AS(holder.reload_pack_file(bad_pack), vigil::rules::PackError);
  CHECK_THROWS_AS(holder.reload_pack_file("holder-missing.toml"), vigil::rules::PackError);
  std::string bytes = engine_from(single_term_pack("beta"))->serialize();
  std::string corrupt = bytes;
  corrupt[corrupt.size() / 2] ^= 1;
  write_file("holder-corrupt.vgl", corrupt);
  CHECK_THROWS_AS(holder.reload_engine_file("holder-corrupt.vgl"), vigil::EngineFileError);
  write_file("holder-truncated.vgl", bytes.substr(0, bytes.size() / 3));
  CHECK_THROWS_AS(holder.reload_engine_file("holder-truncated.vgl"), vigil::EngineFileError);
  CHECK(holder.current() == first);
  CHECK(holder.current()->scan("alpha").hits.size() == 1);
  write_file("holder-good.vgl", bytes);
  holder.reload_engine_file("holder-good.vgl");
  CHECK(holder.current()->scan("beta").hits.size() == 1);
  for (const char* f : {"holder-bad.toml", "holder-corrupt.vgl", "holder-truncated.vgl",
                        "holder-good.vgl"})
    std::remove(f);
}

TEST_CASE("scans running while the engine is swapped each get the old or the new verdict") {
  auto a = engine_from(single_term_pack("alpha"));
  auto b = engine_from(single_term_pack("beta"));
  vigil::EngineHolder holder(a);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, scans{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      while (!stop) {
        auto engine = holder.current();
        auto v = engine->scan("alpha beta");
        bool ok = v.hits.size() == 1 && v.hits[0].text == (engine == a ? "alpha" : "beta");
        if (!ok) ++bad;
        ++scans;
      }
    });
  }
  for (int i = 0; i < 100; ++i) {
    holder.swap(i % 2 ? a : b);
    std::this_thread::yield();
  }
  while (scans == 0) std::this_thread::yield();  // slow builds (sanitizers) may not have begun
  stop = true;
  for (auto& w : workers) w.join();
  CHECK(bad == 0);
  CHECK(scans > 0);
}

TEST_CASE("a reload that fails in the Hyperscan compile step leaves the previous engine") {
  vigil::EngineHolder holder(engine_from(single_term_pack("alpha")));
  auto first = holder.current();
  // Each regex passes the pack checks; together they exceed Hyperscan's resource limit.
  write_file("holder-heavy.toml",
             "[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nreview = 1.0\nblock = 8.0\n"
             "[[rule]]\nid = \"heavy\"\ncategory = \"x\"\nregex = \"x{10000}y{10000}\"\n");
  // Hyperscan names no expression for it; the error still names the rule, file and line.
  CHECK_THROWS_WITH_AS(holder.reload_pack_file("holder-heavy.toml"),
                       doctest::Contains("holder-heavy.toml:7: rule 'heavy': regex 'x{10000}y{10000}' "
                                         "cannot be compiled"),
                       vigil::rules::PackError);
  // A terms file whose last line is bad, after many good ones: refused, naming that line.
  {
    std::ofstream terms("holder-terms.txt", std::ios::binary);
    for (int i = 0; i < 20000; ++i) terms << "term" << i << "\n";
    terms << "bad \xC3\x28 utf8\n";
  }
  write_file("holder-terms.toml", single_term_pack("beta") + "[[rule]]\nid = \"many\"\n"
                                  "category = \"x\"\nterms_file = \"holder-terms.txt\"\n");
  try {
    holder.reload_pack_file("holder-terms.toml");
    FAIL("expected a PackError");
  } catch (const vigil::rules::PackError& e) {
    CHECK(e.where().line == 20001);
    CHECK(e.rule_id() == "many");
    CHECK(std::string(e.what()).find("holder-terms.txt") != std::string::npos);
  }
  CHECK(holder.current() == first);
  CHECK(holder.current()->scan("alpha").hits.size() == 1);
  for (const char* f : {"holder-heavy.toml", "holder-terms.txt", "holder-terms.toml"}) std::remove(f);
}

TEST_CASE("an engine file damaged or cut anywhere is refused and the previous engine serves") {
  vigil::EngineHolder holder(engine_from(single_term_pack("alpha")));
  auto first = holder.current();
  const std::string bytes = engine_from(single_term_pack("beta"))->serialize();
  REQUIRE(bytes.size() > 200);
  // Magic, version and length fields near the start, the pack and databases in the middle, the
  // end of the data, and the SHA-256 trailer.
  std::vector<std::size_t> offsets = {0, 4, 8, 12, 16, 24, 32, 48, 64, bytes.size() / 4,
                                      bytes.size() / 2, 3 * bytes.size() / 4, bytes.size() - 33,
                                      bytes.size() - 32, bytes.size() - 1};
  int refused = 0;
  for (std::size_t at : offsets) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x40);
    write_file("holder-damaged.vgl", damaged);
    CHECK_THROWS_AS(holder.reload_engine_file("holder-damaged.vgl"), vigil::EngineFileError);
    write_file("holder-damaged.vgl", bytes.substr(0, at));
    CHECK_THROWS_AS(holder.reload_engine_file("holder-damaged.vgl"), vigil::EngineFileError);
    refused += 2;
  }
  CHECK(refused == 2 * static_cast<int>(offsets.size()));
  CHECK_THROWS_AS(vigil::Engine::deserialize(bytes + "x", "<extra byte>"), vigil::EngineFileError);
  CHECK(holder.current() == first);
  CHECK(holder.current()->scan("alpha beta").hits.size() == 1);
  write_file("holder-damaged.vgl", bytes);
  holder.reload_engine_file("holder-damaged.vgl");  // the undamaged file loads
  CHECK(holder.current()->scan("alpha beta").hits[0].text == "beta");
  std::remove("holder-damaged.vgl");
}

namespace {

std::string json_of(const vigil::Verdict& v) {
  std::string s;
  vigil::append_verdict_json(s, v, "id", "1");
  return s;
}

std::string sha256_of(const std::string& s) {
  return vigil::hash::digest_hex(vigil::hash::DigestKind::sha256, s);
}

/// A bank file of `n` good SHA-256 lines (of "message i") followed by `last`.
std::string big_bank(int n, const std::string& last) {
  std::string text = "# known content\n";
  for (int i = 0; i < n; ++i) text += "sha256 " + sha256_of("message " + std::to_string(i)) + " m\n";
  return text + last;
}

}  // namespace

TEST_CASE("a bank load that fails on the last line of a big file changes nothing") {
  auto banks = std::make_shared<vigil::ScanBanks>();
  banks->load_text("sha256 " + sha256_of("known message") + " known\n", "known",
                   vigil::BankAction::block);
  const auto scanner = vigil::Scanner::create(engine_from(single_term_pack("alpha")), banks);
  const std::string before = json_of(scanner->scan_text("known message"));
  REQUIRE(scanner->scan_text("known message").bank_hits.size() == 1);
  const std::string bad_lines[] = {
      "sha256 " + std::string(63, 'a') + " short\n",  // a hash one digit short
      "sha256 " + sha256_of("x") + ",\"unterminated\n",
      "md5x " + std::string(32, 'a') + "\n",  // an unknown signal type
  };
  for (const std::string& last : bad_lines) {
    write_file("holder-bank.txt", big_bank(50000, last));
    try {
      banks->load_file("holder-bank.txt", vigil::BankAction::block);  // into the served banks
      FAIL("expected a BankFileError");
    } catch (const vigil::bank::BankFileError& e) {
      CHECK(e.line() == 50002);
      CHECK(e.file() == "holder-bank.txt");
    }
  }
  // Good lines, but a bank that exists with another action: refused once all is parsed.
  write_file("holder-bank.txt", "hash,bank,signal_type\n" + sha256_of("y") + ",known,sha256\n");
  CHECK_THROWS_AS(banks->load_file("holder-bank.txt", vigil::BankAction::allow), vigil::bank::BankError);
  REQUIRE(banks->size() == 1);
  CHECK(banks->set().at(0).size() == 1);
  CHECK(json_of(scanner->scan_text("known message")) == before);
  CHECK(scanner->scan_text("message 7").bank_hits.empty());
  write_file("holder-bank.txt", big_bank(50000, ""));
  banks->load_file("holder-bank.txt", vigil::BankAction::block);  // the good file loads whole
  CHECK(banks->set().find("holder-bank")->size() == 50000);
  CHECK(scanner->scan_text("message 7").bank_hits.size() == 1);
  std::remove("holder-bank.txt");
}
