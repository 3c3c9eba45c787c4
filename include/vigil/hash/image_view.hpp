// vigil: a checked, non-owning view of 8-bit pixels, and the reference CLI's 512x512 squash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "vigil/version.hpp"

namespace vigil {
inline namespace v1 {
namespace hash {

/// Thrown when pixel dimensions, stride or buffer size are inconsistent or too large.
class ImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Channel layouts of 8-bit pixels. Alpha is ignored (as the reference does).
enum class PixelFormat { grey8, rgb8, bgr8, rgba8, bgra8 };

inline constexpr int bytes_per_pixel(PixelFormat f) noexcept {
  switch (f) {
    case PixelFormat::grey8: return 1;
    case PixelFormat::rgb8:
    case PixelFormat::bgr8: return 3;
    case PixelFormat::rgba8:
    case PixelFormat::bgra8: return 4;
  }
  return 1;
}

/// Largest accepted side and pixel count: bounds the float work buffers (2 x 4 bytes per pixel).
inline constexpr int kMaxImageSide = 1 << 16;
inline constexpr std::size_t kMaxImagePixels = std::size_t{1} << 28;

/// Pixels owned elsewhere. `stride` is the byte distance between row starts (0 = packed);
/// `size` is the number of readable bytes at `data`, so a bad stride cannot read out of bounds.
struct ImageView {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  int width = 0;
  int height = 0;
  std::size_t stride = 0;
  PixelFormat format = PixelFormat::rgb8;

  std::size_t row_stride() const noexcept {
    return stride != 0 ? stride : static_cast<std::size_t>(width) * bytes_per_pixel(format);
  }

  /// Throws ImageError unless every pixel lies inside [data, data + size).
  void validate() const {
    if (width <= 0 || height <= 0) throw ImageError("image has a zero or negative dimension");
    if (width > kMaxImageSide || height > kMaxImageSide ||
        static_cast<std::size_t>(width) * static_cast<std::size_t>(height) > kMaxImagePixels) {
      throw ImageError("image too large: " + std::to_string(width) + "x" + std::to_string(height));
    }
    const std::size_t row_bytes = static_cast<std::size_t>(width) * bytes_per_pixel(format);
    if (row_stride() < row_bytes) throw ImageError("image stride smaller than a row of pixels");
    // (height - 1) * stride cannot overflow: stride is checked against size first.
    if (data == nullptr || row_stride() > size ||
        (static_cast<std::size_t>(height) - 1) > (size - row_bytes) / row_stride()) {
      throw ImageError("image buffer too small for " + std::to_string(width) + "x" +
                       std::to_string(height) + " pixels at the given stride");
    }
  }
};

/// Pixels with their own storage (the result of a resize).
struct OwnedImage {
  std::vector<std::uint8_t> pixels;
  int width = 0;
  int height = 0;
  PixelFormat format = PixelFormat::rgb8;

  ImageView view() const noexcept {
    return ImageView{pixels.data(), pixels.size(), width, height, 0, format};
  }
};

/// Nearest-neighbour resize to exactly `out_width` x `out_height`, ignoring aspect ratio; output
/// pixel x samples source column floor(x * width / out_width) (CImg's rule), likewise for rows.
inline OwnedImage resize_nearest(const ImageView& in, int out_width, int out_height) {
  in.validate();
  if (out_width <= 0 || out_height <= 0 || out_width > kMaxImageSide ||
      out_height > kMaxImageSide) {
    throw ImageError("bad resize target size");
  }
  const int bpp = bytes_per_pixel(in.format);
  OwnedImage out;
  out.width = out_width;
  out.height = out_height;
  out.format = in.format;
  out.pixels.resize(static_cast<std::size_t>(out_width) * out_height * bpp);
  std::vector<std::size_t> source_x(static_cast<std::size_t>(out_width));
  for (int x = 0; x < out_width; ++x) {
    source_x[x] = static_cast<std::size_t>(std::uint64_t(x) * in.width / out_width) * bpp;
  }
  std::uint8_t* dst = out.pixels.data();
  for (int y = 0; y < out_height; ++y) {
    const std::size_t sy = static_cast<std::size_t>(std::uint64_t(y) * in.height / out_height);
    const std::uint8_t* src_row = in.data + sy * in.row_stride();
    for (int x = 0; x < out_width; ++x) {
      for (int c = 0; c < bpp; ++c) *dst++ = src_row[source_x[x] + c];
    }
  }
  return out;
}

/// The reference CLI's pre-squash: an image with a side over 512 becomes exactly 512x512 by
/// nearest neighbour (aspect ratio and EXIF orientation ignored); smaller images are copied as is.
/// Hashing the result reproduces `pdq-photo-hasher` output; the library call without it reproduces
/// the reference library on full-resolution pixels.
inline OwnedImage squash_to_512(const ImageView& in) {
  in.validate();
  if (in.width > 512 || in.height > 512) return resize_nearest(in, 512, 512);
  return resize_nearest(in, in.width, in.height);
}

}  // namespace hash
}  // namespace v1
}  // namespace vigil
