// vigil: decoding JPEG (libjpeg / libjpeg-turbo) and PNG (stb_image) from memory into 8-bit
// pixels for PDQ, as the reference pipeline sees them: library defaults for JPEG (JDCT_ISLOW,
// fancy upsampling: what ImageMagick used for the reference run), alpha dropped, grey kept grey,
// and RGB whose channels are all equal turned into grey8 (ImageMagick hands such images over as
// grey). EXIF orientation is ignored, as by the reference.
//
// Link with libjpeg (pkg-config libjpeg). stb_image is compiled into each translation unit that
// includes this header (static functions, PNG only), so do not also define
// STB_IMAGE_IMPLEMENTATION elsewhere in such a unit.
//
// Corrupt or hostile input throws ImageDecodeError; it never exits or reads out of bounds (libjpeg's
// default error handler calls exit(): ours longjmps back), and dimensions are checked against
// DecodeLimits before any pixel buffer is allocated.
#pragma once

#include <climits>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <jpeglib.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif
#ifndef STBI_INCLUDE_STB_IMAGE_H
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "vigil/hash/image_view.hpp"
#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace image {

/// A file that is not a decodable JPEG or PNG, or one over the size limits.
class ImageDecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ImageType { none, jpeg, png };

inline const char* to_string(ImageType t) noexcept {
  return t == ImageType::jpeg ? "jpeg" : t == ImageType::png ? "png" : "none";
}

/// The image type from the magic bytes (never from a file name).
inline ImageType sniff(std::string_view bytes) noexcept {
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) return ImageType::jpeg;
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0) return ImageType::png;
  return ImageType::none;
}

/// Bounds checked before allocating pixels (an 8-byte header can claim 65535 x 65535).
struct DecodeLimits {
  int max_side = hash::kMaxImageSide;
  std::uint64_t max_pixels = std::uint64_t{1} << 27;  // 134 Mpx: ~400 MB of RGB at most
};

namespace detail {

inline void check_size(std::uint64_t w, std::uint64_t h, const DecodeLimits& limits) {
  if (w == 0 || h == 0) throw ImageDecodeError("image has no pixels");
  if (w > static_cast<std::uint64_t>(limits.max_side) ||
      h > static_cast<std::uint64_t>(limits.max_side) || w * h > limits.max_pixels) {
    throw ImageDecodeError("image too large: " + std::to_string(w) + "x" + std::to_string(h));
  }
}

struct JpegErrorManager {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

extern "C" inline void vigil_jpeg_error_exit(j_common_ptr info) {
  auto* err = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (e.g. "premature end of JPEG file") are not printed; decoding goes on, as in ImageMagick.
extern "C" inline void vigil_jpeg_silent(j_common_ptr) {}

/// The libjpeg state. Each phase below has its own setjmp and only trivially destructible locals,
/// so a longjmp skips no destructor; the destructor here releases libjpeg's memory.
struct JpegSession {
  jpeg_decompress_struct info{};
  JpegErrorManager err{};
  bool created = false;

  JpegSession() {
    info.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = vigil_jpeg_error_exit;
    err.mgr.output_message = vigil_jpeg_silent;
  }
  ~JpegSession() {
    if (created) jpeg_destroy_decompress(&info);
  }
  JpegSession(const JpegSession&) = delete;
  JpegSession& operator=(const JpegSession&) = delete;
};

inline bool jpeg_open(JpegSession& s, const unsigned char* data, unsigned long size) {
  if (setjmp(s.err.jump)) return false;
  jpeg_create_decompress(&s.info);
  s.created = true;
  jpeg_mem_src(&s.info, data, size);
  jpeg_read_header(&s.info, TRUE);
  s.info.out_color_space = s.info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_calc_output_dimensions(&s.info);
  return true;
}

inline bool jpeg_read(JpegSession& s, unsigned char* out, std::size_t row_bytes) {
  if (setjmp(s.err.jump)) return false;
  jpeg_start_decompress(&s.info);
  while (s.info.output_scanline < s.info.output_height) {
    JSAMPROW row = out + static_cast<std::size_t>(s.info.output_scanline) * row_bytes;
    if (jpeg_read_scanlines(&s.info, &row, 1) != 1) break;  // suspended: cannot happen from memory
  }
  jpeg_finish_decompress(&s.info);
  return true;
}

}  // namespace detail

/// RGB whose channels are equal everywhere becomes grey8 (PDQ of a grey image must see grey8).
inline void collapse_grey(hash::OwnedImage& img) {
  if (img.format != hash::PixelFormat::rgb8) return;
  const std::size_t n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = &img.pixels[i * 3];
    if (p[0] != p[1] || p[1] != p[2]) return;
  }
  for (std::size_t i = 0; i < n; ++i) img.pixels[i] = img.pixels[i * 3];
  img.pixels.resize(n);
  img.pixels.shrink_to_fit();
  img.format = hash::PixelFormat::grey8;
}

/// Decode a JPEG (baseline or progressive; grey, YCbCr or RGB) to grey8 or rgb8.
inline hash::OwnedImage decode_jpeg(std::string_view bytes, const DecodeLimits& limits = {}) {
  detail::JpegSession s;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (!detail::jpeg_open(s, data, static_cast<unsigned long>(bytes.size())))
    throw ImageDecodeError(std::string("invalid JPEG: ") + s.err.message);
  detail::check_size(s.info.output_width, s.info.output_height, limits);
  hash::OwnedImage img;
  img.width = static_cast<int>(s.info.output_width);
  img.height = static_cast<int>(s.info.output_height);
  const int comps = s.info.output_components;
  if (comps != 1 && comps != 3) throw ImageDecodeError("unsupported JPEG colour space");
  img.format = comps == 1 ? hash::PixelFormat::grey8 : hash::PixelFormat::rgb8;
  const std::size_t row_bytes = static_cast<std::size_t>(img.width) * comps;
  img.pixels.resize(row_bytes * static_cast<std::size_t>(img.height));
  if (!detail::jpeg_read(s, img.pixels.data(), row_bytes))
    throw ImageDecodeError(std::string("invalid JPEG: ") + s.err.message);
  collapse_grey(img);
  return img;
}

/// Decode a PNG (any bit depth, palette, alpha) to grey8 or rgb8; alpha is dropped.
inline hash::OwnedImage decode_png(std::string_view bytes, const DecodeLimits& limits = {}) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw ImageDecodeError("PNG file too large");
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int size = static_cast<int>(bytes.size());
  int w = 0, h = 0, channels = 0;
  if (!stbi_info_from_memory(data, size, &w, &h, &channels))
    throw ImageDecodeError(std::string("invalid PNG: ") + stbi_failure_reason());
  detail::check_size(static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), limits);
  const int want = (channels == 1 || channels == 2) ? 1 : 3;  // grey (+alpha) stays grey
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, size, &w, &h, &channels, want), stbi_image_free);
  if (!pixels) throw ImageDecodeError(std::string("invalid PNG: ") + stbi_failure_reason());
  hash::OwnedImage img;
  img.width = w;
  img.height = h;
  img.format = want == 1 ? hash::PixelFormat::grey8 : hash::PixelFormat::rgb8;
  img.pixels.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(w) * h * want);
  collapse_grey(img);
  return img;
}

/// Decode a JPEG or PNG, recognised by its magic bytes.
inline hash::OwnedImage decode(std::string_view bytes, const DecodeLimits& limits = {}) {
  switch (sniff(bytes)) {
    case ImageType::jpeg: return decode_jpeg(bytes, limits);
    case ImageType::png: return decode_png(bytes, limits);
    case ImageType::none: break;
  }
  throw ImageDecodeError("not a JPEG or PNG image");
}

}  // namespace image
}  // namespace v1
}  // namespace vigil
