#!/usr/bin/env bash
# The README's test command: set up what the tests need, run them all, clean up.
#
# - ONNX Runtime for the learned tier (tools/model/setup.sh, into .scrim/ort)
# - a private PostgreSQL cluster on a loopback port (tools/pg.sh), so that every store test
#   runs on SQLite and on PostgreSQL; stopped again when the tests end
#
# Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/model/setup.sh
if [ -z "${SCRIM_TEST_PG_URL:-}" ] && [ "${SCRIM_SKIP_PG:-}" != 1 ]; then
  SCRIM_TEST_PG_URL=$(tools/pg.sh start)
  export SCRIM_TEST_PG_URL
  trap 'tools/pg.sh stop' EXIT
fi
cargo test --workspace "$@"
