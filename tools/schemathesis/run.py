#!/usr/bin/env python3
"""The gateway's OpenAPI description fuzzed by schemathesis, with a token of every role.

Starts `scrim serve` on a fresh SQLite store (or a postgres:// URL of an empty database), seeds
a project, users of every role and a few ingested conversations, then runs schemathesis over every
operation of crates/scrim-server/openapi.yaml once per role (admin, privacy_officer, reviewer,
ingest, trainer, redactor) and once with no token. Checks:

  - no response is a 5xx (schemathesis `not_a_server_error`), except on Presidio's routes
    (/analyze and the listings), whose analyzer answers its refusals 500 as Presidio does: they
    run in a part of their own without that check, and the schema allows a 500 only in
    Presidio's error shape and never "internal error" (a failure of Scrim's own);
  - responses match the schema (`response_schema_conformance`, `status_code_conformance`,
    `content_type_conformance`);
  - every 403 a role was given is in the audit log: the count of 403 answers in schemathesis'
    HAR report equals the count of that user's `deny:*` audit entries;
  - afterwards the audit chain verifies.

    pip install schemathesis     # from PyPI
    python3 tools/schemathesis/run.py [--max-time 60] [--bin target/release/scrim] [--store URL]

Operations that end the caller's own credentials (logout, a password change) are run last, in a
run of their own, so they do not turn the rest of a role's run into 401s. Exits non-zero on any
failure, printing one line per role.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import sqlite3
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "crates", "scrim-server", "openapi.yaml")
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
SELF_ENDING = "^/api/(logout|me/password)$"
PRESIDIO = "^/(analyze|anonymize|deanonymize|health|supportedentities|recognizers|anonymizers|deanonymizers)$"
# The parts of each role's run: operations, checks, and the share of --max-time.
# Presidio's part skips schemathesis' coverage phase: on its request schemas that phase stops
# with CPython 3.11's "SystemError: AST constructor recursion depth mismatch" (inside
# hypothesis, describing a strategy), a runtime error and no finding; fuzzing covers them.
PARTS = (
    ("main", ["--exclude-path-regex", f"{SELF_ENDING}|{PRESIDIO}"], CHECKS, 1),
    ("presidio", ["--include-path-regex", PRESIDIO, "--phases", "examples,fuzzing"],
     CHECKS.replace("not_a_server_error,", ""), 3),
    ("self-ending", ["--include-path-regex", SELF_ENDING], CHECKS, 6),
)


def req(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    if token:
        r.add_header("authorization", f"Bearer {token}")
    if data is not None:
        r.add_header("content-type", "application/json")
    with urllib.request.urlopen(r, timeout=30) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def count_403(har_path):
    try:
        har = json.load(open(har_path))
    except (OSError, ValueError):
        return 0
    return sum(1 for e in har.get("log", {}).get("entries", []) if e.get("response", {}).get("status") == 403)


def denials(base, auditor, store, actor):
    """How many denials the audit log holds for `actor`. The API answers at most 1,000 entries
    (newest first), fewer than a role's denials in a minute of schemathesis, so on SQLite the
    log is counted in the store itself; elsewhere through the API, denials only."""
    if not store.startswith("postgres"):
        with sqlite3.connect(store) as db:
            return db.execute("SELECT COUNT(*) FROM audit WHERE actor = ? AND decision LIKE 'deny%'",
                              (actor,)).fetchone()[0]
    entries = req(base, auditor, "GET", f"/api/audit?actor={actor}&decision=deny&limit=1000")
    return len(entries)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-time", type=int, default=60, help="seconds of fuzzing per role")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "scrim"))
    ap.add_argument("--store", default=None, help="a postgres:// URL of an empty database (default: SQLite)")
    ap.add_argument("--schemathesis", default=None, help="the schemathesis command (default: the one on PATH)")
    args = ap.parse_args()
    schemathesis = args.schemathesis or shutil.which("schemathesis")
    if schemathesis is None:
        sys.exit("schemathesis is missing: pip install schemathesis")
    binary = os.path.abspath(args.bin)
    tmp = tempfile.mkdtemp(prefix="scrim-schemathesis-")
    env = dict(os.environ, SCRIM_MASTER_KEY_FILE=os.path.join(tmp, "master.key"))
    store = args.store or os.path.join(tmp, "gw.db")
    run = lambda *a: subprocess.run([binary, *a], cwd=tmp, env=env, check=True, capture_output=True,
                                    text=True).stdout.strip()
    run("keys", "new", "master.key")
    with open(os.path.join(tmp, "gw.toml"), "w") as f:
        f.write(f'store = "{store}"\n[reviewers]\nreads_per_minute = 100000000\n')
    tokens = {"admin": run("users", "add", "root", "--role", "admin", "--store", store)}
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--config", "gw.toml", "--listen", f"127.0.0.1:{port}"], cwd=tmp,
                              env=env, stderr=subprocess.PIPE, text=True)
    failed = False
    try:
        server.stderr.readline()
        proj = req(base, tokens["admin"], "POST", "/api/projects", {
            "name": "fuzz", "purpose": "human_review",
            "spec": {"turns": "all", "profile": {"place": "region", "age": "band10", "k": 5}}})
        for role in ("privacy_officer", "reviewer", "ingest", "trainer", "redactor"):
            extra = ["--project", proj["id"]] if role in ("reviewer", "trainer") else []
            tokens[role] = run("users", "add", f"u-{role}", "--role", role, *extra, "--store", store)
        for i in range(8):
            req(base, tokens["ingest"], "POST", f"/api/projects/{proj['id']}/conversations", {
                "id": f"c{i}", "subject": f"s{i}", "source": "ai_chat",
                "messages": [{"role": "user", "content": f"I'm Ana Lima, ana{i}@example.com, from Boise"}],
                "profile": {"city": "Boise", "age": 30 + i}})
        # An officer who is not fuzzed reads the audit log (a fuzzed one may end its own token).
        auditor = run("users", "add", "auditor", "--role", "privacy_officer", "--store", store)
        names = {"admin": "root", **{r: f"u-{r}" for r in tokens if r != "admin"}}
        for role, token in [*tokens.items(), ("nobody", None)]:
            n403 = 0
            for part, flt, checks, share in PARTS:
                har = os.path.join(tmp, f"{role}-{part}.har")
                seconds = max(5, args.max_time // share)
                cmd = [schemathesis, "run", SPEC, "--url", base, "--checks", checks, "--max-time", str(seconds),
                       "--report", "har", "--report-har-path", har, "--workers", "2", "--no-color", *flt]
                if token:
                    cmd += ["-H", f"Authorization: Bearer {token}"]
                r = subprocess.run(cmd, capture_output=True, text=True)
                n403 += count_403(har)
                lines = [l.strip("= ") for l in r.stdout.splitlines() if l.strip()]
                print(f"schemathesis {role} ({part}): {'ok' if r.returncode == 0 else 'FAILED'}; "
                      f"{count_403(har)} 403s; {lines[-1] if lines else ''}", flush=True)
                if r.returncode != 0:
                    failed = True
                    print(r.stdout[-6000:], flush=True)
            if token:
                denies = denials(base, auditor, store, names[role])
                if denies < n403:
                    failed = True
                    print(f"  {role}: {n403} answers were 403 but only {denies} denials are audited", flush=True)
        v = subprocess.run([binary, "audit", "verify", "--store", store], cwd=tmp, env=env, capture_output=True, text=True)
        print(f"audit verify: {v.stdout.strip()}", flush=True)
        if v.returncode != 0 or "intact" not in v.stdout:
            failed = True
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
