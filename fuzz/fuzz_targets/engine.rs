//! Fuzz target `engine`: see `scrim_fuzz_checks::engine` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: scrim_fuzz_checks::engine::init(),
    |data: &[u8]| scrim_fuzz_checks::engine::check(data)
);
