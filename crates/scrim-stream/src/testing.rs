//! (feature `testing`) A private `nats-server -js` for tests and the throughput bench: a free
//! loopback port chosen by the server itself, its store in a temporary directory, stopped when
//! dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// Why the NATS tests may not run here: `Some(reason)` only when `SCRIM_SKIP_NATS=1` asks to
/// skip them. Without it a missing `nats-server` is a failure, not a skip.
pub fn skip_reason() -> Option<String> {
    (std::env::var("SCRIM_SKIP_NATS").as_deref() == Ok("1"))
        .then(|| "SCRIM_SKIP_NATS=1: the NATS JetStream tests are skipped".to_string())
}

/// The `nats-server` to run: `SCRIM_NATS_SERVER`, else the first on `PATH`, else Debian's
/// `/usr/sbin/nats-server` (not on a user's `PATH`).
pub fn server_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCRIM_NATS_SERVER") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("nats-server"))
        .chain([PathBuf::from("/usr/sbin/nats-server")])
        .find(|p| p.is_file())
}

/// A running private server.
#[derive(Debug)]
pub struct NatsServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl NatsServer {
    /// Start `nats-server -js` on a loopback port it picks, with its store in a new temporary
    /// directory, and return once it accepts clients (read from its log, not waited for).
    pub fn start() -> Result<NatsServer, String> {
        let bin = server_binary().ok_or(
            "nats-server is not installed (Debian: apt-get install nats-server; or set \
             SCRIM_NATS_SERVER, or SCRIM_SKIP_NATS=1 to skip these tests)",
        )?;
        let dir = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
        let mut child = Command::new(&bin)
            .args(["-js", "-a", "127.0.0.1", "-p", "-1", "-sd"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", bin.display()))?;
        let Some(stderr) = child.stderr.take() else {
            let _ = child.kill();
            return Err("nats-server's log is not readable".into());
        };
        let mut lines = BufReader::new(stderr).lines();
        let mut url = None;
        let mut log = Vec::new();
        let ready = loop {
            let Some(Ok(line)) = lines.next() else {
                break false;
            };
            if let Some((_, addr)) = line.split_once("Listening for client connections on ") {
                url = Some(format!("nats://{}", addr.trim()));
            }
            let done = line.contains("Server is ready");
            log.push(line);
            if done {
                break true;
            }
        };
        let url = match (ready, url) {
            (true, Some(url)) => url,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("nats-server did not start:\n{}", log.join("\n")));
            }
        };
        // Keep reading its log, so that a full pipe never stops it.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(NatsServer {
            child,
            url,
            _dir: dir,
        })
    }

    /// Its client URL (`nats://127.0.0.1:PORT`).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
