// Limits and hot reload: oversized messages, floods of matches, pathological regexes, and
// reloads that fail at each step leaving the previous engine serving.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "test_support.hpp"
#include "vigil/engine_holder.hpp"

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
