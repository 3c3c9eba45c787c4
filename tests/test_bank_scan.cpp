// Scanning with banks of known content: bank hits in verdicts, block/review/allow actions,
// images (PDQ, dihedral), decoding errors, bank loading errors, hot swap.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "vigil/scanner.hpp"

namespace {

const std::string kPdqDir = std::string(VIGIL_SHARED_DIR) + "/testdata/pdq/";
const std::string kBridge = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
const std::string kBridgeFullRes = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const std::string kPack =
    "[pack]\nname = \"t\"\nversion = \"1\"\n[policy]\nreview = 1.0\nblock = 3.0\n"
    "[[rule]]\nid = \"org\"\ncategory = \"org\"\nweight = 2.0\nterms = [\"daesh\"]\n";
const std::string kPost = "Join the caravan, brothers: the ranks are waiting for you";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::shared_ptr<const vigil::Engine> engine() {
  static auto e = vigil_test::engine_from(kPack, false);
  return e;
}

std::shared_ptr<const vigil::Scanner> scanner_with(const std::vector<std::pair<std::string, vigil::BankAction>>& texts,
                                                   vigil::ScannerOptions options = {}) {
  auto banks = std::make_shared<vigil::ScanBanks>();
  int n = 0;
  for (const auto& [text, action] : texts) banks->load_text(text, "bank" + std::to_string(n++), action);
  return vigil::Scanner::create(engine(), std::move(banks), options);
}

std::string simhash_hex(std::string_view text) {
  return vigil::hash::hex64(vigil::hash::simhash64(vigil::text::normalize(text).text));
}

std::string json(const vigil::Verdict& v) {
  std::string out;
  vigil::append_verdict_json(out, v, "id", "1");
  return out;
}

}  // namespace

TEST_CASE("bank scan: without banks the verdict and its JSON are the engine's, byte for byte") {
  auto s = vigil::Scanner::create(engine(), nullptr);
  for (std::string msg : {"daesh", "hello", "\xff daesh", ""}) {
    CHECK(json(s->scan_file(msg)) == json(engine()->scan(msg)));
  }
  const std::string jpeg = read_file(kPdqDir + "upstream/data/misc-images/wee.jpg");
  CHECK(json(s->scan_file(jpeg)) == json(engine()->scan(jpeg)));  // no banks: images are text too
  CHECK(json(engine()->scan("daesh")).find("bank_hits") == std::string::npos);
}

TEST_CASE("bank scan: text digests and SimHash of the normal form give bank hits") {
  const std::string md5 = vigil::hash::digest_hex(vigil::hash::DigestKind::md5, kPost);
  const std::string sha = vigil::hash::digest_hex(vigil::hash::DigestKind::sha256, kPost);
  auto s = scanner_with({{"md5 " + md5 + " post A\nsha256 " + sha + " post A\nsimhash " +
                              simhash_hex(kPost) + " post A near\n",
                          vigil::BankAction::block}});
  vigil::Verdict v = s->scan_text(kPost);
  CHECK(v.banks_checked);
  REQUIRE(v.bank_hits.size() == 3);
  CHECK(v.bank_hits[0].signal == "md5");
  CHECK(v.bank_hits[1].signal == "sha256");
  CHECK(v.bank_hits[2].signal == "simhash64");
  CHECK(v.bank_hits[0].bank == "bank0-md5");
  CHECK(v.bank_hits[0].label == "post A");
  CHECK(v.decision == vigil::Decision::block);
  CHECK(v.score == 0);  // banks decide; they do not add to the rules' score
  CHECK(json(v).find(",\"bank_hits\":[{\"bank\":\"bank0-md5\",\"signal\":\"md5\",\"distance\":0,"
                     "\"label\":\"post A\",\"action\":\"block\"}") != std::string::npos);

  // An evasive re-spelling: digests miss, SimHash of the normal form still matches.
  vigil::Verdict evasive = s->scan_text("JOIN  the c@r@v@n, BROTHERS!! the ranks are waiting for you");
  REQUIRE(evasive.bank_hits.size() == 1);
  CHECK(evasive.bank_hits[0].signal == "simhash64");
  CHECK(evasive.bank_hits[0].distance == 0);

  vigil::Verdict clean = s->scan_text("nothing to see here");
  CHECK(clean.banks_checked);
  CHECK(clean.bank_hits.empty());
  CHECK(clean.decision == vigil::Decision::allow);
  CHECK(json(clean).find(",\"bank_hits\":[]}") != std::string::npos);
  CHECK(s->scan_text("").bank_hits.empty());  // empty text: no SimHash query
}

TEST_CASE("bank scan: block, review and allow-list actions") {
  const std::string line = "simhash " + simhash_hex(kPost) + " post\n";
  CHECK(scanner_with({{line, vigil::BankAction::block}})->scan_text(kPost).decision == vigil::Decision::block);
  CHECK(scanner_with({{line, vigil::BankAction::review}})->scan_text(kPost).decision == vigil::Decision::review);
  // A review bank does not lower what the rules decided.
  const std::string rules_block = "daesh daesh join";
  auto review = scanner_with({{"simhash " + simhash_hex(rules_block) + " x\n", vigil::BankAction::review}});
  vigil::Verdict rb = review->scan_text(rules_block);
  CHECK(rb.decision == vigil::Decision::review);  // rules: review (score 2)
  CHECK(rb.hits.size() == 1);

  auto allowed = scanner_with({{line, vigil::BankAction::block},
                               {"md5 " + vigil::hash::digest_hex(vigil::hash::DigestKind::md5, kPost) + " dup\n",
                                vigil::BankAction::block},
                               {line, vigil::BankAction::allow}});
  vigil::Verdict v = allowed->scan_text(kPost);
  CHECK(v.decision == vigil::Decision::block);  // the md5 hit is not allow-listed (other signal)
  int suppressed = 0, allow = 0;
  for (const auto& h : v.bank_hits) {
    if (h.suppressed) {
      ++suppressed;
      CHECK(h.bank == "bank0");
    }
    if (h.action == vigil::BankAction::allow) {
      ++allow;
      CHECK(h.bank == "bank2");
    }
  }
  CHECK(suppressed == 1);
  CHECK(allow == 1);
  CHECK(json(v).find("\"suppressed\":true") != std::string::npos);

  auto only_simhash = scanner_with({{line, vigil::BankAction::block}, {line, vigil::BankAction::allow}});
  CHECK(only_simhash->scan_text(kPost).decision == vigil::Decision::allow);
  // Allow-lists cover bank hits only: the rules still flag what they find.
  CHECK(only_simhash->scan_text("daesh").decision == vigil::Decision::review);
}

TEST_CASE("bank scan: an image file gives the reference PDQ hash and matches") {
  const std::string jpeg = read_file(kPdqDir + "upstream/data/reg-test-input/dih/bridge-1-original.jpg");
  auto s = scanner_with({{"pdq " + kBridge + " bridge (reference CLI)\n", vigil::BankAction::block}});
  vigil::Verdict v = s->scan_file(jpeg);
  REQUIRE(v.bank_hits.size() == 1);
  CHECK(v.bank_hits[0].distance == 0);  // squashed to 512x512: the reference CLI's hash exactly
  CHECK(v.bank_hits[0].signal == "pdq");
  CHECK(v.decision == vigil::Decision::block);
  CHECK(v.hits.empty());  // pixels are not scanned as text

  vigil::ScannerOptions full;
  full.squash = false;  // full resolution: the reference library's hash exactly
  auto f = scanner_with({{"pdq " + kBridgeFullRes + " bridge (library)\n", vigil::BankAction::block}}, full);
  REQUIRE(f->scan_file(jpeg).bank_hits.size() == 1);
  CHECK(f->scan_file(jpeg).bank_hits[0].distance == 0);

  // PNG, and file digests of the image bytes.
  const std::string png = read_file(kPdqDir + "upstream/data/reg-test-input/pen-and-coaster.png");
  auto p = scanner_with({{"pdq 1f811b9d267fbc6613c0c7f30e041f9df49b836303e10f067fcffc12c02d01f9 pen\n"
                          "md5 " + vigil::hash::digest_hex(vigil::hash::DigestKind::md5, png) + " pen file\n",
                          vigil::BankAction::review}});
  vigil::Verdict pv = p->scan_file(png);
  REQUIRE(pv.bank_hits.size() == 2);
  CHECK(pv.bank_hits[0].signal == "md5");
  CHECK(pv.bank_hits[1].distance == 0);
  CHECK(pv.decision == vigil::Decision::review);
}

TEST_CASE("bank scan: a rotated image matches through its dihedral hashes") {
  const std::string rotated = read_file(kPdqDir + "upstream/data/reg-test-input/dih/bridge-2-rotate-90.jpg");
  const std::string bank = "pdq " + kBridge + " bridge\n";
  CHECK(scanner_with({{bank, vigil::BankAction::block}})->scan_file(rotated).bank_hits.empty());
  vigil::ScannerOptions o;
  o.dihedral = true;
  vigil::Verdict v = scanner_with({{bank, vigil::BankAction::block}}, o)->scan_file(rotated);
  REQUIRE(v.bank_hits.size() == 1);
  CHECK(v.bank_hits[0].transform == "rot270");  // turning it back 90 degrees gives the original
  CHECK(v.bank_hits[0].distance <= vigil::hash::kPdqMatchDistance);
  CHECK(v.decision == vigil::Decision::block);
  CHECK(json(v).find("\"transform\":\"rot270\"") != std::string::npos);
  // The original itself matches as is (no transform) even with dihedral matching on.
  const std::string original = read_file(kPdqDir + "upstream/data/reg-test-input/dih/bridge-1-original.jpg");
  vigil::Verdict o2 = scanner_with({{bank, vigil::BankAction::block}}, o)->scan_file(original);
  REQUIRE(o2.bank_hits.size() == 1);
  CHECK(o2.bank_hits[0].transform.empty());
  CHECK(o2.bank_hits[0].distance == 0);
}

TEST_CASE("bank scan: low-quality PDQ hashes are not matched") {
  const std::string small = read_file(kPdqDir + "upstream/data/misc-images/small.jpg");  // quality 0
  auto s = scanner_with({{"pdq 0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff small\n",
                          vigil::BankAction::block}});
  CHECK(s->scan_file(small).bank_hits.empty());
  vigil::ScannerOptions o;
  o.min_pdq_quality = 0;
  CHECK(scanner_with({{"pdq 0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff small\n",
                       vigil::BankAction::block}}, o)->scan_file(small).bank_hits.size() == 1);
}

TEST_CASE("bank scan: corrupt and oversized images raise ImageDecodeError, never crash") {
  auto s = scanner_with({{"pdq " + kBridge + " bridge\n", vigil::BankAction::block}});
  const std::string jpeg = read_file(kPdqDir + "upstream/data/misc-images/wee.jpg");
  const std::string png = read_file(kPdqDir + "upstream/data/reg-test-input/pen-and-coaster.png");
  CHECK_THROWS_AS(s->scan_file("\xFF\xD8\xFF"), vigil::image::ImageDecodeError);
  CHECK_THROWS_AS(s->scan_file(std::string("\x89PNG\r\n\x1A\n", 8) + "garbage"), vigil::image::ImageDecodeError);
  CHECK_THROWS_AS(s->scan_file(png.substr(0, 100)), vigil::image::ImageDecodeError);
  // Damaged bytes anywhere: decoded (libjpeg conceals data errors) or refused, never a crash.
  for (std::size_t i = 3; i < jpeg.size(); i += 7) {
    std::string bad = jpeg;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    try {
      s->scan_file(bad);
    } catch (const vigil::image::ImageDecodeError&) {
    }
  }
  // A PNG header claiming 12000 x 12000 pixels is refused before anything is allocated.
  std::string huge = png.substr(0, 33);
  for (int k : {16, 20}) huge[k] = 0, huge[k + 1] = 0, huge[k + 2] = '\x2E', huge[k + 3] = '\xE0';
  try {
    vigil::image::decode(huge);
    FAIL("expected an error");
  } catch (const vigil::image::ImageDecodeError& e) {
    CHECK_MESSAGE(std::string(e.what()).find("too large") != std::string::npos, std::string(e.what()));
  }
  std::string tall = jpeg;  // and a JPEG frame header claiming 60000 x 60000
  std::size_t sof = 2;  // walk the segments to the frame header (an EXIF thumbnail has its own)
  while (sof + 4 < tall.size() && !(tall[sof + 1] >= '\xC0' && tall[sof + 1] <= '\xC2'))
    sof += 2 + (static_cast<unsigned char>(tall[sof + 2]) << 8 | static_cast<unsigned char>(tall[sof + 3]));
  REQUIRE(sof + 9 < tall.size());
  for (std::size_t k : {sof + 5, sof + 7}) tall[k] = '\xEA', tall[k + 1] = '\x60';
  CHECK_THROWS_WITH_AS(vigil::image::decode(tall), doctest::Contains("too large"), vigil::image::ImageDecodeError);
}

TEST_CASE("bank scan: bank loading names file and line, all or nothing, one action per bank") {
  vigil::ScanBanks banks;
  try {
    banks.load_text("pdq " + kBridge + "\npdq 1234\n", "bad.txt", vigil::BankAction::block);
    FAIL("expected an error");
  } catch (const vigil::bank::BankFileError& e) {
    CHECK(std::string(e.what()).rfind("bad.txt:2: ", 0) == 0);
  }
  CHECK(banks.size() == 0);
  banks.load_text("pdq " + kBridge + " x\n", "shared", vigil::BankAction::block);
  CHECK_THROWS_WITH_AS(banks.load_text("pdq " + kBridgeFullRes + " y\n", "shared", vigil::BankAction::allow),
                       doctest::Contains("already loaded as block"), vigil::bank::BankError);
  CHECK(banks.set().at(0).size() == 1);
  banks.load_text("pdq " + kBridgeFullRes + " y\n", "shared", vigil::BankAction::block);  // same action: adds
  CHECK(banks.set().at(0).size() == 2);
  CHECK_THROWS_AS(banks.load_file("/nonexistent/bank.csv", vigil::BankAction::block), vigil::bank::BankError);
  CHECK_THROWS_AS(banks.add_bank(vigil::bank::Bank("neg", vigil::bank::SignalType::pdq,
                                                   vigil::bank::BankRole::negative), vigil::BankAction::block),
                  vigil::bank::BankError);
}

TEST_CASE("bank scan: with_banks shares the rules; scanners are safe across threads") {
  auto none = vigil::Scanner::create(engine(), nullptr);
  auto banks = std::make_shared<vigil::ScanBanks>();
  banks->load_text("simhash " + simhash_hex(kPost) + " post\n", "b", vigil::BankAction::block);
  auto with = none->with_banks(banks);
  CHECK(with->engine() == none->engine());
  CHECK(none->scan_text(kPost).decision == vigil::Decision::allow);
  CHECK(with->scan_text(kPost).decision == vigil::Decision::block);

  const std::string jpeg = read_file(kPdqDir + "upstream/data/reg-test-input/dih/bridge-1-original.jpg");
  banks = std::make_shared<vigil::ScanBanks>();
  banks->load_text("pdq " + kBridge + " bridge\n", "img", vigil::BankAction::block);
  auto images = none->with_banks(banks);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        ok[t] += images->scan_file(jpeg).decision == vigil::Decision::block;
        ok[t] += with->scan_text(kPost).decision == vigil::Decision::block;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) CHECK(n == 6);
}
