//! Helpers shared by the CLI's integration tests (each test file includes this module).
#![allow(clippy::unwrap_used, reason = "a test helper fails by panicking")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Start `cmd` held at `point` (`SCRIM_PAUSE_AT`), wait until it says it is there, then kill
/// it with SIGKILL: the kill lands at that state, however slow the machine.
pub fn kill_at(mut cmd: Command, point: &str) {
    let mut child = cmd
        .env("SCRIM_PAUSE_AT", point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut reached = false;
    let mut said = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if line == format!("scrim: paused at {point}") {
            reached = true;
            break;
        }
        said.push_str(&line);
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(reached, "{point}: never reached ({status}): {said}");
    assert!(!status.success(), "{point}");
}
