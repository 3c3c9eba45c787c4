// Tests for the rule-pack loader (vigil/rules/pack.hpp) and composite expressions (expr.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/rules/pack.hpp"

#ifndef VIGIL_TEST_DATA_DIR
#define VIGIL_TEST_DATA_DIR "tests/data"
#endif

using vigil::rules::Expr;
using vigil::rules::ExprContext;
using vigil::rules::Pack;
using vigil::rules::PackError;
using vigil::rules::Position;
using vigil::rules::load_pack_file;
using vigil::rules::load_pack_string;

namespace {

std::string packs_dir() { return std::string(VIGIL_TEST_DATA_DIR) + "/packs"; }

// Six lines, so the first [[rule]] after it is on line 7.
const std::string kHead =
    "[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nreview = 3.0\nblock = 8.0\n";

Pack load(const std::string& text) { return load_pack_string(text, "t.toml", packs_dir()); }

/// The PackError loading `text` throws (fails the test if it loads).
PackError error_of(const std::string& text) {
  try {
    load(text);
  } catch (const PackError& e) {
    return e;
  }
  FAIL("pack loaded but should have been refused:\n" << text);
  return PackError({}, {}, {});
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

#define CHECK_REFUSED(text, line_, id_, part_)                    \
  do {                                                            \
    const PackError e_ = error_of(text);                          \
    CHECK(e_.where().file == "t.toml");                           \
    CHECK(e_.where().line == (line_));                            \
    CHECK(e_.rule_id() == (id_));                                 \
    CHECK_MESSAGE(contains(e_.reason(), part_), std::string(e_.what())); \
  } while (0)

std::string rule(const std::string& id, const std::string& body) {
  return "[[rule]]\nid = \"" + id + "\"\ncategory = \"c\"\n" + body + "\n";
}

void check_equal(const Pack& a, const Pack& b) {
  CHECK(a.name == b.name);
  CHECK(a.version == b.version);
  CHECK(a.description == b.description);
  CHECK(a.policy.review == b.policy.review);
  CHECK(a.policy.block == b.policy.block);
  REQUIRE(a.categories.size() == b.categories.size());
  for (std::size_t i = 0; i < a.categories.size(); ++i) {
    CHECK(a.categories[i].name == b.categories[i].name);
    CHECK(a.categories[i].description == b.categories[i].description);
    CHECK(a.categories[i].cap == b.categories[i].cap);
  }
  REQUIRE(a.rules.size() == b.rules.size());
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const auto& x = a.rules[i];
    const auto& y = b.rules[i];
    CHECK(x.id == y.id);
    CHECK(x.category == y.category);
    CHECK(x.description == y.description);
    CHECK(x.weight == y.weight);
    CHECK(x.fullword == y.fullword);
    CHECK(x.max_hits == y.max_hits);
    CHECK(x.languages == y.languages);
    CHECK(x.regexes == y.regexes);
    REQUIRE(x.terms.size() == y.terms.size());
    for (std::size_t k = 0; k < x.terms.size(); ++k) CHECK(x.terms[k].text == y.terms[k].text);
  }
  REQUIRE(a.composites.size() == b.composites.size());
  for (std::size_t i = 0; i < a.composites.size(); ++i) {
    const auto& x = a.composites[i];
    const auto& y = b.composites[i];
    CHECK(x.id == y.id);
    CHECK(x.category == y.category);
    CHECK(x.weight == y.weight);
    CHECK(x.expr_source == y.expr_source);
    REQUIRE(x.expr.nodes.size() == y.expr.nodes.size());
    for (std::size_t k = 0; k < x.expr.nodes.size(); ++k) {
      CHECK(x.expr.nodes[k].op == y.expr.nodes[k].op);
      CHECK(x.expr.nodes[k].symbol == y.expr.nodes[k].symbol);
      CHECK(x.expr.nodes[k].symbol2 == y.expr.nodes[k].symbol2);
      CHECK(x.expr.nodes[k].n == y.expr.nodes[k].n);
      CHECK(x.expr.nodes[k].kids == y.expr.nodes[k].kids);
    }
  }
  CHECK(a.composite_order == b.composite_order);
}

/// Reload the canonical source and check it gives the same pack and is a fixed point.
void check_round_trip(const Pack& p) {
  const Pack q = load_pack_string(p.canonical_source, "<canonical>");
  check_equal(p, q);
  CHECK(q.canonical_source == p.canonical_source);
  CHECK(q.hash == p.hash);
}

/// An ExprContext over named symbols: which fired, and positions for near().
struct FakeContext : ExprContext {
  std::vector<bool> on;
  std::vector<std::vector<Position>> pos;
  explicit FakeContext(std::size_t n) : on(n, false), pos(n) {}
  bool fired(std::size_t s) const override { return s < on.size() && on[s]; }
  const std::vector<Position>& positions(std::size_t r) const override { return pos.at(r); }
};

/// A pack with term rules a, b, c, d, e and one composite `x` with `expr`.
Pack expr_pack(const std::string& expr) {
  std::string text = kHead;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    text += rule(id, std::string("terms = [\"") + id + "word\"]");
  }
  text += "[[composite]]\nid = \"x\"\ncategory = \"c\"\nexpr = \"" + expr + "\"\n";
  return load(text);
}

/// Evaluate `expr` with the rules whose letters are in `fired` firing.
bool eval(const std::string& expr, const std::string& fired) {
  const Pack p = expr_pack(expr);
  FakeContext ctx(6);
  for (char c : fired) ctx.on[static_cast<std::size_t>(c - 'a')] = true;
  return p.composites[0].expr.evaluate(ctx);
}

bool near_eval(std::vector<Position> a, std::vector<Position> b, std::uint32_t n) {
  const Pack p = expr_pack("near(a, b, " + std::to_string(n) + ")");
  FakeContext ctx(6);
  ctx.pos[0] = std::move(a);
  ctx.pos[1] = std::move(b);
  ctx.on[0] = !ctx.pos[0].empty();
  ctx.on[1] = !ctx.pos[1].empty();
  return p.composites[0].expr.evaluate(ctx);
}

}  // namespace

TEST_CASE("pack: the minimal example pack loads as written") {
  const Pack p = load_pack_file(packs_dir() + "/minimal.toml");
  CHECK(p.name == "example");
  CHECK(p.version == "1");
  CHECK(p.policy.review == 3.0);
  CHECK(p.policy.block == 8.0);
  REQUIRE(p.rules.size() == 1);
  const auto& r = p.rules[0];
  CHECK(r.id == "t");
  CHECK(r.category == "test");
  CHECK(r.weight == 1.0);
  REQUIRE(r.terms.size() == 1);
  CHECK(r.terms[0].text == "caliphate");
  CHECK(r.terms[0].where.file == packs_dir() + "/minimal.toml");
  CHECK(r.terms[0].where.line == 11);
  CHECK(r.fullword);
  CHECK(r.max_hits == 1);
  CHECK(r.regexes.empty());
  CHECK(r.where.line == 7);
  REQUIRE(p.categories.size() == 1);
  CHECK(p.categories[0].name == "test");
  CHECK(std::isinf(p.categories[0].cap));
  CHECK(p.category_index("test") == 0);
  CHECK(p.category_index("nope") == Pack::npos);
  CHECK(p.composites.empty());
  CHECK(p.hash.size() == 64);
}

TEST_CASE("pack: a pack using every feature loads with defaults, terms files and order") {
  const Pack p = load_pack_file(packs_dir() + "/full.toml");
  CHECK(p.description == "every feature");
  CHECK(p.policy.review == 3.0);  // integer spelling accepted for numbers
  REQUIRE(p.categories.size() == 3);
  CHECK(p.categories[0].name == "propaganda");  // declared, in declaration order
  CHECK(p.categories[0].cap == 6.0);
  CHECK(p.categories[1].name == "recruitment");
  CHECK(std::isinf(p.categories[1].cap));
  CHECK(p.categories[2].name == "context");  // undeclared, by first use
  REQUIRE(p.rules.size() == 4);
  const auto& isis = p.rules[0];
  REQUIRE(isis.terms.size() == 5);
  CHECK(isis.terms[1].text == "daesh");
  CHECK(isis.terms[2].text == "dawla");
  CHECK(isis.terms[2].where.file == packs_dir() + "/terms/groups.txt");
  CHECK(isis.terms[2].where.line == 2);
  CHECK(isis.terms[3].text == "al-qaeda");  // trimmed
  CHECK(isis.terms[3].where.line == 4);
  CHECK(isis.terms[4].text == "تنظيم الدولة");
  CHECK(isis.max_hits == 3);
  CHECK(isis.languages == std::vector<std::string>{"en", "ar"});
  CHECK(p.rules[1].fullword == false);  // regex-only rule
  CHECK(p.rules[1].regexes.size() == 2);
  CHECK(p.rules[2].weight == -2.0);
  CHECK(p.rules[3].fullword == true);  // explicit on a regex rule
  CHECK(p.rules[3].regexes == std::vector<std::string>{"travel\\s+to\\s+\\w+"});
  REQUIRE(p.composites.size() == 2);
  CHECK(p.composite_order == std::vector<std::size_t>{0, 1});
}

TEST_CASE("pack: canonical source round-trips to an equal pack") {
  check_round_trip(load_pack_file(packs_dir() + "/minimal.toml"));
  check_round_trip(load_pack_file(packs_dir() + "/full.toml"));
  const Pack odd = load(kHead + "[categories.\"we ird\"]\ncap = 0.1\n" +
                        rule("q", "terms = [\"quo\\\"te\", 'back\\slash', \"tab\\there\", "
                                  "\"ctl\\u0001x\", \"ünï\"]\nweight = 1e-7\nmax_hits = 7") +
                        "[[composite]]\nid = \"z\"\ncategory = \"we ird\"\nweight = -0.3\n"
                        "expr = \"\"\"\n  q &\n  !q\"\"\"\n");
  CHECK(odd.rules[0].terms[1].text == "back\\slash");
  check_round_trip(odd);
}

TEST_CASE("pack: the hash ignores formatting and follows content") {
  const Pack a = load(kHead + rule("x", "terms = [\"a1\"]\nweight = 2"));
  const Pack b = load("# comment\n[policy]\nblock = 8\nreview = 3\n[pack]\nversion = \"1\"\n"
                      "name = \"p\"\n[[rule]]\nterms = [ 'a1' ]\nweight = 2.0\ncategory = 'c'\n"
                      "id = 'x'\n");
  CHECK(a.hash == b.hash);
  CHECK(a.canonical_source == b.canonical_source);
  CHECK(a.hash == load(kHead + rule("x", "terms = [\"a1\"]\nweight = 2")).hash);
  CHECK(a.hash != load(kHead + rule("x", "terms = [\"a1\"]\nweight = 2.5")).hash);
  CHECK(a.hash != load(kHead + rule("x", "terms = [\"a2\"]\nweight = 2")).hash);
  // A terms file and the same terms written inline give the same canonical pack.
  const Pack f = load(kHead + rule("x", "terms_file = \"terms/crlf_bom.txt\""));
  const Pack g = load(kHead + rule("x", "terms = [\"bom first\", \"second\"]"));
  CHECK(f.hash == g.hash);
}

TEST_CASE("pack: terms files") {
  SUBCASE("BOM, CRLF, comments and blank lines") {
    const Pack p = load(kHead + rule("x", "terms_file = \"terms/crlf_bom.txt\""));
    REQUIRE(p.rules[0].terms.size() == 2);
    CHECK(p.rules[0].terms[0].text == "bom first");
    CHECK(p.rules[0].terms[1].text == "second");
    CHECK(p.rules[0].terms[1].where.line == 2);
    CHECK(p.rules[0].fullword);
  }
  SUBCASE("missing file names the path") {
    const PackError e = error_of(kHead + rule("x", "terms_file = \"terms/nope.txt\""));
    CHECK(e.where().line == 10);
    CHECK(e.rule_id() == "x");
    CHECK(contains(e.reason(), "terms/nope.txt"));
    CHECK(contains(e.reason(), "cannot read"));
  }
  SUBCASE("invalid UTF-8 is reported at its terms-file line") {
    const PackError e = error_of(kHead + rule("x", "terms_file = \"terms/bad_utf8.txt\""));
    CHECK(e.where().file == packs_dir() + "/terms/bad_utf8.txt");
    CHECK(e.where().line == 3);
    CHECK(e.rule_id() == "x");
    CHECK(contains(e.reason(), "invalid UTF-8"));
    CHECK(contains(e.what(), "bad_utf8.txt:3: rule 'x': invalid UTF-8"));
  }
  SUBCASE("NUL byte") {
    const PackError e = error_of(kHead + rule("x", "terms_file = \"terms/nul.txt\""));
    CHECK(e.where().line == 2);
    CHECK(contains(e.reason(), "NUL"));
  }
  SUBCASE("punctuation-only term") {
    const PackError e = error_of(kHead + rule("x", "terms_file = \"terms/punct.txt\""));
    CHECK(e.where().file == packs_dir() + "/terms/punct.txt");
    CHECK(e.where().line == 1);
    CHECK(contains(e.reason(), "no letters or digits"));
  }
  SUBCASE("a file with no terms and no regex") {
    CHECK_REFUSED(kHead + rule("x", "terms_file = \"terms/empty.txt\""), 7, "x", "no terms");
    const Pack p = load(kHead + rule("x", "terms_file = \"terms/empty.txt\"\nregex = \"ab+c\""));
    CHECK(p.rules[0].terms.empty());
  }
  SUBCASE("paths must stay inside the pack directory") {
    CHECK_REFUSED(kHead + rule("x", "terms_file = \"/etc/passwd\""), 10, "x", "relative");
    CHECK_REFUSED(kHead + rule("x", "terms_file = \"../packs/terms/groups.txt\""), 10, "x", "..");
    CHECK_REFUSED(kHead + rule("x", "terms_file = \"terms\""), 10, "x", "not a regular file");
  }
  SUBCASE("inline terms come first, then the file's") {
    const Pack p = load(kHead + rule("x", "terms = [\"one\"]\nterms_file = \"terms/crlf_bom.txt\""));
    REQUIRE(p.rules[0].terms.size() == 3);
    CHECK(p.rules[0].terms[0].text == "one");
  }
}

TEST_CASE("pack: categories keep declaration order, inline tables included") {
  const Pack p = load("categories = { zeta = { cap = 1 }, alpha = { cap = 2 } }\n" + kHead +
                      rule("x", "terms = [\"a\"]"));
  REQUIRE(p.categories.size() == 3);
  CHECK(p.categories[0].name == "zeta");
  CHECK(p.categories[1].name == "alpha");
  CHECK(p.categories[2].name == "c");
  check_round_trip(p);
}

TEST_CASE("pack: pack files that cannot be read") {
  try {
    load_pack_file(packs_dir() + "/does-not-exist.toml");
    FAIL("loaded a missing file");
  } catch (const PackError& e) {
    CHECK(e.where().file == packs_dir() + "/does-not-exist.toml");
    CHECK(contains(e.reason(), "no such file"));
  }
  CHECK_THROWS_AS(load_pack_file(packs_dir()), PackError);  // a directory
}

TEST_CASE("pack: error messages name file, line and rule") {
  const PackError e = error_of(kHead + rule("bad", "weight = \"heavy\""));
  CHECK(std::string(e.what()) == "t.toml:10: rule 'bad': 'weight' must be a number, not a string");
  const PackError p = error_of("[pack]\nname = \"p\"\n");
  CHECK(std::string(p.what()) == "t.toml:1: missing required key 'version' in [pack]");
  CHECK(std::string(PackError({}, {}, "why").what()) == "why");
  CHECK(std::string(PackError({"f", 0}, "r", "why").what()) == "f: rule 'r': why");
}

TEST_CASE("pack: TOML syntax errors carry toml++'s line") {
  CHECK_REFUSED(kHead + "[[rule]]\nid = \"x\"\ncategory = = \"c\"\n", 9, "", "TOML syntax error");
  CHECK_REFUSED(kHead + "[pack]\n", 7, "", "TOML syntax error");  // table defined twice
}

TEST_CASE("pack: unknown keys are refused by name, with a suggestion") {
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nfulword = true"), 11, "x",
                "unknown key 'fulword' in [[rule]] (did you mean 'fullword'?)");
  CHECK_REFUSED(kHead + "[extra]\n", 7, "", "unknown key 'extra' in the top level");
  CHECK_REFUSED("[pack]\nname = \"p\"\nversion = \"1\"\nauthor = \"me\"\n[policy]\nreview = 1\n"
                "block = 2\n", 4, "", "unknown key 'author' in [pack]");
  CHECK_REFUSED(kHead.substr(0, kHead.size() - 1) + "\nreveiw = 2\n", 7, "", "'reveiw'");
  CHECK_REFUSED(kHead + "[categories.p]\ncapp = 2\n", 8, "", "unknown key 'capp'");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]") +
                    "[[composite]]\nid = \"y\"\ncategory = \"c\"\nexpr = \"x\"\nexp = \"x\"\n",
                15, "y", "unknown key 'exp' in [[composite]]");
}

TEST_CASE("pack: wrong types are refused") {
  CHECK_REFUSED(kHead + rule("x", "terms = \"a\""), 10, "x", "'terms' must be an array of strings");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\", 3]"), 10, "x", "must be a string, not an integer");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nfullword = 1"), 11, "x", "a boolean");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nmax_hits = 1.5"), 11, "x", "an integer");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nlanguages = \"en\""), 11, "x", "an array");
  CHECK_REFUSED(kHead + rule("x", "regex = [\"a\"]"), 10, "x", "'regex' must be a string");
  CHECK_REFUSED(kHead + "[[rule]]\nid = 5\n", 8, "", "'id' must be a string, not an integer");
  CHECK_REFUSED(kHead + "[rule]\nid = \"x\"\n", 7, "", "an array of tables ([[rule]])");
  CHECK_REFUSED(kHead + "[categories]\np = 3\n", 8, "", "a table");
  CHECK_REFUSED("[pack]\nname = \"p\"\nversion = 1\n", 3, "", "'version' must be a string");
}

TEST_CASE("pack: missing required fields are refused") {
  CHECK_REFUSED("[policy]\nreview = 1\nblock = 2\n", 0, "", "missing required key 'pack'");
  CHECK_REFUSED("[pack]\nname = \"p\"\nversion = \"1\"\n", 0, "", "'policy'");
  CHECK_REFUSED("[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nblock = 2\n", 4, "", "'review'");
  CHECK_REFUSED(kHead + "[[rule]]\ncategory = \"c\"\nterms = [\"a\"]\n", 7, "", "'id'");
  CHECK_REFUSED(kHead + "[[rule]]\nid = \"x\"\nterms = [\"a\"]\n", 7, "x", "'category'");
  CHECK_REFUSED(kHead + rule("x", "weight = 2"), 7, "x", "neither terms nor regex");
  CHECK_REFUSED(kHead + rule("x", "terms = []"), 7, "x", "no terms");
  CHECK_REFUSED(kHead + "[[composite]]\nid = \"y\"\ncategory = \"c\"\n", 7, "y", "'expr'");
}

TEST_CASE("pack: bad terms are refused at their line") {
  CHECK_REFUSED(kHead + rule("x", "terms = [\"\"]"), 10, "x", "empty term");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"  \\t \"]"), 10, "x", "empty term");
  CHECK_REFUSED(kHead + rule("x", "terms = [\n  \"ok\",\n  \"!?-\",\n]"), 12, "x",
                "term '!?-' has no letters or digits");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\\u0000b\"]"), 10, "x", "NUL");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"" + std::string(16001, 'a') + "\"]"), 10, "x",
                "16001 bytes long; the limit is 16000");
  CHECK(load(kHead + rule("x", "terms = [\"" + std::string(16000, 'a') + "\"]")).rules.size() == 1);
  CHECK_REFUSED("[pack]\nname = \"p\\u0000\"\nversion = \"1\"\n", 2, "", "NUL");
}

TEST_CASE("pack: ids must be well-formed and unique") {
  CHECK_REFUSED(kHead + rule("has space", "terms = [\"a\"]"), 8, "", "invalid id 'has space'");
  CHECK_REFUSED(kHead + rule("", "terms = [\"a\"]"), 8, "", "invalid id");
  CHECK(load(kHead + rule("A-z_0.9:x", "terms = [\"a\"]")).rules[0].id == "A-z_0.9:x");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]") + rule("x", "terms = [\"b\"]"), 12, "x",
                "duplicate id 'x' (first defined at t.toml:7)");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]") +
                    "[[composite]]\nid = \"x\"\ncategory = \"c\"\nexpr = \"x\"\n",
                12, "x", "duplicate id 'x'");
}

TEST_CASE("pack: numeric limits") {
  CHECK_REFUSED("[pack]\nname = \"p\"\nversion = \"1\"\n[policy]\nreview = 9.0\nblock = 8.0\n", 5, "",
                "review threshold 9.0 is above the block threshold 8.0");
  CHECK_REFUSED(kHead + "[categories.p]\ncap = 0\n", 8, "", "cap must be > 0");
  CHECK_REFUSED(kHead + "[categories.p]\ncap = -1.5\n", 8, "", "cap must be > 0");
  CHECK_REFUSED(kHead + "[categories.p]\ncap = nan\n", 8, "", "nan");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nmax_hits = 0"), 11, "x", "max_hits");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nmax_hits = 4294967296"), 11, "x", "max_hits");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nweight = inf"), 11, "x", "finite");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]\nweight = nan"), 11, "x", "nan");
  CHECK_REFUSED(kHead + rule("x", "terms = [\"a\"]") +
                    "[[composite]]\nid = \"y\"\ncategory = \"c\"\nexpr = \"x\"\nweight = -inf\n",
                15, "y", "finite");
  CHECK(load(kHead + rule("x", "terms = [\"a\"]\nweight = -3")).rules[0].weight == -3.0);
}

TEST_CASE("pack: oversized input is refused before parsing") {
  const std::string big(std::size_t{64} * 1024 * 1024 + 1, '#');
  const PackError e = error_of(big);
  CHECK(e.where().line == 0);
  CHECK(contains(e.reason(), "64 MiB"));
}

TEST_CASE("pack: deeply dotted keys are refused before toml++ parses them") {
  std::string deep = "a";
  for (int i = 0; i < 40000; ++i) deep += ".a";
  CHECK_REFUSED(kHead + "\n" + deep + " = 1\n", 8, "", "more than 32 dotted parts");
  CHECK_REFUSED(kHead + "[" + deep + "]\n", 7, "", "more than 32 dotted parts");
  // Dots inside strings, comments and multi-line strings are not keys.
  std::string dots(100, '.');
  const Pack p = load(kHead + "# " + dots + "\n" +
                      rule("x", "terms = [\"a" + dots + "b\", 'c" + dots + "d']\ndescription = \"\"\"\n" +
                                    dots + "\\\n" + dots + "\"\"\""));
  CHECK(p.rules[0].terms.size() == 2);
}

TEST_CASE("pack: regexes with constructs Hyperscan lacks are refused by name") {
  struct Case {
    const char* re;
    const char* construct;
  };
  const Case bad[] = {
      {"(a)\\\\1", "back-reference '\\1'"},       {"\\\\k<n>", "named back-reference"},
      {"(?=x)a", "look-ahead '(?='"},             {"(?!x)a", "negative look-ahead"},
      {"(?<=x)a", "look-behind '(?<='"},          {"(?<!x)a", "negative look-behind"},
      {"a\\\\Kb", "'\\K'"},                       {"a\\\\Rb", "'\\R'"},
      {"(?>ab)", "atomic group"},                 {"a*+", "possessive quantifier '*+'"},
      {"a++", "possessive quantifier '++'"},      {"a?+", "possessive quantifier '?+'"},
      {"a{2,3}+", "possessive quantifier '}+'"},  {"(?(1)a|b)", "conditional"},
      {"(?R)", "recursion"},                      {"(a(?1))", "recursion or subroutine"},
      {"(*SKIP)a", "backtracking control verb"},  {"(?C1)a", "callout"},
      {"\\\\Q(\\\\E(?=a)", "look-ahead"},         {"[a]\\\\1", "back-reference"},
  };
  for (const auto& c : bad) {
    CAPTURE(c.re);
    CHECK_REFUSED(kHead + rule("x", std::string("regex = \"") + c.re + "\""), 10, "x", c.construct);
  }
  const char* good[] = {"\\\\(?=x\\\\)",  "[(?=]",    "\\\\Q(?=a\\\\E",  "(?:ab)+",  "a+?",
                        "a{2}",           "a{x}+",    "[]+]+",           "\\\\x{41}+", "(?i)ab",
                        "(?<name>ab)",    "[[:alpha:]]+", "(?#(?=)ab",   "(*UTF8)ab", "[\\\\1]"};
  for (const char* re : good) {
    CAPTURE(re);
    CHECK(load(kHead + rule("x", std::string("regex = \"") + re + "\"")).rules[0].regexes.size() ==
          1);
  }
  const PackError e = error_of(kHead + rule("x", "regexes = [\"ok\", \"\\u00e9(?=x)\"]"));
  CHECK(contains(e.reason(), "at character 2"));
  CHECK_REFUSED(kHead + rule("x", "regex = \"\""), 10, "x", "empty regex");
  CHECK_REFUSED(kHead + rule("x", "regex = \"" + std::string(16001, 'a') + "\""), 10, "x",
                "limit is 16000");
  CHECK_REFUSED(kHead + rule("x", "regex = \"a\"\nregexes = [\"b\"]"), 11, "x", "not both");
}

TEST_CASE("pack: composite expression errors name the column") {
  const std::string rules = kHead + rule("a", "terms = [\"a1\"]") + rule("b", "terms = [\"b1\"]");
  auto comp = [&](const std::string& id, const std::string& expr) {
    return "[[composite]]\nid = \"" + id + "\"\ncategory = \"c\"\nexpr = \"" + expr + "\"\n";
  };
  CHECK_REFUSED(rules + comp("y", "a & | b"), 18, "y", "expr: column 5: expected an id");
  CHECK_REFUSED(rules + comp("y", "a & (b"), 18, "y", "column 7: expected ')'");
  CHECK_REFUSED(rules + comp("y", "a b"), 18, "y", "column 3: unexpected 'b'");
  CHECK_REFUSED(rules + comp("y", "a && b"), 18, "y", "column 4");
  CHECK_REFUSED(rules + comp("y", "a $ b"), 18, "y", "column 3: unexpected character '$'");
  CHECK_REFUSED(rules + comp("y", ""), 18, "y", "empty expression");
  CHECK_REFUSED(rules + comp("y", "a & zz"), 18, "y", "column 5: unknown id 'zz'");
  CHECK_REFUSED(rules + comp("y", "3 of (a, b)"), 18, "y", "lists only 2 item(s)");
  CHECK_REFUSED(rules + comp("y", "0 of (a, b)"), 18, "y", "at least 1");
  CHECK_REFUSED(rules + comp("y", "near(a, b)"), 18, "y", "expected ','");
  CHECK_REFUSED(rules + comp("y", "near(a, b, x)"), 18, "y", "expected a number");
  CHECK_REFUSED(rules + comp("y", "near(a, b, 99999999999)"), 18, "y", "too large");
  CHECK_REFUSED(rules + comp("y", "a") + comp("z", "near(a, y, 3)"), 22, "z",
                "column 9: near() takes rule ids only; 'y' is a composite");
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += "(";
  deep += "a";
  for (int i = 0; i < 65; ++i) deep += ")";
  CHECK_REFUSED(rules + comp("y", deep), 18, "y", "column 65: expression nested deeper than 64");
  CHECK(load(rules + comp("y", deep.substr(1, deep.size() - 2))).composites.size() == 1);
  CHECK_REFUSED(rules + comp("y", std::string(65, '!') + "a"), 18, "y", "nested deeper");
}

TEST_CASE("pack: cycles among composites are refused, naming the cycle") {
  const std::string rules = kHead + rule("a", "terms = [\"a1\"]");
  auto comp = [](const std::string& id, const std::string& expr) {
    return "[[composite]]\nid = \"" + id + "\"\ncategory = \"c\"\nexpr = \"" + expr + "\"\n";
  };
  CHECK_REFUSED(rules + comp("p", "a & q") + comp("q", "r | a") + comp("r", "!p"), 11, "p",
                "composites form a cycle: p -> q -> r -> p");
  CHECK_REFUSED(rules + comp("s", "a & s"), 11, "s", "cycle: s -> s");
  // Forward references without a cycle are fine and ordered by dependency.
  const Pack p = load(rules + comp("top", "mid & a") + comp("mid", "low | a") + comp("low", "a"));
  CHECK(p.composite_order == std::vector<std::size_t>{2, 1, 0});
  CHECK(p.composites[0].weight == 1.0);  // default, as for rules
  check_round_trip(p);
}

TEST_CASE("expr: parsing and precedence") {
  using Op = Expr::Op;
  const Expr e1 = expr_pack("a | b & c").composites[0].expr;
  REQUIRE(e1.nodes.back().op == Op::or_);
  REQUIRE(e1.nodes.back().kids.size() == 2);
  CHECK(e1.nodes[e1.nodes.back().kids[1]].op == Op::and_);
  const Expr e2 = expr_pack("!a & b").composites[0].expr;
  CHECK(e2.nodes.back().op == Op::and_);
  CHECK(e2.nodes[e2.nodes.back().kids[0]].op == Op::not_);
  const Expr e3 = expr_pack("a & b & c & d").composites[0].expr;  // chains are flattened
  CHECK(e3.nodes.back().kids.size() == 4);
  const Expr e4 = expr_pack("2 of (a, b | c, near(d, e, 7))").composites[0].expr;
  const auto& root = e4.nodes.back();
  CHECK(root.op == Op::n_of);
  CHECK(root.n == 2);
  REQUIRE(root.kids.size() == 3);
  const auto& nr = e4.nodes[root.kids[2]];
  CHECK(nr.op == Op::near);
  CHECK(nr.symbol == 3);
  CHECK(nr.symbol2 == 4);
  CHECK(nr.n == 7);
  CHECK(e4.references() == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  CHECK(expr_pack("a & a | !a").composites[0].expr.references() == std::vector<std::uint32_t>{0});
  for (std::size_t i = 0; i < e4.nodes.size(); ++i) {
    for (auto k : e4.nodes[i].kids) CHECK(k < i);  // children before parents, root last
  }
}

TEST_CASE("expr: evaluation") {
  CHECK(eval("a", "a"));
  CHECK_FALSE(eval("a", "b"));
  CHECK(eval("a | b & c", "a"));
  CHECK_FALSE(eval("a | b & c", "b"));
  CHECK(eval("a | b & c", "bc"));
  CHECK_FALSE(eval("(a | b) & c", "a"));
  CHECK(eval("!a & b", "b"));
  CHECK_FALSE(eval("!a & b", "ab"));
  CHECK(eval("!!a", "a"));
  CHECK(eval("a & (b | 2 of (c, d, e)) & !e", "acd"));
  CHECK_FALSE(eval("a & (b | 2 of (c, d, e)) & !e", "acde"));
  CHECK(eval("2 of (a, b, c)", "ac"));
  CHECK_FALSE(eval("2 of (a, b, c)", "c"));
  CHECK(eval("3 of (a, b, c)", "abc"));
  CHECK(eval("1 of (a & b, c)", "c"));
  CHECK_FALSE(eval("1 of (a & b, c)", "a"));
  CHECK(eval("2 of (a, !b, c)", "a"));
  CHECK(Expr{}.evaluate(FakeContext(0)) == false);
}

TEST_CASE("expr: near() measures the gap between hits") {
  // gap = max(0, later begin - earlier end)
  CHECK(near_eval({{0, 5}}, {{10, 15}}, 5));
  CHECK_FALSE(near_eval({{0, 5}}, {{10, 15}}, 4));
  CHECK(near_eval({{10, 15}}, {{0, 5}}, 5));  // order of operands does not matter
  CHECK_FALSE(near_eval({{10, 15}}, {{0, 5}}, 4));
  CHECK(near_eval({{0, 10}}, {{3, 5}}, 0));  // overlapping counts as 0
  CHECK(near_eval({{0, 5}}, {{5, 9}}, 0));   // adjacent
  CHECK_FALSE(near_eval({}, {{5, 9}}, 100));
  CHECK_FALSE(near_eval({{5, 9}}, {}, 100));
  // Many hits: only the pair (40..45, 52..60) is within 7.
  CHECK(near_eval({{0, 2}, {20, 22}, {40, 45}, {100, 104}}, {{10, 12}, {52, 60}, {200, 201}}, 7));
  CHECK_FALSE(
      near_eval({{0, 2}, {20, 22}, {40, 45}, {100, 104}}, {{10, 12}, {53, 60}, {200, 201}}, 7));
  // A long hit of a reaches far: its end matters, not its begin.
  CHECK(near_eval({{0, 100}, {150, 151}}, {{103, 104}}, 3));
  CHECK(near_eval({{0, 1}}, {{0, 1}}, 0));
  const std::uint64_t big = std::uint64_t{1} << 62;
  CHECK(near_eval({{big, big + 3}}, {{big + 10, big + 11}}, 7));
  CHECK_FALSE(near_eval({{0, 1}}, {{big, big + 1}}, 4294967295u));
}
