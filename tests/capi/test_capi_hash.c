/* The C ABI's hashing, banks and scanners, called from C11: every function with valid arguments
 * and bad ones (NULL, zero length, wrong sizes, bad formats); PDQ against the reference hashes of
 * shared/testdata/pdq; digests against known vectors; JSON and hashes against the CLI's output;
 * banks extended while other threads scan. Prints "N passed, N failed"; exits non-zero on any
 * failure. Environment: VIGIL_SHARED_DIR (test data) and VIGIL_CLI (the vigil executable). */
#define _DEFAULT_SOURCE /* mkstemp, popen */
#include "vigil.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char pdq_dir[4096]; /* shared/testdata/pdq/, "" when absent */
static const char* cli;    /* the vigil executable, NULL when unknown */

static const char* data_path(const char* rel) {
  static char buf[8192];
  snprintf(buf, sizeof buf, "%s%s", pdq_dir, rel);
  return buf;
}

static char* read_all(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long n;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (data != NULL) {
    data[n] = '\0';
    *len = (size_t)n;
  }
  return data;
}

/* A temporary file holding text; the path is written to path[64]. */
static void temp_file(char* path, const char* text, size_t len) {
  int fd;
  strcpy(path, "/tmp/vigil-capi-hash-XXXXXX");
  fd = mkstemp(path);
  if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
    perror("temp file");
    exit(2);
  }
  close(fd);
}

/* The first line the CLI prints for `vigil ARGS` (without the newline) into out[cap]; 0 when
 * the CLI is unknown or printed nothing. */
static int cli_line(const char* args, char* out, size_t cap) {
  char cmd[8192];
  FILE* p;
  size_t n;
  if (cli == NULL) return 0;
  snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null", cli, args);
  p = popen(cmd, "r");
  if (p == NULL || fgets(out, (int)cap, p) == NULL) {
    if (p != NULL) pclose(p);
    return 0;
  }
  pclose(p);
  n = strlen(out);
  if (n > 0 && out[n - 1] == '\n') out[n - 1] = '\0';
  return 1;
}

static void hex_of(const uint8_t* bytes, size_t len, char* buf) {
  CHECK_RC(vigil_hash_to_hex(bytes, len, buf, 2 * len + 1), VIGIL_OK);
}

/* ---- digests, hex, distance ---- */

static void check_digest(int kind, const char* text, const char* expected_hex) {
  uint8_t out[VIGIL_DIGEST_MAX_SIZE];
  char hex[2 * VIGIL_DIGEST_MAX_SIZE + 1];
  size_t size = vigil_hash_digest_size(kind);
  CHECK_RC(vigil_hash_digest(kind, text, strlen(text), out, sizeof out), VIGIL_OK);
  CHECK(vigil_last_error()[0] == '\0');
  hex_of(out, size, hex);
  CHECK(strcmp(hex, expected_hex) == 0);
}

/* The text fingerprint is XXH3-128 of the normal form without its end spaces: evasion
 * spellings share it, other words do not. */
static void test_text_fingerprint(void) {
  uint8_t plain[16], evasive[16], other[16], empty[16], spaces[16];
  const char evasive_text[] = "  HELLO,\xe2\x80\x8b  W\xd0\x9eRLD!!\n"; /* ZWSP, Cyrillic O */
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_XXH3_128, "hello world", 11, plain, 16), VIGIL_OK);
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_TEXT, evasive_text, strlen(evasive_text), evasive, 16),
           VIGIL_OK);
  CHECK(memcmp(plain, evasive, 16) == 0);
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_TEXT, "hello there", 11, other, 16), VIGIL_OK);
  CHECK(memcmp(plain, other, 16) != 0);
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_TEXT, NULL, 0, empty, 16), VIGIL_OK);
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_TEXT, " ...  ", 6, spaces, 16), VIGIL_OK);
  CHECK(memcmp(empty, spaces, 16) == 0);
}

static void test_digests(void) {
  uint8_t out[VIGIL_DIGEST_MAX_SIZE], from_file[VIGIL_DIGEST_MAX_SIZE];
  char path[64];
  const char text[] = "The quick brown fox jumps over the lazy dog";
  int kind;
  CHECK(vigil_hash_digest_size(VIGIL_DIGEST_MD5) == VIGIL_MD5_SIZE);
  CHECK(vigil_hash_digest_size(VIGIL_DIGEST_SHA256) == VIGIL_SHA256_SIZE);
  CHECK(vigil_hash_digest_size(VIGIL_DIGEST_XXH3_128) == VIGIL_XXH3_128_SIZE);
  CHECK(vigil_hash_digest_size(VIGIL_DIGEST_TEXT) == VIGIL_TEXT_FINGERPRINT_SIZE);
  CHECK(vigil_hash_digest_size(4) == 0 && vigil_last_error()[0] != '\0');
  CHECK(strcmp(vigil_hash_digest_name(VIGIL_DIGEST_TEXT), "text") == 0);
  CHECK(strcmp(vigil_hash_digest_name(VIGIL_DIGEST_SHA256), "sha256") == 0);
  CHECK(strcmp(vigil_hash_digest_name(VIGIL_DIGEST_XXH3_128), "xxh3_128") == 0);
  CHECK(vigil_hash_digest_name(-1) == NULL);

  check_digest(VIGIL_DIGEST_MD5, "", "d41d8cd98f00b204e9800998ecf8427e");
  check_digest(VIGIL_DIGEST_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72");
  check_digest(VIGIL_DIGEST_SHA256, "abc",
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  check_digest(VIGIL_DIGEST_SHA256, "",
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  check_digest(VIGIL_DIGEST_XXH3_128, "", "99aa06d3014798d86001c324468d497f");

  /* The file form equals the bytes form. */
  temp_file(path, text, strlen(text));
  for (kind = VIGIL_DIGEST_MD5; kind <= VIGIL_DIGEST_TEXT; ++kind) {
    CHECK_RC(vigil_hash_digest(kind, text, strlen(text), out, sizeof out), VIGIL_OK);
    CHECK_RC(vigil_hash_digest_file(kind, path, from_file, sizeof from_file), VIGIL_OK);
    CHECK(memcmp(out, from_file, vigil_hash_digest_size(kind)) == 0);
  }
  unlink(path);

  test_text_fingerprint();
  CHECK_FAILS(vigil_hash_digest(4, "a", 1, out, sizeof out), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest(VIGIL_DIGEST_TEXT, NULL, 1, out, sizeof out), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest(VIGIL_DIGEST_TEXT, "a", 1, out, 15), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest(-1, "a", 1, out, sizeof out), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest(VIGIL_DIGEST_MD5, NULL, 1, out, sizeof out), VIGIL_E_INVALID);
  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_MD5, NULL, 0, out, sizeof out), VIGIL_OK);
  CHECK_FAILS(vigil_hash_digest(VIGIL_DIGEST_MD5, "a", 1, NULL, 16), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest(VIGIL_DIGEST_SHA256, "a", 1, out, 31), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest_file(VIGIL_DIGEST_MD5, NULL, out, sizeof out), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_digest_file(VIGIL_DIGEST_MD5, "/nonexistent/file", out, sizeof out),
              VIGIL_E_IO);
  CHECK(strstr(vigil_last_error(), "/nonexistent/file") != NULL);
  CHECK_FAILS(vigil_hash_digest_file(VIGIL_DIGEST_MD5, "/", out, sizeof out), VIGIL_E_IO);
}

static void test_hex_and_distance(void) {
  const uint8_t bytes[4] = {0x00, 0xAB, 0x10, 0xFF};
  uint8_t back[4], other[4] = {0x01, 0xAB, 0x10, 0x7F};
  char hex[9];
  size_t written = 0;
  CHECK_RC(vigil_hash_to_hex(bytes, 4, hex, sizeof hex), VIGIL_OK);
  CHECK(strcmp(hex, "00ab10ff") == 0);
  CHECK_RC(vigil_hash_from_hex("00AB10ff", 8, back, sizeof back, &written), VIGIL_OK);
  CHECK(written == 4 && memcmp(back, bytes, 4) == 0);
  CHECK_RC(vigil_hash_to_hex(NULL, 0, hex, 1), VIGIL_OK);
  CHECK(hex[0] == '\0');
  CHECK_FAILS(vigil_hash_to_hex(bytes, 4, hex, 8), VIGIL_E_BUFFER_TOO_SMALL);
  CHECK_FAILS(vigil_hash_to_hex(bytes, 4, hex, 0), VIGIL_E_BUFFER_TOO_SMALL);
  CHECK_FAILS(vigil_hash_to_hex(NULL, 4, hex, sizeof hex), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_to_hex(bytes, 4, NULL, 9), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_from_hex("abc", 3, back, sizeof back, NULL), VIGIL_E_HASH);
  CHECK_FAILS(vigil_hash_from_hex("zz", 2, back, sizeof back, NULL), VIGIL_E_HASH);
  CHECK(strstr(vigil_last_error(), "offset 0") != NULL);
  CHECK_FAILS(vigil_hash_from_hex("00112233aa", 10, back, sizeof back, NULL),
              VIGIL_E_BUFFER_TOO_SMALL);
  CHECK_FAILS(vigil_hash_from_hex(NULL, 2, back, sizeof back, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_from_hex("00", 2, NULL, 1, NULL), VIGIL_E_INVALID);

  CHECK(vigil_hash_distance(bytes, bytes, 4) == 0);
  CHECK(vigil_hash_distance(bytes, other, 4) == 2);
  CHECK(vigil_hash_distance(NULL, NULL, 0) == 0);
  CHECK(vigil_hash_distance(NULL, bytes, 4) == -1 && vigil_last_error()[0] != '\0');
}

/* ---- text sketches ---- */

static void test_text(void) {
  const char evasive[] = "JOIN the c@r@v@n!!", plain[] = "join the caravan";
  char* normal = NULL;
  size_t normal_len = 0;
  uint64_t a = 1, b = 2, empty = 1;
  uint32_t s1[VIGIL_MINHASH_SLOTS], s2[VIGIL_MINHASH_SLOTS], s3[VIGIL_MINHASH_SLOTS];
  char path[64], line[4096], expected[64];
  int i, all_ones = 1;

  CHECK_RC(vigil_text_normalize(evasive, strlen(evasive), &normal, &normal_len), VIGIL_OK);
  CHECK(normal != NULL && strlen(normal) == normal_len);
  CHECK(normal != NULL && strncmp(normal, plain, strlen(plain)) == 0); /* "!!" ends a word */
  vigil_free(normal);
  CHECK_RC(vigil_text_normalize(NULL, 0, &normal, NULL), VIGIL_OK);
  CHECK(normal != NULL && normal[0] == '\0');
  vigil_free(normal);
  CHECK_FAILS(vigil_text_normalize(NULL, 3, &normal, NULL), VIGIL_E_INVALID);
  CHECK(normal == NULL);
  CHECK_FAILS(vigil_text_normalize("x", 1, NULL, NULL), VIGIL_E_INVALID);

  /* SimHash: evasion spellings hash alike; equal to `vigil hash --algo simhash`. */
  CHECK_RC(vigil_hash_simhash64(evasive, strlen(evasive), 0, &a), VIGIL_OK);
  CHECK_RC(vigil_hash_simhash64(plain, strlen(plain), 2, &b), VIGIL_OK);
  CHECK(a == b && a != 0);
  CHECK_RC(vigil_hash_simhash64("", 0, 0, &empty), VIGIL_OK);
  CHECK(empty == 0);
  CHECK_RC(vigil_hash_simhash64(plain, strlen(plain), 1, &b), VIGIL_OK);
  CHECK(a != b);
  temp_file(path, evasive, strlen(evasive));
  {
    char args[128];
    snprintf(args, sizeof args, "hash --algo simhash %s", path);
    snprintf(expected, sizeof expected, "\"hash\":\"%016" PRIx64 "\"", a);
    if (cli_line(args, line, sizeof line)) CHECK(strstr(line, expected) != NULL);
  }
  CHECK_FAILS(vigil_hash_simhash64(NULL, 1, 0, &a), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_simhash64("x", 1, -1, &a), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_simhash64("x", 1, 0, NULL), VIGIL_E_INVALID);

  /* MinHash: the CLI's 1,024 digits are the slots, 8 hex digits each. */
  CHECK_RC(vigil_hash_minhash(evasive, strlen(evasive), 0, s1, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  CHECK_RC(vigil_hash_minhash(plain, strlen(plain), 3, s2, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  CHECK(vigil_hash_minhash_similarity(s1, s2, VIGIL_MINHASH_SLOTS) == 1.0);
  CHECK_RC(vigil_hash_minhash("an entirely different sentence about gardens", 44, 0, s3, 128),
           VIGIL_OK);
  CHECK(vigil_hash_minhash_similarity(s1, s3, VIGIL_MINHASH_SLOTS) < 0.2);
  {
    char args[128];
    snprintf(args, sizeof args, "hash --algo minhash %s", path);
    snprintf(expected, sizeof expected, "\"hash\":\"%08" PRIx32 "%08" PRIx32, s1[0], s1[1]);
    if (cli_line(args, line, sizeof line)) {
      char last[16];
      snprintf(last, sizeof last, "%08" PRIx32 "\"}", s1[127]);
      CHECK(strstr(line, expected) != NULL);
      CHECK(strstr(line, last) != NULL);
    }
  }
  unlink(path);
  CHECK_RC(vigil_hash_minhash(NULL, 0, 0, s3, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  for (i = 0; i < VIGIL_MINHASH_SLOTS; ++i) all_ones &= s3[i] == 0xFFFFFFFFu;
  CHECK(all_ones);
  CHECK_FAILS(vigil_hash_minhash("x", 1, 0, s3, VIGIL_MINHASH_SLOTS - 1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_minhash("x", 1, 0, NULL, VIGIL_MINHASH_SLOTS), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_minhash(NULL, 2, 0, s3, VIGIL_MINHASH_SLOTS), VIGIL_E_INVALID);
  CHECK(isnan(vigil_hash_minhash_similarity(NULL, s1, 4)));
  CHECK(isnan(vigil_hash_minhash_similarity(s1, s2, 0)));
}

/* ---- PDQ ---- */

enum { W = 128, H = 96 };

/* A colour test card of pseudo-random texture (smooth synthetic images have PDQ quality 0). */
static void test_card(uint8_t* rgb) {
  unsigned state = 12345u;
  int x, y;
  for (y = 0; y < H; ++y)
    for (x = 0; x < W; ++x) {
      uint8_t v;
      state = state * 1103515245u + 12345u;
      v = (uint8_t)(state >> 16);
      uint8_t* p = rgb + 3 * (y * W + x);
      p[0] = v;
      p[1] = (uint8_t)(v / 2 + 60);
      p[2] = (uint8_t)(x * 2);
    }
}

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

static vigil_pdq_result pdq_of(const uint8_t* data, size_t size, int w, int h, size_t stride,
                               int format, int expect) {
  vigil_image img = VIGIL_IMAGE_INIT;
  vigil_pdq_result r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  img.data = data;
  img.size = size;
  img.width = w;
  img.height = h;
  img.stride = stride;
  img.format = format;
  CHECK_RC(vigil_hash_pdq_pixels(&img, NULL, &r), expect);
  return r;
}

static void test_pdq_pixels(void) {
  static uint8_t rgb[W * H * 3];
  uint8_t *bgr, *rgba, *bgra, *padded, grey[W * H];
  vigil_pdq_result base, r;
  vigil_image img = VIGIL_IMAGE_INIT;
  vigil_pdq_options opts = VIGIL_PDQ_OPTIONS_INIT;
  int i;
  test_card(rgb);
  base = pdq_of(rgb, sizeof rgb, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(base.quality >= 50);
  CHECK(base.has_dihedral == 0);
  bgr = relayout(rgb, 3, 1, W * 3);
  rgba = relayout(rgb, 4, 0, W * 4);
  bgra = relayout(rgb, 4, 1, W * 4);
  padded = relayout(rgb, 3, 0, W * 3 + 13);
  r = pdq_of(bgr, W * H * 3, W, H, 0, VIGIL_PIXEL_BGR8, VIGIL_OK);
  CHECK(memcmp(r.hash, base.hash, 32) == 0 && r.quality == base.quality);
  r = pdq_of(rgba, W * H * 4, W, H, 0, VIGIL_PIXEL_RGBA8, VIGIL_OK);
  CHECK(memcmp(r.hash, base.hash, 32) == 0 && r.quality == base.quality);
  r = pdq_of(bgra, W * H * 4, W, H, W * 4, VIGIL_PIXEL_BGRA8, VIGIL_OK);
  CHECK(memcmp(r.hash, base.hash, 32) == 0);
  r = pdq_of(padded, (W * 3 + 13) * (H - 1) + W * 3, W, H, W * 3 + 13, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(memcmp(r.hash, base.hash, 32) == 0);
  /* The top half alone is another image. */
  r = pdq_of(rgb, sizeof rgb / 2, W, H / 2, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  CHECK(vigil_hash_distance(r.hash, base.hash, 32) > 31);
  for (i = 0; i < W * H; ++i) grey[i] = rgb[3 * i];
  r = pdq_of(grey, sizeof grey, W, H, 0, VIGIL_PIXEL_GREY8, VIGIL_OK);
  CHECK(r.quality >= 50);
  /* Dihedral: the rotations of a test card are its other hashes; [0] is the hash itself. */
  img.data = rgb;
  img.size = sizeof rgb;
  img.width = W;
  img.height = H;
  opts.dihedral = 1;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  CHECK_RC(vigil_hash_pdq_pixels(&img, &opts, &r), VIGIL_OK);
  CHECK(r.has_dihedral == 1 && memcmp(r.dihedral[0], base.hash, 32) == 0);
  CHECK(memcmp(r.dihedral[1], base.hash, 32) != 0);
  /* A caller's older, smaller result struct gets only what fits. */
  memset(&r, 0xEE, sizeof r);
  r.struct_size = offsetof(vigil_pdq_result, has_dihedral);
  CHECK_RC(vigil_hash_pdq_pixels(&img, &opts, &r), VIGIL_OK);
  CHECK(memcmp(r.hash, base.hash, 32) == 0 && r.has_dihedral == (int)0xEEEEEEEE);
  /* Tiny images hash to zeros with quality 0, as the reference. */
  r = pdq_of(rgb, sizeof rgb, 4, 4, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  {
    static const uint8_t zeros[32];
    CHECK(r.quality == 0 && memcmp(r.hash, zeros, 32) == 0);
  }

  /* Bad pixels. */
  pdq_of(rgb, sizeof rgb, 0, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, sizeof rgb, W, -1, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, sizeof rgb - 1, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  CHECK(strstr(vigil_last_error(), "buffer too small") != NULL);
  pdq_of(rgb, sizeof rgb, W, H, W * 3 - 1, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, sizeof rgb, W, H, W * 4, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(NULL, sizeof rgb, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_E_IMAGE);
  pdq_of(rgb, sizeof rgb, 70000, 1, 0, VIGIL_PIXEL_GREY8, VIGIL_E_IMAGE);
  pdq_of(rgb, sizeof rgb, W, H, 0, 5, VIGIL_E_INVALID);
  pdq_of(rgb, sizeof rgb, W, H, 0, -1, VIGIL_E_INVALID);
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
  free(bgr);
  free(rgba);
  free(bgra);
  free(padded);

  for (i = 0; i < 8; ++i) CHECK(vigil_hash_dihedral_name(i) != NULL);
  CHECK(strcmp(vigil_hash_dihedral_name(0), "orig") == 0);
  CHECK(strcmp(vigil_hash_dihedral_name(7), "flipm") == 0);
  CHECK(vigil_hash_dihedral_name(8) == NULL && vigil_hash_dihedral_name(-1) == NULL);
}

/* Every decoded reference PNG of expected_hashes.csv hashes to ref_hash / ref_quality, from the
 * file and from its bytes in memory. */
static void test_pdq_reference(void) {
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
static void test_pdq_originals(void) {
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

static void test_pdq_bad_images(void) {
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

/* ---- banks ---- */

static const char PDQ_A[] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
/* PDQ_A with 3 bits flipped (first digit d -> a: 1101 -> 1010). */
static const char PDQ_A3[] = "a8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
static const char PDQ_B[] = "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af";

static vigil_bank_load_options load_opts(int action, int signal, const char* name) {
  vigil_bank_load_options o = VIGIL_BANK_LOAD_OPTIONS_INIT;
  o.action = action;
  o.signal = signal;
  o.bank = name;
  return o;
}

static void test_bank_loading(void) {
  vigil_bank* b = NULL;
  vigil_bank_info info;
  vigil_bank_load_options o = load_opts(VIGIL_BANK_BLOCK, VIGIL_SIGNAL_PDQ, "tve");
  char text[512], path[64];
  const char bad[] = "# comment\n"
                     "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22,one\n"
                     "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b2,short\n";
  const char ambiguous[] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\n";
  const char csv[] = "hash,label,bank,signal_type\n"
                     "0cc175b9c0f1b6a831c399e269772661,a,digests,md5\n"
                     "\"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\","
                     "\"bridge, photo\",images,pdq\n";

  CHECK_FAILS(vigil_bank_create(NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK(b != NULL && vigil_bank_size(b) == 0 && vigil_bank_count(b) == 0);

  /* All or nothing, with the line number. */
  temp_file(path, bad, sizeof bad - 1);
  CHECK_FAILS(vigil_bank_load_file(b, path, &o), VIGIL_E_BANK);
  snprintf(text, sizeof text, "%s:3:", path);
  CHECK(strstr(vigil_last_error(), text) != NULL);
  CHECK(vigil_bank_size(b) == 0 && vigil_bank_count(b) == 0);
  unlink(path);
  CHECK_FAILS(vigil_bank_load_text(b, ambiguous, sizeof ambiguous - 1, "plain", NULL), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "plain:1:") != NULL);
  CHECK_FAILS(vigil_bank_load_text(b, "md5 nothex\n", 11, "typed", NULL), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "typed:1:") != NULL);
  CHECK_FAILS(vigil_bank_load_file(b, "/nonexistent/bank.csv", NULL), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "/nonexistent/bank.csv") != NULL);
  CHECK_FAILS(vigil_bank_load_file(NULL, "x", NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_load_file(b, NULL, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_load_text(b, NULL, 3, "x", NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_load_text(b, "", 0, NULL, NULL), VIGIL_E_INVALID);
  o.action = 3;
  CHECK_FAILS(vigil_bank_load_text(b, "", 0, "x", &o), VIGIL_E_INVALID);
  o = load_opts(VIGIL_BANK_BLOCK, 4, NULL);
  CHECK_FAILS(vigil_bank_load_text(b, "", 0, "x", &o), VIGIL_E_INVALID);
  o = load_opts(VIGIL_BANK_BLOCK, VIGIL_SIGNAL_AUTO, NULL);
  o.radius = -2;
  CHECK_FAILS(vigil_bank_load_text(b, "", 0, "x", &o), VIGIL_E_INVALID);
  o.struct_size = sizeof o + 8;
  CHECK_FAILS(vigil_bank_load_text(b, "", 0, "x", &o), VIGIL_E_INVALID);

  /* A plain PDQ list (signal given), a file named after its stem, a CSV of two banks. */
  o = load_opts(VIGIL_BANK_BLOCK, VIGIL_SIGNAL_PDQ, "tve");
  snprintf(text, sizeof text, "%s,bridge\n%s,rotated bridge\n", PDQ_A, PDQ_B);
  CHECK_RC(vigil_bank_load_text(b, text, strlen(text), "list", &o), VIGIL_OK);
  CHECK(vigil_last_error()[0] == '\0');
  CHECK(vigil_bank_size(b) == 2 && vigil_bank_count(b) == 1);
  CHECK_RC(vigil_bank_load_text(b, csv, sizeof csv - 1, "two", NULL), VIGIL_OK);
  CHECK(vigil_bank_size(b) == 4 && vigil_bank_count(b) == 3);
  temp_file(path, "900150983cd24fb0d6963f7d28e17f72,abc\n", 37);
  o = load_opts(VIGIL_BANK_REVIEW, VIGIL_SIGNAL_AUTO, NULL);
  CHECK_RC(vigil_bank_load_file(b, path, &o), VIGIL_OK);
  CHECK(vigil_bank_count(b) == 4);
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  CHECK_RC(vigil_bank_get_info(b, 3, &info), VIGIL_OK);
  CHECK(strcmp(info.name, strrchr(path, '/') + 1) == 0); /* the file's name, no directory */
  CHECK(info.signal == VIGIL_SIGNAL_MD5 && info.action == VIGIL_BANK_REVIEW && info.size == 1);
  /* The same bank with another action is refused. */
  o = load_opts(VIGIL_BANK_BLOCK, VIGIL_SIGNAL_AUTO, NULL);
  CHECK_FAILS(vigil_bank_load_file(b, path, &o), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "already loaded as review") != NULL);
  unlink(path);
  CHECK_RC(vigil_bank_get_info(b, 0, &info), VIGIL_OK);
  CHECK(strcmp(info.name, "tve") == 0 && info.signal == VIGIL_SIGNAL_PDQ);
  CHECK(info.action == VIGIL_BANK_BLOCK && info.radius == 31 && info.size == 2);
  CHECK_RC(vigil_bank_get_info(b, 2, &info), VIGIL_OK);
  CHECK(strcmp(info.name, "images") == 0 && info.size == 1);
  CHECK_FAILS(vigil_bank_get_info(b, 4, &info), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_get_info(NULL, 0, &info), VIGIL_E_INVALID);
  info.struct_size = 4;
  CHECK_FAILS(vigil_bank_get_info(b, 0, &info), VIGIL_E_INVALID);
  CHECK(vigil_bank_size(NULL) == 0 && vigil_bank_count(NULL) == 0);
  vigil_bank_free(b);
  vigil_bank_free(NULL);
}

static void test_bank_define_add_query(void) {
  vigil_bank* b = NULL;
  vigil_verdict* v = NULL;
  vigil_bank_hit_info hit;
  char* json = NULL;
  size_t len = 0;
  const char* label;

  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK_RC(vigil_bank_define(b, "known", VIGIL_SIGNAL_PDQ, VIGIL_BANK_BLOCK, -1), VIGIL_OK);
  /* With one bank, name may be NULL. */
  CHECK_RC(vigil_bank_add(b, NULL, PDQ_A, 64, "bridge", 6), VIGIL_OK);
  CHECK_RC(vigil_bank_define(b, "news", VIGIL_SIGNAL_PDQ, VIGIL_BANK_ALLOW, 0), VIGIL_OK);
  CHECK_FAILS(vigil_bank_add(b, NULL, PDQ_A, 64, NULL, 0), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(b, "known", VIGIL_SIGNAL_MD5, VIGIL_BANK_BLOCK, -1), VIGIL_E_BANK);
  CHECK_FAILS(vigil_bank_define(b, "", VIGIL_SIGNAL_MD5, VIGIL_BANK_BLOCK, -1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(b, NULL, VIGIL_SIGNAL_MD5, VIGIL_BANK_BLOCK, -1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(b, "x", 7, VIGIL_BANK_BLOCK, -1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(b, "x", VIGIL_SIGNAL_MD5, 9, -1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(b, "x", VIGIL_SIGNAL_MD5, VIGIL_BANK_BLOCK, -5), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_define(NULL, "x", VIGIL_SIGNAL_MD5, VIGIL_BANK_BLOCK, -1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_add(b, "known", PDQ_A, 63, NULL, 0), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "not a pdq hash") != NULL);
  CHECK_FAILS(vigil_bank_add(b, "known", "0cc175b9c0f1b6a831c399e269772661", 32, NULL, 0),
              VIGIL_E_BANK);
  CHECK_FAILS(vigil_bank_add(b, "missing", PDQ_A, 64, NULL, 0), VIGIL_E_BANK);
  CHECK(strstr(vigil_last_error(), "missing") != NULL);
  CHECK_FAILS(vigil_bank_add(b, "known", NULL, 0, NULL, 0), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_add(b, "known", PDQ_A, 64, NULL, 3), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_add(NULL, "known", PDQ_A, 64, NULL, 0), VIGIL_E_INVALID);
  CHECK(vigil_bank_size(b) == 1);

  /* Near: distance 3, within the default radius, not within 2. */
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A3, 64, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_score(v) == 0.0);
  CHECK(vigil_verdict_banks_checked(v) == 1 && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(strcmp(vigil_verdict_bank_hit_bank(v, 0), "known") == 0);
  CHECK(strcmp(vigil_verdict_bank_hit_signal(v, 0), "pdq") == 0);
  CHECK(vigil_verdict_bank_hit_distance(v, 0) == 3);
  label = vigil_verdict_bank_hit_label(v, 0, &len);
  CHECK(label != NULL && len == 6 && strcmp(label, "bridge") == 0);
  CHECK(vigil_verdict_bank_hit_action(v, 0) == VIGIL_BANK_BLOCK);
  CHECK(vigil_verdict_bank_hit_suppressed(v, 0) == 0);
  CHECK(strcmp(vigil_verdict_bank_hit_transform(v, 0), "") == 0);
  memset(&hit, 0, sizeof hit);
  hit.struct_size = sizeof hit;
  CHECK_RC(vigil_verdict_get_bank_hit(v, 0, &hit), VIGIL_OK);
  CHECK(hit.signal == VIGIL_SIGNAL_PDQ && hit.distance == 3 && hit.bank_len == 5);
  CHECK(hit.label_len == 6 && hit.action == VIGIL_BANK_BLOCK && hit.suppressed == 0);
  CHECK(hit.transform != NULL && hit.transform[0] == '\0');
  CHECK_RC(vigil_verdict_json(v, "q", 1, VIGIL_JSON_ID_STRING, &json, NULL), VIGIL_OK);
  CHECK(json != NULL && strcmp(json, "{\"id\":\"q\",\"verdict\":\"block\",\"score\":0,\"categories\":{},"
                                     "\"hits\":[],\"bank_hits\":[{\"bank\":\"known\",\"signal\":\"pdq\","
                                     "\"distance\":3,\"label\":\"bridge\",\"action\":\"block\"}]}") == 0);
  vigil_free(json);
  /* Out of range. */
  CHECK(vigil_verdict_bank_hit_bank(v, 1) == NULL && vigil_last_error()[0] != '\0');
  CHECK(vigil_verdict_bank_hit_signal(v, 1) == NULL);
  CHECK(vigil_verdict_bank_hit_distance(v, 1) == -1);
  CHECK(vigil_verdict_bank_hit_label(v, 1, &len) == NULL);
  CHECK(vigil_verdict_bank_hit_action(v, 1) == VIGIL_E_INVALID);
  CHECK(vigil_verdict_bank_hit_suppressed(v, 1) == VIGIL_E_INVALID);
  CHECK(vigil_verdict_bank_hit_transform(v, 1) == NULL);
  CHECK_FAILS(vigil_verdict_get_bank_hit(v, 1, &hit), VIGIL_E_INVALID);
  hit.struct_size = 8;
  CHECK_FAILS(vigil_verdict_get_bank_hit(v, 0, &hit), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_verdict_get_bank_hit(v, 0, NULL), VIGIL_E_INVALID);
  CHECK(vigil_verdict_banks_checked(NULL) == VIGIL_E_INVALID);
  CHECK(vigil_verdict_bank_hit_count(NULL) == 0);
  CHECK(vigil_verdict_bank_hit_bank(NULL, 0) == NULL);
  vigil_verdict_free(v);

  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A3, 64, 2, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 0);
  vigil_verdict_free(v);
  /* An allow-list entry suppresses the block hit (radius 0: exact only). */
  CHECK_RC(vigil_bank_add(b, "news", PDQ_A3, 64, "press photo", 11), VIGIL_OK);
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A3, 64, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 2);
  CHECK(vigil_verdict_bank_hit_suppressed(v, 0) == 1);
  CHECK(vigil_verdict_bank_hit_action(v, 1) == VIGIL_BANK_ALLOW);
  vigil_verdict_free(v);
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A, 64, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK); /* 3 bits from the allow entry: radius 0 */
  vigil_verdict_free(v);
  /* Digests: exact, either case; no bank of the type: nothing. */
  CHECK_RC(vigil_bank_define(b, "files", VIGIL_SIGNAL_MD5, VIGIL_BANK_REVIEW, -1), VIGIL_OK);
  CHECK_RC(vigil_bank_add(b, "files", "0CC175B9C0F1B6A831C399E269772661", 32, "a", 1), VIGIL_OK);
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_MD5, "0cc175b9c0f1b6a831c399e269772661", 32, 5, &v),
           VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_REVIEW && vigil_verdict_bank_hit_distance(v, 0) == 0);
  vigil_verdict_free(v);
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_SIMHASH64, "0123456789abcdef", 16, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_bank_hit_count(v) == 0 && vigil_verdict_banks_checked(v) == 1);
  vigil_verdict_free(v);
  CHECK_FAILS(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A, 63, -1, &v), VIGIL_E_HASH);
  CHECK(v == NULL);
  CHECK_FAILS(vigil_bank_query(b, VIGIL_SIGNAL_MD5, PDQ_A, 64, -1, &v), VIGIL_E_HASH);
  CHECK_FAILS(vigil_bank_query(b, 4, PDQ_A, 64, -1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A, 64, -2, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, NULL, 64, -1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_query(NULL, VIGIL_SIGNAL_PDQ, PDQ_A, 64, -1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_bank_query(b, VIGIL_SIGNAL_PDQ, PDQ_A, 64, -1, NULL), VIGIL_E_INVALID);

  CHECK(strcmp(vigil_signal_name(VIGIL_SIGNAL_SIMHASH64), "simhash64") == 0);
  CHECK(strcmp(vigil_bank_action_name(VIGIL_BANK_ALLOW), "allow") == 0);
  CHECK(vigil_signal_name(4) == NULL && vigil_bank_action_name(-1) == NULL);
  vigil_bank_free(b);
}

/* ---- scanners ---- */

/* The verdict's JSON with "file": name equals the CLI's `vigil scan BANK-ARGS name` line. */
static void check_json_like_cli(const vigil_verdict* v, const char* bank_args, const char* name) {
  char args[8192], line[16384];
  char* json = NULL;
  snprintf(args, sizeof args, "scan %s '%s'", bank_args, name);
  if (!cli_line(args, line, sizeof line)) return;
  CHECK_RC(vigil_verdict_json(v, name, strlen(name), VIGIL_JSON_ID_STRING | VIGIL_JSON_KEY_FILE,
                              &json, NULL), VIGIL_OK);
  if (json != NULL && strcmp(json, line) != 0) fprintf(stderr, "C ABI: %s\nCLI:   %s\n", json, line);
  CHECK(json != NULL && strcmp(json, line) == 0);
  vigil_free(json);
}

static void test_scanner_text(vigil_engine* e) {
  const char msg[] = "hello world", evasive[] = "JOIN the c@r@v@n!!";
  uint8_t md5[16];
  uint64_t sim = 0;
  char hex[33], text[256], path[64], bank_args[128];
  vigil_bank* b = NULL;
  vigil_scanner* s = NULL;
  vigil_scanner_options so = VIGIL_SCANNER_OPTIONS_INIT;
  vigil_verdict *v = NULL, *plain = NULL;
  char *j1 = NULL, *j2 = NULL;

  CHECK_RC(vigil_hash_digest(VIGIL_DIGEST_MD5, msg, strlen(msg), md5, sizeof md5), VIGIL_OK);
  hex_of(md5, 16, hex);
  CHECK_RC(vigil_hash_simhash64("join the caravan", 16, 0, &sim), VIGIL_OK);
  snprintf(text, sizeof text, "md5 %s greeting\nsimhash %016" PRIx64 " slogan\n", hex, sim);
  temp_file(path, text, strlen(text));
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK_RC(vigil_bank_load_file(b, path, NULL), VIGIL_OK);
  CHECK(vigil_bank_count(b) == 2); /* NAME-md5, NAME-simhash64 */

  CHECK_FAILS(vigil_scanner_create(NULL, b, NULL, &s), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_create(e, b, NULL, NULL), VIGIL_E_INVALID);
  so.struct_size = 2;
  CHECK_FAILS(vigil_scanner_create(e, b, &so, &s), VIGIL_E_INVALID);
  CHECK(s == NULL);
  so.struct_size = sizeof so;
  CHECK_RC(vigil_scanner_create(e, b, &so, &s), VIGIL_OK);
  vigil_bank_free(b); /* the scanner keeps the banks */

  CHECK_RC(vigil_scanner_scan(s, msg, strlen(msg), &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(strcmp(vigil_verdict_bank_hit_signal(v, 0), "md5") == 0);
  snprintf(bank_args, sizeof bank_args, "--bank '%s'", path);
  {
    char msg_path[64];
    temp_file(msg_path, msg, strlen(msg));
    vigil_verdict_free(v);
    CHECK_RC(vigil_scanner_scan_file(s, msg_path, &v), VIGIL_OK);
    check_json_like_cli(v, bank_args, msg_path);
    unlink(msg_path);
  }
  vigil_verdict_free(v);
  CHECK_RC(vigil_scanner_scan(s, evasive, strlen(evasive), &v), VIGIL_OK);
  CHECK(vigil_verdict_bank_hit_count(v) == 1 && vigil_verdict_bank_hit_distance(v, 0) == 0);
  CHECK(strcmp(vigil_verdict_bank_hit_signal(v, 0), "simhash64") == 0);
  CHECK(strcmp(vigil_verdict_bank_hit_label(v, 0, NULL), "slogan") == 0);
  vigil_verdict_free(v);
  /* Nothing known: banks checked, no hits; the rules' part equals vigil_scan's. */
  CHECK_RC(vigil_scanner_scan(s, "a quiet afternoon", 17, &v), VIGIL_OK);
  CHECK(vigil_verdict_banks_checked(v) == 1 && vigil_verdict_bank_hit_count(v) == 0);
  CHECK_RC(vigil_scan(e, "a quiet afternoon", 17, &plain), VIGIL_OK);
  CHECK(vigil_verdict_banks_checked(plain) == 0);
  CHECK_RC(vigil_verdict_json(plain, NULL, 0, 0, &j1, NULL), VIGIL_OK);
  CHECK_RC(vigil_verdict_json(v, NULL, 0, 0, &j2, NULL), VIGIL_OK);
  CHECK(j1 != NULL && j2 != NULL && strlen(j2) == strlen(j1) + strlen(",\"bank_hits\":[]"));
  CHECK(j2 != NULL && strstr(j2, ",\"bank_hits\":[]}") != NULL);
  vigil_free(j1);
  vigil_free(j2);
  CHECK_FAILS(vigil_verdict_json(v, NULL, 0, 4u, &j1, NULL), VIGIL_E_INVALID);
  vigil_verdict_free(v);
  vigil_verdict_free(plain);

  CHECK_FAILS(vigil_scanner_scan(NULL, "x", 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan(s, NULL, 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan(s, "x", 1, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_bytes(s, NULL, 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_bytes(s, "\xFF\xD8\xFF junk", 8, &v), VIGIL_E_IMAGE);
  CHECK(v == NULL);
  CHECK_FAILS(vigil_scanner_scan_file(s, NULL, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_file(s, "/nonexistent/msg", &v), VIGIL_E_IO);
  vigil_scanner_free(s);
  vigil_scanner_free(NULL);
  unlink(path);

  /* Without banks a scanner scans as vigil_scan (no "bank_hits"). */
  CHECK_RC(vigil_scanner_create(e, NULL, NULL, &s), VIGIL_OK);
  CHECK_RC(vigil_scanner_scan_bytes(s, "\xFF\xD8\xFF junk", 8, &v), VIGIL_OK);
  CHECK(vigil_verdict_banks_checked(v) == 0);
  vigil_verdict_free(v);
  vigil_scanner_free(s);
}

static void test_scanner_images(vigil_engine* e) {
  char path[8192], turned[8192], bank_path[64], text[256], bank_args[200];
  vigil_bank* b = NULL;
  vigil_scanner *s = NULL, *dih = NULL;
  vigil_scanner_options so = VIGIL_SCANNER_OPTIONS_INIT;
  vigil_verdict* v = NULL;
  static uint8_t rgb[W * H * 3];
  vigil_image img = VIGIL_IMAGE_INIT;
  vigil_pdq_result card;
  char card_hex[65];
  size_t len = 0;
  char* bytes;

  snprintf(path, sizeof path, "%s", data_path("upstream/data/reg-test-input/dih/bridge-1-original.jpg"));
  snprintf(turned, sizeof turned, "%s", data_path("upstream/data/reg-test-input/dih/bridge-2-rotate-90.jpg"));
  test_card(rgb);
  card = pdq_of(rgb, sizeof rgb, W, H, 0, VIGIL_PIXEL_RGB8, VIGIL_OK);
  hex_of(card.hash, 32, card_hex);
  snprintf(text, sizeof text, "pdq %s bridge photo\npdq %s test card\n"
           "md5 d41d8cd98f00b204e9800998ecf8427e empty file\n", PDQ_A, card_hex);
  temp_file(bank_path, text, strlen(text));
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK_RC(vigil_bank_load_file(b, bank_path, NULL), VIGIL_OK);
  CHECK_RC(vigil_scanner_create(e, b, NULL, &s), VIGIL_OK);
  so.dihedral = 1;
  CHECK_RC(vigil_scanner_create(e, b, &so, &dih), VIGIL_OK);
  snprintf(bank_args, sizeof bank_args, "--bank '%s'", bank_path);

  /* Pixels: PDQ only when no file bytes are given (the empty file's MD5 is in the bank). */
  img.data = rgb;
  img.size = sizeof rgb;
  img.width = W;
  img.height = H;
  CHECK_RC(vigil_scanner_scan_pixels(s, &img, NULL, 0, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(strcmp(vigil_verdict_bank_hit_label(v, 0, NULL), "test card") == 0);
  vigil_verdict_free(v);
  img.size = 10;
  CHECK_FAILS(vigil_scanner_scan_pixels(s, &img, NULL, 0, &v), VIGIL_E_IMAGE);
  img.size = sizeof rgb;
  CHECK_FAILS(vigil_scanner_scan_pixels(s, &img, NULL, 3, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_pixels(s, NULL, NULL, 0, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_pixels(NULL, &img, NULL, 0, &v), VIGIL_E_INVALID);

  if (access(path, R_OK) == 0) {
    CHECK_RC(vigil_scanner_scan_file(s, path, &v), VIGIL_OK);
    CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
    CHECK(vigil_verdict_bank_hit_distance(v, 0) <= 10);
    check_json_like_cli(v, bank_args, path);
    vigil_verdict_free(v);
    bytes = read_all(path, &len);
    CHECK_RC(vigil_scanner_scan_bytes(s, bytes, len, &v), VIGIL_OK);
    CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK);
    vigil_verdict_free(v);
    free(bytes);
    /* A rotated copy: missed as is, found with the dihedral hashes (transform rot90's
     * inverse: the scanned image turned by rot270 is the banked one). */
    CHECK_RC(vigil_scanner_scan_file(s, turned, &v), VIGIL_OK);
    CHECK(vigil_verdict_decision(v) == VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 0);
    vigil_verdict_free(v);
    CHECK_RC(vigil_scanner_scan_file(dih, turned, &v), VIGIL_OK);
    CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
    CHECK(vigil_verdict_bank_hit_transform(v, 0) != NULL && vigil_verdict_bank_hit_transform(v, 0)[0] != '\0');
    {
      char dih_args[256];
      snprintf(dih_args, sizeof dih_args, "--dihedral %s", bank_args);
      check_json_like_cli(v, dih_args, turned);
    }
    vigil_verdict_free(v);
  } else {
    printf("note: %s not found: image scan checks skipped\n", path);
  }
  /* The bank grows under a live scanner: the next scan sees the entry. */
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_SIMHASH64, "86101e6098141485", 16, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_bank_hit_count(v) == 0);
  vigil_verdict_free(v);
  CHECK_RC(vigil_bank_define(b, "slogans", VIGIL_SIGNAL_SIMHASH64, VIGIL_BANK_REVIEW, -1), VIGIL_OK);
  CHECK_RC(vigil_bank_add(b, "slogans", "86101e6098141485", 16, "caravan", 7), VIGIL_OK);
  CHECK_RC(vigil_scanner_scan(s, "join the caravan", 16, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) != VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(vigil_verdict_bank_hit_action(v, 0) == VIGIL_BANK_REVIEW);
  vigil_verdict_free(v);
  vigil_scanner_free(s);
  vigil_scanner_free(dih);
  vigil_bank_free(b);
  unlink(bank_path);
}

/* ---- concurrency: scans and queries while another thread adds entries ---- */

struct shared_scan {
  vigil_scanner* scanner;
  vigil_bank* bank;
  int errors;
};

static void* scan_loop(void* arg) {
  struct shared_scan* st = arg;
  int i;
  for (i = 0; i < 300; ++i) {
    vigil_verdict* v = NULL;
    if (vigil_scanner_scan(st->scanner, "join the caravan today", 22, &v) != VIGIL_OK) ++st->errors;
    vigil_verdict_free(v);
    if (vigil_bank_query(st->bank, VIGIL_SIGNAL_PDQ, PDQ_A, 64, -1, &v) != VIGIL_OK) ++st->errors;
    vigil_verdict_free(v);
  }
  return NULL;
}

static void test_concurrent_adds(vigil_engine* e) {
  vigil_bank* b = NULL;
  pthread_t threads[3];
  struct shared_scan st[3];
  int i, errors = 0;
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK_RC(vigil_bank_define(b, "grow", VIGIL_SIGNAL_PDQ, VIGIL_BANK_BLOCK, -1), VIGIL_OK);
  for (i = 0; i < 3; ++i) {
    st[i].bank = b;
    st[i].errors = 0;
    CHECK_RC(vigil_scanner_create(e, b, NULL, &st[i].scanner), VIGIL_OK);
    pthread_create(&threads[i], NULL, scan_loop, &st[i]);
  }
  for (i = 0; i < 2000; ++i) {
    char hex[65];
    snprintf(hex, sizeof hex, "%064x", (unsigned)i * 2654435761u);
    if (vigil_bank_add(b, "grow", hex, 64, "x", 1) != VIGIL_OK) ++errors;
  }
  for (i = 0; i < 3; ++i) {
    pthread_join(threads[i], NULL);
    errors += st[i].errors;
    vigil_scanner_free(st[i].scanner);
  }
  CHECK(errors == 0);
  CHECK(vigil_bank_size(b) == 2000);
  vigil_bank_free(b);
}

int main(void) {
  const char* shared = getenv("VIGIL_SHARED_DIR");
  vigil_engine* e = NULL;
  snprintf(pdq_dir, sizeof pdq_dir, "%s/testdata/pdq/", shared ? shared : "../shared");
  cli = getenv("VIGIL_CLI");
  if (cli == NULL) printf("note: VIGIL_CLI not set: comparisons with the CLI skipped\n");
  test_digests();
  test_hex_and_distance();
  test_text();
  test_pdq_pixels();
  test_pdq_reference();
  test_pdq_originals();
  test_pdq_bad_images();
  test_bank_loading();
  test_bank_define_add_query();
  if (vigil_engine_open_default(NULL, &e) != VIGIL_OK) {
    fprintf(stderr, "cannot open the default engine: %s\n", vigil_last_error());
    return 2;
  }
  test_scanner_text(e);
  test_scanner_images(e);
  test_concurrent_adds(e);
  vigil_engine_free(e);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
