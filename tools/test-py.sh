#!/usr/bin/env bash
# The Python binding's tests: build the wheel once with maturin (dev profile: shares the
# workspace's compiled dependencies), install it into a venv with pytest and pyarrow, and run
# crates/scrim-py/tests (docstring examples included; mypy's stubtest checks the type stubs; the
# Spark, Ray and Hugging Face `datasets` examples run for real on a few dozen rows).
# The venv lives in the target directory and is reused. `SCRIM_PY_PROFILE=release` builds an
# optimised wheel instead. tools/test.sh runs this after `cargo test`, so the CLI comparison
# finds the `scrim` binary it built.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/py-venv"
profile="${SCRIM_PY_PROFILE:-dev}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    # Debian's python3 without ensurepip: the venv module's package.
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
  "maturin>=1.9,<2" "pytest>=8" "pyarrow>=14" "mypy>=1.18"
# The engines the examples run on (examples/spark, examples/ray, examples/huggingface), pinned:
# their tests (crates/scrim-py/tests/test_examples.py) run each example for real on a few dozen
# rows. pandas stays below 3 for Spark's Arrow bridge. Spark needs Java 17 or 21 (.ci/run
# installs Debian's openjdk-17-jre-headless). SCRIM_PY_SKIP_ENGINES=1 leaves them out (their tests
# are then skipped, or fail where SCRIM_PY_REQUIRE_ENGINES=1).
if [ "${SCRIM_PY_SKIP_ENGINES:-}" != 1 ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "pyspark==4.3.0" "ray[data]==2.60.0" "datasets==5.2.0" "pandas==2.3.3"
fi
# The learned tier's runtime as `pip install scrim[model]` brings it (the library alone: the
# binding loads libonnxruntime from the package and needs none of its Python dependencies).
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "onnxruntime==1.22.1"
rm -rf "$target/wheels-py"
(cd crates/scrim-py && "$venv/bin/maturin" build --locked --profile "$profile" \
  --out "$target/wheels-py" --quiet)
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  "$target"/wheels-py/scrim-*.whl
# Run from outside the source tree, so that `import scrim` is the installed wheel.
cd "$target"
CARGO_TARGET_DIR="$target" "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  "$OLDPWD/crates/scrim-py/tests" "$@"
