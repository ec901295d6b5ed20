#!/usr/bin/env bash
# LiteLLM's Presidio guardrail against Scrim (tools/presidio/test_litellm.py): installs the
# pinned litellm from PyPI into a venv in the target directory (once; reused), then runs the
# test with the `scrim` binary that `cargo test` built (or SCRIM_BIN). tools/test.sh runs it
# after `cargo test`; SCRIM_SKIP_LITELLM=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/litellm-venv"
bin="${SCRIM_BIN:-$target/debug/scrim}"
[ -x "$bin" ] || cargo build -q -p scrim-cli
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check "litellm==1.80.5"
SCRIM_BIN="$bin" "$venv/bin/python" tools/presidio/test_litellm.py
