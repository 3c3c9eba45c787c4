"""Generate the cffi (API mode) C source of vigil._vigil_cffi from capi/vigil.h.

Usage: ffi_build.py PATH/TO/vigil.h OUTPUT.c

The cdef is derived from the header itself (declarations kept, preprocessor lines dropped,
integer macros turned into "#define NAME ..." so the C compiler supplies their values), so the
binding cannot drift from the header it is compiled against.
"""
import re
import sys

import cffi

# Binding-side glue compiled into the extension: fewer crossings on the hot paths.
GLUE = r"""
/* The hot path in one crossing: 0 = a plain allow (no hits, score 0; the verdict is already
 * freed), 1 = anything else (the verdict waits in this thread's slot for pyvigil_take),
 * < 0 = an error code. */
static _Thread_local vigil_verdict* pyvigil_slot;
static int pyvigil_classify(vigil_verdict* v) {
  vigil_verdict_summary s;
  s.struct_size = sizeof s;
  vigil_verdict_get_summary(v, &s);
  if (s.decision == VIGIL_ALLOW && s.score == 0.0 && s.hit_count == 0 &&
      s.category_count == 0 && s.invalid_bytes == 0) {
    vigil_verdict_free(v);
    return 0;
  }
  pyvigil_slot = v;
  return 1;
}
static int pyvigil_scan1(const vigil_engine* e, const char* text, size_t len) {
  vigil_verdict* v;
  int rc = vigil_scan(e, text, len, &v);
  return rc < 0 ? rc : pyvigil_classify(v);
}
static int pyvigil_holder_scan1(const vigil_holder* h, const char* text, size_t len) {
  vigil_verdict* v;
  int rc = vigil_holder_scan(h, text, len, &v);
  return rc < 0 ? rc : pyvigil_classify(v);
}
static vigil_verdict* pyvigil_take(vigil_verdict_summary* sum) {
  vigil_verdict* v = pyvigil_slot;
  pyvigil_slot = NULL;
  sum->struct_size = sizeof *sum;
  vigil_verdict_get_summary(v, sum);
  return v;
}
/* Scan and fetch the headline in one call. */
static int pyvigil_scan(const vigil_engine* e, const char* text, size_t len,
                        vigil_verdict** out, vigil_verdict_summary* sum) {
  int rc = vigil_scan(e, text, len, out);
  if (rc != VIGIL_OK) return rc;
  sum->struct_size = sizeof *sum;
  return vigil_verdict_get_summary(*out, sum);
}
static int pyvigil_holder_scan(const vigil_holder* h, const char* text, size_t len,
                               vigil_verdict** out, vigil_verdict_summary* sum) {
  int rc = vigil_holder_scan(h, text, len, out);
  if (rc != VIGIL_OK) return rc;
  sum->struct_size = sizeof *sum;
  return vigil_verdict_get_summary(*out, sum);
}
/* A batch's headlines in one pass: decisions[i] (a byte) and scores[i] of every verdict, and in
 * rich[0..k) (k is returned) the indices of those that are more than a plain allow (a decision,
 * score, hit, category or invalid byte): the only ones the Python side has to visit. */
static size_t pyvigil_batch_digest(const vigil_batch* b, unsigned char* decisions, double* scores,
                                   size_t* rich, size_t n) {
  vigil_verdict_summary s;
  size_t i, k = 0;
  for (i = 0; i < n; ++i) {
    s.struct_size = sizeof s;
    vigil_verdict_get_summary(vigil_batch_verdict(b, i), &s);
    decisions[i] = (unsigned char)s.decision;
    scores[i] = s.score;
    if (s.decision != VIGIL_ALLOW || s.score != 0.0 || s.hit_count != 0 ||
        s.category_count != 0 || s.invalid_bytes != 0)
      rich[k++] = i;
  }
  return k;
}
/* offsets[1..n] hold the messages' lengths: make them the running end offsets (offsets[0] = 0)
 * that vigil_scan_batch_packed takes. */
static void pyvigil_lengths_to_offsets(size_t* offsets, size_t n) {
  size_t i;
  offsets[0] = 0;
  for (i = 1; i <= n; ++i) offsets[i] += offsets[i - 1];
}
"""

GLUE_CDEF = """
int pyvigil_scan1(const vigil_engine* e, const char* text, size_t len);
int pyvigil_holder_scan1(const vigil_holder* h, const char* text, size_t len);
vigil_verdict* pyvigil_take(vigil_verdict_summary* sum);
int pyvigil_scan(const vigil_engine* e, const char* text, size_t len, vigil_verdict** out,
                 vigil_verdict_summary* sum);
int pyvigil_holder_scan(const vigil_holder* h, const char* text, size_t len,
                        vigil_verdict** out, vigil_verdict_summary* sum);
size_t pyvigil_batch_digest(const vigil_batch* b, unsigned char* decisions, double* scores,
                            size_t* rich, size_t n);
void pyvigil_lengths_to_offsets(size_t* offsets, size_t n);
"""


def cdef_from_header(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            m = re.match(r"#\s*define\s+(VIGIL_\w+)\s+(.+)$", s)
            if m and not m.group(1).endswith(("_INIT", "_H", "_API")) and '"' not in m.group(2) \
                    and "VIGIL_VERSION_NUMBER" != m.group(1):
                out.append(f"#define {m.group(1)} ...")
            continue
        if s.startswith('extern "C"') or s == "}" and not out[-1:] == ["{"]:
            continue
        out.append(line.replace("VIGIL_API ", ""))
    return "\n".join(out)


def main() -> None:
    header, output = sys.argv[1], sys.argv[2]
    ffi = cffi.FFI()
    ffi.cdef(cdef_from_header(open(header, encoding="utf-8").read()))
    ffi.cdef(GLUE_CDEF)
    ffi.set_source("vigil._vigil_cffi", '#include "vigil.h"\n' + GLUE)
    ffi.emit_c_code(output)


if __name__ == "__main__":
    main()
