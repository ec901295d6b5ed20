//! The Rust scorer must give exactly what the reference `shared/tools/score.py` gives.
//!
//! For every corpus in `shared/data/eval/*.jsonl` a perturbed prediction set is built from the
//! gold (deterministically), both scorers run on it with several option sets, and the JSON
//! reports are compared value by value (and key order), plus the text table once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

use scrim_eval::{load_jsonl, parse_records, read_jsonl, score, Options};

/// `/work/shared` (the sibling of the project root).
fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn score_py() -> PathBuf {
    let p = shared_dir().join("tools/score.py");
    assert!(
        p.is_file(),
        "reference scorer not found at {} (the shared/ folder must sit next to the project root)",
        p.display()
    );
    p
}

fn corpus(name: &str) -> PathBuf {
    let dir = shared_dir().join("data/eval");
    assert!(
        dir.is_dir(),
        "evaluation corpora not found: {} is missing (the shared/ folder must sit next to the \
         project root; CI always has it)",
        dir.display()
    );
    let p = dir.join(name);
    assert!(p.is_file(), "corpus {} is missing", p.display());
    p
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scrim-eval-agree");
    fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Tiny deterministic PRNG (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

const LABELS: [&str; 8] = [
    "PERSON", "LOCATION", "ORG", "OTHER", "EMAIL", "DATE", "ID", "ADDRESS",
];

/// Spans that exercise Python's `int()`/`str()` leniency and the drop rules.
fn tricky_spans() -> Vec<Value> {
    vec![
        json!({"start": " 7 ", "end": "1_0", "label": "PERSON"}),
        json!({"start": "١", "end": "\u{2000}12", "label": "PERSON"}),
        json!({"start": 2.9, "end": 5, "label": 5}),
        json!({"start": -0.5, "end": 3, "label": null}),
        json!({"start": 0, "end": 3, "label": 1e16}),
        json!({"start": 0, "end": 4, "label": [1, "a", {"k": 1.5}]}),
        json!({"start": true, "end": 4, "label": "X"}),
        json!("junk"),
        json!(17),
        json!({"start": 1, "end": 2}),
        json!({"start": "x", "end": 2, "label": "PERSON"}),
        json!({"start": "\u{1c}3", "end": 5, "label": "PERSON"}),
        json!({"start": 3, "end": 1, "label": "PERSON"}),
        json!({"start": -2, "end": 1, "label": "PERSON"}),
        json!({"start": 4, "end": 4, "label": "PERSON"}),
        json!({"start": 0, "end": 100000, "label": "LOCATION"}),
    ]
}

/// A deterministic, perturbed prediction file (JSONL text) for the gold lines.
fn perturb(gold: &[Value], seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut out = String::new();
    let mut span_no = 0u64;
    for (i, g) in gold.iter().enumerate() {
        if i % 11 == 5 {
            continue; // no prediction line
        }
        let n = g["text"].as_str().map_or(50, |t| t.chars().count()) as i64;
        let mut spans: Vec<Value> = Vec::new();
        for sp in g["spans"].as_array().unwrap() {
            span_no += 1;
            if span_no.is_multiple_of(3) {
                continue; // drop every 3rd span
            }
            let mut s = sp["start"].as_i64().unwrap();
            let mut e = sp["end"].as_i64().unwrap();
            let mut lab = sp["label"].as_str().unwrap().to_owned();
            if rng.one_in(4) {
                s += rng.int(-3, 3);
            }
            if rng.one_in(4) {
                e += rng.int(-3, 3);
            }
            if rng.one_in(6) {
                lab = LABELS[rng.int(0, 7) as usize].to_owned();
            }
            let mut v = json!({"start": s, "end": e, "label": lab});
            if rng.one_in(5) {
                v["score"] = json!(0.5);
            }
            spans.push(v);
        }
        if rng.one_in(4) {
            let s = rng.int(0, n.max(1));
            let e = s + rng.int(1, 12);
            spans.push(json!({"start": s, "end": e, "label": LABELS[rng.int(0, 7) as usize]}));
        }
        if i % 13 == 0 {
            if let Some(first) = spans.first().cloned() {
                spans.push(first); // duplicate span
            }
        }
        if i % 97 == 3 {
            spans.extend(tricky_spans());
        }
        if rng.one_in(3) {
            spans.reverse();
        }
        let line = json!({"id": g["id"], "spans": spans});
        if i % 50 == 7 {
            // an earlier, different line for the same id: the later one wins
            let early = json!({"id": g["id"], "spans": [{"start": 0, "end": 1, "label": "ID"}]});
            out.push_str(&early.to_string());
            out.push('\n');
        }
        out.push_str(&line.to_string());
        out.push_str(if i % 7 == 1 { "\r\n" } else { "\n" });
        if i % 200 == 9 {
            out.push_str("   \n");
        }
    }
    for extra in [
        json!({"id": "not-in-gold-1", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}),
        json!({"id": 12345, "spans": []}),
        json!({"spans": []}),
    ] {
        out.push_str(&extra.to_string());
        out.push('\n');
    }
    out
}

fn spawn_py(args: &[&str]) -> std::process::Child {
    Command::new("python3")
        .arg(score_py())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 must be on PATH to run the reference scorer")
}

fn finish(child: std::process::Child, what: &str) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    assert!(
        status.success(),
        "score.py failed for {what}: {}",
        String::from_utf8_lossy(&stderr)
    );
    String::from_utf8(stdout).unwrap()
}

/// Options as `score.py`'s `main()` builds them from its command line.
fn options_from_args(args: &[&str]) -> Options {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--labels" => o.labels = Options::parse_label_list(it.next().unwrap()),
            "--exclude-labels" => {
                o.exclude = Options::parse_label_list(it.next().unwrap()).unwrap_or_default()
            }
            "--filter-side" => o.filter_side_gold_only = *it.next().unwrap() == "gold",
            "--relabel" => o
                .relabel
                .push(Options::parse_relabel(it.next().unwrap()).unwrap()),
            "--ignore-whitespace" => o.ignore_whitespace = true,
            "--json" => {}
            "--title" => {
                it.next();
            }
            other => panic!("unexpected argument {other}"),
        }
    }
    o
}

/// Python's JSON with every float literal turned into the string `"F:<literal>"`, so that it can
/// be parsed exactly (serde_json's default float parser may be off by one ulp).
fn quote_floats(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1024);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            out.push(c);
            while let Some(d) = chars.next() {
                out.push(d);
                match d {
                    '\\' => out.extend(chars.next()),
                    '"' => break,
                    _ => {}
                }
            }
        } else if c == '-' || c.is_ascii_digit() {
            let mut tok = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    tok.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            if tok.contains(['.', 'e', 'E']) {
                out.push_str(&format!("\"F:{tok}\""));
            } else {
                out.push_str(&tok);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Compares the Rust report with Python's (floats quoted by [`quote_floats`]): same keys in the
/// same order, integers equal, floats bit-identical (except the macro averages, where Python
/// 3.12+ sums with compensation: 1e-12 there). Python's `gold_file`/`pred_file` are ignored.
fn compare(rust: &Value, py: &Value, path: &str, diffs: &mut Vec<String>) {
    match (rust, py) {
        (Value::Object(a), Value::Object(b)) => {
            let ka: Vec<&String> = a.keys().collect();
            let kb: Vec<&String> = b
                .keys()
                .filter(|k| !(path.is_empty() && (*k == "gold_file" || *k == "pred_file")))
                .collect();
            if ka != kb {
                diffs.push(format!("{path}: keys {ka:?} != {kb:?}"));
                return;
            }
            for k in ka {
                compare(&a[k], &b[k], &format!("{path}/{k}"), diffs);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                diffs.push(format!("{path}: array lengths {} != {}", a.len(), b.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}[{i}]"), diffs);
            }
        }
        (Value::Number(a), Value::String(b)) if a.is_f64() && b.starts_with("F:") => {
            let x = a.as_f64().unwrap();
            let y: f64 = b[2..].parse().unwrap();
            let ok = if path.starts_with("/macro_f1_over_gold_labels") {
                (x - y).abs() <= 1e-12
            } else {
                x.to_bits() == y.to_bits()
            };
            if !ok {
                diffs.push(format!("{path}: {x:?} != {y:?}"));
            }
        }
        (a, b) => {
            if a != b {
                diffs.push(format!("{path}: {a} != {b}"));
            }
        }
    }
}

fn assert_same(rust: &Value, py_json: &str, what: &str) {
    let py: Value = serde_json::from_str(&quote_floats(py_json)).unwrap();
    let mut diffs = Vec::new();
    compare(rust, &py, "", &mut diffs);
    if !diffs.is_empty() {
        let mut msg = format!("{what}: {} differences, first ones:\n", diffs.len());
        for d in diffs.iter().take(20) {
            writeln!(msg, "  {d}").unwrap();
        }
        panic!("{msg}");
    }
}

/// Scores `gold_path` (already read into `gold_rows`) against `pred_path` with Rust and with
/// `score.py` for every argument set, running the Python processes concurrently.
fn agree(
    gold_path: &Path,
    gold_rows: &[Value],
    pred_path: &Path,
    arg_sets: &[Vec<&str>],
    what: &str,
) -> Vec<Value> {
    let (g, p) = (gold_path.to_str().unwrap(), pred_path.to_str().unwrap());
    let children: Vec<_> = arg_sets
        .iter()
        .map(|args| {
            let mut all = vec![g, p];
            all.extend(args);
            spawn_py(&all)
        })
        .collect();
    let gold = parse_records(gold_rows).unwrap();
    let pred = load_jsonl(&fs::read_to_string(pred_path).unwrap()).unwrap();
    let mut reports = Vec::new();
    for (args, child) in arg_sets.iter().zip(children) {
        let label = format!("{what} {args:?}");
        let py_out = finish(child, &label);
        let report = score(&gold, &pred, &options_from_args(args)).unwrap();
        if args.contains(&"--json") {
            let rust = serde_json::to_value(&report).unwrap();
            assert_same(&rust, &py_out, &label);
            reports.push(rust);
        } else {
            let title = args
                .iter()
                .position(|a| *a == "--title")
                .map(|i| args[i + 1]);
            let table = report.render(title) + "\n";
            assert_eq!(table, py_out, "{label}: tables differ");
        }
    }
    reports
}

fn check_corpus(name: &str, seed: u64) {
    let gold_path = corpus(name);
    let gold_rows = read_jsonl(&fs::read_to_string(&gold_path).unwrap()).unwrap();
    let pred_path = tmp(&format!("{name}.pred.jsonl"));
    fs::write(&pred_path, perturb(&gold_rows, seed)).unwrap();
    let reports = agree(
        &gold_path,
        &gold_rows,
        &pred_path,
        &[
            vec!["--json"],
            vec!["--json", "--exclude-labels", "ORG,OTHER"],
            vec!["--json", "--ignore-whitespace"],
        ],
        name,
    );
    // the perturbation must actually exercise the warning paths
    let w = &reports[0]["warnings"];
    for key in [
        "gold doc has no prediction line (counted as empty)",
        "pred doc id not in gold (ignored)",
        "pred: duplicate doc id (later line wins)",
        "pred: duplicate span dropped",
        "pred: empty or negative span dropped",
    ] {
        assert!(w.get(key).is_some(), "{name}: no {key:?} warning: {w}");
    }
}

#[test]
fn conll2003_dev() {
    check_corpus("conll2003-dev.jsonl", 1);
}

#[test]
fn presidio_synth() {
    check_corpus("presidio-synth.jsonl", 2);
}

#[test]
fn wnut16() {
    check_corpus("wnut16.jsonl", 3);
}

#[test]
fn wnut17_dev() {
    check_corpus("wnut17-dev.jsonl", 4);
}

#[test]
fn table_and_more_options_on_one_corpus() {
    let name = "wnut17-dev.jsonl";
    let gold_path = corpus(name);
    let gold_rows = read_jsonl(&fs::read_to_string(&gold_path).unwrap()).unwrap();
    let pred_path = tmp("table.pred.jsonl");
    fs::write(&pred_path, perturb(&gold_rows, 99)).unwrap();
    agree(
        &gold_path,
        &gold_rows,
        &pred_path,
        &[
            vec![],
            vec!["--title", "wnut17 dev", "--exclude-labels", "ORG,OTHER"],
            vec![
                "--labels",
                "PERSON, LOCATION,ADDRESS,",
                "--filter-side",
                "gold",
                "--relabel",
                "ADDRESS=LOCATION",
                "--relabel",
                " DATE = ID ",
                "--ignore-whitespace",
            ],
            vec![
                "--json",
                "--labels",
                "PERSON,LOCATION,ADDRESS",
                "--filter-side",
                "gold",
                "--relabel",
                "ADDRESS=LOCATION",
                "--relabel",
                "ORG=PERSON",
            ],
            vec![
                "--json",
                "--labels",
                "PERSON,EMAIL",
                "--relabel",
                "LOCATION=PERSON",
            ],
        ],
        name,
    );
}

/// Code point offsets of `needle` in `hay`.
fn cp_find(hay: &str, needle: &str) -> (i64, i64) {
    let b = hay.find(needle).unwrap();
    let s = hay[..b].chars().count() as i64;
    (s, s + needle.chars().count() as i64)
}

#[test]
fn conversations_agree_with_flattened_form() {
    type Conversation<'a> = (&'a str, Vec<&'a str>, Vec<(usize, &'a str, &'a str)>);
    let convs: Vec<Conversation> = vec![
        (
            "c1",
            vec![
                "hi 😀 I'm Priya Sharma, mail priya.sharma@gmail.com",
                "नमस्ते Priya! 🙏🏽 your number is +91 98765 43210?",
                "yes, and I live in Andheri West, Mumbai 400053",
            ],
            vec![
                (0, "Priya Sharma", "PERSON"),
                (0, "priya.sharma@gmail.com", "EMAIL"),
                (1, "Priya", "PERSON"),
                (1, "+91 98765 43210", "PHONE"),
                (2, "Andheri West, Mumbai 400053", "ADDRESS"),
            ],
        ),
        (
            "c2",
            vec!["मेरा नाम राहुल है 👋", "ok\u{1c}rahul\u{2003}👍"],
            vec![(0, "राहुल", "PERSON"), (1, "rahul", "PERSON")],
        ),
        (
            "c3",
            vec!["🙂 call me at 555-0100", "thanks"],
            vec![(0, "555-0100", "PHONE")],
        ),
        ("c4", vec!["no PII here 🤷"], vec![]),
        ("c5", vec!["Ravi from Pune 🚀"], vec![(0, "Ravi", "PERSON")]),
    ];
    let mut gold_conv = String::new();
    let mut gold_flat = String::new();
    let mut pred_conv = String::new();
    let mut pred_flat = String::new();
    for (ci, (id, msgs, spans)) in convs.iter().enumerate() {
        let spans: Vec<(usize, i64, i64, &str)> = spans
            .iter()
            .map(|(m, needle, lab)| {
                let (s, e) = cp_find(msgs[*m], needle);
                (*m, s, e, *lab)
            })
            .collect();
        let messages: Vec<Value> = msgs
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"role": if i % 2 == 0 { "user" } else { "assistant" }, "content": c}))
            .collect();
        let gspans: Vec<Value> = spans
            .iter()
            .map(|(m, s, e, l)| json!({"message": m, "start": s, "end": e, "label": l}))
            .collect();
        gold_conv += &format!(
            "{}\n",
            json!({"id": id, "messages": messages, "spans": gspans})
        );
        for (i, text) in msgs.iter().enumerate() {
            let sp: Vec<Value> = spans
                .iter()
                .filter(|x| x.0 == i)
                .map(|(_, s, e, l)| json!({"start": s, "end": e, "label": l}))
                .collect();
            gold_flat += &format!(
                "{}\n",
                json!({"id": format!("{id}#{i}"), "text": text, "spans": sp})
            );
        }
        // predictions in `scrim detect` shape: c1 perturbed, c2 exact, c3 nothing found
        // (a line without spans), c4 a false positive, c5 no line at all
        let pspans: Vec<(usize, i64, i64, &str)> = match ci {
            0 => spans
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != 1)
                .map(|(k, &(m, s, e, l))| {
                    if k == 0 {
                        (m, s, e - 2, l)
                    } else {
                        (m, s - 1, e, "PERSON")
                    }
                })
                .collect(),
            1 => spans.clone(),
            2 => vec![],
            3 => vec![(0, 3, 6, "PERSON")],
            _ => continue,
        };
        let pv: Vec<Value> = pspans
            .iter()
            .map(|(m, s, e, l)| json!({"message": m, "start": s, "end": e, "label": l, "score": 0.9}))
            .collect();
        pred_conv += &format!("{}\n", json!({"id": id, "spans": pv}));
        for i in 0..msgs.len() {
            let sp: Vec<Value> = pspans
                .iter()
                .filter(|x| x.0 == i)
                .map(|(_, s, e, l)| json!({"start": s, "end": e, "label": l}))
                .collect();
            pred_flat += &format!("{}\n", json!({"id": format!("{id}#{i}"), "spans": sp}));
        }
    }
    let files = [
        ("conv.gold.jsonl", &gold_conv),
        ("flat.gold.jsonl", &gold_flat),
        ("conv.pred.jsonl", &pred_conv),
        ("flat.pred.jsonl", &pred_flat),
    ];
    for (name, text) in files {
        fs::write(tmp(name), text).unwrap();
    }
    let arg_sets = [
        vec!["--json"],
        vec!["--json", "--ignore-whitespace"],
        vec!["--json", "--labels", "PERSON"],
    ];
    // Python on the flattened files vs Rust on the same flattened files ...
    let flat = agree(
        &tmp("flat.gold.jsonl"),
        &read_jsonl(&gold_flat).unwrap(),
        &tmp("flat.pred.jsonl"),
        &arg_sets,
        "flattened conversations",
    );
    // ... and Rust on the conversation-shaped files gives the same reports.
    let gold = load_jsonl(&gold_conv).unwrap();
    let pred = load_jsonl(&pred_conv).unwrap();
    assert_eq!(gold.len(), 9);
    for (args, want) in arg_sets.iter().zip(&flat) {
        let got =
            serde_json::to_value(score(&gold, &pred, &options_from_args(args)).unwrap()).unwrap();
        assert_eq!(&got, want, "conversation shape {args:?}");
    }
    assert_eq!(flat[0]["docs"], 9);
    assert_eq!(flat[0]["docs_without_pred"], 1);
}

#[test]
fn isspace_agrees_with_python() {
    let out = Command::new("python3")
        .args([
            "-c",
            "print(' '.join(str(c) for c in range(0x110000) if chr(c).isspace()))",
        ])
        .output()
        .expect("python3 must be on PATH");
    assert!(out.status.success());
    let want: Vec<u32> = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let got: Vec<u32> = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| scrim_eval::py::is_space(*c))
        .map(u32::from)
        .collect();
    assert_eq!(got, want);
}

#[test]
fn odd_records_agree() {
    let gold = [
        json!({"id": 1.0, "text": "Ann and Bob", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}),
        json!({"id": true, "text": "x", "spans": "ab"}),
        json!({"id": null, "spans": {"k": 1, "l": 2}}),
        json!({"text": "no id", "spans": [{"start": 0, "end": 2, "label": "A"}]}),
        json!({"id": [1, "é", null], "text": "t\u{1c}u v", "spans": [{"start": 0, "end": 5, "label": "A"}]}),
        json!({"id": {"a": "b'c"}, "text": "", "spans": 0}),
        json!({"id": 1e16, "text": "abc", "spans": [{"start": 0, "end": 9, "label": "A"}]}),
        json!({"id": "dup", "text": "abc", "spans": [{"start": 0, "end": 1, "label": "A"}]}),
        json!({"id": "dup", "text": "abc", "spans": [{"start": 1, "end": 2, "label": "B"}]}),
    ];
    let pred = [
        json!({"id": "1.0", "spans": [{"start": 0, "end": 7, "label": "PERSON"}]}),
        json!({"id": "True", "spans": [{"start": 0, "end": 1, "label": true}]}),
        json!({"id": "None", "spans": []}),
        json!({"id": "[1, 'é', None]", "spans": [{"start": "2", "end": "4", "label": "A"}]}),
        json!({"id": "{'a': \"b'c\"}", "spans": {}}),
        json!({"id": "1e+16", "spans": [{"start": 1, "end": 2, "label": "A"}, {"start": 1, "end": 2, "label": "B"}]}),
        json!({"id": "dup", "spans": [{"start": 0, "end": 3, "label": "B"}]}),
    ];
    let to_text = |rows: &[Value]| -> String { rows.iter().map(|r| format!("{r}\n")).collect() };
    let (gp, pp) = (tmp("odd.gold.jsonl"), tmp("odd.pred.jsonl"));
    fs::write(&gp, to_text(&gold)).unwrap();
    fs::write(&pp, to_text(&pred)).unwrap();
    agree(
        &gp,
        &gold,
        &pp,
        &[
            vec!["--json"],
            vec!["--json", "--relabel", "A=B", "--relabel", "B=C"],
            vec!["--json", "--exclude-labels", "B", "--filter-side", "gold"],
            vec!["--title", "odd", "--relabel", "PERSON=B"],
        ],
        "odd records",
    );
}
