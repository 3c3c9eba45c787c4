/* vigil.h — the stable C ABI of vigil, an engine that identifies terrorist and
 * violent-extremist content (text normalised against evasion, matched against a rule pack,
 * scored into an allow / review / block verdict with every hit and its byte span).
 *
 * This header is the specification of libvigil's C interface.
 *
 * Conventions
 * -----------
 * - Every exported symbol is vigil_-prefixed; everything else in libvigil is hidden.
 * - Handles are opaque (vigil_engine, vigil_verdict, vigil_batch, vigil_stream, vigil_holder).
 * - Functions that can fail return an int: VIGIL_OK (0) or a negative VIGIL_E_* code. A failed
 *   call also sets a thread-local message, vigil_last_error(); an int-returning call that
 *   succeeds clears it. Output parameters are written only on success (on failure *out is set
 *   to NULL where out is a handle pointer).
 * - Accessors that return a value directly (counts, scores, strings) return a documented
 *   neutral value (0, NULL, NaN, -1) for an invalid argument and set the last error.
 * - Every *_free(NULL) is a no-op. Memory that libvigil hands out (strings, byte buffers) is
 *   freed with vigil_free().
 * - No C++ exception ever crosses this boundary.
 * - Extension without breaking: option structs start with a size_t struct_size member that
 *   the caller sets to sizeof(the struct) (use the *_INIT macros); passing NULL for options
 *   means defaults. Error codes and enum values not listed are reserved.
 * - Strings passed in are (pointer, length) pairs where they are message data (any bytes,
 *   need not be NUL-terminated; NULL is allowed only with length 0) and NUL-terminated C
 *   strings where they are paths or names.
 *
 * Threading and lifetime
 * ----------------------
 * - A vigil_engine is immutable once opened: any number of threads may scan with it at once.
 *   Per-scan state (Hyperscan scratch, buffers) comes from a pool inside the engine, so the
 *   calling threads need nothing of their own. Engine handles are reference-counted: verdicts
 *   do not reference engines, and streams, holders and vigil_engine_ref() copies keep the
 *   engine alive, so vigil_engine_free() may be called while those still exist — but not
 *   while another thread is still using that same handle.
 * - A vigil_verdict / vigil_batch is immutable; any number of threads may read it.
 * - A vigil_stream is used by one thread at a time.
 * - A vigil_holder is the hot-reload point: any number of threads may scan through it while
 *   another swaps in a new engine; scans in flight finish on the engine they started with.
 *
 * This header compiles as C11 and as C++ (C++98 and later).
 */
#ifndef VIGIL_H
#define VIGIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#if defined(VIGIL_BUILDING_LIBRARY)
#define VIGIL_API __declspec(dllexport)
#else
#define VIGIL_API __declspec(dllimport)
#endif
#else
#define VIGIL_API __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------------------------
 * Version
 * ---------------------------------------------------------------------------------------- */

#define VIGIL_VERSION_MAJOR 0
#define VIGIL_VERSION_MINOR 1
#define VIGIL_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, e.g. 100 for 0.1.0. */
#define VIGIL_VERSION_NUMBER (VIGIL_VERSION_MAJOR * 10000 + VIGIL_VERSION_MINOR * 100 + VIGIL_VERSION_PATCH)
#define VIGIL_VERSION_STRING "0.1.0"

/* The VIGIL_VERSION_NUMBER of the library actually linked (compare with the macro to detect a
 * header/library mismatch). Thread-safe; never fails. */
VIGIL_API unsigned vigil_version_number(void);
/* The VIGIL_VERSION_STRING of the library actually linked. Static storage: never free it.
 * Thread-safe; never fails. */
VIGIL_API const char* vigil_version_string(void);
/* The Hyperscan (or Vectorscan) version string the library runs on. Static storage.
 * Thread-safe; never fails. */
VIGIL_API const char* vigil_matcher_version(void);

/* ------------------------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------------------- */

#define VIGIL_OK 0
#define VIGIL_E_INVALID (-1)      /* a NULL or otherwise invalid argument (bad struct_size, index out of range) */
#define VIGIL_E_NOMEM (-2)        /* out of memory */
#define VIGIL_E_PACK (-3)         /* a rule pack failed to load or compile ("FILE:LINE: rule 'ID': REASON") */
#define VIGIL_E_ENGINE_FILE (-4)  /* an engine file is foreign, corrupt, truncated, unreadable or unwritable */
#define VIGIL_E_INTERNAL (-5)     /* anything else (the message says what) */
#define VIGIL_E_STATE (-6)        /* a call out of order: stream already finished, engine without streaming */
#define VIGIL_E_TOO_LARGE (-7)    /* a message too large for the matcher (4 GiB or more) */
#define VIGIL_E_SCAN (-8)         /* the matcher failed during a scan */
#define VIGIL_E_BUFFER_TOO_SMALL (-9) /* a caller buffer is too small; the needed size was reported */
/* -10 .. -19 reserved for the rule engine; -20 .. -39 reserved for hashes and hash banks: */
#define VIGIL_E_BANK (-20)        /* reserved: a hash bank failed to load or is invalid */
#define VIGIL_E_HASH (-21)        /* reserved: a digest could not be computed / parsed */
#define VIGIL_E_IMAGE (-22)       /* reserved: an image could not be decoded */

/* The message of the last failed vigil_ call on this thread; "" when none failed or an
 * int-returning call has succeeded since (value accessors leave it alone when they succeed).
 * Never NULL. Valid until the next vigil_ call on this thread. Thread-safe (thread-local). */
VIGIL_API const char* vigil_last_error(void);
/* The name of an error code, e.g. "VIGIL_E_PACK" ("VIGIL_OK" for 0); "VIGIL_E_UNKNOWN" for a
 * code this library does not know. Static storage. Thread-safe; never fails. */
VIGIL_API const char* vigil_error_name(int code);

/* Free memory that libvigil handed out (vigil_verdict_json, vigil_scan_json,
 * vigil_engine_serialize). NULL is a no-op. Thread-safe. */
VIGIL_API void vigil_free(void* p);

/* ------------------------------------------------------------------------------------------
 * Decisions
 * ---------------------------------------------------------------------------------------- */

typedef enum vigil_decision {
  VIGIL_ALLOW = 0,
  VIGIL_REVIEW = 1,
  VIGIL_BLOCK = 2
  /* other values reserved */
} vigil_decision;

/* "allow", "review", "block"; NULL (and the last error set) for another value.
 * Static storage. Thread-safe. */
VIGIL_API const char* vigil_decision_name(int decision);

/* ------------------------------------------------------------------------------------------
 * Engines
 * ---------------------------------------------------------------------------------------- */

typedef struct vigil_engine vigil_engine;

/* Options for compiling a pack into an engine. Set struct_size = sizeof(vigil_engine_options)
 * (VIGIL_ENGINE_OPTIONS_INIT does). Fields beyond struct_size take their defaults. */
typedef struct vigil_engine_options {
  size_t struct_size;
  /* Non-zero (default): also compile streaming databases, needed by vigil_stream_open
   * (roughly doubles compile time). Zero: block scans only. */
  int streaming;
} vigil_engine_options;
#define VIGIL_ENGINE_OPTIONS_INIT { sizeof(vigil_engine_options), 1 }

/* All engine constructors: on success *out owns a new engine handle (free it with
 * vigil_engine_free); on failure *out is set to NULL (when out is not NULL). opts may be
 * NULL (defaults). Errors: VIGIL_E_INVALID (out or a required pointer NULL, opts->struct_size
 * too small or larger than this library knows), VIGIL_E_NOMEM, and as listed. Thread-safe
 * (any number of engines may be built at once; building never blocks scans). */

/* The embedded default pack (rules/default.toml, compiled into the library).
 * Errors: VIGIL_E_INVALID, VIGIL_E_NOMEM, VIGIL_E_PACK, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_engine_open_default(const vigil_engine_options* opts, vigil_engine** out);
/* A TOML pack file (side files relative to its directory).
 * Errors: VIGIL_E_INVALID (path NULL), VIGIL_E_PACK (unreadable or invalid pack; the message
 * names file, line, rule id and reason), VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_engine_open_pack_file(const char* path, const vigil_engine_options* opts,
                                          vigil_engine** out);
/* A pack given as TOML text toml[0..len). origin (may be NULL: "<string>") names it in error
 * messages; side files (terms_file) are resolved relative to base_dir (may be NULL: ".").
 * Errors: VIGIL_E_INVALID (toml NULL with len > 0), VIGIL_E_PACK, VIGIL_E_NOMEM,
 * VIGIL_E_INTERNAL. */
VIGIL_API int vigil_engine_open_pack_string(const char* toml, size_t len, const char* origin,
                                            const char* base_dir,
                                            const vigil_engine_options* opts, vigil_engine** out);
/* A serialised engine file (from vigil_engine_save or `vigil compile`).
 * Errors: VIGIL_E_INVALID (path NULL), VIGIL_E_ENGINE_FILE (cannot open; not an engine file;
 * corrupt; truncated; built with another Hyperscan version or for another platform — the
 * message says which), VIGIL_E_PACK (the embedded pack is refused), VIGIL_E_NOMEM. */
VIGIL_API int vigil_engine_open_file(const char* path, vigil_engine** out);
/* A serialised engine from memory, data[0..len) (from vigil_engine_serialize); the bytes are
 * not referenced after the call. Errors as vigil_engine_open_file, VIGIL_E_INVALID for data
 * NULL with len > 0. */
VIGIL_API int vigil_engine_open_bytes(const void* data, size_t len, vigil_engine** out);

/* Another handle to the same engine (a reference count increment; cheap). Free each handle
 * with vigil_engine_free. Errors: VIGIL_E_INVALID (engine or out NULL), VIGIL_E_NOMEM. */
VIGIL_API int vigil_engine_ref(const vigil_engine* engine, vigil_engine** out);
/* Release a handle; the engine goes when its last handle, stream and holder reference go.
 * NULL is a no-op. Not while another thread still uses this same handle. */
VIGIL_API void vigil_engine_free(vigil_engine* engine);

/* Serialise the engine (pack + compiled databases + what built them) into a new buffer:
 * *data (free with vigil_free) of *len bytes. Thread-safe.
 * Errors: VIGIL_E_INVALID (a pointer NULL), VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_engine_serialize(const vigil_engine* engine, void** data, size_t* len);
/* Write the serialised engine to path atomically (a temporary file renamed over it).
 * Thread-safe. Errors: VIGIL_E_INVALID, VIGIL_E_ENGINE_FILE (cannot write), VIGIL_E_NOMEM. */
VIGIL_API int vigil_engine_save(const vigil_engine* engine, const char* path);

/* Facts about the engine's pack. Strings are owned by the engine and valid while any handle
 * to it lives. NULL engine: NULL / 0 / -1 and the last error set. Thread-safe. */
VIGIL_API const char* vigil_engine_pack_name(const vigil_engine* engine);
VIGIL_API const char* vigil_engine_pack_version(const vigil_engine* engine);
/* SHA-256 (hex) of the pack's canonical text: equal packs have equal hashes. */
VIGIL_API const char* vigil_engine_pack_hash(const vigil_engine* engine);
VIGIL_API size_t vigil_engine_rule_count(const vigil_engine* engine);
/* 1 when the engine can open streams, 0 when not, -1 (VIGIL_E_INVALID) for NULL. */
VIGIL_API int vigil_engine_supports_streaming(const vigil_engine* engine);

/* The embedded default pack's canonical TOML (side files inlined). Static storage, never free
 * it; *len (len may be NULL) receives its length, not counting the terminating NUL.
 * Thread-safe; never fails. */
VIGIL_API const char* vigil_default_pack(size_t* len);

/* The default pack compiled at build time into an engine file (no streaming databases), for the
 * build machine's Hyperscan and CPU. vigil_engine_open_default loads it when this machine
 * accepts it (same Hyperscan version, a CPU with the features it was compiled for) and
 * compiles the pack otherwise, so start-up skips compiling the pack. Static storage, never free
 * it; *len (len may be NULL) receives its length. Thread-safe; never fails. */
VIGIL_API const void* vigil_default_engine_image(size_t* len);

/* ------------------------------------------------------------------------------------------
 * Verdicts
 * ---------------------------------------------------------------------------------------- */

typedef struct vigil_verdict vigil_verdict;

/* Scan one whole message text[0..len) (any bytes; invalid UTF-8 is replaced and counted).
 * On success *out owns a new verdict (free it with vigil_verdict_free). Thread-safe: any number
 * of threads may scan with one engine at once.
 * Errors: VIGIL_E_INVALID (engine or out NULL, text NULL with len > 0), VIGIL_E_TOO_LARGE,
 * VIGIL_E_SCAN, VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_scan(const vigil_engine* engine, const char* text, size_t len,
                         vigil_verdict** out);
/* Free a verdict. NULL is a no-op. Not one that belongs to a batch (vigil_batch_verdict). */
VIGIL_API void vigil_verdict_free(vigil_verdict* verdict);

/* The decision (a vigil_decision), or VIGIL_E_INVALID for NULL. */
VIGIL_API int vigil_verdict_decision(const vigil_verdict* verdict);
/* The total score; NaN for NULL. */
VIGIL_API double vigil_verdict_score(const vigil_verdict* verdict);
/* Invalid UTF-8 bytes replaced during normalisation; 0 for NULL. */
VIGIL_API uint64_t vigil_verdict_invalid_bytes(const vigil_verdict* verdict);

/* Categories with at least one hit, in pack order. Count: 0 for NULL. Name (NUL-terminated,
 * owned by the verdict): NULL for NULL or i >= count. Score (after the category cap): NaN for
 * NULL or i out of range. */
VIGIL_API size_t vigil_verdict_category_count(const vigil_verdict* verdict);
VIGIL_API const char* vigil_verdict_category_name(const vigil_verdict* verdict, size_t i);
VIGIL_API double vigil_verdict_category_score(const vigil_verdict* verdict, size_t i);

/* Hits (rule hits and composites that fired), in order of start offset. Strings are owned by
 * the verdict. Out-of-range i or NULL verdict: NULL / NaN / 0 / -1 and the last error set. */
VIGIL_API size_t vigil_verdict_hit_count(const vigil_verdict* verdict);
VIGIL_API const char* vigil_verdict_hit_rule(const vigil_verdict* verdict, size_t i);
VIGIL_API const char* vigil_verdict_hit_category(const vigil_verdict* verdict, size_t i);
/* What the hit added to its category's score (before the category cap). */
VIGIL_API double vigil_verdict_hit_weight(const vigil_verdict* verdict, size_t i);
/* Byte span [start, end) in the original message. */
VIGIL_API uint64_t vigil_verdict_hit_start(const vigil_verdict* verdict, size_t i);
VIGIL_API uint64_t vigil_verdict_hit_end(const vigil_verdict* verdict, size_t i);
/* The original bytes of the span (may contain NUL or invalid UTF-8: use *len, which may be
 * NULL; the pointer is also NUL-terminated). */
VIGIL_API const char* vigil_verdict_hit_text(const vigil_verdict* verdict, size_t i, size_t* len);
/* 1 for a composite, 0 for a plain rule hit, VIGIL_E_INVALID for a bad argument. */
VIGIL_API int vigil_verdict_hit_is_composite(const vigil_verdict* verdict, size_t i);

/* Everything about a verdict's headline in one call. Set struct_size = sizeof(...) first. */
typedef struct vigil_verdict_summary {
  size_t struct_size;
  int decision; /* vigil_decision */
  double score;
  size_t category_count;
  size_t hit_count;
  uint64_t invalid_bytes;
} vigil_verdict_summary;
/* Fill *out (only the fields that fit in out->struct_size). Thread-safe.
 * Errors: VIGIL_E_INVALID (NULL, struct_size too small). */
VIGIL_API int vigil_verdict_get_summary(const vigil_verdict* verdict, vigil_verdict_summary* out);

/* Everything about one hit in one call. Strings point into the verdict (valid while it lives);
 * each is NUL-terminated and its length given. */
typedef struct vigil_hit_info {
  size_t struct_size;
  const char* rule;
  size_t rule_len;
  const char* category;
  size_t category_len;
  double weight;
  uint64_t start;
  uint64_t end;
  const char* text;
  size_t text_len;
  int composite;
} vigil_hit_info;
/* Fill *out for hit i. Errors: VIGIL_E_INVALID (NULL, i out of range, struct_size too small). */
VIGIL_API int vigil_verdict_get_hit(const vigil_verdict* verdict, size_t i, vigil_hit_info* out);

/* JSON id flags for vigil_verdict_json. */
#define VIGIL_JSON_ID_STRING 0u /* id[0..id_len) is text: rendered as a JSON string */
#define VIGIL_JSON_ID_RAW 1u    /* id[0..id_len) is a JSON number: rendered as written */

/* Render the verdict as the CLI's JSON object (`vigil scan --jsonl` prints exactly this, one per
 * line, without the newline):
 *   {"id":ID,"verdict":"allow|review|block","score":S,"categories":{...},"hits":[...]}
 * plus ,"invalid_utf8":N when the input had invalid UTF-8. ID is "null" when id is NULL,
 * else per flags (VIGIL_JSON_ID_RAW requires a valid JSON number). On success *json is a new
 * NUL-terminated string (free with vigil_free) and *json_len (may be NULL) its length.
 * Thread-safe. Errors: VIGIL_E_INVALID (verdict or json NULL, unknown flags, RAW id that is
 * not a JSON number), VIGIL_E_NOMEM. */
VIGIL_API int vigil_verdict_json(const vigil_verdict* verdict, const char* id, size_t id_len,
                                 unsigned flags, char** json, size_t* json_len);
/* The same rendering into a caller buffer buf[0..cap) (zstd style): on success the JSON and a
 * terminating NUL are written and *written (may be NULL) receives the length without the NUL.
 * When cap is too small nothing useful is written, VIGIL_E_BUFFER_TOO_SMALL is returned and
 * *written (if not NULL) receives the length needed without the NUL. buf may be NULL with cap 0
 * to ask for the size. */
VIGIL_API int vigil_verdict_json_into(const vigil_verdict* verdict, const char* id,
                                      size_t id_len, unsigned flags, char* buf, size_t cap,
                                      size_t* written);

/* Convenience: vigil_scan + vigil_verdict_json (id as a NUL-terminated string or NULL).
 * Errors: those of both. */
VIGIL_API int vigil_scan_json(const vigil_engine* engine, const char* text, size_t len,
                              const char* id, char** json, size_t* json_len);

/* ------------------------------------------------------------------------------------------
 * Batches: many messages in one call
 * ---------------------------------------------------------------------------------------- */

typedef struct vigil_batch vigil_batch;

typedef struct vigil_batch_options {
  size_t struct_size;
  /* Threads to scan on: 0 or 1 (default) = the calling thread only; N > 1 = the calling
   * thread plus up to N-1 worker threads started for this call. Results are in input order
   * whatever the thread count. */
  unsigned threads;
} vigil_batch_options;
#define VIGIL_BATCH_OPTIONS_INIT { sizeof(vigil_batch_options), 0u }

/* Scan n messages texts[i][0..lens[i]) in one call. On success *out owns a new batch of n
 * verdicts (free with vigil_batch_free); n may be 0. opts may be NULL. Thread-safe.
 * All or nothing: if any message fails, no batch is returned and the error names the index.
 * Errors: VIGIL_E_INVALID (engine/out NULL, texts or lens NULL with n > 0, texts[i] NULL with
 * lens[i] > 0, bad opts), VIGIL_E_TOO_LARGE, VIGIL_E_SCAN, VIGIL_E_NOMEM, VIGIL_E_INTERNAL. */
VIGIL_API int vigil_scan_batch(const vigil_engine* engine, const char* const* texts,
                               const size_t* lens, size_t n, const vigil_batch_options* opts,
                               vigil_batch** out);
/* The same with the messages packed in one buffer: message i is
 * data[offsets[i] .. offsets[i+1]); offsets has n+1 entries, non-decreasing (convenient from
 * languages that cannot hand over arrays of pointers). Errors as vigil_scan_batch, and
 * VIGIL_E_INVALID for decreasing offsets. */
VIGIL_API int vigil_scan_batch_packed(const vigil_engine* engine, const char* data,
                                      const size_t* offsets, size_t n,
                                      const vigil_batch_options* opts, vigil_batch** out);
/* Free a batch and its verdicts. NULL is a no-op. */
VIGIL_API void vigil_batch_free(vigil_batch* batch);
/* Number of verdicts; 0 for NULL. */
VIGIL_API size_t vigil_batch_size(const vigil_batch* batch);
/* Verdict i, owned by the batch (valid until vigil_batch_free; never free it yourself);
 * NULL (last error set) for NULL batch or i out of range. */
VIGIL_API const vigil_verdict* vigil_batch_verdict(const vigil_batch* batch, size_t i);
/* Copy the decisions (vigil_decision values) of verdicts [0, min(n, size)) into out.
 * Returns the count copied, or VIGIL_E_INVALID (batch NULL, out NULL with n > 0). */
VIGIL_API int vigil_batch_decisions(const vigil_batch* batch, int* out, size_t n);
/* Copy the scores likewise. */
VIGIL_API int vigil_batch_scores(const vigil_batch* batch, double* out, size_t n);
/* Copy the hit counts likewise. */
VIGIL_API int vigil_batch_hit_counts(const vigil_batch* batch, size_t* out, size_t n);
/* Fill the summaries of verdicts [0, min(n, size)) in one call. out[0].struct_size must be set
 * (to sizeof(vigil_verdict_summary)); it is also the stride between entries, and every entry's
 * struct_size is written with it. Returns the count filled, or VIGIL_E_INVALID (batch NULL,
 * out NULL with n > 0, struct_size too small). */
VIGIL_API int vigil_batch_summaries(const vigil_batch* batch, vigil_verdict_summary* out, size_t n);

/* ------------------------------------------------------------------------------------------
 * Streams: one message arriving in chunks
 * ---------------------------------------------------------------------------------------- */

typedef struct vigil_stream vigil_stream;

/* Start a message. The stream keeps the engine alive (the engine handle may be freed first).
 * On success *out owns the stream: end it with vigil_stream_close (verdict) or
 * vigil_stream_free (abandon). Thread-safe with respect to the engine.
 * Errors: VIGIL_E_INVALID (NULL), VIGIL_E_STATE (engine built without streaming),
 * VIGIL_E_NOMEM, VIGIL_E_SCAN. */
VIGIL_API int vigil_stream_open(const vigil_engine* engine, vigil_stream** out);
/* Append data[0..len) (a chunk may split a UTF-8 sequence or a term anywhere).
 * One thread at a time per stream. Errors: VIGIL_E_INVALID (stream NULL, data NULL with
 * len > 0), VIGIL_E_STATE (after a failed write), VIGIL_E_SCAN, VIGIL_E_NOMEM. A failed
 * write leaves the stream unusable (close/free it). */
VIGIL_API int vigil_stream_write(vigil_stream* stream, const char* data, size_t len);
/* End of input: score the message and free the stream (always, even on error). On success
 * *out (out may be NULL to discard the verdict) owns a new verdict.
 * Errors: VIGIL_E_INVALID (stream NULL), VIGIL_E_STATE (a write had failed), VIGIL_E_SCAN,
 * VIGIL_E_NOMEM. */
VIGIL_API int vigil_stream_close(vigil_stream* stream, vigil_verdict** out);
/* Abandon a stream without a verdict. NULL is a no-op. */
VIGIL_API void vigil_stream_free(vigil_stream* stream);

/* ------------------------------------------------------------------------------------------
 * Holders: hot reload
 * ---------------------------------------------------------------------------------------- */

typedef struct vigil_holder vigil_holder;

/* A holder of a current engine. It takes its own reference to engine (the caller keeps and
 * still frees its handle). Errors: VIGIL_E_INVALID (NULL), VIGIL_E_NOMEM. */
VIGIL_API int vigil_holder_create(const vigil_engine* engine, vigil_holder** out);
/* Free the holder (its engine goes when nothing else references it). NULL is a no-op. Not
 * while other threads still use the holder. */
VIGIL_API void vigil_holder_free(vigil_holder* holder);
/* Make engine the current one, atomically. Never blocks on scans: scans in flight finish on
 * the engine they started with (which is released when the last of them ends). Thread-safe.
 * Errors: VIGIL_E_INVALID (NULL). */
VIGIL_API int vigil_holder_swap(vigil_holder* holder, const vigil_engine* engine);
/* A new handle to the current engine (free with vigil_engine_free). Thread-safe.
 * Errors: VIGIL_E_INVALID (NULL), VIGIL_E_NOMEM. */
VIGIL_API int vigil_holder_engine(const vigil_holder* holder, vigil_engine** out);
/* vigil_scan / vigil_scan_batch / vigil_scan_batch_packed on the current engine.
 * Thread-safe, with swaps on other threads too. Errors as those. */
VIGIL_API int vigil_holder_scan(const vigil_holder* holder, const char* text, size_t len,
                                vigil_verdict** out);
VIGIL_API int vigil_holder_scan_batch(const vigil_holder* holder, const char* const* texts,
                                      const size_t* lens, size_t n,
                                      const vigil_batch_options* opts, vigil_batch** out);
VIGIL_API int vigil_holder_scan_batch_packed(const vigil_holder* holder, const char* data,
                                             const size_t* offsets, size_t n,
                                             const vigil_batch_options* opts, vigil_batch** out);

/* Reserved for the hash banks (known content by digest, PDQ, SimHash/MinHash), to be added
 * in a compatible release: the vigil_hash_*, vigil_bank_* and vigil_verdict_bank_hit_*
 * namespaces and the error codes -20 .. -39. */

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_H */
