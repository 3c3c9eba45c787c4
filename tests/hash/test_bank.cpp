// Banks: exact digests, PDQ/SimHash radius matching, allow-lists, file formats and errors.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "vigil/bank/bank_file.hpp"
#include "vigil/hash/digest.hpp"

namespace vb = vigil::bank;
namespace vh = vigil::hash;

namespace {
const std::string kBridge = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
const std::string kBridgeFullRes = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
const std::string kRot90 = "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af";
}  // namespace

TEST_CASE("bank: exact digests, PDQ radius, labels, nearest first") {
  vb::BankSet banks;
  auto& md5 = banks.add_bank(vb::Bank("known-md5", vb::SignalType::md5));
  md5.add(vh::to_hex(vh::md5("propaganda video bytes")), "video A");
  md5.add(vh::to_hex(vh::md5("propaganda video bytes")), "video A (re-upload)");
  auto r = banks.match_digest(vb::SignalType::md5, vh::to_hex(vh::md5("propaganda video bytes")));
  CHECK(r.hits.size() == 2);
  CHECK(r.hits[0].label == "video A");
  CHECK(banks.match_digest(vb::SignalType::md5, vh::to_hex(vh::md5("other"))).hits.empty());
  CHECK(banks.match_digest(vb::SignalType::md5, "0CC175B9C0F1B6A831C399E269772661").hits.empty());

  auto& pdq = banks.add_bank(vb::Bank("tve-pdq", vb::SignalType::pdq));
  pdq.add(kBridge, "bridge");
  pdq.add(kRot90, "bridge rotated");
  const auto q = vh::Hash256::from_hex(kBridgeFullRes);
  const auto m = banks.match_pdq(q);
  REQUIRE(m.hits.size() == 1);
  CHECK(m.hits[0].label == "bridge");
  CHECK(m.hits[0].distance == vh::hamming_distance(q, vh::Hash256::from_hex(kBridge)));
  CHECK(banks.match_pdq(q, 0).hits.empty());
  CHECK(banks.match_pdq(q, 256).hits.size() == 2);
  CHECK_THROWS_AS(pdq.add("xyz", "bad"), vb::BankError);
  CHECK_THROWS_AS(banks.add_bank(vb::Bank("tve-pdq", vb::SignalType::pdq)), vb::BankError);
}

TEST_CASE("bank: negative banks suppress matches and say why") {
  vb::BankSet banks;
  banks.add_bank(vb::Bank("tve", vb::SignalType::pdq)).add(kBridge, "flagged");
  const auto q = vh::Hash256::from_hex(kBridge);
  CHECK(banks.match_pdq(q).matched());
  banks.add_bank(vb::Bank("news-allow", vb::SignalType::pdq, vb::BankRole::negative, 10)).add(kBridgeFullRes, "press photo");
  const auto r = banks.match_pdq(q);
  CHECK_FALSE(r.matched());
  CHECK(r.allow_listed());
  CHECK(r.suppressed.size() == 1);
  CHECK(r.suppressed_by[0].label == "press photo");
}

TEST_CASE("bank: flood protection caps hits, nearest kept") {
  vb::Bank b("many", vb::SignalType::pdq);
  auto h = vh::Hash256::from_hex(kBridge);
  for (int i = 0; i < 500; ++i) {
    auto x = h;
    x.flip_bit(i % 256);
    if (i >= 256) x.flip_bit((i * 7) % 256);
    b.add(x, "e" + std::to_string(i));
  }
  b.set_max_hits(10);
  const auto hits = b.match(h);
  CHECK(hits.size() == 10);
  CHECK(hits.front().distance <= hits.back().distance);
}

TEST_CASE("bank files: formats") {
  vb::BankSet banks;
  // 1. plain with labels; 64-hex needs the signal type.
  CHECK(vb::load_bank_text(banks, "# known\n" + kBridge + ",bridge\n\n" + kRot90 + "\n", "plain",
                           {"", vb::SignalType::pdq}) == 2);
  CHECK(banks.bank("plain").size() == 2);
  CHECK(banks.bank("plain").label(0) == "bridge");
  // 2. CSV with header and a bank column, quoted label.
  CHECK_THROWS_AS(vb::load_bank_text(banks,
                                     "hash,label,bank\n" + kBridge + ",\"bridge, original\",csv-a\n",
                                     "csv"),
                  vb::BankFileError);
  // (64-hex without a signal type is ambiguous: the first call must have failed.)
  CHECK(banks.find("csv-a") == nullptr);
  CHECK(vb::load_bank_text(banks,
                           "hash,label,bank,signal_type\n" + kBridge + ",\"bridge, original\",csv-a,pdq\n"
                           "0cc175b9c0f1b6a831c399e269772661,letter a,csv-md5,md5\n",
                           "csv") == 2);
  CHECK(banks.bank("csv-a").label(0) == "bridge, original");
  CHECK(banks.bank("csv-md5").signal() == vb::SignalType::md5);
  // 3. typed lines.
  CHECK(vb::load_bank_text(banks, "pdq " + kRot90 + " rotated bridge\nvideo_md5 900150983cd24fb0d6963f7d28e17f72\n",
                           "typed") == 2);
  CHECK(banks.bank("typed-pdq").signal() == vb::SignalType::pdq);  // mixed types: split by signal
  CHECK(banks.bank("typed-md5").size() == 1);
}

TEST_CASE("bank files: PDQ tool outputs from the reference run") {
  const std::string dir = std::string(VIGIL_SHARED_DIR) + "/testdata/pdq/reference-run/";
  vb::BankSet banks;
  CHECK(vb::load_bank_file(banks, dir + "library-fullres-no-preresize.txt") == 37);
  const auto r = banks.match_pdq(vh::Hash256::from_hex(kBridge));
  REQUIRE(r.matched());
  CHECK(r.hits[0].label.find("bridge") != std::string::npos);
  vb::LoadOptions opt;
  opt.bank = "details";
  opt.min_quality = 50;
  CHECK(vb::load_bank_file(banks, dir + "pdq-photo-hasher-details.txt", opt) >= 30);
  CHECK(banks.bank("details").size() < 37);  // quality 0/3/4 entries skipped
}

TEST_CASE("bank files: errors name file and line; loading is all-or-nothing") {
  vb::BankSet banks;
  try {
    vb::load_bank_text(banks, "pdq " + kBridge + "\npdq " + kBridge.substr(1) + "\n", "bad.txt");
    FAIL("expected an error");
  } catch (const vb::BankFileError& e) {
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).rfind("bad.txt:2: ", 0) == 0);
  }
  CHECK(banks.size() == 0);  // nothing half-loaded
  CHECK_THROWS_AS(vb::load_bank_text(banks, "hash,label\n\"unterminated,x\n", "q.csv"), vb::BankFileError);
  CHECK_THROWS_AS(vb::load_bank_text(banks, "frobnicate 0cc175b9c0f1b6a831c399e269772661\n", "t.txt"), vb::BankFileError);
  CHECK_THROWS_AS(vb::load_bank_text(banks, kBridge + "\n", "ambiguous.txt"), vb::BankFileError);
  CHECK_THROWS_AS(vb::load_bank_file(banks, "/nonexistent/file.txt"), vb::BankError);
  // A bank that exists with another signal type.
  vb::load_bank_text(banks, "0cc175b9c0f1b6a831c399e269772661\n", "mixed");
  CHECK_THROWS_AS(vb::load_bank_text(banks, "pdq " + kBridge + "\n", "x", {"mixed", std::nullopt}), vb::BankError);
  CHECK(banks.bank("mixed").size() == 1);
}

TEST_CASE("bank files: random garbage only ever raises BankError") {
  std::mt19937 rng(8);
  const std::string alphabet = "0123456789abcdefABCDEF,\"= #\t\nxyzpdqmd5hash,label\r";
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int len = static_cast<int>(rng() % 300);
    for (int k = 0; k < len; ++k) text.push_back(alphabet[rng() % alphabet.size()]);
    if (i % 3 == 0) text = "hash,label,bank,signal_type,quality\n" + text;
    vb::BankSet banks;
    try {
      vb::load_bank_text(banks, text, "fuzz");
    } catch (const vb::BankError&) {
    }
  }
  CHECK(true);
}
