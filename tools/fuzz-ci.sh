#!/usr/bin/env bash
# The short, repeatable fuzz run that CI makes (.ci/run): every target from its seeds with a fixed
# libFuzzer seed and a fixed number of inputs, built unoptimised without AddressSanitizer
# (tools/fuzz.sh's FUZZ_PROFILE=dev). The counts keep each target to well under a minute on a
# 2-core machine: the engine and the gateway run a few inputs a second in this build. A crash
# fails the run, with its reproducer in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_PROFILE=dev
FUZZ_RUNS=5000 tools/fuzz.sh 0 record policy_toml governance_toml media resolve
FUZZ_RUNS=300 tools/fuzz.sh 0 engine
FUZZ_RUNS=100 tools/fuzz.sh 0 gateway
