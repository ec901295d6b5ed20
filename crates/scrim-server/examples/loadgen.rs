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

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, Mutex};

struct Args {
    addr: String,
    rate: f64,
    seconds: f64,
    connections: usize,
    targets: Vec<(String, String)>,
}

fn parse_args() -> Result<Args, String> {
    let mut addr = None;
    let mut rate = 1000.0;
    let mut seconds = 20.0;
    let mut connections = 50;
    let mut file = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |what: &str| format!("{flag}: not {what}");
        match flag.as_str() {
            "--addr" => addr = Some(value),
            "--rate" => rate = value.parse().map_err(|_| bad("a number"))?,
            "--seconds" => seconds = value.parse().map_err(|_| bad("a number"))?,
            "--connections" => connections = value.parse().map_err(|_| bad("a count"))?,
            "--targets" => file = Some(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    let file = file.ok_or("--targets FILE is required")?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let targets: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(t, p)| (t.to_string(), p.trim().to_string()))
        .collect();
    if targets.is_empty() || rate <= 0.0 || connections == 0 {
        return Err("need targets, a positive rate and at least one connection".into());
    }
    Ok(Args {
        addr: addr.ok_or("--addr HOST:PORT is required")?,
        rate,
        seconds,
        connections,
        targets,
    })
}

/// One request's outcome: its latency from when it was due, and whether the answer was 2xx.
type Outcome = Result<(Duration, bool), String>;

/// Send `GET path` on a kept-alive connection and read the whole answer; the status code back.
async fn fetch(
    conn: &mut BufReader<TcpStream>,
    host: &str,
    token: &str,
    path: &str,
) -> Result<u16, String> {
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n");
    conn.get_mut()
        .write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    conn.read_line(&mut line).await.map_err(|e| e.to_string())?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
            return Err("connection closed".into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().map_err(|_| "bad content-length")?;
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)
        .await
        .map_err(|e| e.to_string())?;
    Ok(status)
}

async fn worker(
    addr: String,
    targets: std::sync::Arc<Vec<(String, String)>>,
    due: std::sync::Arc<Mutex<mpsc::UnboundedReceiver<(usize, Instant)>>>,
    done: mpsc::UnboundedSender<Outcome>,
) {
    let mut conn: Option<BufReader<TcpStream>> = None;
    loop {
        let next = due.lock().await.recv().await;
        let Some((i, at)) = next else { return };
        let (token, path) = &targets[i % targets.len()];
        if conn.is_none() {
            match TcpStream::connect(&addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(BufReader::new(s));
                }
                Err(e) => {
                    let _ = done.send(Err(e.to_string()));
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let outcome = match fetch(c, &addr, token, path).await {
            Ok(status) => Ok((at.elapsed(), (200..300).contains(&status))),
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
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    let (due_tx, due_rx) = mpsc::unbounded_channel();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let due_rx = std::sync::Arc::new(Mutex::new(due_rx));
    let targets = std::sync::Arc::new(args.targets);
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
