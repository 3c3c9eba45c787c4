/* The C ABI's hashing, banks and scanners, called from C11: every function with valid arguments
 * and bad ones (NULL, zero length, wrong sizes, bad formats); PDQ against the reference hashes of
 * shared/testdata/pdq; digests against known vectors; JSON and hashes against the CLI's output;
 * banks extended while other threads scan. Prints "N passed, N failed"; exits non-zero on any
 * failure. Environment: VIGIL_SHARED_DIR (test data) and VIGIL_CLI (the vigil executable).
 * The cases are in digests.c, pdq.c, banks.c and scanners.c; helpers in support.c. */
#include "hash_test.h"

#include <stdio.h>
#include <stdlib.h>

int passed, failed;
char pdq_dir[4096];
const char* cli;

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
