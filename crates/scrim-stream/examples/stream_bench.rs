//! Throughput of `scrim stream`: a private nats-server, a JSONL corpus published to an input
//! stream (each record given an `id`, a `subject` and `source: ai_chat`, so that every one is
//! admitted and redacted), then one `scrim stream --exit-when-drained` run; prints records/s
//! and MB/s from its summary, and the process's wall time (start-up included).
//!
//! ```sh
//! cargo build --release -p scrim-cli
//! cargo run --release -p scrim-stream --features testing --example stream_bench -- \
//!     CORPUS.jsonl --scrim target/release/scrim [--records N] [--max-in-flight N] [--threads N]
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a measuring tool: any failure ends it with its message"
)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use async_nats::jetstream::{self, stream};
use scrim_stream::testing::NatsServer;
use serde_json::Value;

struct Args {
    corpus: PathBuf,
    scrim: PathBuf,
    records: Option<usize>,
    max_in_flight: String,
    threads: Option<String>,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        corpus: PathBuf::new(),
        scrim: PathBuf::from("target/release/scrim"),
        records: None,
        max_in_flight: "256".into(),
        threads: None,
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--scrim" => a.scrim = PathBuf::from(value()),
            "--records" => a.records = Some(value().parse().expect("--records N")),
            "--max-in-flight" => a.max_in_flight = value(),
            "--threads" => a.threads = Some(value()),
            _ => a.corpus = PathBuf::from(&arg),
        }
    }
    assert!(
        !a.corpus.as_os_str().is_empty(),
        "usage: stream_bench CORPUS.jsonl [--scrim PATH] [--records N] [--max-in-flight N] [--threads N]"
    );
    a
}

/// The corpus's records, each admitted: an id, a subject (one of 100), `source: ai_chat`;
/// repeated until `records` if asked.
fn records(a: &Args) -> Vec<String> {
    let text = std::fs::read_to_string(&a.corpus).expect("reading the corpus");
    let base: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON record per line"))
        .collect();
    let n = a.records.unwrap_or(base.len());
    (0..n)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            let o = r.as_object_mut().expect("a JSON object per line");
            o.insert("id".into(), format!("bench-{i}").into());
            o.insert(
                "subject".into(),
                format!("bench-subject-{}", i % 100).into(),
            );
            o.insert("source".into(), "ai_chat".into());
            r.to_string()
        })
        .collect()
}

fn main() {
    let a = args();
    let lines = records(&a);
    let bytes: usize = lines.iter().map(String::len).sum();
    let server = NatsServer::start().unwrap_or_else(|e| panic!("{e}"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = async_nats::connect(server.url()).await.unwrap();
        let js = jetstream::new(client);
        js.create_stream(stream::Config {
            name: "BENCH_IN".into(),
            subjects: vec!["bench.in".into()],
            max_message_size: 64 << 20,
            ..Default::default()
        })
        .await
        .unwrap();
        let mut acks = Vec::with_capacity(1024);
        for l in &lines {
            acks.push(js.publish("bench.in", l.clone().into()).await.unwrap());
            if acks.len() == 1024 {
                for ack in acks.drain(..) {
                    ack.await.unwrap();
                }
            }
        }
        for ack in acks {
            ack.await.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let scrim = std::fs::canonicalize(&a.scrim).expect("the scrim binary (--scrim)");
    let key = dir.path().join("master.key");
    let ok = Command::new(&scrim)
        .args(["keys", "new"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(ok.success());
    let mut cmd = Command::new(&scrim);
    cmd.current_dir(dir.path())
        .env("SCRIM_MASTER_KEY_FILE", &key)
        .args([
            "stream",
            "--nats",
            server.url(),
            "--input-stream",
            "BENCH_IN",
        ])
        .args([
            "--output-subject",
            "bench.out",
            "--output-stream",
            "BENCH_OUT",
        ])
        .args(["--store", "store.db", "--purpose", "training"])
        .args(["--max-in-flight", &a.max_in_flight])
        .args(["--exit-when-drained", "--summary-json"]);
    if let Some(t) = &a.threads {
        cmd.args(["--threads", t]);
    }
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let wall = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "scrim stream failed: {err}");
    let summary: Value = serde_json::from_str(err.lines().last().unwrap_or("")).unwrap();
    let records = summary["records"].as_f64().unwrap_or(0.0);
    let written = summary["written"].as_u64().unwrap_or(0);
    let secs = summary["seconds"].as_f64().unwrap_or(0.0);
    let mb = bytes as f64 / 1e6;
    println!(
        "scrim stream: {records} records ({written} written), {mb:.2} MB in {secs:.2} s: {:.0} records/s, {:.2} MB/s (max in flight {}, {} threads); process wall time {wall:.2} s",
        records / secs,
        mb / secs,
        a.max_in_flight,
        summary["threads"],
    );
}
