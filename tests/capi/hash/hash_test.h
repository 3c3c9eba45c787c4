/* What the C ABI's hashing, bank and scanner tests share (one program, vigil-capi-hash-test, of
 * several translation units): the test data and CLI locations, file helpers, the synthetic test
 * card, known PDQ hashes, and each unit's test functions. */
#ifndef VIGIL_TEST_HASH_TEST_H
#define VIGIL_TEST_HASH_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "vigil.h"

#define VIGIL_CHECK_SHARED_COUNTERS 1
#include "../check.h"

/* ---- environment (main.c) ---- */

extern char pdq_dir[4096]; /* shared/testdata/pdq/, "" when absent */
extern const char* cli;    /* the vigil executable, NULL when unknown */

/* ---- helpers (support.c) ---- */

/* rel under pdq_dir, in a static buffer (valid until the next call). */
const char* data_path(const char* rel);
/* The whole file (NUL-terminated; malloc'd) and its length, or NULL. */
char* read_all(const char* path, size_t* len);
/* A temporary file holding text; the path is written to path[64]. */
void temp_file(char* path, const char* text, size_t len);
/* The first line the CLI prints for `vigil ARGS` (without the newline) into out[cap]; 0 when
 * the CLI is unknown or printed nothing. */
int cli_line(const char* args, char* out, size_t cap);
/* bytes as lower-case hex into buf[2 * len + 1] (a checked call). */
void hex_of(const uint8_t* bytes, size_t len, char* buf);

/* The synthetic test card: W x H RGB pixels of pseudo-random texture. */
enum { W = 128, H = 96 };
void test_card(uint8_t* rgb);
/* The card's W x H RGB8 pixels (packed rows) as a vigil_image. */
vigil_image card_image(const uint8_t* rgb);
/* vigil_hash_pdq_pixels of one image, checking that it returns `expect`. */
vigil_pdq_result pdq_of(const uint8_t* data, size_t size, int w, int h, size_t stride,
                        int format, int expect);

/* Known PDQ hashes: PDQ_A is the bridge photo's; PDQ_A3 is PDQ_A with 3 bits flipped. */
extern const char PDQ_A[65], PDQ_A3[65], PDQ_B[65];

/* ---- the tests ---- */

void test_digests(void);          /* digests.c */
void test_hex_and_distance(void); /* digests.c */
void test_text(void);             /* digests.c */
void test_pdq_pixels(void);       /* pdq.c */
void test_pdq_reference(void);    /* pdq.c */
void test_pdq_originals(void);    /* pdq.c */
void test_pdq_bad_images(void);   /* pdq.c */
void test_bank_loading(void);     /* banks.c */
void test_bank_define_add_query(void);        /* banks.c */
void test_scanner_text(vigil_engine* e);      /* scanners.c */
void test_scanner_images(vigil_engine* e);    /* scanners.c */
void test_concurrent_adds(vigil_engine* e);   /* scanners.c */

#endif
