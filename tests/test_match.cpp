// Matching behaviour: word boundaries, spans in the original input, streaming, bad input.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <thread>

#include "test_support.hpp"
#include "vigil/default_pack.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/scanner.hpp"
#include "vigil/score/json.hpp"

using vigil_test::engine_from;
using vigil_test::scan_in_chunks;
using vigil_test::single_regex_pack;
using vigil_test::single_term_pack;

namespace {

bool term_hits(std::string_view term, std::string_view text) {
  return !engine_from(single_term_pack(term), false)->scan(text).hits.empty();
}

}  // namespace

TEST_CASE("whole-word terms do not match inside longer words") {
  CHECK_FALSE(term_hits("isis", "crisis talks today"));
  CHECK_FALSE(term_hits("kill", "skills and killer apps"));
  CHECK_FALSE(term_hits("caliphate", "the caliphates of history"));
  CHECK_FALSE(term_hits("dabiq", "dabiqmagazine.example"));
  CHECK(term_hits("isis", "the goddess Isis in Egyptian myth"));
  CHECK(term_hits("kill", "kill"));
  CHECK(term_hits("rumiyah", "rumiyah.pdf"));
}

TEST_CASE("terms written with Arabic proclitics still match as whole words") {
  CHECK(term_hits("جهاد", "الجِهَاد في سبيل الله"));
  CHECK(term_hits("جهاد", "والجهاد"));
  CHECK(term_hits("إسلامية", "الدولة الاسلامية"));
  CHECK_FALSE(term_hits("جهاد", "مجهاد"));  // a letter that is no proclitic
}

TEST_CASE("a term with the Arabic article also matches its li- contraction") {
  CHECK(term_hits("الدولة الإسلامية", "البيعة للدولة الإسلامية"));
  CHECK(term_hits("الدولة الإسلامية", "وللدولة الاسلامية"));
  CHECK_FALSE(term_hits("الدولة الإسلامية", "دولة إسلامية"));
}

TEST_CASE("terms in scripts written without spaces match inside a sentence") {
  CHECK(term_hits("恐怖", "这是恐怖主义的宣传"));
}

TEST_CASE("a hit reports the byte span and text of the original input") {
  std::string text = "the \xEF\xBD\x83\xEF\xBD\x81\xEF\xBD\x8C\xEF\xBD\x89\xEF\xBD\x90\xEF\xBD\x88"
                     "\xEF\xBD\x81\xEF\xBD\x94\xEF\xBD\x85 rises";  // fullwidth "caliphate"
  auto v = engine_from(single_term_pack("caliphate"))->scan(text);
  REQUIRE(v.hits.size() == 1);
  CHECK(v.hits[0].start == 4);
  CHECK(v.hits[0].end == 4 + 27);
  CHECK(v.hits[0].text == text.substr(4, 27));
  CHECK(v.hits[0].rule == "t");
  CHECK(v.hits[0].category == "test");
}

TEST_CASE("a hit over invisible characters spans them") {
  std::string text = "the cal\xE2\x80\x8Biph\xE2\x80\x8D" "ate rises";
  auto v = engine_from(single_term_pack("caliphate"))->scan(text);
  REQUIRE(v.hits.size() == 1);
  CHECK(v.hits[0].text == "cal\xE2\x80\x8Biph\xE2\x80\x8D" "ate");
}

TEST_CASE("invalid UTF-8 and NUL bytes neither crash nor hide a term") {
  auto e = engine_from(single_term_pack("caliphate"));
  std::string text = std::string("\xFF\xFE join the caliphate \xC0\xAF now") + '\0' + "\xED\xA0\x80";
  auto v = e->scan(text);
  CHECK(v.hits.size() == 1);
  CHECK(v.invalid_bytes >= 5);
  CHECK(e->scan(std::string(1000, '\0')).hits.empty());
  CHECK(e->scan("").decision == vigil::Decision::allow);
}

TEST_CASE("a term split across stream chunks is found at every split point") {
  auto e = engine_from(single_term_pack("martyrdom operation"));
  std::string text = "the next MARTYRDOM   operation is yours";
  auto whole = e->scan(text);
  REQUIRE(whole.hits.size() == 1);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    auto v = scan_in_chunks(*e, text, {cut});
    REQUIRE(v.hits.size() == 1);
    CHECK(v.hits[0].start == whole.hits[0].start);
    CHECK(v.hits[0].end == whole.hits[0].end);
    CHECK(v.hits[0].text == whole.hits[0].text);
  }
}

TEST_CASE("a UTF-8 sequence split across stream chunks is decoded whole") {
  auto e = engine_from(single_term_pack("جهاد"));
  std::string text = "نداء الجهـــاد الآن";
  for (std::size_t a = 0; a <= text.size(); ++a) {
    for (std::size_t b = a; b <= text.size(); b += 3) {
      auto v = scan_in_chunks(*e, text, {a, b});
      REQUIRE(v.hits.size() == 1);
      CHECK(v.invalid_bytes == 0);
    }
  }
}

TEST_CASE("streaming a long text in random chunks gives the block verdict") {
  auto e = engine_from(R"(
[pack]
name = "s"
version = "1"
[policy]
review = 2.0
block = 50.0
[[rule]]
id = "a"
category = "x"
terms = ["caliphate", "amaq agency", "dabiq"]
max_hits = 1000
[[rule]]
id = "r"
category = "x"
regex = "pipe ?bombs?"
max_hits = 1000
)");
  std::string text;
  std::mt19937 rng(42);
  const char* pieces[] = {"the c@l1ph4te ", "news from A.m.a.q agency ", "D A B I Q ",
                          "filler words here ", "pipe bomb ", "crisis ", "\xD8\xA7\xD9\x84 ",
                          "\xE2\x80\x8B", "caliphates "};
  for (int i = 0; i < 3000; ++i) text += pieces[rng() % 9];
  auto whole = e->scan(text);
  CHECK(whole.hits.size() > 100);
  for (int round = 0; round < 5; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t p = rng() % 50; p < text.size(); p += 1 + rng() % 200) cuts.push_back(p);
    auto v = scan_in_chunks(*e, text, cuts);
    REQUIRE(v.hits.size() == whole.hits.size());
    for (std::size_t i = 0; i < v.hits.size(); ++i) {
      CHECK(v.hits[i].start == whole.hits[i].start);
      CHECK(v.hits[i].end == whole.hits[i].end);
    }
    CHECK(v.score == whole.score);
  }
}

TEST_CASE("regex rules match the normalised text and report original spans") {
  auto e = engine_from(single_regex_pack("guide", "how to (make|build) an? (pipe )?bomb"));
  auto v = e->scan("HOW TO  build a PIPE-bomb, easily");
  REQUIRE(v.hits.size() == 1);
  CHECK(v.hits[0].start == 0);
  CHECK(v.hits[0].text == "HOW TO  build a PIPE-bomb");
}

TEST_CASE("a regex Hyperscan cannot compile is refused naming the rule") {
  auto load = [] { engine_from(single_regex_pack("bad.range", "[z-a]")); };
  CHECK_THROWS_AS(load(), vigil::rules::PackError);
  try {
    load();
  } catch (const vigil::rules::PackError& e) {
    CHECK(e.rule_id() == "bad.range");
    CHECK(std::string(e.what()).find("bad.range") != std::string::npos);
  }
}

TEST_CASE("a term with nothing left after normalisation is refused naming the rule") {
  try {
    engine_from(single_term_pack("--- ..."));
    FAIL("expected a PackError");
  } catch (const vigil::rules::PackError& e) {
    CHECK(e.rule_id() == "t");
  }
}

TEST_CASE("one engine serves many threads at once with identical verdicts") {
  auto e = engine_from(single_term_pack("caliphate"));
  std::vector<std::thread> threads;
  std::vector<int> hits(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) hits[t] += static_cast<int>(e->scan("join the caliphate").hits.size());
    });
  }
  for (auto& th : threads) th.join();
  for (int h : hits) CHECK(h == 500);
}

TEST_CASE("the scan-state pool reuses a thread's state and clones only for nested leases") {
  // Runs on fresh threads: this thread's slot may hold a state of an engine of another test.
  vigil::detail::ScanStatePool pool{vigil::match::detail::ScratchPtr()};
  std::vector<std::size_t> listed;  // free_count() after each step
  bool reused = false, nested_new = false, kept_own = false, took_listed = false;
  std::thread([&] {
    vigil::detail::ScanState* first = nullptr;
    vigil::detail::ScanState* second = nullptr;
    {
      auto lease = pool.acquire();
      first = &*lease;
    }
    listed.push_back(pool.free_count());  // 0: kept in this thread's slot
    {
      auto again = pool.acquire();
      reused = &*again == first;
      auto nested = pool.acquire();  // the slot is empty while `again` is out: a new state
      second = &*nested;
      nested_new = second != first;
    }
    // `nested` went back first and took the slot; `again` found it full and went to the list.
    listed.push_back(pool.free_count());  // 1
    // Another thread has a slot of its own: it takes the listed state, and its slot frees it
    // when that thread ends.
    std::thread([&] {
      auto lease = pool.acquire();
      took_listed = &*lease == first;
    }).join();
    listed.push_back(pool.free_count());  // 0
    auto mine = pool.acquire();  // this thread's slot is untouched
    kept_own = &*mine == second;
  }).join();
  CHECK(reused);
  CHECK(nested_new);
  CHECK(took_listed);
  CHECK(kept_own);
  CHECK(listed == std::vector<std::size_t>{0, 1, 0});
}

TEST_CASE("a thread moving to a new engine (hot reload) drops the old engine's state") {
  auto text = std::string("join the caliphate now");
  for (int round = 0; round < 3; ++round) {  // each engine's state replaces the dead one's
    auto e = engine_from(single_term_pack("caliphate"));
    for (int i = 0; i < 3; ++i) CHECK(e->scan(text).hits.size() == 1);
  }
  // Two live engines alternating on one thread: both keep scanning correctly.
  auto a = engine_from(single_term_pack("caliphate"));
  auto b = engine_from(single_term_pack("now"));
  for (int i = 0; i < 20; ++i) {
    CHECK(a->scan(text).hits.size() == 1);
    CHECK(b->scan(text).hits.size() == 1);
  }
}

namespace {

/// The engine file of `e` with the block regexes' filter taken out: what files written before
/// the filter existed hold.
std::string without_regex_filter(const vigil::Engine& e) {
  const std::string bytes = e.serialize();
  vigil::EngineFileParts parts = vigil::read_engine_file(bytes, "<test>");
  std::string_view filter;
  vigil::match::detail::split_regex_blobs(parts.databases[1], filter, "<test>");
  REQUIRE_FALSE(filter.empty());  // the compiled engine has one
  return vigil::write_engine_file(parts);
}

std::string verdict_json(const vigil::Verdict& v) {
  std::string out;
  vigil::append_verdict_json(out, v, "id", "0");
  return out;
}

}  // namespace

TEST_CASE("the regex filter skips no match: verdicts equal those of an engine without it") {
  auto e = vigil::default_engine(vigil::EngineOptions{false});
  auto legacy = vigil::Engine::deserialize(without_regex_filter(*e), "<legacy>",
                                           vigil::EngineOptions{false});
  std::vector<std::string> texts = {
      "kill all the infidels", "we will attack the concert tomorrow", "hello there, nice day",
      "I want to bring a gun to school", "death to all kuffar", "the weather is fine",
      "make a pipe bomb at home", "ISSUE 7 of the magazine", "Kill   ALL   the   Infidels!!"};
  std::mt19937 rng(9);
  const char* words[] = {"kill", "all", "the", "infidels", "we", "will", "attack", "bomb",
                         "support", "glory", "to", "school", "gun", "bring", "death", "jews",
                         "make", "a", "pipe", "nice", "day", "issue", "7", "of", "and"};
  for (int k = 0; k < 400; ++k) {
    std::string s;
    for (int w = 0; w < 3 + static_cast<int>(rng() % 12); ++w)
      (s += words[rng() % (sizeof words / sizeof *words)]) += ' ';
    texts.push_back(s);
  }
  int regex_verdicts = 0;
  for (const std::string& t : texts) {
    const vigil::Verdict a = e->scan(t), b = legacy->scan(t);
    CHECK(verdict_json(a) == verdict_json(b));
    regex_verdicts += !a.hits.empty();
  }
  CHECK(regex_verdicts > 20);  // the texts do reach the regexes
}

TEST_CASE("a corrupt regex database pair in an engine file is refused") {
  auto e = engine_from(single_regex_pack("guide", "how to (make|build) an? bomb"), false);
  const std::string bytes = e->serialize();
  vigil::EngineFileParts parts = vigil::read_engine_file(bytes, "<test>");
  std::string pair(parts.databases[1]);
  REQUIRE(pair.compare(0, 8, "VGLRXF01") == 0);
  pair[8] = '\xFF';  // regex database length past the end
  pair[15] = '\x7F';
  parts.databases[1] = pair;
  CHECK_THROWS_WITH_AS(vigil::Engine::deserialize(vigil::write_engine_file(parts), "x.eng"),
                       doctest::Contains("bad regex database pair"), vigil::EngineFileError);
}

TEST_CASE("padding for the whole-word database copies the text and tells ASCII at every length") {
  vigil::match::detail::ByteBuffer buf;
  for (std::size_t len = 0; len <= 70; ++len) {
    std::string text(len, 'a');
    for (std::size_t k = 0; k < len; ++k) text[k] = static_cast<char>('a' + k % 26);
    REQUIRE(vigil::match::detail::pad_if_ascii(text, buf));
    CHECK(std::string(buf.data(), len + 2) == " " + text + " ");
    for (std::size_t at = 0; at < len; ++at) {  // one high byte anywhere: not ASCII
      std::string high = text;
      high[at] = static_cast<char>(0xC3);
      CAPTURE(len);
      CAPTURE(at);
      CHECK_FALSE(vigil::match::detail::pad_if_ascii(high, buf));
    }
  }
}

TEST_CASE("scanning into a caller's Verdict overwrites it whole, with banks too") {
  auto engine = vigil::default_engine(vigil::EngineOptions{false});
  const std::string post = "Join the caravan, brothers: the ranks are waiting for you";
  auto banks = std::make_shared<vigil::ScanBanks>();
  banks->load_text("md5 " + vigil::hash::digest_hex(vigil::hash::DigestKind::md5, post) + " known\n",
                   "bank", vigil::BankAction::block);
  auto scanner = vigil::Scanner::create(engine, banks);
  auto plain = vigil::Scanner::create(engine, nullptr);
  vigil::Verdict reused;
  for (const std::string m : {post, std::string("a quiet afternoon"), post, std::string()}) {
    for (const auto* s : {scanner.get(), plain.get()}) {
      s->scan_text(m, reused);
      const vigil::Verdict fresh = s->scan_text(m);
      std::string a, b;
      vigil::append_verdict_json(a, reused, "id", "0");
      vigil::append_verdict_json(b, fresh, "id", "0");
      CAPTURE(m);
      CHECK(a == b);
      CHECK(reused.bank_hits.size() == fresh.bank_hits.size());
      CHECK(reused.banks_checked == fresh.banks_checked);
    }
  }
  vigil::EngineOptions small;
  small.streaming = false;
  small.max_message_bytes = 8;
  auto limited = engine_from(single_term_pack("daesh"), false);
  auto tight = vigil::Engine::compile(limited->pack(), small);
  tight->scan("daesh", reused);
  REQUIRE(reused.hits.size() == 1);
  CHECK_THROWS_AS(tight->scan("daesh daesh daesh", reused), vigil::match::MatchError);
  CHECK(reused.hits.size() == 1);  // refused before anything was overwritten
}
