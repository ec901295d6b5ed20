//! `scrim audit verify` against a wiped and a rolled-back audit log, on every store back-end:
//! the genesis anchor and the store's activity show a wipe, and the checkpoints `scrim serve`
//! exports outside the database show a rollback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn scrim(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scrim"));
    c.current_dir(dir)
        .env("SCRIM_MASTER_KEY_FILE", dir.join("master.key"))
        .env_remove("SCRIM_STORE")
        .env_remove("SCRIM_MASTER_KEY");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    scrim(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{} failed: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn backends() -> Vec<Option<String>> {
    scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}"))
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn fresh_store(backend: &Option<String>, dir: &Path) -> String {
    rt().block_on(scrim_store::testing::fresh_url(
        backend.as_deref(),
        dir,
        "store.db",
    ))
    .unwrap()
}

/// Run SQL statements (with i64 and text binds) on the store.
fn sql(url: &str, statements: &[(&str, Vec<String>)]) {
    rt().block_on(async {
        let store = scrim_store::Store::open(url).await.unwrap();
        for (q, binds) in statements {
            let mut query = sqlx::query(q);
            for b in binds {
                query = match b.parse::<i64>() {
                    Ok(n) => query.bind(n),
                    Err(_) => query.bind(b.clone()),
                };
            }
            query.execute(store.pool()).await.unwrap();
        }
    });
}

fn anchor(url: &str) -> (i64, String, String) {
    rt().block_on(async {
        let store = scrim_store::Store::open(url).await.unwrap();
        let r = sqlx::query("SELECT seq, head, mac FROM audit_anchor")
            .fetch_one(store.pool())
            .await
            .unwrap();
        use sqlx::Row;
        (
            r.try_get(0).unwrap(),
            r.try_get(1).unwrap(),
            r.try_get(2).unwrap(),
        )
    })
}

fn add_user(dir: &Path, url: &str, name: &str) {
    ok(
        dir,
        &["users", "add", name, "--role", "admin", "--store", url],
    );
}

#[test]
fn a_wiped_audit_log_does_not_verify() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        ok(dir, &["keys", "new", "master.key"]);
        let url = fresh_store(&backend, dir);
        // A store nobody used yet verifies (its genesis anchor stands for the empty log).
        let out = ok(dir, &["audit", "verify", "--store", &url]);
        assert!(out.contains("intact: 0 entries"), "{out}");
        add_user(dir, &url, "root");
        ok(dir, &["audit", "verify", "--store", &url]);
        sql(
            &url,
            &[
                ("DELETE FROM audit", vec![]),
                ("DELETE FROM audit_anchor", vec![]),
            ],
        );
        let out = run(dir, &["audit", "verify", "--store", &url]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "a wiped log verified: {stdout}");
        assert!(stdout.contains("anchor is missing"), "{stdout}");
        // A genesis anchor put back does not help: the store shows activity.
        sql(
            &url,
            &[(
                "INSERT INTO audit_anchor (id, seq, head, mac) VALUES (1, 0, 'genesis', 'genesis')",
                vec![],
            )],
        );
        let out = run(dir, &["audit", "verify", "--store", &url]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{stdout}");
        assert!(
            stdout.contains("empty but the store holds 1 users"),
            "{stdout}"
        );
    }
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_rolled_back_audit_log_shows_against_the_checkpoints() {
    for backend in backends() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        ok(dir, &["keys", "new", "master.key"]);
        let url = fresh_store(&backend, dir);
        add_user(dir, &url, "root");
        let old = anchor(&url);
        add_user(dir, &url, "second");
        std::fs::write(
            dir.join("gateway.toml"),
            format!(
                "listen = \"127.0.0.1:0\"\nstore = {}\naudit_checkpoints = \"checkpoints.jsonl\"\n",
                toml_string(&url)
            ),
        )
        .unwrap();
        let mut child = scrim(dir)
            .args(["serve", "--config", "gateway.toml"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let server = Server(child);
        // Up once it says where it listens (the start checkpoint is written before that).
        let mut lines = BufReader::new(stderr).lines();
        loop {
            let line = lines.next().expect("scrim serve stopped").unwrap();
            if line.starts_with("scrim serve: http://") {
                break;
            }
        }
        let pid = server.0.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let mut server = server;
        let status = server.0.wait().unwrap();
        assert!(status.success(), "scrim serve exited {status}");
        let file = std::fs::read_to_string(dir.join("checkpoints.jsonl")).unwrap();
        assert_eq!(file.lines().count(), 2, "at start and at shutdown: {file}");
        let out = ok(
            dir,
            &[
                "audit",
                "verify",
                "--store",
                &url,
                "--checkpoints",
                "checkpoints.jsonl",
            ],
        );
        assert!(out.contains("2 checkpoints"), "{out}");
        // Put the older log-and-anchor pair back: valid on its own ...
        sql(
            &url,
            &[
                ("DELETE FROM audit WHERE seq > $1", vec![old.0.to_string()]),
                (
                    "UPDATE audit_anchor SET seq = $1, head = $2, mac = $3",
                    vec![old.0.to_string(), old.1.clone(), old.2.clone()],
                ),
            ],
        );
        ok(dir, &["audit", "verify", "--store", &url]);
        // ... but not against the checkpoints.
        let out = run(
            dir,
            &[
                "audit",
                "verify",
                "--store",
                &url,
                "--checkpoints",
                "checkpoints.jsonl",
            ],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !out.status.success(),
            "a rolled-back log verified: {stdout}"
        );
        assert!(stdout.contains("rolled back"), "{stdout}");
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
