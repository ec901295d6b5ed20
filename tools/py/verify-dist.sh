#!/usr/bin/env bash
# Checks what tools/py/build-dist.sh built, each in a fresh venv (python3 -m venv):
#   wheel: install it with pytest, pyarrow, mypy and ONNX Runtime's library, import scrim, redact
#          a record, run crates/scrim-py/tests against the installed wheel;
#   sdist: `pip install` it (this compiles the binding from source, release profile: minutes),
#          import scrim and redact a record.
# Usage: tools/py/verify-dist.sh [DIST_DIR] [wheel|sdist|both]   (default target/py-dist both)
# Everything comes from PyPI (and crates.io for the sdist's build). Not part of CI.
# SCRIM_BIN (or a scrim binary in the target directory) enables the comparison with the CLI;
# PYTHON picks the interpreter the venvs are made from (default python3; the wheel is abi3, 3.9+).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
dist="$(realpath "${1:-$target/py-dist}")"
what="${2:-both}"
py="${PYTHON:-python3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

smoke() {
  "$1/bin/python" - <<'PY'
import scrim
r = scrim.Redactor(key="a secret of at least 16 bytes")
out = r.redact({"id": "c1", "messages": [{"role": "user",
                "content": "I'm Priya Sharma, call me on +1 206 555 0143"}]})
text = out["messages"][0]["content"]
assert "Priya" not in text and "555 0143" not in text, text
print("redacted:", text)
print("spans:", [(s.label, s.start, s.end) for s in r.detect("call +1 206 555 0143")])
PY
}

if [ "$what" != sdist ]; then
  wheel=$(ls "$dist"/scrim-*.whl)
  "$py" -m venv "$work/wheel"
  "$work/wheel/bin/python" -m pip install -q --disable-pip-version-check "$wheel" \
    "pytest>=8" "pyarrow>=14" "mypy>=1.18"
  "$work/wheel/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
    "onnxruntime==1.22.1"
  smoke "$work/wheel"
  # From outside the source tree, so that `import scrim` is the installed wheel.
  (cd "$work" && "$work/wheel/bin/python" -m pytest -q -rs -p no:cacheprovider \
    "$root/crates/scrim-py/tests")
fi

if [ "$what" != wheel ]; then
  sdist=$(ls "$dist"/scrim-*.tar.gz)
  "$py" -m venv "$work/sdist"
  # --no-binary: build from the sdist even where a wheel would do; maturin comes from PyPI as
  # the build backend, the crates from crates.io.
  time "$work/sdist/bin/python" -m pip install --disable-pip-version-check --no-cache-dir \
    --no-binary scrim "$sdist"
  smoke "$work/sdist"
fi
