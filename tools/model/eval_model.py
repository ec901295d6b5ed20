#!/usr/bin/env python3
"""Reference inference for a BERT token-classification ONNX model, and scoring.

    python tools/model/eval_model.py MODEL_DIR GOLD.jsonl --out PRED.jsonl [--score]
           [--threshold 0.5] [--heldout-only] [--onnx model.onnx]

MODEL_DIR holds model.onnx, tokenizer.json and config.json (id2label). Labels are mapped to the
Scrim taxonomy: the fine-tuned model already uses it; the shipped Rampart labels are mapped with
RAMPART_MAP below (GIVEN_NAME/SURNAME -> PERSON, CITY/STATE -> LOCATION, street parts -> ADDRESS,
tax/bank/routing/government/passport/licence numbers -> ID).

Decoding (this is the reference the Rust port follows):
  1. Tokenize the whole text without special tokens (offsets are code point offsets).
     token_type_ids carry a capitalisation flag when config.json has "scrim_case_feature": true
     (the fine-tuned model; the tokenizer lowercases, so case is otherwise lost): a token gets 1
     when the first character of its pre-tokenizer word (same word id; words are split at
     whitespace and punctuation) is uppercase (Python str.isupper()), else 0; [CLS], [SEP] and
     padding get 0.  Without that key (the shipped Rampart model) token_type_ids are all 0.
  2. Windows of at most 254 content tokens ([CLS] + 254 + [SEP] = 256) with a 32-token overlap;
     a token seen by two windows takes the prediction of the window where it sits farther from
     the window edge.
  3. Per token: softmax; keep the token when argmax != O and that probability >= threshold (0.5).
     (--rule nonO instead keeps a token when 1 - P(O) >= threshold and takes the most probable
     non-O label: more recall, a little less precision; not the default.)
  4. Merge: B-X starts a span; I-X continues the open span when it has label X (otherwise it
     starts one); O / below threshold closes it.  Special tokens are never part of spans.
  5. Extend spans to whole words: a word is a maximal run of non-whitespace; a span that covers
     part of a word is widened to the word, but not over punctuation/symbols at the word's edges
     (and not over a trailing possessive 's).  Spans of the same label that then overlap or touch
     are merged.
  6. Output {"id", "spans": [{"start", "end", "label", "score"}]} with code point offsets.

--score runs ../shared/tools/score.py with --exclude-labels ORG,OTHER and prints the headline
numbers (overlap any-label P/R, character recall).
"""
import os as _os
_REPO = _os.path.abspath(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", ".."))
_SHARED = _os.path.join(_os.path.dirname(_REPO), "shared")
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import unicodedata

import numpy as np

SCORER = _os.path.join(_SHARED, "tools/score.py")
WINDOW = 256          # including [CLS] and [SEP]
OVERLAP = 32

RAMPART_MAP = {
    "GIVEN_NAME": "PERSON", "SURNAME": "PERSON",
    "CITY": "LOCATION", "STATE": "LOCATION",
    "BUILDING_NUMBER": "ADDRESS", "STREET_NAME": "ADDRESS", "SECONDARY_ADDRESS": "ADDRESS",
    "ZIP_CODE": "ADDRESS",
    "EMAIL": "EMAIL", "PHONE": "PHONE", "URL": "URL",
    "TAX_ID": "ID", "BANK_ACCOUNT": "ID", "ROUTING_NUMBER": "ID", "GOVERNMENT_ID": "ID",
    "PASSPORT": "ID", "DRIVERS_LICENSE": "ID",
}


def load_labels(model_dir):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    id2label = {int(k): v for k, v in cfg["id2label"].items()}
    labels = [id2label[i] for i in range(len(id2label))]
    # per class: (prefix, scrim label) ; O -> (None, None)
    out = []
    for lab in labels:
        if lab == "O":
            out.append((None, None))
            continue
        pre, typ = lab.split("-", 1)
        out.append((pre, RAMPART_MAP.get(typ, typ)))
    return labels, out


def case_flags(text, enc):
    """Per token: 1 if the first char of its pre-tokenizer word is uppercase."""
    flags = []
    first_start = {}
    for wid, (a, b) in zip(enc.word_ids, enc.offsets):
        if wid is None:
            flags.append(0)
            continue
        if wid not in first_start:
            first_start[wid] = a
        st = first_start[wid]
        flags.append(1 if st < len(text) and text[st].isupper() else 0)
    return flags


def is_punct(ch):
    c = unicodedata.category(ch)
    return c[0] in "PS"


def word_bounds(text):
    """For each char index: (word_start, word_end, core_start, core_end) or None for spaces."""
    n = len(text)
    res = [None] * n
    i = 0
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        cs, ce = i, j
        while cs < ce and is_punct(text[cs]):
            cs += 1
        while ce > cs and is_punct(text[ce - 1]):
            ce -= 1
        if ce - cs > 2 and text[ce - 1] in "sS" and text[ce - 2] in "'\u2019":
            ce -= 2
        for k in range(i, j):
            res[k] = (i, j, cs, ce)
        i = j
    return res


def extend_to_words(text, spans):
    if not spans:
        return spans
    wb = word_bounds(text)
    out = []
    for s, e, lab, sc in spans:
        w = wb[s]
        if w and w[2] < s < w[3]:
            s = w[2]
        w = wb[e - 1]
        if w and w[2] < e < w[3]:
            e = w[3]
        out.append([s, e, lab, sc])
    out.sort()
    merged = []
    for sp in out:
        if merged and merged[-1][2] == sp[2] and sp[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], sp[1])
            merged[-1][3] = max(merged[-1][3], sp[3])
        else:
            merged.append(sp)
    return merged


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


class Decoder:
    """Tokenize, window, run a logits function, decode spans."""

    def __init__(self, model_dir, logits_fn, threshold=0.5, batch_size=16, rule="argmax"):
        self.rule = rule
        from tokenizers import Tokenizer
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tok.no_padding()
        self.tok.no_truncation()
        self.cls = self.tok.token_to_id("[CLS]")
        self.sep = self.tok.token_to_id("[SEP]")
        self.labels, self.lab_info = load_labels(model_dir)
        cfg = json.load(open(os.path.join(model_dir, "config.json")))
        self.case_feature = bool(cfg.get("scrim_case_feature", False))
        self.logits_fn = logits_fn
        self.threshold = threshold
        self.batch_size = batch_size

    def windows(self, n):
        inner = WINDOW - 2
        if n <= inner:
            return [(0, n)]
        out, start = [], 0
        while True:
            end = min(start + inner, n)
            out.append((start, end))
            if end == n:
                return out
            start = end - OVERLAP

    def predict_probs(self, docs_ids, docs_tt=None):
        """docs_ids: list of token id lists (docs_tt: matching token type lists or None).
        Returns list of [n_tok, C] prob arrays."""
        jobs = []
        for di, ids in enumerate(docs_ids):
            for (a, b) in self.windows(len(ids)):
                jobs.append((di, a, b))
        probs = [np.zeros((len(ids), len(self.labels)), dtype=np.float32) for ids in docs_ids]
        best = [np.full(len(ids), -1, dtype=np.int64) for ids in docs_ids]
        order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
        for bi in range(0, len(order), self.batch_size):
            chunk = [jobs[j] for j in order[bi: bi + self.batch_size]]
            L = max(b - a for _, a, b in chunk) + 2
            ids = np.zeros((len(chunk), L), dtype=np.int64)
            am = np.zeros((len(chunk), L), dtype=np.int64)
            tt = np.zeros((len(chunk), L), dtype=np.int64)
            for r, (di, a, b) in enumerate(chunk):
                seq = [self.cls] + docs_ids[di][a:b] + [self.sep]
                ids[r, : len(seq)] = seq
                am[r, : len(seq)] = 1
                if docs_tt is not None:
                    tt[r, 1: 1 + b - a] = docs_tt[di][a:b]
            lo = self.logits_fn(ids, am, tt)
            p = softmax(lo.astype(np.float32))
            for r, (di, a, b) in enumerate(chunk):
                for t in range(a, b):
                    # distance from the window edges that have a neighbouring window
                    left = t - a if a > 0 else 10 ** 6
                    right = b - 1 - t if b < len(docs_ids[di]) else 10 ** 6
                    margin = min(left, right)
                    if margin > best[di][t]:
                        best[di][t] = margin
                        probs[di][t] = p[r, 1 + t - a]
        return probs

    def decode(self, text, offsets, probs):
        spans = []
        cur = None
        for t, (s, e) in enumerate(offsets):
            if e <= s:
                continue
            if self.rule == "nonO":
                k = int(probs[t][1:].argmax()) + 1
                pk = 1.0 - float(probs[t][0])
            else:
                k = int(probs[t].argmax())
                pk = float(probs[t][k])
            pre, lab = self.lab_info[k]
            if pre is None or pk < self.threshold:
                if cur:
                    spans.append(cur)
                cur = None
                continue
            if cur is not None and cur[2] == lab and pre == "I":
                cur[1] = e
                cur[3] = min(cur[3], pk)
            else:
                if cur:
                    spans.append(cur)
                cur = [s, e, lab, pk]
        if cur:
            spans.append(cur)
        return extend_to_words(text, spans)

    def predict(self, texts):
        encs = self.tok.encode_batch(texts, add_special_tokens=False)
        tts = [case_flags(t, e) for t, e in zip(texts, encs)] if self.case_feature else None
        probs = self.predict_probs([e.ids for e in encs], tts)
        out = []
        for text, enc, pr in zip(texts, encs, probs):
            out.append([{"start": s, "end": e, "label": lab, "score": round(sc, 4)}
                        for s, e, lab, sc in self.decode(text, enc.offsets, pr)])
        return out


def ort_logits_fn(onnx_path, threads=2):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]

    def fn(ids, am, tt):
        feed = {"input_ids": ids, "attention_mask": am, "token_type_ids": tt}
        return sess.run(None, {k: feed[k] for k in names})[0]
    return fn


def run_score(gold, pred, extra=()):
    r = subprocess.run([sys.executable, SCORER, gold, pred, "--exclude-labels", "ORG,OTHER", "--json",
                        *extra], capture_output=True, text=True, check=True)
    d = json.loads(r.stdout)
    m = d["micro"]["overlap_any_label"]
    return {"P": m["p"], "R": m["r"], "charR": d["char"]["recall"], "F5": d["f5"],
            "n_gold": d["micro"]["n_gold"], "n_pred": d["micro"]["n_pred"],
            "per_label": {k: (v["overlap_any_label"]["r"], v["char"]["recall"])
                          for k, v in d["per_label"].items()}}


def fmt(x):
    return "  -  " if x is None else "%.3f" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--out", help="PRED.jsonl (with several gold files: a directory)")
    ap.add_argument("--onnx", default="model.onnx", help="file name inside MODEL_DIR")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--rule", choices=["argmax", "nonO"], default="argmax")
    ap.add_argument("--score", action="store_true")
    ap.add_argument("--heldout-only", action="store_true",
                    help="keep only the docs corpora.py holds out from training")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    fn = ort_logits_fn(os.path.join(args.model_dir, args.onnx), args.threads)
    dec = Decoder(args.model_dir, fn, args.threshold, rule=args.rule)
    rows = []
    for gold in args.gold:
        docs = [json.loads(l) for l in open(gold, encoding="utf-8")]
        if args.heldout_only:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from corpora import is_heldout
            docs = [d for d in docs if is_heldout(d["id"])]
        name = os.path.basename(gold).replace(".jsonl", "")
        if args.out and len(args.gold) > 1:
            os.makedirs(args.out, exist_ok=True)
            out = os.path.join(args.out, name + ".pred.jsonl")
        elif args.out:
            out = args.out
        else:
            out = os.path.join(tempfile.mkdtemp(), name + ".pred.jsonl")
        t0 = time.time()
        preds = dec.predict([d["text"] for d in docs])
        dt = time.time() - t0
        nchar = sum(len(d["text"]) for d in docs)
        with open(out, "w", encoding="utf-8") as f:
            for d, p in zip(docs, preds):
                f.write(json.dumps({"id": d["id"], "spans": p}, ensure_ascii=False) + "\n")
        gold_used = gold
        if args.heldout_only:
            gold_used = out + ".gold.jsonl"
            with open(gold_used, "w", encoding="utf-8") as f:
                for d in docs:
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
        msg = "%s: %d docs, %d chars in %.1fs (%.0f chars/s) -> %s" % (name, len(docs), nchar, dt, nchar / dt, out)
        print(msg, file=sys.stderr)
        if args.score:
            s = run_score(gold_used, out)
            rows.append((name + (" (held-out)" if args.heldout_only else ""), s))
    if rows:
        print("%-28s %6s %6s %6s %6s %6s %6s" % ("corpus", "gold", "pred", "P", "R", "charR", "F5"))
        for name, s in rows:
            print("%-28s %6d %6d %6s %6s %6s %6s" % (name, s["n_gold"], s["n_pred"], fmt(s["P"]), fmt(s["R"]),
                                                    fmt(s["charR"]), fmt(s["F5"])))
            print("    per label (ovl-any R, char R): " + ", ".join(
                "%s %s/%s" % (k, fmt(v[0]), fmt(v[1])) for k, v in sorted(s["per_label"].items())))


if __name__ == "__main__":
    main()
