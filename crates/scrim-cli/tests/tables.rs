//! End-to-end tests of `scrim redact` and `scrim detect` on Parquet and Arrow IPC files. The
//! inputs are written here with the arrow and parquet writers; the outputs are read back with
//! their readers and compared, row for row, with what the JSONL path writes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

mod common;

use std::fs::File;
use std::io::{BufReader, Cursor, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::FileWriter;
use arrow_schema::{DataType, Field, Fields};
use common::kill_at;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

fn scrim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scrim"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Conversations and documents; an unknown field; nothing malformed (the table written from
/// them has one schema).
const INPUT: &str = r#"{"id":"c1","subject":"u-1","source":"ai_chat","messages":[{"role":"user","content":"hi, my name is Hailey and my email is hailey.r.mills@gmail.com 😀"},{"role":"assistant","content":"Nice to meet you, Hailey!"}],"profile":{"first_name":"Hailey","city":"Boise"},"custom":{"keep":"me"}}
{"id":"d1","text":"मेरा नाम Priya है, call me at +91 98765 43210"}
{"id":"c2","subject":"u-2","source":"ai_chat","messages":[{"role":"user","content":"I'm Omar Haddad, call 208-555-0147 or write omar@example.net"}]}
{"id":"d2","text":"nothing personal here"}
"#;

/// A fixed key and the default policy with surrogates, so that the key matters.
struct Run {
    dir: tempfile::TempDir,
    key: PathBuf,
    policy: PathBuf,
}

impl Run {
    fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
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
        Run { dir, key, policy }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `scrim redact IN -o OUT` with the key and the policy, and more arguments.
    fn redact(&self, input: &Path, out: &Path, more: &[&str]) -> Output {
        scrim()
            .args([
                "redact",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args(["--key-file", self.key.to_str().unwrap()])
            .args(["--policy", self.policy.to_str().unwrap(), "--threads", "2"])
            .args(more)
            .output()
            .unwrap()
    }

    /// As [`Run::redact`], which must succeed; its JSON summary.
    fn redact_ok(&self, input: &Path, out: &Path, more: &[&str]) -> Value {
        let res = self.redact(input, out, &[&["--summary-json"], more].concat());
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert!(res.status.success(), "{stderr}");
        serde_json::from_str(stderr.lines().last().unwrap()).unwrap()
    }
}

/// The JSONL text as one record batch, with the schema arrow_json infers for it.
fn batch_of(jsonl: &str) -> RecordBatch {
    let (schema, _) =
        arrow_json::reader::infer_json_schema(BufReader::new(Cursor::new(jsonl)), None).unwrap();
    let mut reader = arrow_json::ReaderBuilder::new(Arc::new(schema))
        .build(Cursor::new(jsonl))
        .unwrap();
    let batch = reader.next().unwrap().unwrap();
    assert!(reader.next().is_none());
    batch
}

/// Write `batch` as Parquet, at most `group_rows` rows per row group.
fn write_parquet(path: &Path, batch: &RecordBatch, group_rows: usize) {
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut w =
        ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
}

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Each row as a JSON object (null columns left out).
fn rows(batches: &[RecordBatch]) -> Vec<Value> {
    let mut buf = Vec::new();
    {
        let mut w = arrow_json::LineDelimitedWriter::new(&mut buf);
        for b in batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
    }
    String::from_utf8(buf)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A written output row as the JSONL line it stands for: its `scrim` text parsed back into
/// the record, no `quarantine`.
fn as_line(mut row: Value) -> Value {
    let o = row.as_object_mut().unwrap();
    assert!(o.get("quarantine").is_none(), "{o:?}");
    let scrim = o.remove("scrim").unwrap();
    o.insert(
        "scrim".into(),
        serde_json::from_str(scrim.as_str().unwrap()).unwrap(),
    );
    row
}

/// No temporary file of an output is left in `dir`.
fn no_partials(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".scrim-partial-"), "left behind: {name}");
    }
}

/// JSONL → Parquet, Parquet → JSONL and Parquet → Parquet give, row for row, what JSONL →
/// JSONL gives for the same key and records, with the same counts.
#[test]
fn parquet_in_and_out_match_the_jsonl_path_row_for_row() {
    let run = Run::new();
    let input = write(run.dir.path(), "in.jsonl", INPUT);
    let want_summary = run.redact_ok(&input, &run.path("want.jsonl"), &[]);
    let want = lines(&run.path("want.jsonl"));
    assert_eq!(want.len(), 4);
    let text = std::fs::read_to_string(run.path("want.jsonl")).unwrap();
    assert!(!text.contains("Hailey") && !text.contains("omar@example.net"));

    // The same records as a Parquet file (two row groups), redacted to JSONL.
    let table = run.path("in.parquet");
    write_parquet(&table, &batch_of(INPUT), 3);
    let got_summary = run.redact_ok(&table, &run.path("got.jsonl"), &[]);
    assert_eq!(lines(&run.path("got.jsonl")), want);
    for k in ["records", "written", "quarantined", "entities", "tags"] {
        assert_eq!(got_summary[k], want_summary[k], "{k}");
    }
    assert!(!run.path("got.jsonl.quarantine.jsonl").exists());

    // JSONL to Parquet: every input column, then `scrim` and `quarantine`.
    run.redact_ok(&input, &run.path("out.parquet"), &[]);
    let out = read_parquet(&run.path("out.parquet"));
    let schema = out[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "subject",
            "source",
            "messages",
            "profile",
            "custom",
            "text",
            "scrim",
            "quarantine"
        ]
    );
    let got: Vec<Value> = rows(&out).into_iter().map(as_line).collect();
    assert_eq!(got, want);

    // Parquet to Parquet: the same rows.
    run.redact_ok(&table, &run.path("out2.parquet"), &[]);
    let got: Vec<Value> = rows(&read_parquet(&run.path("out2.parquet")))
        .into_iter()
        .map(as_line)
        .collect();
    assert_eq!(got, want);

    // `--format` and `--output-format` override the extensions.
    let odd = run.path("in.data");
    std::fs::copy(&table, &odd).unwrap();
    run.redact_ok(
        &odd,
        &run.path("out.bin"),
        &["--format", "parquet", "--output-format", "jsonl"],
    );
    assert_eq!(lines(&run.path("out.bin")), want);
}

fn message_fields() -> Fields {
    Fields::from(vec![
        Field::new("role", DataType::Utf8, true),
        Field::new("content", DataType::Utf8, true),
    ])
}

/// `n` conversations `r0`, `r1`, …; row `bad` has neither messages nor text.
fn conversations(n: usize, bad: Option<usize>) -> RecordBatch {
    let item = Field::new("item", DataType::Struct(message_fields()), true);
    let mut messages = ListBuilder::new(StructBuilder::from_fields(message_fields(), n))
        .with_field(Arc::new(item));
    for i in 0..n {
        if Some(i) == bad {
            messages.append(false);
            continue;
        }
        let s = messages.values();
        s.field_builder::<StringBuilder>(0)
            .unwrap()
            .append_value("user");
        s.field_builder::<StringBuilder>(1)
            .unwrap()
            .append_value(format!(
                "row {i}: I'm Omar Haddad, mail omar{i}@mailbox.org"
            ));
        s.append(true);
        messages.append(true);
    }
    let ids: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
    RecordBatch::try_from_iter(vec![
        ("id", Arc::new(StringArray::from(ids)) as ArrayRef),
        ("messages", Arc::new(messages.finish()) as ArrayRef),
    ])
    .unwrap()
}

/// A Parquet file of several row groups is read whole, in order; an Arrow IPC file of several
/// record batches too, and written as an IPC stream.
#[test]
fn every_row_group_and_record_batch_is_processed() {
    let run = Run::new();
    let table = run.path("in.parquet");
    write_parquet(&table, &conversations(23, None), 5);
    let groups = ParquetRecordBatchReaderBuilder::try_new(File::open(&table).unwrap())
        .unwrap()
        .metadata()
        .num_row_groups();
    assert_eq!(groups, 5);
    let summary = run.redact_ok(&table, &run.path("out.jsonl"), &[]);
    assert_eq!(summary["records"], 23);
    assert_eq!(summary["written"], 23);
    let out = lines(&run.path("out.jsonl"));
    let ids: Vec<&str> = out.iter().map(|v| v["id"].as_str().unwrap()).collect();
    let want: Vec<String> = (0..23).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, want);
    let text = std::fs::read_to_string(run.path("out.jsonl")).unwrap();
    assert!(
        !text.contains("Omar Haddad") && !text.contains("mailbox.org"),
        "{text}"
    );

    // Arrow IPC: three record batches in a file, out as a stream.
    let ipc = run.path("in.arrow");
    {
        let all = conversations(23, None);
        let mut w = FileWriter::try_new(File::create(&ipc).unwrap(), &all.schema()).unwrap();
        for (at, len) in [(0, 10), (10, 10), (20, 3)] {
            w.write(&all.slice(at, len)).unwrap();
        }
        w.finish().unwrap();
    }
    let summary = run.redact_ok(&ipc, &run.path("out.arrows"), &[]);
    assert_eq!(summary["written"], 23);
    let reader = StreamReader::try_new(File::open(run.path("out.arrows")).unwrap(), None).unwrap();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    let got: Vec<Value> = rows(&batches).into_iter().map(as_line).collect();
    assert_eq!(got, out);
}

/// A row with neither messages nor text is quarantined with its reason and its row number,
/// in the output table and in the quarantine file; nothing of it leaks into messages.
#[test]
fn a_malformed_row_is_quarantined_with_its_reason() {
    let run = Run::new();
    let table = run.path("in.parquet");
    write_parquet(&table, &conversations(6, Some(4)), 4);
    let summary = run.redact_ok(&table, &run.path("out.parquet"), &[]);
    assert_eq!(summary["records"], 6);
    assert_eq!(summary["written"], 5);
    assert_eq!(summary["quarantined"]["no_messages_or_text"], 1);
    let out = rows(&read_parquet(&run.path("out.parquet")));
    assert_eq!(out.len(), 6, "no row is dropped");
    assert_eq!(
        out[4],
        serde_json::json!({
            "quarantine": "no_messages_or_text: record has neither `messages` nor `text`"
        })
    );
    for (i, row) in out.iter().enumerate() {
        assert_eq!(row.get("quarantine").is_some(), i == 4, "{row}");
    }
    let q = lines(&run.path("out.parquet.quarantine.jsonl"));
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["row"], 5);
    assert_eq!(q[0]["code"], "no_messages_or_text");
    assert_eq!(q[0]["raw"], r#"{"id":"r4"}"#);

    // A column of the wrong type: every row is quarantined, none passes raw.
    let bad = RecordBatch::try_from_iter(vec![
        (
            "id",
            Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
        ),
        (
            "messages",
            Arc::new(StringArray::from(vec!["Omar Haddad", "omar@example.net"])) as ArrayRef,
        ),
    ])
    .unwrap();
    let table = run.path("bad.parquet");
    write_parquet(&table, &bad, 10);
    let res = run.redact(&table, &run.path("bad.jsonl"), &[]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{stderr}");
    assert!(stderr.contains("2 quarantined"), "{stderr}");
    assert!(!stderr.contains("Omar") && !stderr.contains("example.net"));
    assert_eq!(std::fs::read_to_string(run.path("bad.jsonl")).unwrap(), "");
    let q = lines(&run.path("bad.jsonl.quarantine.jsonl"));
    assert_eq!(q.len(), 2);
    assert_eq!(q[1]["row"], 2);

    // A table without a text column is refused, naming the file.
    let none = RecordBatch::try_from_iter(vec![(
        "body",
        Arc::new(StringArray::from(vec!["Omar Haddad"])) as ArrayRef,
    )])
    .unwrap();
    let table = run.path("none.parquet");
    write_parquet(&table, &none, 10);
    let res = run.redact(&table, &run.path("none.jsonl"), &[]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(
        stderr.contains("none.parquet") && stderr.contains("neither a `messages` nor a `text`"),
        "{stderr}"
    );
    assert!(!stderr.contains("Omar"));
}

/// `scrim detect` reads a table and writes spans as one: `id`, `spans`, `quarantine`.
#[test]
fn detect_reads_and_writes_tables() {
    let run = Run::new();
    let table = run.path("in.parquet");
    write_parquet(&table, &conversations(3, Some(1)), 2);
    let q = run.path("stdout.quarantine.jsonl");
    let want = scrim()
        .args([
            "detect",
            table.to_str().unwrap(),
            "--quiet",
            "--threads",
            "2",
        ])
        .args(["--quarantine", q.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(want.status.success());
    let want: Vec<Value> = String::from_utf8(want.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(want.len(), 2);
    let out = run.path("spans.parquet");
    let res = scrim()
        .args([
            "detect",
            table.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(["--quiet", "--threads", "2"])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let got = rows(&read_parquet(&out));
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], want[0]);
    assert_eq!(got[2], want[1]);
    assert!(got[1]["quarantine"]
        .as_str()
        .unwrap()
        .starts_with("no_messages_or_text"));
    assert!(!got[0]["spans"].as_array().unwrap().is_empty());
    assert_eq!(lines(&q)[0]["row"], 2);
    assert_eq!(
        lines(&run.path("spans.parquet.quarantine.jsonl"))[0]["row"],
        2
    );
}

/// A run that fails part way (a damaged row group) leaves no output under the target's name,
/// an earlier output untouched, and no temporary file; what a killed run leaves (a temporary
/// file beside the target) is cleared by the next run, which finishes.
#[test]
fn output_is_atomic() {
    let run = Run::new();
    let table = run.path("in.parquet");
    write_parquet(&table, &conversations(12, None), 6);
    // Damage the second row group's first page.
    let offset = {
        let r = ParquetRecordBatchReaderBuilder::try_new(File::open(&table).unwrap()).unwrap();
        let col = r.metadata().row_group(1).column(1);
        col.dictionary_page_offset()
            .unwrap_or_else(|| col.data_page_offset())
    };
    let damaged = run.path("damaged.parquet");
    std::fs::copy(&table, &damaged).unwrap();
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&damaged)
            .unwrap();
        f.seek(SeekFrom::Start(u64::try_from(offset).unwrap()))
            .unwrap();
        f.write_all(&[0xff; 16]).unwrap();
    }
    for out in ["fresh.parquet", "earlier.parquet", "fresh.jsonl"] {
        let out = run.path(out);
        if out.ends_with("earlier.parquet") {
            std::fs::write(&out, "earlier").unwrap();
        }
        let res = run.redact(&damaged, &out, &[]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert!(!res.status.success(), "{stderr}");
        assert!(
            stderr.contains("damaged.parquet") && stderr.contains("row group 1"),
            "{stderr}"
        );
        if out.ends_with("earlier.parquet") {
            assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier");
        } else {
            assert!(!out.exists(), "{}", out.display());
        }
        no_partials(run.dir.path());
    }

    // A killed run leaves only its temporary file; the rerun clears it and finishes.
    let out = run.path("out.parquet");
    write(
        run.dir.path(),
        ".scrim-partial-out.parquet.abc123",
        "PAR1 half",
    );
    let summary = run.redact_ok(&table, &out, &[]);
    assert_eq!(summary["written"], 12);
    assert_eq!(rows(&read_parquet(&out)).len(), 12);
    no_partials(run.dir.path());
}

/// Standard input and output stay JSONL; a table from standard input is refused, as is a JSONL
/// input whose field types differ between records.
#[test]
fn formats_are_checked() {
    let run = Run::new();
    let input = write(run.dir.path(), "in.jsonl", INPUT);
    let res = run.redact(&input, Path::new("-"), &["--output-format", "parquet"]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(stderr.contains("standard output is JSONL only"), "{stderr}");

    let res = run.redact(Path::new("-"), &run.path("o.parquet"), &[]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(stderr.contains("name the input file"), "{stderr}");
    assert!(!run.path("o.parquet").exists());

    // A table Scrim wrote is not an input (its `scrim` column is the output's); the error
    // names the input, and no output appears.
    run.redact_ok(&input, &run.path("t.parquet"), &[]);
    let res = run.redact(&run.path("t.parquet"), &run.path("t2.parquet"), &[]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(
        stderr.contains("t.parquet: ") && stderr.contains("`scrim` column"),
        "{stderr}"
    );
    assert!(!run.path("t2.parquet").exists());

    let mixed = write(
        run.dir.path(),
        "mixed.jsonl",
        "{\"id\":1,\"text\":\"Omar Haddad\",\"meta\":{\"a\":1}}\n{\"id\":2,\"text\":\"x\",\"meta\":\"Omar\"}\n",
    );
    let res = run.redact(&mixed, &run.path("m.parquet"), &[]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!res.status.success());
    assert!(stderr.contains("write JSONL instead"), "{stderr}");
    assert!(!stderr.contains("Omar"), "{stderr}");
    assert!(!run.path("m.parquet").exists());
}

/// `scrim redact in.parquet -o out.parquet` killed (SIGKILL) after a batch is written, before
/// the output is moved into place, and after (before the quarantine is): no half file under
/// the target's name, and a rerun finishes with the output and quarantine of an unkilled run.
#[test]
fn a_killed_parquet_run_leaves_no_half_file_and_a_rerun_finishes() {
    let run = Run::new();
    let table = run.path("in.parquet");
    // More rows than one output batch (4096), so a batch is written before the end.
    write_parquet(&table, &conversations(4500, Some(4200)), 2000);
    let reference = run.path("reference.parquet");
    let summary = run.redact_ok(&table, &reference, &[]);
    assert_eq!(summary["written"], 4499);
    let want = rows(&read_parquet(&reference));
    let want_q = std::fs::read_to_string(run.path("reference.parquet.quarantine.jsonl")).unwrap();
    assert_eq!(want_q.lines().count(), 1);
    let out = run.path("out.parquet");
    let quarantine = run.path("out.parquet.quarantine.jsonl");
    let redact = || {
        let mut c = scrim();
        c.args([
            "redact",
            table.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(["--key-file", run.key.to_str().unwrap()])
        .args(["--policy", run.policy.to_str().unwrap(), "--threads", "2"])
        .arg("--quiet");
        c
    };
    for point in [
        "table:after_batch",
        "table:before_commit",
        "table:after_commit",
    ] {
        kill_at(redact(), point);
        let partials: Vec<String> = std::fs::read_dir(run.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".scrim-partial-out.parquet."))
            .collect();
        if point == "table:after_commit" {
            // Killed once the output was in place: it is whole.
            assert_eq!(rows(&read_parquet(&out)), want, "{point}");
        } else {
            assert!(
                !out.exists(),
                "{point}: a half output under the target's name"
            );
            assert!(
                !partials.is_empty(),
                "{point}: killed before writing anything"
            );
        }
        assert!(
            !quarantine.exists(),
            "{point}: the quarantine came before the output"
        );
        // The rerun clears what the killed run left and finishes.
        let res = redact().output().unwrap();
        assert!(
            res.status.success(),
            "{point}: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        assert_eq!(rows(&read_parquet(&out)), want, "{point}");
        assert_eq!(
            std::fs::read_to_string(&quarantine).unwrap(),
            want_q,
            "{point}"
        );
        no_partials(run.dir.path());
        std::fs::remove_file(&out).unwrap();
        std::fs::remove_file(&quarantine).unwrap();
    }
}
