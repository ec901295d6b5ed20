#!/usr/bin/env python3
"""Build Scrim's hand-written chat test set from its markup (stdlib only, Python >= 3.8).

    python3 tools/build_chat_testset.py              # parse tests/chat/*.md, validate, write gold
    python3 tools/build_chat_testset.py --check      # validate; fail if the gold files are stale
    python3 tools/build_chat_testset.py --stats      # also print counts per label / language
    python3 tools/build_chat_testset.py FILE.md      # only validate FILE.md (add --out-dir DIR to write)
    python3 tools/build_chat_testset.py --overlap-check /work/shared/data/eval/*.jsonl
                                                     # report span values / sentences found there
    python3 tools/build_chat_testset.py --make-card 453917036482519      # append a Luhn digit
    python3 tools/build_chat_testset.py --make-iban DE 500105175407324931  # compute check digits
    python3 tools/build_chat_testset.py --make-aadhaar 52634871902      # append a Verhoeff digit
    python3 tools/build_chat_testset.py --make-nhs 943476591            # append a mod-11 digit

Markup (see tests/chat/README.md for the annotation guidelines):

    Anything before the first "## " header is free prose and ignored.
    %% a comment line (ignored anywhere)
    ## chat-001 | subject: u-1001 | source: ai_chat | lang: en | style: therapy, US
    user: first line of the message, with {PERSON:Hailey} marked
      an indented (two spaces) line continues the message after a newline

      a blank line followed by an indented line is kept as a paragraph break
    assistant: Hi {PERSON:Hailey}!

    {LABEL:value}   a gold span; value is the exact text, no nesting, no line breaks
    {~:value}       a deliberate NON-annotation (the text is kept, no span): documents a decision
                    and silences the consistency lint (e.g. "I {~:will} call" next to a person Will)
    \\{ \\} \\\\        literal braces and backslash; any other backslash is an error

On success the script prints nothing (unless --stats) and exits 0; on bad markup or an invalid
value it prints "file:line: message" lines to stderr and exits 1.
"""

from __future__ import annotations

import argparse
import glob
import ipaddress
import json
import os
import re
import sys
from collections import Counter, OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHAT_DIR = os.path.join(ROOT, "tests", "chat")

LABELS = (
    "PERSON", "EMAIL", "PHONE", "ADDRESS", "LOCATION", "ORG", "DATE", "ID", "CREDIT_CARD",
    "IBAN", "IP", "URL", "USERNAME", "AGE", "OTHER",
)
ROLES = ("user", "assistant", "system")
NEG = "~"  # {~:text}: deliberately not annotated

# Labels whose every annotated value must be annotated wherever it recurs in the conversation.
# AGE is left out: its values are bare numbers that recur as prices, times, counts.
LINT_LABELS = set(LABELS) - {"AGE", "OTHER"}

HEADER_RE = re.compile(r"^## (\S+)\s*(.*)$")
ROLE_RE = re.compile(r"^(user|assistant|system):(?: (.*))?$")


class MarkupError(Exception):
    pass


# --------------------------------------------------------------------------------------------
# checksums


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24,
    "FI": 18, "FR": 27, "GB": 22, "GR": 27, "IE": 22, "IT": 27, "LU": 20, "NL": 18, "NO": 15,
    "PL": 28, "PT": 25, "SA": 24, "SE": 24, "TR": 26,
}


def _iban_number(s: str) -> int:
    return int("".join(str(int(c, 36)) for c in s))


def iban_ok(iban: str):
    """None if valid, else the reason."""
    s = iban.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", s):
        return "IBAN must be CC + 2 check digits + alphanumeric BBAN"
    want = IBAN_LENGTHS.get(s[:2])
    if want is not None and len(s) != want:
        return "IBAN for %s must have %d characters, has %d" % (s[:2], want, len(s))
    if _iban_number(s[4:] + s[:4]) % 97 != 1:
        return "IBAN fails the mod-97 check (expected %s)" % iban_make(s[:2], s[4:])
    return None


def iban_make(country: str, bban: str) -> str:
    country = country.upper()
    bban = bban.replace(" ", "").upper()
    check = 98 - _iban_number(bban + country + "00") % 97
    s = "%s%02d%s" % (country, check, bban)
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


_VD = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VP = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(digits: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VD[c][_VP[i % 8][int(ch)]]
    return c == 0


def verhoeff_complete(prefix: str) -> str:
    c = 0
    for i, ch in enumerate(reversed(prefix)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return prefix + str(_VINV[c])


def nhs_check_digit(nine: str):
    total = sum(int(d) * (10 - i) for i, d in enumerate(nine))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return None if check == 10 else check


# --------------------------------------------------------------------------------------------
# per-label value checks (format sanity, checksums)

AADHAAR_RE = re.compile(r"\d{4}[ -]?\d{4}[ -]?\d{4}")
SSN_RE = re.compile(r"(\d{3})-(\d{2})-(\d{4})")
PAN_RE = re.compile(r"[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]")
NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
}


def check_value(label: str, value: str):
    """None if the value is plausible for its label, else the reason."""
    if value != value.strip():
        return "span has leading/trailing whitespace"
    if value[-1] in ",;:!?" or value[0] in ",;:!?.":
        return "span starts or ends with punctuation"
    digits = re.sub(r"\D", "", value)
    if label == "CREDIT_CARD":
        if not re.fullmatch(r"\d[\d -]*\d", value) or not 13 <= len(digits) <= 19:
            return "CREDIT_CARD must be 13-19 digits with optional spaces/dashes"
        if not luhn_ok(digits):
            return "CREDIT_CARD fails the Luhn check (valid: %s)" % luhn_complete(digits[:-1])
    elif label == "IBAN":
        return iban_ok(value)
    elif label == "ID":
        if AADHAAR_RE.fullmatch(value):
            if digits[0] in "01":
                return "Aadhaar numbers never start with 0 or 1"
            if not verhoeff_ok(digits):
                return "Aadhaar (12 digits) fails the Verhoeff check (valid: %s)" % (
                    verhoeff_complete(digits[:-1]))
        m = SSN_RE.fullmatch(value)
        if m:
            a, g, s = m.groups()
            if a in ("000", "666") or a[0] == "9" or g == "00" or s == "0000":
                return "SSN %s is structurally invalid (area 000/666/9xx, group 00, serial 0000)" % value
        if re.fullmatch(r"[A-Z]{5}\d{4}[A-Z]", value) and not PAN_RE.fullmatch(value):
            return "PAN: 4th letter must be one of PCHFATBLJG"
    elif label == "PHONE":
        if not 7 <= len(digits) <= 15:
            return "PHONE must have 7-15 digits"
        if re.search(r"[A-Za-z]", value):
            return "PHONE must not contain letters"
    elif label == "EMAIL":
        low = value.lower()
        if "@" not in value and not re.search(r"\bat\b|\[at\]|\(at\)|at the rate", low):
            return "EMAIL needs @ or an obfuscated 'at'"
    elif label == "IP":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return "IP is not a valid IPv4/IPv6 address"
    elif label == "AGE":
        if not (re.fullmatch(r"\d{1,3}", value) or value.lower().replace("-", " ").split()[0] in NUMBER_WORDS):
            return "AGE must be the number only (digits or a number word)"
    elif label == "URL":
        if " " in value or "." not in value:
            return "URL must contain a dot and no spaces"
    return None


# --------------------------------------------------------------------------------------------
# parsing


def parse_inline(text: str, where: str, col0: int = 0):
    """Return (plain_text, spans, negatives); spans = [(start, end, label, value)].

    col0 is the column of text[0] in the source line (for error messages, 1-based columns)."""
    out = []  # pieces of plain text
    n = 0  # code points emitted so far
    spans, negs = [], []
    i = 0
    L = len(text)
    while i < L:
        ch = text[i]
        if ch == "\\":
            if i + 1 < L and text[i + 1] in "{}\\":
                out.append(text[i + 1])
                n += 1
                i += 2
                continue
            raise MarkupError("%s: stray backslash at column %d (escape it as \\\\)" % (where, col0 + i + 1))
        if ch == "}":
            raise MarkupError("%s: unmatched '}' at column %d (escape it as \\}" % (where, col0 + i + 1) + ")")
        if ch != "{":
            out.append(ch)
            n += 1
            i += 1
            continue
        # a span: {LABEL:value}
        colon = text.find(":", i + 1)
        if colon < 0:
            raise MarkupError("%s: '{' at column %d opens no {LABEL:value} (escape it as \\{)" % (where, col0 + i + 1))
        label = text[i + 1:colon]
        if label != NEG and label not in LABELS:
            raise MarkupError("%s: unknown label %r at column %d (labels: %s, or ~ for a non-span)"
                              % (where, label, i + 1, ", ".join(LABELS)))
        j = colon + 1
        val = []
        while True:
            if j >= L:
                raise MarkupError("%s: span opened at column %d is never closed" % (where, col0 + i + 1))
            c = text[j]
            if c == "\\":
                if j + 1 < L and text[j + 1] in "{}\\":
                    val.append(text[j + 1])
                    j += 2
                    continue
                raise MarkupError("%s: stray backslash at column %d" % (where, col0 + j + 1))
            if c == "{":
                raise MarkupError("%s: nested '{' at column %d (spans do not nest)" % (where, col0 + j + 1))
            if c == "}":
                break
            val.append(c)
            j += 1
        value = "".join(val)
        if not value:
            raise MarkupError("%s: empty span at column %d" % (where, col0 + i + 1))
        if label == NEG:
            negs.append((n, n + len(value), value))
        else:
            bad = check_value(label, value)
            if bad:
                raise MarkupError("%s: %s {%s:%s}: %s" % (where, label, label, value, bad))
            spans.append((n, n + len(value), label, value))
        out.append(value)
        n += len(value)
        i = j + 1
    return "".join(out), spans, negs


def parse_file(path: str, errors: list):
    """Parse one markup file into a list of conversation dicts (errors appended, not raised)."""
    absp = os.path.abspath(path)
    rel = os.path.relpath(absp, ROOT) if absp.startswith(ROOT + os.sep) else path
    convs = []
    conv = None
    msg = None  # dict(role, lines=[(lineno, raw)], pending_blank)

    def flush_msg():
        nonlocal msg
        if msg is None:
            return
        texts, spans, negs = [], [], []
        offset = 0
        for k, (lineno, raw, col0) in enumerate(msg["lines"]):
            if k:
                texts.append("\n")
                offset += 1
            try:
                t, s, ng = parse_inline(raw, "%s:%d" % (rel, lineno), col0)
            except MarkupError as e:
                errors.append(str(e))
                t, s, ng = raw, [], []
            texts.append(t)
            spans += [(a + offset, b + offset, lab, v, lineno) for a, b, lab, v in s]
            negs += [(a + offset, b + offset, v, lineno) for a, b, v in ng]
            offset += len(t)
        content = "".join(texts)
        if not content.strip():
            errors.append("%s:%d: empty message" % (rel, msg["lines"][0][0]))
        conv["messages"].append({"role": msg["role"], "content": content,
                                 "spans": spans, "negs": negs, "line": msg["lines"][0][0]})
        msg = None

    def flush_conv():
        nonlocal conv
        flush_msg()
        if conv is not None:
            convs.append(conv)
        conv = None

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blank_run = 0
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if line.startswith("%%"):
            continue
        h = HEADER_RE.match(line)
        if h:
            flush_conv()
            blank_run = 0
            meta = OrderedDict()
            rest = h.group(2).strip()
            if rest and not rest.startswith("|"):
                errors.append("%s:%d: header must be '## ID | key: value | ...'" % (rel, lineno))
                rest = ""
            for part in rest[1:].split("|") if rest else []:
                if ":" not in part:
                    errors.append("%s:%d: header field %r is not 'key: value'" % (rel, lineno, part.strip()))
                    continue
                k, v = part.split(":", 1)
                meta[k.strip()] = v.strip()
            conv = {"id": h.group(1), "meta": meta, "messages": [], "file": rel, "line": lineno}
            continue
        if conv is None:
            continue  # preamble
        if not line.strip():
            blank_run += 1
            continue
        r = ROLE_RE.match(line)
        if r:
            flush_msg()
            blank_run = 0
            msg = {"role": r.group(1), "lines": [(lineno, r.group(2) or "", len(r.group(1)) + 2)]}
            continue
        if line.startswith("  "):
            if msg is None:
                errors.append("%s:%d: continuation line outside a message" % (rel, lineno))
                continue
            for _ in range(blank_run):
                msg["lines"].append((lineno, "", 0))
            blank_run = 0
            msg["lines"].append((lineno, line[2:], 2))
            continue
        errors.append("%s:%d: expected 'user:', 'assistant:', 'system:', an indented continuation, "
                      "'## ' header or '%%%%' comment; got %r" % (rel, lineno, line[:40]))
    flush_conv()
    return convs


# --------------------------------------------------------------------------------------------
# conversation-level checks


def lint_conversation(conv, errors):
    where = "%s:%d" % (conv["file"], conv["line"])
    cid = conv["id"]
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", cid):
        errors.append("%s: bad conversation id %r" % (where, cid))
    for key in ("subject", "source"):
        if not conv["meta"].get(key):
            errors.append("%s: %s: header lacks '%s:'" % (where, cid, key))
    if not conv["messages"]:
        errors.append("%s: %s: no messages" % (where, cid))
    # the same value must not carry two labels in one conversation
    labels_of = {}
    for m in conv["messages"]:
        for a, b, lab, v, ln in m["spans"]:
            key = v.casefold()
            if key in labels_of and labels_of[key][0] != lab:
                errors.append("%s:%d: %s: %r is %s here but %s at line %d"
                              % (conv["file"], ln, cid, v, lab, labels_of[key][0], labels_of[key][1]))
            labels_of.setdefault(key, (lab, ln))
    # every recurrence of an annotated value must be inside a span or a {~:...} marker
    values = sorted({(v, lab) for m in conv["messages"] for _, _, lab, v, _ in m["spans"]
                     if lab in LINT_LABELS and len(v) >= 3})
    for v, lab in values:
        pat = re.compile(r"(?<!\w)" + re.escape(v) + r"(?!\w)", re.IGNORECASE)
        for mi, m in enumerate(conv["messages"]):
            covered = [(a, b) for a, b, *_ in m["spans"]] + [(a, b) for a, b, *_ in m["negs"]]
            for hit in pat.finditer(m["content"]):
                s, e = hit.span()
                if not any(a <= s and e <= b for a, b in covered):
                    line = m["line"] + m["content"].count("\n", 0, s)
                    errors.append("%s:%d: %s message %d: %r at %d is not annotated but is %s "
                                  "elsewhere (annotate it, or mark {~:%s} if not PII here)"
                                  % (conv["file"], line, cid, mi, hit.group(0), s, lab, hit.group(0)))


def build(paths):
    errors = []
    convs = []
    for p in paths:
        convs += parse_file(p, errors)
    seen = {}
    for c in convs:
        if c["id"] in seen:
            errors.append("%s:%d: duplicate conversation id %s (first at %s)"
                          % (c["file"], c["line"], c["id"], seen[c["id"]]))
        seen[c["id"]] = "%s:%d" % (c["file"], c["line"])
        lint_conversation(c, errors)
    records, docs = [], []
    for c in convs:
        rec = OrderedDict()
        rec["id"] = c["id"]
        rec["subject"] = c["meta"].get("subject", "")
        rec["source"] = c["meta"].get("source", "")
        rec["messages"] = [{"role": m["role"], "content": m["content"]} for m in c["messages"]]
        rec["spans"] = []
        for mi, m in enumerate(c["messages"]):
            prev_end = -1
            for a, b, lab, v, ln in sorted(m["spans"]):
                # belt and braces: the offsets must give back the marked value
                if not (0 <= a < b <= len(m["content"])) or m["content"][a:b] != v:
                    errors.append("%s:%d: internal offset error for %r" % (c["file"], ln, v))
                if a < prev_end:
                    errors.append("%s:%d: overlapping spans" % (c["file"], ln))
                prev_end = b
                rec["spans"].append(OrderedDict([("message", mi), ("start", a), ("end", b),
                                                 ("label", lab)]))
            doc = OrderedDict()
            doc["id"] = "%s#%d" % (c["id"], mi)
            doc["text"] = m["content"]
            doc["source"] = "scrim-chat"
            doc["split"] = "test"
            doc["spans"] = [OrderedDict([("start", a), ("end", b), ("label", lab)])
                            for a, b, lab, v, ln in sorted(m["spans"])]
            docs.append(doc)
        records.append(rec)
    return convs, records, docs, errors


def dumps_lines(rows):
    return "".join(json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in rows)


def print_stats(convs, records):
    n_msgs = sum(len(r["messages"]) for r in records)
    labels = Counter(s["label"] for r in records for s in r["spans"])
    print("conversations: %d" % len(records))
    print("messages: %d (user %d, assistant %d)" % (
        n_msgs,
        sum(1 for r in records for m in r["messages"] if m["role"] == "user"),
        sum(1 for r in records for m in r["messages"] if m["role"] == "assistant")))
    print("messages with no span: %d" % sum(
        1 for r in records for mi in range(len(r["messages"]))
        if not any(s["message"] == mi for s in r["spans"])))
    print("conversations with no span: %d" % sum(1 for r in records if not r["spans"]))
    print("spans: %d" % sum(labels.values()))
    for lab in LABELS:
        if labels[lab]:
            print("  %-12s %4d" % (lab, labels[lab]))
    print("negative markers {~:...}: %d" % sum(len(m["negs"]) for c in convs for m in c["messages"]))
    langs = Counter(c["meta"].get("lang", "?") for c in convs)
    print("languages: " + ", ".join("%s %d" % kv for kv in sorted(langs.items())))
    chars = sum(len(m["content"]) for r in records for m in r["messages"])
    print("characters: %d" % chars)


DISTINCTIVE = {"EMAIL", "PHONE", "ADDRESS", "ID", "CREDIT_CARD", "IBAN", "IP", "URL", "USERNAME"}


def overlap_check(records, corpus_paths):
    """Look for values and sentences of ours in other corpora (to show nothing was copied).

    Fails on (a) a distinctive value (contact details, numbers, handles, addresses, or a PERSON of
    two or more words) found as a whole word, or (b) any run of 8 words shared with a corpus text.
    Common first names, places and dates also occur in any large corpus; those are only counted.
    """
    values = {}
    for r in records:
        for s in r["spans"]:
            v = r["messages"][s["message"]]["content"][s["start"]:s["end"]]
            if len(v) >= 3:
                values.setdefault(v, (r["id"], s["label"]))
    pats = {v: re.compile(r"(?<!\w)" + re.escape(v) + r"(?!\w)") for v in values}
    grams = {}
    for r in records:
        for m in r["messages"]:
            w = re.findall(r"\w+", m["content"].lower())
            for k in range(len(w) - 7):
                grams.setdefault(" ".join(w[k:k + 8]), r["id"])
    found_v, found_g = Counter(), Counter()
    for p in corpus_paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text", "")
                for v, pat in pats.items():
                    if v in text and pat.search(text):
                        found_v[v] += 1
                w = re.findall(r"\w+", text.lower())
                for k in range(len(w) - 7):
                    g = " ".join(w[k:k + 8])
                    if g in grams:
                        found_g[g] += 1
    bad = False
    common = []
    for v, n in sorted(found_v.items()):
        cid, lab = values[v]
        if lab in DISTINCTIVE or (lab == "PERSON" and len(v.split()) >= 2):
            print("distinctive value %r (%s %s) occurs %d times" % (v, cid, lab, n))
            bad = True
        else:
            common.append(v)
    for g, n in sorted(found_g.items()):
        print("8-word run %r (%s) occurs %d times" % (g, grams[g], n))
        bad = True
    print("%d common values (first names, places, dates, orgs) also occur there: %s"
          % (len(common), ", ".join(common)))
    return bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sources", nargs="*",
                    help="markup files (default: tests/chat/*.md except README.md); when given, "
                         "they are only validated unless --out-dir is given too")
    ap.add_argument("--out-dir", metavar="DIR", help="where to write gold.jsonl and gold-text.jsonl "
                    "(default: tests/chat when no sources are given)")
    ap.add_argument("--check", action="store_true", help="validate and compare with the gold files; write nothing")
    ap.add_argument("--stats", action="store_true", help="print counts")
    ap.add_argument("--overlap-check", nargs="+", metavar="JSONL",
                    help="report span values and 8-word runs that also occur in these corpora")
    ap.add_argument("--make-card", metavar="DIGITS", help="print DIGITS + its Luhn check digit")
    ap.add_argument("--make-iban", nargs=2, metavar=("CC", "BBAN"), help="print a mod-97-valid IBAN")
    ap.add_argument("--make-aadhaar", metavar="11DIGITS", help="print 11 digits + their Verhoeff digit")
    ap.add_argument("--make-nhs", metavar="9DIGITS", help="print an NHS number with its mod-11 digit")
    args = ap.parse_args(argv)

    if args.make_card:
        print(luhn_complete(re.sub(r"\D", "", args.make_card)))
        return 0
    if args.make_iban:
        print(iban_make(*args.make_iban))
        return 0
    if args.make_aadhaar:
        d = re.sub(r"\D", "", args.make_aadhaar)
        if len(d) != 11 or d[0] in "01":
            ap.error("--make-aadhaar wants 11 digits, not starting with 0 or 1")
        full = verhoeff_complete(d)
        print("%s %s %s" % (full[:4], full[4:8], full[8:]))
        return 0
    if args.make_nhs:
        d = re.sub(r"\D", "", args.make_nhs)
        c = nhs_check_digit(d) if len(d) == 9 else None
        if c is None:
            ap.error("--make-nhs wants 9 digits whose check digit is not 10")
        full = d + str(c)
        print("%s %s %s" % (full[:3], full[3:6], full[6:]))
        return 0

    paths = args.sources or sorted(
        p for p in glob.glob(os.path.join(CHAT_DIR, "*.md")) if os.path.basename(p) != "README.md")
    if not paths:
        print("no markup files found in %s" % CHAT_DIR, file=sys.stderr)
        return 1
    convs, records, docs, errors = build(paths)
    if errors:
        def where(e):
            m = re.match(r"(.*?):(\d+):", e)
            return (m.group(1), int(m.group(2))) if m else ("", 0)
        for e in sorted(errors, key=where):
            print(e, file=sys.stderr)
        print("%d error(s); nothing written" % len(errors), file=sys.stderr)
        return 1
    gold, gold_text = dumps_lines(records), dumps_lines(docs)
    out_dir = args.out_dir or (None if args.sources else CHAT_DIR)
    targets = [] if out_dir is None else [
        (os.path.join(out_dir, "gold.jsonl"), gold), (os.path.join(out_dir, "gold-text.jsonl"), gold_text)]
    if args.check:
        stale = []
        for path, want in targets:
            try:
                with open(path, encoding="utf-8") as f:
                    have = f.read()
            except OSError:
                have = None
            if have != want:
                stale.append(os.path.relpath(path, ROOT))
        if stale:
            print("stale: %s (run python3 tools/build_chat_testset.py)" % ", ".join(stale), file=sys.stderr)
            return 1
    else:
        if out_dir is not None:
            os.makedirs(out_dir, exist_ok=True)
        for path, data in targets:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(data)
    if args.stats:
        print_stats(convs, records)
    if args.overlap_check:
        if overlap_check(records, args.overlap_check):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
