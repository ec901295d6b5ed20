//! Fuzz target `policy_toml`: see `scrim_fuzz_checks::policy_toml` for the input layout and the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scrim_fuzz_checks::policy_toml::check(data));
