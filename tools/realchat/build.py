"""Rebuild the real-chat gold files from the installed package and the committed labels.

    python3 tools/realchat/build.py [--out target/realchat]

Writes `dev.jsonl` and `train.jsonl` in the shared corpus format (`{"id", "text", "source",
"split", "role", "spans"}`, code point offsets), one document per labeled message. A message whose
text no longer hashes to the label's SHA-256 is an error: the package changed, nothing is written.

Also writes `code.jsonl`: 300 assistant messages with fenced code, drawn with a fixed seed, as
`{"id", "text"}` documents, for scrim-core's test that no name lands on a code identifier
(`crates/scrim-core/tests/code_regions.rs`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import label  # noqa: E402
import sharegpt  # noqa: E402


def texts_for(ids: set[str]) -> dict[str, str]:
    """The message texts for `{item_id}#{turn}` ids, read through the held-out filter."""
    wanted: dict[str, set[int]] = {}
    for key in ids:
        item_id, turn = key.rsplit("#", 1)
        wanted.setdefault(item_id, set()).add(int(turn))
    out = {}
    for conv in sharegpt.conversations():
        for turn in wanted.get(conv["id"], ()):
            if turn < len(conv["messages"]):
                out[f"{conv['id']}#{turn}"] = conv["messages"][turn]["content"]
    return out


CODE_SNIPPETS = 300


def code_messages(n: int = CODE_SNIPPETS, seed: int = 12) -> list[dict]:
    """`n` assistant messages holding a fenced code block, drawn with a fixed seed."""
    pool = []
    for conv in sharegpt.conversations():
        for turn, msg in enumerate(conv["messages"]):
            text = msg["content"]
            if msg["role"] == "assistant" and "```" in text and len(text) <= 6000:
                pool.append({"id": f"{conv['id']}#{turn}", "text": text})
    pool.sort(key=lambda d: d["id"])
    return random.Random(seed).sample(pool, min(n, len(pool)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(sharegpt.ROOT / "target" / "realchat"))
    args = ap.parse_args()
    labels = label.load_labels()
    texts = texts_for(set(labels))
    docs: dict[str, list[dict]] = {"dev": [], "train": []}
    for key in sorted(labels):
        row = labels[key]
        text = texts.get(key)
        if text is None or label.sha256(text) != row["sha256"]:
            raise SystemExit(f"{key}: the package's text is missing or differs from the labeled one")
        docs[row["split"]].append({"id": key, "text": text, "source": "sharegpt",
                                   "split": row["split"], "role": row["role"],
                                   "spans": row["spans"]})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in docs.items():
        with (out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for doc in rows:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
        print(f"{len(rows)} documents in {out / (split + '.jsonl')}")
    code = code_messages()
    with (out / "code.jsonl").open("w", encoding="utf-8") as fh:
        for doc in code:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(code)} documents in {out / 'code.jsonl'}")


if __name__ == "__main__":
    main()
