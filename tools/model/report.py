#!/usr/bin/env python3
"""Print the metrics table of tools/model/README.md for one or more model dirs.

    python tools/model/report.py /tmp/scrim-model/rampart-fp32 /tmp/scrim-model/scrim-ner

For each model: overlap any-label precision / recall and character recall (score.py,
--exclude-labels ORG,OTHER) on the two yardsticks (wnut17-dev, tests/chat gold-text), on the three
training corpora in full and on their 10% held-out splits (corpora.is_heldout), and on WNUT-16
with USERNAME and URL also excluded (WNUT-16 does not label @handles or URLs), plus throughput.
"""
import os as _os
_REPO = _os.path.abspath(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", ".."))
_SHARED = _os.path.join(_os.path.dirname(_REPO), "shared")
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpora  # noqa: E402
from eval_model import SCORER, Decoder, ort_logits_fn  # noqa: E402

E = _os.path.join(_SHARED, "data/eval/")
SETS = [("wnut17-dev", E + "wnut17-dev.jsonl", False, "ORG,OTHER"),
        ("chat gold-text", _os.path.join(_REPO, "tests/chat/gold-text.jsonl"), False, "ORG,OTHER"),
        ("wnut16", E + "wnut16.jsonl", False, "ORG,OTHER"),
        ("wnut16 (no USERNAME/URL)", E + "wnut16.jsonl", False, "ORG,OTHER,USERNAME,URL"),
        ("conll2003-dev", E + "conll2003-dev.jsonl", False, "ORG,OTHER"),
        ("presidio-synth", E + "presidio-synth.jsonl", False, "ORG,OTHER"),
        ("wnut16 held-out", E + "wnut16.jsonl", True, "ORG,OTHER"),
        ("wnut16 held-out (no USERNAME/URL)", E + "wnut16.jsonl", True, "ORG,OTHER,USERNAME,URL"),
        ("conll2003-dev held-out", E + "conll2003-dev.jsonl", True, "ORG,OTHER"),
        ("presidio-synth held-out", E + "presidio-synth.jsonl", True, "ORG,OTHER")]


def score(gold, pred, excl):
    r = subprocess.run([sys.executable, SCORER, gold, pred, "--exclude-labels", excl, "--json"],
                       capture_output=True, text=True, check=True)
    d = json.loads(r.stdout)
    m = d["micro"]["overlap_any_label"]
    return m["p"], m["r"], d["char"]["recall"]


def main():
    rule = "argmax"
    dirs = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--nonO" in sys.argv:
        rule = "nonO"
    thr = 0.3 if rule == "nonO" else 0.5
    tmp = "/tmp/scrim-model/report"
    os.makedirs(tmp, exist_ok=True)
    cache = {}
    print("| set | " + " | ".join("%s P / R / charR" % os.path.basename(d.rstrip("/")) for d in dirs) + " |")
    print("|---|" + "---|" * len(dirs))
    rows = {name: [] for name, *_ in SETS}
    speed = []
    for d in dirs:
        dec = Decoder(d, ort_logits_fn(os.path.join(d, "model.onnx")), thr, rule=rule)
        nchar, secs = 0, 0.0
        for name, path, held, excl in SETS:
            key = (d, path, held)
            if key not in cache:
                docs = [json.loads(l) for l in open(path, encoding="utf-8")]
                if held:
                    docs = [x for x in docs if corpora.is_heldout(x["id"])]
                t0 = time.time()
                preds = dec.predict([x["text"] for x in docs])
                dt = time.time() - t0
                if not held and name != "wnut16 (no USERNAME/URL)":
                    nchar += sum(len(x["text"]) for x in docs)
                    secs += dt
                tag = "%d-%s-%d" % (dirs.index(d), os.path.basename(path), held)
                gp, pp = os.path.join(tmp, tag + ".gold.jsonl"), os.path.join(tmp, tag + ".pred.jsonl")
                with open(gp, "w", encoding="utf-8") as f:
                    for x in docs:
                        f.write(json.dumps(x, ensure_ascii=False) + "\n")
                with open(pp, "w", encoding="utf-8") as f:
                    for x, p in zip(docs, preds):
                        f.write(json.dumps({"id": x["id"], "spans": p}, ensure_ascii=False) + "\n")
                cache[key] = (gp, pp)
            gp, pp = cache[key]
            rows[name].append(score(gp, pp, excl))
        speed.append(nchar / secs if secs else 0)
    f = lambda x: "-" if x is None else "%.3f" % x
    for name, *_ in SETS:
        print("| %s | " % name + " | ".join("%s / %s / %s" % tuple(map(f, r)) for r in rows[name]) + " |")
    print("| throughput (chars/s, 2 threads, batch 16) | " + " | ".join("%.0f" % s for s in speed) + " |")


if __name__ == "__main__":
    main()
