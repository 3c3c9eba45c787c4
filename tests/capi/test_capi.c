/* The C ABI, called from C11: every function with valid arguments and with bad ones (NULL,
 * zero length, wrong struct sizes, out-of-range indexes), plus the hot-swap concurrency test.
 * Prints "N passed, N failed" and exits non-zero on any failure. */
#define _DEFAULT_SOURCE /* mkstemp, usleep */
#include "vigil.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static const char PACK_A[] =
    "[pack]\nname = \"pack-a\"\nversion = \"1\"\n"
    "[policy]\nreview = 3.0\nblock = 8.0\n"
    "[[rule]]\nid = \"a.alpha\"\ncategory = \"test\"\nweight = 10.0\n"
    "terms = [\"alphaword\"]\nfullword = true\n";
static const char PACK_B[] =
    "[pack]\nname = \"pack-b\"\nversion = \"2\"\n"
    "[policy]\nreview = 3.0\nblock = 8.0\n"
    "[[rule]]\nid = \"b.beta\"\ncategory = \"other\"\nweight = 4.0\n"
    "terms = [\"alphaword\", \"betaword\"]\nfullword = true\n";
static const char BAD_PACK[] = "[pack]\nname = \"bad\"\n[[rule]]\nid = \"x\"\nweight = \"heavy\"\n";

static vigil_engine* open_pack(const char* toml) {
  vigil_engine* e = NULL;
  int rc = vigil_engine_open_pack_string(toml, strlen(toml), "test", NULL, NULL, &e);
  if (rc != VIGIL_OK) {
    fprintf(stderr, "cannot open test pack: %s\n", vigil_last_error());
    exit(2);
  }
  return e;
}

static void test_version_and_errors(void) {
  CHECK(vigil_version_number() == VIGIL_VERSION_NUMBER);
  CHECK(strcmp(vigil_version_string(), VIGIL_VERSION_STRING) == 0);
  {
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d.%d", VIGIL_VERSION_MAJOR, VIGIL_VERSION_MINOR,
             VIGIL_VERSION_PATCH);
    CHECK(strcmp(buf, vigil_version_string()) == 0);
  }
  CHECK(vigil_matcher_version() != NULL && vigil_matcher_version()[0] != '\0');
  CHECK(strcmp(vigil_error_name(VIGIL_OK), "VIGIL_OK") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_INVALID), "VIGIL_E_INVALID") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_NOMEM), "VIGIL_E_NOMEM") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_PACK), "VIGIL_E_PACK") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_ENGINE_FILE), "VIGIL_E_ENGINE_FILE") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_INTERNAL), "VIGIL_E_INTERNAL") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_STATE), "VIGIL_E_STATE") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_TOO_LARGE), "VIGIL_E_TOO_LARGE") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_SCAN), "VIGIL_E_SCAN") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_BUFFER_TOO_SMALL), "VIGIL_E_BUFFER_TOO_SMALL") == 0);
  CHECK(strcmp(vigil_error_name(VIGIL_E_BANK), "VIGIL_E_BANK") == 0);
  CHECK(strcmp(vigil_error_name(12345), "VIGIL_E_UNKNOWN") == 0);
  CHECK(strcmp(vigil_error_name(-1000), "VIGIL_E_UNKNOWN") == 0);
  CHECK(vigil_last_error() != NULL);
  vigil_free(NULL);
  CHECK(strcmp(vigil_decision_name(VIGIL_ALLOW), "allow") == 0);
  CHECK(strcmp(vigil_decision_name(VIGIL_REVIEW), "review") == 0);
  CHECK(strcmp(vigil_decision_name(VIGIL_BLOCK), "block") == 0);
  CHECK(vigil_decision_name(3) == NULL);
  CHECK(vigil_decision_name(-1) == NULL);
  CHECK(vigil_last_error()[0] != '\0');
  {
    size_t len = 0;
    const char* pack = vigil_default_pack(&len);
    CHECK(pack != NULL && len > 100 && strlen(pack) == len);
    CHECK(vigil_default_pack(NULL) == pack);
  }
}

static void test_open_and_engine_facts(void) {
  vigil_engine* e = (vigil_engine*)1;
  vigil_engine_options opts = VIGIL_ENGINE_OPTIONS_INIT;
  vigil_engine_options bad = VIGIL_ENGINE_OPTIONS_INIT;
  char tmpl[] = "/tmp/vigil-capi-XXXXXX";
  char pack_path[64], engine_path[64], bad_path[64];
  FILE* f;
  int fd;

  /* pack strings */
  CHECK_FAILS(vigil_engine_open_pack_string(PACK_A, strlen(PACK_A), NULL, NULL, NULL, NULL),
              VIGIL_E_INVALID);
  CHECK_FAILS(vigil_engine_open_pack_string(NULL, 5, NULL, NULL, NULL, &e), VIGIL_E_INVALID);
  CHECK(e == NULL);
  bad.struct_size = 1;
  CHECK_FAILS(vigil_engine_open_pack_string(PACK_A, strlen(PACK_A), NULL, NULL, &bad, &e),
              VIGIL_E_INVALID);
  bad.struct_size = sizeof(vigil_engine_options) + 8;
  CHECK_FAILS(vigil_engine_open_pack_string(PACK_A, strlen(PACK_A), NULL, NULL, &bad, &e),
              VIGIL_E_INVALID);
  CHECK_FAILS(vigil_engine_open_pack_string(BAD_PACK, strlen(BAD_PACK), "bad.toml", NULL, NULL, &e),
              VIGIL_E_PACK);
  CHECK(strstr(vigil_last_error(), "bad.toml") != NULL);
  CHECK(e == NULL);
  CHECK_FAILS(vigil_engine_open_pack_string(NULL, 0, NULL, NULL, NULL, &e), VIGIL_E_PACK);
  CHECK_RC(vigil_engine_open_pack_string(PACK_A, strlen(PACK_A), "a", "/tmp", &opts, &e), VIGIL_OK);
  CHECK(vigil_last_error()[0] == '\0');
  CHECK(e != NULL);
  CHECK(strcmp(vigil_engine_pack_name(e), "pack-a") == 0);
  CHECK(strcmp(vigil_engine_pack_version(e), "1") == 0);
  CHECK(strlen(vigil_engine_pack_hash(e)) == 64);
  CHECK(vigil_engine_rule_count(e) == 1);
  CHECK(vigil_engine_supports_streaming(e) == 1);
  CHECK(vigil_engine_pack_name(NULL) == NULL);
  CHECK(vigil_engine_pack_version(NULL) == NULL);
  CHECK(vigil_engine_pack_hash(NULL) == NULL);
  CHECK(vigil_engine_rule_count(NULL) == 0);
  CHECK(vigil_engine_supports_streaming(NULL) == VIGIL_E_INVALID);

  /* ref */
  {
    vigil_engine* r = NULL;
    CHECK_FAILS(vigil_engine_ref(NULL, &r), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_ref(e, NULL), VIGIL_E_INVALID);
    CHECK_RC(vigil_engine_ref(e, &r), VIGIL_OK);
    CHECK(r != NULL && r != e);
    CHECK(strcmp(vigil_engine_pack_hash(r), vigil_engine_pack_hash(e)) == 0);
    vigil_engine_free(r);
  }

  /* pack files */
  fd = mkstemp(tmpl);
  CHECK(fd >= 0);
  close(fd);
  unlink(tmpl);
  snprintf(pack_path, sizeof pack_path, "%s.toml", tmpl);
  snprintf(engine_path, sizeof engine_path, "%s.engine", tmpl);
  snprintf(bad_path, sizeof bad_path, "%s.bad", tmpl);
  f = fopen(pack_path, "w");
  fputs(PACK_B, f);
  fclose(f);
  {
    vigil_engine* b = NULL;
    vigil_engine_options no_stream = VIGIL_ENGINE_OPTIONS_INIT;
    no_stream.streaming = 0;
    CHECK_FAILS(vigil_engine_open_pack_file(NULL, NULL, &b), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_pack_file(pack_path, NULL, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_pack_file("/nonexistent/pack.toml", NULL, &b), VIGIL_E_PACK);
    bad.struct_size = 0;
    CHECK_FAILS(vigil_engine_open_pack_file(pack_path, &bad, &b), VIGIL_E_INVALID);
    CHECK_RC(vigil_engine_open_pack_file(pack_path, &no_stream, &b), VIGIL_OK);
    CHECK(b != NULL && strcmp(vigil_engine_pack_name(b), "pack-b") == 0);
    CHECK(vigil_engine_supports_streaming(b) == 0);
    {
      vigil_stream* s = (vigil_stream*)1;
      CHECK_FAILS(vigil_stream_open(b, &s), VIGIL_E_STATE);
      CHECK(s == NULL);
    }
    vigil_engine_free(b);
  }

  /* save, open_file, serialize, open_bytes */
  CHECK_FAILS(vigil_engine_save(NULL, engine_path), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_engine_save(e, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_engine_save(e, "/nonexistent/dir/x.engine"), VIGIL_E_ENGINE_FILE);
  CHECK_RC(vigil_engine_save(e, engine_path), VIGIL_OK);
  {
    vigil_engine* l = NULL;
    CHECK_FAILS(vigil_engine_open_file(NULL, &l), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_file(engine_path, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_file("/nonexistent.engine", &l), VIGIL_E_ENGINE_FILE);
    CHECK_FAILS(vigil_engine_open_file(pack_path, &l), VIGIL_E_ENGINE_FILE); /* not an engine */
    CHECK_RC(vigil_engine_open_file(engine_path, &l), VIGIL_OK);
    CHECK(l != NULL && strcmp(vigil_engine_pack_hash(l), vigil_engine_pack_hash(e)) == 0);
    vigil_engine_free(l);
  }
  {
    void* data = (void*)1;
    size_t len = 0;
    vigil_engine* l = NULL;
    CHECK_FAILS(vigil_engine_serialize(NULL, &data, &len), VIGIL_E_INVALID);
    CHECK(data == NULL);
    CHECK_FAILS(vigil_engine_serialize(e, NULL, &len), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_serialize(e, &data, NULL), VIGIL_E_INVALID);
    CHECK_RC(vigil_engine_serialize(e, &data, &len), VIGIL_OK);
    CHECK(data != NULL && len > 64);
    CHECK_FAILS(vigil_engine_open_bytes(NULL, 10, &l), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_bytes(data, len, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_engine_open_bytes(NULL, 0, &l), VIGIL_E_ENGINE_FILE);
    CHECK_FAILS(vigil_engine_open_bytes(data, len / 2, &l), VIGIL_E_ENGINE_FILE); /* truncated */
    ((unsigned char*)data)[len - 5] ^= 0x5a;
    CHECK_FAILS(vigil_engine_open_bytes(data, len, &l), VIGIL_E_ENGINE_FILE); /* corrupt */
    ((unsigned char*)data)[len - 5] ^= 0x5a;
    CHECK_RC(vigil_engine_open_bytes(data, len, &l), VIGIL_OK);
    CHECK(l != NULL && strcmp(vigil_engine_pack_name(l), "pack-a") == 0);
    vigil_engine_free(l);
    vigil_free(data);
  }
  f = fopen(bad_path, "w");
  fputs(BAD_PACK, f);
  fclose(f);
  {
    vigil_engine* l = NULL;
    CHECK_FAILS(vigil_engine_open_pack_file(bad_path, NULL, &l), VIGIL_E_PACK);
    CHECK(strstr(vigil_last_error(), bad_path) != NULL);
  }
  unlink(pack_path);
  unlink(engine_path);
  unlink(bad_path);

  /* the default engine */
  {
    vigil_engine* d = NULL;
    CHECK_FAILS(vigil_engine_open_default(NULL, NULL), VIGIL_E_INVALID);
    bad.struct_size = 3;
    CHECK_FAILS(vigil_engine_open_default(&bad, &d), VIGIL_E_INVALID);
    CHECK_RC(vigil_engine_open_default(NULL, &d), VIGIL_OK);
    CHECK(d != NULL && vigil_engine_rule_count(d) > 10);
    vigil_engine_free(d);
  }
  vigil_engine_free(e);
  vigil_engine_free(NULL);
}

static void test_scan_and_verdict(void) {
  vigil_engine* a = open_pack(PACK_A);
  vigil_verdict* v = (vigil_verdict*)1;
  const char* text = "say alphaword twice: alphaword";
  size_t len = 0;
  vigil_verdict_summary sum;
  vigil_hit_info hit;

  CHECK_FAILS(vigil_scan(NULL, "x", 1, &v), VIGIL_E_INVALID);
  CHECK(v == NULL);
  CHECK_FAILS(vigil_scan(a, "x", 1, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan(a, NULL, 1, &v), VIGIL_E_INVALID);
  /* empty messages are fine, NULL or not */
  CHECK_RC(vigil_scan(a, NULL, 0, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_ALLOW);
  CHECK(vigil_verdict_score(v) == 0.0);
  CHECK(vigil_verdict_hit_count(v) == 0 && vigil_verdict_category_count(v) == 0);
  vigil_verdict_free(v);
  CHECK_RC(vigil_scan(a, "", 0, &v), VIGIL_OK);
  vigil_verdict_free(v);

  CHECK_RC(vigil_scan(a, text, strlen(text), &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK);
  CHECK(vigil_verdict_score(v) >= 8.0);
  CHECK(vigil_verdict_invalid_bytes(v) == 0);
  CHECK(vigil_verdict_category_count(v) == 1);
  CHECK(strcmp(vigil_verdict_category_name(v, 0), "test") == 0);
  CHECK(vigil_verdict_category_score(v, 0) > 0.0);
  CHECK(vigil_verdict_hit_count(v) >= 1);
  CHECK(strcmp(vigil_verdict_hit_rule(v, 0), "a.alpha") == 0);
  CHECK(strcmp(vigil_verdict_hit_category(v, 0), "test") == 0);
  CHECK(vigil_verdict_hit_weight(v, 0) > 0.0);
  CHECK(vigil_verdict_hit_start(v, 0) == 4);
  CHECK(vigil_verdict_hit_end(v, 0) == 13);
  CHECK(strcmp(vigil_verdict_hit_text(v, 0, &len), "alphaword") == 0 && len == 9);
  CHECK(vigil_verdict_hit_text(v, 0, NULL) != NULL);
  CHECK(vigil_verdict_hit_is_composite(v, 0) == 0);

  /* out of range and NULL */
  {
    size_t n = vigil_verdict_hit_count(v), c = vigil_verdict_category_count(v);
    CHECK(vigil_verdict_decision(NULL) == VIGIL_E_INVALID);
    CHECK(isnan(vigil_verdict_score(NULL)));
    CHECK(vigil_verdict_invalid_bytes(NULL) == 0);
    CHECK(vigil_verdict_category_count(NULL) == 0);
    CHECK(vigil_verdict_category_name(NULL, 0) == NULL);
    CHECK(vigil_verdict_category_name(v, c) == NULL);
    CHECK(isnan(vigil_verdict_category_score(NULL, 0)));
    CHECK(isnan(vigil_verdict_category_score(v, c)));
    CHECK(vigil_verdict_hit_count(NULL) == 0);
    CHECK(vigil_verdict_hit_rule(NULL, 0) == NULL);
    CHECK(vigil_verdict_hit_rule(v, n) == NULL);
    CHECK(vigil_verdict_hit_category(NULL, 0) == NULL);
    CHECK(vigil_verdict_hit_category(v, n) == NULL);
    CHECK(isnan(vigil_verdict_hit_weight(NULL, 0)));
    CHECK(isnan(vigil_verdict_hit_weight(v, n)));
    CHECK(vigil_verdict_hit_start(NULL, 0) == 0);
    CHECK(vigil_verdict_hit_start(v, n) == 0);
    CHECK(vigil_verdict_hit_end(NULL, 0) == 0);
    CHECK(vigil_verdict_hit_end(v, n) == 0);
    len = 99;
    CHECK(vigil_verdict_hit_text(NULL, 0, &len) == NULL && len == 0);
    CHECK(vigil_verdict_hit_text(v, n, NULL) == NULL);
    CHECK(vigil_verdict_hit_is_composite(NULL, 0) == VIGIL_E_INVALID);
    CHECK(vigil_verdict_hit_is_composite(v, n) == VIGIL_E_INVALID);
    CHECK(vigil_last_error()[0] != '\0');
  }

  /* summary and hit info, with size prefixes */
  memset(&sum, 0xff, sizeof sum);
  sum.struct_size = sizeof sum;
  CHECK_RC(vigil_verdict_get_summary(v, &sum), VIGIL_OK);
  CHECK(sum.decision == VIGIL_BLOCK && sum.score == vigil_verdict_score(v));
  CHECK(sum.hit_count == vigil_verdict_hit_count(v) && sum.category_count == 1);
  CHECK(sum.invalid_bytes == 0);
  CHECK_FAILS(vigil_verdict_get_summary(NULL, &sum), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_verdict_get_summary(v, NULL), VIGIL_E_INVALID);
  sum.struct_size = 0;
  CHECK_FAILS(vigil_verdict_get_summary(v, &sum), VIGIL_E_INVALID);
  /* an older, shorter struct: only what fits is written */
  memset(&sum, 0xff, sizeof sum);
  sum.struct_size = offsetof(vigil_verdict_summary, score) + sizeof(double);
  CHECK_RC(vigil_verdict_get_summary(v, &sum), VIGIL_OK);
  CHECK(sum.decision == VIGIL_BLOCK && sum.hit_count == (size_t)-1);

  memset(&hit, 0, sizeof hit);
  hit.struct_size = sizeof hit;
  CHECK_RC(vigil_verdict_get_hit(v, 0, &hit), VIGIL_OK);
  CHECK(strcmp(hit.rule, "a.alpha") == 0 && hit.rule_len == 7);
  CHECK(strcmp(hit.category, "test") == 0 && hit.category_len == 4);
  CHECK(hit.start == 4 && hit.end == 13 && hit.text_len == 9 && memcmp(hit.text, "alphaword", 9) == 0);
  CHECK(hit.weight > 0 && hit.composite == 0);
  CHECK_FAILS(vigil_verdict_get_hit(NULL, 0, &hit), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_verdict_get_hit(v, 0, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_verdict_get_hit(v, 1000, &hit), VIGIL_E_INVALID);
  hit.struct_size = offsetof(vigil_hit_info, composite);
  CHECK_FAILS(vigil_verdict_get_hit(v, 0, &hit), VIGIL_E_INVALID);

  /* JSON */
  {
    char* json = (char*)1;
    size_t jlen = 0, need = 0, w = 0;
    char small[8];
    char* buf;
    CHECK_RC(vigil_verdict_json(v, "m-1", 3, VIGIL_JSON_ID_STRING, &json, &jlen), VIGIL_OK);
    CHECK(json != NULL && strlen(json) == jlen);
    CHECK(strncmp(json, "{\"id\":\"m-1\",\"verdict\":\"block\",\"score\":", 37) == 0);
    CHECK(strstr(json, "\"hits\":[{\"rule\":\"a.alpha\",\"category\":\"test\"") != NULL);
    CHECK(json[jlen - 1] == '}');
    /* the _into variant renders the same bytes */
    CHECK_RC(vigil_verdict_json_into(v, "m-1", 3, VIGIL_JSON_ID_STRING, NULL, 0, &need),
             VIGIL_E_BUFFER_TOO_SMALL);
    CHECK(need == jlen);
    CHECK_RC(vigil_verdict_json_into(v, "m-1", 3, VIGIL_JSON_ID_STRING, small, sizeof small, &w),
             VIGIL_E_BUFFER_TOO_SMALL);
    buf = malloc(need + 1);
    CHECK_RC(vigil_verdict_json_into(v, "m-1", 3, VIGIL_JSON_ID_STRING, buf, need, &w),
             VIGIL_E_BUFFER_TOO_SMALL); /* no room for the NUL */
    CHECK_RC(vigil_verdict_json_into(v, "m-1", 3, VIGIL_JSON_ID_STRING, buf, need + 1, &w), VIGIL_OK);
    CHECK(w == jlen && strcmp(buf, json) == 0);
    CHECK_RC(vigil_verdict_json_into(v, "m-1", 3, VIGIL_JSON_ID_STRING, buf, need + 1, NULL), VIGIL_OK);
    free(buf);
    vigil_free(json);
    CHECK_FAILS(vigil_verdict_json_into(NULL, NULL, 0, 0, NULL, 0, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json_into(v, NULL, 0, 0, NULL, 10, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json_into(v, NULL, 0, 7, small, sizeof small, NULL), VIGIL_E_INVALID);

    CHECK_RC(vigil_verdict_json(v, "42", 2, VIGIL_JSON_ID_RAW, &json, NULL), VIGIL_OK);
    CHECK(strncmp(json, "{\"id\":42,", 9) == 0);
    vigil_free(json);
    CHECK_RC(vigil_verdict_json(v, "-1.5e3", 6, VIGIL_JSON_ID_RAW, &json, NULL), VIGIL_OK);
    vigil_free(json);
    CHECK_RC(vigil_verdict_json(v, NULL, 0, 0, &json, NULL), VIGIL_OK);
    CHECK(strncmp(json, "{\"id\":null,", 11) == 0);
    vigil_free(json);
    CHECK_RC(vigil_verdict_json(v, "a\"b\n", 4, 0, &json, NULL), VIGIL_OK);
    CHECK(strncmp(json, "{\"id\":\"a\\\"b\\n\",", 15) == 0);
    vigil_free(json);
    CHECK_FAILS(vigil_verdict_json(v, "x1", 2, VIGIL_JSON_ID_RAW, &json, NULL), VIGIL_E_INVALID);
    CHECK(json == NULL);
    CHECK_FAILS(vigil_verdict_json(v, "01", 2, VIGIL_JSON_ID_RAW, &json, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json(v, "", 0, VIGIL_JSON_ID_RAW, &json, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json(v, "1", 1, 4u, &json, NULL), VIGIL_E_INVALID);
    CHECK_RC(vigil_verdict_json(v, "1", 1, VIGIL_JSON_ID_RAW | VIGIL_JSON_KEY_FILE, &json, NULL),
             VIGIL_OK);
    CHECK(strncmp(json, "{\"file\":1,", 10) == 0);
    vigil_free(json);
    CHECK_FAILS(vigil_verdict_json(v, NULL, 3, 0, &json, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json(NULL, "1", 1, 0, &json, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_verdict_json(v, "1", 1, 0, NULL, NULL), VIGIL_E_INVALID);
  }
  vigil_verdict_free(v);
  vigil_verdict_free(NULL);

  /* invalid UTF-8 is counted and reported */
  CHECK_RC(vigil_scan(a, "ok \xff\xfe alphaword", 15, &v), VIGIL_OK);
  CHECK(vigil_verdict_invalid_bytes(v) == 2);
  CHECK(vigil_verdict_hit_start(v, 0) == 6);
  {
    char* json = NULL;
    CHECK_RC(vigil_verdict_json(v, "u", 1, 0, &json, NULL), VIGIL_OK);
    CHECK(strstr(json, ",\"invalid_utf8\":2}") != NULL);
    vigil_free(json);
  }
  vigil_verdict_free(v);

  /* scan_json */
  {
    char* json = (char*)1;
    size_t jlen = 0;
    CHECK_RC(vigil_scan_json(a, text, strlen(text), "x", &json, &jlen), VIGIL_OK);
    CHECK(jlen == strlen(json) && strncmp(json, "{\"id\":\"x\",\"verdict\":\"block\"", 27) == 0);
    vigil_free(json);
    CHECK_RC(vigil_scan_json(a, NULL, 0, NULL, &json, NULL), VIGIL_OK);
    CHECK(strcmp(json, "{\"id\":null,\"verdict\":\"allow\",\"score\":0,\"categories\":{},\"hits\":[]}") == 0);
    vigil_free(json);
    CHECK_FAILS(vigil_scan_json(NULL, text, 1, NULL, &json, NULL), VIGIL_E_INVALID);
    CHECK(json == NULL);
    CHECK_FAILS(vigil_scan_json(a, NULL, 1, NULL, &json, NULL), VIGIL_E_INVALID);
    CHECK_FAILS(vigil_scan_json(a, text, 1, NULL, NULL, NULL), VIGIL_E_INVALID);
  }
  vigil_engine_free(a);
}

static void check_batch_contents(vigil_batch* b, size_t n) {
  size_t i;
  int* decisions = malloc(n * sizeof(int) + 1);
  double* scores = malloc(n * sizeof(double) + 1);
  size_t* hits = malloc(n * sizeof(size_t) + 1);
  CHECK(vigil_batch_size(b) == n);
  {
    vigil_verdict_summary* sums = malloc(n * sizeof *sums + 1);
    size_t k;
    if (n > 0) sums[0].struct_size = sizeof *sums;
    CHECK(vigil_batch_summaries(b, sums, n) == (int)n);
    for (k = 0; k < n; ++k) {
      const vigil_verdict* v = vigil_batch_verdict(b, k);
      if (sums[k].decision != vigil_verdict_decision(v) || sums[k].score != vigil_verdict_score(v) ||
          sums[k].hit_count != vigil_verdict_hit_count(v) || sums[k].struct_size != sizeof *sums) {
        CHECK(!"vigil_batch_summaries disagrees with the verdicts");
        break;
      }
    }
    free(sums);
  }
  CHECK(vigil_batch_decisions(b, decisions, n) == (int)n);
  CHECK(vigil_batch_scores(b, scores, n) == (int)n);
  CHECK(vigil_batch_hit_counts(b, hits, n) == (int)n);
  for (i = 0; i < n; ++i) {
    const vigil_verdict* v = vigil_batch_verdict(b, i);
    int expect_block = (i % 3) == 0;
    if (v == NULL) {
      CHECK(v != NULL);
      continue;
    }
    if (vigil_verdict_decision(v) != (expect_block ? VIGIL_BLOCK : VIGIL_ALLOW) ||
        decisions[i] != vigil_verdict_decision(v) || scores[i] != vigil_verdict_score(v) ||
        hits[i] != vigil_verdict_hit_count(v)) {
      CHECK(!"batch verdict in the wrong place");
      break;
    }
  }
  free(decisions);
  free(scores);
  free(hits);
}

static void test_batch(void) {
  enum { N = 1000 };
  vigil_engine* a = open_pack(PACK_A);
  static char storage[N][48];
  const char* texts[N];
  size_t lens[N], offsets[N + 1];
  char* packed = malloc(N * 48);
  vigil_batch* b = (vigil_batch*)1;
  vigil_batch_options opts = VIGIL_BATCH_OPTIONS_INIT;
  vigil_batch_options bad = VIGIL_BATCH_OPTIONS_INIT;
  size_t i;
  unsigned threads[] = {0, 1, 2, 4, 7, 2000};
  offsets[0] = 0;
  for (i = 0; i < N; ++i) {
    snprintf(storage[i], sizeof storage[i], (i % 3) == 0 ? "message %u alphaword" : "message %u clean",
             (unsigned)i);
    texts[i] = storage[i];
    lens[i] = strlen(storage[i]);
    memcpy(packed + offsets[i], storage[i], lens[i]);
    offsets[i + 1] = offsets[i] + lens[i];
  }
  for (i = 0; i < sizeof threads / sizeof threads[0]; ++i) {
    opts.threads = threads[i];
    CHECK_RC(vigil_scan_batch(a, texts, lens, N, &opts, &b), VIGIL_OK);
    check_batch_contents(b, N);
    vigil_batch_free(b);
    CHECK_RC(vigil_scan_batch_packed(a, packed, offsets, N, &opts, &b), VIGIL_OK);
    check_batch_contents(b, N);
    vigil_batch_free(b);
  }
  CHECK_RC(vigil_scan_batch(a, texts, lens, N, NULL, &b), VIGIL_OK);
  check_batch_contents(b, N);
  /* partial copies, bad arguments of the accessors */
  {
    int d[2];
    CHECK(vigil_batch_decisions(b, d, 2) == 2 && d[0] == VIGIL_BLOCK && d[1] == VIGIL_ALLOW);
    CHECK(vigil_batch_decisions(b, NULL, 0) == 0);
    CHECK(vigil_batch_decisions(NULL, d, 2) == VIGIL_E_INVALID);
    CHECK(vigil_batch_decisions(b, NULL, 2) == VIGIL_E_INVALID);
    CHECK(vigil_batch_scores(NULL, NULL, 0) == VIGIL_E_INVALID);
    CHECK(vigil_batch_scores(b, NULL, 1) == VIGIL_E_INVALID);
    CHECK(vigil_batch_hit_counts(NULL, NULL, 0) == VIGIL_E_INVALID);
    CHECK(vigil_batch_hit_counts(b, NULL, 1) == VIGIL_E_INVALID);
    {
      vigil_verdict_summary two[2];
      two[0].struct_size = 4;
      CHECK(vigil_batch_summaries(b, two, 2) == VIGIL_E_INVALID);
      CHECK(vigil_batch_summaries(NULL, two, 2) == VIGIL_E_INVALID);
      CHECK(vigil_batch_summaries(b, NULL, 2) == VIGIL_E_INVALID);
      CHECK(vigil_batch_summaries(b, NULL, 0) == 0);
      two[0].struct_size = sizeof two[0];
      CHECK(vigil_batch_summaries(b, two, 2) == 2 && two[1].decision == VIGIL_ALLOW &&
            two[0].decision == VIGIL_BLOCK);
    }
    CHECK(vigil_batch_verdict(b, N) == NULL);
    CHECK(vigil_batch_verdict(NULL, 0) == NULL);
    CHECK(vigil_batch_size(NULL) == 0);
  }
  vigil_batch_free(b);
  vigil_batch_free(NULL);

  /* empty batches */
  CHECK_RC(vigil_scan_batch(a, NULL, NULL, 0, NULL, &b), VIGIL_OK);
  CHECK(vigil_batch_size(b) == 0);
  vigil_batch_free(b);
  CHECK_RC(vigil_scan_batch_packed(a, NULL, offsets, 0, NULL, &b), VIGIL_OK);
  CHECK(vigil_batch_size(b) == 0);
  vigil_batch_free(b);

  /* bad arguments */
  CHECK_FAILS(vigil_scan_batch(NULL, texts, lens, N, NULL, &b), VIGIL_E_INVALID);
  CHECK(b == NULL);
  CHECK_FAILS(vigil_scan_batch(a, texts, lens, N, NULL, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch(a, NULL, lens, N, NULL, &b), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch(a, texts, NULL, N, NULL, &b), VIGIL_E_INVALID);
  bad.struct_size = 4;
  CHECK_FAILS(vigil_scan_batch(a, texts, lens, N, &bad, &b), VIGIL_E_INVALID);
  bad.struct_size = sizeof bad + 16;
  CHECK_FAILS(vigil_scan_batch(a, texts, lens, N, &bad, &b), VIGIL_E_INVALID);
  texts[7] = NULL;
  CHECK_FAILS(vigil_scan_batch(a, texts, lens, N, NULL, &b), VIGIL_E_INVALID);
  CHECK(strstr(vigil_last_error(), "texts[7]") != NULL);
  lens[7] = 0; /* NULL with length 0 is an empty message */
  CHECK_RC(vigil_scan_batch(a, texts, lens, N, NULL, &b), VIGIL_OK);
  vigil_batch_free(b);
  CHECK_FAILS(vigil_scan_batch_packed(NULL, packed, offsets, N, NULL, &b), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch_packed(a, packed, offsets, N, NULL, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch_packed(a, packed, NULL, N, NULL, &b), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch_packed(a, NULL, offsets, N, NULL, &b), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_scan_batch_packed(a, packed, offsets, N, &bad, &b), VIGIL_E_INVALID);
  {
    size_t saved = offsets[5];
    offsets[5] = offsets[4] - 1;
    CHECK_FAILS(vigil_scan_batch_packed(a, packed, offsets, N, NULL, &b), VIGIL_E_INVALID);
    offsets[5] = saved;
  }
  free(packed);
  vigil_engine_free(a);
}

static void test_stream(void) {
  vigil_engine* a = open_pack(PACK_A);
  vigil_stream* s = (vigil_stream*)1;
  vigil_verdict* v = (vigil_verdict*)1;
  const char* parts[] = {"first we say al", "pha", "word then stop"};
  size_t i;
  CHECK_FAILS(vigil_stream_open(NULL, &s), VIGIL_E_INVALID);
  CHECK(s == NULL);
  CHECK_FAILS(vigil_stream_open(a, NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_stream_open(a, &s), VIGIL_OK);
  CHECK(s != NULL);
  vigil_engine_free(a); /* the stream keeps the engine alive */
  for (i = 0; i < 3; ++i) CHECK_RC(vigil_stream_write(s, parts[i], strlen(parts[i])), VIGIL_OK);
  CHECK_RC(vigil_stream_write(s, NULL, 0), VIGIL_OK);
  CHECK_RC(vigil_stream_write(s, "", 0), VIGIL_OK);
  CHECK_FAILS(vigil_stream_write(s, NULL, 3), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_stream_write(NULL, "x", 1), VIGIL_E_INVALID);
  CHECK_RC(vigil_stream_close(s, &v), VIGIL_OK);
  CHECK(v != NULL && vigil_verdict_decision(v) == VIGIL_BLOCK);
  CHECK(vigil_verdict_hit_start(v, 0) == 13 && vigil_verdict_hit_end(v, 0) == 22);
  vigil_verdict_free(v);
  CHECK_FAILS(vigil_stream_close(NULL, &v), VIGIL_E_INVALID);
  CHECK(v == NULL);

  a = open_pack(PACK_A);
  CHECK_RC(vigil_stream_open(a, &s), VIGIL_OK);
  CHECK_RC(vigil_stream_write(s, "alphaword", 9), VIGIL_OK);
  CHECK_RC(vigil_stream_close(s, NULL), VIGIL_OK); /* verdict discarded */
  CHECK_RC(vigil_stream_open(a, &s), VIGIL_OK);
  vigil_stream_free(s); /* abandoned */
  vigil_stream_free(NULL);
  /* a stream and a whole scan agree */
  {
    const char* msg = "one alphaword, two \xe2\x80\x8b alphaword";
    size_t n = strlen(msg), cut;
    vigil_verdict* whole = NULL;
    char* j1 = NULL;
    CHECK_RC(vigil_scan(a, msg, n, &whole), VIGIL_OK);
    CHECK_RC(vigil_verdict_json(whole, NULL, 0, 0, &j1, NULL), VIGIL_OK);
    for (cut = 0; cut <= n; ++cut) {
      char* j2 = NULL;
      vigil_verdict* sv = NULL;
      vigil_stream_open(a, &s);
      vigil_stream_write(s, msg, cut);
      vigil_stream_write(s, msg + cut, n - cut);
      vigil_stream_close(s, &sv);
      vigil_verdict_json(sv, NULL, 0, 0, &j2, NULL);
      if (j2 == NULL || strcmp(j1, j2) != 0) {
        fprintf(stderr, "stream cut at %u: %s\nwhole: %s\n", (unsigned)cut, j2 ? j2 : "(null)", j1);
        CHECK(!"stream and whole scan differ");
      }
      vigil_free(j2);
      vigil_verdict_free(sv);
    }
    ++passed;
    vigil_free(j1);
    vigil_verdict_free(whole);
  }
  vigil_engine_free(a);
}

/* ---- holders and hot swap under load ---- */

struct swap_shared {
  vigil_holder* holder;
  atomic_int stop;
  pthread_mutex_t lock;
  long scans, bad, batches;
};

static void* scanner(void* arg) {
  struct swap_shared* sh = arg;
  long scans = 0, bad = 0, batches = 0;
  const char* text = "a message with alphaword in it";
  size_t len = strlen(text);
  while (!sh->stop) {
    vigil_verdict* v = NULL;
    int rc = vigil_holder_scan(sh->holder, text, len, &v);
    ++scans;
    if (rc != VIGIL_OK || v == NULL || vigil_verdict_hit_count(v) != 1) {
      ++bad;
    } else {
      /* exactly the old engine's or the new engine's verdict */
      const char* rule = vigil_verdict_hit_rule(v, 0);
      int d = vigil_verdict_decision(v);
      if (!((strcmp(rule, "a.alpha") == 0 && d == VIGIL_BLOCK) ||
            (strcmp(rule, "b.beta") == 0 && d == VIGIL_REVIEW)))
        ++bad;
    }
    vigil_verdict_free(v);
    if ((scans & 63) == 0) {
      const char* texts[3] = {text, "clean", text};
      size_t lens[3] = {len, 5, len};
      vigil_batch* b = NULL;
      if (vigil_holder_scan_batch(sh->holder, texts, lens, 3, NULL, &b) != VIGIL_OK) {
        ++bad;
      } else {
        /* one batch runs wholly on one engine */
        const char* r0 = vigil_verdict_hit_rule(vigil_batch_verdict(b, 0), 0);
        const char* r2 = vigil_verdict_hit_rule(vigil_batch_verdict(b, 2), 0);
        if (r0 == NULL || r2 == NULL || strcmp(r0, r2) != 0 ||
            vigil_verdict_hit_count(vigil_batch_verdict(b, 1)) != 0)
          ++bad;
        ++batches;
      }
      vigil_batch_free(b);
    }
  }
  pthread_mutex_lock(&sh->lock);
  sh->scans += scans;
  sh->bad += bad;
  sh->batches += batches;
  pthread_mutex_unlock(&sh->lock);
  return NULL;
}

static void test_holder(void) {
  enum { THREADS = 8, SWAPS = 100 };
  vigil_engine* a = open_pack(PACK_A);
  vigil_engine* b = open_pack(PACK_B);
  vigil_holder* h = (vigil_holder*)1;
  vigil_engine* cur = NULL;
  vigil_verdict* v = NULL;
  vigil_batch* batch = NULL;
  const char* texts[1] = {"alphaword"};
  size_t lens[1] = {9}, offsets[2] = {0, 9};
  pthread_t tids[THREADS];
  struct swap_shared sh;
  int i;

  CHECK_FAILS(vigil_holder_create(NULL, &h), VIGIL_E_INVALID);
  CHECK(h == NULL);
  CHECK_FAILS(vigil_holder_create(a, NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_holder_create(a, &h), VIGIL_OK);
  CHECK_FAILS(vigil_holder_engine(NULL, &cur), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_engine(h, NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_holder_engine(h, &cur), VIGIL_OK);
  CHECK(strcmp(vigil_engine_pack_name(cur), "pack-a") == 0);
  vigil_engine_free(cur);
  CHECK_FAILS(vigil_holder_swap(NULL, b), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_swap(h, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan(NULL, "x", 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan(h, "x", 1, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan(h, NULL, 1, &v), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch(NULL, texts, lens, 1, NULL, &batch), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch(h, texts, lens, 1, NULL, NULL), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch(h, NULL, lens, 1, NULL, &batch), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch_packed(NULL, "alphaword", offsets, 1, NULL, &batch), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch_packed(h, "alphaword", NULL, 1, NULL, &batch), VIGIL_E_INVALID);
  CHECK_FAILS(vigil_holder_scan_batch_packed(h, "alphaword", offsets, 1, NULL, NULL), VIGIL_E_INVALID);
  CHECK_RC(vigil_holder_scan_batch_packed(h, "alphaword", offsets, 1, NULL, &batch), VIGIL_OK);
  CHECK(vigil_verdict_decision(vigil_batch_verdict(batch, 0)) == VIGIL_BLOCK);
  vigil_batch_free(batch);
  CHECK_RC(vigil_holder_scan(h, "alphaword", 9, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_BLOCK);
  vigil_verdict_free(v);
  CHECK_RC(vigil_holder_swap(h, b), VIGIL_OK);
  CHECK_RC(vigil_holder_scan(h, "alphaword", 9, &v), VIGIL_OK);
  CHECK(vigil_verdict_decision(v) == VIGIL_REVIEW);
  vigil_verdict_free(v);
  CHECK_RC(vigil_holder_scan_batch(h, texts, lens, 1, NULL, &batch), VIGIL_OK);
  CHECK(vigil_verdict_decision(vigil_batch_verdict(batch, 0)) == VIGIL_REVIEW);
  vigil_batch_free(batch);
  /* the holder keeps its own reference: the caller's handles may go */
  vigil_engine_free(a);
  vigil_engine_free(b);
  CHECK_RC(vigil_holder_scan(h, "alphaword", 9, &v), VIGIL_OK);
  vigil_verdict_free(v);

  /* 8 threads scan while the engine is swapped 100 times; each swap compiles a new engine */
  sh.holder = h;
  sh.stop = 0;
  sh.scans = sh.bad = sh.batches = 0;
  pthread_mutex_init(&sh.lock, NULL);
  for (i = 0; i < THREADS; ++i) pthread_create(&tids[i], NULL, scanner, &sh);
  for (i = 0; i < SWAPS; ++i) {
    vigil_engine* next = open_pack((i % 2) == 0 ? PACK_A : PACK_B);
    if (vigil_holder_swap(h, next) != VIGIL_OK) ++sh.bad;
    vigil_engine_free(next);
    usleep(1000);
  }
  sh.stop = 1;
  for (i = 0; i < THREADS; ++i) pthread_join(tids[i], NULL);
  printf("hot swap: %d swaps, %ld scans and %ld batches on %d threads, %ld bad\n", SWAPS,
         sh.scans, sh.batches, THREADS, sh.bad);
  CHECK(sh.bad == 0);
  CHECK(sh.scans > THREADS);
  pthread_mutex_destroy(&sh.lock);
  vigil_holder_free(h);
  vigil_holder_free(NULL);
}

int main(void) {
  test_version_and_errors();
  test_open_and_engine_facts();
  test_scan_and_verdict();
  test_batch();
  test_stream();
  test_holder();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
