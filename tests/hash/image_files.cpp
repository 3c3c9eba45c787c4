// Test helper implementation: stb_image for PNG, libjpeg (JDCT_ISLOW, fancy upsampling — the
// library defaults ImageMagick uses) for JPEG.
#include "image_files.hpp"

#include <csetjmp>
#include <memory>

#include <jpeglib.h>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

namespace vigil_test {

DecodedImage decode_png(const std::string& path) {
  int w = 0, h = 0, channels = 0;
  if (!stbi_info(path.c_str(), &w, &h, &channels)) throw std::runtime_error("cannot read " + path);
  // Grey stays grey; anything with colour or alpha becomes RGB (alpha dropped, as in PNM output).
  const int want = (channels == 1 || channels == 2) ? 1 : 3;
  std::unique_ptr<unsigned char, void (*)(void*)> data(
      stbi_load(path.c_str(), &w, &h, &channels, want), stbi_image_free);
  if (!data) throw std::runtime_error("cannot decode " + path);
  DecodedImage img;
  img.width = w;
  img.height = h;
  img.format = want == 1 ? vigil::hash::PixelFormat::grey8 : vigil::hash::PixelFormat::rgb8;
  img.pixels.assign(data.get(), data.get() + static_cast<std::size_t>(w) * h * want);
  collapse_grey(img);
  return img;
}

namespace {
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};
void on_jpeg_error(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegError*>(info->err)->jump, 1);
}
}  // namespace

DecodedImage decode_jpeg(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  jpeg_decompress_struct info;
  JpegError err;
  info.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_jpeg_error;
  DecodedImage img;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&info);
    std::fclose(f);
    throw std::runtime_error("cannot decode " + path);
  }
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, f);
  jpeg_read_header(&info, TRUE);
  const bool grey = info.num_components == 1;
  info.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  img.width = static_cast<int>(info.output_width);
  img.height = static_cast<int>(info.output_height);
  const int comps = info.output_components;
  img.format = comps == 1 ? vigil::hash::PixelFormat::grey8 : vigil::hash::PixelFormat::rgb8;
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height * comps);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = &img.pixels[static_cast<std::size_t>(info.output_scanline) * img.width * comps];
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  std::fclose(f);
  collapse_grey(img);
  return img;
}

}  // namespace vigil_test
