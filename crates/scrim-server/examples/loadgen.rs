//! An open-loop HTTP/1.1 load generator for the gateway's load test (`tools/loadtest/run.py`).
//!
//! wrk measures a closed loop: each connection sends its next request when the last one answers,
//! so a stalled server is simply sent less, and the stall never shows in the percentiles
//! ("coordinated omission"). This generator fixes the arrival rate instead: request `i` is due at
//! `start + i / rate`, whether or not earlier ones were answered, and each latency is measured from
//! the moment the request was due, not from when a connection became free to send it. A server that
//! keeps up shows its service time; one that stalls shows every request that queued behind it.
//!
//! ```text
//! loadgen --addr 127.0.0.1:8080 --rate 1000 --seconds 20 --connections 50 --targets FILE
//! ```
//!
//! `FILE` holds one `TOKEN PATH` pair per line; requests cycle through them (`GET PATH` with
//! `Authorization: Bearer TOKEN`, keep-alive). Prints one JSON object: the rate asked and achieved,
//! the count of non-2xx answers and of failed requests, and latency percentiles in milliseconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Mutex};

/// Open-loop load at a fixed rate.
#[derive(Parser)]
struct Args {
    /// The server, HOST:PORT.
    #[arg(long)]
    addr: String,
    /// Requests a second.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// How long to send.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Kept-alive connections.
    #[arg(long, default_value_t = 50)]
    connections: usize,
    /// A file of `TOKEN PATH` lines.
    #[arg(long)]
    targets: std::path::PathBuf,
}

fn read_targets(file: &std::path::Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let targets: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(t, p)| (t.to_string(), p.trim().to_string()))
        .collect();
    if targets.is_empty() {
        return Err(format!("{}: no `TOKEN PATH` lines", file.display()));
    }
    Ok(targets)
}

/// One request's outcome: its latency from when it was due, and whether the answer was 2xx.
type Outcome = Result<(Duration, bool), String>;

/// An HTTP/1.1 connection (hyper's client, keep-alive).
async fn connect(addr: &str) -> Result<SendRequest<Empty<Bytes>>, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(sender)
}

/// `GET path` with the token, the whole answer read; whether it was 2xx.
async fn fetch(
    sender: &mut SendRequest<Empty<Bytes>>,
    host: &str,
    token: &str,
    path: &str,
) -> Result<bool, String> {
    let request = hyper::Request::get(path)
        .header(hyper::header::HOST, host)
        .header(hyper::header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Empty::new())
        .map_err(|e| e.to_string())?;
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

async fn worker(
    addr: String,
    targets: Arc<Vec<(String, String)>>,
    due: Arc<Mutex<mpsc::UnboundedReceiver<(usize, Instant)>>>,
    done: mpsc::UnboundedSender<Outcome>,
) {
    let mut conn = None;
    loop {
        let next = due.lock().await.recv().await;
        let Some((i, at)) = next else { return };
        let Some((token, path)) = targets.get(i % targets.len().max(1)) else {
            return;
        };
        let sender = match conn.as_mut() {
            Some(s) => s,
            None => match connect(&addr).await {
                Ok(s) => conn.insert(s),
                Err(e) => {
                    let _ = done.send(Err(e));
                    continue;
                }
            },
        };
        let outcome = match fetch(sender, &addr, token, path).await {
            Ok(ok) => Ok((at.elapsed(), ok)),
            Err(e) => {
                conn = None;
                Err(e)
            }
        };
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

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if args.rate <= 0.0 || args.connections == 0 {
        eprintln!("loadgen: need a positive --rate and at least one connection");
        std::process::exit(2);
    }
    let targets = match read_targets(&args.targets) {
        Ok(t) => Arc::new(t),
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let (due_tx, due_rx) = mpsc::unbounded_channel();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let due_rx = Arc::new(Mutex::new(due_rx));
    for _ in 0..args.connections {
        tokio::spawn(worker(
            args.addr.clone(),
            targets.clone(),
            due_rx.clone(),
            done_tx.clone(),
        ));
    }
    drop(done_tx);
    let total = (args.rate * args.seconds).round() as usize;
    let start = Instant::now();
    let scheduler = tokio::spawn(async move {
        for i in 0..total {
            let at = start + Duration::from_secs_f64(i as f64 / args.rate);
            tokio::time::sleep_until(at.into()).await;
            if due_tx.send((i, at)).is_err() {
                return;
            }
        }
    });
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
    let _ = scheduler.await;
    latencies.sort_unstable();
    let report = format!(
        concat!(
            "{{\"rate_asked\": {}, \"requests\": {}, \"achieved_per_s\": {:.1}, ",
            "\"non_2xx\": {}, \"failed\": {}, \"p50_ms\": {:.2}, \"p90_ms\": {:.2}, ",
            "\"p99_ms\": {:.2}, \"p999_ms\": {:.2}, \"max_ms\": {:.2}}}"
        ),
        args.rate,
        latencies.len(),
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
