#!/usr/bin/env bash
# Run every fuzz target (fuzz/, cargo-fuzz + libFuzzer) for SECONDS each, starting from the
# committed seed corpora, and print one summary line per target.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]     # default: 60 s each, every target
#
# - installs cargo-fuzz from crates.io when it is missing (`cargo install cargo-fuzz --locked`)
# - uses the nightly toolchain when rustup has one, else stable with RUSTC_BOOTSTRAP=1
# - builds all targets once (release, debug assertions, AddressSanitizer), then runs each with
#   fuzz/corpus/<target> (the seeds, read only) and fuzz/corpus-run/<target> (what this machine
#   found, kept between runs, ignored by git); crashes, timeouts (> FUZZ_TIMEOUT s, default 30)
#   and out-of-memory inputs go to fuzz/artifacts/<target>/
# - exits 1 when any target crashed, 2 when a build or the set-up failed
#
# CI mode (.ci/run): FUZZ_RUNS=N runs each target for N inputs with -seed=1 instead of for a time,
# so a run is repeatable on any machine, and FUZZ_PROFILE=dev builds without optimisation and
# without AddressSanitizer (the project forbids unsafe code; the build takes a fraction of the time).
#
# Environment: FUZZ_TOOLCHAIN=stable (use the stable fallback even where nightly exists),
# CARGO_TARGET_DIR (where cargo fuzz builds; default fuzz/target), FUZZ_TIMEOUT (seconds per input), FUZZ_RSS_MB (default 4096), FUZZ_LOG_DIR
# (default fuzz/logs), FUZZ_ARGS (more libFuzzer flags; `-fork=1 -ignore_crashes=1` goes on
# past a crash to find others), SCRIM_FUZZ_ECHO (off | strict, see crates/scrim-fuzz-checks).
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-60}
shift || true
ALL=(record policy_toml governance_toml media resolve engine gateway)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
TIMEOUT=${FUZZ_TIMEOUT:-30}
RSS=${FUZZ_RSS_MB:-4096}
LOGS=${FUZZ_LOG_DIR:-fuzz/logs}
mkdir -p "$LOGS"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked || { echo "cargo-fuzz could not be installed" >&2; exit 2; }
fi
if [ "${FUZZ_TOOLCHAIN:-}" != stable ] && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
  echo "== toolchain: nightly ($(rustc +nightly -V))"
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
  echo "== toolchain: $(rustc -V) with RUSTC_BOOTSTRAP=1 (no nightly, or FUZZ_TOOLCHAIN=stable)"
fi

PROFILE=()
if [ "${FUZZ_PROFILE:-}" = dev ]; then PROFILE=(--dev -s none); fi
if [ -n "${FUZZ_RUNS:-}" ]; then
  LENGTH=(-runs="$FUZZ_RUNS" -seed=1)
else
  LENGTH=(-max_total_time="$SECONDS_EACH")
fi

echo "== building ${#TARGETS[@]} target(s)${PROFILE[*]:+ (${PROFILE[*]})}"
start=$(date +%s)
build() {
  if [ "$#" -eq 0 ] || [ "${#TARGETS[@]}" -eq "${#ALL[@]}" ]; then
    "${FUZZ[@]}" build "${PROFILE[@]}"
  else
    for t in "$@"; do "${FUZZ[@]}" build "${PROFILE[@]}" "$t" || return 1; done
  fi
}
if ! build "${TARGETS[@]}" >"$LOGS/build.log" 2>&1; then
  tail -30 "$LOGS/build.log" >&2
  echo "fuzz build failed (log: $LOGS/build.log)" >&2
  exit 2
fi
echo "   built in $(( $(date +%s) - start )) s"

failed=0
printf '%-16s %10s %8s %7s %7s %7s %s\n' target runs exec/s cov ft corpus result
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus-run/$t" "fuzz/artifacts/$t"
  found="fuzz/corpus-run/$t"
  # A repeatable run starts from the seeds alone, not from what earlier runs here found.
  if [ -n "${FUZZ_RUNS:-}" ]; then found=$(mktemp -d); fi
  log="$LOGS/$t.log"
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  "${FUZZ[@]}" run "${PROFILE[@]}" "$t" "$found" "fuzz/corpus/$t" -- \
    "${LENGTH[@]}" -timeout="$TIMEOUT" -rss_limit_mb="$RSS" \
    -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  after=$(ls "fuzz/artifacts/$t" | wc -l)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    failed=1
    kind=$(grep -oE 'SUMMARY: [A-Za-z]+: [a-z-]+|ERROR: libFuzzer: [a-z-]+' "$log" | head -1)
    artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | head -1 | sed 's/Test unit written to //')
    result="CRASH (${kind:-exit $rc}; $((after - before)) new artifact(s) ${artifact:-none}; log $log)"
  fi
  printf '%-16s %10s %8s %7s %7s %7s %s\n' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit "$failed"
