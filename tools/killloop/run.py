#!/usr/bin/env python3
"""Kill -9 at random points, in a loop, and check that nothing is lost or half-written.

For each command, a run is started and killed with SIGKILL after a random delay drawn from
[0, the time a whole run takes]; then the state left behind is checked, and the next run starts
from it. What must hold after every kill:

  redact   (file mode)   OUT is absent or byte-identical to an uninterrupted run with the same
                         key; a rerun produces exactly that file; no `.scrim-partial-*` file of a
                         killed run outlives the next run; a stale quarantine file never survives.
  dataset  (redact --store)  every dataset directory with a manifest is known to the store once
                         `scrim datasets recover --all` has run, so `forget` + `compact --all`
                         reach it: at the end a forgotten subject's records are in no shard.
  compact               every shard is wholly old or wholly new; a rerun finishes; the forgotten
                         subject is gone and every other line is byte-identical.
  serve    (under writes) every ingest the gateway acknowledged is still there after a restart,
                         and `scrim audit verify` finds the chain intact.

    python3 tools/killloop/run.py [--kills 50] [--commands redact,dataset,compact,serve]
                                  [--store sqlite|postgres://USER@HOST:PORT/DB] [--seed 1]
                                  [--bin target/release/scrim]

With a postgres:// URL, each scenario gets a fresh database created next to the one named
(psql must be on PATH; tools/pg.sh starts a private cluster). Exits non-zero on the first broken
invariant, naming the command, the kill and what was found. Prints one summary line per command.
"""
import argparse
import glob
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Broken(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Broken(what)


class Env:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        self.store_kind = args.store
        self.rng = random.Random(args.seed)
        self.kills = args.kills
        self.n = 0

    def fresh_dir(self, name):
        d = tempfile.mkdtemp(prefix=f"scrim-kill-{name}-")
        return d

    def env(self, d):
        return dict(os.environ, SCRIM_MASTER_KEY_FILE=os.path.join(d, "master.key"))

    def scrim(self, d, *a, check_ok=True):
        r = subprocess.run([self.bin, *a], cwd=d, env=self.env(d), capture_output=True, text=True)
        if check_ok and r.returncode != 0:
            raise Broken(f"`scrim {' '.join(a)}` failed ({r.returncode}): {r.stderr.strip()}")
        return r

    def store_url(self, d, name):
        """A fresh, empty store for one scenario."""
        self.n += 1
        if self.store_kind == "sqlite":
            return os.path.join(d, f"store-{self.n}.db")
        base, _, _db = self.store_kind.rpartition("/")
        db = f"kill_{os.getpid()}_{name}_{self.n}"
        subprocess.run(["psql", self.store_kind, "-q", "-c", f"CREATE DATABASE {db}"], check=True,
                       capture_output=True)
        return f"{base}/{db}"

    def attempts(self, killed):
        """Run numbers until `killed()` reaches --kills: runs that end before their kill do not
        count, so every command takes at least --kills real kills (at most 5x as many runs)."""
        k = 0
        while killed() < self.kills:
            check(k < 5 * self.kills, f"only {killed()} of {k} runs were killed before they ended")
            yield k
            k += 1

    def kill_after(self, argv, d, delay):
        """Starts a run, SIGKILLs it after `delay` seconds; returns True if it ended on its own."""
        p = subprocess.Popen(argv, cwd=d, env=self.env(d), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            p.wait(timeout=delay)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return False


def conversations(n, subjects, marker_size=400):
    """`n` conversations of `subjects` subjects; each carries a plain marker of its subject."""
    lines = []
    filler = "We talked about the weather, the garden and a recipe for bread. " * (marker_size // 64)
    for i in range(n):
        s = i % subjects
        lines.append(json.dumps({
            "id": f"c{i}", "subject": f"s{s}", "source": "ai_chat",
            "messages": [
                {"role": "user", "content": f"hi, I'm Maria Lopez {i}, write to maria{i}@example.com. "
                                            f"marker-subj{s}-mk {filler}"},
                {"role": "assistant", "content": f"Sure, Maria. {filler}"},
            ]}))
    # One malformed line, so the quarantine is exercised too.
    lines.insert(n // 2, '{"id": "bad", "messages": [{"role": "user", "content": 7}]}')
    return "\n".join(lines) + "\n"


def timed(env, d, argv):
    t = time.monotonic()
    r = subprocess.run(argv, cwd=d, env=env.env(d), capture_output=True, text=True)
    if r.returncode != 0:
        raise Broken(f"`{' '.join(argv[1:])}` failed: {r.stderr.strip()}")
    return time.monotonic() - t


# ------------------------------------------------------------------ redact, file mode

def redact_file(env):
    d = env.fresh_dir("redact")
    with open(os.path.join(d, "in.jsonl"), "w") as f:
        f.write(conversations(6000, 10))
    with open(os.path.join(d, "key"), "wb") as f:
        f.write(os.urandom(32))
    argv = [env.bin, "redact", "in.jsonl", "-o", "out.jsonl", "--key-file", "key", "--threads", "2"]
    full = timed(env, d, argv)
    ref = open(os.path.join(d, "out.jsonl"), "rb").read()
    ref_q = open(os.path.join(d, "out.jsonl.quarantine.jsonl"), "rb").read()
    os.remove(os.path.join(d, "out.jsonl"))
    os.remove(os.path.join(d, "out.jsonl.quarantine.jsonl"))
    finished = killed = 0
    for k in env.attempts(lambda: killed):
        if env.kill_after(argv, d, env.rng.uniform(0, full * 1.1)):
            finished += 1
        else:
            killed += 1
        out = os.path.join(d, "out.jsonl")
        if os.path.exists(out):
            check(open(out, "rb").read() == ref, f"kill {k}: out.jsonl exists but differs from a whole run")
        if env.rng.random() < 0.3:
            # Now and then a complete rerun: it must give the reference output, quarantine and no
            # partial file left by any earlier killed run.
            env.scrim(d, *argv[1:])
            check(open(out, "rb").read() == ref, f"kill {k}: a rerun after a kill differs from a whole run")
            check(open(out + ".quarantine.jsonl", "rb").read() == ref_q, f"kill {k}: quarantine differs")
            left = glob.glob(os.path.join(d, ".scrim-partial-*"))
            check(not left, f"kill {k}: a rerun left {len(left)} partial file(s) of killed runs behind")
            os.remove(out)
    # A clean input after a run that quarantined: no stale quarantine file may remain.
    with open(os.path.join(d, "clean.jsonl"), "w") as f:
        f.write(json.dumps({"id": "x", "text": "hello"}) + "\n")
    env.scrim(d, "redact", "clean.jsonl", "-o", "out.jsonl", "--key-file", "key")
    q = os.path.join(d, "out.jsonl.quarantine.jsonl")
    check(not os.path.exists(q) or os.path.getsize(q) == 0,
          "a stale quarantine file survived a clean rerun")
    shutil.rmtree(d)
    return f"{killed} kills ({finished} more runs ended before their kill), whole run {full:.2f} s"


# ------------------------------------------------------------------ redact, dataset mode

def shard_texts(ds):
    out = []
    m = json.load(open(os.path.join(ds, "manifest.json")))
    for s in m["shards"]:
        out.append(open(os.path.join(ds, s["file"])).read())
    return out


def redact_dataset(env):
    d = env.fresh_dir("dataset")
    store = env.store_url(d, "dataset")
    env.scrim(d, "keys", "new", "master.key")
    with open(os.path.join(d, "in.jsonl"), "w") as f:
        f.write(conversations(3000, 10))
    def argv(i):
        return [env.bin, "redact", "in.jsonl", "-o", f"ds{i}", "--store", store, "--purpose", "training",
                "--dataset", f"ds{i}", "--threads", "2"]
    full = timed(env, d, argv("ref"))
    finished = killed = 0
    for k in env.attempts(lambda: killed):
        if env.kill_after(argv(k), d, env.rng.uniform(0, full * 1.1)):
            finished += 1
        else:
            killed += 1
        env.scrim(d, "datasets", "recover", "--all", "--store", store)
        listed = env.scrim(d, "datasets", "--store", store, "--json").stdout
        names = {x["name"] for x in json.loads(listed)}
        for m in glob.glob(os.path.join(d, "ds*", "manifest.json")):
            name = os.path.basename(os.path.dirname(m))
            check(name in names, f"kill {k}: {name} has a manifest the store does not know (forget cannot reach it)")
    env.scrim(d, "forget", "s3", "--store", store)
    env.scrim(d, "compact", "--all", "--store", store)
    for m in glob.glob(os.path.join(d, "ds*", "manifest.json")):
        ds = os.path.dirname(m)
        for text in shard_texts(ds):
            check("marker-subj3-mk" not in text, f"{os.path.basename(ds)} still holds the forgotten subject")
    shutil.rmtree(d)
    return f"{killed} kills ({finished} more runs ended before their kill), whole run {full:.2f} s"


# ------------------------------------------------------------------ compact

def compact(env):
    d = env.fresh_dir("compact")
    env.scrim(d, "keys", "new", "master.key")
    with open(os.path.join(d, "in.jsonl"), "w") as f:
        f.write(conversations(3000, 10, marker_size=1200))
    finished = killed = 0
    full = None
    for k in env.attempts(lambda: killed):
        store = env.store_url(d, "compact")
        shutil.rmtree(os.path.join(d, "ds"), ignore_errors=True)
        env.scrim(d, "redact", "in.jsonl", "-o", "ds", "--store", store, "--purpose", "training",
                  "--shard-records", "300")
        before = [t.splitlines() for t in shard_texts(os.path.join(d, "ds"))]
        keep = [[l for l in lines if "marker-subj3-mk" not in l] for lines in before]
        env.scrim(d, "forget", "s3", "--store", store)
        argv = [env.bin, "compact", "--all", "--store", store]
        if full is None:
            # The first iteration runs whole, to learn how long a compaction takes.
            full = timed(env, d, argv)
            continue
        if env.kill_after(argv, d, env.rng.uniform(0, full * 1.1)):
            finished += 1
        else:
            killed += 1
        # Whatever the kill left: each shard named by the manifest is complete, old or new.
        for i, text in enumerate(shard_texts(os.path.join(d, "ds"))):
            lines = text.splitlines()
            check(lines in (before[i], keep[i]), f"kill {k}: shard {i} is neither the old nor the new version")
        env.scrim(d, *argv[1:])
        after = [t.splitlines() for t in shard_texts(os.path.join(d, "ds"))]
        check(after == keep, f"kill {k}: after the rerun the shards are not exactly the old ones less the subject")
    shutil.rmtree(d)
    return f"{killed} kills ({finished} more runs ended before their kill), whole run {full:.2f} s"


# ------------------------------------------------------------------ serve under writes

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def req(base, token, method, path, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    r.add_header("authorization", f"Bearer {token}")
    if data is not None:
        r.add_header("content-type", "application/json")
    with urllib.request.urlopen(r, timeout=timeout) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def serve(env):
    d = env.fresh_dir("serve")
    store = env.store_url(d, "serve")
    env.scrim(d, "keys", "new", "master.key")
    admin = env.scrim(d, "users", "add", "root", "--role", "admin", "--store", store).stdout.strip()
    officer = env.scrim(d, "users", "add", "pia", "--role", "privacy_officer", "--store", store).stdout.strip()
    feeder = env.scrim(d, "users", "add", "feeder", "--role", "ingest", "--store", store).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    def start():
        p = subprocess.Popen([env.bin, "serve", "--listen", f"127.0.0.1:{port}", "--store", store], cwd=d,
                             env=env.env(d), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                             start_new_session=True)
        line = p.stderr.readline()
        check("http://" in line, f"serve did not start: {line.strip()}")
        threading.Thread(target=p.stderr.read, daemon=True).start()
        return p

    p = start()
    proj = req(base, admin, "POST", "/api/projects", {
        "name": "kill", "purpose": "human_review", "spec": {"turns": "all", "profile": {"k": 5}}})
    pid = proj["id"]
    acked = set()
    n = 0
    for k in range(env.kills):
        stop = threading.Event()

        def writer():
            nonlocal n
            while not stop.is_set():
                n += 1
                cid = f"c{n}"
                try:
                    req(base, feeder, "POST", f"/api/projects/{pid}/conversations", {
                        "id": cid, "subject": f"s{n % 7}", "source": "ai_chat",
                        "messages": [{"role": "user", "content": f"I'm Ana Lima, ana{n}@example.com"}]})
                    acked.add(cid)
                except (urllib.error.URLError, ConnectionError, OSError, TimeoutError):
                    return

        ws = [threading.Thread(target=writer) for _ in range(4)]
        for w in ws:
            w.start()
        time.sleep(env.rng.uniform(0.05, 0.6))
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        stop.set()
        for w in ws:
            w.join()
        v = env.scrim(d, "audit", "verify", "--store", store, check_ok=False)
        check(v.returncode == 0 and "intact" in v.stdout, f"kill {k}: audit chain broken: {v.stdout}{v.stderr}")
        p = start()
    # Every acknowledged ingest is a task: the trainer's export lists them once reviewed; the
    # stats count every task, so compare the count of stored tasks with the acknowledgements.
    stats = req(base, officer, "GET", f"/api/projects/{pid}/stats")
    stored = sum(stats["tasks"].values())
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    check(stored >= len(acked), f"{len(acked)} ingests acknowledged but {stored} tasks stored")
    shutil.rmtree(d)
    return f"{env.kills} kills, {len(acked)} acknowledged ingests all stored ({stored} tasks), chain intact"


COMMANDS = {"redact": redact_file, "dataset": redact_dataset, "compact": compact, "serve": serve}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--store", default="sqlite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "scrim"))
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no binary at {args.bin}: cargo build --release -p scrim-cli")
    env = Env(args)
    failed = False
    for name in args.commands.split(","):
        try:
            print(f"kill loop {name} ({args.store.split('://')[0]}): ok, {COMMANDS[name](env)}", flush=True)
        except Broken as e:
            print(f"kill loop {name} ({args.store.split('://')[0]}): BROKEN: {e}", flush=True)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
