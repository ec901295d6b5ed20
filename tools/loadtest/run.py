#!/usr/bin/env python3
"""Load test of the review gateway's task fetch: concurrent reviewers on loopback.

Starts `scrim serve` (release build) on a fresh SQLite store, creates a project, REVIEWERS
reviewers and one assigned task each (ingested through the API, redacted by the core engine),
then runs wrk: every connection fetches its reviewer's task (GET /api/tasks/{id}) with that
reviewer's token, for DURATION seconds. Every fetch is authenticated, decided by Cedar, built
from the stored view with k-anonymous profile facts, and written to the audit chain before the
answer goes out. The reviewers' pace limit is raised for the test (it would answer 429s:
that limit is not what is measured here). Checks the audit chain after each run.

Two modes:
- closed loop (default): wrk, as fast as the server answers; gives the peak throughput.
- fixed rate (--rate R): the open-loop generator crates/scrim-server/examples/loadgen.rs sends R
  requests a second whatever the server does and measures each latency from the moment the request
  was due, so a stall shows in the tail (wrk hides it: coordinated omission). This is the bar's
  mode: p99 at 1,000 req/s.

    python3 tools/loadtest/run.py [--reviewers 50] [--connections 50] [--threads 2] [--duration 20]
    python3 tools/loadtest/run.py --rate 1000 --runs 3 [--store postgres://...]

--runs N repeats the measurement N times, each on a fresh server and store, and prints every run
and the median. Needs a release build (cargo build --release -p scrim-cli; for --rate also
cargo build --release -p scrim-server --example loadgen) and, without --rate, wrk (Debian: wrk).
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIM = os.path.join(ROOT, "target", "release", "scrim")
LOADGEN = os.path.join(ROOT, "target", "release", "examples", "loadgen")


def req(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    r.add_header("authorization", f"Bearer {token}")
    if data is not None:
        r.add_header("content-type", "application/json")
    with urllib.request.urlopen(r) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def run_wrk(args, tmp, base, pairs):
    lua = os.path.join(tmp, "fetch.lua")
    with open(lua, "w") as f:
        f.write("local pairs = {\n" + ",\n".join(f'{{"{t}", "{k}"}}' for t, k in pairs) + "\n}\n")
        f.write("""
local n = 0
local counter = 0
setup = function(thread) end
init = function(args) end
request = function()
  counter = counter + 1
  local p = pairs[(counter % #pairs) + 1]
  return wrk.format("GET", "/api/tasks/" .. p[2], {["Authorization"] = "Bearer " .. p[1]})
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx per wrk: %d\\n", summary.errors.status))
end
""")
    out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
                          "-s", lua, base], capture_output=True, text=True, check=True).stdout
    print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    bad = re.search(r"non-2xx/3xx per wrk: (\d+)", out)
    return rps, p99_ms, int(bad.group(1)) if bad else 0


def one_run(args, store):
    tmp = tempfile.mkdtemp(prefix="scrim-load-")
    env = dict(os.environ, SCRIM_MASTER_KEY_FILE=os.path.join(tmp, "master.key"))
    run = lambda *a: subprocess.run([SCRIM, *a], cwd=tmp, env=env, check=True, capture_output=True, text=True).stdout.strip()
    run("keys", "new", "master.key")
    admin = run("users", "add", "root", "--role", "admin", "--store", store)
    # Privileged accounts and project views an admin proposes wait for a privacy officer.
    officer = run("users", "add", "pia", "--role", "privacy_officer", "--store", store)
    with open(os.path.join(tmp, "gw.toml"), "w") as f:
        f.write(f'store = "{store}"\n[reviewers]\nreads_per_minute = 100000000\n')
    port = free_port()
    server = subprocess.Popen([SCRIM, "serve", "--config", "gw.toml", "--listen", f"127.0.0.1:{port}"],
                              cwd=tmp, env=env, stderr=subprocess.PIPE, text=True)
    try:
        server.stderr.readline()
        # Keep reading its log so a full pipe never blocks the server mid-run.
        threading.Thread(target=lambda: server.stderr.read(), daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        proj = req(base, officer, "POST", "/api/projects", {
            "name": "load", "purpose": "human_review",
            "spec": {"turns": "all", "profile": {"place": "region", "age": "band10", "k": 10}}})
        ingest = req(base, admin, "POST", "/api/users", {"name": "feeder", "role": "ingest"})["token"]
        cities = ["Boise", "Nampa", "Meridian", "Pune", "Mumbai", "Leeds", "Austin", "Dallas"]
        pairs = []
        for i in range(args.reviewers):
            req(base, ingest, "POST", f"/api/projects/{proj['id']}/conversations", {
                "id": f"c{i}", "subject": f"user-{i}", "source": "ai_chat",
                "messages": [
                    {"role": "user", "content": f"hi, I'm Priya Sharma from {cities[i % 8]}, my number is +91 98765 4{i:04d} "
                                                 f"and my email is priya.{i}@gmail.com. Can you help me plan a trip?"},
                    {"role": "assistant", "content": "Of course, Priya! Where would you like to go, and when?"},
                    {"role": "user", "content": "Somewhere warm in March, with my daughter Anaya. Budget is about 80k."},
                ],
                "profile": {"first_name": "Priya", "city": cities[i % 8], "age": 25 + i % 30}})
            proposed = req(base, admin, "POST", "/api/users", {"name": f"rev{i}", "role": "reviewer", "projects": [proj["id"]]})
            tok = req(base, officer, "POST", f"/api/approvals/{proposed['approval']['id']}/approve")["token"]
            task = req(base, tok, "POST", f"/api/projects/{proj['id']}/next")
            pairs.append((tok, task["id"]))
        if args.rate:
            targets = os.path.join(tmp, "targets.txt")
            with open(targets, "w") as f:
                f.write("".join(f"{t} /api/tasks/{k}\n" for t, k in pairs))
            out = subprocess.run([LOADGEN, "--addr", f"127.0.0.1:{port}", "--rate", str(args.rate),
                                  "--seconds", str(args.duration), "--connections", str(args.connections),
                                  "--targets", targets], capture_output=True, text=True, check=True).stdout
            result = json.loads(out)
            rps, p99_ms = result["achieved_per_s"], result["p99_ms"]
            errors = result["non_2xx"] + result["failed"]
        else:
            rps, p99_ms, errors = run_wrk(args, tmp, base, pairs)
        audit = run("audit", "verify", "--store", store)
        if "intact" not in audit:
            sys.exit(f"the audit chain did not verify: {audit}")
        summary = {"store": "postgres" if store.startswith("postgres") else "sqlite",
                   "mode": f"fixed {args.rate}/s (loadgen)" if args.rate else "closed loop (wrk)",
                   "requests_per_s": rps, "p99_ms": p99_ms, "errors": errors, "reviewers": args.reviewers,
                   "connections": args.connections, "seconds": args.duration, "cpus": os.cpu_count(),
                   "audit": audit.splitlines()[0] if audit else ""}
        if args.rate:
            summary["latency_ms"] = {k: result[k] for k in ("p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms")}
        print(json.dumps(summary), flush=True)
        return summary
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reviewers", type=int, default=50)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (closed loop only)")
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--rate", type=int, default=0, help="fixed arrival rate (requests/s); 0: closed loop with wrk")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--binary", default=None,
                    help="the scrim binary to measure (default target/release/scrim): compare two builds side by side")
    ap.add_argument("--store", default="gw.db",
                    help="SQLite file (default) or a postgres:// URL of an empty database (one run only)")
    args = ap.parse_args()
    global SCRIM
    if args.binary:
        SCRIM = os.path.abspath(args.binary)
    if not os.path.exists(SCRIM):
        sys.exit("build first: cargo build --release -p scrim-cli")
    if args.rate and not os.path.exists(LOADGEN):
        sys.exit("build first: cargo build --release -p scrim-server --example loadgen")
    if args.store.startswith("postgres") and args.runs > 1:
        sys.exit("--runs > 1 needs a fresh store per run: give SQLite, or run once per empty database")
    runs = [one_run(args, args.store) for _ in range(args.runs)]
    if len(runs) > 1:
        p99s = sorted(r["p99_ms"] for r in runs)
        rates = sorted(r["requests_per_s"] for r in runs)
        print(json.dumps({"runs": len(runs), "p99_ms_each": [r["p99_ms"] for r in runs],
                          "p99_ms_median": p99s[len(p99s) // 2], "p99_ms_worst": p99s[-1],
                          "requests_per_s_median": rates[len(rates) // 2],
                          "errors": sum(r["errors"] for r in runs)}))


if __name__ == "__main__":
    main()
