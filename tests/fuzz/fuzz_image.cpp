// Fuzz target: image hashing. Input that starts like a JPEG or PNG is decoded
// (vigil/image/decode.hpp) and hashed with PDQ; anything else is a pixel buffer whose width,
// height, stride and pixel format come from its first 8 bytes:
//   [0..1] width (little endian)  [2..3] height  [4] format  [5] stride padding (signed; 0 means
//   packed)  [6] flags: 1 negates the width, 2 doubles the height  [7] unused;  then the pixels.
// Invalid views must throw ImageError; valid ones must hash exactly as their packed copy does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "vigil/hash/pdq.hpp"
#include "vigil/image/decode.hpp"

namespace {

namespace hash = vigil::hash;

void hash_decoded(std::string_view bytes) {
  vigil::image::DecodeLimits limits;  // smaller than the default: keeps each run fast
  limits.max_side = 4096;
  limits.max_pixels = std::uint64_t{1} << 22;
  try {
    const hash::OwnedImage img = vigil::image::decode(bytes, limits);
    if (img.width < 1 || img.height < 1) std::abort();
    const std::size_t bpp = hash::bytes_per_pixel(img.format);
    if (img.pixels.size() != static_cast<std::size_t>(img.width) * img.height * bpp) std::abort();
    hash::pdq_hash(img.view());
    hash::pdq_hash(hash::squash_to_512(img.view()).view());
  } catch (const vigil::image::ImageDecodeError&) {
  }
}

/// The same pixels without row padding.
std::vector<std::uint8_t> packed_copy(const hash::ImageView& v) {
  const std::size_t row = static_cast<std::size_t>(v.width) * hash::bytes_per_pixel(v.format);
  std::vector<std::uint8_t> out(row * static_cast<std::size_t>(v.height));
  for (int y = 0; y < v.height; ++y) {
    const std::uint8_t* src = v.data + static_cast<std::size_t>(y) * v.row_stride();
    std::copy(src, src + row, out.begin() + static_cast<std::ptrdiff_t>(row * y));
  }
  return out;
}

void hash_pixels(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return;
  hash::ImageView v;
  v.width = data[0] | data[1] << 8;
  v.height = data[2] | data[3] << 8;
  if (data[6] & 1) v.width = -v.width;
  if (data[6] & 2) v.height *= 2;
  static const hash::PixelFormat formats[] = {hash::PixelFormat::grey8, hash::PixelFormat::rgb8,
                                              hash::PixelFormat::bgr8, hash::PixelFormat::rgba8,
                                              hash::PixelFormat::bgra8};
  v.format = formats[data[4] % 5];
  const int pad = static_cast<std::int8_t>(data[5]);
  if (pad != 0 && v.width > 0) {
    const long long stride = static_cast<long long>(v.width) * hash::bytes_per_pixel(v.format) + pad;
    v.stride = stride > 0 ? static_cast<std::size_t>(stride) : 1;
  }
  v.data = data + 8;
  v.size = size - 8;
  hash::PdqResult r;
  try {
    r = hash::pdq_hash(v);
  } catch (const hash::ImageError&) {
    return;  // every way a view can be invalid ends here
  }
  const std::vector<std::uint8_t> packed = packed_copy(v);
  const hash::ImageView p{packed.data(), packed.size(), v.width, v.height, 0, v.format};
  const hash::PdqResult q = hash::pdq_hash(p);
  if (!(q.hash == r.hash) || q.quality != r.quality) std::abort();
  const hash::PdqDihedral d = hash::pdq_hash_dihedral(v);
  const bool filtered_only_here = v.width == 64 && v.height == 64;  // see hash_dihedral()
  if (!filtered_only_here && d.quality != r.quality) std::abort();
  hash::pdq_hash(hash::squash_to_512(v).view());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (vigil::image::sniff(bytes) != vigil::image::ImageType::none) hash_decoded(bytes);
  else hash_pixels(data, size);
  return 0;
}
