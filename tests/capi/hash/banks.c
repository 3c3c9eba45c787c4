/* The C ABI's hash banks: loading files and text (all or nothing, errors naming file and
 * line), defining banks and adding entries, queries with radius and allow-lists, bank hits. */
#include "hash_test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static vigil_bank_load_options load_opts(int action, int signal, const char* name) {
  vigil_bank_load_options o = VIGIL_BANK_LOAD_OPTIONS_INIT;
  o.action = action;
  o.signal = signal;
  o.bank = name;
  return o;
}

/* Bad files, texts and options: refused whole, with the origin and line. */
static void test_bank_load_errors(vigil_bank* b) {
  vigil_bank_load_options o = load_opts(VIGIL_BANK_BLOCK, VIGIL_SIGNAL_PDQ, "tve");
  char text[512], path[64];
  const char bad[] = "# comment\n"
                     "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22,one\n"
                     "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b2,short\n";
  const char ambiguous[] = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\n";
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
}

/* A plain PDQ list (signal given), a file named after its stem, a CSV of two banks. */
static void test_bank_load_good(vigil_bank* b) {
  vigil_bank_load_options o;
  vigil_bank_info info;
  char text[512], path[64];
  const char csv[] = "hash,label,bank,signal_type\n"
                     "0cc175b9c0f1b6a831c399e269772661,a,digests,md5\n"
                     "\"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\","
                     "\"bridge, photo\",images,pdq\n";
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
}

void test_bank_loading(void) {
  vigil_bank* b = NULL;
  CHECK_FAILS(vigil_bank_create(NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  CHECK(b != NULL && vigil_bank_size(b) == 0 && vigil_bank_count(b) == 0);
  test_bank_load_errors(b);
  test_bank_load_good(b);
  CHECK(vigil_bank_size(NULL) == 0 && vigil_bank_count(NULL) == 0);
  vigil_bank_free(b);
  vigil_bank_free(NULL);
}

/* Banks "known" (PDQ, block) holding PDQ_A as "bridge", and "news" (PDQ, allow, radius 0). */
static void test_bank_define_add(vigil_bank* b) {
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
}

/* A near PDQ hit and every accessor of bank hits, in and out of range. */
static void test_bank_hits(vigil_bank* b) {
  vigil_verdict* v = NULL;
  vigil_bank_hit_info hit;
  char* json = NULL;
  size_t len = 0;
  const char* label;
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
}

/* Radius, allow-lists, digests, signals without banks, bad queries. */
static void test_bank_queries(vigil_bank* b) {
  vigil_verdict* v = NULL;
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
}

void test_bank_define_add_query(void) {
  vigil_bank* b = NULL;
  CHECK_RC(vigil_bank_create(&b), VIGIL_OK);
  test_bank_define_add(b);
  test_bank_hits(b);
  test_bank_queries(b);
  CHECK(strcmp(vigil_signal_name(VIGIL_SIGNAL_SIMHASH64), "simhash64") == 0);
  CHECK(strcmp(vigil_bank_action_name(VIGIL_BANK_ALLOW), "allow") == 0);
  CHECK(vigil_signal_name(4) == NULL && vigil_bank_action_name(-1) == NULL);
  vigil_bank_free(b);
}

