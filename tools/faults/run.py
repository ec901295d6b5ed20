#!/usr/bin/env python3
"""Fault tests: a full disk, a locked SQLite file, PostgreSQL stopped and restarted.

Each fault must give a clear error (exit code non-zero and a message naming what failed, with no
content of the data), lose nothing (no half-written output, no dataset the store cannot reach,
no broken audit chain) and recover (the same command succeeds once the fault is gone).

  disk      a small tmpfs (needs root: mount) holds the output of `redact`, a dataset of
            `redact --store`, and a dataset being compacted; then it is enlarged
  locked    another process holds an exclusive lock on the SQLite store while `redact --store`
            and `forget` run; then it lets go
  postgres  the private cluster of tools/pg.sh is stopped while `scrim serve` answers and while
            `redact --store` runs; then started again

    python3 tools/faults/run.py [--faults disk,locked,postgres] [--bin target/release/scrim]

`postgres` uses tools/pg.sh with SCRIM_PG_PORT / SCRIM_PG_DIR as set (default port 55432) and
creates its own databases there. Prints one line per fault; exits non-zero if any check fails.
"""
import argparse
import glob
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG = os.path.join(ROOT, "tools", "pg.sh")


class Broken(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Broken(what)


def conversations(n, subjects=5, size=600):
    filler = "We talked about the weather, the garden and a recipe for bread. " * (size // 64)
    out = []
    for i in range(n):
        out.append(json.dumps({"id": f"c{i}", "subject": f"s{i % subjects}", "source": "ai_chat",
                               "messages": [{"role": "user", "content": f"I'm Maria Lopez, maria{i}@example.com. marker-s{i % subjects} {filler}"}]}))
    return "\n".join(out) + "\n"


class Scrim:
    def __init__(self, binary, d):
        self.bin, self.d = os.path.abspath(binary), d
        self.env = dict(os.environ, SCRIM_MASTER_KEY_FILE=os.path.join(d, "master.key"))

    def run(self, *a, ok=True, timeout=300):
        r = subprocess.run([self.bin, *a], cwd=self.d, env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        if ok and r.returncode != 0:
            raise Broken(f"`scrim {' '.join(a)}` failed: {r.stderr.strip()}")
        return r

    def fails_clearly(self, what, words, *a):
        r = self.run(*a, ok=False)
        check(r.returncode != 0, f"{what}: `scrim {' '.join(a)}` exited 0 under the fault")
        msg = r.stderr.lower()
        check(any(w in msg for w in words), f"{what}: the error does not say what failed: {r.stderr.strip()!r}")
        check("maria" not in msg and "marker-" not in msg, f"{what}: the error holds content")
        return r


def shards(ds):
    m = json.load(open(os.path.join(ds, "manifest.json")))
    return [open(os.path.join(ds, s["file"])).read() for s in m["shards"]]


# ------------------------------------------------------------------ a full disk

def disk(binary):
    d = tempfile.mkdtemp(prefix="scrim-fault-disk-")
    mnt = os.path.join(d, "small")
    os.mkdir(mnt)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], check=True)
    try:
        s = Scrim(binary, d)
        s.run("keys", "new", "master.key")
        with open(os.path.join(d, "in.jsonl"), "w") as f:
            f.write(conversations(4000))
        full_words = ("no space", "disk full", "storage full", "quota")
        # redact, file mode: the output does not fit.
        out = os.path.join(mnt, "out.jsonl")
        s.fails_clearly("redact to a full disk", full_words, "redact", "in.jsonl", "-o", out)
        check(not os.path.exists(out), "redact to a full disk left an output file")
        check(not glob.glob(os.path.join(mnt, ".scrim-partial-*")), "redact to a full disk left a partial file")
        # redact --store: the dataset does not fit.
        store = os.path.join(d, "store.db")
        ds = os.path.join(mnt, "ds")
        s.fails_clearly("dataset to a full disk", full_words, "redact", "in.jsonl", "-o", ds, "--store", store,
                        "--purpose", "training")
        listed = json.loads(s.run("datasets", "--store", store, "--json").stdout)
        check(all(x.get("state", "complete") != "complete" or os.path.exists(os.path.join(x["path"], "manifest.json"))
                  for x in listed), "a dataset is registered complete without its manifest")
        # Room again: the same commands succeed.
        subprocess.run(["mount", "-o", "remount,size=64m", mnt], check=True)
        s.run("datasets", "recover", "--all", "--store", store)
        s.run("redact", "in.jsonl", "-o", out)
        shutil.rmtree(ds, ignore_errors=True)
        s.run("redact", "in.jsonl", "-o", ds, "--store", store, "--purpose", "training", "--dataset", "ds2")
        before = shards(ds)
        # compact: a new generation of the shards does not fit next to the old one.
        os.remove(out)
        used = sum(os.path.getsize(p) for p in glob.glob(os.path.join(mnt, "**"), recursive=True) if os.path.isfile(p))
        subprocess.run(["mount", "-o", f"remount,size={used + 256 * 1024}", mnt], check=True)
        s.run("forget", "s2", "--store", store)
        s.fails_clearly("compact on a full disk", full_words, "compact", "--all", "--store", store)
        check(shards(ds) == before, "a failed compaction changed the shards")
        subprocess.run(["mount", "-o", "remount,size=64m", mnt], check=True)
        s.run("compact", "--all", "--store", store)
        check(all("marker-s2" not in t for t in shards(ds)), "after recovery the forgotten subject is still held")
        check(sum(t.count("\n") for t in shards(ds)) == 4000 - 800, "compaction lost or kept the wrong records")
        return "redact, redact --store and compact fail clearly on a full disk, leave nothing half-written, and succeed with room"
    finally:
        subprocess.run(["umount", mnt], check=False)
        shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ a locked SQLite store

def locked(binary):
    d = tempfile.mkdtemp(prefix="scrim-fault-lock-")
    try:
        s = Scrim(binary, d)
        s.run("keys", "new", "master.key")
        with open(os.path.join(d, "in.jsonl"), "w") as f:
            f.write(conversations(200))
        store = os.path.join(d, "store.db")
        s.run("redact", "in.jsonl", "-o", "ds1", "--store", store, "--purpose", "training")
        con = sqlite3.connect(store, timeout=0, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        try:
            words = ("locked", "busy")
            s.fails_clearly("redact --store on a locked store", words, "redact", "in.jsonl", "-o", "ds2", "--store",
                            store, "--purpose", "training")
            s.fails_clearly("forget on a locked store", words, "forget", "s1", "--store", store)
        finally:
            con.execute("ROLLBACK")
            con.close()
        s.run("datasets", "recover", "--all", "--store", store)
        shutil.rmtree(os.path.join(d, "ds2"), ignore_errors=True)
        s.run("redact", "in.jsonl", "-o", "ds2", "--store", store, "--purpose", "training")
        s.run("forget", "s1", "--store", store)
        s.run("compact", "--all", "--store", store)
        for ds in ("ds1", "ds2"):
            check(all("marker-s1" not in t for t in shards(os.path.join(d, ds))), f"{ds} still holds the forgotten subject")
        return "redact --store and forget fail clearly on a locked store and succeed once it is free"
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ PostgreSQL goes away

def pg(cmd):
    return subprocess.run([PG, cmd], check=True, capture_output=True, text=True).stdout.strip()


def req(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    r.add_header("authorization", f"Bearer {token}")
    if data is not None:
        r.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        return 0, f"no answer within 30 s ({type(e).__name__})"


def postgres(binary):
    url = pg("start")
    base_url = url.rpartition("/")[0]
    db = f"fault_{os.getpid()}"
    subprocess.run(["psql", url, "-q", "-c", f"CREATE DATABASE {db}"], check=True, capture_output=True)
    store = f"{base_url}/{db}"
    d = tempfile.mkdtemp(prefix="scrim-fault-pg-")
    server = None
    try:
        s = Scrim(binary, d)
        s.run("keys", "new", "master.key")
        admin = s.run("users", "add", "root", "--role", "admin", "--store", store).stdout.strip()
        feeder = s.run("users", "add", "feeder", "--role", "ingest", "--store", store).stdout.strip()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        server = subprocess.Popen([s.bin, "serve", "--listen", f"127.0.0.1:{port}", "--store", store], cwd=d,
                                  env=s.env, stderr=subprocess.PIPE, text=True)
        line = server.stderr.readline()
        check("http://" in line, f"serve did not start: {line}")
        log = []
        threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        st, proj = req(base, admin, "POST", "/api/projects", {"name": "f", "purpose": "human_review",
                                                               "spec": {"turns": "all", "profile": {"k": 5}}})
        check(st < 300, f"project: {st} {proj}")
        pid = json.loads(proj)["id"]
        conv = lambda i: {"id": f"c{i}", "subject": f"s{i}", "source": "ai_chat",
                          "messages": [{"role": "user", "content": f"I'm Maria Lopez {i}"}]}
        for i in range(3):
            st, body = req(base, feeder, "POST", f"/api/projects/{pid}/conversations", conv(i))
            check(st < 300, f"ingest before the outage: {st} {body}")
        pg("stop")
        st, body = req(base, feeder, "POST", f"/api/projects/{pid}/conversations", conv(99))
        check(st == 503 and json.loads(body).get("error") == "store_unavailable",
              f"an ingest during the outage answered {st} (want 503 store_unavailable): {body}")
        check("maria" not in body.lower(), "the outage's error body holds content")
        check(server.poll() is None, "serve died when PostgreSQL went away")
        # redact --store while the database is down: a clear error, nothing registered.
        with open(os.path.join(d, "in.jsonl"), "w") as f:
            f.write(conversations(100))
        s.fails_clearly("redact --store with PostgreSQL down", ("connect", "store", "database", "refused"),
                        "redact", "in.jsonl", "-o", "ds", "--store", store, "--purpose", "training")
        pg("start")
        ok = False
        for _ in range(100):  # the pool reconnects on its own; wait for the state, not a time
            st, body = req(base, feeder, "POST", f"/api/projects/{pid}/conversations", conv(100))
            if st < 300:
                ok = True
                break
            time.sleep(0.2)
        check(ok, f"the gateway did not recover after PostgreSQL came back: {st} {body}")
        s.run("datasets", "recover", "--all", "--store", store)
        shutil.rmtree(os.path.join(d, "ds"), ignore_errors=True)
        s.run("redact", "in.jsonl", "-o", "ds", "--store", store, "--purpose", "training")
        server.terminate()
        server.wait(timeout=60)
        v = s.run("audit", "verify", "--store", store, ok=False)
        check(v.returncode == 0 and "intact" in v.stdout, f"the audit chain is broken after the outage: {v.stdout}{v.stderr}")
        check(not any("maria" in l.lower() for l in log), "the server's log holds content")
        return "serve answers 503 store_unavailable while PostgreSQL is down, recovers by itself, the chain stays intact; redact --store fails clearly and reruns"
    finally:
        if server and server.poll() is None:
            server.kill()
        pg("start")
        shutil.rmtree(d, ignore_errors=True)


FAULTS = {"disk": disk, "locked": locked, "postgres": postgres}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--faults", default=",".join(FAULTS))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "scrim"))
    args = ap.parse_args()
    failed = False
    for name in args.faults.split(","):
        try:
            print(f"fault {name}: ok, {FAULTS[name](args.bin)}", flush=True)
        except Broken as e:
            print(f"fault {name}: BROKEN: {e}", flush=True)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
