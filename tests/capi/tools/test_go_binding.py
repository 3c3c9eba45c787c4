#!/usr/bin/env python3
"""go vet and go test -race of the Go binding against this build (pkg-config's uninstalled
vigil .pc and LD_LIBRARY_PATH come from the meson test environment). Skipped (77) without go."""
import os
import shutil
import subprocess
import sys

if shutil.which("go") is None:
    print("go is not installed")
    sys.exit(77)
pkg = os.path.join(os.environ["VIGIL_SOURCE_ROOT"], "bindings", "go")
env = dict(os.environ, CGO_ENABLED="1", GOFLAGS="-mod=mod")
subprocess.run(["go", "vet", "./..."], cwd=pkg, env=env, check=True)
r = subprocess.run(["go", "test", "-race", "-count=1", "-v", "./..."], cwd=pkg, env=env,
                   capture_output=True, text=True)
print(r.stdout[-20000:], r.stderr[-5000:])
passed = r.stdout.count("--- PASS")
failed = r.stdout.count("--- FAIL")
print(f"{passed} passed, {failed} failed")
sys.exit(r.returncode)
