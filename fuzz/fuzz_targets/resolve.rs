//! Fuzz target `resolve`: see `scrim_fuzz_checks::resolve` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scrim_fuzz_checks::resolve::check(data));
