#!/usr/bin/env python3
"""libvigil exports exactly the vigil_* functions that capi/vigil.h declares, and nothing else."""
import os
import re
import subprocess
import sys

lib = os.environ["VIGIL_LIB"]
header = os.path.join(os.environ["VIGIL_SOURCE_ROOT"], "capi", "vigil.h")

out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True,
                     text=True).stdout
exported = set()
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 3:
        exported.add(parts[2].split("@")[0])
# Exported on purpose outside vigil.h: capi/kernels' runtime-dispatch hooks (Hamming and text
# kernels), looked up through weak symbols by the header-only core in programs linked with
# libvigil (not part of the C API).
INTERNAL = {"vigil_hash_kernels_lookup", "vigil_text_kernels_lookup"}
declared = set(re.findall(r"VIGIL_API\s[^;(]*?\b(vigil_\w+)\s*\(", open(header).read()))

foreign = sorted(s for s in exported if not s.startswith("vigil_"))
missing = sorted(declared - exported)
undeclared = sorted(s for s in exported
                    if s.startswith("vigil_") and s not in declared and s not in INTERNAL)
ok = True
if foreign:
    ok = False
    print(f"{len(foreign)} exported symbols are not vigil_*, e.g.:")
    for s in foreign[:15]:
        print("  ", s)
    print("(link libvigil with capi/vigil.map: link_args : capi_link_args in meson.build)")
if missing:
    ok = False
    print("declared in vigil.h but not exported:", ", ".join(missing))
if undeclared:
    ok = False
    print("exported but not declared in vigil.h:", ", ".join(undeclared))
print(f"{len(exported)} exported symbols, {len(declared)} functions declared in vigil.h")
print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
sys.exit(0 if ok else 1)
