#!/usr/bin/env python3
"""The ABI of libvigil against the committed baseline abi/libvigil.abi (libabigail).

Usage: check_abi.py LIB            compare LIB (built with -g) with the baseline
       check_abi.py --update LIB   rewrite the baseline from LIB (after an intended change)

The meson test 'capi-abi' runs the first form on build/tests/capi/libvigil.so (the debug-info
twin of build/libvigil.so). To regenerate the baseline after an intended, reviewed change:

    ninja -C build && python3 tests/capi/tools/check_abi.py --update build/tests/capi/libvigil.so

which runs: abidw --headers-dir capi --no-corpus-path --no-comp-dir-path \
            --out-file abi/libvigil.abi build/tests/capi/libvigil.so

abidiff's exit status is a bit set: 1 error, 2 usage error, 4 the ABI changed, 8 the change is
incompatible. This test passes when nothing changed or when the only changes are added
functions/variables; it fails on any removed or changed function, variable or public type (a
reordered or resized struct in vigil.h is reported by abidiff as a sub-type change, status 4).
Changes to the private definitions of the opaque handles are filtered out (--headers-dir2).
"""
import os
import re
import shutil
import subprocess
import sys

root = os.environ.get("VIGIL_SOURCE_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
baseline = os.path.join(root, "abi", "libvigil.abi")
headers = os.path.join(root, "capi")

args = sys.argv[1:]
update = "--update" in args
args = [a for a in args if a != "--update"]
if len(args) != 1:
    sys.exit(__doc__)
lib = args[0]

for tool in ("abidw", "abidiff"):
    if shutil.which(tool) is None:
        print(f"{tool} not found: install Debian's abigail-tools (scripts/setup-bindings does)")
        sys.exit(77)  # meson: skipped

if update:
    os.makedirs(os.path.dirname(baseline), exist_ok=True)
    cmd = ["abidw", "--headers-dir", headers, "--no-corpus-path", "--no-comp-dir-path",
           "--out-file", baseline, lib]
    print(" ".join(cmd))
    subprocess.run(cmd, check=True)
    print("wrote", baseline)
    sys.exit(0)

if not os.path.exists(baseline):
    print(f"no baseline {baseline}; create it with: {sys.argv[0]} --update {lib}")
    print("0 passed, 1 failed")
    sys.exit(1)

cmd = ["abidiff", "--headers-dir2", headers, "--no-show-locs", baseline, lib]
print(" ".join(cmd))
r = subprocess.run(cmd, capture_output=True, text=True)
print(r.stdout, r.stderr, sep="")
if r.returncode & (1 | 2):
    print("abidiff failed to compare")
    ok = False
elif r.returncode & 8:
    print("INCOMPATIBLE ABI change against abi/libvigil.abi. If intended (a new major version),"
          f" regenerate the baseline: {sys.argv[0]} --update {lib}")
    ok = False
else:
    removed_or_changed = 0
    for m in re.finditer(r"changes summary: (\d+) Removed(?: \([^)]*\))?, (\d+) Changed", r.stdout):
        removed_or_changed += int(m.group(1)) + int(m.group(2))
    for m in re.finditer(r"(\d+) Removed function symbols?|(\d+) Removed variable symbols?", r.stdout):
        removed_or_changed += int(m.group(1) or m.group(2))
    ok = removed_or_changed == 0
    if not ok:
        print("ABI change against abi/libvigil.abi that breaks existing callers (removed or changed"
              " functions/types). If intended, regenerate the baseline:"
              f" {sys.argv[0]} --update {lib}")
    elif r.returncode & 4:
        print("compatible ABI change (additions only): update the baseline with --update")
print(f"{1 if ok else 0} passed, {0 if ok else 1} failed")
sys.exit(0 if ok else 1)
