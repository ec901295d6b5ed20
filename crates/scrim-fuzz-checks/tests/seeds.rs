//! Every fuzz target's check over its committed seed corpus (`fuzz/corpus/<target>/`): what the
//! fuzzer starts from must pass, and CI checks it without a fuzzer or nightly Rust.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)]

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn run(target: &str) {
    let (_, check) = scrim_fuzz_checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap();
    let seeds = corpus(target);
    assert!(seeds.len() >= 3, "{target}: the seed corpus is missing");
    for (name, data) in seeds {
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(result.is_ok(), "{target}: seed {name} fails its check");
    }
}

#[test]
fn every_target_has_a_test_here_and_a_fuzz_target() {
    let targets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/fuzz_targets");
    for (name, _) in scrim_fuzz_checks::TARGETS {
        assert!(
            targets.join(format!("{name}.rs")).is_file(),
            "fuzz/fuzz_targets/{name}.rs"
        );
    }
}

#[test]
fn record_seeds() {
    run("record");
}

#[test]
fn policy_toml_seeds() {
    run("policy_toml");
}

#[test]
fn governance_toml_seeds() {
    run("governance_toml");
}

#[test]
fn media_seeds() {
    run("media");
}

#[test]
fn resolve_seeds() {
    run("resolve");
}

#[test]
fn engine_seeds() {
    run("engine");
}

#[test]
fn gateway_seeds() {
    run("gateway");
}
