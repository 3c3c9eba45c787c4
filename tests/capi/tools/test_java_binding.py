#!/usr/bin/env python3
"""mvn -o test of the Java binding (JUnit 5) against this build's libvigil (VIGIL_LIB).
Needs JDK 22+ (JAVA_HOME, default the Temurin 25 JDK) and the Maven artifacts cached by
scripts/setup-bindings. Skipped (77) without mvn or a JDK 22+."""
import os
import shutil
import subprocess
import sys

if shutil.which("mvn") is None:
    print("mvn is not installed")
    sys.exit(77)
env = dict(os.environ)
if not env.get("JAVA_HOME") and os.path.isdir("/usr/lib/jvm/temurin-25-jdk-amd64"):
    env["JAVA_HOME"] = "/usr/lib/jvm/temurin-25-jdk-amd64"
if not env.get("JAVA_HOME"):
    print("no JAVA_HOME with a JDK 22+")
    sys.exit(77)
pom = os.path.join(os.environ["VIGIL_SOURCE_ROOT"], "bindings", "java", "pom.xml")
r = subprocess.run(["mvn", "-B", "-o", "-f", pom, "test"], env=env, capture_output=True, text=True)
out = "\n".join(l for l in r.stdout.splitlines() if "WARNING" not in l)
print(out[-20000:], r.stderr[-3000:])
sys.exit(r.returncode)
