"""What did `scrim detect` find in a real-chat sample? Counts per label and the most frequent values.

    scrim detect target/realchat/sample-10mb.jsonl -o PRED.jsonl
    python3 tools/realchat/findings.py target/realchat/sample-10mb.jsonl PRED.jsonl [--label PERSON] [--top 40]

For studying over-redaction on real text. It prints values from the sample, so run it locally and
keep its output out of commits.
"""

from __future__ import annotations

import argparse
import collections
import json


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("pred")
    ap.add_argument("--label", default="PERSON")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    records = {}
    with open(args.corpus, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            records[rec["id"]] = rec
    per_label, values = collections.Counter(), collections.Counter()
    with open(args.pred, encoding="utf-8") as fh:
        for line in fh:
            pred = json.loads(line)
            rec = records.get(pred["id"])
            for span in pred["spans"]:
                per_label[span["label"]] += 1
                if rec and span["label"] == args.label:
                    text = rec["messages"][span["message"]]["content"]
                    values[text[span["start"]:span["end"]]] += 1
    print("findings:", ", ".join(f"{k} {v}" for k, v in per_label.most_common()))
    print(f"most frequent {args.label}:", ", ".join(f"{v!r} {n}" for v, n in values.most_common(args.top)))


if __name__ == "__main__":
    main()
