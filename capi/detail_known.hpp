// vigil: what the C ABI's hashing, bank and scanner sources share — the mapping of the hashing
// core's exceptions to VIGIL_E_BANK / _HASH / _IMAGE, pixel views from vigil_image, file reads.
// Internal to libvigil.
#pragma once

#include <cerrno>
#include <cstdio>
#include <memory>
#include <shared_mutex>
#include <string>

#include "detail_api.hpp"
#include "vigil/bank/bank_file.hpp"
#include "vigil/hash/digest.hpp"
#include "vigil/hash/image_view.hpp"
#include "vigil/image/decode.hpp"
#include "vigil/scanner.hpp"

namespace vigil_capi {

/// The banks behind a vigil_bank handle, shared with the scanners built from it. Scans and
/// queries hold `mutex` shared; loads, definitions and adds hold it exclusively.
struct BankState {
  std::shared_mutex mutex;
  std::shared_ptr<vigil::ScanBanks> banks = std::make_shared<vigil::ScanBanks>();
};

}  // namespace vigil_capi

struct vigil_bank {
  std::shared_ptr<vigil_capi::BankState> state;
};

namespace vigil_capi {

/// guarded(), with the hashing core's exceptions given their own codes (checked before the
/// generic std::exception mapping would call them internal errors).
template <class F>
inline int guarded_known(const char* fn, F&& body) noexcept {
  return guarded(fn, [&]() -> int {
    try {
      return body();
    } catch (const vigil::bank::BankError& e) {
      throw ApiError(VIGIL_E_BANK, e.what());
    } catch (const vigil::hash::HashFormatError& e) {
      throw ApiError(VIGIL_E_HASH, e.what());
    } catch (const vigil::hash::DigestError& e) {
      throw ApiError(VIGIL_E_HASH, e.what());
    } catch (const vigil::hash::ImageError& e) {
      throw ApiError(VIGIL_E_IMAGE, e.what());
    } catch (const vigil::image::ImageDecodeError& e) {
      throw ApiError(VIGIL_E_IMAGE, e.what());
    }
  });
}

/// The core's pixel view of a vigil_image (validated by the core when hashed).
inline vigil::hash::ImageView image_view(const vigil_image& in) {
  using vigil::hash::PixelFormat;
  static constexpr PixelFormat kFormats[] = {PixelFormat::grey8, PixelFormat::rgb8,
                                             PixelFormat::bgr8, PixelFormat::rgba8,
                                             PixelFormat::bgra8};
  if (in.format < 0 || in.format > VIGIL_PIXEL_BGRA8)
    throw ApiError(VIGIL_E_INVALID, "image->format is not a vigil_pixel_format");
  return vigil::hash::ImageView{in.data, in.size, in.width, in.height, in.stride,
                                kFormats[in.format]};
}

/// The image's struct_size must cover every field (they are all needed).
inline bool image_size_ok(const vigil_image* image) {
  return image->struct_size >= VIGIL_FIELD_END(vigil_image, format) &&
         image->struct_size <= sizeof(vigil_image);
}

/// Decode limits with a caller's pixel cap (0: the core's default).
inline vigil::image::DecodeLimits decode_limits(std::uint64_t max_pixels) {
  vigil::image::DecodeLimits limits;
  if (max_pixels != 0) limits.max_pixels = max_pixels;
  return limits;
}

/// A whole file's bytes; VIGIL_E_IO naming the file when it cannot be read.
inline std::string read_file(const char* path) {
  struct Closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> f(std::fopen(path, "rb"));
  if (!f) throw ApiError(VIGIL_E_IO, std::string("cannot open '") + path + "': " + std::strerror(errno));
  std::string data;
  char chunk[1 << 16];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f.get())) > 0) data.append(chunk, n);
  if (std::ferror(f.get())) throw ApiError(VIGIL_E_IO, std::string("cannot read '") + path + "'");
  return data;
}

}  // namespace vigil_capi
