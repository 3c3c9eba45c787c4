/* The hashing tests' helpers: files, the CLI, hex, the test card and its PDQ. */
#define _DEFAULT_SOURCE /* mkstemp, popen */
#include "hash_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char PDQ_A[65] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
/* PDQ_A with 3 bits flipped (first digit d -> a: 1101 -> 1010). */
const char PDQ_A3[65] = "a8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
const char PDQ_B[65] = "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af";

const char* data_path(const char* rel) {
  static char buf[8192];
  snprintf(buf, sizeof buf, "%s%s", pdq_dir, rel);
  return buf;
}

char* read_all(const char* path, size_t* len) {
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

void temp_file(char* path, const char* text, size_t len) {
  int fd;
  strcpy(path, "/tmp/vigil-capi-hash-XXXXXX");
  fd = mkstemp(path);
  if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
    perror("temp file");
    exit(2);
  }
  close(fd);
}

int cli_line(const char* args, char* out, size_t cap) {
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

void hex_of(const uint8_t* bytes, size_t len, char* buf) {
  CHECK_RC(vigil_hash_to_hex(bytes, len, buf, 2 * len + 1), VIGIL_OK);
}

/* A colour test card of pseudo-random texture (smooth synthetic images have PDQ quality 0). */
void test_card(uint8_t* rgb) {
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

vigil_pdq_result pdq_of(const uint8_t* data, size_t size, int w, int h, size_t stride,
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

/* The card as a vigil_image (RGB8, packed rows). */
vigil_image card_image(const uint8_t* rgb) {
  vigil_image img = VIGIL_IMAGE_INIT;
  img.data = rgb;
  img.size = (size_t)W * H * 3;
  img.width = W;
  img.height = H;
  return img;
}
