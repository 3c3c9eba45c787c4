// vigil: exact content digests — MD5 and SHA-256 (OpenSSL EVP, the forms hash-sharing databases
// exchange) and XXH3-128 (libxxhash; fast, non-cryptographic, for local de-duplication only).
// Link with -lcrypto and -lxxhash. All functions are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <xxhash.h>

#include "vigil/hash/hash256.hpp"
#include "vigil/hash/kernel_dispatch.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// Thrown when OpenSSL refuses an operation (e.g. MD5 disabled by a FIPS-only configuration).
class DigestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Md5Digest = std::array<std::uint8_t, 16>;
using Sha256Digest = std::array<std::uint8_t, 32>;
using Xxh128Digest = std::array<std::uint8_t, 16>;  // big-endian (canonical XXH128 byte order)

enum class DigestKind { md5, sha256, xxh3_128 };

inline const char* digest_name(DigestKind k) {
  switch (k) {
    case DigestKind::md5: return "md5";
    case DigestKind::sha256: return "sha256";
    case DigestKind::xxh3_128: return "xxh3_128";
  }
  return "?";
}

/// Lowercase hex of any byte sequence.
template <std::size_t N>
inline std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * N);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

/// Parses 2*N hex digits; throws HashFormatError otherwise.
template <std::size_t N>
inline std::array<std::uint8_t, N> bytes_from_hex(std::string_view text) {
  std::array<std::uint8_t, N> out{};
  bool ok = text.size() == 2 * N;
  for (std::size_t i = 0; ok && i < N; ++i) {
    const int hi = detail::hex_digit_value(text[2 * i]), lo = detail::hex_digit_value(text[2 * i + 1]);
    ok = hi >= 0 && lo >= 0;
    if (ok) out[i] = static_cast<std::uint8_t>((hi << 4) | lo);  // -1 << 4 would be UB
  }
  if (!ok) {
    throw HashFormatError("want " + std::to_string(2 * N) + " hex digits, got '" +
                          std::string(text.substr(0, 80)) + "'");
  }
  return out;
}

namespace detail {

struct EvpContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

template <std::size_t N>
inline std::array<std::uint8_t, N> evp_digest(const EVP_MD* md, const void* data, std::size_t size) {
  std::unique_ptr<EVP_MD_CTX, EvpContextDeleter> ctx(EVP_MD_CTX_new());
  std::array<std::uint8_t, N> out{};
  unsigned int length = 0;
  if (!ctx || md == nullptr || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data, size) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != N) {
    throw DigestError("OpenSSL digest failed");
  }
  return out;
}

}  // namespace detail

inline Md5Digest md5(const void* data, std::size_t size) {
  return detail::evp_digest<16>(EVP_md5(), data, size);
}
inline Md5Digest md5(std::string_view bytes) { return md5(bytes.data(), bytes.size()); }

inline Sha256Digest sha256(const void* data, std::size_t size) {
  return detail::evp_digest<32>(EVP_sha256(), data, size);
}
inline Sha256Digest sha256(std::string_view bytes) { return sha256(bytes.data(), bytes.size()); }

/// One-shot XXH3-128 on the active text kernels (kernel_dispatch.hpp: the library compiles xxHash
/// inline per instruction set, AVX2/AVX-512 loops where the CPU has them).
inline Xxh128Digest xxh3_128(const void* data, std::size_t size) {
  Xxh128Digest out{};
  active_text_kernels().xxh3_128(data, size, out.data());
  return out;
}
inline Xxh128Digest xxh3_128(std::string_view bytes) { return xxh3_128(bytes.data(), bytes.size()); }

/// Hex digest of the given kind: 32 digits for md5/xxh3_128, 64 for sha256.
inline std::string digest_hex(DigestKind kind, std::string_view bytes) {
  switch (kind) {
    case DigestKind::md5: return to_hex(md5(bytes));
    case DigestKind::sha256: return to_hex(sha256(bytes));
    case DigestKind::xxh3_128: return to_hex(xxh3_128(bytes));
  }
  return {};
}

/// Incremental digest for streamed input (files, uploads): update() with chunks, then
/// finish_hex() once. Not thread-safe; one per stream.
class DigestStream {
 public:
  explicit DigestStream(DigestKind kind) : kind_(kind) {
    if (kind == DigestKind::xxh3_128) {
      xxh_.reset(XXH3_createState());
      if (!xxh_ || XXH3_128bits_reset(xxh_.get()) != XXH_OK) throw DigestError("XXH3 init failed");
      return;
    }
    evp_.reset(EVP_MD_CTX_new());
    const EVP_MD* md = kind == DigestKind::md5 ? EVP_md5() : EVP_sha256();
    if (!evp_ || EVP_DigestInit_ex(evp_.get(), md, nullptr) != 1) throw DigestError("OpenSSL init failed");
  }

  void update(const void* data, std::size_t size) {
    const bool ok = xxh_ ? XXH3_128bits_update(xxh_.get(), data, size) == XXH_OK
                         : EVP_DigestUpdate(evp_.get(), data, size) == 1;
    if (!ok) throw DigestError("digest update failed");
  }
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }

  std::string finish_hex() {
    if (xxh_) {
      XXH128_canonical_t canonical;
      XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(xxh_.get()));
      Xxh128Digest out{};
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = canonical.digest[i];
      return to_hex(out);
    }
    std::array<std::uint8_t, 32> out{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(evp_.get(), out.data(), &length) != 1) throw DigestError("digest final failed");
    return to_hex(out).substr(0, 2 * length);
  }

  DigestKind kind() const noexcept { return kind_; }

 private:
  struct XxhDeleter {
    void operator()(XXH3_state_t* s) const noexcept { XXH3_freeState(s); }
  };
  DigestKind kind_;
  std::unique_ptr<EVP_MD_CTX, detail::EvpContextDeleter> evp_;
  std::unique_ptr<XXH3_state_t, XxhDeleter> xxh_;
};

}  // namespace hash
}  // namespace v1
}  // namespace vigil
