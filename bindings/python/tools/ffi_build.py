"""Generate the cffi (API mode) C source of vigil._vigil_cffi from capi/vigil.h.

Usage: ffi_build.py PATH/TO/vigil.h OUTPUT.c

The cdef is derived from the header itself (declarations kept, preprocessor lines dropped,
integer macros turned into "#define NAME ..." so the C compiler supplies their values), so the
binding cannot drift from the header it is compiled against.
"""
import re
import sys

import cffi

# Binding-side glue compiled into the extension: single scans in one crossing (batches go
# through the CPython-API module vigil._native instead, see src/native.c).
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
"""

GLUE_CDEF = """
int pyvigil_scan1(const vigil_engine* e, const char* text, size_t len);
int pyvigil_holder_scan1(const vigil_holder* h, const char* text, size_t len);
vigil_verdict* pyvigil_take(vigil_verdict_summary* sum);
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
