#!/usr/bin/env bash
# Portable distributions of the Python binding (crates/scrim-py), for users on any common Linux:
#   - a manylinux abi3 wheel (CPython 3.9+, for the host's architecture), linked with zig
#     against an old glibc so that it does not need the build machine's;
#   - an sdist that builds from source (`pip install scrim-0.1.0.tar.gz`, with a Rust toolchain).
# maturin, ziglang (zig as a linker, from PyPI) and auditwheel come from PyPI into a private venv
# in the target directory. Usage: tools/py/build-dist.sh [OUT_DIR]   (default target/py-dist)
# SCRIM_PY_MANYLINUX picks the policy (default manylinux2014, glibc 2.17; manylinux_2_28 was
# not tried). Slow: a full release build of the binding's crates (LTO). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
out="$(realpath -m "${1:-$target/py-dist}")"
compat="${SCRIM_PY_MANYLINUX:-manylinux2014}"
venv="$target/py-dist-venv"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.9,<2" "ziglang>=0.13" "auditwheel>=6"
export PATH="$venv/bin:$PATH"

rm -rf "$out"
mkdir -p "$out"

# The wheel: maturin links with zig against the policy's glibc and checks the result itself
# (its auditwheel step fails the build if a symbol needs a newer glibc or a library outside
# the policy's list).
(cd crates/scrim-py && maturin build --release --locked --compatibility "$compat" --zig \
  --out "$out")
wheel=$(ls "$out"/scrim-*.whl)
auditwheel show "$wheel"

# The sdist: maturin packs the workspace's Cargo.toml (members cut down to the binding's path
# dependencies), Cargo.lock, and each path dependency's `cargo package` files (data/ included),
# in the workspace's layout. It cannot pack files outside a crate, and two are compiled in from
# the workspace's policies/ (scrim-core's default policy, scrim-store's default governance,
# by include_str!("../../../policies/...")): add them at the same relative place.
(cd crates/scrim-py && maturin sdist --out "$out")
sdist=$(ls "$out"/scrim-*.tar.gz)
"$venv/bin/python" - "$sdist" policies/default.toml policies/governance.toml <<'PY'
import io, os, sys, tarfile

sdist, extra = sys.argv[1], sys.argv[2:]
with tarfile.open(sdist, "r:gz") as src:
    members = [(m, src.extractfile(m).read() if m.isfile() else None) for m in src.getmembers()]
prefix = members[0][0].name.split("/")[0]
names = {m.name for m, _ in members}
tmp = sdist + ".tmp"
with tarfile.open(tmp, "w:gz", format=tarfile.PAX_FORMAT) as dst:
    for m, data in members:
        dst.addfile(m, io.BytesIO(data) if data is not None else None)
    for path in extra:
        name = f"{prefix}/{path}"
        if name in names:
            continue
        info = tarfile.TarInfo(name)
        with open(path, "rb") as f:
            data = f.read()
        info.size, info.mode, info.mtime = len(data), 0o644, int(os.stat(path).st_mtime)
        dst.addfile(info, io.BytesIO(data))
os.replace(tmp, sdist)
PY

# Every file the packed crates compile in (include_str!/include_bytes! outside test code) must
# be in the sdist; a path that resolves outside it is what broke `pip install` of the sdist.
"$venv/bin/python" - "$sdist" <<'PY'
import posixpath, re, sys, tarfile

with tarfile.open(sys.argv[1], "r:gz") as t:
    names = set(t.getnames())
    prefix = t.getnames()[0].split("/")[0]
    missing = []
    for name in sorted(names):
        if not (name.endswith(".rs") and "/src/" in name):
            continue
        text = t.extractfile(name).read().decode()
        # Test modules and doctest-only items are not compiled into the wheel.
        text = text.split("#[cfg(test)]")[0]
        for m in re.finditer(r'(?<!doc = )include_(?:str|bytes)!\("([^"]+)"\)', text):
            pre = text[: m.start()].rsplit("\n", 3)
            if any("cfg(doctest)" in line for line in pre[-3:]):
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(name), m.group(1)))
            if path not in names:
                missing.append(f"{name}: {m.group(1)}")
if missing:
    sys.exit("sdist lacks files compiled into the binding:\n  " + "\n  ".join(missing))
PY

ls -l "$out"
