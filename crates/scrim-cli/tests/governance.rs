//! End-to-end tests of consent, lineage and deletion through the `scrim` binary, on every
//! store back-end (see `scrim_store::testing`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::kill_at;
use serde_json::Value;

fn scrim(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
    c.current_dir(dir)
        .env("SCRIM_MASTER_KEY_FILE", dir.join("master.key"))
        .env_remove("SCRIM_STORE")
        .env_remove("SCRIM_MASTER_KEY")
        .env_remove("SCRIM_CRASH_AT")
        .env_remove("SCRIM_PAUSE_AT");
    c
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> String {
    ok(scrim(dir).args(args).output().unwrap(), &args.join(" "))
}

/// The back-ends to test: `None` for SQLite, and PostgreSQL's server URL.
fn backends() -> Vec<Option<String>> {
    scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}"))
}

/// A fresh, empty store on a back-end: a new SQLite file in `dir`, or a new PostgreSQL database.
fn fresh_store(backend: &Option<String>, dir: &Path) -> String {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(scrim_store::testing::fresh_url(
            backend.as_deref(),
            dir,
            "store.db",
        ))
        .unwrap()
}

/// Twelve conversations of three subjects (four each), plus lines that must never leave.
fn input() -> String {
    let mut lines = Vec::new();
    let people = [
        ("alice", "Alice Moreno", "alice.moreno@example.com"),
        ("bob", "Bob Okafor", "bob.okafor@example.net"),
        ("chen", "Chen Wei", "chen.wei@example.org"),
    ];
    for i in 0..4 {
        for (subject, name, email) in people {
            lines.push(serde_json::json!({
                "id": format!("{subject}-{i}"), "subject": subject, "source": "ai_chat",
                "messages": [
                    {"role": "user", "content": format!("hi, I'm {name} 😀 — write to {email} about visit {i}")},
                    {"role": "assistant", "content": format!("Sure, {}!", name.split(' ').next().unwrap())}
                ]
            }).to_string());
        }
    }
    // A private message between people: never used.
    lines.push(r#"{"id":"dm-1","subject":"bob","source":"dm","messages":[{"role":"user","content":"PRIVATE-DM-MARKER my pin is 4417"}]}"#.to_string());
    lines.join("\n") + "\n"
}

/// `scrim redact INPUT -o OUT --store S --purpose training --shard-records 5` with more
/// arguments: it succeeds, its summary names no one, and the summary JSON comes back.
fn store_redact(dir: &Path, s: &str, input: &str, out: &str, more: &[&str]) -> Value {
    let res = scrim(dir)
        .args(["redact", input, "-o", out, "--store", s])
        .args(["--purpose", "training", "--shard-records", "5"])
        .args(["--quiet", "--summary-json"])
        .args(more)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr).into_owned();
    assert!(res.status.success(), "{s} {input} -> {out}: {err}");
    assert!(!err.contains("Alice") && !err.contains("PRIVATE"), "{err}");
    serde_json::from_str(err.lines().last().unwrap()).unwrap()
}

fn setup(dir: &Path) -> PathBuf {
    run(dir, &["keys", "new", "master.key"]);
    let p = dir.join("in.jsonl");
    std::fs::write(&p, input()).unwrap();
    p
}

fn shard_lines(ds: &Path) -> BTreeMap<u64, Vec<String>> {
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(ds.join("manifest.json")).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for s in m["shards"].as_array().unwrap() {
        let text = std::fs::read_to_string(ds.join(s["file"].as_str().unwrap())).unwrap();
        out.insert(
            s["shard"].as_u64().unwrap(),
            text.lines().map(str::to_string).collect(),
        );
    }
    out
}

fn all_lines(ds: &Path) -> Vec<String> {
    shard_lines(ds).into_values().flatten().collect()
}

fn raw_export(dir: &Path, store: &str, raw: &str) -> (Vec<String>, String) {
    let out = scrim(dir)
        .args([
            "raw",
            "export",
            raw,
            "-o",
            "exported.jsonl",
            "--store",
            store,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "raw export: {err}");
    let text = std::fs::read_to_string(dir.join("exported.jsonl")).unwrap();
    (text.lines().map(str::to_string).collect(), err)
}

#[test]
fn opt_out_forget_and_compact_remove_one_subject_everywhere() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let input_path = setup(dir);
        let store = fresh_store(&backend, dir);
        let s = store.as_str();
        // Three subjects through `scrim redact`, in shards of 5 records.
        let summary = ok(
            scrim(dir)
                .args([
                    "redact",
                    "in.jsonl",
                    "-o",
                    "out/train",
                    "--store",
                    s,
                    "--purpose",
                    "training",
                    "--shard-records",
                    "5",
                    "--retain-raw",
                    "raw",
                    "--summary-json",
                    "--quiet",
                ])
                .output()
                .unwrap(),
            "redact",
        );
        let _ = summary;
        let ds = dir.join("out/train");
        let before = shard_lines(&ds);
        assert_eq!(before.len(), 3, "{s}: 12 records in shards of 5");
        let lines_before: Vec<String> = before.values().flatten().cloned().collect();
        assert_eq!(lines_before.len(), 12, "{s}: the DM is not admitted");
        assert!(!lines_before.iter().any(|l| l.contains("PRIVATE-DM-MARKER")));
        for raw in [
            "Alice Moreno",
            "alice.moreno@example.com",
            "\"subject\":\"alice\"",
        ] {
            assert!(
                !lines_before.iter().any(|l| l.contains(raw)),
                "{s}: {raw} leaked"
            );
        }
        // Which subject lineage id is alice's: her conversations have ids alice-*.
        let alice_lines: BTreeSet<String> = lines_before
            .iter()
            .filter(|l| l.contains("\"id\":\"alice-"))
            .cloned()
            .collect();
        assert_eq!(alice_lines.len(), 4);
        // A backup of the raw archive, taken before anything is forgotten.
        let (raw_before, _) = raw_export(dir, s, "raw");
        assert_eq!(raw_before.len(), 12, "{s}");
        copy_dir(&dir.join("raw"), &dir.join("raw-backup"));

        // Alice opts out: future runs leave her out.
        let t: Value =
            serde_json::from_str(&run(dir, &["optout", "alice", "--store", s, "--json"])).unwrap();
        assert_eq!(t["kind"], "optout");
        let held: BTreeSet<u64> = t["holdings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["shard"].as_u64().unwrap())
            .collect();
        let out = scrim(dir)
            .args([
                "redact",
                "in.jsonl",
                "-o",
                "out/train2",
                "--store",
                s,
                "--purpose",
                "training",
                "--summary-json",
                "--quiet",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let sum: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
        assert_eq!(sum["excluded"]["opted_out"], 4, "{s}: {sum}");
        assert_eq!(sum["excluded"]["source_forbids_purpose"], 1, "{s}: {sum}");
        assert!(!all_lines(&dir.join("out/train2"))
            .iter()
            .any(|l| l.contains("\"id\":\"alice-")));

        // Forget: lists every dataset and shard that holds her.
        let f: Value =
            serde_json::from_str(&run(dir, &["forget", "alice", "--store", s, "--json"])).unwrap();
        assert_eq!(f["key_destroyed"], true, "{s}");
        let listed: BTreeSet<(String, u64)> = f["holdings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["dataset"].as_str().unwrap().to_string(),
                    h["shard"].as_u64().unwrap(),
                )
            })
            .collect();
        let expected: BTreeSet<(String, u64)> =
            held.iter().map(|h| ("train".to_string(), *h)).collect();
        assert_eq!(listed, expected, "{s}");
        let pending: Value =
            serde_json::from_str(&run(dir, &["datasets", "--store", s, "--json"])).unwrap();
        assert!(pending
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == "train" && d["pending"].as_i64().unwrap() > 0));

        // Compact every dataset with pending tombstones.
        let receipts: Value =
            serde_json::from_str(&run(dir, &["compact", "--all", "--store", s, "--json"])).unwrap();
        let receipts = receipts.as_array().unwrap();
        assert_eq!(receipts.len(), 1, "{s}: only `train` held her");
        let touched: BTreeSet<u64> = receipts[0]["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["shard"].as_u64().unwrap())
            .collect();
        assert_eq!(touched, held, "{s}: the receipt lists every shard touched");
        assert_eq!(receipts[0]["records_removed"], 4);
        assert!(
            !receipts[0].to_string().contains("alice"),
            "{s}: receipts hold no subject id or content"
        );

        // No record of her in any shard; everyone else's lines byte-identical, in order.
        let after = shard_lines(&ds);
        for (shard, lines) in &before {
            let kept: Vec<String> = lines
                .iter()
                .filter(|l| !alice_lines.contains(*l))
                .cloned()
                .collect();
            assert_eq!(after.get(shard), Some(&kept), "{s}: shard {shard}");
        }
        let files: Vec<String> = std::fs::read_dir(&ds)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for f in &files {
            if f.ends_with(".jsonl") {
                let text = std::fs::read_to_string(ds.join(f)).unwrap();
                assert!(
                    !text.contains("\"id\":\"alice-"),
                    "{s}: {f} still holds her"
                );
            }
        }
        // Her retained raw records no longer decrypt, in the archive and in its backup.
        for raw in ["raw", "raw-backup"] {
            let (lines, err) = raw_export(dir, s, raw);
            assert_eq!(lines.len(), 8, "{s}: {raw}: {err}");
            assert!(err.contains("4 shredded"), "{s}: {raw}: {err}");
            assert!(!lines.iter().any(|l| l.contains("alice")));
            let input = std::fs::read_to_string(&input_path).unwrap();
            assert!(
                lines.iter().all(|l| input.lines().any(|i| i == l)),
                "{s}: others decrypt byte-identical"
            );
        }
        // Nothing pending; a second compaction has nothing to do.
        let again = run(dir, &["compact", "train", "--store", s]);
        assert!(again.contains("nothing pending"), "{s}: {again}");
        let h = run(dir, &["consent", "history", "alice", "--store", s]);
        assert!(
            h.contains("(opt-out)") && h.contains("(forget)"),
            "{s}: {h}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn a_private_message_never_leaves_under_the_default_policy() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        // Even with the subject's explicit yes to every purpose.
        for p in ["training", "human_review", "personalization", "ads", "*"] {
            run(dir, &["consent", "set", "bob", p, "grant", "--store", &s]);
        }
        let mut outputs = Vec::new();
        for (i, p) in ["training", "human_review", "personalization", "ads"]
            .iter()
            .enumerate()
        {
            let out = format!("out/{i}");
            run(
                dir,
                &[
                    "redact",
                    "in.jsonl",
                    "-o",
                    &out,
                    "--store",
                    &s,
                    "--purpose",
                    p,
                    "--quiet",
                ],
            );
            outputs.push(dir.join(out));
        }
        // And without a store.
        run(dir, &["redact", "in.jsonl", "-o", "plain.jsonl", "--quiet"]);
        let mut texts: Vec<String> = outputs.iter().map(|d| all_lines(d).join("\n")).collect();
        texts.push(std::fs::read_to_string(dir.join("plain.jsonl")).unwrap());
        for t in &texts {
            assert!(
                !t.contains("PRIVATE-DM-MARKER") && !t.contains("dm-1"),
                "{s}"
            );
        }
        // Ads: no source allows it, so nothing at all.
        assert!(all_lines(&outputs[3]).is_empty(), "{s}");
        assert_eq!(all_lines(&outputs[0]).len(), 12, "{s}");
    }
}

#[test]
fn killing_compaction_at_any_point_loses_nothing_and_mixes_nothing() {
    let points = [
        "compact:before_shard",
        "compact:after_shard",
        "compact:before_manifest",
        "compact:after_manifest",
        "compact:before_db",
    ];
    for backend in backends() {
        for point in points {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            setup(dir);
            let s = fresh_store(&backend, dir);
            run(
                dir,
                &[
                    "redact",
                    "in.jsonl",
                    "-o",
                    "ds",
                    "--store",
                    &s,
                    "--purpose",
                    "training",
                    "--shard-records",
                    "5",
                    "--quiet",
                ],
            );
            let ds = dir.join("ds");
            let before = shard_lines(&ds);
            run(dir, &["forget", "bob", "--store", &s]);
            let out = scrim(dir)
                .args(["compact", "ds", "--store", &s])
                .env("SCRIM_CRASH_AT", point)
                .output()
                .unwrap();
            assert!(
                !out.status.success(),
                "{s} {point}: the crash hook did not fire"
            );
            // Every shard is either wholly old or wholly new.
            let mid = shard_lines(&ds);
            for (shard, lines) in &before {
                let new: Vec<String> = lines
                    .iter()
                    .filter(|l| !l.contains("\"id\":\"bob-"))
                    .cloned()
                    .collect();
                let now = mid
                    .get(shard)
                    .unwrap_or_else(|| panic!("{s} {point}: shard {shard} lost"));
                assert!(
                    now == lines || *now == new,
                    "{s} {point}: shard {shard} is a mix"
                );
            }
            // Running it again finishes the job, and its receipt counts what the interrupted
            // run removed too.
            let receipts: Value =
                serde_json::from_str(&run(dir, &["compact", "ds", "--store", &s, "--json"]))
                    .unwrap();
            assert_eq!(receipts[0]["records_removed"], 4, "{s} {point}");
            let after = all_lines(&ds);
            let expected: Vec<String> = before
                .values()
                .flatten()
                .filter(|l| !l.contains("\"id\":\"bob-"))
                .cloned()
                .collect();
            assert_eq!(after, expected, "{s} {point}");
            let d: Value =
                serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
            assert_eq!(d[0]["pending"], 0, "{s} {point}");
            assert_eq!(d[0]["records"], 8, "{s} {point}");
            // Only the files the manifest names are left.
            let names: BTreeSet<String> = std::fs::read_dir(&ds)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            let m: Value =
                serde_json::from_str(&std::fs::read_to_string(ds.join("manifest.json")).unwrap())
                    .unwrap();
            let mut named: BTreeSet<String> = m["shards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["file"].as_str().unwrap().to_string())
                .collect();
            named.insert("manifest.json".to_string());
            assert_eq!(names, named, "{s} {point}");
        }
    }
}

#[test]
fn master_key_rotation_keeps_everything_readable() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        run(
            dir,
            &[
                "redact",
                "in.jsonl",
                "-o",
                "ds1",
                "--store",
                &s,
                "--purpose",
                "training",
                "--retain-raw",
                "raw",
                "--quiet",
            ],
        );
        let old_ring = std::fs::read_to_string(dir.join("master.key")).unwrap();
        run(dir, &["keys", "add-primary", "master.key"]);
        // While the keyring holds both, runs work before and after the re-wrap.
        let (lines, _) = raw_export(dir, &s, "raw");
        assert_eq!(lines.len(), 12);
        let status: Value =
            serde_json::from_str(&run(dir, &["keys", "rotate", "--store", &s, "--json"])).unwrap();
        assert_eq!(
            status["rewrapped"], 5,
            "{s}: 3 subject keys and 2 store keys: {status}"
        );
        // Drop the old key: everything still opens with the new one alone.
        let ring = std::fs::read_to_string(dir.join("master.key")).unwrap();
        let first_key = ring
            .lines()
            .find(|l| !l.starts_with('#'))
            .unwrap()
            .to_string();
        std::fs::write(dir.join("master.key"), format!("{first_key}\n")).unwrap();
        let (lines, _) = raw_export(dir, &s, "raw");
        assert_eq!(lines.len(), 12, "{s}");
        run(
            dir,
            &[
                "redact",
                "in.jsonl",
                "-o",
                "ds2",
                "--store",
                &s,
                "--purpose",
                "training",
                "--quiet",
            ],
        );
        // Lineage ids did not change with the master key.
        let a = all_lines(&dir.join("ds1"));
        let b = all_lines(&dir.join("ds2"));
        assert_eq!(a.len(), b.len());
        // The old keyring alone can no longer open the store's keys.
        std::fs::write(dir.join("old.key"), old_ring).unwrap();
        let out = scrim(dir)
            .env("SCRIM_MASTER_KEY_FILE", dir.join("old.key"))
            .args(["raw", "export", "raw", "-o", "x.jsonl", "--store", &s])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{s}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("master key"), "{s}: {err}");
    }
}

fn summary_of(dir: &Path, args: &[&str]) -> Value {
    let out = scrim(dir)
        .args(args)
        .args(["--summary-json", "--quiet"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{}: {err}", args.join(" "));
    serde_json::from_str(err.lines().last().unwrap()).unwrap()
}

#[test]
fn employee_telemetry_needs_a_yes_to_the_very_purpose() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        run(dir, &["keys", "new", "master.key"]);
        std::fs::write(
            dir.join("tel.jsonl"),
            r#"{"id":"t1","subject":"emp-7","source":"employee_telemetry","text":"typed: quarterly numbers draft"}
{"id":"t2","subject":"emp-8","source":"employee_telemetry","text":"typed: lunch order"}
"#,
        )
        .unwrap();
        let s = fresh_store(&backend, dir);
        let redact = |out: &str, purpose: &str| {
            summary_of(
                dir,
                &[
                    "redact",
                    "tel.jsonl",
                    "-o",
                    out,
                    "--store",
                    &s,
                    "--purpose",
                    purpose,
                ],
            )
        };
        let sum = redact("o1", "training");
        assert_eq!(sum["written"], 0, "{s}: {sum}");
        assert_eq!(sum["excluded"]["no_opt_in"], 2, "{s}: {sum}");
        run(
            dir,
            &[
                "consent", "set", "emp-7", "training", "grant", "--store", &s,
            ],
        );
        // A yes to everything names no purpose.
        run(
            dir,
            &["consent", "set", "emp-7", "*", "grant", "--store", &s],
        );
        let sum = redact("o2", "training");
        assert_eq!(sum["written"], 1, "{s}: {sum}");
        let sum = redact("o3", "human_review");
        assert_eq!(sum["written"], 0, "{s}: {sum}");
        // Withdrawing everything closes training again.
        run(dir, &["optout", "emp-7", "--store", &s]);
        let sum = redact("o4", "training");
        assert_eq!(sum["written"], 0, "{s}: {sum}");
        assert_eq!(sum["excluded"]["opted_out"], 1, "{s}: {sum}");
        // Errors name the subject and purpose, never content.
        let out = scrim(dir)
            .args([
                "consent",
                "set",
                "emp-7",
                "astrology",
                "grant",
                "--store",
                &s,
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("astrology"), "{err}");
    }
}

#[test]
fn one_compaction_per_dataset_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    setup(dir);
    let s = fresh_store(&None, dir);
    run(
        dir,
        &[
            "redact",
            "in.jsonl",
            "-o",
            "ds",
            "--store",
            &s,
            "--purpose",
            "training",
            "--quiet",
        ],
    );
    run(dir, &["forget", "chen", "--store", &s]);
    let held = std::fs::File::open(dir.join("ds")).unwrap();
    held.lock().unwrap();
    let out = scrim(dir)
        .args(["compact", "ds", "--store", &s])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("another compaction"),
        "{err}"
    );
    held.unlock().unwrap();
    run(dir, &["compact", "ds", "--store", &s]);
    assert_eq!(all_lines(&dir.join("ds")).len(), 8);
}

#[test]
fn a_killed_store_run_leaves_nothing_forget_cannot_reach() {
    let points = [
        "redact:before_register",
        "redact:before_manifest",
        "redact:after_manifest",
    ];
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        let redact = |name: &str| {
            let mut c = scrim(dir);
            c.args([
                "redact",
                "in.jsonl",
                "-o",
                name,
                "--store",
                &s,
                "--purpose",
                "training",
                "--shard-records",
                "5",
                "--quiet",
            ]);
            c
        };
        for (i, point) in points.iter().enumerate() {
            let name = format!("ds{i}");
            let out = redact(&name).env("SCRIM_CRASH_AT", point).output().unwrap();
            assert!(
                !out.status.success(),
                "{s} {point}: the crash hook did not fire"
            );
            let listed: Value =
                serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
            let state = listed
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["name"] == name.as_str())
                .map(|d| d["state"].clone());
            let expected = if *point == "redact:before_register" {
                None
            } else {
                Some(Value::from("pending"))
            };
            assert_eq!(state, expected, "{s} {point}: state before recovery");
        }
        run(dir, &["datasets", "recover", "--all", "--store", &s]);
        // The directory of the run killed before registering is the store's to clean only when
        // named.
        run(dir, &["datasets", "recover", "ds0", "--store", &s]);
        let listed: Value =
            serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
        let listed: BTreeMap<String, String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    d["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        // Every committed dataset is registered and ready; the others left nothing behind.
        for i in 0..points.len() {
            let name = format!("ds{i}");
            let committed = dir.join(&name).join("manifest.json").exists();
            assert_eq!(committed, i == 2, "{s} ds{i} committed");
            if committed {
                assert_eq!(listed.get(&name).map(String::as_str), Some("ready"), "{s}");
            } else {
                assert!(!listed.contains_key(&name), "{s} {name} still registered");
                assert!(!dir.join(&name).exists(), "{s} {name} left files");
                // And the name and directory can be used again.
                ok(redact(&name).output().unwrap(), "redact again");
            }
        }
        run(dir, &["forget", "bob", "--store", &s]);
        run(dir, &["compact", "--all", "--store", &s]);
        for i in 0..points.len() {
            let lines = all_lines(&dir.join(format!("ds{i}")));
            assert_eq!(lines.len(), 8, "{s} ds{i}");
            assert!(
                lines.iter().all(|l| !l.contains("\"id\":\"bob-")),
                "{s} ds{i} still holds the forgotten subject"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn the_store_datasets_and_raw_archive_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    setup(dir);
    run(
        dir,
        &[
            "redact",
            "in.jsonl",
            "-o",
            "ds",
            "--store",
            "store.db",
            "--purpose",
            "training",
            "--retain-raw",
            "raw",
            "--quiet",
        ],
    );
    let mut files = vec![dir.join("store.db")];
    for sub in ["ds", "raw"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    for f in ["store.db-wal", "store.db-shm"] {
        if dir.join(f).exists() {
            files.push(dir.join(f));
        }
    }
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", f.display());
    }
}

/// Review tasks in the gateway's tables of the store at `url`, for subjects by name: returns
/// the task ids per subject (project `p_rev`, purpose human_review).
async fn plant_review_tasks(dir: &Path, url: &str, subjects: &[(&str, usize)]) -> Vec<String> {
    let store = scrim_store::Store::open(url).await.unwrap();
    let ring = scrim_store::Keyring::parse(
        &std::fs::read_to_string(dir.join("master.key")).unwrap(),
        "master.key",
    )
    .unwrap();
    let lineage = store.lineage(&ring).await.unwrap();
    let pool = store.pool().clone();
    sqlx::query(
        "INSERT INTO projects (id, name, purpose, spec, created_at) VALUES ('p_rev', 'Review', 'human_review', '{}', 'now') \
         ON CONFLICT (id) DO NOTHING",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut ids = Vec::new();
    let mut seq = 0i64;
    for (subject, n) in subjects {
        for i in 0..*n {
            seq += 1;
            let id = format!("t_{subject}_{i}");
            sqlx::query(
                "INSERT INTO tasks (id, project_id, seq, conversation_lid, subject_lid, view, facts, categories, status, created_at) \
                 VALUES ($1, 'p_rev', $2, $3, $4, '{}', '{\"city\":\"Boise\"}', '[]', 'done', 'now')",
            )
            .bind(&id)
            .bind(seq)
            .bind(format!("r_{id}"))
            .bind(lineage.subject(subject))
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO ratings (task_id, user_id, rating, at) VALUES ($1, 'u', '1', 'now')",
            )
            .bind(&id)
            .execute(&pool)
            .await
            .unwrap();
            ids.push(id);
        }
    }
    store.close().await;
    ids
}

async fn count(url: &str, sql: &str, subject_task_prefix: &str) -> i64 {
    let store = scrim_store::Store::open(url).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql)
        .bind(format!("t_{subject_task_prefix}_%"))
        .fetch_one(store.pool())
        .await
        .unwrap();
    store.close().await;
    n
}

#[test]
fn forget_and_optout_reach_review_tasks_and_say_so() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        // The gateway saw these subjects; no store-backed run did.
        rt.block_on(plant_review_tasks(
            dir,
            &s,
            &[("dora", 1), ("alice", 2), ("erin", 1)],
        ));
        let tasks_of = |who: &str| {
            rt.block_on(count(
                &s,
                "SELECT COUNT(*) FROM tasks WHERE id LIKE $1",
                who,
            ))
        };
        // Opt-out: the tasks are reported (and withheld by the gateway), not deleted.
        let t: Value =
            serde_json::from_str(&run(dir, &["optout", "dora", "--store", &s, "--json"])).unwrap();
        assert_eq!(t["subject_linked"], true, "{s}: {t}");
        assert_eq!(t["review_tasks"][0]["tasks"], 1, "{s}: {t}");
        assert_eq!(t["review_tasks"][0]["project"], "p_rev", "{s}: {t}");
        assert_eq!(t["review_tasks_deleted"], false, "{s}: {t}");
        assert_eq!(tasks_of("dora"), 1, "{s}");
        // Forget: deleted with their ratings, and said so.
        let out = run(dir, &["forget", "alice", "--store", &s]);
        assert!(
            out.contains("review gateway: 2 task(s) deleted"),
            "{s}: {out}"
        );
        assert!(
            out.contains("project Review (p_rev, human_review): 2 task(s)"),
            "{s}: {out}"
        );
        assert_eq!(tasks_of("alice"), 0, "{s}");
        let ratings = rt.block_on(count(
            &s,
            "SELECT COUNT(*) FROM ratings WHERE task_id LIKE $1",
            "alice",
        ));
        assert_eq!(ratings, 0, "{s}");
        assert_eq!(tasks_of("erin"), 1, "{s}: others untouched");
        // Without the keyring the subject cannot be linked here: said, not hidden.
        let out = ok(
            scrim(dir)
                .env_remove("SCRIM_MASTER_KEY_FILE")
                .args(["forget", "erin", "--store", &s])
                .output()
                .unwrap(),
            "forget erin",
        );
        assert!(
            out.contains("cannot link the subject") && out.contains("deletes them"),
            "{s}: {out}"
        );
    }
}

/// An engine's output (Parquet files with the lineage columns of `scrim.Store.admit`): three
/// files of four rows, subjects alice, bob and chen; returns the rows as (id, subject) pairs.
fn write_engine_dataset(dir: &Path, store: &str, ds: &Path) -> Vec<(String, String)> {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text = std::fs::read_to_string(dir.join("master.key")).unwrap();
    let ring = scrim_store::Keyring::parse(&text, "master.key").unwrap();
    let st = rt.block_on(scrim_store::Store::open(store)).unwrap();
    let lineage = rt.block_on(st.lineage(&ring)).unwrap();
    let people = ["alice", "bob", "chen"];
    let pairs: Vec<(String, String)> = people
        .iter()
        .map(|p| ((*p).to_string(), lineage.subject(p)))
        .collect();
    // What `Store.admit` does for the rows it admits.
    rt.block_on(st.remember_subjects(&pairs)).unwrap();
    rt.block_on(st.close());
    std::fs::create_dir_all(ds).unwrap();
    let mut rows = Vec::new();
    for part in 0..3 {
        let ids: Vec<String> = (0..4).map(|i| format!("r{part}-{i}")).collect();
        let who: Vec<&str> = (0..4).map(|i| people[(part + i) % 3]).collect();
        let batch = RecordBatch::try_from_iter([
            ("id", Arc::new(StringArray::from(ids.clone())) as ArrayRef),
            (
                "text",
                Arc::new(StringArray::from(
                    ids.iter()
                        .map(|i| format!("[PERSON_1] wrote {i}"))
                        .collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            (
                "scrim_subject",
                Arc::new(StringArray::from(
                    who.iter().map(|w| lineage.subject(w)).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            (
                "scrim_record",
                Arc::new(StringArray::from(
                    ids.iter().map(|i| lineage.record(i)).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
        ])
        .unwrap();
        let f =
            std::fs::File::create(ds.join(format!("part-{part:05}-abc.snappy.parquet"))).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        rows.extend(ids.into_iter().zip(who.iter().map(|w| (*w).to_string())));
    }
    std::fs::write(ds.join("_SUCCESS"), "").unwrap();
    rows
}

/// The ids of a Parquet dataset's rows, through its manifest, shard by shard.
fn parquet_ids(ds: &Path) -> BTreeMap<u64, Vec<String>> {
    use arrow_array::cast::AsArray;
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(ds.join("_scrim_manifest.json")).unwrap())
            .unwrap();
    let mut out = BTreeMap::new();
    for s in m["shards"].as_array().unwrap() {
        let f = std::fs::File::open(ds.join(s["file"].as_str().unwrap())).unwrap();
        let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap();
        let mut ids = Vec::new();
        for b in r {
            let b = b.unwrap();
            let col = b.column_by_name("id").unwrap().as_string::<i32>();
            ids.extend(col.iter().map(|v| v.unwrap().to_string()));
        }
        out.insert(s["shard"].as_u64().unwrap(), ids);
    }
    out
}

#[test]
fn an_engine_dataset_registered_is_forgotten_and_compacted_even_when_killed() {
    let points = [
        "compact:before_shard",
        "compact:after_shard",
        "compact:before_manifest",
        "compact:after_manifest",
        "compact:before_db",
    ];
    for backend in backends() {
        // A kill between the manifest and the registration: `recover` registers it.
        {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            setup(dir);
            let s = fresh_store(&backend, dir);
            let ds = dir.join("engine");
            write_engine_dataset(dir, &s, &ds);
            let out = scrim(dir)
                .args([
                    "datasets",
                    "register",
                    "engine",
                    "--purpose",
                    "training",
                    "--store",
                    &s,
                ])
                .env("SCRIM_CRASH_AT", "register:after_manifest")
                .output()
                .unwrap();
            assert!(!out.status.success(), "{s}: the crash hook did not fire");
            run(dir, &["datasets", "recover", "engine", "--store", &s]);
            let d: Value =
                serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
            assert_eq!(d[0]["records"], 12, "{s}");
            let t: Value =
                serde_json::from_str(&run(dir, &["forget", "bob", "--store", &s, "--json"]))
                    .unwrap();
            assert_eq!(t["holdings"].as_array().unwrap().len(), 3, "{s}");
        }
        for point in points {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            setup(dir);
            let s = fresh_store(&backend, dir);
            let ds = dir.join("engine");
            let rows = write_engine_dataset(dir, &s, &ds);
            // chen said no before the dataset was registered: registration applies it.
            run(dir, &["forget", "chen", "--store", &s]);
            let reg: Value = serde_json::from_str(&run(
                dir,
                &[
                    "datasets",
                    "register",
                    "engine",
                    "--purpose",
                    "training",
                    "--store",
                    &s,
                    "--json",
                ],
            ))
            .unwrap();
            assert_eq!(reg["shards"], 3, "{s}");
            assert_eq!(reg["records"], 12, "{s}");
            assert_eq!(reg["pending_from_earlier_tombstones"], 3, "{s}");
            let before = parquet_ids(&ds);
            run(dir, &["forget", "bob", "--store", &s]);
            let gone = |id: &String| {
                rows.iter()
                    .any(|(i, w)| i == id && (w == "bob" || w == "chen"))
            };
            let out = scrim(dir)
                .args(["compact", "engine", "--store", &s])
                .env("SCRIM_CRASH_AT", point)
                .output()
                .unwrap();
            assert!(
                !out.status.success(),
                "{s} {point}: the crash hook did not fire"
            );
            let mid = parquet_ids(&ds);
            for (shard, ids) in &before {
                let new: Vec<String> = ids.iter().filter(|i| !gone(i)).cloned().collect();
                let now = mid
                    .get(shard)
                    .unwrap_or_else(|| panic!("{s} {point}: shard {shard} lost"));
                assert!(
                    now == ids || *now == new,
                    "{s} {point}: shard {shard} is a mix"
                );
            }
            let receipts: Value =
                serde_json::from_str(&run(dir, &["compact", "engine", "--store", &s, "--json"]))
                    .unwrap();
            assert_eq!(receipts[0]["records_removed"], 8, "{s} {point}");
            let after: Vec<String> = parquet_ids(&ds).into_values().flatten().collect();
            let expected: Vec<String> = before
                .values()
                .flatten()
                .filter(|i| !gone(i))
                .cloned()
                .collect();
            assert_eq!(after, expected, "{s} {point}");
            // Only the manifest's files (and the engine's own mark) are left: the engine's
            // original files that held them are gone.
            let names: BTreeSet<String> = std::fs::read_dir(&ds)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            let m: Value = serde_json::from_str(
                &std::fs::read_to_string(ds.join("_scrim_manifest.json")).unwrap(),
            )
            .unwrap();
            let mut named: BTreeSet<String> = m["shards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["file"].as_str().unwrap().to_string())
                .collect();
            named.insert("_scrim_manifest.json".to_string());
            named.insert("_SUCCESS".to_string());
            assert_eq!(names, named, "{s} {point}");
        }
    }
}

/// `text` (JSONL) as record batches of five rows each, with the column types arrow infers for
/// it.
fn jsonl_batches(text: &str) -> (arrow_schema::SchemaRef, Vec<arrow_array::RecordBatch>) {
    use std::io::{BufReader, Cursor};
    use std::sync::Arc;
    let (schema, _) =
        arrow_json::reader::infer_json_schema(BufReader::new(Cursor::new(text)), None).unwrap();
    let schema = Arc::new(schema);
    let batches = arrow_json::ReaderBuilder::new(Arc::clone(&schema))
        .with_batch_size(5)
        .build(Cursor::new(text))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (schema, batches)
}

/// `text` (JSONL) as a Parquet file at `path`, with the column types arrow infers for it, in
/// row groups of five rows.
fn jsonl_to_parquet(text: &str, path: &Path) {
    let (schema, batches) = jsonl_batches(text);
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(5))
        .build();
    let f = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, schema, Some(props)).unwrap();
    for b in &batches {
        w.write(b).unwrap();
    }
    w.close().unwrap();
}

/// `text` (JSONL) as an Arrow IPC file at `path` (or, with `stream`, an IPC stream), with the
/// column types arrow infers for it, in record batches of five rows.
fn jsonl_to_arrow(text: &str, path: &Path, stream: bool) {
    let (schema, batches) = jsonl_batches(text);
    let f = std::fs::File::create(path).unwrap();
    if stream {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(f, &schema).unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
    } else {
        let mut w = arrow_ipc::writer::FileWriter::try_new(f, &schema).unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
    }
}

/// The rows of a dataset of Parquet shards, through its manifest, shard by shard, each as a
/// JSON object (null columns left out). The lineage columns are checked against the manifest
/// and left out; `scrim` is parsed, so that a row reads as the JSONL line it stands for.
fn parquet_rows(ds: &Path) -> BTreeMap<u64, Vec<Value>> {
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(ds.join("_scrim_manifest.json")).unwrap())
            .unwrap();
    assert!(!ds.join("manifest.json").exists());
    let mut out = BTreeMap::new();
    for s in m["shards"].as_array().unwrap() {
        let f = std::fs::File::open(ds.join(s["file"].as_str().unwrap())).unwrap();
        let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap();
        let mut buf = Vec::new();
        {
            let mut w = arrow_json::LineDelimitedWriter::new(&mut buf);
            for b in r {
                w.write(&b.unwrap()).unwrap();
            }
            w.finish().unwrap();
        }
        let lineage = s["lines"].as_array().unwrap();
        let mut rows = Vec::new();
        for (line, entry) in String::from_utf8(buf).unwrap().lines().zip(lineage) {
            let mut row: Value = serde_json::from_str(line).unwrap();
            let o = row.as_object_mut().unwrap();
            assert_eq!(o.remove("scrim_record").as_ref(), entry.get("record"));
            assert_eq!(o.remove("scrim_subject").as_ref(), entry.get("subject"));
            assert!(o.get("quarantine").is_none(), "{o:?}");
            let scrim = o.remove("scrim").unwrap();
            o.insert(
                "scrim".into(),
                serde_json::from_str(scrim.as_str().unwrap()).unwrap(),
            );
            rows.push(row);
        }
        assert_eq!(rows.len(), lineage.len(), "{}", s["file"]);
        out.insert(s["shard"].as_u64().unwrap(), rows);
    }
    out
}

/// The governance input with a malformed row (no messages, no text) at the end.
fn input_with_bad_row() -> String {
    input() + "{\"id\":\"bad-1\",\"subject\":\"chen\",\"source\":\"ai_chat\"}\n"
}

/// `scrim redact in.parquet --store`: a dataset of Parquet shards holding, row for row, what
/// the JSONL dataset of the same records holds (same counts, same quarantine, the DM
/// excluded); forget and compact rewrite its shards without the subject, every other row
/// unchanged; an opted-out subject is left out of the next run. `--output-format` chooses.
#[test]
fn a_parquet_store_run_matches_the_jsonl_dataset_and_compacts() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        std::fs::write(dir.join("in2.jsonl"), input_with_bad_row()).unwrap();
        jsonl_to_parquet(&input_with_bad_row(), &dir.join("in.parquet"));
        let redact =
            |input: &str, out: &str, more: &[&str]| store_redact(dir, &s, input, out, more);
        let js = redact("in2.jsonl", "dsj", &[]);
        let pq = redact("in.parquet", "dsp", &[]);
        for k in ["records", "written", "withheld", "excluded", "quarantined"] {
            assert_eq!(js[k], pq[k], "{s} {k}: {js} {pq}");
        }
        assert_eq!(pq["written"], 12, "{s} {pq}");
        assert_eq!(pq["quarantined"]["no_messages_or_text"], 1, "{s} {pq}");
        assert_eq!(pq["dataset"]["shards"], 3, "{s} {pq}");
        // Row for row what the JSONL dataset holds, in the same shards.
        let jsonl: BTreeMap<u64, Vec<Value>> = shard_lines(&dir.join("dsj"))
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    v.iter().map(|l| serde_json::from_str(l).unwrap()).collect(),
                )
            })
            .collect();
        let before = parquet_rows(&dir.join("dsp"));
        assert_eq!(before, jsonl, "{s}");
        let text = serde_json::to_string(&before).unwrap();
        assert!(
            !text.contains("PRIVATE") && !text.contains("alice.moreno"),
            "{s}"
        );
        // The malformed row is quarantined with its reason (by row), never dropped.
        let q = std::fs::read_to_string(dir.join("dsp.quarantine.jsonl")).unwrap();
        let q: Vec<Value> = q
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(q.len(), 1, "{s}");
        assert_eq!(q[0]["row"], 14, "{s}");
        assert_eq!(q[0]["code"], "no_messages_or_text", "{s}");
        // A JSONL input makes Parquet shards when asked; a table input JSONL ones.
        redact("in2.jsonl", "dsjp", &["--output-format", "parquet"]);
        assert_eq!(parquet_rows(&dir.join("dsjp")), jsonl, "{s}");
        redact("in.parquet", "dspj", &["--output-format", "jsonl"]);
        assert_eq!(
            shard_lines(&dir.join("dspj")),
            shard_lines(&dir.join("dsj")),
            "{s}"
        );
        let res = scrim(dir)
            .args(["redact", "in.parquet", "-o", "dsa", "--store", &s])
            .args(["--purpose", "training", "--output-format", "arrow"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(
            !res.status.success() && err.contains("JSONL or Parquet"),
            "{s}: {err}"
        );
        assert!(!dir.join("dsa").exists(), "{s}");

        // Forget bob: the shards that hold him are rewritten without his rows.
        let bob: Vec<String> = (0..4).map(|i| format!("bob-{i}")).collect();
        let is_bob = |r: &Value| bob.iter().any(|b| r["id"] == b.as_str());
        run(dir, &["forget", "bob", "--store", &s]);
        run(dir, &["compact", "--all", "--store", &s]);
        let after = parquet_rows(&dir.join("dsp"));
        let expected: BTreeMap<u64, Vec<Value>> = before
            .iter()
            .map(|(k, v)| (*k, v.iter().filter(|r| !is_bob(r)).cloned().collect()))
            .collect();
        assert_eq!(after, expected, "{s}");
        assert_eq!(after.values().flatten().count(), 8, "{s}");
        let names: BTreeSet<String> = std::fs::read_dir(dir.join("dsp"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let m: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("dsp").join("_scrim_manifest.json")).unwrap(),
        )
        .unwrap();
        let mut named: BTreeSet<String> = m["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["file"].as_str().unwrap().to_string())
            .collect();
        named.insert("_scrim_manifest.json".to_string());
        assert_eq!(names, named, "{s}: only the manifest's files are left");
        assert!(named.contains("shard-00000.g1.parquet"), "{s} {named:?}");

        // An opted-out subject is left out of the next run, as with JSONL.
        run(dir, &["optout", "alice", "--store", &s]);
        let next = redact("in.parquet", "dsp2", &[]);
        assert_eq!(next["written"], 4, "{s} {next}");
        let rows: Vec<Value> = parquet_rows(&dir.join("dsp2"))
            .into_values()
            .flatten()
            .collect();
        assert!(
            rows.iter()
                .all(|r| r["id"].as_str().unwrap().starts_with("chen-")),
            "{s}"
        );
    }
}

/// `scrim redact in.arrow --store`: an Arrow IPC input, file or stream (whichever the file
/// is, whatever its extension says), goes the Parquet input's way: a dataset of Parquet
/// shards holding, row for row and shard for shard, what the Parquet and the JSONL datasets of
/// the same records hold under the same store's key (redacted contents, `scrim` fields,
/// lineage ids), with the same summary and the same quarantine; `--output-format jsonl` makes
/// the JSONL dataset's very lines; Arrow IPC shards are refused.
#[test]
fn an_arrow_ipc_store_run_matches_the_parquet_and_jsonl_datasets() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        std::fs::write(dir.join("in2.jsonl"), input_with_bad_row()).unwrap();
        jsonl_to_parquet(&input_with_bad_row(), &dir.join("in.parquet"));
        jsonl_to_arrow(&input_with_bad_row(), &dir.join("in.arrow"), false);
        jsonl_to_arrow(&input_with_bad_row(), &dir.join("in.arrows"), true);
        // A stream under the file format's extension is read as what it is.
        jsonl_to_arrow(&input_with_bad_row(), &dir.join("stream.arrow"), true);
        let redact =
            |input: &str, out: &str, more: &[&str]| store_redact(dir, &s, input, out, more);
        let js = redact("in2.jsonl", "dsj", &[]);
        let pq = redact("in.parquet", "dsp", &[]);
        let jsonl: BTreeMap<u64, Vec<Value>> = shard_lines(&dir.join("dsj"))
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    v.iter().map(|l| serde_json::from_str(l).unwrap()).collect(),
                )
            })
            .collect();
        let parquet = parquet_rows(&dir.join("dsp"));
        assert_eq!(parquet, jsonl, "{s}");
        assert_eq!(parquet.values().flatten().count(), 12, "{s}");
        let pq_quarantine = std::fs::read_to_string(dir.join("dsp.quarantine.jsonl")).unwrap();
        for input in ["in.arrow", "in.arrows", "stream.arrow"] {
            let out = format!("ds-{}", input.replace('.', "-"));
            let ar = redact(input, &out, &[]);
            for k in ["records", "written", "withheld", "excluded", "quarantined"] {
                assert_eq!(ar[k], pq[k], "{s} {input} {k}: {ar} {pq}");
                assert_eq!(ar[k], js[k], "{s} {input} {k}: {ar} {js}");
            }
            assert_eq!(ar["written"], 12, "{s} {input} {ar}");
            assert_eq!(ar["dataset"]["shards"], 3, "{s} {input} {ar}");
            // Row for row, shard for shard: the Parquet dataset's rows, the JSONL dataset's
            // records (the redacted messages, `scrim`, the lineage ids).
            let rows = parquet_rows(&dir.join(&out));
            assert_eq!(rows, parquet, "{s} {input}");
            let text = serde_json::to_string(&rows).unwrap();
            assert!(
                !text.contains("PRIVATE") && !text.contains("alice.moreno"),
                "{s} {input}"
            );
            // The malformed row is quarantined by row, as from Parquet.
            let q = std::fs::read_to_string(dir.join(format!("{out}.quarantine.jsonl"))).unwrap();
            assert_eq!(q, pq_quarantine, "{s} {input}");
            // JSONL shards when asked: the JSONL dataset's lines, byte for byte.
            let out = format!("{out}-jsonl");
            redact(input, &out, &["--output-format", "jsonl"]);
            assert_eq!(
                shard_lines(&dir.join(&out)),
                shard_lines(&dir.join("dsj")),
                "{s} {input}"
            );
        }
        // Arrow IPC shards are refused, whatever the input, and nothing is left behind.
        for (out, more) in [
            ("dsa", &["--output-format", "arrow-stream"][..]),
            ("dsa.arrow", &[][..]),
        ] {
            let res = scrim(dir)
                .args(["redact", "in.arrow", "-o", out, "--store", &s])
                .args(["--purpose", "training"])
                .args(more)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&res.stderr);
            assert!(
                !res.status.success() && err.contains("JSONL or Parquet"),
                "{s} {out}: {err}"
            );
            assert!(!dir.join(out).exists(), "{s} {out}");
        }
    }
}

/// A `--store` run writing Parquet shards, killed (SIGKILL) after a shard, before registering,
/// before and after its manifest: what it leaves is registered (and reached by forget) or
/// removed by `datasets recover`, and a rerun under the same name completes.
#[test]
fn a_killed_parquet_store_run_leaves_nothing_forget_cannot_reach() {
    let points = [
        "dataset:after_shard",
        "redact:before_register",
        "redact:before_manifest",
        "redact:after_manifest",
    ];
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        setup(dir);
        let s = fresh_store(&backend, dir);
        jsonl_to_parquet(&input(), &dir.join("in.parquet"));
        let redact = |name: &str| {
            let mut c = scrim(dir);
            c.args(["redact", "in.parquet", "-o", name, "--store", &s])
                .args(["--purpose", "training", "--shard-records", "5", "--quiet"]);
            c
        };
        ok(redact("whole").output().unwrap(), "unkilled run");
        let whole = parquet_rows(&dir.join("whole"));
        for (i, point) in points.iter().enumerate() {
            let name = format!("ds{i}");
            kill_at(redact(&name), point);
            let committed = dir.join(&name).join("_scrim_manifest.json").exists();
            assert_eq!(committed, *point == "redact:after_manifest", "{s} {point}");
            let listed: Value =
                serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
            let state = listed
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["name"] == name.as_str())
                .map(|d| d["state"].clone());
            let registered = i >= 2;
            let expected = registered.then(|| Value::from("pending"));
            assert_eq!(state, expected, "{s} {point}: state before recovery");
        }
        run(dir, &["datasets", "recover", "--all", "--store", &s]);
        for i in 0..2 {
            run(
                dir,
                &["datasets", "recover", &format!("ds{i}"), "--store", &s],
            );
        }
        let listed: Value =
            serde_json::from_str(&run(dir, &["datasets", "--store", &s, "--json"])).unwrap();
        let listed: BTreeMap<String, String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    d["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for (i, point) in points.iter().enumerate() {
            let name = format!("ds{i}");
            if *point == "redact:after_manifest" {
                assert_eq!(listed.get(&name).map(String::as_str), Some("ready"), "{s}");
                assert_eq!(parquet_rows(&dir.join(&name)), whole, "{s} {point}");
            } else {
                assert!(!listed.contains_key(&name), "{s} {name} still registered");
                assert!(!dir.join(&name).exists(), "{s} {point}: {name} left files");
                ok(redact(&name).output().unwrap(), "redact again");
                assert_eq!(parquet_rows(&dir.join(&name)), whole, "{s} {point}: rerun");
            }
        }
        run(dir, &["forget", "bob", "--store", &s]);
        run(dir, &["compact", "--all", "--store", &s]);
        for i in 0..points.len() {
            let rows: Vec<Value> = parquet_rows(&dir.join(format!("ds{i}")))
                .into_values()
                .flatten()
                .collect();
            assert_eq!(rows.len(), 8, "{s} ds{i}");
            assert!(
                rows.iter()
                    .all(|r| !r["id"].as_str().unwrap().starts_with("bob-")),
                "{s} ds{i} still holds the forgotten subject"
            );
        }
    }
}
