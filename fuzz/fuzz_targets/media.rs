//! Fuzz target `media`: see `scrim_fuzz_checks::media` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scrim_fuzz_checks::media::check(data));
