// Test helper implementation: reads the file and hands it to vigil/image/decode.hpp.
#include "image_files.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "vigil/image/decode.hpp"

namespace vigil_test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

DecodedImage wrap(vigil::hash::OwnedImage img) {
  DecodedImage out;
  out.pixels = std::move(img.pixels);
  out.width = img.width;
  out.height = img.height;
  out.format = img.format;
  return out;
}

}  // namespace

DecodedImage decode_png(const std::string& path) { return wrap(vigil::image::decode_png(read_file(path))); }
DecodedImage decode_jpeg(const std::string& path) { return wrap(vigil::image::decode_jpeg(read_file(path))); }
DecodedImage decode_image(const std::string& path) { return wrap(vigil::image::decode(read_file(path))); }

}  // namespace vigil_test
