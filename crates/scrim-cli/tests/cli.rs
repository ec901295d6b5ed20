//! End-to-end tests of the `scrim` binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn scrim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
}

/// `scrim redact INPUT -o OUT` with more arguments.
fn redact(input: &Path, out: &Path, more: &[&str]) -> std::process::Output {
    scrim()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(more)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const INPUT: &str = r#"{"id":"c1","subject":"u-1","source":"ai_chat","messages":[{"role":"user","content":"hi, my name is Hailey and my email is hailey.r.mills@gmail.com 😀"},{"role":"assistant","content":"Nice to meet you, Hailey!"}],"profile":{"first_name":"Hailey","city":"Boise"},"custom":{"keep":"me"}}
{"id":"bad1","messages":[{"role":"user","content":42}]}
this is not json
{"id":"d1","text":"मेरा नाम Priya है, call me at +91 98765 43210"}
"#;

#[test]
fn redact_writes_output_quarantine_and_summary_without_leaking() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", INPUT);
    let out = dir.path().join("out.jsonl");
    let res = scrim()
        .args([
            "redact",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--threads",
            "2",
        ])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("4 records, 2 written, 0 withheld, 0 excluded, 2 quarantined"),
        "{stderr}"
    );
    assert!(stderr.contains("fresh random key"), "{stderr}");
    // The summary never shows content.
    for secret in [
        "Hailey",
        "hailey.r.mills",
        "98765",
        "Priya",
        "this is not json",
    ] {
        assert!(!stderr.contains(secret), "summary leaks {secret}: {stderr}");
    }

    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for secret in ["Hailey", "hailey.r.mills@gmail.com", "98765 43210", "Boise"] {
        assert!(!text.contains(secret), "output leaks {secret}");
    }
    let c1 = &lines[0];
    assert_eq!(c1["custom"]["keep"], "me", "unknown fields are kept");
    assert!(c1.get("profile").is_none(), "profile dropped by default");
    let m0 = c1["messages"][0]["content"].as_str().unwrap();
    let m1 = c1["messages"][1]["content"].as_str().unwrap();
    assert!(
        m0.contains("[PERSON_1]") && m1.contains("[PERSON_1]"),
        "{m0} / {m1}"
    );
    assert!(m0.contains("[EMAIL_1]") && m0.ends_with('😀'), "{m0}");

    let q = std::fs::read_to_string(dir.path().join("out.jsonl.quarantine.jsonl")).unwrap();
    let q: Vec<serde_json::Value> = q
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(q.len(), 2);
    assert_eq!(
        (q[0]["line"].as_u64(), q[0]["code"].as_str()),
        (Some(2), Some("content_not_string"))
    );
    assert_eq!(
        (q[1]["line"].as_u64(), q[1]["code"].as_str()),
        (Some(3), Some("invalid_json"))
    );
    assert_eq!(q[1]["raw"], "this is not json", "nothing is lost");
}

#[test]
fn same_key_gives_same_surrogates_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", INPUT);
    let key = write(dir.path(), "key", "0123456789abcdef0123456789abcdef");
    let policy = write(
        dir.path(),
        "p.toml",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/default.toml"
        ))
        .unwrap()
        .replace("default = \"placeholder\"", "default = \"surrogate\"")
        .replace(" = \"placeholder\"", " = \"surrogate\""),
    );
    let run = |name: &str| {
        let out = dir.path().join(name);
        let res = scrim()
            .args([
                "redact",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--quiet",
            ])
            .args([
                "--key-file",
                key.to_str().unwrap(),
                "--policy",
                policy.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        std::fs::read_to_string(out).unwrap()
    };
    let a = run("a.jsonl");
    let b = run("b.jsonl");
    assert_eq!(a, b);
    assert!(!a.contains("hailey.r.mills"));
    assert!(!a.contains("Hailey"), "{a}");
}

#[test]
fn detect_writes_code_point_spans() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", INPUT);
    let res = scrim()
        .args(["detect", input.to_str().unwrap(), "--quiet", "--quarantine"])
        .arg(dir.path().join("q.jsonl"))
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let out = String::from_utf8(res.stdout).unwrap();
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "c1");
    let spans = lines[0]["spans"].as_array().unwrap();
    let content = "hi, my name is Hailey and my email is hailey.r.mills@gmail.com 😀";
    let chars: Vec<char> = content.chars().collect();
    let person = spans
        .iter()
        .find(|s| s["message"] == 0 && s["label"] == "PERSON")
        .unwrap();
    let (s, e) = (
        person["start"].as_u64().unwrap() as usize,
        person["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), "Hailey");
    // Devanagari before the phone number: code points, not bytes.
    let doc = lines[1]["spans"].as_array().unwrap();
    let text: Vec<char> = "मेरा नाम Priya है, call me at +91 98765 43210"
        .chars()
        .collect();
    let phone = doc
        .iter()
        .find(|s| s["label"] == "PHONE")
        .expect("phone found");
    let (s, e) = (
        phone["start"].as_u64().unwrap() as usize,
        phone["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..e].iter().collect::<String>(), "+91 98765 43210");
    assert!(doc.iter().all(|s| s.get("message").is_none()));
}

#[test]
fn killed_run_leaves_no_output_under_the_target_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let mut child = scrim()
        .args(["redact", "-", "-o", out.to_str().unwrap(), "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        let stdin = child.stdin.as_mut().unwrap();
        for i in 0..20_000 {
            writeln!(
                stdin,
                r#"{{"id":"{i}","text":"call me at 208-555-0147, I'm Omar"}}"#
            )
            .unwrap();
        }
        stdin.flush().unwrap();
    }
    // Input is still open, so the run cannot have finished: kill it mid-stream.
    std::thread::sleep(std::time::Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !out.exists(),
        "a killed run must not leave a complete-looking output"
    );
}

#[test]
fn bad_arguments_give_clear_errors() {
    let res = scrim()
        .args(["redact", "/nonexistent/in.jsonl", "-o", "-"])
        .output()
        .unwrap();
    assert!(!res.status.success());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("cannot open input /nonexistent/in.jsonl"),
        "{err}"
    );

    let res = scrim()
        .args(["redact", "-", "-o", "-", "--tiers", "magic"])
        .output()
        .unwrap();
    assert!(!res.status.success());
    assert!(String::from_utf8_lossy(&res.stderr).contains("unknown detector tier"));
}

#[test]
fn a_missing_model_or_runtime_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.jsonl",
        "{\"id\": \"a\", \"text\": \"hi Maya\"}\n",
    );
    let missing_dir = dir.path().join("no-model");
    let res = scrim()
        .args([
            "detect",
            input.to_str().unwrap(),
            "-o",
            "-",
            "--tiers",
            "rules,model",
        ])
        .arg("--model-dir")
        .arg(&missing_dir)
        .output()
        .unwrap();
    assert!(!res.status.success());
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("no-model") && err.contains("tools/model/setup.sh"),
        "{err}"
    );
    assert!(!err.contains("Maya"));

    // A model directory that exists, with a runtime that does not.
    let fake = dir.path().join("model");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::write(
        fake.join("config.json"),
        r#"{"id2label": {"0": "O", "1": "B-PERSON"}}"#,
    )
    .unwrap();
    let tokenizer = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../models/scrim-ner/tokenizer.json");
    if tokenizer.is_file() {
        std::fs::copy(&tokenizer, fake.join("tokenizer.json")).unwrap();
        std::fs::write(fake.join("model.onnx"), b"not a model").unwrap();
        let res = scrim()
            .args([
                "detect",
                input.to_str().unwrap(),
                "-o",
                "-",
                "--tiers",
                "model",
            ])
            .arg("--model-dir")
            .arg(&fake)
            .env("ORT_DYLIB_PATH", dir.path().join("libonnxruntime.so"))
            .output()
            .unwrap();
        assert!(!res.status.success());
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(
            err.contains("needs ONNX Runtime") && err.contains("tools/model/setup.sh"),
            "{err}"
        );
    }
}

fn shared() -> std::path::PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(
        p.join("tools/score.py").exists(),
        "../shared (the labeled corpora and score.py) is missing beside the repository"
    );
    p
}

#[test]
fn eval_agrees_with_the_reference_scorer_on_scrims_own_predictions() {
    let shared = shared();
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    for corpus in ["wnut17-dev.jsonl", "presidio-synth.jsonl"] {
        let gold = shared.join("data/eval").join(corpus);
        let ours = scrim()
            .args(["eval", "--gold"])
            .arg(&gold)
            .args(["--exclude-labels", "ORG,OTHER", "--json", "--write-pred"])
            .arg(&pred)
            .output()
            .unwrap();
        assert!(
            ours.status.success(),
            "{}",
            String::from_utf8_lossy(&ours.stderr)
        );
        let ours: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
        let theirs = Command::new("python3")
            .arg(shared.join("tools/score.py"))
            .arg(&gold)
            .arg(&pred)
            .args(["--exclude-labels", "ORG,OTHER", "--json"])
            .output()
            .unwrap();
        assert!(
            theirs.status.success(),
            "{}",
            String::from_utf8_lossy(&theirs.stderr)
        );
        let theirs: serde_json::Value = serde_json::from_slice(&theirs.stdout).unwrap();
        for key in ["micro", "char", "per_label", "f5", "docs"] {
            assert_eq!(ours[key], theirs[key], "{corpus}: {key} differs");
        }
    }
}

#[test]
fn eval_with_both_tiers_reports_each_and_the_union() {
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/chat/gold.jsonl");
    let res = scrim()
        .args(["eval", "--gold"])
        .arg(&gold)
        .args([
            "--exclude-labels",
            "ORG,OTHER",
            "--tiers",
            "rules,model",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}\n(the model tier needs tools/model/setup.sh)",
        String::from_utf8_lossy(&res.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    let char_recall = |tiers: &str| {
        v["tiers"][tiers]["char"]["recall"]
            .as_f64()
            .unwrap_or_else(|| panic!("no character recall for tiers {tiers}: {v}"))
    };
    let (rules, model, both) = (
        char_recall("rules"),
        char_recall("model"),
        char_recall("rules,model"),
    );
    assert!(rules > 0.5 && model > 0.5, "rules {rules}, model {model}");
    // The union leaks less than either tier alone.
    assert!(
        both > rules && both > model,
        "rules {rules}, model {model}, both {both}"
    );
}

/// The summary the README shows for the bundled example is the one this build prints (a
/// snapshot): a change in what the rules find there shows up here, not in a user's first run.
/// The timing line varies and the output path is the test's own, so those are normalised.
#[test]
fn the_readme_example_summary_is_what_redact_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme
        .split("prints a summary:\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("README's example summary block");
    let dir = tempfile::tempdir().unwrap();
    let res = scrim()
        .current_dir(dir.path())
        .arg("redact")
        .arg(root.join("examples/conversations.jsonl"))
        .args(["-o", "redacted.jsonl", "--threads", "2"])
        .env_remove("SCRIM_KEY")
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let stable = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains(" MB in "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        stable(&String::from_utf8_lossy(&res.stderr)),
        stable(block),
        "update README.md's example summary if the change is intended"
    );
}

#[test]
fn the_model_tier_gives_the_same_output_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/conversations.jsonl");
    let mut outputs = Vec::new();
    for threads in ["1", "3", "6"] {
        let out = dir.path().join(format!("out-{threads}.jsonl"));
        let res = scrim()
            .args(["redact"])
            .arg(&example)
            .arg("-o")
            .arg(&out)
            .args(["--tiers", "rules,model", "--threads", threads, "--quiet"])
            .env("SCRIM_KEY", "a fixed test key of enough bytes")
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(!outputs[0].is_empty());
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// Issue 10, items 6 and 14: the summary adds up the fields passed through unexamined, and a
/// data file given as the policy is named by place, never quoted.
#[test]
fn unexamined_fields_are_counted_and_a_data_file_is_no_policy() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.jsonl",
        concat!(
            r#"{"id":"c1","messages":[{"role":"user","content":"hi","x":"hailey.r.mills@gmail.com"}],"custom":1}"#,
            "\n",
            r#"{"id":"c2","text":"hello","custom":{"note":"hailey.r.mills@gmail.com"}}"#,
            "\n"
        ),
    );
    let policy = write(
        dir.path(),
        "keep.toml",
        "version = 1\n[record]\nunknown_fields = \"keep\"\n",
    );
    let out = dir.path().join("out.jsonl");
    let policy_arg = policy.to_str().unwrap();
    let res = redact(&input, &out, &["--policy", policy_arg, "--summary-json"]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stderr.trim()).unwrap();
    assert_eq!(summary["unexamined_fields"], 3, "{stderr}");
    let res = redact(&input, &out, &["--policy", policy_arg]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("passed through unexamined: 3 fields"),
        "{stderr}"
    );

    // The input itself, given as the policy.
    let res = redact(&input, &out, &["--policy", input.to_str().unwrap()]);
    assert!(!res.status.success());
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("in.jsonl") && stderr.contains("line 1, column"),
        "{stderr}"
    );
    for leak in ["hailey", "messages", "content", "\"id\""] {
        assert!(!stderr.contains(leak), "{leak} in {stderr}");
    }
}
#[test]
fn a_quarantine_on_the_input_or_the_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = write(d, "in.jsonl", INPUT);
    let out = d.join("out.jsonl");
    std::fs::write(&out, "previous output\n").unwrap();
    for (q, what) in [("in.jsonl", "the input"), ("./out.jsonl", "the output")] {
        for cmd in ["redact", "detect"] {
            let res = scrim()
                .current_dir(d)
                .args([
                    cmd,
                    "in.jsonl",
                    "-o",
                    "out.jsonl",
                    "--quarantine",
                    q,
                    "--quiet",
                ])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&res.stderr);
            assert!(!res.status.success(), "{cmd} --quarantine {q}: exit 0");
            assert!(err.contains(&format!("is {what}")), "{cmd}: {err}");
        }
    }
    assert_eq!(std::fs::read_to_string(&input).unwrap(), INPUT);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous output\n");
    // Inside a dataset directory (store mode) too.
    let res = scrim()
        .current_dir(d)
        .args([
            "redact",
            "in.jsonl",
            "-o",
            "ds",
            "--store",
            "s.db",
            "--purpose",
            "training",
            "--quarantine",
            "ds/q.jsonl",
            "--quiet",
        ])
        .env(
            "SCRIM_MASTER_KEY",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success(), "quarantine in the dataset: exit 0");
    assert!(err.contains("inside the output dataset directory"), "{err}");
}

fn quarantined(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_bom_is_accepted_and_bad_bytes_are_kept_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut bytes = b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"hello\"}\n".to_vec();
    bytes.extend_from_slice(b"{\"id\":\"b\",\"text\":\"caf\xE9 \xFF\"}\n");
    std::fs::write(d.join("in.jsonl"), &bytes).unwrap();
    let res = scrim()
        .current_dir(d)
        .args(["redact", "in.jsonl", "-o", "out.jsonl", "--quiet"])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let out = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(
        out.lines().count(),
        1,
        "the line with a BOM is a record: {out}"
    );
    let q = quarantined(&d.join("out.jsonl.quarantine.jsonl"));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["code"], "not_utf8");
    use base64::Engine as _;
    let kept = base64::engine::general_purpose::STANDARD
        .decode(q[0]["raw_b64"].as_str().unwrap())
        .unwrap();
    assert_eq!(kept, b"{\"id\":\"b\",\"text\":\"caf\xE9 \xFF\"}");
}

#[test]
fn a_line_too_long_is_quarantined_with_its_head() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long = format!("{{\"id\":\"x\",\"text\":\"{}\"}}", "a".repeat(300_000));
    let input = format!("{long}\n{{\"id\":\"y\",\"text\":\"short\"}}\n");
    write(d, "in.jsonl", &input);
    let res = scrim()
        .current_dir(d)
        .args([
            "redact",
            "in.jsonl",
            "-o",
            "out.jsonl",
            "--quiet",
            "--max-line-bytes",
            "100000",
        ])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let out = std::fs::read_to_string(d.join("out.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 1);
    let q = quarantined(&d.join("out.jsonl.quarantine.jsonl"));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["code"], "line_too_long");
    assert_eq!(q[0]["line"], 1);
    let head = q[0]["raw"].as_str().unwrap();
    assert!(
        long.starts_with(head) && head.len() == 64 << 10,
        "{}",
        head.len()
    );
}

#[test]
fn reruns_clear_what_earlier_runs_left() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in.jsonl", INPUT);
    // What a killed run for this output leaves, and one for another output.
    std::fs::write(d.join(".scrim-partial-out.jsonl.abc123"), "half").unwrap();
    std::fs::write(d.join(".scrim-partial-other.jsonl.abc123"), "half").unwrap();
    let redact = || {
        let res = scrim()
            .current_dir(d)
            .args(["redact", "in.jsonl", "-o", "out.jsonl", "--quiet"])
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    };
    redact();
    assert!(!d.join(".scrim-partial-out.jsonl.abc123").exists());
    assert!(d.join(".scrim-partial-other.jsonl.abc123").exists());
    assert!(d.join("out.jsonl.quarantine.jsonl").exists());
    // A clean rerun leaves no stale quarantine.
    write(d, "in.jsonl", INPUT.lines().next().unwrap());
    redact();
    assert!(!d.join("out.jsonl.quarantine.jsonl").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("out.jsonl"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_bad_governance_policy_names_where_never_what() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in.jsonl", INPUT);
    let gov = write(
        d,
        "gov.toml",
        "version = 1\n{\"id\":\"c1\",\"text\":\"my pin is SECRET-4417\"}\n",
    );
    let res = scrim()
        .current_dir(d)
        .args(["redact", "in.jsonl", "-o", "out.jsonl", "--governance"])
        .arg(&gov)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(
        err.contains("gov.toml") && err.contains("line 2, column 1"),
        "{err}"
    );
    assert!(!err.contains("SECRET") && !err.contains("pin"), "{err}");
}

#[test]
fn every_identifying_profile_key_is_replaced_and_seeds_detection() {
    // Every direct identifier of the shared vocabulary (scrim_core::profile), among them the 18
    // keys the review gateway once took for free-form facts (passport, date_of_birth, ...).
    let keys = scrim_core::profile::IDENTIFIERS;
    let dir = tempfile::tempdir().unwrap();
    let policy = write(
        dir.path(),
        "replace.toml",
        "version = 1\n[profile]\naction = \"replace\"\nseed_detection = true\n",
    );
    // A value no rule would find on its own: only the key says what it is.
    let value = |i: usize| format!("qvx{i}zzkw");
    let mut lines = String::new();
    for (i, (key, _)) in keys.iter().enumerate() {
        let record = serde_json::json!({
            "id": format!("k{i}"),
            "messages": [{"role": "user", "content": format!("mine is {}, remember it", value(i))}],
            "profile": {*key: value(i), "hobbies": "chess"},
        });
        lines.push_str(&format!("{record}\n"));
    }
    let input = write(dir.path(), "in.jsonl", &lines);
    let out = dir.path().join("out.jsonl");
    let res = redact(&input, &out, &["--policy", policy.to_str().unwrap()]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), keys.len(), "{text}");
    for (i, (key, _)) in keys.iter().enumerate() {
        let v = &records[i];
        assert_eq!(v["id"], format!("k{i}"), "{text}");
        let line = v.to_string();
        assert!(
            !line.contains(&value(i)),
            "{key}: its value survived: {line}"
        );
        assert!(
            v["profile"][key]
                .as_str()
                .is_some_and(|s| s.starts_with('[')),
            "{key}: not replaced: {line}"
        );
        assert!(
            v["profile"].get("hobbies").is_none(),
            "{key}: a free-form fact was kept: {line}"
        );
    }
}

#[test]
fn eval_html_writes_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.jsonl",
        concat!(
            r#"{"id":"d1","text":"mail me at ann.lee@example.com <script>x</script>","spans":[{"start":11,"end":30,"label":"EMAIL"},{"start":39,"end":40,"label":"OTHER"}]}"#,
            "\n",
            r#"{"id":"d2","text":"我叫王小明，call +1 415 555 0100 😀","spans":[{"start":2,"end":5,"label":"PERSON"},{"start":11,"end":26,"label":"PHONE"}]}"#,
            "\n"
        ),
    );
    let out = dir.path().join("out.html");
    let res = scrim()
        .args(["eval", "--tiers", "rules", "--threads", "1", "--gold"])
        .arg(&gold)
        .arg("--html")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for attr in ["src=", "href="] {
        for q in ["\"", "'", ""] {
            for scheme in ["http://", "https://", "//"] {
                let bad = format!("{attr}{q}{scheme}");
                assert!(!html.contains(&bad), "{bad} in the report");
            }
        }
    }
    assert!(!html.contains("<script"), "unescaped text");
    // The missed OTHER span, in its escaped context.
    assert!(html.contains("&lt;script&gt;<mark>x</mark>&lt;/script&gt;"));
    for label in ["EMAIL", "OTHER", "PERSON", "PHONE"] {
        assert!(
            html.contains(&format!("<tr data-label=\"{label}\">")),
            "{label}"
        );
    }
    assert!(html.contains("gold.jsonl"));
    assert!(html.contains("No trade-off: the model tier was not asked for"));
    assert!(html.contains("contains text of the labeled corpus"));
    // No partial file is left beside the report.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 2);
}
