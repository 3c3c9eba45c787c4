/* The C ABI's scanners (rules and banks in one verdict): text and image scans against the CLI's
 * JSON, rotated copies found by dihedral hashes, banks that grow under live scanners, and
 * concurrent adds while other threads scan. */
#include "hash_test.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- text ---- */

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

/* Hits in the md5 and simhash banks of `bank_path`; with nothing known, the rules' verdict
 * (and its JSON) equals vigil_scan's plus an empty "bank_hits". */
static void test_scanner_text_hits(vigil_engine* e, vigil_scanner* s, const char* bank_path) {
  const char msg[] = "hello world", evasive[] = "JOIN the c@r@v@n!!";
  char bank_args[128], msg_path[64];
  vigil_verdict *v = NULL, *plain = NULL;
  char *j1 = NULL, *j2 = NULL;
  CHECK_RC(vigil_scanner_scan(s, msg, strlen(msg), &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(strcmp(vigil_verdict_bank_hit_signal(v, 0), "md5") == 0);
  vigil_verdict_free(v);
  snprintf(bank_args, sizeof bank_args, "--bank '%s'", bank_path);
  temp_file(msg_path, msg, strlen(msg));
  CHECK_RC(vigil_scanner_scan_file(s, msg_path, &v), VIGIL_OK);
  check_json_like_cli(v, bank_args, msg_path);
  unlink(msg_path);
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
}

static void test_scanner_bad_args(vigil_scanner* s) {
  vigil_verdict* v = NULL;
  CHECK_FAILS(vigil_scanner_scan(NULL, "x", 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan(s, NULL, 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan(s, "x", 1, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_bytes(s, NULL, 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_bytes(s, "\xFF\xD8\xFF junk", 8, &v), VIGIL_E_IMAGE);
  CHECK(v == NULL);
  CHECK_FAILS(vigil_scanner_scan_file(s, NULL, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_file(s, "/nonexistent/msg", &v), VIGIL_E_IO);
}

void test_scanner_text(vigil_engine* e) {
  const char msg[] = "hello world";
  uint8_t md5[16];
  uint64_t sim = 0;
  char hex[33], text[256], path[64];
  vigil_bank* b = NULL;
  vigil_scanner* s = NULL;
  vigil_scanner_options so = VIGIL_SCANNER_OPTIONS_INIT;
  vigil_verdict* v = NULL;

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
  test_scanner_text_hits(e, s, path);
  test_scanner_bad_args(s);
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

/* ---- images ---- */

/* Pixels: PDQ only when no file bytes are given (the empty file's MD5 is in the bank). */
static void test_scanner_pixels(vigil_scanner* s, const uint8_t* rgb) {
  vigil_image img = card_image(rgb);
  vigil_verdict* v = NULL;
  CHECK_RC(vigil_scanner_scan_pixels(s, &img, NULL, 0, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(strcmp(vigil_verdict_bank_hit_label(v, 0, NULL), "test card") == 0);
  vigil_verdict_free(v);
  img.size = 10;
  CHECK_FAILS(vigil_scanner_scan_pixels(s, &img, NULL, 0, &v), VIGIL_E_IMAGE);
  img.size = (size_t)W * H * 3;
  CHECK_FAILS(vigil_scanner_scan_pixels(s, &img, NULL, 3, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_pixels(s, NULL, NULL, 0, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scanner_scan_pixels(NULL, &img, NULL, 0, &v), VIGIL_E_INVALID);
}

/* The bridge photo from its file and bytes; a rotated copy: missed as is, found with the
 * dihedral hashes (transform rot90's inverse: the scanned image turned by rot270 is the
 * banked one). The JSON equals the CLI's. */
static void test_scanner_image_files(vigil_scanner* s, vigil_scanner* dih, const char* bank_args) {
  char path[8192], turned[8192], dih_args[256];
  vigil_verdict* v = NULL;
  size_t len = 0;
  char* bytes;
  snprintf(path, sizeof path, "%s", data_path("upstream/data/reg-test-input/dih/bridge-1-original.jpg"));
  snprintf(turned, sizeof turned, "%s", data_path("upstream/data/reg-test-input/dih/bridge-2-rotate-90.jpg"));
  if (access(path, R_OK) != 0) {
    printf("note: %s not found: image scan checks skipped\n", path);
    return;
  }
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
  CHECK_RC(vigil_scanner_scan_file(s, turned, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 0);
  vigil_verdict_free(v);
  CHECK_RC(vigil_scanner_scan_file(dih, turned, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(vigil_verdict_bank_hit_transform(v, 0) != NULL && vigil_verdict_bank_hit_transform(v, 0)[0] != '\0');
  snprintf(dih_args, sizeof dih_args, "--dihedral %s", bank_args);
  check_json_like_cli(v, dih_args, turned);
  vigil_verdict_free(v);
}

/* The bank grows under a live scanner: the next scan sees the entry. 0420103d20208101 is the
   SimHash-64 of "join the caravan" (`vigil hash --algo simhash`). */
static void test_scanner_sees_adds(vigil_bank* b, vigil_scanner* s) {
  vigil_verdict* v = NULL;
  CHECK_RC(vigil_bank_query(b, VIGIL_SIGNAL_SIMHASH64, "0420103d20208101", 16, -1, &v), VIGIL_OK);
  CHECK(vigil_verdict_bank_hit_count(v) == 0);
  vigil_verdict_free(v);
  CHECK_RC(vigil_bank_define(b, "slogans", VIGIL_SIGNAL_SIMHASH64, VIGIL_BANK_REVIEW, -1), VIGIL_OK);
  CHECK_RC(vigil_bank_add(b, "slogans", "0420103d20208101", 16, "caravan", 7), VIGIL_OK);
  CHECK_RC(vigil_scanner_scan(s, "join the caravan", 16, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) != VIGIL_ALLOW && vigil_verdict_bank_hit_count(v) == 1);
  CHECK(vigil_verdict_bank_hit_action(v, 0) == VIGIL_BANK_REVIEW);
  vigil_verdict_free(v);
}

void test_scanner_images(vigil_engine* e) {
  char bank_path[64], text[256], bank_args[200], card_hex[65];
  static uint8_t rgb[W * H * 3];
  vigil_bank* b = NULL;
  vigil_scanner *s = NULL, *dih = NULL;
  vigil_scanner_options so = VIGIL_SCANNER_OPTIONS_INIT;
  vigil_pdq_result card;

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
  test_scanner_pixels(s, rgb);
  test_scanner_image_files(s, dih, bank_args);
  test_scanner_sees_adds(b, s);
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

void test_concurrent_adds(vigil_engine* e) {
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
