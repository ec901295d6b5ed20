//! Fuzz target `governance_toml`: see `scrim_fuzz_checks::governance_toml` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scrim_fuzz_checks::governance_toml::check(data));
