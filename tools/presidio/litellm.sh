#!/usr/bin/env bash
# LiteLLM's Presidio guardrail against Scrim (tools/presidio/test_litellm.py): installs the
# pinned litellm and its dependencies from PyPI into a directory of the target directory (once;
# reused), then runs the test with the `scrim` binary that `cargo test` built (or SCRIM_BIN).
# tools/test.sh runs it after `cargo test`; SCRIM_SKIP_LITELLM=1 skips it.
#
# A fresh CI machine needs only python3 with pip and PyPI: `pip install --target` needs no venv
# module (Debian's python3 lacks ensurepip without python3-venv) and is not refused by an
# externally managed Python (PEP 668). LiteLLM's model cost map is read from the package
# (LITELLM_LOCAL_MODEL_COST_MAP), not fetched from GitHub at import.
set -euo pipefail
cd "$(dirname "$0")/../.."

version="1.80.5"
target="${CARGO_TARGET_DIR:-$PWD/target}"
site="$target/litellm-site"
bin="${SCRIM_BIN:-$target/debug/scrim}"
[ -x "$bin" ] || cargo build -q -p scrim-cli
export LITELLM_LOCAL_MODEL_COST_MAP=True
installed() {
  PYTHONPATH="$site" python3 -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('litellm') != '$version')" 2>/dev/null
}
if ! installed; then
  rm -rf "$site"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    --target "$site" "litellm==$version"
fi
PYTHONPATH="$site" SCRIM_BIN="$bin" python3 tools/presidio/test_litellm.py
