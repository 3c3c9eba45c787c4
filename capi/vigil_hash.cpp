// vigil: the C ABI's hash functions — digests, hex, the normal form, SimHash/MinHash, PDQ.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "detail_known.hpp"
#include "vigil/hash/minhash.hpp"
#include "vigil/hash/pdq.hpp"
#include "vigil/hash/simhash.hpp"
#include "vigil/hash/text_fingerprint.hpp"
#include "vigil/text/normalize.hpp"

using namespace vigil_capi;

namespace {

namespace vh = vigil::hash;

constexpr std::size_t kDigestSizes[] = {VIGIL_MD5_SIZE, VIGIL_SHA256_SIZE, VIGIL_XXH3_128_SIZE,
                                        VIGIL_TEXT_FINGERPRINT_SIZE};
constexpr vh::DigestKind kDigestKinds[] = {vh::DigestKind::md5, vh::DigestKind::sha256,
                                           vh::DigestKind::xxh3_128};

bool digest_kind_ok(int kind) { return kind >= VIGIL_DIGEST_MD5 && kind <= VIGIL_DIGEST_TEXT; }

/// The text fingerprint of data[0..len) into out (16 bytes).
void write_text_fingerprint(std::string_view text, std::uint8_t* out) {
  const vh::Xxh128Digest d = vh::text_fingerprint(text);
  std::memcpy(out, d.data(), d.size());
}

/// The digest of `stream`'s input, written as bytes (the stream gives hex).
void write_digest(vh::DigestStream& stream, std::uint8_t* out) {
  const std::string hex = stream.finish_hex();
  for (std::size_t i = 0; i < hex.size() / 2; ++i) {
    out[i] = static_cast<std::uint8_t>((vh::detail::hex_digit_value(hex[2 * i]) << 4) |
                                       vh::detail::hex_digit_value(hex[2 * i + 1]));
  }
}

/// Check the digest arguments common to the byte and file forms.
int check_digest_args(const char* fn, int kind, const std::uint8_t* out, std::size_t out_size) {
  VIGIL_REQUIRE(digest_kind_ok(kind), fn, "kind is not a vigil_digest_kind");
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(out_size >= kDigestSizes[kind], fn, "out_size is smaller than the digest");
  return VIGIL_OK;
}

/// A Hash256 as the 32 bytes of its hex form (most significant first).
void pdq_bytes(const vh::Hash256& h, std::uint8_t* out) {
  for (int w = 3, k = 0; w >= 0; --w) {
    for (int shift = 56; shift >= 0; shift -= 8) out[k++] = static_cast<std::uint8_t>(h.words[w] >> shift);
  }
}

/// Hash `view` as the CLI does: optional squash, hash(), then (if asked) hash_dihedral().
void pdq_hash_view(const vh::ImageView& view, const vigil_pdq_options* opts, vigil_pdq_result* out) {
  const bool squash = opts == nullptr || !VIGIL_HAS_FIELD(opts, vigil_pdq_options, squash) || opts->squash != 0;
  const bool dihedral = opts != nullptr && VIGIL_HAS_FIELD(opts, vigil_pdq_options, dihedral) && opts->dihedral != 0;
  view.validate();
  vh::OwnedImage squashed;
  vh::ImageView hashed = view;
  if (squash && (view.width > 512 || view.height > 512)) {
    squashed = vh::squash_to_512(view);
    hashed = squashed.view();
  }
  thread_local vh::PdqHasher hasher;
  const vh::PdqResult r = hasher.hash(hashed);
  vigil_pdq_result result;
  std::memset(&result, 0, sizeof result);
  pdq_bytes(r.hash, result.hash);
  result.quality = r.quality;
  if (dihedral) {
    const vh::PdqDihedral all = hasher.hash_dihedral(hashed);
    result.has_dihedral = 1;
    for (int d = 0; d < 8; ++d) pdq_bytes(all.hashes[d], result.dihedral[d]);
  }
  const std::size_t size = out->struct_size;  // fill only what the caller's struct holds
  result.struct_size = size;
  std::memcpy(out, &result, size);
}

int check_pdq_args(const char* fn, const vigil_pdq_options* opts, const vigil_pdq_result* out) {
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(out->struct_size >= VIGIL_FIELD_END(vigil_pdq_result, quality) &&
                    out->struct_size <= sizeof(vigil_pdq_result),
                fn, "out->struct_size is not a vigil_pdq_result size this library knows");
  VIGIL_REQUIRE(options_size_ok(opts, VIGIL_FIELD_END(vigil_pdq_options, squash)), fn,
                "opts->struct_size is not a vigil_pdq_options size this library knows");
  return VIGIL_OK;
}

std::uint64_t pdq_max_pixels(const vigil_pdq_options* opts) {
  return opts != nullptr && VIGIL_HAS_FIELD(opts, vigil_pdq_options, max_pixels) ? opts->max_pixels : 0;
}

int pdq_encoded(std::string_view bytes, const vigil_pdq_options* opts, vigil_pdq_result* out) {
  const vh::OwnedImage img = vigil::image::decode(bytes, decode_limits(pdq_max_pixels(opts)));
  pdq_hash_view(img.view(), opts, out);
  return VIGIL_OK;
}

/// Text arguments of the sketches: the normal form of text[0..len).
std::string normal_form(const char* text, std::size_t len) {
  return vigil::text::normalize(message_view(text, len)).text;
}

}  // namespace

extern "C" {

/* ---- digests and hex ---- */

size_t vigil_hash_digest_size(int kind) {
  if (!digest_kind_ok(kind)) return fail(VIGIL_E_INVALID, "vigil_hash_digest_size: unknown kind"), 0;
  return kDigestSizes[kind];
}

const char* vigil_hash_digest_name(int kind) {
  if (!digest_kind_ok(kind)) return fail(VIGIL_E_INVALID, "vigil_hash_digest_name: unknown kind"), nullptr;
  if (kind == VIGIL_DIGEST_TEXT) return "text";
  return vh::digest_name(kDigestKinds[kind]);
}

int vigil_hash_digest(int kind, const void* data, size_t len, uint8_t* out, size_t out_size) {
  static const char fn[] = "vigil_hash_digest";
  if (int rc = check_digest_args(fn, kind, out, out_size)) return rc;
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  return guarded_known(fn, [&] {
    if (kind == VIGIL_DIGEST_TEXT) {
      write_text_fingerprint(message_view(static_cast<const char*>(data), len), out);
      return VIGIL_OK;
    }
    vh::DigestStream stream(kDigestKinds[kind]);
    stream.update(len ? data : "", len);
    write_digest(stream, out);
    return VIGIL_OK;
  });
}

int vigil_hash_digest_file(int kind, const char* path, uint8_t* out, size_t out_size) {
  static const char fn[] = "vigil_hash_digest_file";
  if (int rc = check_digest_args(fn, kind, out, out_size)) return rc;
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded_known(fn, [&] {
    struct Closer {
      void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, Closer> f(std::fopen(path, "rb"));
    if (!f) throw ApiError(VIGIL_E_IO, std::string("cannot open '") + path + "': " + std::strerror(errno));
    std::array<char, 1 << 16> chunk;
    std::size_t n;
    if (kind == VIGIL_DIGEST_TEXT) {  // the normal form needs the whole text
      std::string text;
      while ((n = std::fread(chunk.data(), 1, chunk.size(), f.get())) > 0) text.append(chunk.data(), n);
      if (std::ferror(f.get())) throw ApiError(VIGIL_E_IO, std::string("cannot read '") + path + "'");
      write_text_fingerprint(text, out);
      return VIGIL_OK;
    }
    vh::DigestStream stream(kDigestKinds[kind]);
    while ((n = std::fread(chunk.data(), 1, chunk.size(), f.get())) > 0) stream.update(chunk.data(), n);
    if (std::ferror(f.get())) throw ApiError(VIGIL_E_IO, std::string("cannot read '") + path + "'");
    write_digest(stream, out);
    return VIGIL_OK;
  });
}

int vigil_hash_to_hex(const uint8_t* bytes, size_t len, char* buf, size_t cap) {
  static const char fn[] = "vigil_hash_to_hex";
  static constexpr char kDigits[] = "0123456789abcdef";
  VIGIL_REQUIRE(bytes != nullptr || len == 0, fn, "bytes is NULL with len > 0");
  VIGIL_REQUIRE(buf != nullptr, fn, "buf is NULL");
  if (cap == 0 || len > (cap - 1) / 2)
    return fail(VIGIL_E_BUFFER_TOO_SMALL, invalid_message(fn, "cap is less than 2*len + 1"));
  for (std::size_t i = 0; i < len; ++i) {
    buf[2 * i] = kDigits[bytes[i] >> 4];
    buf[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  buf[2 * len] = '\0';
  last_error.clear();
  return VIGIL_OK;
}

int vigil_hash_from_hex(const char* hex, size_t hex_len, uint8_t* out, size_t out_size,
                        size_t* written) {
  static const char fn[] = "vigil_hash_from_hex";
  VIGIL_REQUIRE(hex != nullptr || hex_len == 0, fn, "hex is NULL with hex_len > 0");
  VIGIL_REQUIRE(out != nullptr || hex_len == 0, fn, "out is NULL");
  if (hex_len % 2 != 0) return fail(VIGIL_E_HASH, invalid_message(fn, "odd number of hex digits"));
  if (out_size < hex_len / 2)
    return fail(VIGIL_E_BUFFER_TOO_SMALL, invalid_message(fn, "out_size is less than hex_len/2"));
  for (std::size_t i = 0; i < hex_len; i += 2) {
    const int hi = vh::detail::hex_digit_value(hex[i]), lo = vh::detail::hex_digit_value(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return fail(VIGIL_E_HASH, std::string(fn) + ": not a hex digit at offset " +
                                    std::to_string(hi < 0 ? i : i + 1));
    out[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  if (written != nullptr) *written = hex_len / 2;
  last_error.clear();
  return VIGIL_OK;
}

int vigil_hash_distance(const uint8_t* a, const uint8_t* b, size_t len) {
  if ((a == nullptr || b == nullptr) && len > 0)
    return fail(VIGIL_E_INVALID, "vigil_hash_distance: a or b is NULL"), -1;
  int d = 0;
  for (std::size_t i = 0; i < len; ++i) d += __builtin_popcount(static_cast<unsigned>(a[i] ^ b[i]));
  return d;
}

/* ---- text ---- */

int vigil_text_normalize(const char* text, size_t len, char** out, size_t* out_len) {
  static const char fn[] = "vigil_text_normalize";
  null_out(out);
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  return guarded_known(fn, [&] {
    const std::string normal = normal_form(text, len);
    *out = copy_out(normal);
    if (out_len != nullptr) *out_len = normal.size();
    return VIGIL_OK;
  });
}

int vigil_hash_simhash64(const char* text, size_t len, int words_per_shingle, uint64_t* out) {
  static const char fn[] = "vigil_hash_simhash64";
  VIGIL_REQUIRE(out != nullptr, fn, "out is NULL");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  VIGIL_REQUIRE(words_per_shingle >= 0, fn, "words_per_shingle is negative");
  return guarded_known(fn, [&] {
    *out = vh::simhash64(normal_form(text, len), words_per_shingle == 0 ? 2 : words_per_shingle);
    return VIGIL_OK;
  });
}

int vigil_hash_minhash(const char* text, size_t len, int words_per_shingle, uint32_t* slots,
                       size_t n_slots) {
  static const char fn[] = "vigil_hash_minhash";
  VIGIL_REQUIRE(slots != nullptr, fn, "slots is NULL");
  VIGIL_REQUIRE(n_slots >= VIGIL_MINHASH_SLOTS, fn, "n_slots is less than VIGIL_MINHASH_SLOTS");
  VIGIL_REQUIRE(text != nullptr || len == 0, fn, "text is NULL with len > 0");
  VIGIL_REQUIRE(words_per_shingle >= 0, fn, "words_per_shingle is negative");
  return guarded_known(fn, [&] {
    const vh::MinHashSignature s =
        vh::minhash(normal_form(text, len), words_per_shingle == 0 ? 3 : words_per_shingle);
    std::copy(s.slots.begin(), s.slots.end(), slots);
    return VIGIL_OK;
  });
}

double vigil_hash_minhash_similarity(const uint32_t* a, const uint32_t* b, size_t n) {
  if (a == nullptr || b == nullptr || n == 0)
    return fail(VIGIL_E_INVALID, "vigil_hash_minhash_similarity: a or b is NULL, or n is 0"), kNaN;
  std::size_t same = 0;
  for (std::size_t i = 0; i < n; ++i) same += a[i] == b[i];
  return static_cast<double>(same) / static_cast<double>(n);
}

/* ---- PDQ ---- */

int vigil_hash_pdq_pixels(const vigil_image* image, const vigil_pdq_options* opts,
                          vigil_pdq_result* out) {
  static const char fn[] = "vigil_hash_pdq_pixels";
  if (int rc = check_pdq_args(fn, opts, out)) return rc;
  VIGIL_REQUIRE(image != nullptr, fn, "image is NULL");
  VIGIL_REQUIRE(image_size_ok(image), fn, "image->struct_size is not a vigil_image size this library knows");
  return guarded_known(fn, [&] {
    pdq_hash_view(image_view(*image), opts, out);
    return VIGIL_OK;
  });
}

int vigil_hash_pdq_image(const void* data, size_t len, const vigil_pdq_options* opts,
                         vigil_pdq_result* out) {
  static const char fn[] = "vigil_hash_pdq_image";
  if (int rc = check_pdq_args(fn, opts, out)) return rc;
  VIGIL_REQUIRE(data != nullptr || len == 0, fn, "data is NULL with len > 0");
  return guarded_known(fn, [&] {
    return pdq_encoded(std::string_view(len ? static_cast<const char*>(data) : "", len), opts, out);
  });
}

int vigil_hash_pdq_file(const char* path, const vigil_pdq_options* opts, vigil_pdq_result* out) {
  static const char fn[] = "vigil_hash_pdq_file";
  if (int rc = check_pdq_args(fn, opts, out)) return rc;
  VIGIL_REQUIRE(path != nullptr, fn, "path is NULL");
  return guarded_known(fn, [&] { return pdq_encoded(read_file(path), opts, out); });
}

const char* vigil_hash_dihedral_name(int i) {
  if (i < 0 || i > 7) return fail(VIGIL_E_INVALID, "vigil_hash_dihedral_name: not 0..7"), nullptr;
  return vh::dihedral_name(static_cast<vh::Dihedral>(i));
}

}  // extern "C"
