#!/usr/bin/env python3
"""Every accuracy bar in one run: the figures the README's bars name, from one `scrim` binary.

    python3 tools/yardsticks.py [--scrim target/release/scrim] [--quick]

Runs `scrim eval --json` (ORG and OTHER excluded, overlap any-label precision/recall and character
recall) on: the real-chat dev set (rules; rules,model), our chat test set as conversations (rules;
rules,model), wnut17-dev (rules; rules,model) and presidio-synth (rules). `--quick` runs the rule
tier only. The real-chat gold must have been rebuilt first (`python3 tools/realchat/build.py`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "eval"
SETS = [
    ("real-chat dev", ROOT / "target" / "realchat" / "dev.jsonl", ("rules", "rules,model")),
    ("chat (conversations)", ROOT / "tests" / "chat" / "gold.jsonl", ("rules", "rules,model")),
    ("wnut17-dev", SHARED / "wnut17-dev.jsonl", ("rules", "rules,model")),
    ("presidio-synth", SHARED / "presidio-synth.jsonl", ("rules",)),
]


def run(scrim: str, gold: Path, tiers: str) -> dict:
    out = subprocess.run(
        [scrim, "eval", "--gold", str(gold), "--exclude-labels", "ORG,OTHER", "--json",
         "--tiers", tiers],
        check=True, capture_output=True, text=True,
    ).stdout
    report = json.loads(out)
    if "tiers" in report:
        report = report["tiers"][tiers]
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scrim", default=str(ROOT / "target" / "release" / "scrim"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(f"{'set':22} {'tiers':12} {'P':>6} {'R':>6} {'charR':>6}")
    for name, gold, tiers in SETS:
        for t in tiers:
            if args.quick and t != "rules":
                continue
            r = run(args.scrim, gold, t)
            m = r["micro"]["overlap_any_label"]
            print(f"{name:22} {t:12} {m['p']:6.3f} {m['r']:6.3f} {r['char']['recall']:6.3f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
