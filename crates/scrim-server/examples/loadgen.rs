//! An HTTP/1.1 load generator for the load tests (`tools/loadtest/run.py`, the gateway's task
//! fetch; `tools/bench/analyze.py`, Presidio's `/analyze` against `scrim presidio`).
//!
//! wrk measures a closed loop: each connection sends its next request when the last one answers,
//! so a stalled server is simply sent less, and the stall never shows in the percentiles
//! ("coordinated omission"). This generator fixes the arrival rate instead: request `i` is due at
//! `start + i / rate`, whether or not earlier ones were answered, and each latency is measured from
//! the moment the request was due, not from when a connection became free to send it. A server that
//! keeps up shows its service time; one that stalls shows every request that queued behind it.
//! `--closed N` runs a closed loop instead (each connection sends its next request when the last
//! one is answered, N requests in all), for the peak rate; latencies are then each request's own.
//!
//! ```text
//! loadgen --addr 127.0.0.1:8080 --rate 1000 --seconds 20 --connections 50 --targets FILE
//! loadgen --addr 127.0.0.1:5002 --rate 200 --seconds 20 --connections 50 --post /analyze --bodies FILE
//! loadgen --addr 127.0.0.1:5002 --closed 5000 --connections 4 --post /analyze --bodies FILE
//! ```
//!
//! `--targets FILE` holds one `TOKEN PATH` pair per line; requests cycle through them (`GET PATH`
//! with `Authorization: Bearer TOKEN`, keep-alive). `--post PATH --bodies FILE` sends `POST PATH`
//! with each non-empty line of FILE in turn as a JSON body. A server that closes the connection
//! after an answer (gunicorn's sync workers) is reconnected to, the reconnection counted in the
//! next request's latency. Prints one JSON object: the mode, the rate asked and achieved, the count
//! of non-2xx answers and of failed requests, and latency percentiles in milliseconds. Bodies are
//! never printed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Mutex};

/// Open-loop load at a fixed rate, or a closed loop.
#[derive(Parser)]
struct Args {
    /// The server, HOST:PORT.
    #[arg(long)]
    addr: String,
    /// Requests a second (open loop).
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// How long to send (open loop).
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// A closed loop of this many requests in all instead of a fixed rate.
    #[arg(long, value_name = "N")]
    closed: Option<usize>,
    /// Kept-alive connections (the concurrency of a closed loop).
    #[arg(long, default_value_t = 50)]
    connections: usize,
    /// A file of `TOKEN PATH` lines (GET requests).
    #[arg(long, conflicts_with_all = ["post", "bodies"])]
    targets: Option<std::path::PathBuf>,
    /// POST to this path, with the bodies of `--bodies`.
    #[arg(long, value_name = "PATH", requires = "bodies")]
    post: Option<String>,
    /// A file of JSON bodies, one a line (with `--post`).
    #[arg(long, value_name = "FILE", requires = "post")]
    bodies: Option<std::path::PathBuf>,
}

/// One request to send.
struct Target {
    method: hyper::Method,
    path: String,
    token: Option<String>,
    body: Bytes,
}

fn read_targets(file: &std::path::Path) -> Result<Vec<Target>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let targets: Vec<Target> = text
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(t, p)| Target {
            method: hyper::Method::GET,
            path: p.trim().to_string(),
            token: Some(t.to_string()),
            body: Bytes::new(),
        })
        .collect();
    if targets.is_empty() {
        return Err(format!("{}: no `TOKEN PATH` lines", file.display()));
    }
    Ok(targets)
}

fn read_bodies(path: &str, file: &std::path::Path) -> Result<Vec<Target>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let targets: Vec<Target> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Target {
            method: hyper::Method::POST,
            path: path.to_string(),
            token: None,
            body: Bytes::from(l.to_string()),
        })
        .collect();
    if targets.is_empty() {
        return Err(format!("{}: no bodies", file.display()));
    }
    Ok(targets)
}

/// One request's outcome: its latency, and whether the answer was 2xx.
type Outcome = Result<(Duration, bool), String>;

/// An HTTP/1.1 connection (hyper's client, keep-alive).
async fn connect(addr: &str) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(sender)
}

/// A connection ready to send on: the kept one while the server keeps it open, else a new one.
async fn ready<'a>(
    conn: &'a mut Option<SendRequest<Full<Bytes>>>,
    addr: &str,
) -> Result<&'a mut SendRequest<Full<Bytes>>, String> {
    if let Some(sender) = conn.as_mut() {
        if sender.ready().await.is_err() {
            *conn = None;
        }
    }
    match conn {
        Some(sender) => Ok(sender),
        None => Ok(conn.insert(connect(addr).await?)),
    }
}

/// Send one request and read the whole answer; whether it was 2xx.
async fn send(
    conn: &mut Option<SendRequest<Full<Bytes>>>,
    addr: &str,
    target: &Target,
) -> Result<bool, String> {
    let sender = ready(conn, addr).await?;
    let mut request = hyper::Request::builder()
        .method(target.method.clone())
        .uri(target.path.as_str())
        .header(hyper::header::HOST, addr);
    if let Some(token) = &target.token {
        request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if target.method == hyper::Method::POST {
        request = request.header(hyper::header::CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(Full::new(target.body.clone()))
        .map_err(|e| e.to_string())?;
    let result = async {
        let answer = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let ok = answer.status().is_success();
        answer
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?;
        Ok(ok)
    }
    .await;
    if result.is_err() {
        *conn = None;
    }
    result
}

/// An open-loop worker: sends each request it is handed when it is due.
async fn open_worker(
    addr: String,
    targets: Arc<Vec<Target>>,
    due: Arc<Mutex<mpsc::UnboundedReceiver<(usize, Instant)>>>,
    done: mpsc::UnboundedSender<Outcome>,
) {
    let mut conn = None;
    loop {
        let next = due.lock().await.recv().await;
        let Some((i, at)) = next else { return };
        let Some(target) = targets.get(i % targets.len().max(1)) else {
            return;
        };
        let outcome = send(&mut conn, &addr, target)
            .await
            .map(|ok| (at.elapsed(), ok));
        let _ = done.send(outcome);
    }
}

/// A closed-loop worker: takes the next request number until `total` are taken.
async fn closed_worker(
    addr: String,
    targets: Arc<Vec<Target>>,
    next: Arc<AtomicUsize>,
    total: usize,
    done: mpsc::UnboundedSender<Outcome>,
) {
    let mut conn = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total {
            return;
        }
        let Some(target) = targets.get(i % targets.len().max(1)) else {
            return;
        };
        let start = Instant::now();
        let outcome = send(&mut conn, &addr, target)
            .await
            .map(|ok| (start.elapsed(), ok));
        let _ = done.send(outcome);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.clamp(1, sorted.len()) - 1)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn fail(message: &str) -> ! {
    eprintln!("loadgen: {message}");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if args.connections == 0 || (args.closed.is_none() && args.rate <= 0.0) {
        fail("need a positive --rate (or --closed N) and at least one connection");
    }
    let targets = match (&args.targets, &args.post, &args.bodies) {
        (Some(file), None, None) => read_targets(file),
        (None, Some(path), Some(file)) => read_bodies(path, file),
        _ => Err("give --targets FILE, or --post PATH with --bodies FILE".to_string()),
    };
    let targets = match targets {
        Ok(t) => Arc::new(t),
        Err(e) => fail(&e),
    };
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let start = Instant::now();
    let (total, scheduler) = match args.closed {
        Some(total) => {
            let next = Arc::new(AtomicUsize::new(0));
            for _ in 0..args.connections {
                tokio::spawn(closed_worker(
                    args.addr.clone(),
                    targets.clone(),
                    next.clone(),
                    total,
                    done_tx.clone(),
                ));
            }
            (total, None)
        }
        None => {
            let (due_tx, due_rx) = mpsc::unbounded_channel();
            let due_rx = Arc::new(Mutex::new(due_rx));
            for _ in 0..args.connections {
                tokio::spawn(open_worker(
                    args.addr.clone(),
                    targets.clone(),
                    due_rx.clone(),
                    done_tx.clone(),
                ));
            }
            let total = (args.rate * args.seconds).round() as usize;
            let rate = args.rate;
            let scheduler = tokio::spawn(async move {
                for i in 0..total {
                    let at = start + Duration::from_secs_f64(i as f64 / rate);
                    tokio::time::sleep_until(at.into()).await;
                    if due_tx.send((i, at)).is_err() {
                        return;
                    }
                }
            });
            (total, Some(scheduler))
        }
    };
    drop(done_tx);
    let mut latencies = Vec::with_capacity(total);
    let (mut non_2xx, mut failed) = (0usize, 0usize);
    while latencies.len() + failed < total {
        match done_rx.recv().await {
            Some(Ok((latency, ok))) => {
                if !ok {
                    non_2xx += 1;
                }
                latencies.push(latency);
            }
            Some(Err(_)) => failed += 1,
            None => break,
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    if let Some(scheduler) = scheduler {
        let _ = scheduler.await;
    }
    latencies.sort_unstable();
    let (mode, rate_asked) = match args.closed {
        Some(_) => ("closed", "null".to_string()),
        None => ("open", args.rate.to_string()),
    };
    let report = format!(
        concat!(
            "{{\"mode\": \"{}\", \"rate_asked\": {}, \"connections\": {}, \"requests\": {}, ",
            "\"seconds\": {:.3}, \"achieved_per_s\": {:.1}, ",
            "\"non_2xx\": {}, \"failed\": {}, \"p50_ms\": {:.2}, \"p90_ms\": {:.2}, ",
            "\"p99_ms\": {:.2}, \"p999_ms\": {:.2}, \"max_ms\": {:.2}}}"
        ),
        mode,
        rate_asked,
        args.connections,
        latencies.len(),
        elapsed,
        latencies.len() as f64 / elapsed,
        non_2xx,
        failed,
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 99.9),
        percentile(&latencies, 100.0),
    );
    println!("{report}");
}
