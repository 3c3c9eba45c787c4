/* The C ABI's digests (MD5, SHA-256, XXH3-128, the text fingerprint), hex and Hamming
 * distance, and text sketches (normal form, SimHash, MinHash) against known values and the CLI. */
#include "hash_test.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

void test_digests(void) {
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

void test_hex_and_distance(void) {
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

/* An evasion spelling of kPlain: the sketches see through it. */
static const char kEvasive[] = "JOIN the c@r@v@n!!", kPlain[] = "join the caravan";

static void test_normalize(void) {
  char* normal = NULL;
  size_t normal_len = 0;
  CHECK_RC(vigil_text_normalize(kEvasive, strlen(kEvasive), &normal, &normal_len), VIGIL_OK);
  CHECK(normal != NULL && strlen(normal) == normal_len);
  CHECK(normal != NULL && strncmp(normal, kPlain, strlen(kPlain)) == 0); /* "!!" ends a word */
  vigil_free(normal);
  CHECK_RC(vigil_text_normalize(NULL, 0, &normal, NULL), VIGIL_OK);
  CHECK(normal != NULL && normal[0] == '\0');
  vigil_free(normal);
  CHECK_FAILS(vigil_text_normalize(NULL, 3, &normal, NULL), VIGIL_E_INVALID);
  CHECK(normal == NULL);
  CHECK_FAILS(vigil_text_normalize("x", 1, NULL, NULL), VIGIL_E_INVALID);
}

/* SimHash: evasion spellings hash alike; equal to `vigil hash --algo simhash` of `path` (which
 * holds kEvasive). */
static void test_simhash(const char* path) {
  uint64_t a = 1, b = 2, empty = 1;
  char args[128], line[4096], expected[64];
  CHECK_RC(vigil_hash_simhash64(kEvasive, strlen(kEvasive), 0, &a), VIGIL_OK);
  CHECK_RC(vigil_hash_simhash64(kPlain, strlen(kPlain), 2, &b), VIGIL_OK);
  CHECK(a == b && a != 0);
  CHECK_RC(vigil_hash_simhash64("", 0, 0, &empty), VIGIL_OK);
  CHECK(empty == 0);
  CHECK_RC(vigil_hash_simhash64(kPlain, strlen(kPlain), 1, &b), VIGIL_OK);
  CHECK(a != b);
  snprintf(args, sizeof args, "hash --algo simhash %s", path);
  snprintf(expected, sizeof expected, "\"hash\":\"%016" PRIx64 "\"", a);
  if (cli_line(args, line, sizeof line)) CHECK(strstr(line, expected) != NULL);
  CHECK_FAILS(vigil_hash_simhash64(NULL, 1, 0, &a), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_simhash64("x", 1, -1, &a), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_simhash64("x", 1, 0, NULL), VIGIL_E_INVALID);
}

/* MinHash: the CLI's 1,024 digits for `path` (kEvasive) are the slots, 8 hex digits each. */
static void test_minhash(const char* path) {
  uint32_t s1[VIGIL_MINHASH_SLOTS], s2[VIGIL_MINHASH_SLOTS], s3[VIGIL_MINHASH_SLOTS];
  char args[128], line[4096], expected[64];
  int i, all_ones = 1;
  CHECK_RC(vigil_hash_minhash(kEvasive, strlen(kEvasive), 0, s1, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  CHECK_RC(vigil_hash_minhash(kPlain, strlen(kPlain), 3, s2, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  CHECK(vigil_hash_minhash_similarity(s1, s2, VIGIL_MINHASH_SLOTS) == 1.0);
  CHECK_RC(vigil_hash_minhash("an entirely different sentence about gardens", 44, 0, s3, 128),
           VIGIL_OK);
  CHECK(vigil_hash_minhash_similarity(s1, s3, VIGIL_MINHASH_SLOTS) < 0.2);
  snprintf(args, sizeof args, "hash --algo minhash %s", path);
  snprintf(expected, sizeof expected, "\"hash\":\"%08" PRIx32 "%08" PRIx32, s1[0], s1[1]);
  if (cli_line(args, line, sizeof line)) {
    char last[16];
    snprintf(last, sizeof last, "%08" PRIx32 "\"}", s1[127]);
    CHECK(strstr(line, expected) != NULL);
    CHECK(strstr(line, last) != NULL);
  }
  CHECK_RC(vigil_hash_minhash(NULL, 0, 0, s3, VIGIL_MINHASH_SLOTS), VIGIL_OK);
  for (i = 0; i < VIGIL_MINHASH_SLOTS; ++i) all_ones &= s3[i] == 0xFFFFFFFFu;
  CHECK(all_ones);
  CHECK_FAILS(vigil_hash_minhash("x", 1, 0, s3, VIGIL_MINHASH_SLOTS - 1), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_minhash("x", 1, 0, NULL, VIGIL_MINHASH_SLOTS), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_hash_minhash(NULL, 2, 0, s3, VIGIL_MINHASH_SLOTS), VIGIL_E_INVALID);
  CHECK(isnan(vigil_hash_minhash_similarity(NULL, s1, 4)));
  CHECK(isnan(vigil_hash_minhash_similarity(s1, s2, 0)));
}

void test_text(void) {
  char path[64];
  test_normalize();
  temp_file(path, kEvasive, strlen(kEvasive));
  test_simhash(path);
  test_minhash(path);
  unlink(path);
}
