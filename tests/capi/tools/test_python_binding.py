#!/usr/bin/env python3
"""Build the Python binding against this build (pip, meson-python, no build isolation, into
<build>/bindings-python) and run its pytest suite. Skipped (77) without meson-python/cffi/pytest."""
import importlib.util
import os
import shutil
import subprocess
import sys

root = os.environ["VIGIL_SOURCE_ROOT"]
build = os.environ["VIGIL_BUILD_ROOT"]
for mod in ("mesonpy", "cffi", "pytest"):
    if importlib.util.find_spec(mod) is None:
        print(f"{mod} is not installed for {sys.executable} (scripts/setup-bindings installs it)")
        sys.exit(77)
site = os.path.join(build, "bindings-python")
shutil.rmtree(site, ignore_errors=True)
subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--no-build-isolation", "--no-deps", "--target", site,
                os.path.join(root, "bindings", "python")], check=True)
# As a user gets it: the package must find its bundled libvigil by itself, not through the
# LD_LIBRARY_PATH that points the other binding tests at this build.
env = dict(os.environ, PYTHONPATH=site)
env.pop("LD_LIBRARY_PATH", None)
r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    os.path.join(root, "bindings", "python", "tests")], env=env,
                   cwd=os.path.join(root, "bindings", "python"))
sys.exit(r.returncode)
