/* vigil: the stable C ABI.
 *
 * Conventions: every symbol is vigil_-prefixed; handles are opaque; functions return an int
 * that is VIGIL_OK (0) or a negative VIGIL_E_* code, with a thread-local message from
 * vigil_last_error(); *_free(NULL) is a no-op; no C++ exception crosses this boundary.
 * This header compiles as C11 and as C++.
 */
#ifndef VIGIL_H
#define VIGIL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define VIGIL_API __declspec(dllexport)
#else
#define VIGIL_API __attribute__((visibility("default")))
#endif

#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
#define VIGIL_VERSION_NUMBER (VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH)
#define VIGIL_VERSION_STRING "0.1.0"

/* Error codes. */
#define VIGIL_OK 0
#define VIGIL_E_INVALID (-1)     /* a NULL or otherwise invalid argument */
#define VIGIL_E_NOMEM (-2)       /* out of memory */
#define VIGIL_E_PACK (-3)        /* a rule pack failed to load (message names file, line, rule) */
#define VIGIL_E_ENGINE_FILE (-4) /* an engine file is foreign, corrupt or unreadable */
#define VIGIL_E_INTERNAL (-5)    /* anything else (message says what) */

/* Runtime version, VIGIL_VERSION_NUMBER of the library actually linked. Thread-safe. */
VIGIL_API unsigned vigil_version_number(void);
/* Runtime version string, e.g. "0.1.0"; static storage, never free it. Thread-safe. */
VIGIL_API const char* vigil_version_string(void);
/* The message of the last failed call on this thread ("" when none); valid until the next
 * vigil_ call on this thread. Never NULL. */
VIGIL_API const char* vigil_last_error(void);
/* Name of an error code ("VIGIL_E_PACK", ...); static storage; "unknown" for others. */
VIGIL_API const char* vigil_error_name(int code);

/* The embedded default pack in its canonical TOML form. Static storage, never free it;
 * *size receives its length (not counting the terminating NUL). size may be NULL. */
VIGIL_API const char* vigil_default_pack(size_t* size);

/* An engine: a compiled pack. Immutable; any number of threads may scan with one engine at
 * once (per-scan state comes from an internal pool). */
typedef struct vigil_engine vigil_engine;

/* Open an engine from the embedded default pack. On success *out owns a new engine (free it
 * with vigil_engine_free). Errors: VIGIL_E_INVALID (out NULL), VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_engine_open_default(vigil_engine** out);
/* Open an engine from a pack file (side files relative to it). Errors: VIGIL_E_INVALID,
 * VIGIL_E_PACK (message: "FILE:LINE: rule 'ID': REASON"), VIGIL_E_NOMEM. */
VIGIL_API int vigil_engine_open_pack_file(const char* path, vigil_engine** out);
/* Open an engine from a serialised engine file (vigil compile). Errors: VIGIL_E_INVALID,
 * VIGIL_E_ENGINE_FILE (foreign, corrupt, truncated, other Hyperscan version), VIGIL_E_NOMEM. */
VIGIL_API int vigil_engine_open_file(const char* path, vigil_engine** out);
/* Free an engine. NULL is a no-op. Not while another thread still scans with it. */
VIGIL_API void vigil_engine_free(vigil_engine* engine);

/* Scan text[0..len) (any bytes; invalid UTF-8 is replaced and counted) and render the verdict
 * as the CLI's JSON object with "id": id (id may be NULL: then the key is omitted as "id":null).
 * On success *json receives a NUL-terminated string the caller frees with vigil_string_free,
 * and *json_len (may be NULL) its length. Thread-safe. Errors: VIGIL_E_INVALID (engine, json
 * NULL, or text NULL with len > 0), VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_scan_json(const vigil_engine* engine, const char* text, size_t len,
                              const char* id, char** json, size_t* json_len);
/* Free a string returned by vigil. NULL is a no-op. */
VIGIL_API void vigil_string_free(char* s);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_H */
