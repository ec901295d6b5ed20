"""The binding's overhead: the same corpus through `scrim redact` and through `redact_arrow` and
`redact_many`, same key, same threads, MB/s of input JSONL.

    python crates/scrim-py/bench.py [--mb 4] [--threads 2] [--scrim target/release/scrim]

Needs the `scrim` wheel and pyarrow in the running Python, and a built `scrim` binary (a release
build of both for meaningful figures). The corpus is tests/chat/gold.jsonl (conversations, the
gold spans left out) repeated with fresh ids up to --mb megabytes. Each figure is the best of
--passes runs; the outputs are checked to agree with the CLI's, record for record.
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import pyarrow as pa

import scrim

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEY = "a benchmark key, long enough"


def corpus(mb):
    base = []
    for line in (ROOT / "tests/chat/gold.jsonl").read_text().splitlines():
        rec = json.loads(line)
        base.append({"id": rec["id"], "messages": rec["messages"]})
    records, size, n = [], 0, 0
    while size < mb * 1_000_000:
        for rec in base:
            rec = dict(rec, id=f"{rec['id']}-{n}")
            n += 1
            records.append(rec)
            size += len(json.dumps(rec, ensure_ascii=False).encode()) + 1
    return records


def best(passes, f):
    times = []
    out = None
    for _ in range(passes):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--scrim", default=str(ROOT / "target/release/scrim"))
    args = ap.parse_args()

    records = corpus(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        mb = src.stat().st_size / 1e6
        out = pathlib.Path(tmp) / "out.jsonl"
        env = dict(os.environ, SCRIM_KEY=KEY)
        cmd = [args.scrim, "redact", str(src), "-o", str(out), "--quiet", "--threads", str(args.threads)]
        cli_s, _ = best(args.passes, lambda: subprocess.run(cmd, check=True, env=env))
        cli = [json.loads(x) for x in out.read_text().splitlines()]

    start = time.perf_counter()
    r = scrim.Redactor(key=KEY, threads=args.threads)
    build_s = time.perf_counter() - start
    table = pa.Table.from_pylist(records)
    # A fresh redactor's first pass, as cold as a CLI process (the patterns' lazy caches empty).
    cold_s, _ = best(1, lambda: r.redact_arrow(table))
    arrow_s, batch = best(args.passes, lambda: r.redact_arrow(table))
    many_s, many = best(args.passes, lambda: r.redact_many(records))

    assert many == cli, "redact_many differs from the CLI"
    rows = batch.to_pylist()
    assert [row["messages"] for row in rows] == [c["messages"] for c in cli], "redact_arrow differs"
    assert [json.loads(row["scrim"]) for row in rows] == [c["scrim"] for c in cli]

    print(f"corpus: {len(records)} conversations, {mb:.2f} MB of JSONL; {args.threads} threads; best of {args.passes}")
    print(f"scrim redact (a whole process: start-up, reading, writing): {cli_s:.2f} s, {mb / cli_s:.2f} MB/s")
    print(f"Redactor() build: {build_s:.2f} s")
    print(f"redact_arrow, a fresh Redactor's first pass: {cold_s:.2f} s, {mb / cold_s:.2f} MB/s ({100 * (cli_s / cold_s - 1):+.1f}% vs CLI)")
    print(f"redact_arrow: {arrow_s:.2f} s, {mb / arrow_s:.2f} MB/s ({100 * (cli_s / arrow_s - 1):+.1f}% vs CLI)")
    print(f"redact_many: {many_s:.2f} s, {mb / many_s:.2f} MB/s ({100 * (cli_s / many_s - 1):+.1f}% vs CLI)")


if __name__ == "__main__":
    main()
