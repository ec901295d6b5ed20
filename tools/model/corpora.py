#!/usr/bin/env python3
"""Load the allowed labeled corpora as training examples with Scrim model labels.

    python tools/model/corpora.py            # print label statistics per corpus and split

Allowed for training (read in place from ../shared/data/eval, never copied):
  wnut16.jsonl, conll2003-dev.jsonl, presidio-synth.jsonl
Never used for training (yardsticks, evaluation only): wnut17-dev.jsonl and tests/chat/*.
load() refuses those paths.

Example format (shared with gen_chats.py):
  {"id", "text", "spans": [[start, end, LABEL], ...], "ignore": [[start, end], ...]}
Offsets are code point offsets. Tokens overlapping an "ignore" range get no loss (-100).

Label mapping (model label set: PERSON LOCATION ADDRESS ORG DATE AGE USERNAME EMAIL PHONE URL ID):
  wnut16  person -> PERSON; geo-loc, facility -> LOCATION (WNUT-17 folds facilities into
          location too); company, sportsteam -> ORG; product, movie, tvshow, other -> O;
          musicartist -> ignored (solo artists are PERSON under WNUT-17 and the Scrim
          guidelines, bands are ORG/group: the label is ambiguous, so no loss either way).
          @handles and URLs are NOT labeled in WNUT-16 -> ignored (no loss) so the corpus does
          not teach "handles are O" against the generated USERNAME/URL data.
  conll   PER -> PERSON, LOC -> LOCATION, ORG -> ORG, MISC -> O (nationalities, events).
  presidio PERSON, GPE(LOCATION), STREET_ADDRESS/ZIP_CODE(ADDRESS), EMAIL, PHONE, AGE, URL kept;
          ORGANIZATION -> ORG; US_SSN, US_DRIVER_LICENSE, CREDIT_CARD, IBAN, IP -> ID (the model
          has one "identifying number" class; the rule tier types these precisely);
          DATE_TIME -> DATE only for day-level dates (the date part of a timestamp); bare years,
          weekdays and times -> O, following the Scrim chat annotation guidelines;
          NRP, TITLE -> O.
  Day-level dates in wnut16/conll (datelines like "LONDON 1996-08-30") are unlabeled there;
  they are ignored (no loss) rather than taught as O.
ORG is a trained label everywhere (every corpus labels organisations, the generator labels
employers/schools/hospitals/banks as ORG). Scoring drops ORG on both sides; the Rust side decides
what to do with it (employer detection).

Held-out split: a doc is held out (10%) when md5(id) % 10 == 0; see is_heldout().
"""
import os as _os
_REPO = _os.path.abspath(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", ".."))
_SHARED = _os.path.join(_os.path.dirname(_REPO), "shared")
import hashlib
import json
import os
import re
import sys
from collections import Counter

EVAL_DIR = _os.path.join(_SHARED, "data/eval")
ALLOWED = ["wnut16", "conll2003-dev", "presidio-synth"]
FORBIDDEN = ["wnut17", "tests/chat", "gold-text", "gold.jsonl"]

MODEL_LABELS = ["PERSON", "LOCATION", "ADDRESS", "ORG", "DATE", "AGE", "USERNAME", "EMAIL",
                "PHONE", "URL", "ID"]
IGNORE = "IGNORE"

DAY_DATE = re.compile(
    r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})\b"
    r"|\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(,?\s+\d{4})?\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?\b(,?\s+\d{4})?",
    re.I)
HANDLE_URL = re.compile(r"@\w+|https?://\S+|www\.\S+")


def is_heldout(doc_id):
    return int(hashlib.md5(str(doc_id).encode()).hexdigest(), 16) % 10 == 0


def map_label(corpus, span, text):
    """Return a model label, IGNORE, or None (= O). May return (label, start, end) to trim."""
    lab, orig = span["label"], span.get("orig", "")
    if lab in ("OTHER",):
        if corpus == "wnut16" and orig == "musicartist":
            return IGNORE
        return None
    if lab == "ORG":
        return "ORG"
    if lab in ("CREDIT_CARD", "IBAN", "IP"):
        return "ID"
    if lab == "DATE":
        value = text[span["start"]:span["end"]]
        m = DAY_DATE.search(value)
        if not m:
            return None
        return ("DATE", span["start"] + m.start(), span["start"] + m.end())
    if lab in MODEL_LABELS:
        return lab
    raise ValueError("unmapped label %s/%s in %s" % (lab, orig, corpus))


def convert_doc(corpus, d):
    text = d["text"]
    spans, ignore = [], []
    for sp in d["spans"]:
        r = map_label(corpus, sp, text)
        if r is None:
            continue
        if r == IGNORE:
            ignore.append([sp["start"], sp["end"]])
        elif isinstance(r, tuple):
            spans.append([r[1], r[2], r[0]])
        else:
            spans.append([sp["start"], sp["end"], r])
    if corpus in ("wnut16", "conll2003-dev"):
        pats = [DAY_DATE] + ([HANDLE_URL] if corpus == "wnut16" else [])
        for pat in pats:
            for m in pat.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                    ignore.append([m.start(), m.end()])
    return {"id": d["id"], "text": text, "spans": sorted(spans), "ignore": sorted(ignore)}


def split_lines(ex):
    """Split a long doc into its lines (CoNLL docs are one sentence per line)."""
    out, pos = [], 0
    for i, line in enumerate(ex["text"].split("\n")):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        spans = [[a - s, b - s, l] for a, b, l in ex["spans"] if a >= s and b <= e]
        crossing = [[max(a, s) - s, min(b, e) - s] for a, b, l in ex["spans"]
                    if a < e and b > s and not (a >= s and b <= e)]
        ign = [[max(a, s) - s, min(b, e) - s] for a, b in ex["ignore"] if a < e and b > s]
        out.append({"id": "%s/L%d" % (ex["id"], i), "text": line, "spans": spans, "ignore": ign + crossing})
    return out


def load(corpus, split="train"):
    """split: 'train' (90%), 'heldout' (10%) or 'all'."""
    path = corpus if os.path.sep in corpus else os.path.join(EVAL_DIR, corpus + ".jsonl")
    if any(f in path for f in FORBIDDEN):
        raise SystemExit("refusing to load a yardstick for training: %s" % path)
    name = os.path.basename(path).replace(".jsonl", "")
    if name not in ALLOWED:
        raise SystemExit("not an allowed training corpus: %s" % path)
    out = []
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        h = is_heldout(d["id"])
        if (split == "train" and h) or (split == "heldout" and not h):
            continue
        ex = convert_doc(name, d)
        if name == "conll2003-dev":
            out.extend(split_lines(ex))
        else:
            out.append(ex)
    return out


def main():
    for c in ALLOWED:
        for split in ("train", "heldout"):
            exs = load(c, split)
            cnt = Counter(l for e in exs for _, _, l in e["spans"])
            ign = sum(len(e["ignore"]) for e in exs)
            print("%-15s %-8s %5d examples  ignore %4d  %s" % (c, split, len(exs), ign, dict(sorted(cnt.items()))))


if __name__ == "__main__":
    main()
