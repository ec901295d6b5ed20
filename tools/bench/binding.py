"""The Python binding's overhead: `scrim.Redactor.redact_arrow` against the `scrim redact` CLI on
the same Parquet file of real chat conversations, side by side in one run (issue 13 item 5).

    target/bench-venv/bin/python tools/bench/binding.py [--mb 20] [--threads 2] [--iterations 7]
        [--scrim target/release/scrim] [--json-out FILE]

The input is the first --mb MB of conversations of tools/bench/chats.py (real ShareGPT
conversations, held-out ones excluded), written once as Parquet (`id`, `source`, `messages` as
list<struct<role, content>>, row groups of 1,024 conversations). Each iteration runs both sides,
alternating which goes first, each in a fresh process doing the same work from the same file:

- CLI: `scrim redact IN.parquet -o OUT.parquet --key-file K --threads T --tiers rules --quiet`,
  timed as the whole process (start-up, reading, redacting, writing);
- binding: a fresh Python process that builds `scrim.Redactor(key, tiers=("rules",), threads=T)`,
  reads the file row group by row group, passes each to `redact_arrow` and writes the batches with
  pyarrow's ParquetWriter; timed from before the Redactor is built to the file closed (the
  interpreter's own start and imports not counted). The time inside `redact_arrow` alone is
  reported too.

MB/s is UTF-8 bytes of message text / 10^6 / s; figures are medians over the iterations, and the
ratio is the binding's median MB/s over the CLI's. Both outputs are checked equal, row for row
(messages and the `scrim` column). No text is printed.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))


def die(msg: str, code: int = 2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)


def child(src: str, out: str, key_file: str, threads: int) -> None:
    """The binding's side, in its own process: prints {"seconds", "redact_s"} as JSON."""
    import pyarrow.parquet as pq
    import scrim

    key = Path(key_file).read_bytes().strip()
    t0 = time.perf_counter()
    redactor = scrim.Redactor(key=key, tiers=("rules",), threads=threads)
    source = pq.ParquetFile(src)
    writer = None
    redact_s = 0.0
    try:
        for i in range(source.num_row_groups):
            group = source.read_row_group(i)
            t = time.perf_counter()
            batch = redactor.redact_arrow(group)
            redact_s += time.perf_counter() - t
            if writer is None:
                writer = pq.ParquetWriter(out, batch.schema)
            writer.write_batch(batch)
    finally:
        if writer is not None:
            writer.close()
    print(json.dumps({"seconds": time.perf_counter() - t0, "redact_s": redact_s}))


def write_input(path: Path, mb: float) -> tuple[int, float]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import chats

    convs = chats.conversations(mb)
    table = pa.Table.from_pylist(convs)
    pq.write_table(table, path, row_group_size=1024)
    return len(convs), chats.text_mb(convs)


def same_output(cli: Path, py: Path) -> None:
    """The two outputs agree row for row (the `scrim` column compared as parsed JSON)."""
    import pyarrow.parquet as pq

    a, b = pq.read_table(cli), pq.read_table(py)
    if a.num_rows != b.num_rows:
        die(f"the CLI wrote {a.num_rows} rows, the binding {b.num_rows}", 1)
    for name in ("id", "messages", "quarantine"):
        if a.column(name).to_pylist() != b.column(name).to_pylist():
            die(f"the CLI's and the binding's `{name}` columns differ", 1)

    def scrim_col(t):
        return [None if v is None else json.loads(v) for v in _strings(t.column("scrim"))]

    if scrim_col(a) != scrim_col(b):
        die("the CLI's and the binding's `scrim` columns differ", 1)


def _strings(col):
    import pyarrow as pa

    chunks = []
    for chunk in col.chunks:
        if isinstance(chunk, pa.ExtensionArray):
            chunk = chunk.storage
        chunks.extend(chunk.to_pylist())
    return chunks


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="MB of message text (default 20)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=7)
    ap.add_argument("--scrim", default=str(ROOT / "target" / "release" / "scrim"))
    ap.add_argument("--work", default=str(ROOT / "target" / "bench" / "binding"))
    ap.add_argument("--json-out")
    ap.add_argument("--child", nargs=4, metavar=("IN", "OUT", "KEY", "THREADS"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], a.child[1], a.child[2], int(a.child[3]))
        return 0
    if not os.access(a.scrim, os.X_OK):
        die(f"no scrim binary at {a.scrim}: cargo build --release -p scrim-cli (or tools/bench/setup.sh)")
    try:
        import scrim  # noqa: F401
    except ImportError:
        die("the scrim wheel is not installed here: run tools/bench/setup.sh and use its virtualenv's python")
    if a.iterations < 1 or a.threads < 1:
        die("--iterations and --threads must be at least 1")

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    src, key_file = work / "chats.parquet", work / "scrim.key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    os.chmod(key_file, 0o600)
    rows, mb = write_input(src, a.mb)
    cli_out, py_out = work / "out-cli.parquet", work / "out-py.parquet"
    print(f"input: {rows} conversations, {mb:.2f} MB of message text; {a.threads} threads; "
          f"{a.iterations} alternated iterations", file=sys.stderr)

    def run_cli() -> float:
        t0 = time.perf_counter()
        r = subprocess.run([a.scrim, "redact", str(src), "-o", str(cli_out), "--key-file", str(key_file),
                            "--threads", str(a.threads), "--tiers", "rules", "--quiet"],
                           capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if r.returncode != 0:
            die(f"scrim redact failed ({r.returncode}): {r.stderr.strip()[-2000:]}", 1)
        return seconds

    def run_py() -> tuple[float, float]:
        r = subprocess.run([sys.executable, __file__, "--child", str(src), str(py_out), str(key_file),
                            str(a.threads)], capture_output=True, text=True)
        if r.returncode != 0:
            die(f"the binding's run failed ({r.returncode}): {r.stderr.strip()[-2000:]}", 1)
        out = json.loads(r.stdout.strip().splitlines()[-1])
        return out["seconds"], out["redact_s"]

    cli_s, py_s, redact_s, load = [], [], [], []
    for i in range(a.iterations):
        load.append(os.getloadavg()[0])
        order = ("cli", "py") if i % 2 == 0 else ("py", "cli")
        for side in order:
            if side == "cli":
                cli_s.append(run_cli())
            else:
                s, r = run_py()
                py_s.append(s)
                redact_s.append(r)
        print(f"iteration {i + 1}: CLI {mb / cli_s[-1]:.2f} MB/s, binding {mb / py_s[-1]:.2f} MB/s "
              f"(redact_arrow alone {mb / redact_s[-1]:.2f})", file=sys.stderr)
    same_output(cli_out, py_out)

    med = {k: statistics.median(v) for k, v in (("cli", cli_s), ("py", py_s), ("redact", redact_s))}
    rep = {
        "rows": rows, "mb": round(mb, 4), "threads": a.threads, "iterations": a.iterations,
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "cli_s": [round(x, 3) for x in cli_s], "binding_s": [round(x, 3) for x in py_s],
        "redact_arrow_s": [round(x, 3) for x in redact_s],
        "cli_mb_per_s": mb / med["cli"], "binding_mb_per_s": mb / med["py"],
        "redact_arrow_mb_per_s": mb / med["redact"],
        "load_1min_at_iterations": [round(x, 2) for x in load],
    }
    rep["ratio"] = rep["binding_mb_per_s"] / rep["cli_mb_per_s"]
    rep["bar_met"] = rep["ratio"] >= 0.9
    print(render(rep))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(rep, indent=2) + "\n")
    return 0


def render(rep) -> str:
    return "\n".join([
        f"{rep['rows']:,} conversations, {rep['mb']:.2f} MB of message text, {rep['threads']} threads, "
        f"median of {rep['iterations']} alternated iterations",
        "",
        "| side | what is timed | median s | MB/s | vs CLI |",
        "|---|---|---|---|---|",
        f"| `scrim redact` (CLI) | whole process | {rep['mb'] / rep['cli_mb_per_s']:.2f} | "
        f"{rep['cli_mb_per_s']:.2f} | 1.00 |",
        f"| `Redactor.redact_arrow` | Redactor built, Parquet read, redacted, written | "
        f"{rep['mb'] / rep['binding_mb_per_s']:.2f} | {rep['binding_mb_per_s']:.2f} | {rep['ratio']:.2f} |",
        f"| `redact_arrow` calls alone | the calls only | {rep['mb'] / rep['redact_arrow_mb_per_s']:.2f} | "
        f"{rep['redact_arrow_mb_per_s']:.2f} | {rep['redact_arrow_mb_per_s'] / rep['cli_mb_per_s']:.2f} |",
        "",
        f"bar (binding within 10% of the CLI's MB/s): {'met' if rep['bar_met'] else 'NOT met'}; "
        f"load average (1 min) at each iteration: {rep['load_1min_at_iterations']}",
    ])


if __name__ == "__main__":
    sys.exit(main())
