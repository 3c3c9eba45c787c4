/* The C ABI's PDQ: pixels in every layout, dihedral hashes, result structs of older sizes, the
 * reference hashes of shared/testdata/pdq, the JPEG originals against the CLI, bad images. */
#include "hash_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The same pixels in another layout: bpp 3 or 4, swapped = BGR order, row stride. */
static uint8_t* relayout(const uint8_t* rgb, int bpp, int swapped, size_t stride) {
  uint8_t* out = calloc(stride * H, 1);
  int x, y;
  for (y = 0; y < H; ++y)
    for (x = 0; x < W; ++x) {
      const uint8_t* s = rgb + 3 * (y * W + x);
      uint8_t* d = out + y * stride + (size_t)x * bpp;
      d[0] = swapped ? s[2] : s[0];
      d[1] = s[1];
      d[2] = swapped ? s[0] : s[2];
      if (bpp == 4) d[3] = 77; /* alpha: ignored */
    }
  return out;
}

/* The test card's hash in other layouts is the same; other pixels hash otherwise. */
static void test_pdq_layouts(const uint8_t* rgb, const vigil_pdq_result* base) {
  uint8_t *bgr, *rgba, *bgra, *padded, grey[W * H];
  vigil_pdq_result r;
  int i;
  bgr = relayout(rgb, 3, 1, W * 3);
  rgba = relayout(rgb, 4, 0, W * 4);
  bgra = relayout(rgb, 4, 1, W * 4);
  padded = relayout(rgb, 3, 0, W * 3 + 13);
  r = pdq_of(bgr, W * H * 3, W, H, 0, VIGIL_PIXEL_BGR8, VIGIL_OK);
  CHECK(memcmp(r.hash, base->hash, 32) == 0 && r.quality == base->quality);
  r = pdq_of(rgba, W * H * 4, W, H, 0, VIGIL_PIXEL_RGBA8, VIGIL_OK);
  CHECK(memcmp(r.hash, base->hash, 32) == 0 && r.quality == base->quality);
  r = pdq_of(bgra, W * H * 4, W, H, W * 4, VIGIL_PIXEL_BGRA8, VIGIL_OK);
  CHECK(memcmp(r.hash, base->hash, 32) == 0);
  r = pdq_of(padded, (W * 3 + 13) * (H - 1) + W * 3, W, H, W * 3 + 13, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(memcmp(r.hash, base->hash, 32) == 0);
  /* The top half alone is another image. */
  r = pdq_of(rgb, (size_t)W * H * 3 / 2, W, H / 2, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(vigil_hash_distance(r.hash, base->hash, 32) > 31);
  for (i = 0; i < W * H; ++i) grey[i] = rgb[3 * i];
  r = pdq_of(grey, sizeof grey, W, H, 0, VIGIL_PIXEL_GREY8, VIGIL_OK);
  CHECK(r.quality >= 50);
  free(bgr);
  free(rgba);
  free(bgra);
  free(padded);
}

/* Dihedral hashes, a caller's older result struct, and images too small to hash. */
static void test_pdq_dihedral(const uint8_t* rgb, const vigil_pdq_result* base) {
  vigil_image img = card_image(rgb);
  vigil_pdq_options opts = VIGIL_PDQ_OPTIONS_INIT;
  vigil_pdq_result r;
  static const uint8_t zeros[32];
  /* The rotations of a test card are its other hashes; [0] is the hash itself. */
  opts.dihedral = 1;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  CHECK_RC(vigil_hash_pdq_pixels(&img, &opts, &r), VIGIL_OK);
  CHECK(r.has_dihedral == 1 && memcmp(r.dihedral[0], base->hash, 32) == 0);
  CHECK(memcmp(r.dihedral[1], base->hash, 32) != 0);
  /* A caller's older, smaller result struct gets only what fits. */
  memset(&r, 0xEE, sizeof r);
  r.struct_size = offsetof(vigil_pdq_result, has_dihedral);
  CHECK_RC(vigil_hash_pdq_pixels(&img, &opts, &r), VIGIL_OK);
  CHECK(memcmp(r.hash, base->hash, 32) == 0 && r.has_dihedral == (int)0xEEEEEEEE);
  /* Tiny images hash to zeros with quality 0, as the reference. */
  r = pdq_of(rgb, img.size, 4, 4, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(r.quality == 0 && memcmp(r.hash, zeros, 32) == 0);
}

static void test_pdq_bad_pixels(const uint8_t* rgb) {
  const size_t size = (size_t)W * H * 3;
  vigil_image img = card_image(rgb);
  vigil_pdq_options opts = VIGIL_PDQ_OPTIONS_INIT;
  vigil_pdq_result r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  pdq_of(rgb, size, 0, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, size, W, -1, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, size - 1, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  CHECK(strstr(vigil_last_error(), "buffer too small") != NULL);
  pdq_of(rgb, size, W, H, W * 3 - 1, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, size, W, H, W * 4, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(NULL, size, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, size, 70000, 1, 0, VIGIL_PIXEL_GREY8, VIGIL_E_IMAGE);
  pdq_of(rgb, size, W, H, 0, 5, VIGIL_E_INVALID);
  pdq_of(rgb, size, W, H, 0, -1, VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_pdq_pixels(NULL, NULL, &r), VIGIL_E_INVALID);
  r.struct_size = 0;
  CHECK_FAILS(vigil_hash_pdq_pixels(&img, NULL, &r), VIGIL_E_INVALID);
  r.struct_size = sizeof r + 1;
  CHECK_FAILS(vigil_hash_pdq_pixels(&img, NULL, &r), VIGIL_E_INVALID);
  r.struct_size = sizeof r;
  CHECK_FAILS(vigil_hash_pdq_pixels(&img, NULL, NULL), VIGIL_E_INVALID);
  img.struct_size = 8;
  CHECK_FAILS(vigil_hash_pdq_pixels(&img, NULL, &r), VIGIL_E_INVALID);
  img.struct_size = sizeof img;
  opts.struct_size = 4;
  CHECK_FAILS(vigil_hash_pdq_pixels(&img, &opts, &r), VIGIL_E_INVALID);
}

void test_pdq_pixels(void) {
  static uint8_t rgb[W * H * 3];
  vigil_pdq_result base;
  int i;
  test_card(rgb);
  base = pdq_of(rgb, sizeof rgb, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(base.quality >= 50);
  CHECK(base.has_dihedral == 0);
  test_pdq_layouts(rgb, &base);
  test_pdq_dihedral(rgb, &base);
  test_pdq_bad_pixels(rgb);
  for (i = 0; i < 8; ++i) CHECK(vigil_hash_dihedral_name(i) != NULL);
  CHECK(strcmp(vigil_hash_dihedral_name(0), "orig") == 0);
  CHECK(strcmp(vigil_hash_dihedral_name(7), "flipm") == 0);
  CHECK(vigil_hash_dihedral_name(8) == NULL && vigil_hash_dihedral_name(-1) == NULL);
}

/* Every decoded reference PNG of expected_hashes.csv hashes to ref_hash / ref_quality, from the
 * file and from its bytes in memory. */
void test_pdq_reference(void) {
  FILE* csv = fopen(data_path("expected_hashes.csv"), "r");
  char line[4096];
  int rows = 0;
  if (csv == NULL) {
    printf("note: %sexpected_hashes.csv not found: PDQ reference checks skipped\n", pdq_dir);
    return;
  }
  if (fgets(line, sizeof line, csv) == NULL) line[0] = '\0'; /* header */
  while (fgets(line, sizeof line, csv) != NULL) {
    char* field[16];
    int n = 0, quality;
    char* p = line;
    vigil_pdq_result r;
    char hex[65], *bytes;
    size_t len = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < 16) {
      field[n++] = p;
      p = strchr(p, ',');
      if (p == NULL) break;
      *p++ = '\0';
    }
    if (n < 15 || field[14][0] == '\0') continue; /* no decoded PNG for this row */
    quality = atoi(field[7]);
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    CHECK_RC(vigil_hash_pdq_file(data_path(field[14]), NULL, &r), VIGIL_OK);
    hex_of(r.hash, 32, hex);
    if (strcmp(hex, field[6]) != 0 || r.quality != quality)
      fprintf(stderr, "%s: %s q%d, reference %s q%d\n", field[14], hex, r.quality, field[6], quality);
    CHECK(strcmp(hex, field[6]) == 0 && r.quality == quality);
    bytes = read_all(data_path(field[14]), &len);
    CHECK(bytes != NULL);
    if (bytes != NULL) {
      vigil_pdq_result m;
      memset(&m, 0, sizeof m);
      m.struct_size = sizeof m;
      CHECK_RC(vigil_hash_pdq_image(bytes, len, NULL, &m), VIGIL_OK);
      CHECK(memcmp(m.hash, r.hash, 32) == 0 && m.quality == r.quality);
      free(bytes);
    }
    ++rows;
  }
  fclose(csv);
  CHECK(rows >= 20);
}

/* JPEG originals: equal to `vigil hash --algo pdq --dihedral`, near the reference, and their
 * dihedral hashes find the rotated copies. */
void test_pdq_originals(void) {
  static const char* const kTurned[8] = {
      "bridge-1-original", "bridge-2-rotate-90", "bridge-3-rotate-180", "bridge-4-rotate-270",
      "bridge-5-flipx",    "bridge-6-flipy",     "bridge-7-flip-plus-1", "bridge-8-flip-minus-1"};
  vigil_pdq_options opts = VIGIL_PDQ_OPTIONS_INIT;
  vigil_pdq_result r, full, turned;
  uint8_t ref[32];
  char path[8192], hex[65], line[8192], args[8300], expected[128];
  int i;
  snprintf(path, sizeof path, "%s", data_path("upstream/data/reg-test-input/dih/bridge-1-original.jpg"));
  if (access(path, R_OK) != 0) {
    printf("note: %s not found: PDQ original checks skipped\n", path);
    return;
  }
  opts.dihedral = 1;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  CHECK_RC(vigil_hash_pdq_file(path, &opts, &r), VIGIL_OK);
  CHECK_RC(vigil_hash_from_hex("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22",
                               64, ref, sizeof ref, NULL), VIGIL_OK);
  CHECK(vigil_hash_distance(r.hash, ref, 32) <= 10 && r.quality == 100);
  snprintf(args, sizeof args, "hash --algo pdq --dihedral '%s'", path);
  if (cli_line(args, line, sizeof line)) {
    hex_of(r.hash, 32, hex);
    snprintf(expected, sizeof expected, "\"hash\":\"%s\",\"quality\":%d", hex, r.quality);
    CHECK(strstr(line, expected) != NULL);
    for (i = 0; i < 8; ++i) {
      hex_of(r.dihedral[i], 32, hex);
      snprintf(expected, sizeof expected, "\"%s\":\"%s\"", vigil_hash_dihedral_name(i), hex);
      CHECK(strstr(line, expected) != NULL);
    }
  }
  for (i = 1; i < 8; ++i) {
    char turned_path[8300];
    snprintf(turned_path, sizeof turned_path, "%supstream/data/reg-test-input/dih/%s.jpg", pdq_dir,
             kTurned[i]);
    memset(&turned, 0, sizeof turned);
    turned.struct_size = sizeof turned;
    CHECK_RC(vigil_hash_pdq_file(turned_path, NULL, &turned), VIGIL_OK);
    CHECK(vigil_hash_distance(turned.hash, r.dihedral[i], 32) <= 31);
    CHECK(vigil_hash_distance(turned.hash, r.hash, 32) > 31);
  }
  /* Without the squash the 1600x1004 original hashes at full resolution: another hash. */
  opts.squash = 0;
  opts.dihedral = 0;
  memset(&full, 0, sizeof full);
  full.struct_size = sizeof full;
  CHECK_RC(vigil_hash_pdq_file(path, &opts, &full), VIGIL_OK);
  CHECK(memcmp(full.hash, r.hash, 32) != 0 && vigil_hash_distance(full.hash, r.hash, 32) <= 31);
  CHECK(full.has_dihedral == 0);
  /* Decode limits. */
  opts.max_pixels = 1000;
  CHECK_FAILS(vigil_hash_pdq_file(path, &opts, &full), VIGIL_E_IMAGE);
}

void test_pdq_bad_images(void) {
  vigil_pdq_result r;
  const char jpeg_junk[] = "\xFF\xD8\xFF\xE0 this is not really a JPEG";
  const char png_junk[] = "\x89PNG\r\n\x1A\n truncated";
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  CHECK_FAILS(vigil_hash_pdq_image("hello", 5, NULL, &r), VIGIL_E_IMAGE);
  CHECK(strstr(vigil_last_error(), "not a JPEG or PNG") != NULL);
  CHECK_FAILS(vigil_hash_pdq_image(jpeg_junk, sizeof jpeg_junk - 1, NULL, &r), VIGIL_E_IMAGE);
  CHECK(strstr(vigil_last_error(), "JPEG") != NULL);
  CHECK_FAILS(vigil_hash_pdq_image(png_junk, sizeof png_junk - 1, NULL, &r), VIGIL_E_IMAGE);
  CHECK_FAILS(vigil_hash_pdq_image(NULL, 0, NULL, &r), VIGIL_E_IMAGE);
  CHECK_FAILS(vigil_hash_pdq_image(NULL, 5, NULL, &r), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_pdq_image("hello", 5, NULL, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_pdq_file(NULL, NULL, &r), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_pdq_file("/nonexistent.png", NULL, &r), VIGIL_E_IO);
  CHECK(strstr(vigil_last_error(), "/nonexistent.png") != NULL);
}
