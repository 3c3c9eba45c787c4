#!/usr/bin/env python3
"""The five examples (C, C++, Python, Go, Java) print byte for byte what `vigil scan --jsonl -`
prints, on the dev evaluation set and on examples/inputs/messages.jsonl."""
import os
import shutil
import subprocess
import sys

root = os.environ["VIGIL_SOURCE_ROOT"]
cli = os.environ["VIGIL_CLI"]
build = os.environ["VIGIL_BUILD_ROOT"]
inputs = [os.path.join(os.environ["VIGIL_SHARED_DIR"], "eval", "dev.jsonl"),
          os.path.join(root, "examples", "inputs", "messages.jsonl")]
inputs = [p for p in inputs if os.path.exists(p)]
langs = ["c", "cpp", "python", "go", "java"]
needs = {"go": "go", "java": "mvn"}
env = dict(os.environ, VIGIL_BUILD_DIR=build)

passed = failed = skipped = 0
for path in inputs:
    data = open(path, "rb").read()
    want = subprocess.run([cli, "scan", "--jsonl", "-"], input=data, capture_output=True).stdout
    if not want:
        print(f"FAIL {path}: the CLI printed nothing")
        failed += 1
        continue
    for lang in langs:
        if lang in needs and shutil.which(needs[lang]) is None:
            print(f"SKIP {lang}: {needs[lang]} not installed")
            skipped += 1
            continue
        r = subprocess.run([os.path.join(root, "examples", lang, "run")], input=data,
                           capture_output=True, env=env, timeout=900)
        name = f"{lang} on {os.path.basename(path)}"
        if r.stdout == want:
            print(f"ok   {name} ({len(want.splitlines())} lines identical)")
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: exit {r.returncode}\n{r.stderr.decode(errors='replace')[-2000:]}")
            got = r.stdout.splitlines()
            for i, w in enumerate(want.splitlines()):
                g = got[i] if i < len(got) else b"<missing>"
                if g != w:
                    print(f"  first difference at line {i + 1}:\n  cli: {w[:300]!r}\n  got: {g[:300]!r}")
                    break
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else (77 if passed == 0 else 0))
