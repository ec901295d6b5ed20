"""Hand labels for the real-chat development set: show queue items, merge annotations, count.

    python3 tools/realchat/label.py show START COUNT     # print queue items (text stays local)
    python3 tools/realchat/label.py check ANNOTATIONS.jsonl # check only
    python3 tools/realchat/label.py add ANNOTATIONS.jsonl   # check and merge into tests/realchat/labels.jsonl
    python3 tools/realchat/label.py stats                 # counts per split, role and label

`labels.jsonl` holds one line per labeled message: `{"id", "role", "split", "sha256", "spans":
[{"start", "end", "label"}]}` with code point offsets, never text. See tests/realchat/GUIDE.md.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sharegpt  # noqa: E402

LABELS_FILE = sharegpt.ROOT / "tests" / "realchat" / "labels.jsonl"
QUEUE = sharegpt.ROOT / ".realchat" / "queue.jsonl"
LABELS = {"PERSON", "EMAIL", "PHONE", "ADDRESS", "LOCATION", "ORG", "DATE", "ID", "CREDIT_CARD",
          "IBAN", "IP", "URL", "USERNAME", "AGE", "SECRET", "OTHER"}
TRAIN_SHARE = 0.2


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_of(item_id: str) -> str:
    """`train` for about a fifth of conversations (by a hash of the id prefix), else `dev`."""
    digest = hashlib.sha256(sharegpt.prefix(item_id).encode("utf-8")).digest()
    return "train" if digest[0] < int(256 * TRAIN_SHARE) else "dev"


def load_queue() -> dict[int, dict]:
    held = sharegpt.heldout_ids()
    items = {}
    for line in QUEUE.read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        item = json.loads(line)
        if sharegpt.prefix(item["id"].split("#")[0]) in held:
            raise SystemExit(f"queue item {item['n']} is held out: rebuild the queue with sample.py")
        items[item["n"]] = item
    return items


def load_labels() -> dict[str, dict]:
    if not LABELS_FILE.exists():
        return {}
    rows = (json.loads(l) for l in LABELS_FILE.read_text(encoding="utf-8").splitlines() if l)
    return {row["id"]: row for row in rows}


def spaced_word_char(c: str) -> bool:
    """A letter or digit of a script that separates words with spaces (not CJK, kana, Hangul, Thai)."""
    if not c.isalnum():
        return False
    o = ord(c)
    unspaced = (0x0E00 <= o <= 0x0EFF or 0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF
                or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF)
    return not unspaced


def occurrences(text: str, value: str) -> list[int]:
    """Starts of `value` in `text`, at word boundaries where the value begins/ends with a letter or
    digit of a spaced script (names in Chinese, Japanese, Korean or Thai text need no boundary)."""
    pat = re.escape(value)
    if spaced_word_char(value[:1]):
        pat = r"(?<!\w)" + pat
    if spaced_word_char(value[-1:]):
        pat = pat + r"(?!\w)"
    return [m.start() for m in re.finditer(pat, text)]


def resolve(text: str, spans: list, where: str) -> list[dict]:
    out = []
    for span in spans:
        if not isinstance(span, list) or len(span) not in (2, 3):
            raise ValueError(f"{where}: a span is [label, text] or [label, text, k]")
        label, value = span[0], span[1]
        if label not in LABELS:
            raise ValueError(f"{where}: unknown label {label!r}")
        if not value or value != value.strip():
            raise ValueError(f"{where}: a {label} span is empty or has surrounding space")
        starts = occurrences(text, value)
        if not starts:
            raise ValueError(f"{where}: a {label} span's text is not in the message (at word boundaries)")
        if len(span) == 3:
            k = span[2]
            if not isinstance(k, int) or not 0 <= k < len(starts):
                raise ValueError(f"{where}: occurrence {k!r} of a {label} span does not exist")
            starts = [starts[k]]
        out.extend({"start": s, "end": s + len(value), "label": label} for s in starts)
    out.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(out, out[1:]):
        if b["start"] < a["end"]:
            raise ValueError(f"{where}: spans overlap at code point {b['start']}")
    return out


def add(path: str, write: bool = True) -> None:
    queue, labels = load_queue(), load_labels()
    new = {}
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            ann = json.loads(line)
            item = queue[ann["n"]]
            spans = resolve(item["text"], ann.get("spans", []), where)
        except (ValueError, KeyError, TypeError) as err:
            raise SystemExit(f"{where}: {err}") from None
        new[item["id"]] = {"id": item["id"], "role": item["role"], "split": split_of(item["id"]),
                           "sha256": sha256(item["text"]), "spans": spans}
    if not write:
        print(f"{len(new)} messages checked, no problem")
        return
    labels.update(new)
    with LABELS_FILE.open("w", encoding="utf-8") as fh:
        for key in sorted(labels):
            fh.write(json.dumps(labels[key], ensure_ascii=False) + "\n")
    print(f"{len(new)} messages merged; {len(labels)} labeled in all")


def show(start: int, count: int) -> None:
    queue = load_queue()
    for n in range(start, start + count):
        if n in queue:
            item = queue[n]
            print(f"===== n={n} role={item['role']} chars={len(item['text'])}")
            print(item["text"])


def stats() -> None:
    labels = load_labels()
    by = Counter((r["split"], r["role"]) for r in labels.values())
    with_pii = Counter((r["split"], r["role"]) for r in labels.values()
                       if any(s["label"] not in ("ORG", "OTHER") for s in r["spans"]))
    spans = Counter(s["label"] for r in labels.values() for s in r["spans"])
    for key in sorted(by):
        print(f"{key[0]:5} {key[1]:9} messages {by[key]:4}  with personal data {with_pii[key]:4}")
    print("spans:", ", ".join(f"{k} {v}" for k, v in spans.most_common()))


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["show"] and len(args) == 3:
        show(int(args[1]), int(args[2]))
    elif args[:1] == ["add"] and len(args) == 2:
        add(args[1])
    elif args[:1] == ["check"] and len(args) == 2:
        add(args[1], write=False)
    elif args == ["stats"]:
        stats()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
