//! Nothing Scrim writes about itself holds the personal data it protects.
//!
//! Distinctive values are planted in every field of every input shape Scrim reads (conversations,
//! documents, OpenAI-style chat logs with names, tool calls and metadata, profiles, attachments,
//! malformed and non-UTF-8 lines, a data file passed as a policy, the gateway's request bodies, a
//! failed sign-in, and Presidio's `/analyze`, `/anonymize` and `/deanonymize` behind `scrim serve`
//! and `scrim presidio`, failing calls included), then every command and route runs over them.
//! What Scrim says about its work (stdout, stderr, the servers' logs, manifests, receipts, audit
//! entries, error bodies, the predictions file of `scrim detect`) is scanned for each planted
//! value. Redacted output, Presidio's answers and the quarantine file are data, not talk about
//! the data, and are not scanned here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

/// Every planted value contains one of these (matched case-insensitively).
const NEEDLES: &[&str] = &[
    "zabarest",
    "quillon",
    "plantmail",
    "555 0143",
    "5550143",
    "203.0.113.77",
    "4929 1012 3456 7893",
    "hunter2-plant",
];

fn scan(what: &str, text: &str, found: &mut Vec<String>) {
    let lower = text.to_lowercase();
    for n in NEEDLES {
        if lower.contains(n) {
            found.push(format!("{what} holds planted value {n:?}"));
        }
    }
}

fn scrim(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
    c.current_dir(dir)
        .env("SCRIM_MASTER_KEY_FILE", dir.join("master.key"))
        .env_remove("SCRIM_STORE")
        .env_remove("SCRIM_MASTER_KEY")
        .env_remove("SCRIM_CRASH_AT");
    c
}

/// Runs a command; returns its output. `must_pass` asserts success.
fn run(dir: &Path, args: &[&str], must_pass: bool, found: &mut Vec<String>) -> Output {
    let out = scrim(dir).args(args).output().unwrap();
    let name = format!("`scrim {}`", args.join(" "));
    scan(
        &format!("{name} stdout"),
        &String::from_utf8_lossy(&out.stdout),
        found,
    );
    scan(
        &format!("{name} stderr"),
        &String::from_utf8_lossy(&out.stderr),
        found,
    );
    if must_pass {
        assert!(
            out.status.success(),
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// One conversation with a planted value in every field of an OpenAI-style chat log.
fn planted_conversation(id: &str, subject: &str) -> Value {
    json!({
        "id": id,
        "subject": subject,
        "source": "ai_chat",
        "title": "Zabarest family budget",
        "text": "Quillon Zabarest wrote this summary; call +1 206 555 0143.",
        "user": {"email": "user.zabarest@plantmail.example", "name": "Quillon Zabarest"},
        "metadata": {"client_ip": "203.0.113.77", "note": "zabarest-meta"},
        "messages": [
            {"role": "system", "content": "You help Quillon Zabarest."},
            {"role": "user", "name": "quillon_zabarest",
             "content": "hi, I'm Quillon Zabarest, mail qzabarest@plantmail.example or call +1 206 555 0143; card 4929 1012 3456 7893, my password is hunter2-plant",
             "metadata": {"ip": "203.0.113.77", "device": "zabarest-phone"}},
            {"role": "zabarest-role", "content": "a role nobody knows"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
              "function": {"name": "send_email",
                           "arguments": "{\"to\": \"qzabarest@plantmail.example\", \"body\": \"Dear Quillon Zabarest\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sent to qzabarest@plantmail.example"},
            {"role": "assistant", "content": "Done, Quillon."}
        ],
        "profile": {"first_name": "Quillon", "last_name": "Zabarest", "city": "Boise", "age": 34,
                    "email": "qzabarest@plantmail.example", "bio": "Quillon Zabarest, baker in Boise",
                    "hobbies": "zabarest-style juggling"},
        "attachments": [{"id": "a1", "media_type": "image/png", "filename": "zabarest-selfie.png",
                         "caption": "Quillon Zabarest at home", "data": "iVBORw0KGgo="}]
    })
}

fn input_lines() -> Vec<u8> {
    let mut out = Vec::new();
    // A leading byte-order mark, as editors on Windows write it.
    out.extend_from_slice("\u{feff}".as_bytes());
    for i in 0..3 {
        let mut c = planted_conversation(&format!("conv-{i}"), &format!("subj-{i}"));
        if i == 2 {
            // A document whose id and subject are themselves personal data.
            c = json!({"id": "qzabarest@plantmail.example", "subject": "qzabarest@plantmail.example",
                       "source": "ai_chat", "text": "Quillon Zabarest lives at 12 Zabarest Lane, Boise."});
        }
        out.extend_from_slice(c.to_string().as_bytes());
        out.push(b'\n');
    }
    // Malformed lines, each with planted values: not JSON, a non-string content, bad UTF-8.
    out.extend_from_slice(
        b"{\"id\": \"bad-1\", \"text\": \"Quillon Zabarest qzabarest@plantmail.example\n",
    );
    out.extend_from_slice(
        json!({"id": "bad-2", "messages": [{"role": "user", "content": {"Quillon": "Zabarest"}}]})
            .to_string()
            .as_bytes(),
    );
    out.push(b'\n');
    out.extend_from_slice(
        b"{\"id\": \"bad-3\", \"text\": \"Quillon Zabarest \xff\xfe +1 206 555 0143\"}\n",
    );
    out
}

// ------------------------------------------------------------------ a tiny HTTP client

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let resp = String::from_utf8_lossy(&resp).into_owned();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, rest) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

// ------------------------------------------------------------------ Presidio's routes

/// Presidio requests (path, raw body, the status expected) with planted values in every field
/// that carries text or values: the text itself, allow and deny lists, patterns, context
/// words, the correlation id, operator parameters, ciphertexts; and names that are not
/// identifiers where a name goes. Successes and failures both: what Scrim says about them
/// (error bodies, its log, audit entries) must hold none of it.
fn presidio_calls() -> Vec<(&'static str, String, u16)> {
    let text = "I'm Quillon Zabarest, qzabarest@plantmail.example, call 555 0143 from \
                203.0.113.77, card 4929 1012 3456 7893, password hunter2-plant";
    let adhoc = json!([{"name": "Quillon Zabarest finder", "supported_language": "en",
        "supported_entity": "PLANTED", "deny_list": ["Zabarest", "hunter2-plant"],
        "patterns": [{"name": "plantmail pattern", "regex": "plantmail\\.example", "score": 0.3}],
        "context": ["quillon", "plantmail"]}]);
    let key = "0123456789abcdef";
    let results = json!([{"start": 4, "end": 20, "score": 0.9, "entity_type": "PERSON"}]);
    let v = |v: Value| v.to_string();
    vec![
        // Analyses that succeed.
        (
            "/analyze",
            v(
                json!({"text": text, "language": "en", "return_decision_process": true,
            "correlation_id": "qzabarest@plantmail.example", "context": ["zabarest", "555 0143"],
            "allow_list": ["hunter2-plant", "Quillon"], "ad_hoc_recognizers": adhoc}),
            ),
            200,
        ),
        (
            "/analyze",
            v(json!({"text": [text, "Zabarest again"], "language": "en",
            "allow_list": ["quillon.*"], "allow_list_match": "regex"})),
            200,
        ),
        // ... and that fail.
        (
            "/analyze",
            format!("{{\"text\": \"{text}\", \"language\": "),
            400,
        ),
        ("/analyze", v(json!([text])), 400),
        (
            "/analyze",
            v(json!({"text": [text, {"quillon": "zabarest"}], "language": "en"})),
            400,
        ),
        (
            "/analyze",
            v(json!({"text": text, "language": "qzabarest@plantmail.example"})),
            500,
        ),
        (
            "/analyze",
            v(json!({"text": text, "language": "en", "entities": ["qzabarest@plantmail.example"]})),
            500,
        ),
        (
            "/analyze",
            v(json!({"text": text, "language": "en", "score_threshold": "Quillon Zabarest"})),
            400,
        ),
        (
            "/analyze",
            v(
                json!({"text": text, "language": "en", "allow_list": ["x"], "allow_list_match": "zabarest"}),
            ),
            500,
        ),
        (
            "/analyze",
            v(
                json!({"text": text, "language": "en", "allow_list": ["(quillon"], "allow_list_match": "regex"}),
            ),
            500,
        ),
        (
            "/analyze",
            v(
                json!({"text": text, "language": "en", "ad_hoc_recognizers": [{"name": "Quillon Zabarest",
            "supported_language": "en", "supported_entity": "X",
            "patterns": [{"name": "zabarest", "regex": "(zabarest[", "score": 0.5}]}]}),
            ),
            500,
        ),
        (
            "/analyze",
            v(
                json!({"text": text, "language": "en", "ad_hoc_recognizers": [{"name": "r",
            "supported_language": "en", "supported_entity": "X", "deny_list": ["Zabarest"],
            "qzabarest@plantmail.example": 1}]}),
            ),
            400,
        ),
        // Anonymizations that succeed and fail.
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "replace", "new_value": "Quillon Zabarest"}}}),
            ),
            200,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "encrypt", "key": key}}}),
            ),
            200,
        ),
        ("/anonymize", format!("{{\"text\": \"{text}\""), 400),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": [{"start": 4, "end": 999, "score": 0.9,
            "entity_type": "PERSON"}]}),
            ),
            422,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": [{"start": 4, "end": 20, "score": 0.9,
            "entity_type": "qzabarest@plantmail.example"}], "anonymizers": {}}),
            ),
            200,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "Quillon Zabarest"}}}),
            ),
            422,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "encrypt", "key": "hunter2-plant-zabarest"}}}),
            ),
            422,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "hash", "salt": "zabarest"}}}),
            ),
            422,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "mask", "masking_char": "quillon", "chars_to_mask": 3}}}),
            ),
            422,
        ),
        (
            "/anonymize",
            v(
                json!({"text": text, "analyzer_results": results, "anonymizers": {
            "PERSON": {"type": "custom", "lambda": "lambda x: 'Quillon Zabarest'"}}}),
            ),
            400,
        ),
        // Deanonymizations that fail: a ciphertext that is somebody's address, a wrong key.
        (
            "/deanonymize",
            v(
                json!({"text": "qzabarest@plantmail.example", "anonymizer_results": [
            {"start": 0, "end": 27, "entity_type": "EMAIL_ADDRESS", "operator": "encrypt"}],
            "deanonymizers": {"DEFAULT": {"type": "decrypt", "key": key}}}),
            ),
            422,
        ),
        (
            "/deanonymize",
            v(json!({"text": "Quillon Zabarest", "anonymizer_results": [
            {"start": 0, "end": 16, "entity_type": "PERSON", "operator": "encrypt"}],
            "deanonymizers": {"DEFAULT": {"type": "decrypt", "key": "hunter2-plant"}}})),
            422,
        ),
        ("/deanonymize", format!("{{\"text\": \"{text}"), 400),
    ]
}

/// Every Presidio call against `addr` (with `token`, if any): error bodies are scanned, and
/// a status other than the expected one fails the test.
fn presidio_round(addr: &str, token: Option<&str>, found: &mut Vec<String>) {
    for (path, body, expected) in presidio_calls() {
        let (status, text) = http(addr, "POST", path, token, Some(&body));
        assert_eq!(status, expected, "POST {path} {body}: {text}");
        if status >= 400 {
            scan(
                &format!("error body of POST {path} ({status})"),
                &text,
                found,
            );
        }
    }
    // A round trip: encrypt, then decrypt what came back (the answer is data, not scanned).
    let (status, enc) = http(
        addr,
        "POST",
        "/anonymize",
        token,
        Some(
            &json!({"text": "Quillon Zabarest", "analyzer_results": [{"start": 0, "end": 16,
            "score": 0.9, "entity_type": "PERSON"}], "anonymizers": {"DEFAULT": {"type": "encrypt",
            "key": "0123456789abcdef"}}})
            .to_string(),
        ),
    );
    assert_eq!(status, 200, "{enc}");
    let enc: Value = serde_json::from_str(&enc).unwrap();
    let items: Vec<Value> = enc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            json!({"start": i["start"], "end": i["end"], "entity_type": i["entity_type"],
                        "operator": "encrypt"})
        })
        .collect();
    let (status, dec) = http(
        addr,
        "POST",
        "/deanonymize",
        token,
        Some(
            &json!({"text": enc["text"], "anonymizer_results": items,
            "deanonymizers": {"DEFAULT": {"type": "decrypt", "key": "0123456789abcdef"}}})
            .to_string(),
        ),
    );
    assert_eq!(status, 200, "{dec}");
    assert!(dec.contains("Quillon Zabarest"), "the round trip: {dec}");
}

#[test]
fn nothing_scrim_writes_about_itself_holds_planted_personal_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut found = Vec::new();
    std::fs::write(dir.join("in.jsonl"), input_lines()).unwrap();

    // ---- file mode: redact, detect, and a data file passed where a policy belongs
    run(
        dir,
        &["redact", "in.jsonl", "-o", "out.jsonl"],
        true,
        &mut found,
    );
    let detect = run(
        dir,
        &["detect", "in.jsonl", "-o", "pred.jsonl"],
        true,
        &mut found,
    );
    assert!(detect.status.success());
    // Predictions are keyed by the caller's own record ids (to join them with gold spans); apart
    // from that key they hold offsets and labels only.
    for l in std::fs::read_to_string(dir.join("pred.jsonl"))
        .unwrap()
        .lines()
    {
        let mut v: Value = serde_json::from_str(l).unwrap();
        v.as_object_mut().unwrap().remove("id");
        scan("pred.jsonl", &v.to_string(), &mut found);
    }
    let bad_policy = run(
        dir,
        &[
            "redact", "in.jsonl", "-o", "x.jsonl", "--policy", "in.jsonl",
        ],
        false,
        &mut found,
    );
    assert!(!bad_policy.status.success(), "a JSONL file is no policy");

    // ---- dataset mode, consent and deletion
    run(dir, &["keys", "new", "master.key"], true, &mut found);
    let store = "store.db";
    run(
        dir,
        &[
            "redact",
            "in.jsonl",
            "-o",
            "ds",
            "--store",
            store,
            "--purpose",
            "training",
            "--retain-raw",
            "raw",
        ],
        true,
        &mut found,
    );
    scan(
        "ds/manifest.json",
        &std::fs::read_to_string(dir.join("ds/manifest.json")).unwrap(),
        &mut found,
    );
    run(dir, &["datasets", "--store", store], true, &mut found);
    run(
        dir,
        &["consent", "show", "subj-0", "--store", store],
        true,
        &mut found,
    );
    run(
        dir,
        &["consent", "history", "subj-0", "--store", store],
        true,
        &mut found,
    );
    run(
        dir,
        &["optout", "subj-1", "--store", store],
        true,
        &mut found,
    );
    run(
        dir,
        &["forget", "subj-0", "--store", store],
        true,
        &mut found,
    );
    run(
        dir,
        &["compact", "--all", "--store", store],
        true,
        &mut found,
    );
    scan(
        "ds/manifest.json after compaction",
        &std::fs::read_to_string(dir.join("ds/manifest.json")).unwrap(),
        &mut found,
    );

    // ---- a dataset an engine wrote: registered (planted values in its data columns), and
    // refused (a planted value where a lineage id belongs)
    let engine_file = |name: &str, subject: &str| {
        use std::sync::Arc;
        let batch = arrow_array::RecordBatch::try_from_iter([
            (
                "text",
                Arc::new(arrow_array::StringArray::from(vec![
                    "Quillon Zabarest, user.zabarest@plantmail.example, +1 206 555 0143",
                ])) as arrow_array::ArrayRef,
            ),
            (
                "scrim_subject",
                Arc::new(arrow_array::StringArray::from(vec![subject])) as arrow_array::ArrayRef,
            ),
        ])
        .unwrap();
        std::fs::create_dir_all(dir.join(name)).unwrap();
        let f = std::fs::File::create(dir.join(name).join("part-0.parquet")).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    };
    engine_file("eng", &format!("s_{}", "0".repeat(32)));
    run(
        dir,
        &[
            "datasets",
            "register",
            "eng",
            "--purpose",
            "training",
            "--store",
            store,
        ],
        true,
        &mut found,
    );
    scan(
        "eng/_scrim_manifest.json",
        &std::fs::read_to_string(dir.join("eng/_scrim_manifest.json")).unwrap(),
        &mut found,
    );
    engine_file("eng-bad", "user.zabarest@plantmail.example");
    let refused = run(
        dir,
        &[
            "datasets",
            "register",
            "eng-bad",
            "--purpose",
            "training",
            "--store",
            store,
        ],
        false,
        &mut found,
    );
    assert!(!refused.status.success(), "a raw subject is no lineage id");

    // ---- the gateway: ingest, review, flag, export, audit, and requests that fail
    std::fs::write(dir.join("pw"), "correct horse battery staple\n").unwrap();
    let admin = String::from_utf8(
        run(
            dir,
            &[
                "users",
                "add",
                "root",
                "--role",
                "admin",
                "--password-file",
                "pw",
                "--store",
                "gw.db",
            ],
            true,
            &mut found,
        )
        .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    let mut child = scrim(dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--store", "gw.db"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let server = Server(child);
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in: {line}"))
        .trim_end_matches('/')
        .to_string();
    let call = |method: &str,
                path: &str,
                token: Option<&str>,
                body: Option<Value>,
                found: &mut Vec<String>| {
        let body = body.map(|b| b.to_string());
        let (status, text) = http(&addr, method, path, token, body.as_deref());
        if status >= 400 {
            scan(
                &format!("error body of {method} {path} ({status})"),
                &text,
                found,
            );
        }
        (status, text)
    };
    let (st, proj) = call(
        "POST",
        "/api/projects",
        Some(&admin),
        Some(json!({"name": "p", "purpose": "human_review",
                    "spec": {"turns": "all", "profile": {"place": "region", "age": "band10", "k": 5}, "images": true}})),
        &mut found,
    );
    assert!(st < 300, "{st} {proj}");
    let proj: Value = serde_json::from_str(&proj).unwrap();
    let pid = proj["id"].as_str().unwrap().to_string();
    let token_of = |args: &[&str], found: &mut Vec<String>| {
        String::from_utf8(run(dir, args, true, found).stdout)
            .unwrap()
            .trim()
            .to_string()
    };
    let ingest = token_of(
        &[
            "users", "add", "feeder", "--role", "ingest", "--store", "gw.db",
        ],
        &mut found,
    );
    let officer = token_of(
        &[
            "users",
            "add",
            "pia",
            "--role",
            "privacy_officer",
            "--store",
            "gw.db",
        ],
        &mut found,
    );
    let reviewer = token_of(
        &[
            "users",
            "add",
            "rita",
            "--role",
            "reviewer",
            "--project",
            &pid,
            "--store",
            "gw.db",
        ],
        &mut found,
    );
    let trainer = token_of(
        &[
            "users",
            "add",
            "tom",
            "--role",
            "trainer",
            "--project",
            &pid,
            "--store",
            "gw.db",
        ],
        &mut found,
    );
    let conv_path = format!("/api/projects/{pid}/conversations");
    for i in 0..6 {
        let (st, body) = call(
            "POST",
            &conv_path,
            Some(&ingest),
            Some(planted_conversation(
                &format!("g{i}"),
                &format!("gsubj-{i}"),
            )),
            &mut found,
        );
        assert!(st < 300, "ingest {i}: {st} {body}");
    }
    // Ingests that fail: a non-string content, an unknown source, a body that is not JSON.
    call(
        "POST",
        &conv_path,
        Some(&ingest),
        Some(
            json!({"id": "qzabarest@plantmail.example", "subject": "Quillon Zabarest", "source": "ai_chat",
                    "messages": [{"role": "user", "content": ["Quillon Zabarest"]}]}),
        ),
        &mut found,
    );
    call(
        "POST",
        &conv_path,
        Some(&ingest),
        Some(
            json!({"id": "x", "subject": "qzabarest@plantmail.example", "source": "zabarest-source",
                    "messages": [{"role": "user", "content": "hi"}]}),
        ),
        &mut found,
    );
    let (_, _) = {
        let (status, text) = http(
            &addr,
            "POST",
            &conv_path,
            Some(&ingest),
            Some("{\"id\": \"Quillon Zabarest\", \"messages\": [qzabarest@plantmail.example"),
        );
        scan(
            &format!("error body of a malformed ingest ({status})"),
            &text,
            &mut found,
        );
        (status, text)
    };
    // A failed sign-in whose "name" is somebody's email address.
    call(
        "POST",
        "/api/login",
        None,
        Some(json!({"name": "qzabarest@plantmail.example", "password": "hunter2-plant"})),
        &mut found,
    );
    // A reviewer works through tasks: read, flag a selection, rate.
    let next_path = format!("/api/projects/{pid}/next");
    let mut reviewed = 0;
    while reviewed < 3 {
        let (st, t) = call("POST", &next_path, Some(&reviewer), None, &mut found);
        assert!(st < 300, "{st} {t}");
        let t: Value = serde_json::from_str(&t).unwrap();
        if t.is_null() {
            break;
        }
        let tid = t["id"].as_str().unwrap().to_string();
        call(
            "GET",
            &format!("/api/tasks/{tid}"),
            Some(&reviewer),
            None,
            &mut found,
        );
        call(
            "POST",
            &format!("/api/tasks/{tid}/flags"),
            Some(&reviewer),
            Some(json!({"message": 0, "start": 0, "end": 4})),
            &mut found,
        );
        call(
            "POST",
            &format!("/api/tasks/{tid}/rating"),
            Some(&reviewer),
            Some(json!({"rating": {"score": 3, "comment": "fine"}})),
            &mut found,
        );
        reviewed += 1;
    }
    assert!(reviewed > 0, "the reviewer got no task");
    // Reads that are refused: another role, a task that does not exist.
    call(
        "GET",
        "/api/tasks/qzabarest@plantmail.example",
        Some(&reviewer),
        None,
        &mut found,
    );
    call("POST", &next_path, Some(&officer), None, &mut found);
    call(
        "GET",
        &format!("/api/projects/{pid}/export"),
        Some(&trainer),
        None,
        &mut found,
    );
    call(
        "GET",
        &format!("/api/projects/{pid}/stats"),
        Some(&officer),
        None,
        &mut found,
    );
    // Presidio's routes behind a redactor token, and refused to a reviewer and to nobody.
    let redactor = token_of(
        &[
            "users", "add", "presto", "--role", "redactor", "--store", "gw.db",
        ],
        &mut found,
    );
    presidio_round(&addr, Some(&redactor), &mut found);
    for token in [Some(reviewer.as_str()), None] {
        let (_, body, _) = &presidio_calls()[0];
        let (status, text) = http(&addr, "POST", "/analyze", token, Some(body));
        assert!(status == 401 || status == 403, "{status} {text}");
        scan(
            &format!("error body of a refused /analyze ({status})"),
            &text,
            &mut found,
        );
    }
    let (st, audit) = call(
        "GET",
        "/api/audit?limit=10000",
        Some(&officer),
        None,
        &mut found,
    );
    assert!(st < 300, "{st} {audit}");
    let audit: Value = serde_json::from_str(&audit).unwrap();
    for e in audit.as_array().into_iter().flatten() {
        scan(&format!("audit entry {e}"), &e.to_string(), &mut found);
    }
    assert!(
        audit.as_array().is_some_and(|a| a.len() > 10),
        "the audit log records the work: {audit}"
    );
    for action in ["text.analyze", "text.anonymize", "text.deanonymize"] {
        assert!(
            audit
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e.to_string().contains(action)),
            "the audit log records {action}"
        );
    }
    let (_, alerts) = call("GET", "/api/alerts", Some(&officer), None, &mut found);
    scan("alerts", &alerts, &mut found);
    drop(server);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    scan("the server's log", &log, &mut found);
    run(
        dir,
        &["audit", "verify", "--store", "gw.db"],
        true,
        &mut found,
    );

    // `scrim presidio`: the same calls, and one over its body limit; then its log.
    let mut child = scrim(dir)
        .args([
            "presidio",
            "--listen",
            "127.0.0.1:0",
            "--max-body-bytes",
            "4096",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let server = Server(child);
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    scan("`scrim presidio` stderr", &line, &mut found);
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in: {line}"))
        .trim_end_matches('/')
        .to_string();
    presidio_round(&addr, None, &mut found);
    let big = json!({"text": "Quillon Zabarest ".repeat(400), "language": "en"}).to_string();
    let (status, text) = http(&addr, "POST", "/analyze", None, Some(&big));
    assert_eq!(status, 413, "{text}");
    scan("error body of an oversized /analyze", &text, &mut found);
    drop(server);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    scan("`scrim presidio` stderr", &log, &mut found);

    found.sort();
    found.dedup();
    assert!(found.is_empty(), "leaks:\n{}", found.join("\n"));
}
