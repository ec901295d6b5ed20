//! `scrim stream` against a private `nats-server -js` (Debian's package): the output equals
//! `scrim redact --store` of the same input with the same store, record for record; malformed
//! messages are quarantined with a reason; SIGKILL at random points loses and duplicates
//! nothing; SIGTERM finishes the batch in hand. Every wait is for a state (a message seen, a
//! process exited), never for a length of time.
//!
//! A missing nats-server fails these tests; `SCRIM_SKIP_NATS=1` skips them with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)] // test helpers outside #[test] fns

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use async_nats::jetstream::consumer::{pull, AckPolicy, DeliverPolicy};
use async_nats::jetstream::{self, stream, Context};
use futures_util::StreamExt;
use scrim_stream::testing::{skip_reason, NatsServer};
use serde_json::Value;

const IN_STREAM: &str = "CHATS";
const IN_SUBJECT: &str = "chats.in";
/// Another subject of the input stream (no input is published there).
const IN_OTHER: &str = "chats.other";
const OUT_STREAM: &str = "REDACTED";
const OUT_SUBJECT: &str = "chats.redacted";
const Q_SUBJECT: &str = "chats.quarantine";
/// The longest any one wait may take before the test fails (a guard, not a pace).
const GUARD: Duration = Duration::from_secs(300);

/// A private NATS server, a store with a master key in a temporary directory, and a client.
struct Bed {
    server: NatsServer,
    dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    client: async_nats::Client,
    js: Context,
}

impl Bed {
    /// `None` (with the reason printed) only when SCRIM_SKIP_NATS=1.
    fn new() -> Option<Bed> {
        if let Some(reason) = skip_reason() {
            eprintln!("skipped: {reason}");
            return None;
        }
        let server = NatsServer::start().unwrap_or_else(|e| panic!("{e}"));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let client = rt.block_on(async_nats::connect(server.url())).unwrap();
        let js = {
            let _runtime = rt.enter();
            jetstream::new(client.clone())
        };
        rt.block_on(js.create_stream(stream::Config {
            name: IN_STREAM.into(),
            subjects: vec![IN_SUBJECT.into(), IN_OTHER.into()],
            ..Default::default()
        }))
        .unwrap();
        let bed = Bed {
            server,
            dir: tempfile::tempdir().unwrap(),
            rt,
            client,
            js,
        };
        bed.cli(&["keys", "new", "master.key"]);
        bed.cli(&["optout", "carol", "--store", "store.db"]);
        Some(bed)
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn scrim(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
        c.current_dir(self.dir())
            .env("SCRIM_MASTER_KEY_FILE", self.dir().join("master.key"))
            .env_remove("SCRIM_STORE")
            .env_remove("SCRIM_MASTER_KEY")
            .env_remove("SCRIM_NATS_URL");
        c
    }

    fn cli(&self, args: &[&str]) -> String {
        let out = self.scrim().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "scrim {}: {err}", args.join(" "));
        err
    }

    /// `scrim stream` with the bed's subjects and store, and `extra`.
    fn stream_cmd(&self, extra: &[&str]) -> Command {
        let mut c = self.scrim();
        c.args([
            "stream",
            "--nats",
            self.server.url(),
            "--input-stream",
            IN_STREAM,
            "--output-subject",
            OUT_SUBJECT,
            "--quarantine-subject",
            Q_SUBJECT,
            "--output-stream",
            OUT_STREAM,
            "--store",
            "store.db",
            "--purpose",
            "training",
            "--ack-wait-secs",
            "2",
            "--threads",
            "2",
        ])
        .args(extra);
        c
    }

    /// Publish each line as one message, in order, each stored before this returns.
    fn publish(&self, lines: &[String]) {
        self.rt.block_on(async {
            for l in lines {
                let ack = self
                    .js
                    .publish(IN_SUBJECT, l.clone().into_bytes().into())
                    .await
                    .unwrap();
                ack.await.unwrap();
            }
        });
    }

    /// Every message stored on `subject` of the output stream, in order: (Nats-Msg-Id, body).
    fn stored(&self, subject: &str) -> Vec<(String, String)> {
        self.rt.block_on(async {
            let s = self.js.get_stream(OUT_STREAM).await.unwrap();
            let consumer = s
                .create_consumer(pull::Config {
                    filter_subject: subject.into(),
                    ack_policy: AckPolicy::None,
                    deliver_policy: DeliverPolicy::All,
                    ..Default::default()
                })
                .await
                .unwrap();
            let mut out = Vec::new();
            loop {
                let mut batch = consumer
                    .fetch()
                    .max_messages(1000)
                    .messages()
                    .await
                    .unwrap();
                let before = out.len();
                while let Some(m) = batch.next().await {
                    let m = m.unwrap();
                    let id = m
                        .headers
                        .as_ref()
                        .and_then(|h| h.get("Nats-Msg-Id"))
                        .map(|v| v.as_str().to_string())
                        .expect("every output has a de-duplication id");
                    out.push((id, String::from_utf8(m.payload.to_vec()).unwrap()));
                }
                if out.len() == before {
                    return out;
                }
            }
        })
    }

    /// The input consumer's state: (stream sequence of the ack floor, unacknowledged).
    fn consumer_state(&self) -> (u64, usize) {
        self.rt.block_on(async {
            let s = self.js.get_stream(IN_STREAM).await.unwrap();
            let c: jetstream::consumer::PullConsumer = s.get_consumer("scrim").await.unwrap();
            let info = c.get_info().await.unwrap();
            (info.ack_floor.stream_sequence, info.num_ack_pending)
        })
    }

    /// `scrim redact --store` of `lines` into a new dataset: its lines in order, and the
    /// quarantine file's codes.
    fn redact(&self, lines: &[String], name: &str) -> (Vec<String>, Vec<String>) {
        let input = self.dir().join(format!("{name}.jsonl"));
        std::fs::write(&input, lines.join("\n") + "\n").unwrap();
        let q = format!("{name}.quarantine.jsonl");
        self.cli(&[
            "redact",
            input.to_str().unwrap(),
            "-o",
            name,
            "--store",
            "store.db",
            "--purpose",
            "training",
            "--quarantine",
            &q,
            "--quiet",
        ]);
        let ds = self.dir().join(name);
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(ds.join("manifest.json")).unwrap())
                .unwrap();
        let mut out = Vec::new();
        for s in manifest["shards"].as_array().unwrap() {
            let text = std::fs::read_to_string(ds.join(s["file"].as_str().unwrap())).unwrap();
            out.extend(text.lines().map(str::to_string));
        }
        let codes = std::fs::read_to_string(self.dir().join(&q))
            .map(|t| {
                t.lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].to_string())
                    .collect()
            })
            .unwrap_or_default();
        (out, codes)
    }

    /// Watch the output subject as messages are published (duplicates included).
    fn watch(&self) -> async_nats::Subscriber {
        self.rt.block_on(async {
            let sub = self.client.subscribe(OUT_SUBJECT).await.unwrap();
            self.client.flush().await.unwrap();
            sub
        })
    }

    /// Wait until `distinct` holds `n` ids (each message seen is added and counted in
    /// `seen`), or fail.
    fn wait_distinct(
        &self,
        sub: &mut async_nats::Subscriber,
        distinct: &mut BTreeSet<String>,
        seen: &mut usize,
        n: usize,
    ) {
        self.rt.block_on(async {
            while distinct.len() < n {
                *seen += 1;
                let m = tokio::time::timeout(GUARD, sub.next())
                    .await
                    .expect("no output for too long")
                    .expect("the subscription ended");
                let id = m.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id"));
                distinct.insert(id.map(|v| v.as_str().to_string()).unwrap_or_default());
            }
        });
    }
}

fn spawn(mut c: Command) -> Child {
    c.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait for `child` to exit; its status and standard error.
fn finish(mut child: Child) -> (std::process::ExitStatus, String) {
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err).unwrap();
    }
    (child.wait().unwrap(), err)
}

/// Records in several scripts and shapes, with the lines that must not be published.
fn mixed_input() -> Vec<String> {
    let mut v: Vec<String> = [
        r#"{"id":"c1","subject":"alice","source":"ai_chat","messages":[{"role":"user","content":"Hi, I'm Alice Moreno 😀, mail me at alice.moreno@example.com or call +1 415 555 0134."},{"role":"assistant","content":"Sure, Alice! 👍"}]}"#,
        r#"{"id":"c2","subject":"wei","source":"ai_chat","messages":[{"role":"user","content":"我叫李秀兰，住在北京市朝阳区。电话 13812345678，邮箱 xiulan.li@example.cn"}]}"#,
        r#"{"id":"c3","subject":"olga","source":"ai_chat","messages":[{"role":"user","content":"Меня зовут Ольга Петрова, пишите на olga.petrova@example.ru 🌸"}]}"#,
        r#"{"id":"c4","subject":"priya","source":"ai_chat","messages":[{"role":"user","content":"मेरा नाम प्रिया शर्मा है, call me on +91 98765 43210"}]}"#,
        r#"{"id":"c5","subject":"omar","source":"ai_chat","text":"اسمي عمر خالد 👋 write to omar.khaled@example.org"}"#,
        r#"{"id":"dm-1","subject":"bob","source":"dm","messages":[{"role":"user","content":"PRIVATE-DM-MARKER my pin is 4417"}]}"#,
        r#"{"id":"c6","subject":"carol","source":"ai_chat","messages":[{"role":"user","content":"OPTED-OUT-MARKER I'm Carol Diaz, carol.diaz@example.com"}]}"#,
        r#"{"id":"bad-1","subject":"alice","source":"ai_chat","messages":[{"role":"user","content":{"note":"MALFORMED-MARKER-7731"}}]}"#,
        r#"not json MALFORMED-MARKER-7731 {"#,
        r#"{"subject":"dave","source":"ai_chat","messages":[{"role":"user","content":"no id here; I'm Dave Smith, dave.smith@example.com 🙂"}]}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(
        serde_json::json!({"id": "c7", "subject": "kenji", "source": "ai_chat", "messages": [
            {"role": "user", "content": "こんにちは、山田健二です。kenji.yamada@example.jp まで 🍣"}
        ]})
        .to_string(),
    );
    v
}

/// `n` conversations of a few subjects.
fn many(n: usize) -> Vec<String> {
    let people = [
        ("alice", "Alice Moreno", "alice.moreno@example.com"),
        ("bob", "Bob Okafor", "bob.okafor@example.net"),
        ("chen", "陈伟", "chen.wei@example.org"),
        ("dana", "Dana Kowalska", "dana.k@example.pl"),
    ];
    (0..n)
        .map(|i| {
            let (subject, name, email) = people[i % people.len()];
            serde_json::json!({
                "id": format!("k{i}"), "subject": subject, "source": "ai_chat",
                "messages": [
                    {"role": "user", "content": format!("hi, I'm {name} ✨ — write to {email} about visit {i}")},
                    {"role": "assistant", "content": format!("Sure, {name}!")}
                ]
            })
            .to_string()
        })
        .collect()
}

#[test]
fn stream_output_equals_redact_and_malformed_messages_are_quarantined() {
    let Some(bed) = Bed::new() else { return };
    let input = mixed_input();
    bed.publish(&input);
    let child = spawn(bed.stream_cmd(&["--exit-when-drained", "--summary-json"]));
    let (status, err) = finish(child);
    assert!(status.success(), "scrim stream: {err}");

    let (expected, expected_q) = bed.redact(&input, "ds");
    let out = bed.stored(OUT_SUBJECT);
    let bodies: Vec<&String> = out.iter().map(|(_, b)| b).collect();
    assert_eq!(bodies.len(), expected.len(), "{err}");
    for (got, want) in bodies.iter().zip(&expected) {
        assert_eq!(*got, want);
    }
    // Opted-out subjects and private messages are never published.
    assert_eq!(expected.len(), input.len() - 4);
    for marker in ["OPTED-OUT-MARKER", "PRIVATE-DM-MARKER", "MALFORMED-MARKER"] {
        assert!(bodies.iter().all(|b| !b.contains(marker)), "{marker}");
    }
    // Each result's id is a lineage id, one per record.
    let ids: BTreeSet<&String> = out.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), out.len());
    assert!(ids.iter().all(|id| id.starts_with("r_")));

    // The malformed messages: whole, with their position and a reason without their content.
    let q = bed.stored(Q_SUBJECT);
    assert_eq!(q.len(), 2);
    let entries: Vec<Value> = q
        .iter()
        .map(|(_, b)| serde_json::from_str(b).unwrap())
        .collect();
    let codes: Vec<String> = entries.iter().map(|e| e["code"].to_string()).collect();
    assert_eq!(codes, expected_q);
    assert_eq!(entries[0]["code"], "content_not_string");
    assert_eq!(entries[1]["code"], "invalid_json");
    assert_eq!(entries[0]["raw"], input[7].as_str());
    assert_eq!(entries[1]["raw"], input[8].as_str());
    assert_eq!(entries[0]["position"], format!("{IN_STREAM}:8"));
    for e in &entries {
        let reason = e["reason"].as_str().unwrap();
        assert!(!reason.is_empty());
        assert!(!reason.contains("MARKER"), "{reason}");
    }

    // The summary counts every outcome and says nothing of the content.
    let summary: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(summary["command"], "stream");
    assert_eq!(summary["records"], input.len());
    assert_eq!(summary["written"], expected.len());
    for planted in [
        "Alice Moreno",
        "alice.moreno@example.com",
        "李秀兰",
        "Ольга",
        "MARKER",
    ] {
        assert!(!err.contains(planted), "stderr names {planted}");
    }

    // A second run finds nothing new: no message is read or published again.
    let (status, err) = finish(spawn(
        bed.stream_cmd(&["--exit-when-drained", "--summary-json"]),
    ));
    assert!(status.success(), "{err}");
    let summary: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(summary["records"], 0);
    assert_eq!(bed.stored(OUT_SUBJECT).len(), expected.len());
}

/// splitmix64: a seeded sequence, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn sigkill_at_random_points_loses_and_duplicates_nothing() {
    let Some(bed) = Bed::new() else { return };
    let seed = std::env::var("SCRIM_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_204);
    let mut rng = Rng(seed);
    let input = many(48);
    bed.publish(&input);
    let mut sub = bed.watch();
    let mut distinct = BTreeSet::new();
    let mut seen = 0;
    // Kill points by outputs seen: increasing, random, below the total.
    let mut points: Vec<usize> = (0..6)
        .map(|_| 1 + rng.below(input.len() as u64 - 1) as usize)
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut kills = 0;
    for &point in &points {
        let flight = (1 + rng.below(5)).to_string();
        let mut child = spawn(bed.stream_cmd(&["--max-in-flight", &flight, "--quiet"]));
        bed.wait_distinct(&mut sub, &mut distinct, &mut seen, point);
        child.kill().unwrap();
        let (status, _) = finish(child);
        assert!(!status.success(), "scrim stream ended before its kill");
        kills += 1;
        eprintln!("seed {seed}: killed at {point} outputs seen (max in flight {flight})");
    }
    assert!(kills >= 3, "only {kills} kill points");
    let (status, err) = finish(spawn(bed.stream_cmd(&["--exit-when-drained", "--quiet"])));
    assert!(status.success(), "{err}");
    let (_, unacked) = bed.consumer_state();
    assert_eq!(unacked, 0);
    bed.wait_distinct(&mut sub, &mut distinct, &mut seen, input.len());
    eprintln!(
        "seed {seed}: {kills} kills; {seen} results published for {} records (the broker stored each once)",
        input.len()
    );

    let (expected, _) = bed.redact(&input, "ds-kill");
    let out = bed.stored(OUT_SUBJECT);
    assert_eq!(
        out.len(),
        input.len(),
        "exactly one output per input record"
    );
    let ids: BTreeSet<&String> = out.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), out.len(), "no id twice");
    // The same records, each once; order may differ where a batch was read again after a kill.
    let mut got: Vec<&String> = out.iter().map(|(_, b)| b).collect();
    let mut want: Vec<&String> = expected.iter().collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

/// Read `scrim stream`'s first line (where the metrics are served), keep draining the rest.
fn metrics_address(child: &mut Child) -> (String, std::thread::JoinHandle<String>) {
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let addr = first
        .split("metrics http://")
        .nth(1)
        .and_then(|s| s.split("/metrics").next())
        .unwrap_or_else(|| panic!("no metrics address in: {first}"))
        .to_string();
    let rest = std::thread::spawn(move || {
        let mut s = first;
        err.read_to_string(&mut s).unwrap();
        s
    });
    (addr, rest)
}

fn get_metrics(addr: &str) -> String {
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.write_all(
        format!("GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut s = String::new();
    c.read_to_string(&mut s).unwrap();
    assert!(s.starts_with("HTTP/1.1 200"), "{s}");
    s
}

fn metric(text: &str, name: &str) -> i64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no {name}"))
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn sigterm_finishes_the_batch_in_hand_and_metrics_count_it() {
    let Some(bed) = Bed::new() else { return };
    let input = many(40);
    bed.publish(&input);
    let mut sub = bed.watch();
    let mut child = spawn(bed.stream_cmd(&["--max-in-flight", "4", "--metrics", "127.0.0.1:0"]));
    let (addr, rest) = metrics_address(&mut child);
    let mut distinct = BTreeSet::new();
    bed.wait_distinct(&mut sub, &mut distinct, &mut 0, 8);
    let text = get_metrics(&addr);
    assert!(metric(&text, "scrim_stream_read_total") >= 4, "{text}");
    assert!(metric(&text, "scrim_stream_lag_messages") >= 0, "{text}");
    assert!(text.contains("scrim_stream_records_total{outcome=\"written\"}"));
    assert!(text.contains("# TYPE scrim_stream_quarantined_total counter"));
    assert!(text.contains("scrim_stream_errors_total 0"));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    let err = rest.join().unwrap();
    assert!(status.success(), "SIGTERM: {err}");
    // Everything read was acknowledged, and exactly what was acknowledged was published.
    let (floor, unacked) = bed.consumer_state();
    assert_eq!(unacked, 0, "{err}");
    let out = bed.stored(OUT_SUBJECT);
    assert_eq!(out.len() as u64, floor, "{err}");
    let (expected, _) = bed.redact(&input[..out.len()], "ds-term");
    let got: Vec<&String> = out.iter().map(|(_, b)| b).collect();
    assert_eq!(got, expected.iter().collect::<Vec<_>>());
}

#[test]
fn refuses_an_output_stored_in_the_input_stream() {
    let Some(bed) = Bed::new() else { return };
    let mut c = bed.scrim();
    let out = c
        .args([
            "stream",
            "--nats",
            bed.server.url(),
            "--input-stream",
            IN_STREAM,
            "--output-subject",
            IN_SUBJECT,
            "--quarantine-subject",
            IN_OTHER,
            "--store",
            "store.db",
            "--purpose",
            "training",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("read back as input"), "{err}");
}
