// Digests: known-answer vectors (RFC 1321, FIPS 180-2, xxHash's published XXH3-128 of "").
#include <doctest/doctest.h>

#include <string>

#include "vigil/hash/digest.hpp"

namespace vh = vigil::hash;

TEST_CASE("digest: MD5 and SHA-256 known answers") {
  CHECK(vh::to_hex(vh::md5("")) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(vh::to_hex(vh::md5("abc")) == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(vh::to_hex(vh::sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(vh::digest_hex(vh::DigestKind::sha256, "") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("digest: XXH3-128") {
  CHECK(vh::to_hex(vh::xxh3_128("")) == "99aa06d3014798d86001c324468d497f");
  CHECK(vh::to_hex(vh::xxh3_128("abc")).size() == 32);
  CHECK(vh::xxh3_128("abc") != vh::xxh3_128("abd"));
}

TEST_CASE("digest: streaming equals one-shot; hex parsing") {
  std::string big(100000, 'x');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + 7);
  for (auto kind : {vh::DigestKind::md5, vh::DigestKind::sha256, vh::DigestKind::xxh3_128}) {
    vh::DigestStream s(kind);
    for (std::size_t i = 0; i < big.size(); i += 4093) s.update(std::string_view(big).substr(i, 4093));
    CHECK(s.finish_hex() == vh::digest_hex(kind, big));
  }
  const auto d = vh::sha256("abc");
  CHECK(vh::bytes_from_hex<32>(vh::to_hex(d)) == d);
  CHECK_THROWS_AS(vh::bytes_from_hex<16>("abc"), vh::HashFormatError);
  CHECK_THROWS_AS(vh::bytes_from_hex<2>("zz00"), vh::HashFormatError);
}
