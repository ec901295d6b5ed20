//! Fuzz target `gateway`: see `scrim_fuzz_checks::gateway` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: scrim_fuzz_checks::gateway::init(),
    |data: &[u8]| scrim_fuzz_checks::gateway::check(data)
);
