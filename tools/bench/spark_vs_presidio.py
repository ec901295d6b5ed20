"""Scrim on Spark against Presidio on Spark, side by side in one run (issue 13 item 5).

    target/bench-venv/bin/python tools/bench/spark_vs_presidio.py [--master local[2]]
        [--presidio-mb 2] [--scrim-mb 40] [--max-bytes 16384] [--runs 3] [--nice N] [--json-out FILE]

One PySpark session in local mode, one table of real chat messages (`id`, `text`: user and
assistant messages of tools/bench/chats.py, at most --max-bytes each), two jobs over the same
rows, each reading the Parquet file split into --partitions partitions (by its row groups, of 256
rows; `--shuffle` repartitions after reading instead, as examples/spark does, a shuffle that costs
Scrim about 15% more time here) and writing Parquet:

- Scrim as examples/spark/redact_spark.py runs it: `mapInArrow` with a pickled
  `scrim.Redactor(threads=1)` (its `redact_batches` and `plain`, imported from the example);
- Presidio as its Spark sample documents it (docs/samples/deployments/spark in Presidio's
  repository): an `AnalyzerEngine` and an `AnonymizerEngine` broadcast with `sc.broadcast`, and a
  pandas UDF applying analyze + anonymize (`replace` with `<ANONYMIZED>`) to each row's text.
  The one change: each Python worker points tldextract at its bundled suffix list before use, so
  that nothing is fetched from the network (tools/presidio/compare.py does the same).

Presidio reads about 10 KB/s per core, so its rows are the first --presidio-mb MB of messages;
Scrim runs on those same rows and also on the first --scrim-mb MB (a superset, in the same order)
for a steadier figure. Each job runs once on a few rows first (not timed: the JVM, the Python
workers, Presidio's spaCy model and the broadcast engines are then loaded); then the timed runs
alternate: Scrim (same rows), Scrim (larger set), Presidio, and again Scrim, --runs times in all
for Scrim (medians) and --presidio-runs times for Presidio. Time is the write action's wall
time; MB/s is UTF-8 bytes of input text / 10^6 / s. Each output's row count is checked against
the input's (Scrim's quarantine column too). No text is printed. The CPU time the driver, the JVM
and the Python workers used during each job is reported too (MB per CPU-second moves less than
MB/s when other jobs take the machine's cores); `--nice N` runs Spark at niceness N, its session's
scheduling group too (as root, a negative N puts it before the machine's other jobs).

Needs the virtualenv of tools/bench/setup.sh and Java 17 or 21.
"""


import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The Spark workers import the example's helpers and the Presidio set-up by name.
WORKER_PATHS = [ROOT / "examples" / "spark", ROOT / "tools" / "presidio"]
for p in [HERE, *WORKER_PATHS]:
    sys.path.insert(0, str(p))

import chats  # noqa: E402
from procs import prioritize, tree_cpu_s  # noqa: E402


def die(msg: str, code: int = 2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str):
    print(msg, file=sys.stderr, flush=True)


def write_messages(path: Path, rows: list[dict]):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows]})
    pq.write_table(table, path, row_group_size=256)  # small row groups: the file splits into many partitions


def session(master: str, partitions: int):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    paths = [str(p) for p in WORKER_PATHS] + [os.environ.get("PYTHONPATH", "")]
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return (
        SparkSession.builder.master(master)
        .appName("scrim-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )


def read(spark, src: Path, partitions: int, shuffle: bool):
    """The input as a DataFrame of about `partitions` partitions: split while reading (by row
    groups), or, with `shuffle`, read and then repartitioned (a shuffle, as examples/spark does)."""
    if shuffle:
        return spark.read.parquet(str(src)).repartition(partitions)
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(max(1, src.stat().st_size // partitions)))
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    spark.conf.set("spark.sql.files.minPartitionNum", str(partitions))
    df = spark.read.parquet(str(src))
    if df.rdd.getNumPartitions() < partitions:
        log(f"note: {src.name} read as {df.rdd.getNumPartitions()} partitions, fewer than {partitions}")
    return df


def scrim_job(spark, key: bytes, shuffle: bool):
    """Returns run(input, output): Scrim through mapInArrow, as examples/spark does."""
    import pyarrow as pa
    import scrim
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
    from redact_spark import redact_batches

    redactor = scrim.Redactor(key=key, threads=1, tiers=("rules",))

    def run(src: Path, out: Path, partitions: int):
        df = read(spark, src, partitions, shuffle)
        empty = pa.RecordBatch.from_pylist([], schema=to_arrow_schema(df.schema))
        sample = next(redact_batches(redactor)(iter([empty])))
        df.mapInArrow(redact_batches(redactor), from_arrow_schema(sample.schema)) \
            .write.mode("overwrite").parquet(str(out))

    return run


def presidio_job(spark, shuffle: bool):
    """Returns run(input, output): Presidio's documented Spark approach."""
    import pandas as pd
    from presidio_analyzer import AnalyzerEngine  # noqa: F401  (imported as the sample does)
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig
    from pyspark.sql.functions import col, pandas_udf
    from pyspark.sql.types import StringType

    import compare  # tools/presidio/compare.py: the engine with the PyPI spaCy model, offline

    analyzer, _, _, _ = compare.build_presidio("sm")
    anonymizer = AnonymizerEngine()
    sc = spark.sparkContext
    broadcast_analyzer = sc.broadcast(analyzer)
    broadcast_anonymizer = sc.broadcast(anonymizer)
    operators = {"DEFAULT": OperatorConfig("replace", {"new_value": "<ANONYMIZED>"})}

    def anonymize_text(text: str) -> str:
        analyzer = broadcast_analyzer.value
        anonymizer = broadcast_anonymizer.value
        found = analyzer.analyze(text=text, language="en")
        return anonymizer.anonymize(text=text, analyzer_results=found, operators=operators).text

    def anonymize_series(s: pd.Series) -> pd.Series:
        compare.offline_tldextract()  # this worker's tldextract: no network
        return s.apply(anonymize_text)

    anonymize = pandas_udf(anonymize_series, returnType=StringType())

    def run(src: Path, out: Path, partitions: int):
        df = read(spark, src, partitions, shuffle)
        df.withColumn("text", anonymize(col("text"))).write.mode("overwrite").parquet(str(out))

    return run


def timed(spark, run, src: Path, out: Path, partitions: int, rows: int, scrim: bool) -> tuple[float, float]:
    """Run a job; its wall time and the CPU time this process and its children (the JVM, the
    Python workers) used meanwhile."""
    shutil.rmtree(out, ignore_errors=True)
    cpu0 = tree_cpu_s(os.getpid())
    t0 = time.perf_counter()
    run(src, out, partitions)
    seconds = time.perf_counter() - t0
    cpu = tree_cpu_s(os.getpid()) - cpu0
    written = spark.read.parquet(str(out))
    n = written.count()
    if n != rows:
        die(f"{out.name}: {n} rows written for {rows} read", 1)
    if scrim:
        held = written.filter(written.quarantine.isNotNull()).count()
        if held:
            log(f"note: {held} rows of {src.name} quarantined by Scrim (kept, with their reason)")
    return seconds, cpu


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, help="default: 2 per core of --master")
    ap.add_argument("--shuffle", action="store_true",
                    help="repartition after reading (a shuffle) instead of splitting the file while reading")
    ap.add_argument("--presidio-mb", type=float, default=2.0)
    ap.add_argument("--scrim-mb", type=float, default=40.0)
    ap.add_argument("--max-bytes", type=int, default=16384, help="longest message (bytes)")
    ap.add_argument("--runs", type=int, default=3, help="Scrim's timed runs of each set")
    ap.add_argument("--presidio-runs", type=int, default=1)
    ap.add_argument("--work", default=str(ROOT / "target" / "bench" / "spark"))
    ap.add_argument("--nice", type=int, default=0,
                    help="run Spark at this niceness, its session's scheduling group too (negative: "
                         "before the machine's other jobs; needs root)")
    ap.add_argument("--json-out")
    a = ap.parse_args(argv)
    if a.runs < 1 or a.presidio_runs < 1 or a.presidio_mb <= 0 or a.scrim_mb < a.presidio_mb:
        die("need --runs and --presidio-runs >= 1 and 0 < --presidio-mb <= --scrim-mb")
    cores_arg = a.master.removeprefix("local[").removesuffix("]")
    cores = os.cpu_count() if cores_arg == "*" else int(cores_arg) if cores_arg.isdigit() else None
    if cores is None:
        die("--master must be local[N] or local[*] (a local-mode benchmark)")
    partitions = a.partitions or 2 * cores
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        die("Spark needs Java 17 or 21 (Debian: apt-get install openjdk-17-jre-headless)")
    try:
        import presidio_anonymizer  # noqa: F401
        import pyspark
        import scrim  # noqa: F401
    except ImportError as e:
        die(f"{e}: run tools/bench/setup.sh and use its virtualenv's python")

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    big_rows = chats.messages(a.scrim_mb, a.max_bytes)
    small_rows = chats.messages(a.presidio_mb, a.max_bytes)
    if big_rows[: len(small_rows)] != small_rows:
        die("the smaller set is not a prefix of the larger one", 1)
    sets = {
        "same": (work / "same.parquet", len(small_rows), chats.text_mb(small_rows)),
        "large": (work / "large.parquet", len(big_rows), chats.text_mb(big_rows)),
        "warm": (work / "warm.parquet", len(small_rows[:16]), chats.text_mb(small_rows[:16])),
    }
    write_messages(sets["same"][0], small_rows)
    write_messages(sets["large"][0], big_rows)
    write_messages(sets["warm"][0], small_rows[:16])
    del big_rows, small_rows
    log(f"messages: {sets['same'][1]} ({sets['same'][2]:.2f} MB) for both, "
        f"{sets['large'][1]} ({sets['large'][2]:.2f} MB) for Scrim; {a.master}, {partitions} partitions")

    if a.nice:
        os.nice(a.nice)
        prioritize(os.getpid(), a.nice)
    spark = session(a.master, partitions)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        jobs = {"scrim": scrim_job(spark, os.urandom(32).hex().encode(), a.shuffle),
                "presidio": presidio_job(spark, a.shuffle)}
        for name, run in jobs.items():
            log(f"warm-up: {name}")
            timed(spark, run, sets["warm"][0], work / f"out-warm-{name}", partitions, sets["warm"][1],
                  name == "scrim")
        times = {"scrim-same": [], "scrim-large": [], "presidio-same": []}
        cpus = {k: [] for k in times}
        load = []
        for i in range(max(a.runs, a.presidio_runs)):
            plan = []
            if i < a.runs:
                plan += [("scrim", "same"), ("scrim", "large")]
            if i < a.presidio_runs:
                plan += [("presidio", "same")]
            for engine, which in plan:
                src, rows, _ = sets[which]
                load.append(os.getloadavg()[0])
                s, cpu = timed(spark, jobs[engine], src, work / f"out-{engine}-{which}", partitions, rows,
                               engine == "scrim")
                times[f"{engine}-{which}"].append(s)
                cpus[f"{engine}-{which}"].append(cpu)
                log(f"run {i + 1}: {engine} on {which}: {s:.2f} s, {sets[which][2] / s:.4f} MB/s, "
                    f"{cpu:.1f} CPU-s")
    finally:
        spark.stop()

    def figure(key):
        which = key.split("-")[1]
        secs = statistics.median(times[key])
        return {"rows": sets[which][1], "mb": round(sets[which][2], 4), "runs_s": [round(t, 3) for t in times[key]],
                "median_s": round(secs, 3), "mb_per_s": sets[which][2] / secs,
                "cpu_s": [round(c, 2) for c in cpus[key]],
                "mb_per_cpu_s": sets[which][2] * len(cpus[key]) / max(sum(cpus[key]), 1e-9)}

    rep = {
        "master": a.master, "partitions": partitions, "cpus": os.cpu_count(),
        "max_message_bytes": a.max_bytes, "python": platform.python_version(),
        "pyspark": pyspark.__version__, "load_1min_during_runs": [round(x, 2) for x in load], "nice": a.nice,
        "scrim_same": figure("scrim-same"), "scrim_large": figure("scrim-large"),
        "presidio_same": figure("presidio-same"),
    }
    p = rep["presidio_same"]["mb_per_s"]
    rep["ratio_same_rows"] = rep["scrim_same"]["mb_per_s"] / p
    rep["ratio_large_set"] = rep["scrim_large"]["mb_per_s"] / p
    pc = rep["presidio_same"]["mb_per_cpu_s"]
    rep["cpu_ratio_same_rows"] = rep["scrim_same"]["mb_per_cpu_s"] / pc
    rep["cpu_ratio_large_set"] = rep["scrim_large"]["mb_per_cpu_s"] / pc
    rep["bar_met"] = min(rep["ratio_same_rows"], rep["ratio_large_set"]) >= 300
    print(render(rep))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(rep, indent=2) + "\n")
    return 0


def render(rep) -> str:
    lines = [
        f"Spark {rep['pyspark']} local mode, {rep['master']}, {rep['partitions']} partitions; "
        f"messages of at most {rep['max_message_bytes']} bytes"
        + (f"; Spark at niceness {rep['nice']}" if rep.get("nice") else ""),
        "",
        "| job | rows | MB of text | runs (s) | median s | MB/s | Scrim / Presidio | CPU-s per run "
        "| MB per CPU-second | Scrim / Presidio per CPU-second |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, name, ratio, cpu_ratio in (
        ("presidio_same", "Presidio (pandas UDF, broadcast engines)", None, None),
        ("scrim_same", "Scrim (mapInArrow), same rows", rep["ratio_same_rows"], rep["cpu_ratio_same_rows"]),
        ("scrim_large", "Scrim (mapInArrow), larger set", rep["ratio_large_set"], rep["cpu_ratio_large_set"]),
    ):
        f = rep[key]
        runs = ", ".join(f"{t:.1f}" for t in f["runs_s"])
        cpu = ", ".join(f"{c:.1f}" for c in f["cpu_s"])
        lines.append(
            f"| {name} | {f['rows']:,} | {f['mb']:.2f} | {runs} | {f['median_s']:.2f} | {f['mb_per_s']:.4f} "
            f"| {'1x' if ratio is None else f'{ratio:,.0f}x'} | {cpu} | {f['mb_per_cpu_s']:.4f} "
            f"| {'1x' if cpu_ratio is None else f'{cpu_ratio:,.0f}x'} |"
        )
    lines.append("")
    lines.append(f"bar (Scrim >= 300x Presidio's MB/s, same rows and larger set): "
                 f"{'met' if rep['bar_met'] else 'NOT met'}; "
                 f"load average (1 min) at each run's start: {rep['load_1min_during_runs']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
