#!/usr/bin/env bash
# The README's test command: set up what the tests need, run them all, clean up.
#
# - ONNX Runtime for the learned tier (tools/model/setup.sh, into .scrim/ort)
# - a private PostgreSQL cluster on a loopback port (tools/pg.sh), so that every store test
#   runs on SQLite and on PostgreSQL; stopped again when the tests end
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
cargo test --workspace "$@"
