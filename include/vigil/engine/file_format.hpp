// vigil: the serialised-engine file: a header that says what built it, the pack, the
// Hyperscan databases, and a SHA-256 over all of it.
//
//   offset 0  "VIGILENG"                  magic (8 bytes)
//             u32 format version          (kFormatVersion)
//             u32 flags                   bit 0: streaming databases present
//             str hs_version()            of the compiling library
//             str platform                architecture and byte order
//             str pack hash               SHA-256 hex of the canonical pack
//             blob canonical pack TOML
//             blob x4 Hyperscan databases block literals, block regexes, stream literals,
//                                         stream regexes (empty when absent)
//             32 bytes SHA-256 of everything before it
// str = u32 length + bytes; blob = u64 length + bytes; integers little-endian.
#pragma once


#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "vigil/hash/digest.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {

/// An engine file could not be read: not an engine file, corrupt, truncated, or from another
/// version or platform. what() names the file and the problem.
class EngineFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

inline constexpr char kEngineMagic[8] = {'V', 'I', 'G', 'I', 'L', 'E', 'N', 'G'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kDigestSize = 32;

inline std::string platform_tag() {
#if defined(__x86_64__) || defined(_M_X64)
  std::string arch = "x86_64";
#elif defined(__aarch64__)
  std::string arch = "aarch64";
#else
  std::string arch = "unknown";
#endif
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return arch + (first == 1 ? "-le" : "-be");
}

inline std::array<std::uint8_t, kDigestSize> sha256(std::string_view data) {
  return hash::sha256(data);
}

class ByteWriter {
 public:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  void u32(std::uint32_t v) { le(v, 4); }
  void u64(std::uint64_t v) { le(v, 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void blob(std::string_view s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  std::string& bytes() { return out_; }

 private:
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string out_;
};

/// Bounds-checked reader; every read past the end is a clear "truncated" error.
class ByteReader {
 public:
  ByteReader(std::string_view data, std::string origin) : data_(data), origin_(std::move(origin)) {}

  std::string_view take(std::uint64_t n, const char* what) {
    if (n > data_.size() - pos_) {
      throw EngineFileError(origin_ + ": truncated engine file (" + what + " at byte " +
                            std::to_string(pos_) + " needs " + std::to_string(n) +
                            " bytes, " + std::to_string(data_.size() - pos_) + " left)");
    }
    std::string_view s = data_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
  }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(le(4, what)); }
  std::uint64_t u64(const char* what) { return le(8, what); }
  std::string_view str(const char* what) { return take(u32(what), what); }
  std::string_view blob(const char* what) { return take(u64(what), what); }
  std::size_t position() const { return pos_; }
  const std::string& origin() const { return origin_; }

 private:
  std::uint64_t le(int n, const char* what) {
    std::string_view b = take(static_cast<std::uint64_t>(n), what);
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
    return v;
  }
  std::string_view data_;
  std::size_t pos_ = 0;
  std::string origin_;
};

}  // namespace detail

/// The parts of an engine file (views into the file's bytes).
struct EngineFileParts {
  std::uint32_t flags = 0;
  std::string_view hs_version, platform, pack_hash, pack_source;
  std::array<std::string_view, 4> databases;
};

/// Frame `parts` as an engine file (the trailing checksum is computed here).
inline std::string write_engine_file(const EngineFileParts& parts) {
  detail::ByteWriter w;
  w.raw(detail::kEngineMagic, sizeof detail::kEngineMagic);
  w.u32(detail::kFormatVersion);
  w.u32(parts.flags);
  w.str(parts.hs_version);
  w.str(parts.platform);
  w.str(parts.pack_hash);
  w.blob(parts.pack_source);
  for (std::string_view db : parts.databases) w.blob(db);
  auto digest = detail::sha256(w.bytes());
  w.raw(digest.data(), digest.size());
  return std::move(w.bytes());
}

/// Check magic, version and checksum, and split the file. The caller checks hs_version,
/// platform and pack hash against its own (it knows which differences it can recover from).
inline EngineFileParts read_engine_file(std::string_view data, const std::string& origin) {
  detail::ByteReader r(data, origin);
  if (data.size() < sizeof detail::kEngineMagic ||
      std::memcmp(data.data(), detail::kEngineMagic, sizeof detail::kEngineMagic) != 0)
    throw EngineFileError(origin + ": not a vigil engine file (bad magic)");
  r.take(sizeof detail::kEngineMagic, "magic");
  std::uint32_t version = r.u32("format version");
  if (version != detail::kFormatVersion) {
    throw EngineFileError(origin + ": engine file format " + std::to_string(version) +
                          ", this build reads format " +
                          std::to_string(detail::kFormatVersion) + "; recompile it from its pack");
  }
  if (data.size() < detail::kDigestSize + r.position())
    throw EngineFileError(origin + ": truncated engine file (no checksum)");
  std::string_view body = data.substr(0, data.size() - detail::kDigestSize);
  auto digest = detail::sha256(body);
  if (std::memcmp(digest.data(), data.data() + body.size(), detail::kDigestSize) != 0)
    throw EngineFileError(origin + ": corrupt engine file (checksum mismatch)");
  detail::ByteReader br(body, origin);
  br.take(sizeof detail::kEngineMagic + 4, "header");
  EngineFileParts parts;
  parts.flags = br.u32("flags");
  parts.hs_version = br.str("Hyperscan version");
  parts.platform = br.str("platform");
  parts.pack_hash = br.str("pack hash");
  parts.pack_source = br.blob("pack");
  for (auto& db : parts.databases) db = br.blob("database");
  if (br.position() != body.size())
    throw EngineFileError(origin + ": corrupt engine file (" +
                          std::to_string(body.size() - br.position()) + " unexpected bytes)");
  return parts;
}

}  // namespace v1
}  // namespace vigil
