// Test helper: decodes PNG and JPEG files into 8-bit pixels with the library's decoder
// (include/vigil/image/decode.hpp: stb_image for PNG, libjpeg for JPEG, grey-looking RGB as grey).
#pragma once

#include <cstdint>
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

DecodedImage decode_png(const std::string& path);    // image_files.cpp
DecodedImage decode_jpeg(const std::string& path);   // image_files.cpp
DecodedImage decode_image(const std::string& path);  // by magic bytes

}  // namespace vigil_test
