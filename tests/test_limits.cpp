// Limits on untrusted packs and banks (each failure names the file, line, rule and limit), and
// linear-time scanning of inputs that make backtracking regex engines explode.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "test_support.hpp"
#include "vigil/bank/bank_file.hpp"
#include "vigil/scanner.hpp"

using vigil::rules::PackError;
using vigil::rules::PackLimits;

namespace {

const std::string kHead =
    "[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nreview = 1.0\nblock = 8.0\n";  // 6 lines

std::string rule(const std::string& id, const std::string& body) {
  return "[[rule]]\nid = \"" + id + "\"\ncategory = \"c\"\n" + body + "\n";
}

PackError pack_error(const std::string& text, const PackLimits& limits,
                     const std::string& base_dir = ".") {
  try {
    vigil::rules::load_pack_string(text, "limits.toml", base_dir, limits);
  } catch (const PackError& e) {
    return e;
  }
  FAIL("the pack loaded; expected a PackError");
  return PackError({}, {}, {});
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

const std::string kMd5a = "0cc175b9c0f1b6a831c399e269772661";
const std::string kMd5b = "92eb5ffee6ae2fec3ad71c777531578f";
const std::string kMd5c = "4a8a08f09d37b73795649038408b5f33";

}  // namespace

TEST_CASE("limits: too many rules and composites name the first rule over the limit") {
  PackLimits l;
  l.max_rules = 2;
  const std::string two = kHead + rule("a", "terms = [\"x\"]") + rule("b", "terms = [\"y\"]");
  CHECK(vigil::rules::load_pack_string(two, "t", ".", l).rules.size() == 2);
  const PackError e = pack_error(two + rule("c", "terms = [\"z\"]"), l);
  CHECK(e.where().file == "limits.toml");
  CHECK(e.where().line == 15);  // the third [[rule]] header
  CHECK(contains(e.reason(), "3 rules and composites"));
  CHECK(contains(e.reason(), "PackLimits::max_rules"));
  const PackError c =
      pack_error(two + "[[composite]]\nid = \"k\"\ncategory = \"c\"\nexpr = \"a & b\"\n", l);
  CHECK(c.where().line == 15);
  CHECK(contains(c.reason(), "the limit is 2"));
}

TEST_CASE("limits: terms per rule, terms per pack and regexes per pack") {
  PackLimits l;
  l.max_terms_per_rule = 3;
  l.max_terms = 5;
  l.max_regexes = 2;
  const PackError per_rule = pack_error(kHead + rule("big", "terms = [\"a\", \"b\", \"c\", \"d\"]"), l);
  CHECK(per_rule.rule_id() == "big");
  CHECK(per_rule.where().line == 10);
  CHECK(contains(per_rule.reason(), "rule has 4 terms"));
  CHECK(contains(per_rule.reason(), "max_terms_per_rule"));
  const PackError per_pack = pack_error(kHead + rule("a", "terms = [\"a\", \"b\", \"c\"]") +
                                            rule("b", "terms = [\"d\", \"e\", \"f\"]"), l);
  CHECK(per_pack.rule_id() == "b");
  CHECK(contains(per_pack.reason(), "PackLimits::max_terms)"));
  const PackError regexes = pack_error(kHead + rule("r", "regexes = [\"a+b\", \"c+d\"]") +
                                           rule("s", "regex = \"e+f\""), l);
  CHECK(regexes.rule_id() == "s");
  CHECK(regexes.where().line == 14);
  CHECK(contains(regexes.reason(), "max_regexes"));
  CHECK(vigil::rules::load_pack_string(kHead + rule("ok", "terms = [\"a\", \"b\", \"c\"]") +
                                           rule("r", "regexes = [\"a+b\", \"c+d\"]"),
                                       "t", ".", l)
            .rules.size() == 2);
}

TEST_CASE("limits: terms files count towards the term limits and the byte budget") {
  {
    std::ofstream f("limits-terms.txt");
    for (int i = 0; i < 10; ++i) f << "term" << i << std::string(40, 'x') << "\n";
  }
  PackLimits l;
  l.max_terms_per_rule = 9;
  const std::string pack = kHead + rule("file", "terms = [\"x\"]\nterms_file = \"limits-terms.txt\"");
  const PackError e = pack_error(pack, l);
  CHECK(e.rule_id() == "file");
  CHECK(e.where().line == 11);  // the terms_file key
  CHECK(contains(e.reason(), "rule has 11 terms"));
  l = PackLimits{};
  l.max_pack_bytes = pack.size() + 20;  // the pack fits, its terms file (460 bytes) does not
  CHECK(contains(pack_error(pack, l).reason(), "limits-terms.txt' is too large: 460 bytes"));
  l.max_pack_bytes = 470;  // each fits, but not the pack with the terms inlined
  CHECK(contains(pack_error(pack, l).reason(), "larger than 470 bytes once its terms files"));
  l.max_pack_bytes = 10;
  CHECK(contains(pack_error(pack, l).reason(), "larger than 10 bytes (PackLimits::max_pack_bytes)"));
  std::ofstream("limits-pack.toml") << pack;
  try {
    vigil::rules::load_pack_file("limits-pack.toml", l);
    FAIL("expected a PackError");
  } catch (const PackError& err) {
    CHECK(err.where().file == "limits-pack.toml");
    CHECK(contains(err.reason(), "over the limit of 10 (PackLimits::max_pack_bytes)"));
  }
  CHECK(vigil::rules::load_pack_file("limits-pack.toml").rules[0].terms.size() == 11);
  std::remove("limits-terms.txt");
  std::remove("limits-pack.toml");
}

TEST_CASE("limits: bank entries per file and per bank, and bank file size") {
  vigil::bank::LoadOptions o;
  o.max_entries = 2;
  vigil::bank::BankSet set;
  CHECK(vigil::bank::load_bank_text(set, kMd5a + "\n" + kMd5b + "\n", "known", o) == 2);
  try {  // a file over the limit fails at the line over it, adding nothing
    vigil::bank::load_bank_text(set, "# three\n" + kMd5a + "\n" + kMd5b + "\n" + kMd5c + "\n", "more", o);
    FAIL("expected a BankFileError");
  } catch (const vigil::bank::BankFileError& e) {
    CHECK(e.file() == "more");
    CHECK(e.line() == 4);
    CHECK(contains(e.what(), "more than 2 entries (LoadOptions::max_entries)"));
  }
  CHECK(set.size() == 1);
  try {  // a bank may not grow past the limit across files
    vigil::bank::load_bank_text(set, "hash,bank\n" + kMd5c + ",known\n", "extra.csv", o);
    FAIL("expected a BankError");
  } catch (const vigil::bank::BankError& e) {
    CHECK(contains(e.what(), "extra.csv: bank 'known' would hold 3 entries; the limit is 2"));
  }
  CHECK(set.at(0).size() == 2);
  o = {};
  o.max_file_bytes = 40;
  CHECK_THROWS_WITH_AS(vigil::bank::load_bank_text(set, kMd5a + "\n" + kMd5b + "\n", "big", o),
                       doctest::Contains("big: bank file is 66 bytes; the limit is 40"),
                       vigil::bank::BankError);
  std::ofstream("limits-bank.txt") << kMd5a << "\n" << kMd5b << "\n";
  CHECK_THROWS_WITH_AS(vigil::bank::load_bank_file(set, "limits-bank.txt", o),
                       doctest::Contains("limits-bank.txt: bank file is 66 bytes"), vigil::bank::BankError);
  vigil::ScanBanks scan_banks;  // the scanner's own loader reads through the same checks
  CHECK_THROWS_WITH_AS(scan_banks.load_file("limits-bank.txt", vigil::BankAction::block, o),
                       doctest::Contains("LoadOptions::max_file_bytes"), vigil::bank::BankError);
  CHECK(scan_banks.size() == 0);
  std::remove("limits-bank.txt");
}

namespace {

/// Faster of two scans of `text`, in seconds.
double best_scan_seconds(const vigil::Engine& e, const std::string& text) {
  double best = 1e9;
  for (int i = 0; i < 2; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const vigil::Verdict v = e.scan(text);
    const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    best = std::min(best, dt.count());
    CHECK_FALSE(v.truncated);
  }
  return best;
}

}  // namespace

// Not a performance goal: eight times the input may take at most ~32 times as long (plus a fixed
// allowance for noise), where a backtracking engine would take exponentially longer. Runs of one
// letter also exercise the normaliser's stretched-letter skipping over long inputs.
TEST_CASE("limits: pathological regexes and inputs scan in linear time") {
  const auto e = vigil_test::engine_from(
      kHead + rule("nested", "regex = \"(a+)+$\"") + rule("alt", "regex = \"(a|aa)+b\"") +
      rule("near", "terms = [\"" + std::string(200, 'a') + "c\"]"));
  const std::size_t n = std::size_t{1} << 19;
  for (const char* tail : {"!", "b!"}) {
    const double t1 = best_scan_seconds(*e, std::string(n, 'a') + tail);
    const double t8 = best_scan_seconds(*e, std::string(8 * n, 'a') + tail);
    MESSAGE("n=" << n << " tail '" << std::string(tail) << "': " << t1 * 1e3 << " ms; 8n: " << t8 * 1e3 << " ms");
    CHECK(t8 < 32 * t1 + 0.5);
  }
  CHECK(e->scan(std::string(1000, 'a') + "b").hits.size() == 1);  // the rules do match
}
