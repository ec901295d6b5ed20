"""`scrim presidio` against Presidio's analyzer server on `POST /analyze`, side by side in one run
(issue 15 item 3): requests/s in a closed loop and latency at a fixed offered rate, on loopback.

    target/bench-venv/bin/python tools/bench/analyze_vs_presidio.py [--messages-mb 0.4]
        [--max-bytes 4096] [--connections 4] [--presidio-workers 2] [--scrim-passes 40]
        [--rate 200] [--seconds 20] [--runs 3] [--presidio-open-seconds 2] [--nice N] [--json-out FILE]

The requests: `{"text": MESSAGE, "language": "en"}` for real user and assistant messages of at most
--max-bytes bytes (tools/bench/chats.py: ShareGPT conversations, held-out ones excluded), the
first --messages-mb MB of them in a fixed order. Both servers answer the same requests:

- Scrim: `scrim presidio` (release build; no store, no sign-in; the rule tier; Scrim's runtime
  on every core);
- Presidio: tools/bench/presidio_analyzer_server.py, the equivalent of Presidio's analyzer app,
  under gunicorn with --presidio-workers sync workers (its container runs gunicorn, 1 worker by
  default; here one per core).

Both servers run at once (an idle one takes no CPU), each warmed up first (a pass of 2 x workers
requests, not counted). Then, --runs times, alternating:

1. closed loop: crates/scrim-server/examples/loadgen.rs with --connections connections, each
   sending its next request when the last is answered. Presidio answers every message once
   (one pass over the set); Scrim answers --scrim-passes passes over the same set, so both see
   the same mix of messages. Requests/s = answered / wall time.
2. open loop (the bar's mode): the same generator sends --rate requests a second for --seconds to
   Scrim, whatever it answers, each latency timed from when the request was due, so a stall shows
   in the tail (no coordinated omission). Presidio gets the same rate for --presidio-open-seconds
   once (0 skips it): it cannot keep up, and the run shows how its queue grows.

Each run notes the CPU time the load generator and the server used (from /proc) and the load
average: the load generator shares the machine's cores with the server. Requests per CPU-second
of the server is reported beside req/s: it moves less when other jobs take the cores. `--nice N`
runs both servers and the load generator at niceness N, each in its own session whose scheduling
group (Linux's autogroup) gets N too (a negative N, as root, puts them before the machine's other
jobs; the same for both sides). Any non-2xx answer or
failed request stops the benchmark. No text is printed or logged.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import chats  # noqa: E402
from procs import niced, prioritize, tree_cpu_s  # noqa: E402


def die(msg: str, code: int = 2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str):
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Server:
    """A server process on loopback, stopped at exit; its log goes to a file (it never holds text:
    neither server logs requests)."""

    def __init__(self, name: str, cmd: list[str], port: int, log_path: Path, env=None, niceness: int = 0):
        self.name, self.port = name, port
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(niced(cmd, niceness), stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True)
        prioritize(self.proc.pid, niceness)
        deadline = time.time() + 180
        while True:
            if self.proc.poll() is not None:
                die(f"{name} exited ({self.proc.returncode}) while starting; see {log_path}", 1)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                self.stop()
                die(f"{name} did not answer /health within 180 s; see {log_path}", 1)
            time.sleep(0.5)

    def cpu_s(self) -> float:
        return tree_cpu_s(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def loadgen(loadgen_bin: str, server: Server, bodies: Path, args: list[str], niceness: int = 0) -> dict:
    """One loadgen run; its report with the CPU the generator and the server used."""
    cmd = niced([loadgen_bin, "--addr", f"127.0.0.1:{server.port}", "--post", "/analyze",
           "--bodies", str(bodies), *args], niceness)
    load = os.getloadavg()[0]
    server_cpu0 = server.cpu_s()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    prioritize(proc.pid, niceness)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        die(f"loadgen failed against {server.name}: {err.strip()[-1000:]}", 1)
    report = json.loads(out)
    report["load_1min"] = round(load, 2)
    report["client_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    report["server_cpu_s"] = round(server.cpu_s() - server_cpu0, 2)
    report["client_cores"] = round(report["client_cpu_s"] / report["seconds"], 2)
    report["server_cores"] = round(report["server_cpu_s"] / report["seconds"], 2)
    if report["non_2xx"] or report["failed"]:
        die(f"{server.name}: {report['non_2xx']} non-2xx answers and {report['failed']} failed "
            f"requests in {args}", 1)
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages-mb", type=float, default=0.4, help="MB of message text in the set")
    ap.add_argument("--max-bytes", type=int, default=4096, help="longest message (bytes)")
    ap.add_argument("--connections", type=int, default=4, help="closed loop's concurrency")
    ap.add_argument("--presidio-workers", type=int, default=2)
    ap.add_argument("--scrim-passes", type=int, default=40)
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--open-connections", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--presidio-open-seconds", type=float, default=2.0)
    ap.add_argument("--scrim", default=str(ROOT / "target" / "release" / "scrim"))
    ap.add_argument("--loadgen", default=str(ROOT / "target" / "release" / "examples" / "loadgen"))
    ap.add_argument("--work", default=str(ROOT / "target" / "bench" / "analyze"))
    ap.add_argument("--nice", type=int, default=0,
                    help="run the servers and the load generator at this niceness (negative: before "
                         "the machine's other jobs; needs root)")
    ap.add_argument("--json-out")
    a = ap.parse_args(argv)
    for path, build in ((a.scrim, "cargo build --release -p scrim-cli"),
                        (a.loadgen, "cargo build --release -p scrim-server --example loadgen")):
        if not os.access(path, os.X_OK):
            die(f"no {path}: {build} (or tools/bench/setup.sh)")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        die("no gunicorn beside this python: run tools/bench/setup.sh and use its virtualenv's python")
    if a.runs < 1 or a.connections < 1 or a.presidio_workers < 1 or a.scrim_passes < 1:
        die("--runs, --connections, --presidio-workers and --scrim-passes must be at least 1")

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    msgs = chats.messages(a.messages_mb, a.max_bytes)
    bodies = work / "bodies.jsonl"
    with bodies.open("w", encoding="utf-8") as fh:
        for m in msgs:
            fh.write(json.dumps({"text": m["text"], "language": "en"}, ensure_ascii=False) + "\n")
    n, mb = len(msgs), chats.text_mb(msgs)
    sizes = sorted(len(m["text"].encode("utf-8")) for m in msgs)
    del msgs
    log(f"{n} messages, {mb:.3f} MB of text (median {statistics.median(sizes):.0f} bytes, "
        f"largest {sizes[-1]})")

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    scrim_port, presidio_port = free_port(), free_port()
    servers = []
    try:
        scrim = Server("scrim presidio", [a.scrim, "presidio", "--listen", f"127.0.0.1:{scrim_port}"],
                       scrim_port, work / "scrim.log", niceness=a.nice)
        servers.append(scrim)
        presidio = Server("Presidio (gunicorn)", [
            gunicorn, "-w", str(a.presidio_workers), "-b", f"127.0.0.1:{presidio_port}",
            "--chdir", str(HERE), "--timeout", "120", "presidio_analyzer_server:create_app()",
        ], presidio_port, work / "presidio.log", env, niceness=a.nice)
        servers.append(presidio)
        for s in servers:  # warm-up: every worker loaded and answering
            warm = 2 * max(a.presidio_workers, os.cpu_count() or 1) * 4
            loadgen(a.loadgen, s, bodies, ["--closed", str(warm), "--connections", str(a.connections)], a.nice)
        log("servers up and warmed")

        closed = {"scrim": [], "presidio": []}
        open_scrim, open_presidio = [], None
        for i in range(a.runs):
            for name, server, total in (("scrim", scrim, n * a.scrim_passes), ("presidio", presidio, n)):
                r = loadgen(a.loadgen, server, bodies, ["--closed", str(total), "--connections", str(a.connections)],
                            a.nice)
                closed[name].append(r)
                log(f"run {i + 1}: closed loop {name}: {r['achieved_per_s']:.1f} req/s, p99 {r['p99_ms']:.1f} ms, "
                    f"client {r['client_cores']} cores, server {r['server_cores']} cores, load {r['load_1min']}")
            r = loadgen(a.loadgen, scrim, bodies, ["--rate", str(a.rate), "--seconds", str(a.seconds),
                                                   "--connections", str(a.open_connections)], a.nice)
            open_scrim.append(r)
            log(f"run {i + 1}: {a.rate:g} req/s to scrim: achieved {r['achieved_per_s']:.1f}, "
                f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms")
        if a.presidio_open_seconds > 0:
            open_presidio = loadgen(a.loadgen, presidio, bodies, [
                "--rate", str(a.rate), "--seconds", str(a.presidio_open_seconds),
                "--connections", str(a.open_connections)], a.nice)
            log(f"{a.rate:g} req/s to Presidio for {a.presidio_open_seconds:g} s: p99 "
                f"{open_presidio['p99_ms']:.0f} ms")
    finally:
        for s in servers:
            s.stop()

    med = {k: statistics.median(r["achieved_per_s"] for r in v) for k, v in closed.items()}
    rep = {
        "messages": n, "mb": round(mb, 4), "median_bytes": statistics.median(sizes), "max_bytes": sizes[-1],
        "cpus": os.cpu_count(), "connections": a.connections, "presidio_workers": a.presidio_workers,
        "nice": a.nice,
        "closed": closed, "open_scrim": open_scrim, "open_presidio": open_presidio, "rate": a.rate,
        "closed_median_per_s": med, "ratio": med["scrim"] / med["presidio"],
        "per_cpu_second": {k: per_cpu(v) for k, v in closed.items()},
        "open_scrim_p99_median_ms": statistics.median(r["p99_ms"] for r in open_scrim),
    }
    rep["bar_ratio_met"] = rep["ratio"] >= 50
    rep["bar_p99_met"] = all(r["p99_ms"] < 50 for r in open_scrim)
    print(render(rep))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(rep, indent=2) + "\n")
    return 0


def per_cpu(runs) -> float:
    """Requests answered per CPU-second the server used, over all runs: a figure that moves less
    than req/s when other jobs take the machine's cores."""
    return sum(r["requests"] for r in runs) / max(sum(r["server_cpu_s"] for r in runs), 1e-9)


def render(rep) -> str:
    lines = [
        f"{rep['messages']} chat messages ({rep['mb']:.3f} MB, median {rep['median_bytes']:.0f} bytes, "
        f"largest {rep['max_bytes']}), loopback, {rep['cpus']} cores shared by the load generator and "
        f"the servers" + (f", both at niceness {rep['nice']}" if rep.get("nice") else ""),
        "",
        f"Closed loop, {rep['connections']} connections:",
        "",
        "| server | requests per run | req/s per run | median req/s | p50 / p99 ms (median run) "
        "| load generator CPU | server CPU | req per server CPU-second | vs Presidio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("presidio", f"Presidio analyzer (gunicorn, {rep['presidio_workers']} sync workers)"),
                        ("scrim", "`scrim presidio`")):
        runs = rep["closed"][name]
        mid = sorted(runs, key=lambda r: r["achieved_per_s"])[len(runs) // 2]
        ratio = rep["closed_median_per_s"][name] / rep["closed_median_per_s"]["presidio"]
        per_run = ", ".join(f"{r['achieved_per_s']:,.1f}" for r in runs)
        lines.append(
            f"| {label} | {runs[0]['requests']:,} | {per_run} "
            f"| {rep['closed_median_per_s'][name]:,.1f} | {mid['p50_ms']:.1f} / {mid['p99_ms']:.1f} "
            f"| {mid['client_cores']:.2f} cores | {mid['server_cores']:.2f} cores "
            f"| {per_cpu(runs):,.0f} | {ratio:,.0f}x |")
    lines += [
        "",
        f"Open loop, {rep['rate']:g} requests/s offered:",
        "",
        "| server | seconds | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | load generator CPU | server CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [("`scrim presidio`", r) for r in rep["open_scrim"]]
    if rep["open_presidio"]:
        rows.append(("Presidio analyzer", rep["open_presidio"]))
    for label, r in rows:
        lines.append(
            f"| {label} | {r['requests'] / r['rate_asked']:.0f} | {r['achieved_per_s']:,.1f} | {r['p50_ms']:.2f} "
            f"| {r['p90_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.2f} | {r['client_cores']:.2f} cores "
            f"| {r['server_cores']:.2f} cores |")
    lines += [
        "",
        f"bars: Scrim >= 50x Presidio's req/s: {'met' if rep['bar_ratio_met'] else 'NOT met'} "
        f"({rep['ratio']:,.0f}x); Scrim's p99 < 50 ms at {rep['rate']:g} req/s in every run: "
        f"{'met' if rep['bar_p99_met'] else 'NOT met'}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
