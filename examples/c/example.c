/* vigil from C: read JSONL messages {"id": ..., "text": ...} on stdin, print one verdict JSON
 * line per message on stdout — the same bytes as `vigil scan --jsonl -`.
 *
 *   examples/c/run < examples/inputs/messages.jsonl
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil.h"

/* A growable byte buffer. */
typedef struct {
  char* data;
  size_t len, cap;
} buf;

static void put(buf* b, const char* s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->data = realloc(b->data, b->cap);
    if (b->data == NULL) abort();
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static void put_utf8(buf* b, unsigned long cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) { u[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
  }
  put(b, u, n);
}

static const char* ws(const char* p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') ++p;
  return p;
}

static int hex4(const char* p, unsigned long* v) {
  int i;
  *v = 0;
  for (i = 0; i < 4; ++i) {
    char c = p[i];
    *v <<= 4;
    if (c >= '0' && c <= '9') *v |= (unsigned long)(c - '0');
    else if (c >= 'a' && c <= 'f') *v |= (unsigned long)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') *v |= (unsigned long)(c - 'A' + 10);
    else return 0;
  }
  return 1;
}

/* Parse the JSON string at p (at its opening quote) into out; NULL on malformed input. */
static const char* parse_string(const char* p, buf* out) {
  out->len = 0;
  if (*p++ != '"') return NULL;
  for (;;) {
    const char* start = p;
    while (*p != '"' && *p != '\\' && *p != '\0') ++p;
    put(out, start, (size_t)(p - start));
    if (*p == '"') return p + 1;
    if (*p == '\0') return NULL;
    ++p; /* backslash */
    switch (*p++) {
      case '"': put(out, "\"", 1); break;
      case '\\': put(out, "\\", 1); break;
      case '/': put(out, "/", 1); break;
      case 'b': put(out, "\b", 1); break;
      case 'f': put(out, "\f", 1); break;
      case 'n': put(out, "\n", 1); break;
      case 'r': put(out, "\r", 1); break;
      case 't': put(out, "\t", 1); break;
      case 'u': {
        unsigned long cp, lo;
        if (!hex4(p, &cp)) return NULL;
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) &&
            lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p += 6;
        }
        put_utf8(out, cp);
        break;
      }
      default: return NULL;
    }
  }
}

/* Skip a JSON value we do not need (strings, numbers, literals, nested arrays/objects). */
static const char* skip_value(const char* p, buf* scratch) {
  int depth = 0;
  p = ws(p);
  do {
    if (*p == '"') {
      if ((p = parse_string(p, scratch)) == NULL) return NULL;
    } else if (*p == '{' || *p == '[') {
      ++depth;
      ++p;
    } else if (*p == '}' || *p == ']') {
      --depth;
      ++p;
    } else if (*p == '\0') {
      return NULL;
    } else {
      while (*p && *p != ',' && *p != '}' && *p != ']' && *p != '"') ++p;
    }
    p = ws(p);
    if (depth > 0 && *p == ',') ++p, p = ws(p);
    if (depth > 0 && *p == ':') ++p, p = ws(p);
  } while (depth > 0);
  return p;
}

/* {"id": string|number, "text": string, ...}: 1 when it parsed. */
static int parse_message(const char* line, buf* id, int* id_kind, buf* text, buf* scratch) {
  const char* p = ws(line);
  int have_text = 0;
  *id_kind = 0; /* 0 none (null), 1 string, 2 number */
  if (*p++ != '{') return 0;
  p = ws(p);
  if (*p == '}') return 0;
  for (;;) {
    p = parse_string(ws(p), scratch);
    if (p == NULL) return 0;
    p = ws(p);
    if (*p++ != ':') return 0;
    p = ws(p);
    if (scratch->len == 4 && memcmp(scratch->data, "text", 4) == 0) {
      if ((p = parse_string(p, text)) == NULL) return 0;
      have_text = 1;
    } else if (scratch->len == 2 && memcmp(scratch->data, "id", 2) == 0) {
      if (*p == '"') {
        if ((p = parse_string(p, id)) == NULL) return 0;
        *id_kind = 1;
      } else {
        const char* start = p;
        while (*p && *p != ',' && *p != '}' && *p != ' ' && *p != '\t') ++p;
        id->len = 0;
        put(id, start, (size_t)(p - start));
        *id_kind = 2;
      }
    } else if ((p = skip_value(p, scratch)) == NULL) {
      return 0;
    }
    p = ws(p);
    if (*p == ',') { ++p; continue; }
    if (*p == '}') return have_text;
    return 0;
  }
}

int main(void) {
  vigil_engine* engine = NULL;
  char* line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  buf id = {0}, text = {0}, scratch = {0}, out = {0};
  int status = 0;

  if (vigil_engine_open_default(NULL, &engine) != VIGIL_OK) {
    fprintf(stderr, "vigil: %s\n", vigil_last_error());
    return 2;
  }
  while ((n = getline(&line, &cap, stdin)) != -1) {
    int id_kind;
    vigil_verdict* v = NULL;
    char* json = NULL;
    size_t json_len = 0;
    ++lineno;
    if (line[strspn(line, " \t\r\n")] == '\0') continue; /* blank line */
    if (!parse_message(line, &id, &id_kind, &text, &scratch)) {
      fprintf(stderr, "example: <stdin>:%zu: not a {\"id\",\"text\"} JSON object\n", lineno);
      status = 2;
      continue;
    }
    if (vigil_scan(engine, text.data, text.len, &v) != VIGIL_OK ||
        vigil_verdict_json(v, id_kind ? id.data : NULL, id_kind ? id.len : 0,
                           id_kind == 2 ? VIGIL_JSON_ID_RAW : VIGIL_JSON_ID_STRING, &json,
                           &json_len) != VIGIL_OK) {
      fprintf(stderr, "example: <stdin>:%zu: %s\n", lineno, vigil_last_error());
      vigil_verdict_free(v);
      status = 2;
      continue;
    }
    put(&out, json, json_len);
    put(&out, "\n", 1);
    vigil_free(json);
    vigil_verdict_free(v);
    if (out.len > (1u << 16)) {
      fwrite(out.data, 1, out.len, stdout);
      out.len = 0;
    }
  }
  fwrite(out.data, 1, out.len, stdout);
  free(line);
  free(id.data);
  free(text.data);
  free(scratch.data);
  free(out.data);
  vigil_engine_free(engine);
  return status;
}
