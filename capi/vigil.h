/* vigil.h — the stable C ABI of vigil, an engine that identifies terrorist and
 * violent-extremist content (text normalised against evasion, matched against a rule pack,
 * scored into an allow / review / block verdict with every hit and its byte span).
 *
 * This header is the specification of libvigil's C interface.
 *
 * Conventions
 * -----------
 * - Every exported symbol is vigil_-prefixed; everything else in libvigil is hidden.
 * - Handles are opaque (vigil_engine, vigil_verdict, vigil_batch, vigil_stream, vigil_holder,
 *   vigil_bank, vigil_scanner).
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
 * - A vigil_bank may be queried and scanned with by any number of threads while another loads
 *   or adds entries (a reader/writer lock); a vigil_scanner is immutable and thread-safe.
 * - Hash functions (vigil_hash_*, vigil_text_normalize) are thread-safe and need no handle.
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
/* -10 .. -19 reserved for the rule engine; -20 .. -39 for hashes and hash banks: */
#define VIGIL_E_BANK (-20)        /* a bank file or entry is invalid ("FILE:LINE: reason") */
#define VIGIL_E_HASH (-21)        /* a hash could not be computed or parsed (bad hex) */
#define VIGIL_E_IMAGE (-22)       /* an image could not be decoded, or bad pixel dimensions */
#define VIGIL_E_IO (-23)          /* a file (to hash or scan) could not be opened or read */

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
/* Or-ed with either: the key is "file" instead of "id" (`vigil scan FILE` prints that). */
#define VIGIL_JSON_KEY_FILE 2u

/* Render the verdict as the CLI's JSON object (`vigil scan --jsonl` prints exactly this, one per
 * line, without the newline):
 *   {"id":ID,"verdict":"allow|review|block","score":S,"categories":{...},"hits":[...]}
 * plus ,"invalid_utf8":N when the input had invalid UTF-8, and after "hits" a "bank_hits" array
 * when banks were consulted (vigil_scanner_*, vigil_bank_query: `vigil scan --bank` output). ID is "null" when id is NULL,
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

/* ------------------------------------------------------------------------------------------
 * Hashes: digests, text sketches, PDQ
 *
 * Byte order: every hash is handed out as the bytes of its hex form, most significant first
 * (vigil_hash_to_hex of them gives the text a bank file holds, `vigil hash` prints and the
 * reference tools print). All hash functions are thread-safe (PDQ uses a per-thread hasher).
 * ---------------------------------------------------------------------------------------- */

typedef enum vigil_digest_kind {
  VIGIL_DIGEST_MD5 = 0,      /* 16 bytes (OpenSSL; the form hash-sharing databases exchange) */
  VIGIL_DIGEST_SHA256 = 1,   /* 32 bytes (OpenSSL) */
  VIGIL_DIGEST_XXH3_128 = 2, /* 16 bytes, canonical (big-endian) XXH3-128; fast, not
                                cryptographic: for local de-duplication only */
  VIGIL_DIGEST_TEXT = 3      /* 16 bytes: the fingerprint of the text's normal form (XXH3-128
                                of vigil_text_normalize's output without its end spaces): the
                                same for a re-post that only changes case, spacing, punctuation
                                runs, homoglyphs, invisible characters, diacritics or leetspeak */
  /* other values reserved */
} vigil_digest_kind;

#define VIGIL_MD5_SIZE 16
#define VIGIL_SHA256_SIZE 32
#define VIGIL_XXH3_128_SIZE 16
#define VIGIL_TEXT_FINGERPRINT_SIZE 16
#define VIGIL_DIGEST_MAX_SIZE 32
#define VIGIL_PDQ_SIZE 32        /* a PDQ hash: 256 bits */
#define VIGIL_MINHASH_SLOTS 128  /* slots of a MinHash signature */

/* The digest's size in bytes; 0 (and the last error set) for an unknown kind. Thread-safe. */
VIGIL_API size_t vigil_hash_digest_size(int kind);
/* "md5", "sha256", "xxh3_128", "text"; NULL (and the last error set) for an unknown kind. Static. */
VIGIL_API const char* vigil_hash_digest_name(int kind);

/* The digest of data[0..len) into out[0..vigil_hash_digest_size(kind)). out_size is the
 * capacity of out (at least the digest size). Thread-safe.
 * Errors: VIGIL_E_INVALID (unknown kind, data NULL with len > 0, out NULL, out_size too small),
 * VIGIL_E_HASH (the crypto library refused, e.g. MD5 under a FIPS-only configuration). */
VIGIL_API int vigil_hash_digest(int kind, const void* data, size_t len, uint8_t* out,
                                size_t out_size);
/* The same of a file's bytes, read in chunks (any size). Errors: as vigil_hash_digest, and
 * VIGIL_E_IO for a file that cannot be opened or read (the message names it). */
VIGIL_API int vigil_hash_digest_file(int kind, const char* path, uint8_t* out, size_t out_size);

/* Lowercase hex of bytes[0..len) into buf[0..cap): 2*len digits and a NUL (cap >= 2*len + 1).
 * Errors: VIGIL_E_INVALID (bytes NULL with len > 0, buf NULL), VIGIL_E_BUFFER_TOO_SMALL. */
VIGIL_API int vigil_hash_to_hex(const uint8_t* bytes, size_t len, char* buf, size_t cap);
/* Parse hex[0..hex_len) (an even number of hex digits, either case) into out[0..hex_len/2);
 * *written (may be NULL) receives hex_len/2. Errors: VIGIL_E_INVALID (NULL pointers),
 * VIGIL_E_HASH (odd length or a non-hex character), VIGIL_E_BUFFER_TOO_SMALL (out_size <
 * hex_len/2). */
VIGIL_API int vigil_hash_from_hex(const char* hex, size_t hex_len, uint8_t* out, size_t out_size,
                                  size_t* written);
/* The Hamming distance (differing bits) between a[0..len) and b[0..len), e.g. two PDQ hashes
 * (len 32: match at <= 31); -1 (VIGIL_E_INVALID set) when a or b is NULL with len > 0. */
VIGIL_API int vigil_hash_distance(const uint8_t* a, const uint8_t* b, size_t len);

/* The normal form of text[0..len) that the rules, SimHash and MinHash see (case folded,
 * evasion spellings undone, words separated by single spaces). On success *out is a new
 * NUL-terminated string (free with vigil_free) and *out_len (may be NULL) its length.
 * Errors: VIGIL_E_INVALID (text NULL with len > 0, out NULL), VIGIL_E_TOO_LARGE, VIGIL_E_NOMEM. */
VIGIL_API int vigil_text_normalize(const char* text, size_t len, char** out, size_t* out_len);
/* SimHash-64 of the normalised text[0..len), over shingles of words_per_shingle words (0: the
 * default 2) — what SimHash banks and `vigil hash --algo simhash` hold (its text form is the
 * 16 hex digits of *out, most significant first: printf("%016" PRIx64)). Empty text gives 0.
 * Errors: VIGIL_E_INVALID (text NULL with len > 0, out NULL, words_per_shingle < 0),
 * VIGIL_E_TOO_LARGE, VIGIL_E_NOMEM. */
VIGIL_API int vigil_hash_simhash64(const char* text, size_t len, int words_per_shingle,
                                   uint64_t* out);
/* The MinHash signature (VIGIL_MINHASH_SLOTS minima) of the normalised text's shingles of
 * words_per_shingle words (0: the default 3) into slots[0..128); n_slots is slots' capacity.
 * Empty text gives all 0xFFFFFFFF. Errors: as vigil_hash_simhash64, and VIGIL_E_INVALID for
 * slots NULL or n_slots < VIGIL_MINHASH_SLOTS. */
VIGIL_API int vigil_hash_minhash(const char* text, size_t len, int words_per_shingle,
                                 uint32_t* slots, size_t n_slots);
/* Estimated Jaccard similarity (0..1) of two signatures: the fraction of equal slots among
 * the first n. NaN (VIGIL_E_INVALID set) for NULL or n == 0. */
VIGIL_API double vigil_hash_minhash_similarity(const uint32_t* a, const uint32_t* b, size_t n);

/* Pixel layouts (8 bits per channel; alpha is ignored, as by the PDQ reference). */
typedef enum vigil_pixel_format {
  VIGIL_PIXEL_GREY8 = 0,
  VIGIL_PIXEL_RGB8 = 1,
  VIGIL_PIXEL_BGR8 = 2,
  VIGIL_PIXEL_RGBA8 = 3,
  VIGIL_PIXEL_BGRA8 = 4
  /* other values reserved */
} vigil_pixel_format;

/* Pixels owned by the caller, read only during the call. Row y starts at data + y * stride;
 * stride 0 means packed rows (width * bytes per pixel). size is the number of readable bytes
 * at data: every pixel must lie inside it (checked, so a bad stride cannot read out of bounds).
 * Sides up to 65536 and up to 2^28 pixels. */
typedef struct vigil_image {
  size_t struct_size;
  const uint8_t* data;
  size_t size;
  int width;
  int height;
  size_t stride;
  int format; /* vigil_pixel_format */
} vigil_image;
#define VIGIL_IMAGE_INIT { sizeof(vigil_image), NULL, 0, 0, 0, 0, VIGIL_PIXEL_RGB8 }

typedef struct vigil_pdq_options {
  size_t struct_size;
  /* Non-zero (default): an image with a side over 512 is first squashed to exactly 512x512
   * (nearest neighbour), as the reference pdq-photo-hasher and `vigil hash` do, so hashes equal
   * theirs. Zero: hash the full-resolution pixels (the reference library's hash). */
  int squash;
  /* Non-zero: also compute the 8 dihedral hashes (rotations/flips; about the same cost). */
  int dihedral;
  /* Encoded images: refuse images of more pixels than this before decoding (0: 2^27). */
  uint64_t max_pixels;
} vigil_pdq_options;
#define VIGIL_PDQ_OPTIONS_INIT { sizeof(vigil_pdq_options), 1, 0, 0u }

/* A PDQ result. Set struct_size = sizeof(vigil_pdq_result) before the call. */
typedef struct vigil_pdq_result {
  size_t struct_size;
  uint8_t hash[32]; /* VIGIL_PDQ_SIZE bytes */
  int quality; /* 0..100; under 50 the hash identifies the image poorly (do not match/share) */
  int has_dihedral;
  /* With options.dihedral: the hashes of the image turned/flipped, indexed as
   * vigil_hash_dihedral_name(i) names them: orig, rot90, rot180, rot270, flipx, flipy, flipp,
   * flipm. (As in the reference, dihedral[0] may differ slightly from hash for a 64x64 image.) */
  uint8_t dihedral[8][32];
} vigil_pdq_result;

/* PDQ of pixels. Images with a side under 5 hash to all zeros with quality 0 (as the
 * reference). opts may be NULL (defaults). Thread-safe.
 * Errors: VIGIL_E_INVALID (image or out NULL, bad struct_size, unknown format),
 * VIGIL_E_IMAGE (dimensions, stride or size inconsistent or too large), VIGIL_E_NOMEM. */
VIGIL_API int vigil_hash_pdq_pixels(const vigil_image* image, const vigil_pdq_options* opts,
                                    vigil_pdq_result* out);
/* PDQ of an encoded JPEG or PNG data[0..len) (recognised by its first bytes), decoded as the
 * reference pipeline decodes it (EXIF orientation ignored). Errors: VIGIL_E_INVALID,
 * VIGIL_E_IMAGE (not a JPEG/PNG, corrupt, over max_pixels: the message says which),
 * VIGIL_E_NOMEM. */
VIGIL_API int vigil_hash_pdq_image(const void* data, size_t len, const vigil_pdq_options* opts,
                                   vigil_pdq_result* out);
/* The same of an image file. Errors: as vigil_hash_pdq_image, and VIGIL_E_IO for a file that
 * cannot be opened or read (the message names it). */
VIGIL_API int vigil_hash_pdq_file(const char* path, const vigil_pdq_options* opts,
                                  vigil_pdq_result* out);
/* "orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm" for 0..7; NULL (last
 * error set) otherwise. Static storage. */
VIGIL_API const char* vigil_hash_dihedral_name(int i);

/* ------------------------------------------------------------------------------------------
 * Hash banks: known content by hash
 * ---------------------------------------------------------------------------------------- */

/* A vigil_bank holds named banks — lists of known hashes of one signal type with a label per
 * entry and an action on a hit — as `vigil scan --bank/--review-bank/--allow-bank` loads them.
 * One bank file may define several banks (a bank column, or mixed signal types: NAME-md5,
 * NAME-pdq, ...); entries without a bank column go to a bank named after the file (its name up
 * to the first '.') or the load option's name. A bank has one action: loading or defining the
 * same name with another action or signal type is an error.
 *
 * Thread-safety: a vigil_bank may be extended while in use. Queries and scans (any number of
 * threads at once) take a shared lock; loads, definitions and adds take it exclusively (they
 * wait for scans in flight, and scans started later see the new entries). Scanners keep the
 * bank alive: vigil_bank_free may be called while scanners built from it still exist. */
typedef struct vigil_bank vigil_bank;

typedef enum vigil_signal {
  VIGIL_SIGNAL_MD5 = 0,       /* raw bytes, exact; 32 hex digits */
  VIGIL_SIGNAL_SHA256 = 1,    /* raw bytes, exact; 64 hex digits */
  VIGIL_SIGNAL_PDQ = 2,       /* images, Hamming distance; 64 hex digits; default radius 31 */
  VIGIL_SIGNAL_SIMHASH64 = 3  /* normalised text, Hamming distance; 16 hex; default radius 6 */
  /* other values reserved */
} vigil_signal;
#define VIGIL_SIGNAL_AUTO (-1) /* load option: from the file (type column, typed lines, length) */

typedef enum vigil_bank_action {
  VIGIL_BANK_BLOCK = 0,  /* a hit blocks */
  VIGIL_BANK_REVIEW = 1, /* a hit asks for review at least */
  VIGIL_BANK_ALLOW = 2   /* an allow-list: a hit suppresses the other banks' hits of the same
                            signal (they are still reported, marked suppressed) */
} vigil_bank_action;

/* "md5", "sha256", "pdq", "simhash64" / "block", "review", "allow"; NULL (last error set) for
 * another value. Static storage. */
VIGIL_API const char* vigil_signal_name(int signal);
VIGIL_API const char* vigil_bank_action_name(int action);

typedef struct vigil_bank_load_options {
  size_t struct_size;
  int action;       /* vigil_bank_action (default VIGIL_BANK_BLOCK) */
  int signal;       /* VIGIL_SIGNAL_AUTO (default) or a vigil_signal: needed for plain lists of
                       64-digit hashes (PDQ or SHA-256?), and refuses lines of another type */
  const char* bank; /* bank for entries without a bank column; NULL: named after the file */
  int radius;       /* Hamming banks' match radius; -1 (default): the signal's default */
  int min_quality;  /* PDQ entries with a known quality under this are skipped (default 0) */
} vigil_bank_load_options;
#define VIGIL_BANK_LOAD_OPTIONS_INIT { sizeof(vigil_bank_load_options), 0, -1, NULL, -1, 0 }

/* A new, empty vigil_bank (free with vigil_bank_free). Errors: VIGIL_E_INVALID (out NULL),
 * VIGIL_E_NOMEM. */
VIGIL_API int vigil_bank_create(vigil_bank** out);
/* Free the handle; its banks go when no scanner uses them. NULL is a no-op. Not while another
 * thread still uses this handle. */
VIGIL_API void vigil_bank_free(vigil_bank* bank);
/* Load a bank file (one hex hash per line with an optional ",label"; CSV with a header naming
 * a hash column; typed "pdq HASH label" lines; the PDQ tool's output: README "Bank files").
 * All or nothing: a bad line fails with VIGIL_E_BANK and "FILE:LINE: reason" and adds nothing.
 * opts may be NULL (defaults). Thread-safe (exclusive). Errors: VIGIL_E_INVALID (bank or path
 * NULL, bad opts), VIGIL_E_BANK (unreadable file, bad line, a bank already loaded with another
 * action or signal type), VIGIL_E_NOMEM. */
VIGIL_API int vigil_bank_load_file(vigil_bank* bank, const char* path,
                                   const vigil_bank_load_options* opts);
/* The same from text[0..len) in memory; name (NUL-terminated, not NULL) stands for the file in
 * messages and as the default bank name. Errors: as vigil_bank_load_file. */
VIGIL_API int vigil_bank_load_text(vigil_bank* bank, const char* text, size_t len,
                                   const char* name, const vigil_bank_load_options* opts);
/* Define an empty bank name of the given signal type and action; radius -1: the signal's
 * default. Errors: VIGIL_E_INVALID (NULL, empty name, unknown signal/action, radius < -1),
 * VIGIL_E_BANK (the name exists), VIGIL_E_NOMEM. */
VIGIL_API int vigil_bank_define(vigil_bank* bank, const char* name, int signal, int action,
                                int radius);
/* Add one entry, hash given as hex[0..hex_len) (the bank's signal type, either case), with
 * label[0..label_len) (any bytes; NULL with 0 for none), to bank `name` (NULL: the handle's
 * only bank). Searchable at once, nothing is rebuilt. Thread-safe (exclusive).
 * Errors: VIGIL_E_INVALID (bank or hex NULL, label NULL with label_len > 0, name NULL while the
 * handle holds other than one bank), VIGIL_E_BANK (no such bank, not a hash of its type),
 * VIGIL_E_NOMEM. */
VIGIL_API int vigil_bank_add(vigil_bank* bank, const char* name, const char* hex, size_t hex_len,
                             const char* label, size_t label_len);
/* Entries in all banks; 0 for NULL. Thread-safe. */
VIGIL_API size_t vigil_bank_size(const vigil_bank* bank);
/* Number of named banks; 0 for NULL. Thread-safe. */
VIGIL_API size_t vigil_bank_count(const vigil_bank* bank);

/* One named bank. name points into the handle (valid while it lives). */
typedef struct vigil_bank_info {
  size_t struct_size;
  const char* name;
  int signal; /* vigil_signal */
  int action; /* vigil_bank_action */
  int radius; /* Hamming banks' radius; 0 for digests */
  size_t size;
} vigil_bank_info;
/* Fill *out for bank i (0 <= i < vigil_bank_count, in the order defined). Thread-safe.
 * Errors: VIGIL_E_INVALID (NULL, i out of range, struct_size too small). */
VIGIL_API int vigil_bank_get_info(const vigil_bank* bank, size_t i, vigil_bank_info* out);

/* Look up one hash: every bank of the given signal type, Hamming banks within radius (-1: each
 * bank's own radius; digests match exactly whatever the radius). The result is the verdict a
 * scan of such an item would give from the banks alone: decision from the banks' actions,
 * score 0, no rule hits, and the bank hits (nearest first, at most 100 per bank; read them with
 * vigil_verdict_bank_hit_* or vigil_verdict_json). On success *out owns a new verdict (free with
 * vigil_verdict_free). Thread-safe (shared).
 * Errors: VIGIL_E_INVALID (NULL, unknown signal, radius < -1), VIGIL_E_HASH (hex is not a hash
 * of that signal type), VIGIL_E_NOMEM. */
VIGIL_API int vigil_bank_query(const vigil_bank* bank, int signal, const char* hex,
                               size_t hex_len, int radius, vigil_verdict** out);

/* ------------------------------------------------------------------------------------------
 * Scanners: the rules and the banks in one verdict
 * ---------------------------------------------------------------------------------------- */

/* A scanner scans with an engine's rules and a vigil_bank's banks, as `vigil scan --bank`:
 * text is matched by the rules, by MD5/SHA-256 of its bytes and by SimHash-64 of its normalised
 * text; an image by PDQ (optionally its 8 rotations/flips) and MD5/SHA-256 of the file (images
 * are not scanned by the rules). A hit in a block bank blocks, in a review bank asks for review
 * at least (the score is the rules' alone); allow-list hits suppress the other hits of their
 * signal. A scanner is immutable and thread-safe; it keeps its engine and bank alive (their
 * handles may be freed first) and sees the bank as it is at each scan. */
typedef struct vigil_scanner vigil_scanner;

typedef struct vigil_scanner_options {
  size_t struct_size;
  int dihedral;        /* non-zero: also match images rotated/flipped (default 0) */
  int squash;          /* non-zero (default): squash images over 512 px to 512x512 before PDQ */
  int min_pdq_quality; /* PDQ hashes under this quality are not matched (default 50) */
  uint64_t max_pixels; /* refuse encoded images of more pixels before decoding (0: 2^27) */
} vigil_scanner_options;
#define VIGIL_SCANNER_OPTIONS_INIT { sizeof(vigil_scanner_options), 0, 1, 50, 0u }

/* A scanner over engine and bank (bank may be NULL: it then scans exactly as vigil_scan, and
 * verdicts carry no bank hits). opts may be NULL. On success *out owns it (free with
 * vigil_scanner_free). Errors: VIGIL_E_INVALID (engine or out NULL, bad opts), VIGIL_E_NOMEM. */
VIGIL_API int vigil_scanner_create(const vigil_engine* engine, const vigil_bank* bank,
                                   const vigil_scanner_options* opts, vigil_scanner** out);
/* NULL is a no-op. Not while another thread still uses this scanner. */
VIGIL_API void vigil_scanner_free(vigil_scanner* scanner);
/* Scan text[0..len) (as a JSONL "text" of `vigil scan --jsonl --bank`). On success *out owns a
 * new verdict. Thread-safe. Errors: as vigil_scan. */
VIGIL_API int vigil_scanner_scan(const vigil_scanner* scanner, const char* text, size_t len,
                                 vigil_verdict** out);
/* Scan a whole file's bytes data[0..len) (as `vigil scan --bank FILE`): JPEG or PNG, by its
 * first bytes, is decoded and matched as an image; anything else is scanned as text (without
 * a bank, everything is text). Errors: as vigil_scan, VIGIL_E_IMAGE (an image that does not
 * decode). */
VIGIL_API int vigil_scanner_scan_bytes(const vigil_scanner* scanner, const void* data, size_t len,
                                       vigil_verdict** out);
/* The same of a file read from path. Errors: as vigil_scanner_scan_bytes, and VIGIL_E_IO for
 * a file that cannot be opened or read (the message names it). */
VIGIL_API int vigil_scanner_scan_file(const vigil_scanner* scanner, const char* path,
                                      vigil_verdict** out);
/* Scan decoded pixels as an image (PDQ); file[0..file_len) are the encoded bytes they came
 * from, for MD5/SHA-256 banks (NULL with 0: digest banks are not consulted). Without a bank
 * the verdict is an empty allow. Errors: VIGIL_E_INVALID (NULL, file NULL with file_len > 0),
 * VIGIL_E_IMAGE (bad dimensions/stride/size), VIGIL_E_NOMEM. */
VIGIL_API int vigil_scanner_scan_pixels(const vigil_scanner* scanner, const vigil_image* image,
                                        const void* file, size_t file_len, vigil_verdict** out);

/* Bank hits of a verdict (from a scanner or vigil_bank_query), in the CLI's order: per signal
 * (md5, sha256, then simhash64 or pdq), the banks' hits nearest first, then allow-list hits.
 * 1 when banks were consulted (the JSON then has "bank_hits"), 0 when not, VIGIL_E_INVALID for
 * NULL. */
VIGIL_API int vigil_verdict_banks_checked(const vigil_verdict* verdict);
/* Count: 0 for NULL. Strings are owned by the verdict. Out-of-range i or NULL verdict:
 * NULL / -1 and the last error set. */
VIGIL_API size_t vigil_verdict_bank_hit_count(const vigil_verdict* verdict);
VIGIL_API const char* vigil_verdict_bank_hit_bank(const vigil_verdict* verdict, size_t i);
/* "md5", "sha256", "pdq" or "simhash64" (vigil_signal_name). */
VIGIL_API const char* vigil_verdict_bank_hit_signal(const vigil_verdict* verdict, size_t i);
/* Hamming distance; 0 for digests. */
VIGIL_API int vigil_verdict_bank_hit_distance(const vigil_verdict* verdict, size_t i);
/* The entry's label (any bytes: use *len, which may be NULL; also NUL-terminated). */
VIGIL_API const char* vigil_verdict_bank_hit_label(const vigil_verdict* verdict, size_t i,
                                                   size_t* len);
/* The bank's vigil_bank_action (VIGIL_BANK_ALLOW: an allow-list hit). */
VIGIL_API int vigil_verdict_bank_hit_action(const vigil_verdict* verdict, size_t i);
/* 1 when an allow-list hit overrode this hit (it did not count), else 0. */
VIGIL_API int vigil_verdict_bank_hit_suppressed(const vigil_verdict* verdict, size_t i);
/* With dihedral matching, the rotation/flip of the scanned image that matched ("rot90", ...);
 * "" when matched as is. */
VIGIL_API const char* vigil_verdict_bank_hit_transform(const vigil_verdict* verdict, size_t i);

/* Everything about one bank hit in one call. Strings point into the verdict. */
typedef struct vigil_bank_hit_info {
  size_t struct_size;
  const char* bank;
  size_t bank_len;
  int signal; /* vigil_signal */
  int distance;
  const char* label;
  size_t label_len;
  int action; /* vigil_bank_action */
  int suppressed;
  const char* transform; /* "" when none */
} vigil_bank_hit_info;
/* Errors: VIGIL_E_INVALID (NULL, i out of range, struct_size too small). */
VIGIL_API int vigil_verdict_get_bank_hit(const vigil_verdict* verdict, size_t i,
                                         vigil_bank_hit_info* out);

#ifdef __cplusplus
}
#endif

#endif /* VIGIL_H */
