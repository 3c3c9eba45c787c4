// Test helper: decodes PNG (stb_image) and JPEG (libjpeg, the decoder the reference run used via
// ImageMagick) into 8-bit pixels. Grey-looking RGB (R == G == B everywhere) is returned as grey,
// as ImageMagick does when it hands pixels to the reference CLI.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "vigil/hash/image_view.hpp"

namespace vigil_test {

struct DecodedImage {
  std::vector<std::uint8_t> pixels;
  int width = 0, height = 0;
  vigil::hash::PixelFormat format = vigil::hash::PixelFormat::rgb8;

  vigil::hash::ImageView view() const {
    return {pixels.data(), pixels.size(), width, height, 0, format};
  }
};

DecodedImage decode_png(const std::string& path);   // image_files.cpp
DecodedImage decode_jpeg(const std::string& path);  // image_files.cpp

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline DecodedImage decode_image(const std::string& path) {
  return ends_with(path, ".png") ? decode_png(path) : decode_jpeg(path);
}

/// RGB whose channels are all equal becomes grey8 (ImageMagick writes such images as PGM).
inline void collapse_grey(DecodedImage& img) {
  if (img.format != vigil::hash::PixelFormat::rgb8) return;
  const std::size_t n = static_cast<std::size_t>(img.width) * img.height;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = &img.pixels[i * 3];
    if (p[0] != p[1] || p[1] != p[2]) return;
  }
  std::vector<std::uint8_t> grey(n);
  for (std::size_t i = 0; i < n; ++i) grey[i] = img.pixels[i * 3];
  img.pixels.swap(grey);
  img.format = vigil::hash::PixelFormat::grey8;
}

}  // namespace vigil_test
