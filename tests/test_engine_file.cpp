// Serialised engines: round trip, and clear refusal of foreign, corrupt and truncated files.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "test_support.hpp"

using vigil_test::engine_from;

namespace {

const char* kPack = R"(
[pack]
name = "file"
version = "3"
[policy]
review = 1.0
block = 3.0
[[rule]]
id = "org"
category = "org"
weight = 2.0
terms = ["islamic state", "daesh"]
[[rule]]
id = "guide"
category = "instruction"
weight = 2.0
regex = "pipe ?bombs?"
)";

std::string error_of(std::string_view bytes) {
  try {
    vigil::Engine::deserialize(bytes, "engine.vgl");
  } catch (const vigil::EngineFileError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a serialised engine loads back and scans exactly like the original") {
  auto e = engine_from(kPack);
  std::string bytes = e->serialize();
  auto back = vigil::Engine::deserialize(bytes, "engine.vgl");
  CHECK(back->pack().hash == e->pack().hash);
  CHECK(back->supports_streaming());
  for (const char* msg : {"daesh pipe bombs", "nothing here", "ISLAMIC-STATE"}) {
    auto a = e->scan(msg), b = back->scan(msg);
    CHECK(a.score == b.score);
    CHECK(a.hits.size() == b.hits.size());
  }
  auto s = back->open_stream();
  s.write("pipe b");
  s.write("omb");
  CHECK(s.finish().hits.size() == 1);
  CHECK(back->serialize() == bytes);  // deterministic
}

TEST_CASE("save() and load() go through a file") {
  auto e = engine_from(kPack, false);
  std::string path = "test-engine-save.vgl";
  e->save(path);
  auto back = vigil::Engine::load(path);
  CHECK_FALSE(back->supports_streaming());
  CHECK(back->scan("daesh").hits.size() == 1);
  std::remove(path.c_str());
  CHECK_THROWS_AS(vigil::Engine::load("no/such/engine.vgl"), vigil::EngineFileError);
}

TEST_CASE("a file that is not an engine is refused as such") {
  CHECK(contains(error_of("[pack]\nname = \"x\"\n"), "not a vigil engine file"));
  CHECK(contains(error_of(""), "not a vigil engine file"));
}

TEST_CASE("a corrupt engine file is refused by its checksum") {
  std::string bytes = engine_from(kPack)->serialize();
  for (std::size_t at : {std::size_t(20), bytes.size() / 2, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    CHECK(contains(error_of(bad), "engine.vgl"));
    CHECK(contains(error_of(bad), "checksum"));
  }
}

TEST_CASE("a truncated engine file is refused at every length") {
  std::string bytes = engine_from(kPack)->serialize();
  for (std::size_t len = 0; len < bytes.size(); len += 1 + len / 3) {
    std::string msg = error_of(bytes.substr(0, len));
    CHECK_MESSAGE(!msg.empty(), "length " << len);
  }
}

TEST_CASE("files from another format version, Hyperscan version or platform are refused") {
  auto e = engine_from(kPack);
  vigil::EngineFileParts parts;
  parts.hs_version = "4.0.0 1970-01-01";
  std::string platform = vigil::detail::platform_tag();
  parts.platform = platform;
  parts.pack_hash = e->pack().hash;
  parts.pack_source = e->pack().canonical_source;
  CHECK(contains(error_of(vigil::write_engine_file(parts)), "Hyperscan 4.0.0"));
  std::string hs = hs_version();
  parts.hs_version = hs;
  parts.platform = "sparc-be";
  CHECK(contains(error_of(vigil::write_engine_file(parts)), "sparc-be"));
  parts.platform = platform;
  CHECK(contains(error_of(vigil::write_engine_file(parts)), "do not fit"));  // no databases
  std::string bytes = e->serialize();
  bytes[8] = 9;  // format version 9
  CHECK(contains(error_of(bytes), "format 9"));
}
