"""Print vigil.h's path, libvigil's real file and its soname, from pkg-config's "vigil"."""
import os
import subprocess
import sys


def pkg(*args: str) -> list:
    return subprocess.run(["pkg-config", *args, "vigil"], check=True, capture_output=True,
                          text=True).stdout.split()


def main() -> None:
    incs = [a[2:] for a in pkg("--cflags-only-I") if a.startswith("-I")]
    header = next((os.path.join(d, "vigil.h") for d in incs
                   if os.path.exists(os.path.join(d, "vigil.h"))), None)
    libdirs = [a[2:] for a in pkg("--libs-only-L") if a.startswith("-L")]
    libdirs.append(subprocess.run(["pkg-config", "--variable=libdir", "vigil"],
                                  capture_output=True, text=True).stdout.strip())
    lib = next((os.path.join(d, "libvigil.so") for d in libdirs
                if d and os.path.exists(os.path.join(d, "libvigil.so"))), None)
    if header is None or lib is None:
        sys.exit("vigil.h or libvigil.so not found through pkg-config vigil "
                 "(set PKG_CONFIG_PATH=<vigil build>/meson-uninstalled)")
    real = os.path.realpath(lib)
    soname = None
    out = subprocess.run(["objdump", "-p", real], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "SONAME":
            soname = parts[1]
    print(header)
    print(real)
    print(soname or os.path.basename(real))


if __name__ == "__main__":
    main()
