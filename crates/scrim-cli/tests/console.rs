//! The web console end to end in a real browser: `scrim serve` on a loopback port, driven by
//! `tools/console-e2e/run.mjs` (playwright-core and Debian's headless Chromium, which `.ci/run`
//! installs). Set SCRIM_SKIP_BROWSER=1 to skip where no browser can be installed; otherwise a
//! missing browser fails the test. SCRIM_SCREENSHOTS=DIR keeps the screenshots.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_console_works_for_reviewers_officers_and_admins() {
    if std::env::var("SCRIM_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("SCRIM_SKIP_BROWSER=1: console test skipped");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("tools/console-e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    assert!(
        Path::new(&chromium).exists() && e2e.join("node_modules/playwright-core").exists(),
        "the console test needs Debian's chromium ({chromium}) and `npm ci` in tools/console-e2e \
         (.ci/run installs both; SCRIM_SKIP_BROWSER=1 skips this test)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scrim = env!("CARGO_BIN_EXE_scrim");
    let run = |args: &[&str]| {
        let out = Command::new(scrim)
            .args(args)
            .current_dir(dir)
            .env("SCRIM_MASTER_KEY_FILE", dir.join("master.key"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    run(&["keys", "new", "master.key"]);
    std::fs::write(dir.join("pw"), "correct horse battery staple\n").unwrap();
    let admin = run(&[
        "users",
        "add",
        "root",
        "--role",
        "admin",
        "--password-file",
        "pw",
        "--store",
        "gw.db",
    ]);
    // The first privacy officer comes from the command line: the admin's proposals of
    // privileged accounts wait for a privacy officer's approval.
    let officer = run(&[
        "users",
        "add",
        "pia",
        "--role",
        "privacy_officer",
        "--password-file",
        "pw",
        "--store",
        "gw.db",
    ]);
    let mut child = Command::new(scrim)
        .args(["serve", "--listen", "127.0.0.1:0", "--store", "gw.db"])
        .current_dir(dir)
        .env("SCRIM_MASTER_KEY_FILE", dir.join("master.key"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in: {line}"))
        .trim_end_matches('/')
        .to_string();
    let mut node = Command::new("node");
    node.arg(e2e.join("run.mjs"))
        .arg(&base)
        .arg(&admin)
        .arg(&officer)
        .env("CHROMIUM", &chromium);
    if let Ok(d) = std::env::var("SCRIM_SCREENSHOTS") {
        std::fs::create_dir_all(&d).unwrap();
        node.arg(d);
    }
    let out = node.output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "console e2e failed:\n{log}");
    assert!(log.contains("all checks passed"), "{log}");
    drop(server);
    // Everything the browser did is on the audit record, and the chain verifies.
    let verified = run(&["audit", "verify", "--store", "gw.db"]);
    assert!(verified.contains("intact"), "{verified}");
}
